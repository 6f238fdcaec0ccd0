"""The child view: documents, merged doses with their sources, the verdict on a date, the case.

Printable (print CSS) as the summary for the case file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from intake.errors import NotFound
from intake.models import Child, Document, DocumentState, DocumentVersion, ProcessingResult
from review_ui.cells import age_text
from review_ui.document_view import type_label
from review_ui.verdict import Verdict, verdict_of

__all__ = [
    "ChildDocument",
    "ChildPage",
    "MergedDose",
    "TimelineView",
    "child_page",
    "load_child",
    "merge_with_sources",
    "timeline_view",
]

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ChildDocument:
    """One document of the child, with its current record."""

    id: str
    label: str
    filename: str
    document_type: str
    state: str
    version: int
    due_date: dt.date | None
    record: dict[str, Any] | None


@dataclass(frozen=True)
class MergedDose:
    """A dose of the merged record and the documents it was read from."""

    date: str
    vaccine: str
    sources: list[str]


@dataclass(frozen=True)
class TimelineView:
    """The case timeline (engine.case) in words."""

    due_date: str
    penalty: str
    penalty_months: str
    penalized: str
    reminders: list[tuple[str, str]]
    explanation: list[str]


@dataclass(frozen=True)
class ChildPage:
    """The child view."""

    id: int
    case_number: str
    name: str
    birth_date: str
    age: str
    on: str
    documents: list[ChildDocument]
    doses: list[MergedDose]
    verdict: Verdict
    due_date: str
    due_note: str
    timeline: TimelineView | None
    notes: list[str] = field(default_factory=list)


def _key(dose: dict[str, Any]) -> tuple[str, str]:
    # The same rule as intake.children: one date and vaccine on two documents is one dose.
    name = dose.get("cvx") or _SPACES.sub(" ", str(dose.get("vaccine") or "")).strip().casefold()
    return str(dose.get("date")), str(name)


def merge_with_sources(documents: list[ChildDocument]) -> tuple[dict[str, Any] | None,
                                                                 list[MergedDose]]:
    """The merged record of the child's documents (rejected ones left out), and each dose's sources.

    Returns:
        (record, doses): the record the check runs on, None without any record; its doses,
        oldest first, each naming every document it appears on.
    """
    usable = [d for d in documents if d.record and d.state != DocumentState.REJECTED]
    if not usable:
        return None, []
    assert usable[0].record is not None
    record: dict[str, Any] = {"child": usable[0].record["child"], "doses": []}
    sources: dict[tuple[str, str], list[str]] = {}
    for document in usable:
        assert document.record is not None
        for dose in document.record.get("doses") or []:
            key = _key(dose)
            if key not in sources:
                sources[key] = []
                record["doses"].append(dose)
            if document.label not in sources[key]:
                sources[key].append(document.label)
        for part in ("immunity", "exemptions", "attestations"):
            for item in document.record.get(part) or []:
                if item not in record.setdefault(part, []):
                    record[part].append(item)
    record["doses"].sort(key=lambda dose: str(dose.get("date")))
    doses = [MergedDose(date=str(d.get("date")),
                        vaccine=str(d.get("vaccine") or f"CVX {d.get('cvx')}"),
                        sources=sources[_key(d)]) for d in record["doses"]]
    return record, doses


def load_child(db: Session, child_id: int) -> tuple[Child, list[ChildDocument]]:
    """The child and its documents, oldest first, each with its current record.

    Raises:
        NotFound: no such child.
    """
    child = db.get(Child, child_id)
    if child is None:
        raise NotFound(f"no child with id {child_id}")
    version = aliased(DocumentVersion)
    rows = db.execute(
        select(Document, version.record, ProcessingResult.extraction)
        .outerjoin(version, and_(version.document_id == Document.id,
                                 version.number == Document.current_version))
        .outerjoin(ProcessingResult, ProcessingResult.id == Document.result_id)
        .where(Document.child_id == child_id).order_by(Document.created_at, Document.id)
    ).all()
    documents = []
    for number, (document, record, extraction) in enumerate(rows, start=1):
        kind = str((extraction or {}).get("document_type") or "unknown")
        documents.append(ChildDocument(
            id=document.id, label=f"#{number} {type_label(kind)}", filename=document.filename,
            document_type=type_label(kind), state=document.state,
            version=document.current_version, due_date=document.due_date, record=record))
    return child, documents


def timeline_view(timeline: Any) -> TimelineView:
    """The case timeline (an `engine.case.Timeline`) in words."""
    penalty = timeline.penalty
    if not penalty.applies:
        words = "No penalty"
    elif penalty.effective_from:
        words = f"Grant reduced from {penalty.effective_from}"
    else:
        words = "Penalty applies once the 10-day notice of action is sent"
    months = ""
    if penalty.effective_from:
        months = f"{penalty.effective_from:%Y-%m} to {penalty.ends_after or 'open'}"
    return TimelineView(
        due_date=str(timeline.due_date or "not set"), penalty=words, penalty_months=months,
        penalized=", ".join(penalty.penalized),
        reminders=[(str(r.date), r.action) for r in timeline.reminders],
        explanation=list(timeline.explanation))


def child_page(child: Child, documents: list[ChildDocument], on: dt.date,
               check: dict[str, Any] | None, timeline: TimelineView | None = None,
               problem: str | None = None) -> ChildPage:
    """Build the child view.

    Args:
        child: the linked child (case number, birth date).
        documents: its documents as `load_child` reads them.
        on: the date the verdict is for.
        check: the check of the merged record on `on`, None without a record.
        timeline: the case timeline when case data is on file.
        problem: why there is no check, when there is none.
    """
    record, doses = merge_with_sources(documents)
    name = str(((record or {}).get("child") or {}).get("name") or "(no name)")
    dues = sorted(d.due_date for d in documents if d.due_date is not None)
    due = dues[0] if dues else None
    if due is None:
        due_note = "No verification due date on file."
    elif on <= due:
        due_note = f"Verification due in {(due - on).days} days."
    else:
        due_note = f"Verification was due {(on - due).days} days before this date."
    notes = [] if timeline else ["Case data is not on file: the penalty months need the case "
                                 "event and its dates."]
    return ChildPage(
        id=child.id, case_number=child.case_number, name=name,
        birth_date=child.birth_date.isoformat(), age=age_text(child.birth_date, on),
        on=on.isoformat(), documents=documents, doses=doses,
        verdict=verdict_of(check, problem), due_date=due.isoformat() if due else "",
        due_note=due_note, timeline=timeline, notes=notes)

