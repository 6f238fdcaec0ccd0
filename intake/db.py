"""The database: engine set-up for SQLite (WAL) and PostgreSQL, sessions and migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from intake.models import Base

__all__ = ["Database", "insert_ignore", "normalise_url"]

_MIGRATIONS = Path(__file__).parent / "migrations"
# Any 64-bit number; every shotcheck process migrating one PostgreSQL database takes this lock.
_MIGRATION_LOCK = 0x5A07C4EC


def normalise_url(url: str) -> str:
    """The URL with the psycopg 3 driver named, so `postgresql://` works as users write it."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # pysqlite's own BEGIN handling is switched off so `_sqlite_begin` can say IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: an acknowledged upload survives a power cut, not only a process crash.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Checkpoints copy the WAL into the database file and fsync it; run inside a commit they
    # stall the upload that happens to trigger them, so a background thread does them instead.
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A transaction that may write takes the write lock up front: a deferred one that reads and
    # then writes can fail with SQLITE_BUSY without waiting, losing a queue claim or an upload.
    # Read-only transactions (Database.read) stay deferred so they never wait for writers.
    if conn.get_execution_options().get("shotcheck_read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One engine and its session factory; `session()` is a transaction that commits on exit."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            database = parsed.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=20)
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._checkpointer: _Checkpointer | None = None
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            self._checkpointer = _Checkpointer(parsed.database)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._read_factory = sessionmaker(
            self.engine.execution_options(shotcheck_read_only=True), expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back when it raises."""
        with self._factory.begin() as db:
            yield db

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work: on SQLite it does not take the write lock."""
        with self._read_factory.begin() as db:
            yield db

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision; safe from many processes at once."""
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def is_reachable(self) -> bool:
        """Whether a trivial query answers (for /readyz)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                conn.rollback()
        except Exception:  # noqa: BLE001 - readiness reports any failure as "not ready"
            return False
        return True

    def dispose(self) -> None:
        """Close pooled connections and stop the checkpointer (tests, shutdown)."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.engine.dispose()


class _Checkpointer:
    """Moves the SQLite WAL into the database file in the background, preferably when idle.

    A checkpoint writes every new page a second time and fsyncs the database file; during a
    burst of uploads that competes with the commits the uploads wait for. So it runs once the
    WAL has been quiet for a moment; under steady load (the WAL never quiet) it runs every
    interval once the WAL file passes `max_wal_bytes`, copying only what the last interval
    added. That keeps each checkpoint small: one checkpoint of a 256 MB WAL stalled the uploads
    of the moment by 50-100 ms (bench/intake_load.py, 20 stations at one 1 MB scan a second).
    PASSIVE checkpoints never block readers or writers.
    """

    def __init__(self, path: str, interval: float = 0.5,
                 max_wal_bytes: int = 16 * 1024 * 1024) -> None:
        self._path = path
        self._wal = Path(path + "-wal")
        self._interval = interval
        self._max_wal_bytes = max_wal_bytes
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shotcheck-checkpoint",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        seen, done = -1, -1  # WAL mtimes: last observed, last checkpointed
        while not self._stopping.wait(self._interval):
            try:
                stat = self._wal.stat()
            except OSError:
                continue
            quiet = stat.st_mtime_ns == seen
            seen = stat.st_mtime_ns
            if seen == done or not (quiet or stat.st_size > self._max_wal_bytes):
                continue
            try:
                if connection is None:
                    connection = sqlite3.connect(self._path, isolation_level=None, timeout=5)
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                done = seen
            except sqlite3.Error:
                connection = None  # busy or gone: the next round tries again
        if connection is not None:
            connection.close()

    def stop(self) -> None:
        """End the thread (it checkpoints no more)."""
        self._stopping.set()
        self._thread.join(timeout=5)


def insert_ignore(db: Session, model: type[Base], values: dict[str, Any], keys: list[str]) -> None:
    """INSERT a row unless one with the same `keys` exists (content-addressed blobs, results)."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        pg = postgresql.insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
        db.execute(pg)
    else:
        lite = sqlite.insert(model).values(**values).on_conflict_do_nothing(index_elements=keys)
        db.execute(lite)
