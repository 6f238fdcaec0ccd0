"""What CDSi evaluation and forecasting produce for one record: typed, ready for the contract."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from engine.model import VaccineGroup

__all__ = [
    "CdsiResult",
    "DoseEvaluation",
    "DoseResult",
    "EvaluationStatus",
    "ForecastStatus",
    "GroupForecast",
]


class EvaluationStatus(StrEnum):
    """CDSi's evaluation status of one dose for one vaccine group."""

    VALID = "valid"
    NOT_VALID = "not_valid"
    EXTRANEOUS = "extraneous"
    SUB_STANDARD = "sub_standard"


class ForecastStatus(StrEnum):
    """CDSi's vaccine-group forecast status."""

    NOT_COMPLETE = "not_complete"
    COMPLETE = "complete"
    AGED_OUT = "aged_out"
    IMMUNE = "immune"
    CONTRAINDICATED = "contraindicated"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DoseEvaluation(_Frozen):
    """How one dose was evaluated for one vaccine group, with CDSi's reason when not valid."""

    status: EvaluationStatus
    reason: str | None = None


class DoseResult(_Frozen):
    """One input dose (by its position in the record) and its evaluation per vaccine group."""

    index: int
    evaluations: dict[VaccineGroup, DoseEvaluation]


class GroupForecast(_Frozen):
    """CDSi's vaccine-group forecast: next dose, its earliest, recommended and past-due dates."""

    status: ForecastStatus
    dose_number: int | None = None
    earliest: dt.date | None = None
    recommended: dt.date | None = None
    past_due: dt.date | None = None


class CdsiResult(_Frozen):
    """The evaluation of every dose and the forecast of every checked vaccine group.

    `valid_doses[group]` holds the dates of the group's valid doses, in date order, taken from
    the group's antigen with the fewest valid doses (a DT dose does not count for DTaP).
    """

    as_of: dt.date
    doses: tuple[DoseResult, ...]
    forecast: dict[VaccineGroup, GroupForecast]
    valid_doses: dict[VaccineGroup, tuple[dt.date, ...]]
