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
]


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


class AdministeredDose:
    """A vaccine dose administered, by its position in the record, date and CVX code.

    Immutable by convention, compared and hashed by value. A plain class rather than a frozen
    dataclass, like SeriesForecast and PatientSeries: compiled with mypyc (engine/native.py),
    its __init__ is native code, where a dataclass's generated __init__ stays Python; these
    are made for every dose and series of every record.
    """

    __slots__ = ("index", "date", "cvx", "mvx")

    def __init__(self, index: int, date: dt.date, cvx: str, mvx: str | None = None):
        self.index = index
        self.date = date
        self.cvx = cvx
        self.mvx = mvx

    def _key(self) -> tuple[int, dt.date, str, str | None]:
        return (self.index, self.date, self.cvx, self.mvx)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AdministeredDose):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"AdministeredDose{self._key()!r}"


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
            found = self.ages[id(age)] = add_offset(self.birth_date, age)
            self.held.append(age)
        return found


class SeriesForecast:
    """A patient series forecast (spec 7.5): status, next dose number and its dates."""

    # A plain class for native construction, as AdministeredDose says.
    __slots__ = (
        "status", "target", "dose_number", "earliest", "recommended", "past_due",
        "unadjusted_recommended", "unadjusted_past_due", "latest", "is_priority", "finish",
        "completable",
    )

    def __init__(
        self,
        status: SeriesStatus,
        *,
        target: int | None = None,
        dose_number: int | None = None,
        earliest: dt.date | None = None,
        recommended: dt.date | None = None,
        past_due: dt.date | None = None,
        unadjusted_recommended: dt.date | None = None,
        unadjusted_past_due: dt.date | None = None,
        latest: dt.date | None = None,
        is_priority: bool = False,
        finish: dt.date | None = None,
        completable: bool | None = None,
    ):
        self.status = status
        self.target = target
        self.dose_number = dose_number
        self.earliest = earliest
        self.recommended = recommended
        self.past_due = past_due
        self.unadjusted_recommended = unadjusted_recommended
        self.unadjusted_past_due = unadjusted_past_due
        self.latest = latest
        self.is_priority = is_priority
        self.finish = finish
        self.completable = completable


class PatientSeries:
    """One relevant patient series: its target doses and the evaluation of the antigen's doses.

    `status[i]`, `reason[i]` and `target_of[i]` describe `doses[i]`; `satisfied_by[t]` is the
    position of the dose that satisfied target dose `t`. Compared by identity: two series of the
    same data and doses are still two candidates.
    """

    # A plain class for native construction, as AdministeredDose says.
    __slots__ = (
        "series", "doses", "history", "targets", "target_status", "satisfied_by", "status",
        "reason", "target_of", "inadvertent", "current", "valid_count", "forecast",
    )

    def __init__(
        self,
        series: Series,
        doses: list[AdministeredDose],
        history: tuple[AdministeredDose, ...] = (),
    ):
        self.series = series
        self.doses = doses
        self.history = history
        self.targets: list[SeriesDose] = list(series.doses)
        self.target_status: list[TargetStatus] = [TargetStatus.NOT_SATISFIED] * len(self.targets)
        self.satisfied_by: list[int | None] = [None] * len(self.targets)
        count = len(doses)
        self.status: list[EvaluationStatus | None] = [None] * count
        self.reason: list[str | None] = [None] * count
        self.target_of: list[int | None] = [None] * count
        self.inadvertent: list[bool] = [False] * count
        self.current = 0
        # Number of satisfied target doses (SELECTB-21), counted as they are satisfied.
        self.valid_count = 0
        self.forecast: SeriesForecast | None = None

    def add_recurring(self, after: int) -> None:
        """Repeat target dose `after` right behind it (a recurring dose, spec 4.4 step 5)."""
        self.targets.insert(after + 1, self.targets[after])
        self.target_status.insert(after + 1, TargetStatus.NOT_SATISFIED)
        self.satisfied_by.insert(after + 1, None)
