"""Doses dated by month only: the outcome must hold whether given on the first or the last day."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.cdsi import evaluate_record
from engine.cdsi.result import CdsiResult, EvaluationStatus
from engine.model import DatePrecision, Record, VaccineGroup

__all__ = ["Evaluator", "Scenario", "default_evaluator", "month_doses", "scenarios"]

Evaluator = Callable[[Record, dt.date], CdsiResult]
"""Evaluates a record on a date the CDSi way (`engine.cdsi.evaluate_record`)."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """One reading of the record: each month-only dose placed on a day of its month."""

    cdsi: CdsiResult
    placed: dict[int, dt.date] = field(default_factory=dict)
    unchecked: bool = False

    def valid_dates(self, group: VaccineGroup) -> tuple[dt.date, ...]:
        """The group's valid dose dates in this reading."""
        return tuple(sorted(self.cdsi.valid_doses.get(group, ())))

    def is_valid(self, index: int, group: VaccineGroup) -> bool:
        """Whether the month-only dose at `index` is valid for `group` in this reading.

        Read from the dose's own evaluation when the CDSi result has one; a result with no
        per-dose evaluations (built by hand) is read by the dose's date among the valid ones.
        """
        for result in self.cdsi.doses:
            if result.index == index:
                evaluation = result.evaluations.get(group)
                return evaluation is not None and evaluation.status is EvaluationStatus.VALID
        return self.placed[index] in self.cdsi.valid_doses.get(group, ())


def month_doses(record: Record) -> list[int]:
    """The positions of the doses dated by month and year only."""
    return [i for i, d in enumerate(record.doses) if d.date_precision is DatePrecision.MONTH]


def last_day(first: dt.date) -> dt.date:
    """The last day of the month that starts on `first`."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def default_evaluator() -> Evaluator:
    """The CDSi engine's `evaluate_record`."""
    return evaluate_record


def _placed(record: Record, placement: dict[int, dt.date]) -> Record:
    doses = tuple(
        d.model_copy(update={"date": placement[i], "date_precision": DatePrecision.DAY})
        if i in placement
        else d
        for i, d in enumerate(record.doses)
    )
    return record.model_copy(update={"doses": doses})


def _without_unchecked(record: Record, cdsi: CdsiResult, months: list[int]) -> CdsiResult:
    # Without an evaluator the last day cannot be tried, so a month-only dose cannot be shown
    # valid on every day: it is left out of every group it counted for.
    valid = {group: list(dates) for group, dates in cdsi.valid_doses.items()}
    for index in months:
        first = record.doses[index].date
        for dates in valid.values():
            if first in dates:
                dates.remove(first)
    return cdsi.model_copy(update={"valid_doses": {g: tuple(d) for g, d in valid.items()}})


def scenarios(
    record: Record, cdsi: CdsiResult, as_of: dt.date, evaluate: Evaluator | None
) -> list[Scenario]:
    """The readings of the record to judge: each month-only dose on its first and last day.

    The CDSi result given is the record as written (month-only doses on the first of their
    month). Each month-only dose is then moved alone to the last day of its month, and all of
    them together, and the record evaluated again. The days on which a dose is valid form one
    run (minimum age and interval below it, maximum age above), and a later dose's interval is
    shortest when this one is latest, so the first and last day bound every day between. A
    month that starts before the birth date starts, for this purpose, on the birth date: no dose
    was given before the child was born.

    Args:
        record: the record, month-only doses on the first of their month.
        cdsi: the CDSi evaluation of `record` as written.
        as_of: the date D.
        evaluate: evaluates a moved record; without one, month-only doses are not counted.

    Returns:
        The readings, the record as written (or from the birth date) first.
    """
    months = month_doses(record)
    birth = record.child.birth_date
    first = {i: max(record.doses[i].date, birth) for i in months}
    given = Scenario(cdsi, first)
    if not months:
        return [given]
    if evaluate is None:
        return [Scenario(_without_unchecked(record, cdsi, months), first, unchecked=True)]
    if first != {i: record.doses[i].date for i in months}:
        given = Scenario(evaluate(_placed(record, first), as_of), first)
    readings = [given]
    moves = [{i} for i in months] + ([set(months)] if len(months) > 1 else [])
    for move in moves:
        placed = {i: last_day(record.doses[i].date) if i in move else first[i] for i in months}
        readings.append(Scenario(evaluate(_placed(record, placed), as_of), placed))
    return readings
