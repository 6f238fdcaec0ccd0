"""Typed, validated shapes of CDC's CDSi supporting data (antigen series and schedule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from engine.dates import Offset

__all__ = [
    "AgeRule",
    "AllowableInterval",
    "Antigen",
    "ConditionKind",
    "ConditionalSkip",
    "CountLogic",
    "CvxEntry",
    "CvxAssociation",
    "Immunity",
    "Interval",
    "LiveVirusConflict",
    "Schedule",
    "Series",
    "SeriesDose",
    "SeriesType",
    "SkipCondition",
    "SkipContext",
    "SkipSet",
    "SupportingData",
    "VaccineGroupInfo",
    "VaccineRule",
]


class SeriesType(StrEnum):
    """Whom an antigen series is for (logic spec 5.1)."""

    STANDARD = "Standard"
    RISK = "Risk"
    EVALUATION_ONLY = "Evaluation Only"


class SkipContext(StrEnum):
    """When a conditional skip applies: evaluating a dose, forecasting, or both (spec 3.3)."""

    EVALUATION = "Evaluation"
    FORECAST = "Forecast"
    BOTH = "Both"


class ConditionKind(StrEnum):
    """The condition types of a conditional skip set (spec tables 6-6 to 6-9)."""

    AGE = "age"
    COMPLETED_SERIES = "completed series"
    INTERVAL = "interval"
    VACCINE_COUNT_BY_AGE = "vaccine count by age"
    VACCINE_COUNT_BY_DATE = "vaccine count by date"
    VACCINE_COUNT_BY_DATE_AND_AGE = "vaccine count by date and age"


class CountLogic(StrEnum):
    """How a vaccine count compares with a condition's dose count (table 6-9)."""

    GREATER = "greater than"
    EQUAL = "equal to"
    LESS = "less than"


@dataclass(frozen=True, slots=True)
class _Dated:
    """A logical component in force between an effective and a cessation date (spec 3.3)."""

    effective: dt.date | None = None
    cessation: dt.date | None = None

    def is_in_force(self, anchor: dt.date) -> bool:
        """Whether the component applies on `anchor` (RELEVANT-1 and RELEVANT-2)."""
        if self.effective is not None and anchor < self.effective:
            return False
        return not (self.cessation is not None and anchor > self.cessation)


@dataclass(frozen=True, slots=True)
class AgeRule(_Dated):
    """The ages of a series dose: absolute minimum, minimum, recommended window, maximum."""

    abs_min: Offset | None = None
    min: Offset | None = None
    earliest_rec: Offset | None = None
    latest_rec: Offset | None = None
    max: Offset | None = None


@dataclass(frozen=True, slots=True)
class Interval(_Dated):
    """A preferable interval, measured from one reference dose or observation."""

    from_previous: bool = False
    from_target_dose: int | None = None
    from_most_recent: frozenset[str] = frozenset()
    from_observation: str | None = None
    abs_min: Offset | None = None
    min: Offset | None = None
    earliest_rec: Offset | None = None
    latest_rec: Offset | None = None
    priority: bool = False


@dataclass(frozen=True, slots=True)
class AllowableInterval(_Dated):
    """An allowable interval: only an absolute minimum, used when preferable ones fail."""

    from_previous: bool = False
    from_target_dose: int | None = None
    abs_min: Offset | None = None


@dataclass(frozen=True, slots=True)
class VaccineRule:
    """A preferable or allowable vaccine of a series dose, with the ages it applies between."""

    cvx: str
    vaccine_type: str
    begin_age: Offset | None = None
    end_age: Offset | None = None
    trade_name: str | None = None
    mvx: str | None = None
    volume: str | None = None
    forecast: bool = False


@dataclass(frozen=True, slots=True)
class SkipCondition:
    """One condition of a conditional skip set."""

    kind: ConditionKind
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    begin_age: Offset | None = None
    end_age: Offset | None = None
    interval: Offset | None = None
    dose_count: int | None = None
    valid_only: bool = False
    count_logic: CountLogic | None = None
    vaccine_types: frozenset[str] = frozenset()
    series_groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SkipSet(_Dated):
    """A set of conditions joined by AND or OR."""

    set_id: str = ""
    description: str = ""
    all_required: bool = False
    conditions: tuple[SkipCondition, ...] = ()


@dataclass(frozen=True, slots=True)
class ConditionalSkip:
    """The conditional skip of a series dose: its context and sets joined by AND or OR."""

    context: SkipContext
    all_sets_required: bool
    sets: tuple[SkipSet, ...]
    # Derived once at load: whether any set has an effective or cessation date, so that sets
    # without dates are not filtered again for every dose; and, when the skip is only "the
    # patient has reached one of these ages" (DTaP's "7 years or older"), those ages.
    dated: bool = field(default=False, compare=False)
    from_ages: tuple[Offset, ...] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        dated = any(s.effective is not None or s.cessation is not None for s in self.sets)
        object.__setattr__(self, "dated", dated)
        # Any set and any condition in it suffices (OR, or a single one of them).
        any_suffices = (len(self.sets) == 1 or not self.all_sets_required) and all(
            len(s.conditions) == 1 or not s.all_required for s in self.sets
        )
        conditions = [c for s in self.sets for c in s.conditions]
        if (
            not dated
            and any_suffices
            and all(s.conditions for s in self.sets)
            and all(
                c.kind is ConditionKind.AGE and c.begin_age is not None and c.end_age is None
                for c in conditions
            )
        ):
            ages = tuple(c.begin_age for c in conditions if c.begin_age is not None)
            object.__setattr__(self, "from_ages", ages)

    def applies_to_evaluation(self) -> bool:
        """Whether the skip is read while evaluating doses (spec 6.2)."""
        return self.context in (SkipContext.EVALUATION, SkipContext.BOTH)

    def applies_to_forecast(self) -> bool:
        """Whether the skip is read while forecasting (spec 7.1, 7.6)."""
        return self.context in (SkipContext.FORECAST, SkipContext.BOTH)


@dataclass(frozen=True, slots=True)
class SeriesDose:
    """One target dose of an antigen series, as the supporting data defines it."""

    number: int
    ages: tuple[AgeRule, ...]
    intervals: tuple[Interval, ...]
    allowable_intervals: tuple[AllowableInterval, ...]
    preferable: tuple[VaccineRule, ...]
    allowable: tuple[VaccineRule, ...]
    inadvertent: frozenset[str]
    skips: tuple[ConditionalSkip, ...]
    recurring: bool
    season_start: dt.date | None = None
    season_end: dt.date | None = None
    # Derived once at load, for the inner loop: the skips read in each context, and the age
    # rule when there is one and it is always in force.
    evaluation_skips: tuple[ConditionalSkip, ...] = field(default=(), compare=False)
    forecast_skips: tuple[ConditionalSkip, ...] = field(default=(), compare=False)
    only_age: AgeRule | None = field(default=None, compare=False)
    # The intervals when none has an effective or cessation date (always in force), else None;
    # and then the minimum intervals from the previous dose, which a series' finish date adds.
    undated_intervals: tuple[Interval, ...] | None = field(default=None, compare=False)
    previous_mins: tuple[Offset, ...] | None = field(default=None, compare=False)
    # Preferable and allowable vaccines by CVX: begin and end ages, and the manufacturer (MVX)
    # a dose must carry when the vaccine names a trade name (the CVX and MVX codes together
    # name the product). A dose of either kind is an acceptable vaccine (spec 6.8, 6.9).
    acceptable: dict[str, tuple[tuple[Offset | None, Offset | None, str | None], ...]] = field(
        default_factory=dict, compare=False
    )

    def __post_init__(self) -> None:
        # Frozen: derived fields are set through object.__setattr__, once, at construction.
        object.__setattr__(
            self, "evaluation_skips", tuple(s for s in self.skips if s.applies_to_evaluation())
        )
        object.__setattr__(
            self, "forecast_skips", tuple(s for s in self.skips if s.applies_to_forecast())
        )
        only = self.ages[0] if len(self.ages) == 1 else None
        if only is not None and (only.effective is not None or only.cessation is not None):
            only = None
        object.__setattr__(self, "only_age", only)
        if all(i.effective is None and i.cessation is None for i in self.intervals):
            object.__setattr__(self, "undated_intervals", self.intervals)
            previous = tuple(i.min for i in self.intervals if i.min is not None and i.from_previous)
            object.__setattr__(self, "previous_mins", previous)
        acceptable: dict[str, list[tuple[Offset | None, Offset | None, str | None]]] = {}
        for rule in (*self.preferable, *self.allowable):
            # A trade name without a manufacturer cannot be matched from a record: left out.
            if rule.trade_name is not None and rule.mvx is None:
                continue
            maker = rule.mvx.upper() if rule.trade_name is not None and rule.mvx else None
            acceptable.setdefault(rule.cvx, []).append((rule.begin_age, rule.end_age, maker))
        object.__setattr__(self, "acceptable", {k: tuple(v) for k, v in acceptable.items()})


@dataclass(frozen=True, slots=True)
class Series:
    """An antigen series: one path to immunity against the antigen."""

    name: str
    antigen: str
    vaccine_group: str
    series_type: SeriesType
    required_genders: frozenset[str]
    default: bool
    product_path: bool
    series_group: str
    preference: int
    priority: str
    min_age_to_start: Offset | None
    max_age_to_start: Offset | None
    equivalent_groups: tuple[str, ...]
    indications: tuple[str, ...]
    doses: tuple[SeriesDose, ...]


@dataclass(frozen=True, slots=True)
class Immunity:
    """Evidence of immunity an antigen accepts: clinical history codes or birth before a date."""

    clinical_history: frozenset[str] = frozenset()
    born_before: dt.date | None = None
    birth_country: str | None = None
    exclusions: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Antigen:
    """One antigen's supporting data: its series and evidence of immunity."""

    name: str
    series: tuple[Series, ...]
    immunity: Immunity
    contraindication_codes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CvxAssociation:
    """An antigen a CVX code carries, between the patient ages the association holds for."""

    antigen: str
    begin_age: Offset | None = None
    end_age: Offset | None = None


@dataclass(frozen=True, slots=True)
class CvxEntry:
    """A CVX code, CDC's short description and the antigens it carries."""

    cvx: str
    description: str
    associations: tuple[CvxAssociation, ...]


@dataclass(frozen=True, slots=True)
class LiveVirusConflict:
    """A vaccine (current) that must not follow another (previous) within an interval."""

    previous_cvx: str
    current_cvx: str
    begin: Offset
    min_end: Offset
    end: Offset


@dataclass(frozen=True, slots=True)
class VaccineGroupInfo:
    """A CDSi vaccine group, its antigens and whether the whole group is given together."""

    name: str
    antigens: tuple[str, ...]
    administer_full_group: bool


@dataclass(frozen=True, slots=True)
class Schedule:
    """ScheduleSupportingData: CVX map, live-virus conflicts, vaccine groups, observations."""

    cvx_map: dict[str, CvxEntry]
    conflicts_by_current: dict[str, tuple[LiveVirusConflict, ...]]
    vaccine_groups: dict[str, VaccineGroupInfo]
    observations: dict[str, str]


@dataclass(frozen=True, slots=True)
class SupportingData:
    """One CDSi supporting-data release, loaded and validated."""

    release: str
    antigens: dict[str, Antigen]
    schedule: Schedule
    group_names: dict[str, str] = field(default_factory=dict)
    # A record's kind of immunity evidence -> the CDSi immunity guideline codes it stands for.
    evidence_codes: dict[str, frozenset[str]] = field(default_factory=dict)
