"""The review form: what the reviewer typed, checked and turned into a correction request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intake.schemas import ChildPatch, CorrectionRequest, DoseIn
from review_ui.vocabulary import normalise_vaccine

__all__ = ["Submitted", "dose_date_text", "parse_date", "parse_dose_date", "read_form"]

_ROW = re.compile(r"^dose-(\d+)-(vaccine|date)$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# A dose written with its month and year only: 2024-05, 5/2024, 05/2024.
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_US_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD or M/D/YYYY (how cards are written); None when not a date."""
    text = text.strip()
    try:
        if us := _US_DATE.match(text):
            month, day, year = (int(g) for g in us.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def parse_dose_date(text: str) -> tuple[dt.date, str] | None:
    """A dose's date and its precision: a day (as `parse_date`) or a month (YYYY-MM, M/YYYY).

    A month-only date is on the first of its month, as the Record contract spells it.
    """
    text = text.strip()
    if iso := _ISO_MONTH.match(text):
        year, month = int(iso[1]), int(iso[2])
    elif us := _US_MONTH.match(text):
        year, month = int(us[2]), int(us[1])
    else:
        day = parse_date(text)
        return (day, "day") if day else None
    try:
        return dt.date(year, month, 1), "month"
    except ValueError:
        return None


def dose_date_text(dose: dict[str, Any]) -> str:
    """A record dose's date as the form shows it: YYYY-MM-DD, or YYYY-MM for a month only."""
    date = dose.get("date")
    if not date:
        return ""
    return str(date)[:7] if dose.get("date_precision") == "month" else str(date)


@dataclass(frozen=True)
class Submitted:
    """The outcome of reading the form.

    Attributes:
        correction: the request to send to intake, None when nothing changed or on errors.
        errors: what the reviewer must fix, naming the row.
        expected_version: the version the form was built from.
    """

    correction: CorrectionRequest | None
    errors: list[str]
    expected_version: int


def _doses(form: Mapping[str, str], errors: list[str]) -> list[DoseIn]:
    rows = sorted({int(m.group(1)) for key in form if (m := _ROW.match(key))})
    doses = []
    for shown, row in enumerate(rows, start=1):
        vaccine = form.get(f"dose-{row}-vaccine", "").strip()
        date_text = form.get(f"dose-{row}-date", "").strip()
        if not vaccine and not date_text:
            continue  # an added row left empty is no dose
        parsed = parse_dose_date(date_text)
        if not vaccine:
            errors.append(f"Dose {shown}: enter the vaccine, or delete the row.")
        if parsed is None:
            what = (f"“{date_text}” is not a date (YYYY-MM-DD, or YYYY-MM when only the month "
                    "is written)" if date_text else "has no date")
            errors.append(f"Dose {shown} ({vaccine or 'no vaccine'}): {what}; "
                          "enter it, or delete the row.")
        if not vaccine or parsed is None:
            continue
        date, precision = parsed
        original = form.get(f"dose-{row}-orig", "")
        cvx = form.get(f"dose-{row}-cvx", "").strip() or None
        if vaccine != original:
            # A new name: its code comes from the vocabulary, never from the old vaccine.
            vaccine, cvx = normalise_vaccine(vaccine)
        doses.append(DoseIn(date=date, vaccine=vaccine or None, cvx=cvx,
                            date_precision="month" if precision == "month" else "day"))
    return doses


def _same_doses(new: list[DoseIn], record: dict[str, Any] | None) -> bool:
    old = [(str(d.get("date")), d.get("date_precision") or "day", d.get("vaccine") or None,
            d.get("cvx") or None) for d in (record or {}).get("doses") or []]
    return old == [(d.date.isoformat(), d.date_precision, d.vaccine, d.cvx) for d in new]


def _child_patch(form: Mapping[str, str], record: dict[str, Any] | None,
                 errors: list[str]) -> ChildPatch | None:
    child = (record or {}).get("child") or {}
    changes: dict[str, Any] = {}
    name = form.get("child_name", "").strip()
    if name and name != (child.get("name") or ""):
        changes["name"] = name
    birth_text = form.get("child_birth_date", "").strip()
    birth = parse_date(birth_text) if birth_text else None
    if birth_text and birth is None:
        errors.append(f"Birth date: “{birth_text}” is not a date (YYYY-MM-DD).")
    elif birth is None and not child.get("birth_date"):
        errors.append("Birth date: enter the child's birth date (the check needs it).")
    elif birth is not None and birth.isoformat() != child.get("birth_date"):
        changes["birth_date"] = birth
    sex = form.get("child_sex", "").strip().upper()
    if sex and sex not in {"F", "M", "U"}:
        errors.append("Sex: F, M or U.")
    elif sex and sex != (child.get("sex") or "U"):
        changes["sex"] = sex
    return ChildPatch(**changes) if changes else None


def read_form(form: Mapping[str, str], record: dict[str, Any] | None) -> Submitted:
    """Read the review form against the current record.

    Args:
        form: the posted fields (``child_*``, ``dose-N-vaccine``, ``dose-N-date``, …).
        record: the document's current record, None when the reader made none.
    """
    errors: list[str] = []
    try:
        expected = int(form.get("expected_version", ""))
    except ValueError:
        expected = -1
        errors.append("The form is missing its version: reload the page.")
    child = _child_patch(form, record, errors)
    doses = _doses(form, errors)
    if errors:
        return Submitted(None, errors, expected)
    changed_doses = record is None or not _same_doses(doses, record)
    if child is None and not changed_doses:
        return Submitted(None, [], expected)
    note = form.get("note", "").strip()[:500] or None
    return Submitted(CorrectionRequest(expected_version=expected, child=child,
                                       doses=doses if changed_doses else None, note=note),
                     [], expected)
