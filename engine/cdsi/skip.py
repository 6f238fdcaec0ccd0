"""Evaluate conditional skip (spec 6.2, 7.1, 7.6): may a target dose be skipped?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from engine.cdsi.result import EvaluationStatus
from engine.cdsi.schema import ConditionKind, CountLogic, SeriesDose, SkipCondition, SkipSet
from engine.cdsi.state import Patient, PatientSeries
from engine.dates import add_offset

__all__ = ["CompletedGroup", "can_skip"]

# Answers "is a series of this series group complete?" for the Completed Series condition.
CompletedGroup = Callable[[str], bool]


def _count_doses(
    ps: PatientSeries, condition: SkipCondition, patient: Patient, upto: int
) -> int:
    # CONDSKIP-1: doses of the listed vaccine types, within the ages and dates, valid or any.
    begin = patient.at_age(condition.begin_age) if condition.begin_age else None
    end = patient.at_age(condition.end_age) if condition.end_age else None
    count = 0
    for j in range(upto):
        dose = ps.doses[j]
        if condition.vaccine_types and dose.cvx not in condition.vaccine_types:
            continue
        if begin is not None and dose.date < begin:
            continue
        if end is not None and dose.date >= end:
            continue
        if condition.start_date is not None and dose.date < condition.start_date:
            continue
        if condition.end_date is not None and dose.date >= condition.end_date:
            continue
        if condition.valid_only and ps.status[j] is not EvaluationStatus.VALID:
            continue
        count += 1
    return count


def _is_met(
    condition: SkipCondition,
    ps: PatientSeries,
    patient: Patient,
    reference: dt.date,
    upto: int,
    completed: CompletedGroup,
) -> bool:
    kind = condition.kind
    if kind is ConditionKind.AGE:
        if condition.begin_age is not None and reference < patient.at_age(condition.begin_age):
            return False
        return not (
            condition.end_age is not None and reference >= patient.at_age(condition.end_age)
        )
    if kind is ConditionKind.INTERVAL:
        if upto == 0 or condition.interval is None:
            return False
        return reference >= add_offset(ps.doses[upto - 1].date, condition.interval)
    if kind is ConditionKind.COMPLETED_SERIES:
        return any(completed(group) for group in condition.series_groups)
    count = _count_doses(ps, condition, patient, upto)
    target = condition.dose_count or 0
    if condition.count_logic is CountLogic.GREATER:
        return count > target
    if condition.count_logic is CountLogic.LESS:
        return count < target
    return count == target


def _set_is_met(
    skip_set: SkipSet,
    ps: PatientSeries,
    patient: Patient,
    reference: dt.date,
    upto: int,
    completed: CompletedGroup,
) -> bool:
    # Loops rather than all()/any() over a generator: this runs for most doses of most series.
    if skip_set.all_required:
        for condition in skip_set.conditions:
            if not _is_met(condition, ps, patient, reference, upto, completed):
                return False
        return True
    for condition in skip_set.conditions:
        if _is_met(condition, ps, patient, reference, upto, completed):
            return True
    return False


def can_skip(
    target: SeriesDose,
    ps: PatientSeries,
    patient: Patient,
    reference: dt.date,
    upto: int,
    *,
    forecasting: bool,
    completed: CompletedGroup,
) -> bool:
    """Whether the target dose may be skipped, judged on `reference` (CONDSKIP-2).

    Args:
        target: the target dose under consideration.
        ps: the patient series, with the statuses of doses evaluated so far.
        patient: the patient.
        reference: the date administered (evaluation), the assessment date (forecast) or the
            forecast's earliest date (validating a recommendation).
        upto: how many of the series' doses count (those before the dose being evaluated).
        forecasting: read Forecast-context skips instead of Evaluation-context ones.
        completed: answers the Completed Series condition.
    """
    for skip in target.forecast_skips if forecasting else target.evaluation_skips:
        if skip.from_ages is not None:
            # Only age conditions, any of which skips: the same answer without the walk.
            for age in skip.from_ages:
                if reference >= patient.at_age(age):
                    return True
            continue
        sets = [s for s in skip.sets if s.is_in_force(reference)] if skip.dated else skip.sets
        if not sets:
            continue
        if skip.all_sets_required:
            met = True
            for skip_set in sets:
                if not _set_is_met(skip_set, ps, patient, reference, upto, completed):
                    met = False
                    break
            if met:
                return True
        else:
            for skip_set in sets:
                if _set_is_met(skip_set, ps, patient, reference, upto, completed):
                    return True
    return False
