"""Applying a pipeline outcome to a document: cache the result, link the child, version, state."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import ShotcheckError
from intake.audit import record_event
from intake.children import link_child, union_record
from intake.db import insert_ignore
from intake.models import (
    Blob,
    Document,
    DocumentState,
    DocumentVersion,
    ProcessingResult,
    utcnow,
)
from intake.pipeline import Pipeline, PipelineOutcome

__all__ = ["add_version", "apply_result", "cached_result", "check_for", "flag_codes",
           "store_result"]


def flag_codes(extraction: dict[str, Any] | None) -> str:
    """The extraction's flag codes as the queue column holds them: " code1 code2 " (sorted)."""
    codes = sorted({str(f.get("code")) for f in (extraction or {}).get("flags") or []
                    if f.get("code")})
    return f" {' '.join(codes)} " if codes else " "


def cached_result(db: Session, sha256: str, pipeline_version: str) -> ProcessingResult | None:
    """The stored outcome for these bytes and this pipeline version, if it was processed before."""
    return db.scalars(select(ProcessingResult).where(
        ProcessingResult.sha256 == sha256,
        ProcessingResult.pipeline_version == pipeline_version)).first()


def store_result(db: Session, sha256: str, pipeline_version: str,
                 outcome: PipelineOutcome) -> ProcessingResult:
    """Store an outcome (pages content-addressed); the first stored for the key wins."""
    shas = []
    for page in outcome.pages:
        sha = hashlib.sha256(page).hexdigest()
        insert_ignore(db, Blob, {"sha256": sha, "size": len(page), "data": page}, ["sha256"])
        shas.append(sha)
    insert_ignore(db, ProcessingResult, {
        "sha256": sha256, "pipeline_version": pipeline_version,
        "extraction": outcome.extraction, "check": outcome.check,
        "needs_review": outcome.needs_review, "failure": outcome.failure, "page_shas": shas,
        "created_at": utcnow(),
    }, ["sha256", "pipeline_version"])
    stored = cached_result(db, sha256, pipeline_version)
    assert stored is not None
    return stored


def check_for(db: Session, document: Document, record: dict[str, Any] | None,
              pipeline: Pipeline) -> tuple[dict[str, Any] | None, str | None]:
    """The check of the document's child: the union of its linked documents, or the record alone.

    Returns:
        The check (None without a record) and a note when the check could not run.
    """
    if document.child_id is not None:
        record, _ids = union_record(db, document.child_id, document.id, record)
    if not record:
        return None, None
    try:
        return pipeline.check(record, dt.date.today()), None
    except ShotcheckError as exc:
        return None, f"the check could not run: {exc}"


def add_version(db: Session, document: Document, *, action: str, author: str, state: str,
                record: dict[str, Any] | None, check: dict[str, Any] | None,
                needs_review: bool, note: str | None = None) -> DocumentVersion:
    """Add the next version and move the document to `state`; earlier versions stay as they are."""
    number = document.current_version + 1
    version = DocumentVersion(document_id=document.id, number=number, action=action,
                              author=author, state=state, record=record, check=check,
                              needs_review=needs_review, note=note)
    db.add(version)
    document.current_version = number
    document.state = state
    document.updated_at = utcnow()
    return version


def apply_result(db: Session, document: Document, result: ProcessingResult, pipeline: Pipeline,
                 auto_accept: bool) -> None:
    """Make the processed result the document's first version, or fail the document."""
    document.result_id = result.id
    kind = (result.extraction or {}).get("document_type")
    document.document_type = str(kind)[:20] if kind else None
    document.flag_codes = flag_codes(result.extraction)
    if result.failure:
        document.failure = result.failure
        add_version(db, document, action="failed", author="pipeline", state=DocumentState.FAILED,
                    record=None, check=None, needs_review=False, note=result.failure)
        record_event(db, "system:worker", "failed", document.id, "unreadable or over a limit")
        return
    record = (result.extraction or {}).get("record")
    document.child_id = link_child(db, document.case_number, record)
    if document.child_id is None:
        check, note = result.check, None  # the child process already checked the record alone
    else:
        check, note = check_for(db, document, record, pipeline)
    needs_review = result.needs_review or record is None or note is not None
    state = DocumentState.NEEDS_REVIEW if needs_review or not auto_accept \
        else DocumentState.ACCEPTED
    document.failure = None
    add_version(db, document, action="extracted", author="pipeline", state=state, record=record,
                check=check, needs_review=needs_review, note=note)
    record_event(db, "system:worker", "processed", document.id, f"state {state}")
