"""Evaluate vaccine conflict (spec 6.7): live virus vaccines given too close together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from engine.cdsi.result import EvaluationStatus
from engine.cdsi.schema import Schedule, SeriesDose
from engine.cdsi.state import AdministeredDose, Patient, PatientSeries
from engine.dates import Offset, add_offset

__all__ = ["forecast_conflict_end", "is_in_conflict"]


def is_in_conflict(
    ps: PatientSeries,
    position: int,
    patient: Patient,
    schedule: Schedule,
    other_status: Mapping[int, EvaluationStatus],
) -> bool:
    """Whether the dose at `position` falls in a conflict window of an earlier dose.

    The window ends at the minimum conflict end for a previous dose that is valid or not yet
    evaluated, and at the full conflict end otherwise (CALCDTCONFLICT-2). A previous dose of this
    antigen uses this series' status; one of another antigen uses `other_status` (by record
    index), which the caller fills from that antigen's best series.
    """
    dose = ps.doses[position]
    conflicts = schedule.conflicts_by_current.get(dose.cvx)
    if not conflicts:
        return False
    own = {d.index: ps.status[j] for j, d in enumerate(ps.doses[:position])}
    for previous in patient.history:
        if previous.date >= dose.date or previous.index == dose.index:
            continue
        for conflict in conflicts:
            if conflict.previous_cvx != previous.cvx:
                continue
            if previous.index in own:
                status = own[previous.index]
            else:
                status = other_status.get(previous.index)
            end = conflict.min_end if status in (None, EvaluationStatus.VALID) else conflict.end
            if add_offset(previous.date, conflict.begin) <= dose.date < add_offset(
                previous.date, end
            ):
                return True
    return False


# Per target dose (by identity; the supporting data lives for the process): the conflicting
# vaccine types that can hold it back, each with its conflict end intervals.
_HELD_BACK_BY: dict[int, tuple[SeriesDose, dict[str, list[Offset]]]] = {}


def _held_back_by(target: SeriesDose, schedule: Schedule) -> dict[str, list[Offset]]:
    found = _HELD_BACK_BY.get(id(target))
    if found is not None and found[0] is target:
        return found[1]
    table: dict[str, list[Offset]] = {}
    for vaccine in target.preferable:
        for conflict in schedule.conflicts_by_current.get(vaccine.cvx, ()):
            table.setdefault(conflict.previous_cvx, []).append(conflict.end)
    _HELD_BACK_BY[id(target)] = (target, table)
    return table


def forecast_conflict_end(
    target: SeriesDose, history: tuple[AdministeredDose, ...], schedule: Schedule
) -> dt.date | None:
    """The latest conflict end date that holds back the next target dose (CALCDTCONFLICT-3)."""
    table = _held_back_by(target, schedule)
    if not table:
        return None
    latest: dt.date | None = None
    for dose in history:
        for end_interval in table.get(dose.cvx, ()):
            end = add_offset(dose.date, end_interval)
            if latest is None or end > latest:
                latest = end
    return latest
