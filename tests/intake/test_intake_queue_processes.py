"""The queue across worker processes, on PostgreSQL and on SQLite: nothing lost, nothing twice.

PostgreSQL tests run in a fresh schema that is dropped afterwards. They skip with a reason when
127.0.0.1:5432 is unreachable, and fail instead under CI=true.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake_support import document_bytes, postgres_url
from sqlalchemy import func, select

from intake.accounts import create_station
from intake.db import Database
from intake.documents import IncomingFile, UploadForm, store_uploads
from intake.models import Document, DocumentState, Job, JobState

REPO = Path(__file__).resolve().parents[2]


def _postgres_schema_url() -> Iterator[str]:
    import psycopg

    base = postgres_url()
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {plain} is required under CI=true: {exc}")
        pytest.skip(f"PostgreSQL at {plain} is not reachable: {exc}")
    schema = f"shotcheck_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if request.param == "postgres":
        yield from (("postgres", url) for url in _postgres_schema_url())
    else:
        yield "sqlite", f"sqlite:///{tmp_path}/queue.db"


def _environment(url: str, calls: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "SHOTCHECK_DATABASE_URL": url, "SHOTCHECK_PIPELINE": "intake.fakes:succeeding",
        "SHOTCHECK_FAKE_CALLS_DIR": str(calls), "SHOTCHECK_POLL_SECONDS": "0.05",
        "SHOTCHECK_LEASE_SECONDS": "3", "SHOTCHECK_MAX_ATTEMPTS": "3",
        "SHOTCHECK_RETRY_BASE_SECONDS": "0.1", "SHOTCHECK_RETRY_MAX_SECONDS": "0.2",
        "SHOTCHECK_PARSE_MEMORY_MB": "1024",
        "PYTHONPATH": f"{REPO}{os.pathsep}{env.get('PYTHONPATH', '')}",
    })
    env.update(extra)
    return env


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "intake", "worker"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _upload(database: Database, blobs: list[bytes]) -> list[str]:
    with database.session() as db:
        key = create_station(db, f"station-{uuid.uuid4().hex[:6]}")
    from intake.accounts import authenticate_station

    with database.session() as db:
        actor = authenticate_station(db, key)
        assert actor is not None
        stored = store_uploads(db, actor, [IncomingFile(f"{i}.png", b) for i, b in
                                           enumerate(blobs)], UploadForm(), _settings(database))
    return [s.id for s in stored]


def _settings(database: Database):  # type: ignore[no-untyped-def]
    from intake.settings import Settings

    return Settings(database_url=database.url, max_files_per_request=1000)


def _wait_until_settled(database: Database, total: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with database.session() as db:
            open_jobs = db.scalar(select(func.count()).select_from(Job).where(
                Job.state.in_([JobState.QUEUED, JobState.RUNNING])))
            jobs = db.scalar(select(func.count()).select_from(Job))
        if open_jobs == 0 and jobs == total:
            return
        time.sleep(0.2)
    raise AssertionError(f"jobs still open after {timeout} s")


def _states(database: Database) -> Counter[str]:
    with database.session() as db:
        return Counter(db.scalars(select(Document.state)))


@pytest.mark.slow
def test_two_hundred_documents_are_each_processed_exactly_once(
        backend: tuple[str, str], tmp_path: Path) -> None:
    name, url = backend
    database = Database(url)
    database.migrate()
    calls = tmp_path / "calls"
    calls.mkdir()
    ids = _upload(database, [document_bytes() for _ in range(200)])
    count = 2 if name == "postgres" else 1
    workers = [_start_worker(_environment(url, calls)) for _ in range(count)]
    try:
        _wait_until_settled(database, 200, timeout=120)
    finally:
        _stop(workers)
    assert len(set(ids)) == 200
    assert _states(database) == Counter({DocumentState.ACCEPTED: 200})
    per_document = Counter(path.name.split(".")[0] for path in calls.iterdir())
    assert len(per_document) == 200 and set(per_document.values()) == {1}
    with database.session() as db:
        attempts = Counter(db.scalars(select(Job.attempts)))
    assert attempts == Counter({1: 200})
    database.dispose()


@pytest.mark.slow
def test_a_job_of_a_killed_worker_finishes_on_another_after_the_lease(
        backend: tuple[str, str], tmp_path: Path) -> None:
    _name, url = backend
    database = Database(url)
    database.migrate()
    calls = tmp_path / "calls"
    calls.mkdir()
    [document_id] = _upload(database, [document_bytes()])
    slow = _start_worker(_environment(url, calls, SHOTCHECK_FAKE_DELAY="30"))
    try:
        deadline = time.monotonic() + 30
        while not list(calls.iterdir()):  # the slow worker is inside the pipeline
            assert time.monotonic() < deadline, "the first worker never started the job"
            time.sleep(0.1)
        slow.send_signal(signal.SIGKILL)
        slow.wait()
    finally:
        _stop([slow])
    rescuer = _start_worker(_environment(url, calls))
    try:
        _wait_until_settled(database, 1, timeout=60)
    finally:
        _stop([rescuer])
    with database.session() as db:
        job = db.scalars(select(Job)).one()
        document = db.get(Document, document_id)
        assert document is not None
        assert (job.state, job.attempts) == (JobState.DONE, 2)
        assert "expired" in (job.last_error or "")
        assert document.state == DocumentState.ACCEPTED
    database.dispose()


@pytest.mark.slow
def test_a_poisoned_document_is_dead_after_n_attempts_and_nothing_is_lost(
        backend: tuple[str, str], tmp_path: Path) -> None:
    name, url = backend
    database = Database(url)
    database.migrate()
    calls = tmp_path / "calls"
    calls.mkdir()
    blobs = [document_bytes() for _ in range(20)] + [document_bytes() + b"POISON"]
    ids = _upload(database, blobs)
    count = 2 if name == "postgres" else 1
    workers = [_start_worker(_environment(url, calls)) for _ in range(count)]
    try:
        _wait_until_settled(database, 21, timeout=60)
    finally:
        _stop(workers)
    with database.session() as db:
        poisoned = db.get(Document, ids[-1])
        assert poisoned is not None and poisoned.state == DocumentState.FAILED
        job = db.scalars(select(Job).where(Job.document_id == ids[-1])).one()
        assert (job.state, job.attempts) == (JobState.DEAD, 3)
        assert "the fake parser crashed" in (job.last_error or "")
    assert _states(database) == Counter({DocumentState.ACCEPTED: 20, DocumentState.FAILED: 1})
    database.dispose()
