"""Helpers of the service tests: a fresh SQLite database, the app with a fake pipeline, accounts."""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; httpx (a runtime dependency) still works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from intake import fakes
from intake.accounts import create_station, create_user, start_session
from intake.app import create_app
from intake.db import Database
from intake.pipeline import Pipeline
from intake.settings import Settings
from intake.worker import Worker

PASSWORD = "correct horse battery"


def fast_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url, "workers": 0, "lease_seconds": 5.0, "max_attempts": 3,
        "retry_base_seconds": 0.0, "retry_max_seconds": 0.0, "poll_seconds": 0.05,
        "parse_timeout_seconds": 10.0, "parse_memory_mb": 1024,
    }
    values.update(overrides)
    return Settings(**values)


class Service:
    """The app under test with helpers to make accounts and run the queue."""

    def __init__(self, client: TestClient, settings: Settings, pipeline: Pipeline) -> None:
        self.client = client
        self.settings = settings
        self.pipeline = pipeline
        self.database: Database = client.app.state.database  # type: ignore[attr-defined]

    def station(self, name: str | None = None) -> dict[str, str]:
        with self.database.session() as db:
            key = create_station(db, name or f"station-{uuid.uuid4().hex[:6]}")
        return {"Authorization": f"Bearer {key}"}

    def user(self, role: str = "reviewer", name: str | None = None) -> dict[str, str]:
        name = name or f"{role}-{uuid.uuid4().hex[:6]}"
        with self.database.session() as db:
            create_user(db, name, role, PASSWORD)
        with self.database.session() as db:
            token, _csrf, _user = start_session(db, name, PASSWORD)
        return {"Authorization": f"Bearer {token}"}

    def upload(self, headers: dict[str, str], data: bytes, name: str = "scan.png",
               **form: str) -> dict[str, Any]:
        response = self.client.post("/api/v1/documents", headers=headers,
                                    files={"file": (name, data)}, data=form)
        assert response.status_code == 202, response.text
        document: dict[str, Any] = response.json()["documents"][0]
        return document

    def process(self, pipeline: Pipeline | None = None, settings: Settings | None = None) -> int:
        """Run one worker until no job is due; returns how many jobs it handled."""
        worker = Worker(self.database, settings or self.settings, pipeline or self.pipeline)
        handled = 0
        try:
            while worker.run_once():
                handled += 1
        finally:
            worker.parser.close()
        return handled


def document_bytes(record: dict[str, Any] | None = None, salt: str | None = None, *,
                   kind: str | None = None, flags: list[str] | None = None) -> bytes:
    """A small valid PNG carrying what the fake pipeline will read, unique per salt.

    `record` is the Record it reads, `kind` the document type and `flags` the flag codes.
    """
    import json

    payload = b"RECORD:" + json.dumps(record).encode() + b"\n" if record else b""
    payload += f"TYPE:{kind}\n".encode() if kind else b""
    payload += f"FLAGS:{','.join(flags)}\n".encode() if flags else b""
    return fakes.tiny_png() + payload + (salt or uuid.uuid4().hex).encode()


@pytest.fixture
def make_service(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    clients: list[TestClient] = []

    def make(pipeline: Pipeline | None = None, **overrides: Any) -> Service:
        pipeline = pipeline or fakes.succeeding()
        settings = fast_settings(f"sqlite:///{tmp_path}/shotcheck-{len(clients)}.db", **overrides)
        client = TestClient(create_app(settings, pipeline))
        client.__enter__()
        clients.append(client)
        return Service(client, settings, pipeline)

    yield make
    for client in clients:
        client.__exit__(None, None, None)
        client.app.state.database.dispose()  # type: ignore[attr-defined]


@pytest.fixture
def service(make_service: Callable[..., Service]) -> Service:
    return make_service()


def postgres_url() -> str:
    return os.environ.get("SHOTCHECK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
