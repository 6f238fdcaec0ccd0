"""Reviewer login and logout: a server-side session, an HttpOnly cookie and a CSRF token."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from intake.accounts import end_session, start_session
from intake.audit import record_event
from intake.auth import COOKIE, Principal, user
from intake.db import Database
from intake.errors import BadUpload
from intake.models import utcnow
from intake.openapi import errors
from intake.schemas import LoginRequest, SessionView
from intake.settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["session"])

_LOGIN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": LoginRequest.model_json_schema()},
            "application/x-www-form-urlencoded": {"schema": LoginRequest.model_json_schema()},
        },
    }
}


async def _login_request(request: Request) -> LoginRequest:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if content_type == "application/json":
            raw: Any = json.loads(await request.body() or b"null")
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            raw = dict((await request.form()).items())
        else:
            raise BadUpload("send the login as JSON or as a form (name, password)")
        return LoginRequest.model_validate(raw)
    except (ValueError, ValidationError) as exc:
        raise BadUpload(f"the login needs 'name' and 'password': {exc}") from exc


@router.post("/session", response_model=SessionView, responses=errors(401, 422),
             openapi_extra=_LOGIN_BODY, summary="Log in (JSON or form); sets the session cookie")
async def login(request: Request, response: Response) -> SessionView:
    """Start a session: the cookie for pages, `token` as a bearer token for API clients."""
    body = await _login_request(request)
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings

    def work() -> SessionView:
        # argon2 and the database block: off the event loop.
        with database.session() as db:
            token, csrf, account = start_session(db, body.name, body.password)
            record_event(db, f"{account.role}:{account.name}", "logged_in")
        expires = utcnow() + dt.timedelta(minutes=settings.session_idle_minutes)
        return SessionView(user=account.name, role=account.role, csrf_token=csrf,
                           expires_at=expires, token=token)

    view = await run_in_threadpool(work)
    assert view.token is not None
    response.set_cookie(COOKIE, view.token, httponly=True, samesite="strict",
                        secure=settings.cookie_secure, path="/",
                        max_age=int(settings.session_absolute_hours * 3600))
    return view


@router.get("/session", response_model=SessionView, responses=errors(401, 403),
            summary="The logged-in user and the CSRF token")
def read_session(principal: Annotated[Principal, Depends(user)]) -> SessionView:
    """Who is logged in; the UI reads the CSRF token from here."""
    assert principal.session is not None
    info = principal.session
    return SessionView(user=info.actor.name, role=info.actor.role or "", csrf_token=info.csrf_token,
                       expires_at=info.expires_at)


@router.delete("/session", status_code=204, response_class=Response,
               responses=errors(401, 403), summary="Log out")
def logout(request: Request, principal: Annotated[Principal, Depends(user)]) -> Response:
    """End the session everywhere and clear the cookie."""
    database: Database = request.app.state.database
    assert principal.token is not None
    with database.session() as db:
        end_session(db, principal.token)
        record_event(db, principal.actor.label, "logged_out")
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response
