"""The review page's view model: the page images with boxes, the fields, the doses, the verdict.

`review_page` is a pure function of what intake returns (the DocumentView) and who is looking;
the template only renders what it builds, and tests read it as data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from intake.accounts import Actor, has_role
from intake.models import DocumentState, Role
from intake.schemas import AuditEntry, DocumentView
from review_ui.cells import (
    Box,
    Cell,
    Level,
    confidence_level,
    flags_by_field,
    match_doses,
    read_box,
)
from review_ui.forms import dose_date_text
from review_ui.verdict import Verdict, verdict_of

__all__ = ["DoseRow", "HistoryLine", "PageImage", "ReviewPage", "review_page"]

_TYPE_LABELS = {"yellow_card": "Yellow card", "csf49": "CSF 49", "cair2_report": "CAIR2 report",
                "unknown": "Unknown document"}
_STATE_LABELS = {"needs_review": "Needs review", "accepted": "Accepted", "rejected": "Rejected",
                 "failed": "Failed", "queued": "Queued", "processing": "Processing"}


def type_label(code: str | None) -> str:
    """A document type in words."""
    return _TYPE_LABELS.get(code or "unknown", str(code))


def state_label(code: str) -> str:
    """A document state in words."""
    return _STATE_LABELS.get(code, code)


@dataclass(frozen=True)
class DoseRow:
    """One dose row of the table: editable vaccine and date, the provider as read."""

    index: int
    vaccine: Cell
    date: Cell
    provider: Cell
    dose_number: str
    cvx: str
    original_vaccine: str
    evaluation: str = ""

    @property
    def cells(self) -> list[Cell]:
        """The row's cells in tab order."""
        return [self.vaccine, self.date, self.provider]


@dataclass(frozen=True)
class PageImage:
    """A page image and its size in pixels (the boxes' coordinate space)."""

    number: int
    width: int
    height: int
    url: str


@dataclass(frozen=True)
class HistoryLine:
    """Who did what, when (a version or an audit event)."""

    at: str
    who: str
    what: str
    note: str = ""


@dataclass(frozen=True)
class ReviewPage:
    """Everything the review page shows; see the template review.html."""

    id: str
    filename: str
    state: str
    state_label: str
    version: int
    document_type: str
    type_confidence: str
    case_number: str
    due_date: str
    child_id: int | None
    claimed_by: str
    claimed_until: str
    claimed_by_me: bool
    can_edit: bool
    can_claim: bool
    can_release: bool
    can_reject: bool
    can_reopen: bool
    pages: list[PageImage]
    child: list[Cell]
    statements: list[Cell]
    doses: list[DoseRow]
    boxes: list[Box]
    document_flags: list[str]
    verdict: Verdict
    history: list[HistoryLine]
    audit: list[HistoryLine] | None
    attention: int
    errors: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        """Every cell, in the order the keyboard visits them."""
        return (self.child + self.statements
                + [cell for row in self.doses for cell in row.cells])


def _slug(key: str) -> str:
    return "box-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _cell(key: str, name: str, label: str, value: str, read: dict[str, Any] | None,
          flags: dict[str, list[str]], threshold: float, boxes: list[Box]) -> Cell:
    """A cell and, when the reader placed it on a page, its box (appended to `boxes`)."""
    reasons = list(flags.get(key, []))
    confidence = float(read["confidence"]) if read and read.get("confidence") is not None \
        else None
    level = confidence_level(confidence, threshold, bool(reasons))
    if confidence is not None and confidence < threshold and not reasons:
        reasons.append(f"read with {round(confidence * 100)} % confidence")
    read_value = _text((read or {}).get("value"))
    if read is not None and read_value != value and level is not Level.NONE:
        # The reviewer changed what was read: the reason stays visible, the alarm does not.
        level = Level.EDITED
    box = read_box(read, _slug(key), level, label)
    if box is not None:
        boxes.append(box)
    return Cell(key=key, name=name, label=label, value=value,
                as_read=(read or {}).get("text"), confidence=confidence, level=level,
                reasons=reasons, box_id=box.id if box else None)


def _evaluation(check: dict[str, Any] | None, index: int) -> str:
    doses = (check or {}).get("doses") or []
    if index >= len(doses):
        return ""
    evaluations = doses[index].get("evaluations") or {}
    return ", ".join(f"{group} {e.get('status', '')}".strip()
                     for group, e in sorted(evaluations.items()))


def _dose_rows(view: DocumentView, flags: dict[str, list[str]], threshold: float,
               boxes: list[Box]) -> list[DoseRow]:
    record_doses: list[dict[str, Any]] = list((view.record or {}).get("doses") or [])
    read_doses: list[dict[str, Any]] = list((view.extraction or {}).get("doses") or [])
    sources: list[int | None] = match_doses(record_doses, read_doses)
    # (index in the record or None, the dose, the extraction dose it came from or None)
    entries: list[tuple[int | None, dict[str, Any], int | None]] = [
        (i, dose, source) for i, (dose, source) in enumerate(zip(record_doses, sources,
                                                                 strict=True))]
    if not any(v.action == "corrected" for v in view.history):
        # Doses read but left out of the record (no date, unknown vaccine) are shown so the
        # reviewer can complete or delete them, in the card's order; after a correction the
        # record and its order are the reviewer's.
        taken = {s for s in sources if s is not None}
        entries += [(None, {"date": (read.get("date") or {}).get("value"),
                            "vaccine": read.get("vaccine"), "cvx": read.get("cvx")}, j)
                    for j, read in enumerate(read_doses) if j not in taken]
        entries.sort(key=lambda e: (e[2] is None, e[2] or 0, e[0] or 0))
    # The check's dose indexes follow this record's doses only when no other document is merged.
    own_check = view.check if view.child_id is None else None
    rows = []
    for i, (record_index, dose, source) in enumerate(entries):
        read = read_doses[source] if source is not None else {}
        key = f"doses[{source}]" if source is not None else f"new[{i}]"
        vaccine_read = read.get("vaccine_text")
        vaccine = _text(dose.get("vaccine") or (vaccine_read or {}).get("text")
                        or (f"CVX {dose['cvx']}" if dose.get("cvx") else ""))
        vaccine_flags = dict(flags)
        vaccine_flags[f"{key}.vaccine_text"] = (flags.get(f"{key}.vaccine_text", [])
                                                + flags.get(key, []))
        if vaccine_read is not None and read.get("vaccine"):
            # The reader's value is the normalised name; compare the reviewer's with that.
            vaccine_read = {**vaccine_read, "value": read.get("vaccine")}
        rows.append(DoseRow(
            index=i,
            vaccine=_cell(f"{key}.vaccine_text", f"dose-{i}-vaccine", f"Dose {i + 1} vaccine",
                          vaccine, vaccine_read, vaccine_flags, threshold, boxes),
            date=_cell(f"{key}.date", f"dose-{i}-date", f"Dose {i + 1} date",
                       dose_date_text(dose), read.get("date"), flags, threshold, boxes),
            provider=_cell(f"{key}.provider", "", f"Dose {i + 1} provider",
                           _text((read.get("provider") or {}).get("value")),
                           read.get("provider"), flags, threshold, boxes),
            dose_number=_text((read.get("dose_number") or {}).get("value")),
            cvx=_text(dose.get("cvx")), original_vaccine=vaccine,
            evaluation=_evaluation(own_check, record_index) if record_index is not None else "",
        ))
    return rows


def _child_cells(view: DocumentView, flags: dict[str, list[str]], threshold: float,
                 boxes: list[Box]) -> list[Cell]:
    child = (view.record or {}).get("child") or {}
    read = (view.extraction or {}).get("child") or {}
    name = child.get("name") if child else (read.get("name") or {}).get("value")
    birth = child.get("birth_date") if child else (read.get("birth_date") or {}).get("value")
    return [
        _cell("child.name", "child_name", "Child's name", _text(name), read.get("name"), flags,
              threshold, boxes),
        _cell("child.birth_date", "child_birth_date", "Birth date", _text(birth),
              read.get("birth_date"), flags, threshold, boxes),
        Cell(key="child.sex", name="child_sex", label="Sex (F, M or U)",
             value=_text(child.get("sex") or "")),
    ]


def _pages(view: DocumentView, prefix: str) -> list[PageImage]:
    sizes = ((view.extraction or {}).get("pages") or {}).get("sizes") or []
    pages = []
    for number in range(1, view.page_count + 1):
        width, height = sizes[number - 1] if number <= len(sizes) else (1000, 1300)
        pages.append(PageImage(number=number, width=int(width), height=int(height),
                               url=f"{prefix}/documents/{view.id}/pages/{number}"))
    return pages


_ATTESTATION_WORDS = {"age_appropriate": "has all age-appropriate immunizations",
                      "in_process": "is in the process of being immunized",
                      "medical_exemption": "cannot be immunized for medical reasons"}


def _statement_cells(view: DocumentView, flags: dict[str, list[str]], threshold: float,
                     boxes: list[Box]) -> list[Cell]:
    """The CSF 49's statement and signature, shown (the correction API cannot change them)."""
    extraction = view.extraction or {}
    cells = []
    for i, attestation in enumerate(extraction.get("attestations") or []):
        words = _ATTESTATION_WORDS.get(str(attestation.get("kind")), str(attestation.get("kind")))
        signed = "signed" if attestation.get("signed") else "NOT signed"
        by = f" by {attestation['signer']}" if attestation.get("signer") else ""
        on = f" on {attestation['date']}" if attestation.get("date") else ""
        value = f"The child {words}; {signed}{by}{on}"
        read = {"value": value, "confidence": attestation.get("confidence")}
        cells.append(_cell(f"attestations[{i}]", "", "CSF 49 statement", value, read, flags,
                           threshold, boxes))
    for i, signature in enumerate(extraction.get("signatures") or []):
        field = str(signature.get("field") or "signature")
        value = "present" if signature.get("present") else "missing"
        # The flags name the signature line ("signature", "signature.date"), not its index.
        reasons = {f"signatures[{i}]": flags.get(field, []) + flags.get(f"{field}.date", [])}
        cells.append(_cell(f"signatures[{i}]", "", f"Signature ({field.replace('_', ' ')})",
                           value, {**signature, "value": value}, reasons, threshold, boxes))
    return cells


def _typed(cell: Cell, form: Mapping[str, str]) -> Cell:
    """The cell with the value the reviewer typed; a changed value counts as edited."""
    value = form.get(cell.name, cell.value) if cell.name else cell.value
    if value == cell.value:
        return cell
    return replace(cell, value=value, level=Level.EDITED)


def _as_typed(child: list[Cell], doses: list[DoseRow],
              form: Mapping[str, str]) -> tuple[list[Cell], list[DoseRow]]:
    """The cells and rows as the reviewer left them in a form that did not save.

    Rows they deleted are gone, rows they added are back, every value is what they typed: a
    mistake in one date must not cost them the rest of their work.
    """
    kept = [replace(row, vaccine=_typed(row.vaccine, form), date=_typed(row.date, form),
                    cvx=form.get(f"dose-{row.index}-cvx", row.cvx),
                    original_vaccine=form.get(f"dose-{row.index}-orig", row.original_vaccine))
            for row in doses if f"dose-{row.index}-vaccine" in form]
    known = {row.index for row in doses}
    added = sorted({int(m.group(1)) for key in form
                    if (m := re.match(r"^dose-(\d+)-vaccine$", key))} - known)
    for i in added:
        def typed(what: str, label: str, index: int = i) -> Cell:
            return Cell(key=f"new[{index}].{what}", name=f"dose-{index}-{what}", label=label,
                        value=form.get(f"dose-{index}-{what}", ""), level=Level.EDITED)

        kept.append(DoseRow(index=i, vaccine=typed("vaccine", "New dose vaccine"),
                            date=typed("date", "New dose date"),
                            provider=Cell(key=f"new[{i}].provider", name="", label="", value=""),
                            dose_number="", cvx="", original_vaccine=""))
    return [_typed(cell, form) for cell in child], kept


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value is not None else ""


def review_page(view: DocumentView, actor: Actor, *, threshold: float, prefix: str = "/review",
                audit: list[AuditEntry] | None = None, errors: list[str] | None = None,
                problem: str | None = None, form: Mapping[str, str] | None = None) -> ReviewPage:
    """Build the review page of a document for `actor`.

    Args:
        view: the document as intake's get_document returns it (for a user: with health data).
        actor: the signed-in user; decides what they may do.
        threshold: the review threshold; a field under it is highlighted.
        prefix: where the pages are mounted, for image URLs.
        audit: the document's audit events; None shows the version history instead.
        errors: messages of a failed save, shown above the form.
        problem: why the check is missing, when it is.
        form: the fields of a form that did not save, shown as the reviewer typed them.
    """
    extraction = view.extraction or {}
    flags = flags_by_field(list(extraction.get("flags") or []))
    boxes: list[Box] = []
    child = _child_cells(view, flags, threshold, boxes)
    doses = _dose_rows(view, flags, threshold, boxes)
    statements = _statement_cells(view, flags, threshold, boxes)
    if form is not None:
        child, doses = _as_typed(child, doses, form)
    placed = {c.key for c in child + statements} | {c.key for r in doses for c in r.cells}
    if any(c.key.startswith("signatures[") for c in statements):
        placed |= {key for key in flags if key.split(".")[0] in {
            str(s.get("field") or "signature") for s in extraction.get("signatures") or []}}
    # A flag on a whole dose row (a duplicate) is shown on the row's vaccine cell.
    placed |= {key.rsplit(".", 1)[0] for key in placed if key.startswith("doses[")}
    document_flags = [m for key, messages in flags.items() if key not in placed
                      for m in messages]
    mine = view.claimed_by == actor.name
    claimed_by_other = view.claimed_by is not None and not mine
    in_review = view.state == DocumentState.NEEDS_REVIEW
    supervisor = has_role(actor, Role.SUPERVISOR)
    cells = child + statements + [c for row in doses for c in row.cells]
    note = problem or next((v.note for v in reversed(view.history) if v.note), None)
    return ReviewPage(
        id=view.id, filename=view.filename, state=view.state,
        state_label=state_label(view.state), version=view.version,
        document_type=type_label(extraction.get("document_type")),
        type_confidence=f"{round(float(extraction.get('type_confidence') or 0) * 100)} %",
        case_number=view.case_number or "", due_date=_text(view.due_date),
        child_id=view.child_id,
        claimed_by=view.claimed_by or "", claimed_until=_when(view.claimed_until),
        claimed_by_me=mine,
        can_edit=in_review and mine,
        can_claim=in_review and view.claimed_by is None,
        can_release=in_review and (mine or (claimed_by_other and supervisor)),
        can_reject=(in_review and mine) or (view.state == DocumentState.FAILED),
        can_reopen=supervisor and view.state in (DocumentState.ACCEPTED, DocumentState.REJECTED,
                                                 DocumentState.FAILED),
        pages=_pages(view, prefix), child=child, statements=statements, doses=doses,
        boxes=boxes,
        document_flags=document_flags,
        verdict=verdict_of(view.check, note if view.check is None else None),
        history=[HistoryLine(at=_when(v.created_at), who=v.author, what=v.action,
                             note=v.note or "") for v in view.history],
        audit=None if audit is None else [
            HistoryLine(at=_when(e.at), who=e.actor, what=e.action, note=e.detail or "")
            for e in audit],
        attention=sum(1 for c in cells if c.needs_attention),
        errors=list(errors or []),
    )
