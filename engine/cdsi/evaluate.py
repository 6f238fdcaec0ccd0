"""Evaluate a patient series (spec 4.4 and chapter 6): walk doses against target doses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from engine.cdsi.evaluate_age import age_rule_in_force
from engine.cdsi.evaluate_interval import evaluate_intervals
from engine.cdsi.live_virus import is_in_conflict
from engine.cdsi.result import EvaluationStatus
from engine.cdsi.schema import Schedule, SeriesDose
from engine.cdsi.skip import CompletedGroup, can_skip
from engine.cdsi.state import Patient, PatientSeries, TargetStatus

__all__ = ["Reason", "evaluate_series", "is_allowed_vaccine"]


class Reason:
    """The evaluation reasons shotcheck reports, worded as CDC's test cases word them."""

    TOO_YOUNG: Final = "Age: Too Young"
    TOO_OLD: Final = "Age: Too Old"
    TOO_SOON: Final = "Interval: Too Soon"
    CONFLICT: Final = "Live Virus Conflict"
    INADVERTENT: Final = "Inadvertent Vaccine"
    NOT_ALLOWED: Final = "Vaccine: Not Preferable or Allowable"
    COMPLETE: Final = "Series Already Complete"


def is_allowed_vaccine(
    target: SeriesDose, ps: PatientSeries, position: int, patient: Patient
) -> bool:
    """Whether the dose was a preferable or else an allowable vaccine (spec 6.8, 6.9).

    Volume never invalidates a dose (spec 6.8). A preferable vaccine naming a trade name
    (table 6-26) is matched by the dose's manufacturer (MVX), which with the CVX code names the
    product; a dose without one does not match it.
    """
    dose = ps.doses[position]
    for begin, end, maker in target.acceptable.get(dose.cvx, ()):
        if maker is not None and dose.mvx != maker:
            continue
        if begin is not None and dose.date < patient.at_age(begin):
            continue
        if end is not None and dose.date >= patient.at_age(end):
            continue
        return True
    return False


def _evaluate_dose(
    ps: PatientSeries,
    target: SeriesDose,
    position: int,
    patient: Patient,
    schedule: Schedule,
    other_status: Mapping[int, EvaluationStatus],
) -> tuple[EvaluationStatus, str | None]:
    # Table 6-31, in its order: age first (too old makes the dose extraneous), then intervals,
    # conflicts and the vaccine itself.
    dose = ps.doses[position]
    if dose.cvx in target.inadvertent:
        ps.inadvertent[position] = True
        return EvaluationStatus.NOT_VALID, Reason.INADVERTENT
    # evaluate_age, inline: it runs for every dose against every target dose.
    given = dose.date
    rule = target.only_age if target.only_age is not None else age_rule_in_force(target, given)
    if rule is not None:
        if rule.abs_min is not None and given < patient.at_age(rule.abs_min):
            return EvaluationStatus.NOT_VALID, Reason.TOO_YOUNG
        if rule.max is not None and given >= patient.at_age(rule.max):
            return EvaluationStatus.EXTRANEOUS, Reason.TOO_OLD
    if (target.intervals or target.allowable_intervals) and not evaluate_intervals(
        ps, target, position
    ):
        return EvaluationStatus.NOT_VALID, Reason.TOO_SOON
    # Only live virus vaccines have conflicts: the lookup is skipped for every other dose.
    if dose.cvx in schedule.conflicts_by_current and is_in_conflict(
        ps, position, patient, schedule, other_status
    ):
        return EvaluationStatus.NOT_VALID, Reason.CONFLICT
    if not is_allowed_vaccine(target, ps, position, patient):
        return EvaluationStatus.NOT_VALID, Reason.NOT_ALLOWED
    return EvaluationStatus.VALID, None


def evaluate_series(
    ps: PatientSeries,
    patient: Patient,
    schedule: Schedule,
    completed: CompletedGroup,
    other_status: Mapping[int, EvaluationStatus],
) -> None:
    """Evaluate every antigen dose of the series in date order, filling `ps` in place.

    A valid dose satisfies the current target dose and moves on to the next; any other outcome
    leaves the target dose to be satisfied by a later dose. Doses after the last target dose
    are extraneous.
    """
    t = 0
    targets = ps.targets  # grows in place when a recurring dose repeats
    for position, dose in enumerate(ps.doses):
        while t < len(targets) and targets[t].evaluation_skips and can_skip(
            targets[t], ps, patient, dose.date, position,
            forecasting=False, completed=completed,
        ):
            ps.target_status[t] = TargetStatus.SKIPPED
            t += 1
        if t >= len(targets):
            ps.status[position] = EvaluationStatus.EXTRANEOUS
            ps.reason[position] = Reason.COMPLETE
            continue
        target = targets[t]
        ps.target_of[position] = t
        status, reason = _evaluate_dose(ps, target, position, patient, schedule, other_status)
        ps.status[position] = status
        ps.reason[position] = reason
        if status is EvaluationStatus.VALID:
            ps.target_status[t] = TargetStatus.SATISFIED
            ps.valid_count += 1
            ps.satisfied_by[t] = position
            if target.recurring:
                ps.add_recurring(t)
            t += 1
    ps.current = t
