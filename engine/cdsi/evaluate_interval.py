"""Evaluate preferable and allowable intervals (spec 6.5, 6.6) and find reference doses."""

from __future__ import annotations

import datetime as dt

from engine.cdsi.result import EvaluationStatus
from engine.cdsi.schema import AllowableInterval, Interval, SeriesDose
from engine.cdsi.state import PatientSeries
from engine.dates import add_offset

__all__ = ["evaluate_intervals", "reference_date"]

_COUNTS_AS_PREVIOUS = (EvaluationStatus.VALID, EvaluationStatus.NOT_VALID)


def _previous_date(ps: PatientSeries, before: int) -> dt.date | None:
    # CALCDTINT-1: the immediate previous dose evaluated Valid or Not Valid, not inadvertent.
    for j in range(before - 1, -1, -1):
        if ps.status[j] in _COUNTS_AS_PREVIOUS and not ps.inadvertent[j]:
            return ps.doses[j].date
    return None


def reference_date(
    ps: PatientSeries, interval: Interval | AllowableInterval, before: int
) -> dt.date | None:
    """The date an interval is measured from, for a dose at position `before` (CALCDTINT).

    None when there is no reference dose (no previous dose, or the target dose it refers to was
    skipped or not yet satisfied): the interval then does not constrain the dose.
    """
    if interval.from_previous:
        return _previous_date(ps, before)
    if interval.from_target_dose is not None:
        t = interval.from_target_dose - 1
        if 0 <= t < len(ps.satisfied_by):
            position = ps.satisfied_by[t]
            if position is not None and position < before:
                return ps.doses[position].date
        return None
    if isinstance(interval, Interval) and interval.from_most_recent:
        # CALCDTINT-8 looks through the whole history: the vaccine types named (a Td before a
        # Tdap) need not carry this antigen.
        given = ps.doses[before].date if before < len(ps.doses) else None
        latest: dt.date | None = None
        for dose in ps.history:
            if dose.cvx not in interval.from_most_recent:
                continue
            if given is not None and (dose.date > given or dose.index == ps.doses[before].index):
                continue
            if latest is None or dose.date > latest:
                latest = dose.date
        return latest
    # From a patient observation (pregnancy): the record carries none, so it never applies.
    return None


def _preferable_ok(ps: PatientSeries, intervals: tuple[Interval, ...], position: int) -> bool:
    given = ps.doses[position].date
    for interval in intervals:
        if interval.abs_min is None:
            continue
        reference = reference_date(ps, interval, position)
        if reference is not None and given < add_offset(reference, interval.abs_min):
            return False
    return True


def evaluate_intervals(ps: PatientSeries, target: SeriesDose, position: int) -> bool:
    """Whether the dose at `position` meets all preferable, or else all allowable, intervals.

    A dose between the absolute minimum and the minimum interval is valid (the grace period);
    with no allowable interval in force, failing a preferable interval is final (table 6-21).
    """
    given = ps.doses[position].date
    preferable = target.undated_intervals
    if preferable is None:
        preferable = tuple(i for i in target.intervals if i.is_in_force(given))
    if _preferable_ok(ps, preferable, position):
        return True
    allowable = [i for i in target.allowable_intervals if i.is_in_force(given)]
    if not allowable:
        return False
    for interval in allowable:
        reference = reference_date(ps, interval, position)
        if (
            reference is not None
            and interval.abs_min is not None
            and given < add_offset(reference, interval.abs_min)
        ):
            return False
    return True
