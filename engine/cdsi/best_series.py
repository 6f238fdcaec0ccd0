"""Select the best patient series of an antigen (spec chapter 8): pre-filter, score, choose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine.cdsi.forecast import finish_date, is_completable
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
    scores: list[int], holds: Sequence[bool], points: int, *, ties_score_zero: bool = True
) -> None:
    # `holds[i]` says whether the i-th series meets the condition; `scores[i]` is its score.
    tied = ties_score_zero and sum(holds) > 1
    for i, won in enumerate(holds):
        if won:
            scores[i] += 0 if tied else points
        else:
            scores[i] -= points


def _all_valid(ps: PatientSeries) -> bool:
    return all(
        s is EvaluationStatus.VALID for s, t in zip(ps.status, ps.target_of, strict=True)
        if t is not None
    )


def _remaining(ps: PatientSeries) -> int:
    return ps.target_status.count(TargetStatus.NOT_SATISFIED)


def _score(series: list[PatientSeries], kind: str, patient: Patient) -> PatientSeries:
    # Each condition is read once per series into a list, then awarded (tables 8-4 to 8-6).
    scores = [0] * len(series)
    valid = [ps.valid_count for ps in series]
    most = max(valid)
    if kind == "complete":
        _award(scores, [v == most for v in valid], 1)
        return _highest(series, scores)
    completable = [is_completable(ps, patient) for ps in series]
    if kind == "in-process":
        remaining = [_remaining(ps) for ps in series]
        fewest = min(remaining)
        finishes = [
            finish_date(ps, patient)[0] if can else None
            for ps, can in zip(series, completable, strict=True)
        ]
        soonest = min((f for f in finishes if f is not None), default=None)
        _award(
            scores,
            [ps.series.product_path and _all_valid(ps) for ps in series],
            2,
            ties_score_zero=False,
        )
        _award(scores, completable, 3, ties_score_zero=False)
        _award(scores, [v == most for v in valid], 2)
        _award(scores, [r == fewest for r in remaining], 2)
        _award(scores, [f is not None and f == soonest for f in finishes], 1)
    else:
        starts = [ps.forecast.earliest if ps.forecast else None for ps in series]
        first = min((d for d in starts if d), default=None)
        _award(
            scores,
            [ps.forecast is not None and d == first for ps, d in zip(series, starts, strict=True)],
            1,
        )
        _award(scores, completable, 1, ties_score_zero=False)
        _award(scores, [not ps.series.product_path for ps in series], 1, ties_score_zero=False)
    return _highest(series, scores)


def _highest(series: list[PatientSeries], scores: list[int]) -> PatientSeries:
    # The first of the highest scores, the preferred series breaking ties.
    best = max(range(len(series)), key=lambda i: (scores[i], -series[i].series.preference))
    return series[best]


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
