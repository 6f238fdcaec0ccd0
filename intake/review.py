"""Review service: the queue, claims, corrections, approve, reject, reopen; all versioned.

Routes (intake.routes_review) and the reviewer pages (review_ui) call these functions inside one
transaction; each change adds a DocumentVersion, re-runs the check and writes the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from engine.errors import BadRecord
from engine.model import Record
from intake.accounts import Actor, has_role
from intake.audit import record_event
from intake.children import link_child
from intake.documents import current_version, load_document
from intake.errors import Conflict, Forbidden, NotFound
from intake.models import (
    Document,
    DocumentState,
    DocumentVersion,
    Job,
    JobState,
    ProcessingResult,
    Role,
    Station,
    User,
    utcnow,
)
from intake.pipeline import Pipeline
from intake.processing import add_version, check_for
from intake.queue import enqueue
from intake.schemas import CorrectionRequest, QueueFilters, QueueItem, QueueResponse
from intake.settings import Settings

__all__ = [
    "approve_document",
    "claim_document",
    "correct_document",
    "list_jobs",
    "list_queue",
    "reject_document",
    "release_document",
    "reopen_document",
    "retry_job",
]


def _require(actor: Actor, role: Role) -> None:
    if not has_role(actor, role):
        raise Forbidden(f"this needs the {role} role")


def _birth(record: dict[str, Any] | None) -> dt.date | None:
    text = ((record or {}).get("child") or {}).get("birth_date")
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _read_name(extraction: dict[str, Any] | None) -> str | None:
    name = ((extraction or {}).get("child") or {}).get("name")
    value = name.get("value") if isinstance(name, dict) else name
    return str(value) if value else None


def list_queue(db: Session, actor: Actor, limit: int = 50, offset: int = 0,
               filters: QueueFilters | None = None) -> QueueResponse:
    """Documents in a state (needing review by default), narrowed by flag, type and station.

    Ordered by verification due date (none last), then oldest first. Each item carries what a
    reviewer picks by: the document type, the child (as corrected, else as read), the station,
    the flag codes and who holds a claim.
    """
    _require(actor, Role.REVIEWER)
    filters = filters or QueueFilters()
    version = aliased(DocumentVersion)
    conditions = []
    if filters.state:
        conditions.append(Document.state == filters.state)
    if filters.type:
        conditions.append(Document.document_type == filters.type)
    if filters.flag:
        # Codes are [a-z_]; LIKE's own wildcards are escaped all the same.
        code = filters.flag.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Document.flag_codes.like(f"% {code} %", escape="\\"))
    if filters.station:
        conditions.append(Document.station_id.in_(
            select(Station.id).where(Station.name == filters.station)))
    total = db.scalar(select(func.count()).select_from(Document).where(*conditions)) or 0
    rows = db.execute(
        select(Document, ProcessingResult.extraction, version.record, User.name, Station.name)
        .outerjoin(ProcessingResult, ProcessingResult.id == Document.result_id)
        .outerjoin(version, and_(version.document_id == Document.id,
                                 version.number == Document.current_version))
        .outerjoin(User, User.id == Document.claimed_by)
        .outerjoin(Station, Station.id == Document.station_id)
        .where(*conditions)
        .order_by(Document.due_date.is_(None), Document.due_date, Document.created_at,
                  Document.id)
        .limit(limit).offset(offset)
    ).all()
    now = utcnow()
    items = []
    for document, extraction, record, claimer, station in rows:
        claimed = document.claimed_until is not None and document.claimed_until > now
        child = (record or {}).get("child") or {}
        items.append(QueueItem(
            id=document.id, filename=document.filename, state=document.state,
            document_type=document.document_type,
            child_name=child.get("name") or _read_name(extraction) or document.child_hint,
            birth_date=_birth(record), station=station,
            flags=(document.flag_codes or "").split(),
            case_number=document.case_number,
            due_date=document.due_date, created_at=document.created_at,
            version=document.current_version, claimed_by=claimer if claimed else None,
            claimed_until=document.claimed_until if claimed else None,
            review_reasons=[str(r) for r in (extraction or {}).get("review_reasons", [])],
        ))
    return QueueResponse(items=items, total=total)


def _holder(db: Session, document: Document) -> User | None:
    if document.claimed_by is None or document.claimed_until is None:
        return None
    if document.claimed_until <= utcnow():
        return None
    return db.get(User, document.claimed_by)


def _take_claim(db: Session, document: Document, actor: Actor, settings: Settings) -> None:
    holder = _holder(db, document)
    if holder is not None and holder.id != actor.id:
        raise Conflict(f"document {document.id} is claimed by {holder.name} until "
                       f"{document.claimed_until:%H:%M} UTC")
    document.claimed_by = actor.id
    document.claimed_until = utcnow() + dt.timedelta(minutes=settings.claim_minutes)


def _expect(document: Document, states: set[str], expected_version: int | None) -> None:
    if document.state not in states:
        raise Conflict(f"document {document.id} is {document.state}; this needs "
                       f"{' or '.join(sorted(states))}")
    if expected_version is not None and expected_version != document.current_version:
        raise Conflict(f"document {document.id} is at version {document.current_version}, not "
                       f"{expected_version}: reload it and apply your change again")


def claim_document(db: Session, document_id: str, actor: Actor, settings: Settings) -> None:
    """Claim a document for SHOTCHECK_CLAIM_MINUTES so no other reviewer works on it.

    Raises:
        Conflict: claimed by another reviewer, or not waiting for review.
    """
    _require(actor, Role.REVIEWER)
    document = load_document(db, document_id, actor)
    _expect(document, {DocumentState.NEEDS_REVIEW}, None)
    _take_claim(db, document, actor, settings)
    record_event(db, actor.label, "claimed", document.id)


def release_document(db: Session, document_id: str, actor: Actor) -> None:
    """Give a claim up; a supervisor may release anyone's."""
    _require(actor, Role.REVIEWER)
    document = load_document(db, document_id, actor)
    holder = _holder(db, document)
    if holder is not None and holder.id != actor.id and not has_role(actor, Role.SUPERVISOR):
        raise Conflict(f"document {document.id} is claimed by {holder.name}")
    document.claimed_by = None
    document.claimed_until = None
    record_event(db, actor.label, "released", document.id)


def _corrected(record: dict[str, Any] | None, request: CorrectionRequest) -> dict[str, Any]:
    merged: dict[str, Any] = dict(record or {})
    child = dict(merged.get("child") or {})
    if request.child is not None:
        child.update(request.child.model_dump(mode="json", exclude_none=True))
    merged["child"] = child
    if request.doses is not None:
        merged["doses"] = [d.model_dump(mode="json", exclude_none=True) for d in request.doses]
    try:
        return Record.model_validate(merged).model_dump(mode="json", by_alias=True,
                                                        exclude_none=True)
    except ValueError as exc:
        raise BadRecord(f"the corrected record is not valid: {exc}") from exc


def correct_document(db: Session, document_id: str, actor: Actor, request: CorrectionRequest,
                     pipeline: Pipeline, settings: Settings) -> int:
    """Apply a reviewer's corrections as a new version and re-run the check.

    Returns:
        The new version number.

    Raises:
        Conflict: claimed by another, a stale `expected_version`, or not in review.
        BadRecord: the corrected record does not match the Record contract.
    """
    _require(actor, Role.REVIEWER)
    document = load_document(db, document_id, actor)
    _expect(document, {DocumentState.NEEDS_REVIEW}, request.expected_version)
    _take_claim(db, document, actor, settings)
    previous = current_version(db, document)
    record = _corrected(previous.record if previous else None, request)
    # A birth date the reader missed, or a corrected name, decides which child this is: link
    # again, so the document joins its child (and the child view) once the reviewer fixed it.
    document.child_id = link_child(db, document.case_number, record)
    check, problem = check_for(db, document, record, pipeline)
    version = add_version(db, document, action="corrected", author=actor.label,
                          state=DocumentState.NEEDS_REVIEW, record=record, check=check,
                          needs_review=True, note=request.note or problem)
    record_event(db, actor.label, "corrected", document.id, f"version {version.number}")
    return version.number


def approve_document(db: Session, document_id: str, actor: Actor, pipeline: Pipeline,
                     settings: Settings, expected_version: int | None = None,
                     note: str | None = None) -> int:
    """Accept the document's current record; the check is run once more on it."""
    _require(actor, Role.REVIEWER)
    document = load_document(db, document_id, actor)
    _expect(document, {DocumentState.NEEDS_REVIEW}, expected_version)
    _take_claim(db, document, actor, settings)
    previous = current_version(db, document)
    record = previous.record if previous else None
    if not record:
        raise Conflict("there is no record to approve: enter the child's birth date first")
    check, problem = check_for(db, document, record, pipeline)
    if problem:
        raise Conflict(problem)
    version = add_version(db, document, action="approved", author=actor.label,
                          state=DocumentState.ACCEPTED, record=record, check=check,
                          needs_review=False, note=note)
    document.claimed_by, document.claimed_until = None, None
    record_event(db, actor.label, "approved", document.id, f"version {version.number}")
    return version.number


def reject_document(db: Session, document_id: str, actor: Actor, reason: str, settings: Settings,
                    expected_version: int | None = None,
                    pipeline: Pipeline | None = None) -> int:
    """Reject the document (not a usable record), with the reason, as a new version.

    With `pipeline` the check is re-run on the record as it stands (so the version shows the
    verdict at the time of rejection); without it the previous check is carried over.
    """
    _require(actor, Role.REVIEWER)
    document = load_document(db, document_id, actor)
    _expect(document, {DocumentState.NEEDS_REVIEW, DocumentState.FAILED}, expected_version)
    _take_claim(db, document, actor, settings)
    previous = current_version(db, document)
    record = previous.record if previous else None
    check = previous.check if previous else None
    if pipeline is not None and record:
        rerun, problem = check_for(db, document, record, pipeline)
        check = check if problem else rerun
    version = add_version(db, document, action="rejected", author=actor.label,
                          state=DocumentState.REJECTED, record=record, check=check,
                          needs_review=False, note=reason)
    document.claimed_by, document.claimed_until = None, None
    record_event(db, actor.label, "rejected", document.id, f"version {version.number}")
    return version.number


def reopen_document(db: Session, document_id: str, actor: Actor, pipeline: Pipeline,
                    note: str | None = None, expected_version: int | None = None) -> int:
    """Send an accepted, rejected or failed document back to review (supervisors)."""
    _require(actor, Role.SUPERVISOR)
    document = load_document(db, document_id, actor)
    _expect(document, {DocumentState.ACCEPTED, DocumentState.REJECTED, DocumentState.FAILED},
            expected_version)
    previous = current_version(db, document)
    record = previous.record if previous else None
    check, problem = check_for(db, document, record, pipeline)
    version = add_version(db, document, action="reopened", author=actor.label,
                          state=DocumentState.NEEDS_REVIEW, record=record, check=check,
                          needs_review=True, note=note or problem)
    record_event(db, actor.label, "reopened", document.id, f"version {version.number}")
    return version.number


def recent_statuses(db: Session, document_id: str,
                    count: int = 2) -> tuple[str, list[str | None]] | None:
    """A document's filename and the CalWORKs status of its newest versions, newest first.

    None when there is no such document. Only status codes: nothing of the child's record.
    """
    document = db.get(Document, document_id)
    if document is None:
        return None
    versions = db.scalars(select(DocumentVersion)
                          .where(DocumentVersion.document_id == document.id)
                          .order_by(DocumentVersion.number.desc()).limit(count)).all()
    return document.filename, [(v.check or {}).get("status") for v in versions]


def list_jobs(db: Session, actor: Actor, state: JobState, limit: int = 100) -> list[Job]:
    """Jobs in `state`, most recently changed first (supervisors: the dead ones to look at)."""
    _require(actor, Role.SUPERVISOR)
    return list(db.scalars(select(Job).where(Job.state == state)
                           .order_by(Job.updated_at.desc(), Job.id.desc()).limit(limit)))


def retry_job(db: Session, job_id: int, actor: Actor) -> Job:
    """Queue a dead job's document again with a fresh job (supervisors)."""
    _require(actor, Role.SUPERVISOR)
    job = db.get(Job, job_id)
    if job is None:
        raise NotFound(f"no job with id {job_id}")
    if job.state != JobState.DEAD:
        raise Conflict(f"job {job_id} is {job.state}; only dead jobs are retried")
    document = db.get(Document, job.document_id)
    assert document is not None
    document.state = DocumentState.QUEUED
    document.failure = None
    fresh = enqueue(db, document.id)
    db.flush()
    record_event(db, actor.label, "retried", document.id, f"job {job_id} → job {fresh.id}")
    return fresh
