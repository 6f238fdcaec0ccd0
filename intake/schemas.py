"""The API's request and response models; the OpenAPI document is generated from these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AuditEntry",
    "ChildPatch",
    "ChildView",
    "CorrectionRequest",
    "DecisionRequest",
    "DocumentView",
    "DoseIn",
    "Error",
    "JobInfo",
    "JobList",
    "LoginRequest",
    "QueueItem",
    "QueueResponse",
    "RejectRequest",
    "SessionView",
    "UploadedDocument",
    "UploadResponse",
    "VersionSummary",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Error(BaseModel):
    """Every error answer: a stable code (the exception's class name) and a message to act on."""

    code: str = Field(examples=["NotFound"])
    message: str = Field(examples=["no document with id …"])
    status: int = Field(examples=[404])


class UploadedDocument(BaseModel):
    """One stored upload; the same bytes again give the same id with `duplicate` true."""

    id: str
    sha256: str
    filename: str
    media_type: str
    size: int
    state: str
    duplicate: bool


class UploadResponse(BaseModel):
    """Every file of the request, stored (committed) before this answer was sent."""

    documents: list[UploadedDocument]


class VersionSummary(BaseModel):
    """One version of the document's record: who made it, doing what."""

    number: int
    action: str
    author: str
    state: str
    needs_review: bool
    note: str | None
    created_at: dt.datetime


class JobInfo(BaseModel):
    """The document's latest processing job."""

    id: int
    document_id: str
    state: str
    attempts: int
    last_error: str | None
    run_after: dt.datetime
    updated_at: dt.datetime


class JobList(BaseModel):
    """Jobs in one state (e.g. the dead ones a supervisor should look at)."""

    jobs: list[JobInfo]


class DocumentView(BaseModel):
    """A document: its state, what was read, the current record and check, and its history.

    For a station (its own uploads only) `extraction`, `record` and `check` are null: a
    station needs to know what happened to a scan, not the child's health data.
    """

    id: str
    sha256: str
    filename: str
    media_type: str
    size: int
    state: str
    failure: str | None
    case_number: str | None
    due_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime
    page_count: int
    version: int
    needs_review: bool
    claimed_by: str | None
    claimed_until: dt.datetime | None
    child_id: int | None
    linked_documents: list[str]
    extraction: dict[str, Any] | None
    record: dict[str, Any] | None
    check: dict[str, Any] | None
    history: list[VersionSummary]
    job: JobInfo | None


class QueueItem(BaseModel):
    """A document waiting for a reviewer."""

    id: str
    filename: str
    case_number: str | None
    due_date: dt.date | None
    created_at: dt.datetime
    version: int
    claimed_by: str | None
    claimed_until: dt.datetime | None
    review_reasons: list[str]


class QueueResponse(BaseModel):
    """The review queue: verification due date first (none last), then oldest first."""

    items: list[QueueItem]
    total: int


class ChildView(BaseModel):
    """A child across documents: the union of their doses (duplicates merged) and its check."""

    id: int
    case_number: str
    documents: list[str]
    record: dict[str, Any] | None
    check: dict[str, Any] | None


class DoseIn(_In):
    """A dose as a reviewer enters it (the Record contract's dose)."""

    date: dt.date
    cvx: str | None = Field(default=None, max_length=10)
    vaccine: str | None = Field(default=None, max_length=100)
    mvx: str | None = Field(default=None, max_length=10)


class ChildPatch(_In):
    """Corrections to the child; omitted fields keep their value."""

    name: str | None = Field(default=None, max_length=200)
    birth_date: dt.date | None = None
    sex: str | None = Field(default=None, pattern="^[FMU]$")


class CorrectionRequest(_In):
    """A reviewer's corrections; `doses`, when given, replaces the list of doses."""

    expected_version: int = Field(ge=0, description="the version the reviewer corrected")
    child: ChildPatch | None = None
    doses: list[DoseIn] | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=500)


class DecisionRequest(_In):
    """Approve (or reopen): the version the reviewer looked at, and an optional note."""

    expected_version: int | None = Field(default=None, ge=0)
    note: str | None = Field(default=None, max_length=500)


class RejectRequest(_In):
    """Reject the document, saying why (shown to the worker; no health data please)."""

    expected_version: int | None = Field(default=None, ge=0)
    reason: str = Field(min_length=1, max_length=500)


class LoginRequest(_In):
    """A reviewer's login."""

    name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class SessionView(BaseModel):
    """The logged-in user; send `csrf_token` as X-CSRF-Token on changes made with the cookie."""

    user: str
    role: str
    csrf_token: str
    expires_at: dt.datetime
    token: str | None = Field(default=None, description="bearer token; only in the login answer")


class AuditEntry(BaseModel):
    """One audit event."""

    at: dt.datetime
    actor: str
    action: str
    document_id: str | None
    detail: str | None
