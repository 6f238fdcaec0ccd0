"""The append-only audit log: who saw or changed which document, when. Never health data."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.accounts import Actor, has_role
from intake.errors import Forbidden
from intake.models import AuditEvent, Role
from intake.schemas import AuditEntry

__all__ = ["document_audit", "events_for", "record_event"]


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


def document_audit(db: Session, document_id: str, actor: Actor) -> list[AuditEntry]:
    """A document's audit trail as reviewers see it on the review page, oldest first.

    Raises:
        Forbidden: not a reviewer (stations never see it).
        NotFound: no such document.
    """
    from intake.documents import load_document  # documents records events: import late

    if not has_role(actor, Role.REVIEWER):
        raise Forbidden("the audit log is for reviewers")
    load_document(db, document_id, actor)
    return [AuditEntry(at=e.at, actor=e.actor, action=e.action, document_id=e.document_id,
                       detail=e.detail) for e in events_for(db, document_id)]
