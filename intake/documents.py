"""Documents: storing uploads idempotently, and the views stations and reviewers read."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.accounts import Actor
from intake.audit import record_event
from intake.db import insert_ignore
from intake.errors import BadUpload, Forbidden, NotFound, TooLarge, UnsupportedMediaType
from intake.limits import check_header_pixels, sniff_media_type
from intake.models import (
    Blob,
    Document,
    DocumentState,
    DocumentVersion,
    Job,
    ProcessingResult,
    User,
)
from intake.queue import enqueue
from intake.schemas import DocumentView, JobInfo, UploadedDocument, VersionSummary
from intake.settings import Settings

__all__ = [
    "IncomingFile",
    "UploadForm",
    "clean_filename",
    "current_version",
    "get_document",
    "get_page",
    "job_info",
    "load_document",
    "ValidUpload",
    "store_uploads",
    "store_validated",
    "validate_uploads",
]

_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class IncomingFile:
    """One uploaded file: the client's name for it (data, never a path) and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class UploadForm:
    """The optional form fields sent with the files."""

    case_number: str | None = None
    child_hint: str | None = None
    due_date: dt.date | None = None


def clean_filename(name: str) -> str:
    """The client's filename as a label: no directories, no control characters, 200 at most.

    The name is only ever shown; nothing is written under it, so `../` cannot go anywhere.
    """
    base = _UNSAFE.sub("", name.replace("\\", "/")).rsplit("/", 1)[-1].strip()
    return (base or "unnamed")[:200]


def _validate(file: IncomingFile, index: int, settings: Settings) -> str:
    label = f"file {index + 1} ({clean_filename(file.filename)})"
    if not file.data:
        raise BadUpload(f"{label} is empty")
    if len(file.data) > settings.max_file_bytes:
        raise TooLarge(f"{label} is {len(file.data)} bytes, over the limit of "
                       f"{settings.max_file_bytes} (SHOTCHECK_MAX_FILE_BYTES)")
    try:
        media_type = sniff_media_type(file.data)
        check_header_pixels(file.data, media_type, settings.max_page_pixels)
    except (UnsupportedMediaType, TooLarge) as exc:
        # Same class (so the same HTTP status), with the file named.
        raise type(exc)(f"{label}: {exc}") from exc
    return media_type


@dataclass(frozen=True)
class ValidUpload:
    """A file that passed the checks at the door, with its sniffed media type."""

    file: IncomingFile
    media_type: str
    sha256: str


def validate_uploads(files: list[IncomingFile], settings: Settings) -> list[ValidUpload]:
    """Check the request's files without touching the database (count, size, type, pixels).

    Raises:
        BadUpload, UnsupportedMediaType, TooLarge: naming the file.
    """
    if not files:
        raise BadUpload("the request has no file: send one or more multipart fields named 'file'")
    if len(files) > settings.max_files_per_request:
        raise TooLarge(f"{len(files)} files in one request, over the limit of "
                       f"{settings.max_files_per_request} (SHOTCHECK_MAX_FILES_PER_REQUEST)")
    # Hashing here, in the request's thread, keeps it off the single upload-writer thread.
    return [ValidUpload(file, _validate(file, index, settings),
                        hashlib.sha256(file.data).hexdigest())
            for index, file in enumerate(files)]


def store_validated(db: Session, actor: Actor, uploads: list[ValidUpload],
                    form: UploadForm) -> list[UploadedDocument]:
    """Store validated files (blob, document, job, audit) in this transaction.

    The same bytes as an earlier upload give that document back (`duplicate`), whoever sent it.
    """
    return [_store_one(db, actor, upload, form) for upload in uploads]


def store_uploads(db: Session, actor: Actor, files: list[IncomingFile], form: UploadForm,
                  settings: Settings) -> list[UploadedDocument]:
    """Validate every file, then store them all in this transaction (all or none).

    Raises:
        BadUpload, UnsupportedMediaType, TooLarge: naming the file.
    """
    return store_validated(db, actor, validate_uploads(files, settings), form)


def _store_one(db: Session, actor: Actor, upload: ValidUpload,
               form: UploadForm) -> UploadedDocument:
    file, media_type, sha = upload.file, upload.media_type, upload.sha256
    existing = db.scalars(select(Document).where(Document.sha256 == sha)).first()
    if existing is None:
        insert_ignore(db, Blob, {"sha256": sha, "size": len(file.data), "data": file.data},
                      ["sha256"])
        document = Document(
            id=str(uuid.uuid4()), sha256=sha, filename=clean_filename(file.filename),
            size=len(file.data), media_type=media_type,
            station_id=actor.id if actor.kind == "station" else None,
            case_number=form.case_number, child_hint=form.child_hint, due_date=form.due_date,
            state=DocumentState.QUEUED,
        )
        try:
            with db.begin_nested():
                db.add(document)
                db.flush()
        except IntegrityError:
            # The same bytes arrived on another connection a moment ago: that one is the document.
            existing = db.scalars(select(Document).where(Document.sha256 == sha)).one()
        else:
            enqueue(db, document.id)
            record_event(db, actor.label, "uploaded", document.id, f"{len(file.data)} bytes")
            return _uploaded(document, duplicate=False)
    record_event(db, actor.label, "uploaded_again", existing.id)
    return _uploaded(existing, duplicate=True)


def _uploaded(document: Document, duplicate: bool) -> UploadedDocument:
    return UploadedDocument(id=document.id, sha256=document.sha256, filename=document.filename,
                            media_type=document.media_type, size=document.size,
                            state=document.state, duplicate=duplicate)


def load_document(db: Session, document_id: str, actor: Actor) -> Document:
    """The document, if it exists and the actor may see it (a station: its own uploads).

    Raises:
        NotFound: no such document, or a station asking for another station's (not revealed).
    """
    document = db.get(Document, document_id)
    if document is None or (actor.kind == "station" and document.station_id != actor.id):
        raise NotFound(f"no document with id {document_id!r}")
    return document


def job_info(job: Job) -> JobInfo:
    """A job as the API shows it."""
    return JobInfo(id=job.id, document_id=job.document_id, state=job.state,
                   attempts=job.attempts, last_error=job.last_error, run_after=job.run_after,
                   updated_at=job.updated_at)


def current_version(db: Session, document: Document) -> DocumentVersion | None:
    """The newest version row of a document, None before processing finished."""
    return db.scalars(select(DocumentVersion).where(
        DocumentVersion.document_id == document.id,
        DocumentVersion.number == document.current_version)).first()


def get_document(db: Session, document_id: str, actor: Actor) -> DocumentView:
    """The document view; health data only for reviewers. Reading is audited."""
    document = load_document(db, document_id, actor)
    is_user = actor.kind == "user"
    result = db.get(ProcessingResult, document.result_id) if document.result_id else None
    version = current_version(db, document)
    versions = db.scalars(select(DocumentVersion).where(
        DocumentVersion.document_id == document.id).order_by(DocumentVersion.number)).all()
    job = db.scalars(select(Job).where(Job.document_id == document.id)
                     .order_by(Job.id.desc())).first()
    claimer = db.get(User, document.claimed_by) if document.claimed_by else None
    linked: list[str] = []
    if document.child_id is not None and is_user:
        linked = list(db.scalars(select(Document.id).where(
            Document.child_id == document.child_id, Document.id != document.id)))
    record_event(db, actor.label, "viewed", document.id)
    extraction: dict[str, Any] | None = result.extraction if result and is_user else None
    return DocumentView(
        id=document.id, sha256=document.sha256, filename=document.filename,
        media_type=document.media_type, size=document.size, state=document.state,
        failure=document.failure, case_number=document.case_number if is_user else None,
        due_date=document.due_date, created_at=document.created_at,
        updated_at=document.updated_at, page_count=len(result.page_shas) if result else 0,
        version=document.current_version,
        needs_review=bool(version.needs_review) if version else False,
        claimed_by=claimer.name if claimer and is_user else None,
        claimed_until=document.claimed_until if is_user else None,
        child_id=document.child_id if is_user else None, linked_documents=linked,
        extraction=extraction,
        record=version.record if version and is_user else None,
        check=version.check if version and is_user else None,
        history=[VersionSummary(number=v.number, action=v.action, author=v.author, state=v.state,
                                needs_review=v.needs_review, note=v.note if is_user else None,
                                created_at=v.created_at) for v in versions],
        job=job_info(job) if job else None,
    )


def get_page(db: Session, document_id: str, number: int, actor: Actor) -> bytes:
    """Page `number` (1-based) of the document as PNG; audited. Reviewers only."""
    if actor.kind != "user":
        raise Forbidden("page images are for reviewers")
    document = load_document(db, document_id, actor)
    result = db.get(ProcessingResult, document.result_id) if document.result_id else None
    if result is None or not 1 <= number <= len(result.page_shas):
        raise NotFound(f"document {document_id!r} has no page {number}")
    blob = db.get(Blob, result.page_shas[number - 1])
    if blob is None:  # pragma: no cover - pages are stored with their result
        raise NotFound(f"page {number} of document {document_id!r} is missing")
    record_event(db, actor.label, "viewed_page", document.id, f"page {number}")
    return blob.data
