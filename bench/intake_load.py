"""Load benchmark of the intake service on loopback: uploads and end-to-end processing.

Phase 1: `shotcheck serve` (API only) on 127.0.0.1 over a fresh SQLite file (or the PostgreSQL
URL given); 20 stations upload 1 MB scans concurrently; prints uploads/s and p50/p99 latency and
checks every upload was acknowledged and stored. Phase 2: two `shotcheck worker` processes drain
the queue; prints documents per minute end to end. Bounded: fixed counts and a time limit.

    python -m bench.intake_load [--stations 20] [--per-station 20] [--interval 0]
                                [--pipeline fake|real] [--database-url URL]

`--interval 0` (the default) is the saturation test: every station sends back to back, so the
latency is queueing behind the disk. `--interval 1` is twenty stations each scanning a page a
second (20 MB/s of scans), a busy office.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from intake.accounts import create_station
from intake.db import Database
from intake.fakes import tiny_png
from intake.models import Document, Job, JobState

REPO = Path(__file__).resolve().parents[1]
PIPELINES = {"fake": "intake.fakes:succeeding", "real": "real"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scan(size: int, corpus: list[bytes]) -> bytes:
    """A unique scan: a corpus document (for the real pipeline) or a ~1 MB PNG-headed file.

    Trailing bytes after a PNG's IEND or a PDF's %%EOF are ignored by readers, so a random tail
    makes each upload unique (no idempotent short-cut) without changing what is read.
    """
    if corpus:
        return random.choice(corpus) + b"\n" + os.urandom(16).hex().encode()
    head = tiny_png()
    return head + os.urandom(size - len(head))


def wait_ready(url: str, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not come up")


def upload_phase(url: str, keys: list[str], per_station: int, size: int, interval: float,
                 corpus: list[bytes]) -> tuple[list[float], int, float, list[tuple[float, float]]]:
    latencies: list[float] = []
    timeline: list[tuple[float, float]] = []  # (seconds since the start, latency)
    failures = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(keys))

    def station(key: str) -> None:
        files = [scan(size, corpus) for _ in range(per_station)]
        with httpx.Client(base_url=url, timeout=30,
                          headers={"Authorization": f"Bearer {key}"}) as client:
            barrier.wait()
            # Open loop: each station scans on its own clock, started at a random phase.
            next_at = time.perf_counter() + random.uniform(0, interval)
            for data in files:
                if interval:
                    time.sleep(max(0.0, next_at - time.perf_counter()))
                    next_at += interval
                start = time.perf_counter()
                response = client.post("/api/v1/documents", files={"file": ("scan.png", data)})
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    timeline.append((start - began, elapsed))
                    if response.status_code != 202:
                        failures[0] += 1

    threads = [threading.Thread(target=station, args=(key,)) for key in keys]
    began = start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0], time.perf_counter() - start, timeline


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=20)
    parser.add_argument("--per-station", type=int, default=20)
    parser.add_argument("--size", type=int, default=1024 * 1024, help="bytes per scan")
    parser.add_argument("--interval", type=float, default=0.0,
                        help="seconds between one station's uploads (0: back to back)")
    parser.add_argument("--pipeline", choices=sorted(PIPELINES), default="fake")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--corpus", type=Path, default=REPO / "fixtures" / "corpus",
                        help="documents uploaded when --pipeline real")
    args = parser.parse_args()
    corpus = ([path.read_bytes() for path in sorted(args.corpus.iterdir())
               if path.suffix.lower() in (".pdf", ".png", ".jpg", ".tif", ".tiff")]
              if args.pipeline == "real" else [])

    folder = Path(tempfile.mkdtemp(prefix="shotcheck-bench-"))
    url_db = args.database_url or f"sqlite:///{folder}/bench.db"
    database = Database(url_db)
    database.migrate()
    with database.session() as db:
        keys = [create_station(db, f"bench-{i}-{time.time_ns()}") for i in range(args.stations)]
    env = dict(os.environ, SHOTCHECK_DATABASE_URL=url_db, OMP_THREAD_LIMIT="1",
               SHOTCHECK_PIPELINE=PIPELINES[args.pipeline], SHOTCHECK_POLL_SECONDS="0.05",
               PYTHONPATH=str(REPO))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "intake", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "0"], env=env, cwd=folder, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        wait_ready(url)
        server_cpu = cpu_seconds(server.pid)
        client_cpu = time.process_time()
        latencies, failures, wall, timeline = upload_phase(
            url, keys, args.per_station, args.size, args.interval, corpus)
        server_cpu = cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        total = len(latencies)
        with database.session() as db:
            stored = db.scalar(select(func.count()).select_from(Document)) or 0
        print(f"backend: {database.engine.dialect.name}; pipeline: {args.pipeline} "
              f"({PIPELINES[args.pipeline]})")
        what = f"corpus documents from {args.corpus}" if corpus else f"{args.size} bytes"
        print(f"uploads: {total} x {what} from {args.stations} concurrent stations "
              f"{'back to back' if not args.interval else f'one every {args.interval:g} s each'} "
              f"in {wall:.2f} s = {total / wall:.1f} uploads/s")
        print(f"latency: p50 {1000 * statistics.median(latencies):.1f} ms, "
              f"p99 {1000 * percentile(latencies, 0.99):.1f} ms, "
              f"max {1000 * max(latencies):.1f} ms")
        slowest = sorted(timeline, key=lambda t: -t[1])[:5]
        print("slowest: " + ", ".join(f"{1000 * lat:.0f} ms at {at:.1f} s" for at, lat in slowest))
        print(f"CPU during uploads: server {server_cpu:.1f} s, load generator {client_cpu:.1f} s "
              f"({os.cpu_count()} CPUs, wall {wall:.1f} s)")
        print(f"acknowledged: {total - failures}/{total}; stored: {stored} "
              f"({'none lost' if stored == total - failures == total else 'MISMATCH'})")

        start = time.perf_counter()
        workers = [subprocess.Popen([sys.executable, "-m", "intake", "worker"], env=env,
                                    cwd=folder, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL) for _ in range(2)]
        while True:
            with database.session() as db:
                open_jobs = db.scalar(select(func.count()).select_from(Job).where(
                    Job.state.in_([JobState.QUEUED, JobState.RUNNING]))) or 0
            if open_jobs == 0 or time.perf_counter() - start > args.time_limit:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - start
        with database.session() as db:
            done = db.scalar(select(func.count()).select_from(Job).where(
                Job.state == JobState.DONE)) or 0
        print(f"end to end with 2 worker processes: {done} documents in {elapsed:.1f} s "
              f"(includes worker start-up) = {60 * done / elapsed:.1f} documents/minute"
              f"{'' if open_jobs == 0 else f' (time limit hit; {open_jobs} still queued)'}")
    finally:
        for process in [server, *workers]:
            process.send_signal(signal.SIGTERM if process in workers else signal.SIGINT)
        for process in [server, *workers]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
