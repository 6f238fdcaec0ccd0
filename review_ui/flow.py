"""Moving through the queue: claim the next document, and say what the last action did."""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake import review
from intake.accounts import Actor
from intake.errors import Conflict
from intake.schemas import QueueFilters
from intake.settings import Settings
from review_ui.queue_view import load_items
from review_ui.verdict import status_label

__all__ = ["claim_next", "done_notice"]

_DONE = {"approved": "Approved", "rejected": "Rejected", "skipped": "Skipped",
         "released": "Released", "reopened": "Reopened", "saved": "Saved"}


def claim_next(db: Session, actor: Actor, settings: Settings,
               after: str | None = None) -> str | None:
    """Claim the next document for `actor` and return its id; None when the queue is clear.

    The next is the first in queue order after `after` (so skipping moves on) that nobody else
    holds, wrapping round to the start; `after` itself is never chosen.
    """
    entries, _total = load_items(db, actor, QueueFilters())
    ids = [e.id for e in entries]
    if after in ids:
        position = ids.index(after)
        entries = entries[position + 1:] + entries[:position]
    for entry in entries:
        if entry.claimed_by not in (None, actor.name):
            continue
        try:
            with db.begin_nested():
                review.claim_document(db, entry.id, actor, settings)
        except Conflict:
            continue  # claimed a moment ago by someone else
        return entry.id
    return None


def done_notice(db: Session, action: str, document_id: str) -> str:
    """One line about the action just done to a document, with the verdict before and after.

    Only the status codes and the filename are used: nothing of the child's record.
    """
    found = review.recent_statuses(db, document_id) if action in _DONE else None
    if found is None:
        return ""
    filename, statuses = found
    line = f"{_DONE[action]} {filename}."
    if action in ("approved", "saved", "reopened") and statuses:
        now = status_label(statuses[0])
        before = status_label(statuses[1]) if len(statuses) > 1 else now
        line += f" Verdict: {now}" + (f" (was {before})." if before != now else ".")
    return line
