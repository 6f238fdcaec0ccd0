"""The child view: documents, merged doses with their sources, the verdict on a date, the case.

A pure function of intake's ChildView (`intake.children.get_child`). Printable (print CSS) as
the summary for the case file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from intake.models import DocumentState
from intake.schemas import ChildView, DoseSource
from review_ui.cells import age_text
from review_ui.document_view import state_label, type_label
from review_ui.forms import dose_date_text
from review_ui.verdict import Verdict, verdict_of

__all__ = [
    "ChildDocument",
    "ChildPage",
    "DoseSourceLink",
    "MergedDoseRow",
    "TimelineView",
    "child_page",
    "timeline_view",
]


@dataclass(frozen=True)
class ChildDocument:
    """One document of the child."""

    id: str
    label: str
    filename: str
    document_type: str
    state: str
    state_label: str
    version: int
    due_date: dt.date | None


@dataclass(frozen=True)
class DoseSourceLink:
    """A document a merged dose was read from, and the dose's numbers on it (1-based).

    More than one number: the document lists the same dose twice (merged into one).
    """

    document_id: str
    label: str
    lines: list[int]


@dataclass(frozen=True)
class MergedDoseRow:
    """A dose of the merged record and where it was read."""

    date: str
    vaccine: str
    sources: list[DoseSourceLink]
    evaluation: str = ""


@dataclass(frozen=True)
class TimelineView:
    """The case timeline (the `shotcheck case --json` output) in words."""

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
    merged_from: int
    doses: list[MergedDoseRow]
    verdict: Verdict
    due_date: str
    due_note: str
    timeline: TimelineView | None
    case_saved: str
    case_data: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)


def timeline_view(timeline: dict[str, Any]) -> TimelineView:
    """The case timeline (`Timeline.to_json()`) in words."""
    penalty = timeline.get("penalty") or {}
    start, ends = penalty.get("effective_from"), penalty.get("ends_after")
    if not penalty.get("applies"):
        words = "No penalty"
    elif start:
        words = f"Grant reduced from {start}"
    else:
        words = "Penalty applies once the 10-day notice of action is sent"
    return TimelineView(
        due_date=str(timeline.get("due_date") or "not set"), penalty=words,
        penalty_months=f"{str(start)[:7]} to {ends or 'open'}" if start else "",
        penalized=", ".join(penalty.get("penalized") or []),
        reminders=[(str(r.get("date")), str(r.get("action")))
                   for r in timeline.get("reminders") or []],
        explanation=[str(line) for line in timeline.get("explanation") or []])


def _evaluation(check: dict[str, Any] | None, index: int) -> str:
    doses = (check or {}).get("doses") or []
    if index >= len(doses):
        return ""
    evaluations = doses[index].get("evaluations") or {}
    return ", ".join(f"{group} {(e or {}).get('status', '')}".strip()
                     for group, e in sorted(evaluations.items()))


def _grouped(sources: list[DoseSource], labels: dict[str, str]) -> list[DoseSourceLink]:
    lines: dict[str, list[int]] = {}
    for source in sources:
        lines.setdefault(source.document_id, []).append(source.dose_index + 1)
    return [DoseSourceLink(document_id, labels.get(document_id, "?"), numbers)
            for document_id, numbers in lines.items()]


def child_page(view: ChildView, on: dt.date) -> ChildPage:
    """Build the child view from intake's ChildView (checked on `on`)."""
    documents = [ChildDocument(
        id=d.id, label=f"#{n} {type_label(d.document_type)}", filename=d.filename,
        document_type=type_label(d.document_type), state=d.state,
        state_label=state_label(d.state), version=d.version, due_date=d.due_date)
        for n, d in enumerate(view.document_details, start=1)]
    labels = {d.id: d.label for d in documents}
    doses = [MergedDoseRow(
        date=dose_date_text({"date": dose.date.isoformat(),
                             "date_precision": dose.date_precision}),
        vaccine=dose.vaccine or f"CVX {dose.cvx}",
        sources=_grouped(dose.sources, labels),
        evaluation=_evaluation(view.check, i)) for i, dose in enumerate(view.doses)]
    child = (view.record or {}).get("child") or {}
    birth = dt.date.fromisoformat(str(child["birth_date"])) if child.get("birth_date") else None
    dues = sorted(d.due_date for d in documents if d.due_date is not None)
    due = dues[0] if dues else None
    if due is None:
        due_note = "No verification due date on file."
    elif on <= due:
        due_note = f"Verification due in {(due - on).days} days."
    else:
        due_note = f"Verification was due {(on - due).days} days before this date."
    case = view.case
    timeline = timeline_view(case.timeline) if case and case.timeline else None
    notes = []
    if case is None:
        notes.append("No case data on file: the penalty months need the case event and its "
                     "dates. Enter them below once; every child of the case shows them.")
    elif case.problem:
        notes.append(case.problem)
    return ChildPage(
        id=view.id, case_number=view.case_number, name=str(child.get("name") or "(no name)"),
        birth_date=birth.isoformat() if birth else "?", age=age_text(birth, on),
        on=on.isoformat(), documents=documents,
        merged_from=sum(1 for d in documents if d.state != DocumentState.REJECTED),
        doses=doses, verdict=verdict_of(view.check, view.problem),
        due_date=due.isoformat() if due else "", due_note=due_note, timeline=timeline,
        case_saved=(f"Case data saved {case.updated_at:%Y-%m-%d %H:%M} UTC by {case.updated_by}"
                    if case else ""),
        case_data=case.data if case else None, notes=notes)
