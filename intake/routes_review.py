"""Review routes (JSON): the queue, claim, correct, approve, reject, reopen, jobs, audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from intake import review
from intake.audit import document_audit
from intake.auth import Principal, reviewer, supervisor
from intake.db import Database
from intake.documents import get_document, job_info
from intake.models import JobState
from intake.openapi import errors
from intake.pipeline import Pipeline
from intake.schemas import (
    AuditEntry,
    CorrectionRequest,
    DecisionRequest,
    DocumentView,
    JobInfo,
    JobList,
    QueueFilters,
    QueueResponse,
    RejectRequest,
)
from intake.settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["review"])
_CHANGE = errors(401, 403, 404, 409, 422)


def _state(request: Request) -> tuple[Database, Settings, Pipeline]:
    app = request.app
    return app.state.database, app.state.settings, app.state.pipeline


@router.get("/review/queue", response_model=QueueResponse, responses=errors(401, 403, 422),
            summary="Documents waiting for review (filtered by flag, type, station, state), by "
                    "verification due date then age")
def read_queue(request: Request, principal: Annotated[Principal, Depends(reviewer)],
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
               state: Annotated[str, Query(max_length=20, description=(
                   "document state; empty for every state"))] = "needs_review",
               flag: Annotated[str, Query(max_length=40, description="a flag code")] = "",
               type: Annotated[str, Query(max_length=20, description=(
                   "yellow_card, csf49, cair2_report or unknown"))] = "",
               station: Annotated[str, Query(max_length=100, description=(
                   "a station's name"))] = "") -> QueueResponse:
    """The queue, needing review by default; `state`, `flag`, `type` and `station` narrow it.

    An empty `state` means every state. Claimed documents show who holds them.
    """
    database, _, _ = _state(request)
    with database.read() as db:
        filters = QueueFilters(state=state or None, flag=flag or None, type=type or None,
                               station=station or None)
        return review.list_queue(db, principal.actor, limit, offset, filters)


@router.post("/documents/{document_id}/claim", response_model=DocumentView, responses=_CHANGE,
             summary="Claim a document for review (409 when another reviewer holds it)")
def claim(request: Request, document_id: str,
          principal: Annotated[Principal, Depends(reviewer)]) -> DocumentView:
    """Claim for SHOTCHECK_CLAIM_MINUTES; claiming again renews your own claim."""
    database, settings, _ = _state(request)
    with database.session() as db:
        review.claim_document(db, document_id, principal.actor, settings)
        return get_document(db, document_id, principal.actor)


@router.delete("/documents/{document_id}/claim", response_model=DocumentView,
               responses=_CHANGE, summary="Release a claim (a supervisor may release any)")
def release(request: Request, document_id: str,
            principal: Annotated[Principal, Depends(reviewer)]) -> DocumentView:
    """Give the document back to the queue."""
    database, _, _ = _state(request)
    with database.session() as db:
        review.release_document(db, document_id, principal.actor)
        return get_document(db, document_id, principal.actor)


@router.post("/documents/{document_id}/corrections", response_model=DocumentView,
             responses=_CHANGE, summary="Correct the child and doses: a new version, re-checked")
def correct(request: Request, document_id: str, body: CorrectionRequest,
            principal: Annotated[Principal, Depends(reviewer)]) -> DocumentView:
    """Apply corrections to the current version (409 if `expected_version` is stale)."""
    database, settings, pipeline = _state(request)
    with database.session() as db:
        review.correct_document(db, document_id, principal.actor, body, pipeline, settings)
        return get_document(db, document_id, principal.actor)


@router.post("/documents/{document_id}/approve", response_model=DocumentView,
             responses=_CHANGE, summary="Approve the current record: accepted")
def approve(request: Request, document_id: str, body: DecisionRequest,
            principal: Annotated[Principal, Depends(reviewer)]) -> DocumentView:
    """Accept the document; the check runs once more on the approved record."""
    database, settings, pipeline = _state(request)
    with database.session() as db:
        review.approve_document(db, document_id, principal.actor, pipeline, settings,
                                body.expected_version, body.note)
        return get_document(db, document_id, principal.actor)


@router.post("/documents/{document_id}/reject", response_model=DocumentView,
             responses=_CHANGE, summary="Reject the document with a reason")
def reject(request: Request, document_id: str, body: RejectRequest,
           principal: Annotated[Principal, Depends(reviewer)]) -> DocumentView:
    """Reject a document under review or one that failed."""
    database, settings, pipeline = _state(request)
    with database.session() as db:
        review.reject_document(db, document_id, principal.actor, body.reason, settings,
                               body.expected_version, pipeline)
        return get_document(db, document_id, principal.actor)


@router.post("/documents/{document_id}/reopen", response_model=DocumentView,
             responses=_CHANGE, summary="Send a decided or failed document back to review")
def reopen(request: Request, document_id: str, body: DecisionRequest,
           principal: Annotated[Principal, Depends(supervisor)]) -> DocumentView:
    """Supervisors reopen accepted, rejected or failed documents."""
    database, _, pipeline = _state(request)
    with database.session() as db:
        review.reopen_document(db, document_id, principal.actor, pipeline, body.note,
                               body.expected_version)
        return get_document(db, document_id, principal.actor)


@router.get("/documents/{document_id}/audit", response_model=list[AuditEntry],
            responses=errors(401, 403, 404), summary="Who saw and changed the document")
def read_audit(request: Request, document_id: str,
               principal: Annotated[Principal, Depends(reviewer)]) -> list[AuditEntry]:
    """The document's audit events, oldest first (any reviewer: the review page shows them)."""
    database, _, _ = _state(request)
    with database.read() as db:
        return document_audit(db, document_id, principal.actor)


@router.get("/jobs", response_model=JobList, responses=errors(401, 403, 422),
            summary="Queue jobs in a state (dead ones by default)")
def read_jobs(request: Request, principal: Annotated[Principal, Depends(supervisor)],
              state: JobState = JobState.DEAD,
              limit: Annotated[int, Query(ge=1, le=500)] = 100) -> JobList:
    """Jobs in `state`, newest first; a dead job shows its last error."""
    database, _, _ = _state(request)
    with database.read() as db:
        return JobList(jobs=[job_info(job)
                             for job in review.list_jobs(db, principal.actor, state, limit)])


@router.post("/jobs/{job_id}/retry", response_model=JobInfo, responses=_CHANGE,
             summary="Queue a dead job's document again")
def retry(request: Request, job_id: int,
          principal: Annotated[Principal, Depends(supervisor)]) -> JobInfo:
    """A fresh job for the document; the dead one stays as it was."""
    database, _, _ = _state(request)
    with database.session() as db:
        return job_info(review.retry_job(db, job_id, principal.actor))
