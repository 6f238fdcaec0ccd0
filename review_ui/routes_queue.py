"""Pages: sign in, sign out, the queue, claim the next document, claim and release."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from intake import review
from intake.accounts import end_session, start_session, station_names
from intake.audit import record_event
from intake.auth import COOKIE
from intake.errors import NotAuthenticated
from intake.schemas import QueueFilters
from review_ui.flow import claim_next, done_notice
from review_ui.queue_view import load_items, queue_page
from review_ui.web import (
    PREFIX,
    PageError,
    form_viewer,
    page_errors,
    render,
    see_other,
    services,
    viewer,
)

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, include_in_schema=False)
# Sign-in has no session yet, so its form is tied to a cookie instead (double submit): another
# site cannot sign a reviewer's browser into an account of its choosing.
_LOGIN_COOKIE = "shotcheck_login_csrf"


def _local(target: str | None) -> str:
    # Only paths of these pages: never an absolute or scheme-relative URL (an open redirect).
    if target and target.startswith(PREFIX + "/") and not target.startswith("//"):
        return target
    return PREFIX + "/"


def _login_form(request: Request, error: str = "", name: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {
        "viewer": None, "error": error, "name": name, "login_token": token,
        "next": _local(request.query_params.get("next")),
    }, status=status)
    _, settings, _ = services(request)
    response.set_cookie(_LOGIN_COOKIE, token, httponly=True, samesite="strict",
                        secure=settings.cookie_secure, path=PREFIX)
    return response


@router.get("/login")
def login_page(request: Request) -> Response:
    """The sign-in form."""
    return _login_form(request)


@router.post("/login")
async def login(request: Request) -> Response:
    """Sign in with intake's session: the same cookie the API's login sets."""
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    cookie = request.cookies.get(_LOGIN_COOKIE)
    if not cookie or not secrets.compare_digest(cookie, str(form.get("login_token", ""))):
        return _login_form(request, "The sign-in form expired; please try again.", name, 403)
    database, settings, _ = services(request)

    def work() -> str:
        # argon2 and the database block: off the event loop.
        with database.session() as db:
            token, _csrf, account = start_session(db, name, password)
            record_event(db, f"{account.role}:{account.name}", "logged_in")
        return token

    try:
        token = await run_in_threadpool(work)
    except NotAuthenticated:
        return _login_form(request, "Unknown user name or wrong password.", name, 401)
    response = see_other(_local(str(form.get("next", ""))))
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict",
                        secure=settings.cookie_secure, path="/",
                        max_age=int(settings.session_absolute_hours * 3600))
    response.delete_cookie(_LOGIN_COOKIE, path=PREFIX)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Sign out everywhere: the session row is deleted."""
    form = await request.form()
    database, _, _ = services(request)
    with database.session() as db:
        who = form_viewer(request, db, form)
        end_session(db, request.cookies.get(COOKIE, ""))
        record_event(db, who.actor.label, "logged_out")
    response = see_other(PREFIX + "/login")
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/")
def queue(request: Request, flag: Annotated[str, Query(max_length=40)] = "",
          type: Annotated[str, Query(max_length=20)] = "",
          station: Annotated[str, Query(max_length=100)] = "",
          state: Annotated[str, Query(max_length=20)] = "needs_review",
          done: Annotated[str, Query(max_length=20)] = "",
          prev: Annotated[str, Query(max_length=36)] = "") -> Response:
    """The queue: oldest verification due date first, filtered by flag, type, station, state."""
    database, _, _ = services(request)
    filters = QueueFilters(flag=flag or None, type=type or None, station=station or None,
                           state=state or None)
    with database.session() as db:
        who = viewer(request, db)
        stations = station_names(db)
        items, total = load_items(db, who.actor, filters)
        page = queue_page(items, filters, who.actor, dt.date.today(), stations, total)
        notice = done_notice(db, done, prev) if done and prev else ""
    if done == "clear":
        notice = "Nothing left to review: the queue is clear."
    return render(request, "queue.html", {"viewer": who, "page": page, "notice": notice})


def _form_action(request: Request, form: Any, document_id: str | None, action: str) -> Response:
    database, settings, _ = services(request)
    with page_errors(), database.session() as db:
        who = form_viewer(request, db, form)
        if action == "next":
            target = claim_next(db, who.actor, settings)
        elif action == "claim" and document_id:
            review.claim_document(db, document_id, who.actor, settings)
            target = document_id
        elif action == "release" and document_id:
            review.release_document(db, document_id, who.actor)
            target = None
        else:  # pragma: no cover - the routes below pass only these
            raise PageError(404, "Not found", "No such action.")
    if target is None:
        suffix = f"?done=released&prev={document_id}" if action == "release" else "?done=clear"
        return see_other(f"{PREFIX}/{suffix}")
    return see_other(f"{PREFIX}/documents/{target}")


@router.post("/next")
async def next_document(request: Request) -> Response:
    """Claim the first waiting document nobody holds and open it."""
    return await run_in_threadpool(_form_action, request, await request.form(), None, "next")


@router.post("/documents/{document_id}/claim")
async def claim(request: Request, document_id: str) -> Response:
    """Claim a document and open it (refused while another reviewer holds it)."""
    form = await request.form()
    return await run_in_threadpool(_form_action, request, form, document_id, "claim")


@router.post("/documents/{document_id}/release")
async def release(request: Request, document_id: str) -> Response:
    """Give a claim up; a supervisor may release anyone's."""
    form = await request.form()
    return await run_in_threadpool(_form_action, request, form, document_id, "release")
