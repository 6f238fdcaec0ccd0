"""The API's request and response models; the OpenAPI document is generated from these."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "AuditEntry",
    "CaseView",
    "ChildDocument",
    "ChildPatch",
    "ChildView",
    "CorrectionRequest",
    "DecisionRequest",
    "DocumentView",
    "DoseIn",
    "DoseSource",
    "Error",
    "JobInfo",
    "JobList",
    "LoginRequest",
    "MergedDose",
    "QueueFilters",
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


class QueueFilters(_In):
    """What the queue is narrowed to; None (or an empty string) means any."""

    flag: str | None = Field(default=None, max_length=40,
                             description="a flag code, e.g. missing_signature")
    type: str | None = Field(default=None, max_length=20,
                             description="document type: yellow_card, csf49, cair2_report, "
                                         "unknown")
    station: str | None = Field(default=None, max_length=100, description="a station's name")
    state: str | None = Field(default="needs_review", max_length=20,
                              description="document state; needs_review by default")


class QueueItem(BaseModel):
    """A document in the queue, with what a reviewer picks by: type, child, flags, station."""

    id: str
    filename: str
    state: str
    document_type: str | None
    child_name: str | None = Field(description="as corrected, else as read, else the hint")
    birth_date: dt.date | None
    station: str | None
    flags: list[str] = Field(description="the extraction's flag codes")
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


class DoseSource(BaseModel):
    """Where a merged dose was read: a document and the dose's index in its current record."""

    document_id: str
    dose_index: int


class MergedDose(BaseModel):
    """One dose of the child's merged record and every document it appears on."""

    date: dt.date
    date_precision: str = "day"
    vaccine: str | None
    cvx: str | None
    sources: list[DoseSource]


class ChildDocument(BaseModel):
    """One document of the child, as the child view lists it."""

    id: str
    filename: str
    document_type: str | None
    state: str
    version: int
    due_date: dt.date | None
    created_at: dt.datetime


class CaseView(BaseModel):
    """A case's stored data and the timeline the case rules give for it."""

    case_number: str
    data: dict[str, Any]
    updated_at: dt.datetime
    updated_by: str
    timeline: dict[str, Any] | None = Field(description="the `shotcheck case --json` output")
    problem: str | None = Field(default=None, description="why there is no timeline")


class ChildView(BaseModel):
    """A child across documents: the union of their doses (duplicates merged) and its check.

    `documents` lists ids (rejected ones left out of the merge but listed); `doses` are the
    merged record's doses in its order (the check's dose indexes) with their sources.
    """

    id: int
    case_number: str
    as_of: dt.date
    documents: list[str]
    document_details: list[ChildDocument]
    record: dict[str, Any] | None
    doses: list[MergedDose]
    check: dict[str, Any] | None
    problem: str | None = Field(default=None, description="why the check could not run")
    case: CaseView | None = Field(default=None, description="case data on file, if any")


class DoseIn(_In):
    """A dose as a reviewer enters it (the Record contract's dose).

    A dose written with its month and year only has `date_precision` "month"; its `date` is
    then moved to the first of that month (how the Record spells a month-only date).
    """

    date: dt.date
    cvx: str | None = Field(default=None, max_length=10)
    vaccine: str | None = Field(default=None, max_length=100)
    mvx: str | None = Field(default=None, max_length=10)
    date_precision: Literal["day", "month"] = "day"

    @model_validator(mode="after")
    def _month_on_the_first(self) -> DoseIn:
        if self.date_precision == "month" and self.date.day != 1:
            self.date = self.date.replace(day=1)
        return self


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
