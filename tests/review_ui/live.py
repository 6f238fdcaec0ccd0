"""The app under test for the review pages: intake's factory, review_ui.install, seeded data,
served by uvicorn on 127.0.0.1 in a background thread.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

import review_ui
from intake.accounts import authenticate_station, create_station, create_user
from intake.app import create_app
from intake.db import Database
from intake.documents import IncomingFile, UploadForm, store_uploads
from intake.models import Document
from intake.processing import apply_result, store_result
from intake.settings import Settings
from tests.review_ui import cards
from tests.review_ui.card import CardPipeline, scan_bytes

PASSWORD = "correct horse battery"
USERS = {"rita": "reviewer", "kim": "reviewer", "omar": "reviewer", "sam": "supervisor"}


@dataclass
class Seeded:
    """What the tests find in the app: document ids by name, the station key, the child."""

    documents: dict[str, str] = field(default_factory=dict)
    station_key: str = ""
    mia_child: int | None = None


def _settings(path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{path}", workers=0,
                    pipeline="intake.fakes:succeeding")


def build_app(path: Path) -> FastAPI:
    """The service with the review pages over the SQLite file at `path`."""
    app = create_app(_settings(path), CardPipeline(), workers=0)
    review_ui.install(app)
    return app


def seeded_database(path: Path) -> Seeded:
    """A SQLite file at `path` holding the accounts and documents (argon2 is slow: seed once)."""
    database = Database(f"sqlite:///{path}")
    database.migrate()
    try:
        return seed(database, _settings(path), CardPipeline())
    finally:
        database.dispose()  # the last connection out checkpoints the WAL into the file


def copy_database(source: Path, target: Path) -> None:
    """A copy of a seeded SQLite file (and its WAL, if one is left) for one test."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


def seed(database: Database, settings: Settings, pipeline: CardPipeline) -> Seeded:
    """Accounts, a station, and five documents processed as a worker would."""
    seeded = Seeded()
    with database.session() as db:
        for name, role in USERS.items():
            create_user(db, name, role, PASSWORD)
        seeded.station_key = create_station(db, "front-desk")
    today = dt.date.today()
    documents = [  # name, card, case number, days to the verification due date
        ("cair2", cards.MIA_CAIR2, "C-1001", 20), ("mia", cards.MIA_CARD, "C-1001", 7),
        ("ana", cards.ANA_CARD, "C-1003", 8), ("unknown", cards.UNKNOWN, None, 9),
        ("leo", cards.LEO_CARD, "C-1002", 11),
    ]
    for name, card, case_number, due_in in documents:
        data = scan_bytes(card)
        with database.session() as db:
            station = authenticate_station(db, seeded.station_key)
            assert station is not None
            form = UploadForm(case_number=case_number, due_date=today + dt.timedelta(due_in))
            stored = store_uploads(db, station, [IncomingFile(f"{name}.png", data)], form,
                                   settings)
        document_id = stored[0].id
        outcome = pipeline.process(data, f"{name}.png")
        with database.session() as db:
            result = store_result(db, stored[0].sha256, pipeline.version, outcome)
            document = db.get(Document, document_id)
            assert document is not None
            apply_result(db, document, result, pipeline, auto_accept=True)
            if name == "mia":
                seeded.mia_child = document.child_id
        seeded.documents[name] = document_id
    return seeded


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """uvicorn serving the app in a daemon thread; `url` is its base URL."""

    def __init__(self, app: Any) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="review-ui-server",
                                       daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start within 15 seconds")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
