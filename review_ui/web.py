"""What every page shares: the templates, who is signed in, CSRF on forms, errors as pages.

The pages reuse intake's server-side sessions: the cookie intake's login sets, and the session's
CSRF token, which a form carries in a hidden field (a form cannot send intake's header).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy.orm import Session

from engine.errors import ShotcheckError
from intake.accounts import Actor, SessionInfo, authenticate_station, resume_session
from intake.auth import COOKIE, check_form_csrf, csrf_form_field
from intake.db import Database
from intake.errors import CsrfFailed
from intake.pipeline import Pipeline
from intake.settings import Settings

__all__ = [
    "PREFIX",
    "PageError",
    "Viewer",
    "form_viewer",
    "page_errors",
    "render",
    "see_other",
    "services",
    "templates",
    "viewer",
]

PREFIX = "/review"
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# No inline script or style anywhere, so the policy can forbid both: injected markup cannot run.
_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class PageError(Exception):
    """A page that cannot be shown; rendered as an error page with the status (401: sign in)."""

    def __init__(self, status: int, title: str, message: str, back: str = PREFIX + "/") -> None:
        super().__init__(message)
        self.status, self.title, self.message, self.back = status, title, message, back


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a page and the session's CSRF token for its forms."""

    actor: Actor
    csrf_token: str
    session: SessionInfo


def csrf_field(who: Viewer | None) -> Markup:
    """The hidden input carrying the CSRF token of a page form, made by intake.auth."""
    return Markup(csrf_form_field(who.csrf_token)) if who is not None else Markup("")


templates.env.globals["csrf_field"] = csrf_field


def services(request: Request) -> tuple[Database, Settings, Pipeline]:
    """The app's database, settings and pipeline (set by intake's factory)."""
    state = request.app.state
    return state.database, state.settings, state.pipeline


def viewer(request: Request, db: Session) -> Viewer:
    """The signed-in reviewer, from intake's session cookie.

    Raises:
        PageError: 403 for a station key or any Authorization header (the pages are for people
            in a browser), 401 without a live session (the handler sends them to sign in).
    """
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        is_station = secret.startswith("sk_") and authenticate_station(db, secret.strip())
        what = "A station key" if is_station or secret.startswith("sk_") else "An API token"
        raise PageError(403, "Not for stations or API clients",
                        f"{what} cannot open the reviewer pages. Reviewers sign in with their "
                        "own account in a browser.")
    token = request.cookies.get(COOKIE)
    _, settings, _ = services(request)
    info = resume_session(db, token, settings) if token and token.startswith("ss_") else None
    if info is None:
        raise PageError(401, "Sign in", "Your session ended or you have not signed in.")
    if info.actor.kind != "user":  # pragma: no cover - sessions belong to users only
        raise PageError(403, "Not allowed", "Only reviewers may open these pages.")
    return Viewer(info.actor, info.csrf_token, info)


def form_viewer(request: Request, db: Session, form: Mapping[str, Any]) -> Viewer:
    """The signed-in reviewer of a posted form, whose `csrf_token` must be the session's.

    Raises:
        PageError: as `viewer`, and 403 when the form's CSRF token is missing or wrong.
    """
    who = viewer(request, db)
    try:
        check_form_csrf(who.session, form)
    except CsrfFailed as exc:
        raise PageError(403, "Form expired",
                        "This form is missing its security token (or it is from an old "
                        "session). Go back, reload the page and try again.") from exc
    return who


@contextmanager
def page_errors(back: str = PREFIX + "/") -> Iterator[None]:
    """Turn the service's errors into error pages (intake's handler would answer JSON)."""
    try:
        yield
    except ShotcheckError as exc:
        titles = {401: "Sign in", 403: "Not allowed", 404: "Not found", 409: "Cannot do that now"}
        raise PageError(exc.http_status, titles.get(exc.http_status, "Cannot do that"),
                        str(exc), back) from exc


def render(request: Request, template: str, context: dict[str, Any],
           status: int = 200) -> HTMLResponse:
    """A page from a template, with the security headers every page carries."""
    context.setdefault("prefix", PREFIX)
    context.setdefault("today", dt.date.today().isoformat())
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def see_other(url: str) -> Response:
    """Redirect after a POST (303, so a reload does not post again)."""
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, exc: PageError) -> Response:
    """The error page; a 401 sends a browser to sign in and come back."""
    if exc.status == 401 and "authorization" not in request.headers:
        target = request.url.path if request.method == "GET" else PREFIX + "/"
        return see_other(f"{PREFIX}/login?next={quote(target)}")
    return render(request, "error.html", {"error": exc, "viewer": None}, status=exc.status)
