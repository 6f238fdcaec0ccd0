"""Forecast a patient series (spec chapter 7): status, next dose and its dates."""

from __future__ import annotations

import datetime as dt

from engine.cdsi.evaluate_age import age_rule_in_force
from engine.cdsi.evaluate_interval import reference_date
from engine.cdsi.live_virus import forecast_conflict_end
from engine.cdsi.schema import Interval, Schedule, SeriesDose
from engine.cdsi.skip import CompletedGroup, can_skip
from engine.cdsi.state import (
    Patient,
    PatientSeries,
    SeriesForecast,
    SeriesStatus,
    TargetStatus,
)
from engine.dates import add_offset

__all__ = ["finish_date", "forecast_series", "is_completable"]

_ONE_DAY = dt.timedelta(days=1)


def _latest(dates: list[dt.date]) -> dt.date | None:
    return max(dates) if dates else None


def _earliest_date(
    ps: PatientSeries, target: SeriesDose, patient: Patient, schedule: Schedule
) -> dt.date:
    # FORECASTDTCAN-1: the latest of the minimum age, minimum intervals, conflict ends and the
    # dates of doses already evaluated against this series.
    candidates = [patient.birth_date]
    age = age_rule_in_force(target, patient.as_of)
    if age is not None and age.min is not None:
        candidates.append(patient.at_age(age.min))
    upto = len(ps.doses)
    for interval in _in_force(target, patient.as_of):
        if interval.min is None:
            continue
        reference = reference_date(ps, interval, upto)
        if reference is not None:
            candidates.append(add_offset(reference, interval.min))
    conflict_end = forecast_conflict_end(target, patient.history, schedule)
    if conflict_end is not None:
        candidates.append(conflict_end)
    # The doses are in date order: the last one evaluated against the series is the latest.
    for position in range(upto - 1, -1, -1):
        if ps.target_of[position] is not None:
            candidates.append(ps.doses[position].date)
            break
    return max(candidates)


def _in_force(target: SeriesDose, anchor: dt.date) -> tuple[Interval, ...]:
    # Most target doses have no dated interval: then all are in force, with no filtering.
    undated = target.undated_intervals
    if undated is not None:
        return undated
    return tuple(i for i in target.intervals if i.is_in_force(anchor))


def finish_date(ps: PatientSeries, patient: Patient) -> tuple[dt.date, bool]:
    """When the series could finish, and whether that is before its maximum age (SELECTB-3, -12).

    The finish date is the forecast's earliest date plus the minimum intervals (and ages) of the
    target doses still to go; computed only when scoring needs it.
    """
    forecast = ps.forecast
    if forecast is None or forecast.earliest is None or forecast.target is None:
        return dt.date.max, False
    if forecast.finish is None:
        forecast.finish = _finish(ps, forecast.target, forecast.earliest, patient)
    return forecast.finish, is_completable(ps, patient)


def is_completable(ps: PatientSeries, patient: Patient) -> bool:
    """The second half of `finish_date`.

    Without computing the finish date when the last target dose has no maximum age: the series
    can then always be completed (DTaP, Polio, HepB).
    """
    forecast = ps.forecast
    if forecast is None or forecast.earliest is None or forecast.target is None:
        return False
    if forecast.completable is None:
        last_age = age_rule_in_force(ps.targets[-1], patient.as_of)
        last_max = last_age.max if last_age is not None else None
        if last_max is None:
            forecast.completable = True
        else:
            if forecast.finish is None:
                forecast.finish = _finish(ps, forecast.target, forecast.earliest, patient)
            forecast.completable = forecast.finish < patient.at_age(last_max)
    return forecast.completable


def _finish(ps: PatientSeries, t: int, earliest: dt.date, patient: Patient) -> dt.date:
    as_of = patient.as_of
    finish = earliest
    for target in ps.targets[t + 1 :]:
        mins = target.previous_mins
        if mins is None:
            mins = tuple(
                i.min for i in _in_force(target, as_of) if i.min is not None and i.from_previous
            )
        # Every span of a target dose runs from the previous one's finish.
        start = finish
        for span in mins:
            finish = max(finish, add_offset(start, span))
        age = age_rule_in_force(target, as_of)
        if age is not None and age.min is not None:
            finish = max(finish, patient.at_age(age.min))
    return finish


def _dated_forecast(
    ps: PatientSeries, t: int, earliest: dt.date, patient: Patient
) -> SeriesForecast:
    target = ps.targets[t]
    age = age_rule_in_force(target, patient.as_of)
    upto = len(ps.doses)
    intervals = [(i, reference_date(ps, i, upto)) for i in _in_force(target, patient.as_of)]
    if age is not None and age.earliest_rec is not None:
        recommended: dt.date | None = patient.at_age(age.earliest_rec)
    else:
        recommended = _latest(
            [add_offset(r, i.earliest_rec) for i, r in intervals if r and i.earliest_rec]
        )
    if age is not None and age.latest_rec is not None:
        past_due: dt.date | None = patient.at_age(age.latest_rec) - _ONE_DAY
    else:
        latest_rec = _latest(
            [add_offset(r, i.latest_rec) for i, r in intervals if r and i.latest_rec]
        )
        past_due = None if latest_rec is None else latest_rec - _ONE_DAY
    max_date = patient.at_age(age.max) if age is not None and age.max is not None else None
    return SeriesForecast(
        status=SeriesStatus.NOT_COMPLETE,
        target=t,
        dose_number=ps.valid_count + 1,
        earliest=earliest,
        recommended=max(earliest, recommended) if recommended else earliest,
        past_due=max(earliest, past_due) if past_due else None,
        unadjusted_recommended=recommended or earliest,
        unadjusted_past_due=past_due,
        latest=None if max_date is None else max_date - _ONE_DAY,
        is_priority=bool(intervals) and all(i.priority for i, _ in intervals),
    )


def forecast_series(
    ps: PatientSeries, patient: Patient, schedule: Schedule, completed: CompletedGroup
) -> SeriesForecast:
    """Forecast the next target dose of an evaluated series, storing it in `ps.forecast`."""
    forecast = _forecast(ps, patient, schedule, completed)
    ps.forecast = forecast
    return forecast


def _forecast(
    ps: PatientSeries, patient: Patient, schedule: Schedule, completed: CompletedGroup
) -> SeriesForecast:
    t = ps.current
    upto = len(ps.doses)
    reference = patient.as_of
    while True:
        while t < len(ps.targets) and ps.targets[t].forecast_skips and can_skip(
            ps.targets[t], ps, patient, reference, upto, forecasting=True, completed=completed
        ):
            ps.target_status[t] = TargetStatus.SKIPPED
            t += 1
        if t >= len(ps.targets):
            if ps.valid_count:
                return SeriesForecast(status=SeriesStatus.COMPLETE)
            return SeriesForecast(status=SeriesStatus.NOT_RECOMMENDED)
        if ps.series.antigen in patient.immune_antigens:
            return SeriesForecast(status=SeriesStatus.IMMUNE)
        target = ps.targets[t]
        age = age_rule_in_force(target, patient.as_of)
        max_date = patient.at_age(age.max) if age is not None and age.max is not None else None
        if max_date is not None and patient.as_of >= max_date:
            return SeriesForecast(status=SeriesStatus.AGED_OUT)
        earliest = _earliest_date(ps, target, patient, schedule)
        if max_date is not None and earliest >= max_date:
            return SeriesForecast(status=SeriesStatus.AGED_OUT)
        # Validate the recommendation (7.6): a dose the patient will no longer need by the
        # earliest date is skipped now, and the next target dose forecast instead.
        if reference != earliest and target.forecast_skips and can_skip(
            target, ps, patient, earliest, upto, forecasting=True, completed=completed
        ):
            ps.target_status[t] = TargetStatus.SKIPPED
            t += 1
            continue
        return _dated_forecast(ps, t, earliest, patient)
