"""Stations, users and reviewer sessions: keys hashed, passwords argon2, sessions server-side."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.errors import BadInput
from intake.errors import Conflict, NotAuthenticated, NotFound
from intake.models import Role, Station, User, UserSession, utcnow
from intake.settings import Settings

__all__ = [
    "Actor",
    "SessionInfo",
    "authenticate_station",
    "create_station",
    "create_user",
    "csrf_matches",
    "end_session",
    "has_role",
    "peek_session",
    "resume_session",
    "rotate_station_key",
    "start_session",
]

_HASHER = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("shotcheck-no-such-user")
_ROLE_RANK = {Role.REVIEWER: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3}
# Writing last_seen on every request would make every read a write; a minute is fine-grained
# enough for a 30-minute idle timeout.
_TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class Actor:
    """Who is making a request: a station (no role) or a user with a role."""

    kind: str  # station | user
    id: int
    name: str
    role: str | None = None

    @property
    def label(self) -> str:
        """How the audit log names the actor, e.g. ``reviewer:ana``."""
        return f"{self.role or self.kind}:{self.name}"


@dataclass(frozen=True)
class SessionInfo:
    """A live session: its user, its CSRF token and when it ends."""

    actor: Actor
    csrf_token: str
    expires_at: dt.datetime


def has_role(actor: Actor, minimum: Role) -> bool:
    """Whether a user's role is at least `minimum` (admin ⊇ supervisor ⊇ reviewer)."""
    if actor.kind != "user" or actor.role is None:
        return False
    return _ROLE_RANK.get(Role(actor.role), 0) >= _ROLE_RANK[minimum]


def _digest(secret: str) -> str:
    # Keys and session tokens are 256-bit random: a fast hash is enough (argon2 is for the
    # guessable secrets people choose) and keeps an upload's authentication under a millisecond.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_station(db: Session, name: str) -> str:
    """Register a station and return its key, which is shown once and stored only hashed."""
    name = name.strip()
    if not name or len(name) > 100:
        raise BadInput("a station name must be 1 to 100 characters")
    if db.scalars(select(Station).where(Station.name == name)).first():
        raise Conflict(f"a station named {name!r} exists already")
    key = "sk_" + secrets.token_urlsafe(32)
    db.add(Station(name=name, key_hash=_digest(key)))
    return key


def station_names(db: Session) -> list[str]:
    """The names of every scanning station, alphabetically (for the reviewers' filters)."""
    return list(db.scalars(select(Station.name).order_by(Station.name)))


def rotate_station_key(db: Session, name: str) -> str:
    """Give a station a new key (the old one stops working at once) and return it."""
    station = db.scalars(select(Station).where(Station.name == name)).first()
    if station is None:
        raise NotFound(f"no station named {name!r}")
    key = "sk_" + secrets.token_urlsafe(32)
    station.key_hash = _digest(key)
    return key


def authenticate_station(db: Session, key: str) -> Actor | None:
    """The station a key belongs to, or None."""
    station = db.scalars(select(Station).where(Station.key_hash == _digest(key))).first()
    if station is None or station.disabled:
        return None
    return Actor("station", station.id, station.name)


def create_user(db: Session, name: str, role: str, password: str) -> User:
    """Add a reviewer, supervisor or admin with an argon2 password hash."""
    name = name.strip()
    if not name or len(name) > 100:
        raise BadInput("a user name must be 1 to 100 characters")
    if role not in {r.value for r in Role}:
        raise BadInput(f"role must be one of {', '.join(r.value for r in Role)}, not {role!r}")
    if len(password) < 8:
        raise BadInput("a password needs at least 8 characters")
    if db.scalars(select(User).where(User.name == name)).first():
        raise Conflict(f"a user named {name!r} exists already")
    user = User(name=name, role=role, password_hash=_HASHER.hash(password))
    db.add(user)
    return user


def start_session(db: Session, name: str, password: str) -> tuple[str, str, User]:
    """Log a user in: returns (session token, CSRF token, user).

    Raises:
        NotAuthenticated: an unknown name or a wrong password (the same message for both).
    """
    user = db.scalars(select(User).where(User.name == name)).first()
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or user.disabled:
        raise NotAuthenticated("unknown user name or wrong password")
    token = "ss_" + secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    db.add(UserSession(id=_digest(token), user_id=user.id, csrf_token=csrf))
    return token, csrf, user


def peek_session(db: Session, token: str, settings: Settings) -> tuple[SessionInfo | None, bool]:
    """Like `resume_session` without writing; the flag says a write is due (touch or expiry).

    Most requests then need no write transaction at all.
    """
    session = db.get(UserSession, _digest(token))
    if session is None:
        return None, False
    now = utcnow()
    if now - session.last_seen_at >= _TOUCH_EVERY:
        return None, True
    user = db.get(User, session.user_id)
    absolute_end = session.created_at + dt.timedelta(hours=settings.session_absolute_hours)
    idle_end = session.last_seen_at + dt.timedelta(minutes=settings.session_idle_minutes)
    if now >= idle_end or now >= absolute_end or user is None or user.disabled:
        return None, True
    expires = min(now + dt.timedelta(minutes=settings.session_idle_minutes), absolute_end)
    return SessionInfo(Actor("user", user.id, user.name, user.role), session.csrf_token,
                       expires), False


def resume_session(db: Session, token: str, settings: Settings) -> SessionInfo | None:
    """The live session a token names, or None when unknown, idle too long or too old."""
    session = db.get(UserSession, _digest(token))
    if session is None:
        return None
    now = utcnow()
    idle_end = session.last_seen_at + dt.timedelta(minutes=settings.session_idle_minutes)
    absolute_end = session.created_at + dt.timedelta(hours=settings.session_absolute_hours)
    user = db.get(User, session.user_id)
    if now >= idle_end or now >= absolute_end or user is None or user.disabled:
        db.delete(session)
        return None
    if now - session.last_seen_at >= _TOUCH_EVERY:
        session.last_seen_at = now
    expires = min(now + dt.timedelta(minutes=settings.session_idle_minutes), absolute_end)
    return SessionInfo(Actor("user", user.id, user.name, user.role), session.csrf_token, expires)


def end_session(db: Session, token: str) -> None:
    """Log out: the session row is deleted, so the token is dead everywhere."""
    db.execute(delete(UserSession).where(UserSession.id == _digest(token)))


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of CSRF tokens."""
    return given is not None and hmac.compare_digest(expected, given)
