"""The queue page: documents waiting, oldest verification due date first, with filters.

`load_entries` reads the database (intake's list_queue has neither the type, the child, the
station nor other states yet); `queue_page` is the pure function the template renders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from intake.accounts import Actor, has_role
from intake.models import (
    Document,
    DocumentState,
    DocumentVersion,
    ProcessingResult,
    Role,
    Station,
    User,
    utcnow,
)
from review_ui.cells import age_text
from review_ui.document_view import state_label, type_label

__all__ = ["QueueEntry", "QueueFilters", "QueuePage", "QueueRow", "load_entries", "queue_page"]

# Enough for a day's queue on one screen; the filters narrow it.
_LIMIT = 200
_SOON_DAYS = 7


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to; empty strings mean any."""

    flag: str = ""
    type: str = ""
    station: str = ""
    state: str = DocumentState.NEEDS_REVIEW.value


@dataclass(frozen=True)
class QueueEntry:
    """One document as read from the database, before it is put into words."""

    id: str
    filename: str
    state: str
    due_date: dt.date | None
    created_at: dt.datetime
    station: str
    claimed_by: str | None
    claimed_until: dt.datetime | None
    document_type: str
    child_name: str
    birth_date: dt.date | None
    flags: list[str] = field(default_factory=list)
    review_reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue table."""

    id: str
    filename: str
    due_date: str
    due_tone: str
    document_type: str
    child: str
    age: str
    flags: list[str]
    unsure: int
    claimed_by: str
    claimed_until: str
    claimed_by_me: bool
    can_release: bool
    state: str
    station: str


@dataclass(frozen=True)
class QueuePage:
    """The queue page."""

    rows: list[QueueRow]
    filters: QueueFilters
    flag_options: list[str]
    type_options: list[tuple[str, str]]
    station_options: list[str]
    state_options: list[tuple[str, str]]
    is_supervisor: bool
    waiting: int


def _birth(record: dict[str, Any] | None) -> dt.date | None:
    text = ((record or {}).get("child") or {}).get("birth_date")
    try:
        return dt.date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def load_entries(db: Session, filters: QueueFilters) -> list[QueueEntry]:
    """The documents in the filtered state, due date first (none last), then oldest first."""
    version = aliased(DocumentVersion)
    query = (
        select(Document, ProcessingResult.extraction, version.record, User.name, Station.name)
        .outerjoin(ProcessingResult, ProcessingResult.id == Document.result_id)
        .outerjoin(version, and_(version.document_id == Document.id,
                                 version.number == Document.current_version))
        .outerjoin(User, User.id == Document.claimed_by)
        .outerjoin(Station, Station.id == Document.station_id)
        .order_by(Document.due_date.is_(None), Document.due_date, Document.created_at,
                  Document.id)
        .limit(_LIMIT * 5)
    )
    if filters.state:
        query = query.where(Document.state == filters.state)
    if filters.station:
        query = query.where(Station.name == filters.station)
    now = utcnow()
    entries = []
    for document, extraction, record, claimer, station in db.execute(query).all():
        extraction = extraction or {}
        claimed = document.claimed_until is not None and document.claimed_until > now
        child = (record or {}).get("child") or {}
        read_name = ((extraction.get("child") or {}).get("name") or {}).get("value")
        entries.append(QueueEntry(
            id=document.id, filename=document.filename, state=document.state,
            due_date=document.due_date, created_at=document.created_at,
            station=station or "", claimed_by=claimer if claimed else None,
            claimed_until=document.claimed_until if claimed else None,
            document_type=str(extraction.get("document_type") or "unknown"),
            child_name=str(child.get("name") or read_name or document.child_hint or ""),
            birth_date=_birth(record),
            flags=[str(f.get("code")) for f in extraction.get("flags") or []],
            review_reasons=[str(r) for r in extraction.get("review_reasons") or []],
        ))
    return entries


def _due_tone(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return "none"
    if due < today:
        return "overdue"
    return "soon" if (due - today).days <= _SOON_DAYS else "later"


def queue_page(entries: list[QueueEntry], filters: QueueFilters, actor: Actor,
               today: dt.date, stations: list[str]) -> QueuePage:
    """Build the queue page from the entries `load_entries` read.

    Args:
        entries: the documents in the filtered state (and station).
        filters: the flag and type filters are applied here, on the extraction's JSON.
        actor: the signed-in user; a supervisor may release anyone's claim.
        today: for ages and due-date colours.
        stations: every station's name, for the station filter.
    """
    supervisor = has_role(actor, Role.SUPERVISOR)
    rows = []
    for entry in entries:
        if filters.flag and filters.flag not in entry.flags:
            continue
        if filters.type and filters.type != entry.document_type:
            continue
        mine = entry.claimed_by == actor.name
        rows.append(QueueRow(
            id=entry.id, filename=entry.filename,
            due_date=entry.due_date.isoformat() if entry.due_date else "none",
            due_tone=_due_tone(entry.due_date, today),
            document_type=type_label(entry.document_type),
            child=entry.child_name or "(no name read)",
            age=age_text(entry.birth_date, today),
            flags=sorted(set(entry.flags)),
            unsure=sum(1 for r in entry.review_reasons if "confidence" in r),
            claimed_by=entry.claimed_by or "",
            claimed_until=f"{entry.claimed_until:%H:%M}" if entry.claimed_until else "",
            claimed_by_me=mine,
            can_release=entry.claimed_by is not None and (mine or supervisor),
            state=state_label(entry.state), station=entry.station,
        ))
    flag_codes = sorted({code for entry in entries for code in entry.flags})
    return QueuePage(
        rows=rows[:_LIMIT], filters=filters,
        flag_options=flag_codes,
        type_options=[(code, type_label(code))
                      for code in ("yellow_card", "csf49", "cair2_report", "unknown")],
        station_options=sorted(stations),
        state_options=[(s.value, state_label(s.value)) for s in DocumentState],
        is_supervisor=supervisor,
        waiting=len(rows),
    )
