"""Identify and evaluate vaccine groups (spec chapter 9): antigen forecasts into one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine.cdsi.result import EvaluationStatus, ForecastStatus, GroupForecast
from engine.cdsi.schema import VaccineGroupInfo
from engine.cdsi.state import AdministeredDose, PatientSeries, SeriesForecast, SeriesStatus

__all__ = ["combine_evaluations", "group_forecast"]

# The contract has no "not recommended": the series needs no further dose, which the contract
# calls complete.
_STATUS = {
    SeriesStatus.NOT_COMPLETE: ForecastStatus.NOT_COMPLETE,
    SeriesStatus.COMPLETE: ForecastStatus.COMPLETE,
    SeriesStatus.AGED_OUT: ForecastStatus.AGED_OUT,
    SeriesStatus.IMMUNE: ForecastStatus.IMMUNE,
    SeriesStatus.CONTRAINDICATED: ForecastStatus.CONTRAINDICATED,
    SeriesStatus.NOT_RECOMMENDED: ForecastStatus.COMPLETE,
}

# When a dose's antigens disagree, the group reports the status that asks most of the reader.
_SEVERITY = {
    EvaluationStatus.VALID: 0,
    EvaluationStatus.EXTRANEOUS: 1,
    EvaluationStatus.SUB_STANDARD: 2,
    EvaluationStatus.NOT_VALID: 3,
}


# A forecast without dates (complete, immune, aged out...) is frozen and shared.
_UNDATED = {status: GroupForecast(status=status) for status in ForecastStatus}


def combine_evaluations(
    evaluations: Sequence[tuple[EvaluationStatus, str | None]],
) -> tuple[EvaluationStatus, str | None]:
    """One status for a dose in a multi-antigen group: the most severe of its antigens'."""
    return max(evaluations, key=lambda e: _SEVERITY[e[0]])


def _min(dates: Sequence[dt.date | None]) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def _group_status(statuses: Sequence[SeriesStatus]) -> SeriesStatus:
    # Table 9-4, first matching row.
    for status in (
        SeriesStatus.CONTRAINDICATED,
        SeriesStatus.AGED_OUT,
        SeriesStatus.NOT_RECOMMENDED,
        SeriesStatus.NOT_COMPLETE,
    ):
        if status in statuses:
            return status
    if all(s is SeriesStatus.IMMUNE for s in statuses):
        return SeriesStatus.IMMUNE
    return SeriesStatus.COMPLETE


def group_forecast(
    group: VaccineGroupInfo,
    best: Sequence[PatientSeries],
    group_doses: Sequence[AdministeredDose],
) -> GroupForecast:
    """The vaccine-group forecast from the best series of each of the group's antigens."""
    forecasts: list[SeriesForecast] = [ps.forecast for ps in best if ps.forecast is not None]
    if not forecasts:
        return _UNDATED[ForecastStatus.COMPLETE]
    status = _group_status([f.status for f in forecasts])
    if status is not SeriesStatus.NOT_COMPLETE:
        return _UNDATED[_STATUS[status]]
    dated = [f for f in forecasts if f.status is SeriesStatus.NOT_COMPLETE and f.earliest]
    earliest_dates = [f.earliest for f in dated if f.earliest is not None]
    if len(forecasts) == 1:
        earliest = earliest_dates[0]
    elif any(f.is_priority for f in dated):
        # MULTIANTVG-1: a priority forecast waits for the group's latest dose.
        latest_dose = max((d.date for d in group_doses), default=dt.date.min)
        earliest = max(min(earliest_dates), latest_dose)
    elif group.administer_full_group:
        earliest = max(earliest_dates)
    else:
        # A group given antigen by antigen (DTaP/Tdap/Td) is due when its first antigen is.
        earliest = min(earliest_dates)
    recommended = _min([f.recommended for f in dated])
    past_due = _min([f.past_due for f in dated])
    numbers = [f.dose_number for f in dated if f.dose_number is not None]
    if not numbers:
        dose_number = None
    elif group.administer_full_group:
        dose_number = min(numbers)
    else:
        dose_number = max(numbers)
    # Validated construction: pydantic-core checks these values faster than model_construct
    # copies them in Python.
    return GroupForecast(
        status=ForecastStatus.NOT_COMPLETE,
        dose_number=dose_number,
        earliest=earliest,
        recommended=max(recommended, earliest) if recommended else earliest,
        past_due=max(past_due, earliest) if past_due else None,
    )
