"""The CalWORKs verdict: the child's status on a date, each group's status, and why."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from engine.model import VaccineGroup

__all__ = [
    "BOOSTER",
    "ChildStatus",
    "DecidedBy",
    "DoseLabel",
    "GroupStatus",
    "GroupVerdict",
    "OverdueDose",
    "Verdict",
]

BOOSTER: Literal["booster"] = "booster"
DoseLabel = int | Literal["booster"]
"""A chart row: a dose number, or "booster" for the Hib row only a dose at 12 months fills."""


class ChildStatus(StrEnum):
    """The child's status on the as-of date (calworks-rules.md §4)."""

    UP_TO_DATE = "up_to_date"
    IN_PROCESS = "in_process"
    NOT_UP_TO_DATE = "not_up_to_date"
    EXEMPT = "exempt"
    NOT_REQUIRED = "not_required"


class GroupStatus(StrEnum):
    """A vaccine group's status on the as-of date, decided in the order listed."""

    IMMUNE = "immune"
    EXEMPT = "exempt"
    COMPLETE = "complete"
    IN_PROCESS = "in_process"
    OVERDUE = "overdue"


class DecidedBy(StrEnum):
    """What decided the child's status: the doses on file, or a signed CSF 49."""

    DOSES = "doses"
    ATTESTATION = "attestation"
    AGE = "age"
    EXEMPTION = "exemption"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OverdueDose(_Frozen):
    """A required dose missing on the as-of date, and the date it was due by."""

    dose: DoseLabel
    due_by: dt.date


class GroupVerdict(_Frozen):
    """One vaccine group's verdict.

    Attributes:
        status: complete, in_process, overdue, immune or exempt.
        valid_doses: the valid doses on file on the as-of date (CDSi-valid, dated on or before
            it; a month-only date counted only if valid on every day of its month).
        required_doses: how many of the chart's required doses had fallen due by the as-of date
            (the as-of date strictly after birth + due by), the Hib booster row included: the
            doses the group needs on file to be complete that day. Doses the chart does not
            require under six (Polio 4, DTaP 5, MMR 2, Hib 3) never count.
        next_due: the last day the group can go without another dose and keep its status --
            complete: the due-by date of the first required dose not yet on file (none when the
            group needs nothing more under six); in process: the last valid dose plus the catch-up
            spacing; overdue: the due-by date of the first missing dose, already passed; immune
            or exempt: none.
        overdue_doses: each missing dose and its due-by date when the group is overdue.
    """

    status: GroupStatus
    valid_doses: int
    required_doses: int
    next_due: dt.date | None
    overdue_doses: tuple[OverdueDose, ...] = ()


class Verdict(_Frozen):
    """The CalWORKs verdict on a record for one date under one rule pack."""

    as_of: dt.date
    rules: str
    status: ChildStatus
    decided_by: DecidedBy
    groups: dict[VaccineGroup, GroupVerdict]
    explanation: tuple[str, ...]

    def to_contract(self) -> dict[str, Any]:
        """The `status`, `groups` and `explanation` members of the `shotcheck check` JSON."""
        return {
            "status": self.status.value,
            "groups": {
                group.value: verdict.model_dump(mode="json")
                for group, verdict in self.groups.items()
            },
            "explanation": list(self.explanation),
        }
