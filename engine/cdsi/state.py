"""The working state of one patient series while its doses are evaluated and forecast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from engine.cdsi.result import EvaluationStatus
from engine.cdsi.schema import Series, SeriesDose
from engine.dates import Offset, add_offset

__all__ = [
    "AdministeredDose",
    "Patient",
    "PatientSeries",
    "SeriesForecast",
    "SeriesStatus",
    "TargetStatus",
    "date_plus",
]


# The name the CDSi modules use for `add_offset`, bound directly (no wrapper call).
date_plus = add_offset


class TargetStatus(StrEnum):
    """A target dose's status (spec table 3-2)."""

    NOT_SATISFIED = "not satisfied"
    SATISFIED = "satisfied"
    SKIPPED = "skipped"


class SeriesStatus(StrEnum):
    """A patient series' status (spec table 3-3)."""

    NOT_COMPLETE = "not_complete"
    COMPLETE = "complete"
    AGED_OUT = "aged_out"
    IMMUNE = "immune"
    CONTRAINDICATED = "contraindicated"
    NOT_RECOMMENDED = "not_recommended"


@dataclass(frozen=True, slots=True)
class AdministeredDose:
    """A vaccine dose administered, by its position in the record, date and CVX code."""

    index: int
    date: dt.date
    cvx: str
    mvx: str | None = None


@dataclass(frozen=True, slots=True)
class Patient:
    """What the logic needs of the child: birth date, sex, assessment date, immunity evidence."""

    birth_date: dt.date
    sex: str
    as_of: dt.date
    immune_antigens: frozenset[str] = frozenset()
    history: tuple[AdministeredDose, ...] = ()
    # Ages asked for again and again (every series dose's ages), keyed by the Offset's identity;
    # each Offset asked for is held in `held`, so its id cannot be recycled while it is a key.
    ages: dict[int, dt.date] = field(default_factory=dict, compare=False, repr=False)
    held: list[Offset] = field(default_factory=list, compare=False, repr=False)

    def at_age(self, age: Offset) -> dt.date:
        """The date the patient reaches `age` (CALCDTAGE rules)."""
        found = self.ages.get(id(age))
        if found is None:
            found = self.ages[id(age)] = date_plus(self.birth_date, age)
            self.held.append(age)
        return found


@dataclass(slots=True)
class SeriesForecast:
    """A patient series forecast (spec 7.5): status, next dose number and its dates."""

    status: SeriesStatus
    target: int | None = None
    dose_number: int | None = None
    earliest: dt.date | None = None
    recommended: dt.date | None = None
    past_due: dt.date | None = None
    unadjusted_recommended: dt.date | None = None
    unadjusted_past_due: dt.date | None = None
    latest: dt.date | None = None
    is_priority: bool = False
    finish: dt.date | None = None
    completable: bool | None = None


@dataclass(slots=True, eq=False)
class PatientSeries:
    """One relevant patient series: its target doses and the evaluation of the antigen's doses.

    `status[i]`, `reason[i]` and `target_of[i]` describe `doses[i]`; `satisfied_by[t]` is the
    position of the dose that satisfied target dose `t`. Compared by identity: two series of the
    same data and doses are still two candidates.
    """

    series: Series
    doses: list[AdministeredDose]
    targets: list[SeriesDose] = field(default_factory=list)
    target_status: list[TargetStatus] = field(default_factory=list)
    satisfied_by: list[int | None] = field(default_factory=list)
    status: list[EvaluationStatus | None] = field(default_factory=list)
    reason: list[str | None] = field(default_factory=list)
    target_of: list[int | None] = field(default_factory=list)
    inadvertent: list[bool] = field(default_factory=list)
    current: int = 0
    # Number of satisfied target doses (SELECTB-21), counted as they are satisfied.
    valid_count: int = 0
    forecast: SeriesForecast | None = None
    history: tuple[AdministeredDose, ...] = ()

    def __post_init__(self) -> None:
        self.targets = list(self.series.doses)
        self.target_status = [TargetStatus.NOT_SATISFIED] * len(self.targets)
        self.satisfied_by = [None] * len(self.targets)
        count = len(self.doses)
        self.status = [None] * count
        self.reason = [None] * count
        self.target_of = [None] * count
        self.inadvertent = [False] * count

    def add_recurring(self, after: int) -> None:
        """Repeat target dose `after` right behind it (a recurring dose, spec 4.4 step 5)."""
        self.targets.insert(after + 1, self.targets[after])
        self.target_status.insert(after + 1, TargetStatus.NOT_SATISFIED)
        self.satisfied_by.insert(after + 1, None)
