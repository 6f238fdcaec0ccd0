"""The queue page: documents waiting, oldest verification due date first, with filters.

The documents come from intake's `list_queue` (filtered there by flag, type, station and state);
`queue_page` is the pure function the template renders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from extract.result import FlagCode
from intake import review
from intake.accounts import Actor, has_role
from intake.models import DocumentState, Role
from intake.schemas import QueueFilters, QueueItem
from review_ui.cells import age_text
from review_ui.document_view import state_label, type_label

__all__ = ["QueuePage", "QueueRow", "load_items", "queue_page"]

# Enough for a day's queue on one screen; the filters narrow it.
_LIMIT = 200
_SOON_DAYS = 7


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
    total: int


def load_items(db: Session, actor: Actor, filters: QueueFilters) -> tuple[list[QueueItem], int]:
    """The queue as intake lists it (at most one screenful) and how many match in all."""
    answer = review.list_queue(db, actor, limit=_LIMIT, filters=filters)
    return answer.items, answer.total


def _due_tone(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return "none"
    if due < today:
        return "overdue"
    return "soon" if (due - today).days <= _SOON_DAYS else "later"


def queue_page(items: list[QueueItem], filters: QueueFilters, actor: Actor,
               today: dt.date, stations: list[str], total: int | None = None) -> QueuePage:
    """Build the queue page from intake's queue items.

    Args:
        items: the documents matching the filters, in queue order.
        filters: what the queue is narrowed to (shown selected in the filter form).
        actor: the signed-in user; a supervisor may release anyone's claim.
        today: for ages and due-date colours.
        stations: every station's name, for the station filter.
        total: how many documents match in all (more than `items` on a long day).
    """
    supervisor = has_role(actor, Role.SUPERVISOR)
    rows = []
    for item in items:
        mine = item.claimed_by == actor.name
        rows.append(QueueRow(
            id=item.id, filename=item.filename,
            due_date=item.due_date.isoformat() if item.due_date else "none",
            due_tone=_due_tone(item.due_date, today),
            document_type=type_label(item.document_type) if item.document_type else "Not read yet",
            child=item.child_name or "(no name read)",
            age=age_text(item.birth_date, today),
            flags=sorted(set(item.flags)),
            unsure=sum(1 for r in item.review_reasons if "confidence" in r),
            claimed_by=item.claimed_by or "",
            claimed_until=f"{item.claimed_until:%H:%M}" if item.claimed_until else "",
            claimed_by_me=mine,
            can_release=item.claimed_by is not None and (mine or supervisor),
            state=state_label(item.state), station=item.station or "",
        ))
    flag_codes = sorted({code.value for code in FlagCode} | {f for i in items for f in i.flags}
                        | ({filters.flag} if filters.flag else set()))
    return QueuePage(
        rows=rows, filters=filters, flag_options=flag_codes,
        type_options=[(code, type_label(code))
                      for code in ("yellow_card", "csf49", "cair2_report", "unknown")],
        station_options=sorted(stations),
        state_options=[(s.value, state_label(s.value)) for s in DocumentState],
        is_supervisor=supervisor, waiting=len(rows),
        total=len(rows) if total is None else total,
    )
