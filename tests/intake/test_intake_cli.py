"""The service's command line: stations, users, audit, serve with workers, and the hot folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from intake_support import PASSWORD, document_bytes

from intake.watch import HotFolder

REPO = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"SHOTCHECK_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
                "SHOTCHECK_PIPELINE": "intake.fakes:succeeding",
                "SHOTCHECK_POLL_SECONDS": "0.05",
                "PYTHONPATH": f"{REPO}{os.pathsep}{env.get('PYTHONPATH', '')}"})
    env.update(extra)
    return env


def shotcheck(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "intake", *args], input=stdin, text=True,
                          capture_output=True, env=_env(tmp_path), cwd=tmp_path, timeout=60)


def test_stations_add_prints_the_key_alone_on_the_last_line(tmp_path: Path) -> None:
    result = shotcheck(tmp_path, "stations", "add", "front-desk")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("sk_") and " " not in key
    again = shotcheck(tmp_path, "stations", "add", "front-desk")
    assert again.returncode == 7 and "exists already" in again.stderr


def test_users_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    result = shotcheck(tmp_path, "users", "add", "rita", "--role", "supervisor",
                       stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    short = shotcheck(tmp_path, "users", "add", "sam", stdin="short\n")
    assert short.returncode == 2 and "8 characters" in short.stderr
    bad_role = shotcheck(tmp_path, "users", "add", "sam", "--role", "owner", stdin=PASSWORD)
    assert bad_role.returncode == 2


def test_audit_of_an_unknown_document_says_so(tmp_path: Path) -> None:
    result = shotcheck(tmp_path, "audit", "no-such-id")
    assert result.returncode == 6 and "no audit events" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    key = shotcheck(tmp_path, "stations", "add", "scanner").stdout.strip().splitlines()[-1]
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "intake", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1"], env=_env(tmp_path), cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.2)
        yield url, key
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_serve_processes_uploads_with_its_workers_and_audit_prints_them(
        server: tuple[str, str], tmp_path: Path) -> None:
    url, key = server
    headers = {"Authorization": f"Bearer {key}"}
    response = httpx.post(f"{url}/api/v1/documents", headers=headers,
                          files={"file": ("a.png", document_bytes())})
    assert response.status_code == 202
    document_id = response.json()["documents"][0]["id"]
    deadline = time.monotonic() + 30
    while httpx.get(f"{url}/api/v1/documents/{document_id}",
                    headers=headers).json()["state"] != "accepted":
        assert time.monotonic() < deadline, "the in-process worker did not finish"
        time.sleep(0.2)
    audit = shotcheck(tmp_path, "audit", document_id)
    assert audit.returncode == 0
    lines = audit.stdout.splitlines()
    assert "station:scanner\tuploaded" in lines[0]
    assert any("system:worker\tprocessed" in line for line in lines)


@pytest.mark.slow
def test_the_hot_folder_sends_finished_files_once_and_rejects_bad_ones(
        server: tuple[str, str], tmp_path: Path) -> None:
    url, key = server
    folder = tmp_path / "scans"
    folder.mkdir()
    clock = [0.0]
    watcher = HotFolder(folder, url, key, settle_seconds=2.0, clock=lambda: clock[0])
    (folder / "card.png").write_bytes(document_bytes())
    (folder / "notes.png").write_bytes(b"this is text, not a scan")
    (folder / "half.png.part").write_bytes(b"partial")
    assert watcher.scan_once() == []  # first sight: not yet known to be complete
    clock[0] = 1.0
    assert watcher.scan_once() == []  # not settled for long enough
    clock[0] = 3.0
    outcomes = {o.name: o for o in watcher.scan_once()}
    assert outcomes["card.png"].result == "sent"
    assert outcomes["notes.png"].result == "rejected"
    document_id = outcomes["card.png"].detail
    assert (folder / "sent" / f"{document_id}_card.png").exists()
    assert "not a PNG, JPEG, TIFF or PDF" in (folder / "rejected" / "notes.png.txt").read_text()
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["half.png.part"]
    clock[0] = 10.0
    assert watcher.scan_once() == []  # nothing is sent twice


def test_the_hot_folder_keeps_files_while_the_server_is_down(tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    clock = [0.0]
    watcher = HotFolder(folder, f"http://127.0.0.1:{_free_port()}", "sk_x", settle_seconds=1.0,
                        clock=lambda: clock[0])
    (folder / "card.png").write_bytes(document_bytes())
    watcher.scan_once()
    clock[0] = 2.0
    [outcome] = watcher.scan_once()
    assert outcome.result == "retry"
    assert (folder / "card.png").exists()


def test_the_hot_folder_waits_for_a_locked_file(tmp_path: Path) -> None:
    import fcntl

    folder = tmp_path / "scans"
    folder.mkdir()
    clock = [0.0]
    watcher = HotFolder(folder, "http://127.0.0.1:9", "sk_x", settle_seconds=1.0,
                        clock=lambda: clock[0])
    path = folder / "card.png"
    path.write_bytes(document_bytes())
    with path.open("rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        watcher.scan_once()
        clock[0] = 5.0
        assert watcher.scan_once() == []  # the scanner still holds it
