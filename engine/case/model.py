"""The case contract: who is in the assistance unit, its children, and the dates that matter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine.errors import BadCase
from engine.rules import CaseEvent, MediCal, Role

__all__ = ["Case", "CaseChild", "Member", "parse_case"]


class _Strict(BaseModel):
    # Strict: "yes" is not a boolean and 20241215 is not a date; JSON text still gives ISO dates.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Member(_Strict):
    """An adult (or minor parent) of the household and whether they are in the assistance unit.

    `needy_caretaker` says whether the member is the needy caretaker relative; left out, it is
    true for a caretaker relative in the assistance unit (whose needs are aided) and false for
    anyone else.
    """

    id: str = Field(min_length=1)
    role: Role
    in_au: bool
    needy_caretaker: bool | None = None

    @property
    def is_needy_caretaker(self) -> bool:
        """Whether this member is the needy caretaker relative."""
        if self.needy_caretaker is not None:
            return self.needy_caretaker
        return self.role is Role.CARETAKER_RELATIVE and self.in_au


class CaseChild(_Strict):
    """A child of the assistance unit: verified when age-appropriate immunizations are on file."""

    id: str = Field(min_length=1)
    birth_date: dt.date
    verified: bool = False
    exempt: bool = False


class Case(_Strict):
    """A CalWORKs case at the moment immunization verification is requested.

    `verification_date` is the day verification (or an exemption) was received for every child
    still missing it; `noa_date` the day the 10-day notice of action was sent; `good_cause_date`
    the day good cause or a good-faith effort was found.
    """

    event: CaseEvent
    application_date: dt.date | None = None
    medi_cal: MediCal
    medi_cal_approval_date: dt.date | None = None
    interview_date: dt.date | None = None
    good_cause_date: dt.date | None = None
    verification_date: dt.date | None = None
    noa_date: dt.date | None = None
    members: tuple[Member, ...] = ()
    children: tuple[CaseChild, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_ids(self) -> Case:
        ids = [m.id for m in self.members] + [c.id for c in self.children]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"ids must be distinct; repeated: {', '.join(repeated)}")
        return self


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"


def parse_case(text: str | bytes, name: str = "case") -> Case:
    """Read a case from its JSON text.

    Raises:
        BadCase: a one-line message naming the file and the first field that is wrong.
    """
    try:
        case = Case.model_validate_json(text)
    except ValidationError as exc:
        first: Any = exc.errors(include_url=False)[0]
        where = _where(tuple(first["loc"]))
        message = str(first["msg"]).replace("\n", " ")
        raise BadCase(f"{name}: {where}: {message}") from exc
    # Later dates (Medi-Cal approval, the RD interview) may not have happened yet; the date the
    # child was applied for always has.
    if case.event is not CaseEvent.REDETERMINATION and case.application_date is None:
        raise BadCase(f"{name}: application_date: required when event is {case.event.value!r}")
    return case
