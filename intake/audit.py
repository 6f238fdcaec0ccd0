"""The append-only audit log: who saw or changed which document, when. Never health data."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import AuditEvent

__all__ = ["events_for", "record_event"]


def record_event(db: Session, actor: str, action: str, document_id: str | None = None,
                 detail: str | None = None) -> None:
    """Append one event in the caller's transaction, so it commits with the change it records.

    Args:
        db: the open transaction.
        actor: who, e.g. ``reviewer:ana`` or ``station:front-desk``.
        action: what, a short verb phrase such as ``approved`` or ``viewed``.
        document_id: which document, if any.
        detail: ids, states and counts only; never names, dates of birth or doses.
    """
    db.add(AuditEvent(actor=actor, action=action, document_id=document_id, detail=detail))


def events_for(db: Session, document_id: str) -> list[AuditEvent]:
    """A document's events, oldest first."""
    query = select(AuditEvent).where(AuditEvent.document_id == document_id).order_by(AuditEvent.id)
    return list(db.scalars(query))
