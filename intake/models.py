"""The database schema as SQLAlchemy 2 models; Alembic migrations in intake/migrations mirror it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditEvent",
    "Base",
    "Blob",
    "CaseFile",
    "Child",
    "Document",
    "DocumentState",
    "DocumentVersion",
    "Job",
    "JobState",
    "ProcessingResult",
    "Role",
    "Station",
    "User",
    "UserSession",
    "utcnow",
]


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC (the only kind of datetime the service handles)."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes stored naive, so SQLite and PostgreSQL compare them the same way."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Store naive UTC."""
        if value is None:
            return None
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        """Read back as aware UTC."""
        return None if value is None else value.replace(tzinfo=dt.UTC)


class DocumentState(StrEnum):
    """Where a document is in its life; the API reports these names."""

    QUEUED = "queued"
    PROCESSING = "processing"
    NEEDS_REVIEW = "needs_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    FAILED = "failed"


class JobState(StrEnum):
    """A queue job's state; `running` with an expired lease is claimable again."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


class Role(StrEnum):
    """Who may do what; a station is not a user and holds no role here."""

    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Blob(Base):
    """Bytes stored once by their sha256: originals and page images."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Station(Base):
    """A scanning station; its key is random and stored only as a sha256."""

    __tablename__ = "stations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Base):
    """A reviewer, supervisor or admin; the password is stored as an argon2 hash."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class UserSession(Base):
    """A server-side login session; the id is the sha256 of the token the client holds."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Child(Base):
    """A child across documents: linked by case number, normalised name and birth date."""

    __tablename__ = "children"
    __table_args__ = (UniqueConstraint("case_number", "name_key", "birth_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64))
    name_key: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)


class ProcessingResult(Base):
    """What the pipeline made of some bytes, keyed by (sha256, pipeline version): idempotent."""

    __tablename__ = "processing_results"
    __table_args__ = (UniqueConstraint("sha256", "pipeline_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    pipeline_version: Mapped[str] = mapped_column(String(100))
    extraction: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    check: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=True)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    page_shas: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Document(Base):
    """One uploaded file: unique by its bytes' sha256, so an upload is idempotent."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_queue", "state", "due_date", "created_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(50))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    case_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    child_hint: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Copied from the extraction when it is applied, so the queue filters on columns, not JSON.
    document_type: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    # The extraction's flag codes, space-separated with a space at each end (" a b "), so one
    # code is found with LIKE '% code %' on SQLite and PostgreSQL alike.
    flag_codes: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default=DocumentState.QUEUED)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), nullable=True)
    result_id: Mapped[int | None] = mapped_column(
        ForeignKey("processing_results.id"), nullable=True
    )
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DocumentVersion(Base):
    """One version of a document's record and check; a change adds a row, never overwrites."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"))
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(20))
    record: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    check: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Job(Base):
    """A durable queue entry: leased by a worker, retried with backoff, dead after N attempts."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_claim", "state", "run_after"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=JobState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    worker_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseFile(Base):
    """A CalWORKs case's data (the `shotcheck case` JSON) by case number, for its timeline.

    Overwritten when a worker saves a newer one; each save is in the audit log.
    """

    __tablename__ = "case_files"
    case_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120))


class AuditEvent(Base):
    """Who did what to which document, when; append-only (database triggers refuse changes)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
