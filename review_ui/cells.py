"""Cells of the review page: a value read off the page, how sure the reader was, and why to look.

Pure functions over the extraction result (the `shotcheck extract --json` contract) and the
current record; no database, no request.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "Box",
    "Cell",
    "Level",
    "age_text",
    "confidence_level",
    "dose_identity",
    "flags_by_field",
    "match_doses",
    "read_box",
]

_DOSE_PATH = re.compile(r"^doses\[(\d+)\](?:\.(\w+))?$")
# Below this a read is treated as a guess whatever the review threshold is.
LOW_CONFIDENCE = 0.5


class Level(StrEnum):
    """How much a cell needs the reviewer; the page colours boxes and cells by it."""

    OK = "ok"
    UNSURE = "unsure"
    LOW = "low"
    FLAGGED = "flagged"
    EDITED = "edited"
    NONE = "none"


@dataclass(frozen=True)
class Box:
    """A field's rectangle on a page image, in that image's pixels."""

    id: str
    page: int
    x: int
    y: int
    width: int
    height: int
    level: Level
    label: str


@dataclass(frozen=True)
class Cell:
    """One editable or shown value of the review page.

    Attributes:
        key: the extraction's field path (``doses[2].date``); flags name fields this way.
        name: the form input's name, empty for a value that is shown but not edited.
        label: what the reviewer reads beside the input.
        value: the current value as the input shows it.
        as_read: the text as written on the page, when the reader saw any.
        confidence: the reader's confidence, None for a value no reader produced.
        level: how much the cell needs the reviewer.
        reasons: why, in words (flags and low confidence).
        box_id: the id of the cell's box on the page image, if it has one.
    """

    key: str
    name: str
    label: str
    value: str
    as_read: str | None = None
    confidence: float | None = None
    level: Level = Level.NONE
    reasons: list[str] = field(default_factory=list)
    box_id: str | None = None

    @property
    def needs_attention(self) -> bool:
        """Whether the keyboard's "next field" stops here."""
        return self.level in (Level.FLAGGED, Level.LOW, Level.UNSURE)

    @property
    def percent(self) -> str:
        """The confidence as the page shows it, e.g. ``62 %``; empty without one."""
        return "" if self.confidence is None else f"{round(self.confidence * 100)} %"


def confidence_level(confidence: float | None, threshold: float, flagged: bool) -> Level:
    """The level of a read: a flag wins, then low (under 0.5), unsure (under threshold), ok."""
    if flagged:
        return Level.FLAGGED
    if confidence is None:
        return Level.NONE
    if confidence < LOW_CONFIDENCE:
        return Level.LOW
    if confidence < threshold:
        return Level.UNSURE
    return Level.OK


def flags_by_field(flags: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Flag messages keyed by the field they name; ``doses[i].vaccine`` joins vaccine_text."""
    found: dict[str, list[str]] = {}
    for flag in flags:
        key = str(flag.get("field") or "document")
        if key.endswith(".vaccine"):
            key += "_text"  # the flag names the normalised vaccine; the page shows the text read
        message = str(flag.get("message") or flag.get("code") or "flagged")
        found.setdefault(key, []).append(message)
    return found


def read_box(read: dict[str, Any] | None, box_id: str, level: Level, label: str) -> Box | None:
    """The box of a field read off a page, or None when the reader gave no box."""
    if not read or not read.get("box") or read.get("page") is None:
        return None
    x0, y0, x1, y1 = (int(v) for v in read["box"])
    return Box(id=box_id, page=int(read["page"]), x=min(x0, x1), y=min(y0, y1),
               width=abs(x1 - x0), height=abs(y1 - y0), level=level, label=label)


def dose_identity(dose: dict[str, Any]) -> tuple[str | None, str]:
    """(CVX, case-folded name) of a record or extraction dose, for matching the two."""
    return (str(dose["cvx"]) if dose.get("cvx") else None,
            str(dose.get("vaccine") or "").strip().casefold())


def _same_vaccine(a: dict[str, Any], b: dict[str, Any]) -> bool:
    (cvx_a, name_a), (cvx_b, name_b) = dose_identity(a), dose_identity(b)
    if cvx_a and cvx_b:
        return cvx_a == cvx_b
    return bool(name_a) and name_a == name_b


def _read_date(dose: dict[str, Any]) -> str | None:
    date = dose.get("date")
    value = date.get("value") if isinstance(date, dict) else date
    return str(value) if value else None


def match_doses(record_doses: list[dict[str, Any]],
                read_doses: list[dict[str, Any]]) -> list[int | None]:
    """For each record dose, the index of the extraction dose it came from, or None.

    The record keeps no link to what was read, and a reviewer's correction changes the date or
    the vaccine, so three passes: same vaccine and date, then same vaccine in order, then same
    date. Each extraction dose is used once.
    """
    matched: list[int | None] = [None] * len(record_doses)
    used: set[int] = set()
    passes = (
        lambda r, e: _same_vaccine(r, e) and str(r.get("date")) == _read_date(e),
        _same_vaccine,
        lambda r, e: str(r.get("date")) == _read_date(e),
    )
    for same in passes:
        for i, dose in enumerate(record_doses):
            if matched[i] is not None:
                continue
            for j, read in enumerate(read_doses):
                if j not in used and same(dose, read):
                    matched[i] = j
                    used.add(j)
                    break
    return matched


def age_text(birth: dt.date | None, on: dt.date) -> str:
    """A child's age as reviewers say it: ``7 mo`` under two, ``3 y 2 mo`` after; ``?`` unknown."""
    if birth is None or birth > on:
        return "?"
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    if months < 24:
        return f"{months} mo"
    return f"{months // 12} y {months % 12} mo"
