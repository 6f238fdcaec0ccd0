"""Pages: a document beside its fields; save, approve and next, reject, skip, reopen."""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from engine.errors import ShotcheckError
from extract.settings import ExtractSettings
from intake import review
from intake.audit import document_audit
from intake.documents import current_version, get_document, load_document
from review_ui.document_view import review_page
from review_ui.flow import claim_next, done_notice
from review_ui.forms import read_form
from review_ui.vocabulary import vaccine_names
from review_ui.web import (
    PREFIX,
    Viewer,
    form_viewer,
    page_errors,
    render,
    see_other,
    services,
    viewer,
)

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, include_in_schema=False)
_REASONS = (
    "Not an immunization record",
    "Unreadable scan: please rescan",
    "Pages missing: please rescan every page",
    "Another child's record",
    "Duplicate of a document already on file",
)


@functools.cache
def _threshold() -> float:
    # The extractor's review threshold: a field under it is what sent the document here.
    return ExtractSettings().review_threshold


def _render_page(request: Request, db: Any, who: Viewer, document_id: str,
                 errors: list[str] | None = None, notice: str = "",
                 form: Any = None, errors_title: str = "Not saved",
                 status: int = 422) -> Response:
    view = get_document(db, document_id, who.actor)
    audit = document_audit(db, document_id, who.actor)
    typed = {k: str(v) for k, v in form.items()} if form is not None else None
    page = review_page(view, who.actor, threshold=_threshold(), prefix="/api/v1", audit=audit,
                       errors=errors, form=typed)
    return render(request, "review.html", {
        "viewer": who, "page": page, "notice": notice, "vaccines": vaccine_names(),
        "reasons": _REASONS, "errors_title": errors_title,
    }, status=status if errors else 200)


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: str,
                  done: Annotated[str, Query(max_length=20)] = "",
                  prev: Annotated[str, Query(max_length=36)] = "") -> Response:
    """The review page: the scan with its boxes beside the fields, doses and verdict."""
    database, _, _ = services(request)
    with page_errors(), database.session() as db:
        who = viewer(request, db)
        notice = done_notice(db, done, prev) if done and prev else ""
        return _render_page(request, db, who, document_id, notice=notice)


def _after(document_id: str, action: str, target: str | None) -> Response:
    query = f"?done={action}&prev={document_id}"
    if target is None:
        return see_other(f"{PREFIX}/{query}")
    return see_other(f"{PREFIX}/documents/{target}{query}")


def _act(request: Request, form: Any, document_id: str, action: str) -> Response:
    database, settings, pipeline = services(request)
    here = f"{PREFIX}/documents/{document_id}"
    with page_errors(back=here), database.session() as db:
        who = form_viewer(request, db, form)
        actor = who.actor
        if action in ("save", "approve"):
            document = load_document(db, document_id, actor)
            version = current_version(db, document)
            submitted = read_form(form, version.record if version else None)
            if submitted.errors:
                return _render_page(request, db, who, document_id, errors=submitted.errors,
                                    form=form)
            expected = submitted.expected_version
            if submitted.correction is not None:
                expected = review.correct_document(db, document_id, actor, submitted.correction,
                                                   pipeline, settings)
            if action == "save":
                return see_other(f"{here}?done=saved&prev={document_id}#verdict")
            try:
                # A savepoint: when approval is refused (the check cannot run on the record),
                # the reviewer's corrections are still saved and the page says why.
                with db.begin_nested():
                    review.approve_document(db, document_id, actor, pipeline, settings,
                                            expected, note=_checked_note(form))
            except ShotcheckError as exc:
                return _render_page(request, db, who, document_id, errors=[str(exc)],
                                    errors_title="Saved, not approved", status=409)
            return _after(document_id, "approved",
                          claim_next(db, actor, settings, after=document_id))
        if action == "reject":
            reason = str(form.get("reason", "")).strip() or str(form.get("reason_choice", ""))
            if not reason:
                return _render_page(request, db, who, document_id,
                                    errors=["Say why the document is rejected."])
            review.reject_document(db, document_id, actor, reason[:500], settings,
                                   _version(form))
            return _after(document_id, "rejected",
                          claim_next(db, actor, settings, after=document_id))
        if action == "skip":
            review.release_document(db, document_id, actor)
            return _after(document_id, "skipped",
                          claim_next(db, actor, settings, after=document_id))
        review.reopen_document(db, document_id, actor, pipeline,
                               str(form.get("note", "")).strip()[:500] or None, _version(form))
        return see_other(f"{here}?done=reopened&prev={document_id}")


def _checked_note(form: Any) -> str | None:
    """The approval's note, e.g. "3 of 3 fields to check were checked"; None without it."""
    match = re.fullmatch(r"(\d{1,3}) of (\d{1,3})", str(form.get("checked", "")))
    if match is None or match[2] == "0":
        return None
    return f"{match[1]} of {match[2]} fields to check were checked"


def _version(form: Any) -> int | None:
    try:
        return int(form.get("expected_version", ""))
    except ValueError:
        return None


def _route(action: str) -> Any:
    async def handle(request: Request, document_id: str) -> Response:
        form = await request.form()
        return await run_in_threadpool(_act, request, form, document_id, action)

    handle.__doc__ = f"{action.capitalize()} the document (a form with the CSRF token)."
    handle.__name__ = f"{action}_document"
    return handle


for _action in ("save", "approve", "reject", "skip", "reopen"):
    router.add_api_route(f"/documents/{{document_id}}/{_action}", _route(_action),
                         methods=["POST"], name=f"{_action}_document")
