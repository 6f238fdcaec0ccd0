"""Routes for stations and readers of documents: upload, document, page image, child."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from intake.auth import Principal, any_principal, station, user
from intake.batching import UploadWriter
from intake.children import get_child
from intake.db import Database
from intake.documents import IncomingFile, UploadForm, get_document, get_page, validate_uploads
from intake.openapi import errors
from intake.pipeline import Pipeline
from intake.schemas import ChildView, DocumentView, UploadResponse
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


@router.get("/children/{child_id}", response_model=ChildView, responses=errors(401, 403, 404),
            summary="A child across documents: merged doses and their check")
def read_child(
    request: Request, child_id: int,
    principal: Annotated[Principal, Depends(user)],
) -> ChildView:
    """The union of the child's documents (rejected ones left out), checked today."""
    database: Database = request.app.state.database
    pipeline: Pipeline = request.app.state.pipeline
    with database.session() as db:
        return get_child(db, child_id, principal.actor.label, pipeline.check)
