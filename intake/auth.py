"""Request authentication for the routes: station keys, reviewer sessions, roles and CSRF."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from intake.accounts import (
    Actor,
    SessionInfo,
    authenticate_station,
    csrf_matches,
    has_role,
    peek_session,
    resume_session,
)
from intake.db import Database
from intake.errors import CsrfFailed, Forbidden, NotAuthenticated
from intake.models import Role
from intake.settings import Settings

__all__ = [
    "COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "Principal",
    "admin",
    "any_principal",
    "check_form_csrf",
    "csrf_form_field",
    "reviewer",
    "station",
    "supervisor",
    "user",
]

COOKIE = "shotcheck_session"
CSRF_HEADER = "X-CSRF-Token"
# Server-rendered forms cannot send a header: they carry the session's token in this field.
CSRF_FIELD = "csrf_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller; `session` and `token` are set for a logged-in user."""

    actor: Actor
    session: SessionInfo | None = None
    token: str | None = None


def _credentials(request: Request) -> tuple[str | None, bool]:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if header and scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    if header:
        raise NotAuthenticated("the Authorization header must be 'Bearer <key or token>'")
    cookie = request.cookies.get(COOKIE)
    return (cookie, True) if cookie else (None, False)


def any_principal(request: Request) -> Principal:
    """Authenticate a station key (``sk_…``) or a session token or cookie (``ss_…``).

    Raises:
        NotAuthenticated: nothing sent, or nothing the service knows.
        CsrfFailed: a change authenticated by the session cookie without the X-CSRF-Token header.
    """
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings
    secret, via_cookie = _credentials(request)
    if secret is None:
        raise NotAuthenticated("authentication required: a station key or a reviewer session")
    info: SessionInfo | None = None
    with database.read() as db:
        if secret.startswith("sk_") and not via_cookie:
            actor = authenticate_station(db, secret)
            if actor is None:
                raise NotAuthenticated("unknown or disabled station key")
            return Principal(actor)
        needs_write = False
        if secret.startswith("ss_"):
            info, needs_write = peek_session(db, secret, settings)
    if needs_write:
        with database.session() as db:
            info = resume_session(db, secret, settings)
    if info is None:
        raise NotAuthenticated("unknown or expired session: log in again")
    if via_cookie and request.method not in _SAFE_METHODS and not csrf_matches(
            info.csrf_token, request.headers.get(CSRF_HEADER)):
        raise CsrfFailed(f"a change made with the session cookie needs the {CSRF_HEADER} header")
    return Principal(info.actor, info, secret)


def station(request: Request) -> Principal:
    """A scanning station; users are refused."""
    principal = any_principal(request)
    if principal.actor.kind != "station":
        raise Forbidden("this route is for scanning stations (a station key)")
    return principal


def _user_with(request: Request, role: Role) -> Principal:
    principal = any_principal(request)
    if principal.actor.kind != "user":
        raise Forbidden("this route is for reviewers; station keys are refused")
    if not has_role(principal.actor, role):
        raise Forbidden(f"this route needs the {role} role")
    return principal


def user(request: Request) -> Principal:
    """Any logged-in user (reviewer, supervisor, admin)."""
    return _user_with(request, Role.REVIEWER)


reviewer = user


def supervisor(request: Request) -> Principal:
    """A supervisor or admin."""
    return _user_with(request, Role.SUPERVISOR)


def admin(request: Request) -> Principal:
    """An admin."""
    return _user_with(request, Role.ADMIN)


def csrf_form_field(csrf_token: str) -> str:
    """The hidden input a server-rendered form carries its session's CSRF token in (HTML)."""
    return (f'<input type="hidden" name="{CSRF_FIELD}" '
            f'value="{html.escape(csrf_token, quote=True)}">')


def check_form_csrf(session: SessionInfo, form: Mapping[str, Any]) -> None:
    """Refuse a posted form whose CSRF field is not the session's token.

    Raises:
        CsrfFailed: the field is missing or holds another token (an old session's, a forgery).
    """
    given = form.get(CSRF_FIELD)
    if not csrf_matches(session.csrf_token, given if isinstance(given, str) else None):
        raise CsrfFailed(f"the form has no valid {CSRF_FIELD} field: reload the page and "
                         "try again")
