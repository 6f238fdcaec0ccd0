"""Routes for stations and readers of documents: upload, document, page image, child."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Form, Query, Request, Response, UploadFile

from intake.auth import Principal, any_principal, station, user
from intake.batching import UploadWriter
from intake.cases import require_case, save_case
from intake.children import get_child
from intake.db import Database
from intake.documents import IncomingFile, UploadForm, get_document, get_page, validate_uploads
from intake.openapi import errors
from intake.pipeline import Pipeline
from intake.schemas import CaseView, ChildView, DocumentView, UploadResponse
from intake.settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["documents"])


def _read(upload: UploadFile, limit: int) -> IncomingFile:
    # One byte over the limit is enough to know it is too large; never read the rest.
    return IncomingFile(upload.filename or "unnamed", upload.file.read(limit + 1))


@router.post(
    "/documents", status_code=202, response_model=UploadResponse,
    responses=errors(401, 403, 413, 415, 422),
    summary="Upload scans (station key); stored before the answer, idempotent by sha256",
)
def upload_documents(
    request: Request,
    principal: Annotated[Principal, Depends(station)],
    file: Annotated[list[UploadFile], File(description="PNG, JPEG, TIFF or PDF; repeatable")],
    case_number: Annotated[str | None, Form(max_length=64)] = None,
    child_hint: Annotated[str | None, Form(max_length=200)] = None,
    due_date: Annotated[dt.date | None, Form(description="verification due date")] = None,
) -> UploadResponse:
    """Store the files and queue them for reading; answers 202 with one id per file."""
    settings: Settings = request.app.state.settings
    writer: UploadWriter = request.app.state.upload_writer
    files = [_read(upload, settings.max_file_bytes) for upload in file]
    form = UploadForm(case_number=case_number or None, child_hint=child_hint or None,
                      due_date=due_date)
    stored = writer.store(principal.actor, validate_uploads(files, settings), form)
    return UploadResponse(documents=stored)


@router.get("/documents/{document_id}", response_model=DocumentView,
            responses=errors(401, 403, 404),
            summary="A document's state, extraction, check and history")
def read_document(
    request: Request, document_id: str,
    principal: Annotated[Principal, Depends(any_principal)],
) -> DocumentView:
    """Stations see their own uploads' state only; reviewers see everything (audited)."""
    database: Database = request.app.state.database
    with database.session() as db:
        return get_document(db, document_id, principal.actor)


@router.get("/documents/{document_id}/pages/{number}", response_class=Response,
            responses={200: {"content": {"image/png": {}}, "description": "the page as PNG"},
                       **errors(401, 403, 404, 422)},
            summary="A page image (PNG) of the cleaned document")
def read_page(
    request: Request, document_id: str, number: int,
    principal: Annotated[Principal, Depends(user)],
) -> Response:
    """Page `number`, counted from 1, as the reviewer sees it; boxes refer to its pixels."""
    database: Database = request.app.state.database
    with database.session() as db:
        png = get_page(db, document_id, number, principal.actor)
    return Response(png, media_type="image/png")


@router.get("/children/{child_id}", response_model=ChildView,
            responses=errors(401, 403, 404, 422),
            summary="A child across documents: merged doses with their sources, the check on a "
                    "date, the case data on file")
def read_child(
    request: Request, child_id: int,
    principal: Annotated[Principal, Depends(user)],
    on: Annotated[dt.date | None, Query(description="the verdict's date; today if omitted")]
    = None,
) -> ChildView:
    """The union of the child's documents (rejected ones left out), checked on `on`."""
    database: Database = request.app.state.database
    pipeline: Pipeline = request.app.state.pipeline
    settings: Settings = request.app.state.settings
    with database.session() as db:
        return get_child(db, child_id, principal.actor, pipeline.check, on, settings.rules)


@router.get("/cases/{case_number}", response_model=CaseView, responses=errors(401, 403, 404),
            summary="A case's data on file and its timeline (due date, penalty months)")
def read_case(request: Request, case_number: str,
              principal: Annotated[Principal, Depends(user)]) -> CaseView:
    """The stored case data and what the case rules give for it."""
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings
    with database.read() as db:
        return require_case(db, case_number, principal.actor, settings.rules)


@router.put("/cases/{case_number}", response_model=CaseView,
            responses=errors(401, 403, 422),
            summary="Store a case's data (the `shotcheck case` JSON) for its timeline")
def write_case(request: Request, case_number: str,
               body: Annotated[dict[str, Any], Body(description="the case, as for "
                                                               "`shotcheck case`")],
               principal: Annotated[Principal, Depends(user)]) -> CaseView:
    """Validate and store the case data, replacing what was on file (audited)."""
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings
    with database.session() as db:
        return save_case(db, case_number, body, principal.actor, settings.rules)
