"""Select the best patient series of an antigen (spec chapter 8): pre-filter, score, choose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from engine.cdsi.forecast import finish_date
from engine.cdsi.result import EvaluationStatus
from engine.cdsi.schema import SeriesType
from engine.cdsi.state import Patient, PatientSeries, SeriesStatus, TargetStatus

__all__ = ["select_best_series"]


def _status(ps: PatientSeries) -> SeriesStatus | None:
    return ps.forecast.status if ps.forecast is not None else None


def _is_complete(ps: PatientSeries) -> bool:
    return _status(ps) is SeriesStatus.COMPLETE


def _is_in_process(ps: PatientSeries) -> bool:
    return ps.valid_count > 0 and _status(ps) is SeriesStatus.NOT_COMPLETE


def _first_valid(ps: PatientSeries) -> dt.date | None:
    for position, status in enumerate(ps.status):
        if status is EvaluationStatus.VALID:
            return ps.doses[position].date
    return None


def _scorable(group: Sequence[PatientSeries], patient: Patient) -> list[PatientSeries]:
    # 8.1 and SELECTSCORE-2; only the highest series priority of the group is considered.
    top = min(ps.series.priority for ps in group)
    group = [ps for ps in group if ps.series.priority == top]
    all_contraindicated = all(_status(ps) is SeriesStatus.CONTRAINDICATED for ps in group)
    candidates = [
        ps for ps in group
        if all_contraindicated or _status(ps) is not SeriesStatus.CONTRAINDICATED
    ]
    none_valid = all(ps.valid_count == 0 for ps in group)
    has_default = any(ps.series.default for ps in group)
    scorable = []
    for ps in candidates:
        kind = ps.series.series_type
        if kind is SeriesType.RISK:
            scorable.append(ps)
        elif kind is SeriesType.EVALUATION_ONLY:
            if _is_complete(ps):
                scorable.append(ps)
        elif ps.valid_count > 0:
            first = _first_valid(ps)
            start = ps.series.max_age_to_start
            if first is not None and (start is None or first < patient.at_age(start)):
                scorable.append(ps)
        elif none_valid and not has_default:
            scorable.append(ps)
    return scorable


def _award(
    series: Sequence[PatientSeries],
    scores: dict[int, int],
    holds: Callable[[PatientSeries], bool],
    points: int,
    *,
    ties_score_zero: bool = True,
) -> None:
    winners = [ps for ps in series if holds(ps)]
    for ps in series:
        if ps in winners:
            tied = len(winners) > 1 and ties_score_zero
            scores[id(ps)] += 0 if tied else points
        else:
            scores[id(ps)] -= points




def _all_valid(ps: PatientSeries) -> bool:
    return all(
        s is EvaluationStatus.VALID for s, t in zip(ps.status, ps.target_of, strict=True)
        if t is not None
    )


def _remaining(ps: PatientSeries) -> int:
    return sum(1 for s in ps.target_status if s is TargetStatus.NOT_SATISFIED)


def _score(series: list[PatientSeries], kind: str, patient: Patient) -> PatientSeries:
    scores = {id(ps): 0 for ps in series}

    def _finish(ps: PatientSeries) -> dt.date:
        return finish_date(ps, patient)[0]

    def _completable(ps: PatientSeries) -> bool:
        return finish_date(ps, patient)[1]

    most = max(ps.valid_count for ps in series)
    if kind == "complete":
        _award(series, scores, lambda ps: ps.valid_count == most, 1)
    elif kind == "in-process":
        fewest = min(_remaining(ps) for ps in series)
        finishes = [_finish(ps) for ps in series if _completable(ps)]
        soonest = min(finishes) if finishes else None
        _award(series, scores, lambda ps: ps.series.product_path and _all_valid(ps), 2,
               ties_score_zero=False)
        _award(series, scores, _completable, 3, ties_score_zero=False)
        _award(series, scores, lambda ps: ps.valid_count == most, 2)
        _award(series, scores, lambda ps: _remaining(ps) == fewest, 2)
        _award(series, scores, lambda ps: _completable(ps) and _finish(ps) == soonest, 1)
    else:
        starts = [ps.forecast.earliest for ps in series if ps.forecast and ps.forecast.earliest]
        first = min(starts) if starts else None
        _award(
            series, scores,
            lambda ps: ps.forecast is not None and ps.forecast.earliest == first, 1,
        )
        _award(series, scores, _completable, 1, ties_score_zero=False)
        _award(series, scores, lambda ps: not ps.series.product_path, 1, ties_score_zero=False)
    return max(series, key=lambda ps: (scores[id(ps)], -ps.series.preference))


def _prioritized(group: Sequence[PatientSeries], patient: Patient) -> PatientSeries | None:
    if len(group) == 1 and group[0].series.default:
        # Scorable, it is the one scorable series; not scorable, it is the default (8-3).
        return group[0]
    scorable = _scorable(group, patient)
    defaults = [ps for ps in group if ps.series.default]
    default = defaults[0] if len(defaults) == 1 else None
    if not scorable:
        return default
    if len(scorable) == 1:
        return scorable[0]
    complete = [ps for ps in scorable if _is_complete(ps)]
    in_process = [ps for ps in scorable if _is_in_process(ps)]
    if len(complete) == 1:
        return complete[0]
    if not complete and len(in_process) == 1:
        return in_process[0]
    if not complete and not in_process and default is not None:
        return default
    if len(complete) >= 2:
        return _score(complete, "complete", patient)
    if len(in_process) >= 2:
        return _score(in_process, "in-process", patient)
    return _score([ps for ps in scorable if ps.valid_count == 0] or scorable, "no valid", patient)


def select_best_series(
    series: Sequence[PatientSeries], patient: Patient
) -> list[PatientSeries]:
    """The best patient series of one antigen, one per non-redundant series group (8.8)."""
    if len(series) == 1 and series[0].series.default and not series[0].series.equivalent_groups:
        only = series[0]
        # One default series and nothing equivalent: it is best unless an Evaluation Only
        # series that is not complete.
        if only.series.series_type is not SeriesType.EVALUATION_ONLY or _is_complete(only):
            return [only]
    groups: dict[str, list[PatientSeries]] = {}
    for ps in series:
        groups.setdefault(ps.series.series_group, []).append(ps)
    prioritized = {
        name: chosen
        for name, members in groups.items()
        if (chosen := _prioritized(members, patient)) is not None
    }
    best = []
    for name, ps in prioritized.items():
        equivalent = [
            other for group, other in prioritized.items()
            if group != name and group in ps.series.equivalent_groups
        ]
        if _is_complete(ps):
            best.append(ps)
        elif (
            any(_is_complete(o) for o in equivalent)
            or ps.series.series_type is SeriesType.EVALUATION_ONLY
        ):
            continue
        elif ps.series.series_type is SeriesType.RISK or not any(
            o.series.series_type is SeriesType.RISK for o in equivalent
        ):
            best.append(ps)
    return best
