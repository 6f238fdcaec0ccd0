"""The shape of a CalWORKs rule pack: every value a cited entry, unknown keys rejected."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from engine.dates import Offset, parse_offset
from engine.errors import DataError
from engine.model import AttestationKind, ExemptionKind, ImmunityKind, Signer, VaccineGroup

__all__ = [
    "AgeLimit",
    "AttestationHolds",
    "AttestationRule",
    "CaseEvent",
    "CaseRules",
    "CatchUpRule",
    "CompletionRule",
    "DoseRule",
    "DueDateRule",
    "DueDateRules",
    "ExemptionRule",
    "ExemptionScope",
    "GroupRules",
    "ImmunityRule",
    "MediCal",
    "Pack",
    "PenaltyRules",
    "PeriodRule",
    "Role",
    "RoleRule",
    "Span",
]


def _readable_span(text: str) -> str:
    # Parsed once here so a typo in a pack fails at load time, not in the middle of a verdict.
    try:
        parse_offset(text)
    except DataError as exc:
        raise ValueError(str(exc)) from exc
    return text


Span = Annotated[str, AfterValidator(_readable_span)]
"""A CDSi-style span ("3 months + 4 weeks", "45 days"), checked when the pack loads."""

Source = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Cited(_Strict):
    source: Source


class DoseRule(_Cited):
    """One row of the chart: when the dose is due by, or that it is not required under six.

    `given_at_or_after` marks a row only a dose given at that age or older fills (Hib booster).
    """

    due_by: Span | None = None
    required: bool = True
    given_at_or_after: Span | None = None

    @model_validator(mode="after")
    def _due_by_when_required(self) -> DoseRule:
        if self.required and self.due_by is None:
            raise ValueError("a required dose needs 'due_by'")
        if not self.required and (self.due_by or self.given_at_or_after):
            raise ValueError("a dose that is not required takes no 'due_by' or 'given_at_or_after'")
        return self

    @property
    def due_by_offset(self) -> Offset:
        """The due-by age as an offset from the birth date (only for required rows)."""
        if self.due_by is None:
            raise ValueError("a dose that is not required has no due-by age")
        return parse_offset(self.due_by)


class CatchUpRule(_Cited):
    """How long after a valid dose the next one may come while the group is in process."""

    within: Span


class CompletionRule(_Cited):
    """One valid dose given at this age or older completes the group (Hib)."""

    dose_given_at_or_after: Span


class ImmunityRule(_Cited):
    """What evidence of immunity the group accepts, and for which antigens."""

    kinds: tuple[ImmunityKind, ...]
    antigens: tuple[str, ...] = Field(min_length=1)
    each_antigen_named: bool = False


class GroupRules(_Strict):
    """The rules for one vaccine group: its chart rows, catch-up spacing and immunity evidence."""

    doses: dict[int, DoseRule] = Field(min_length=1)
    booster: DoseRule | None = None
    catch_up: dict[int, CatchUpRule] = Field(default_factory=dict)
    completed_by_one_dose: CompletionRule | None = None
    immunity: ImmunityRule | None = None


class AgeLimit(_Cited):
    """The age at which the requirement stops applying."""

    age: Span


class ExemptionScope(StrEnum):
    """Whether an exemption covers the groups it names (all when none) or the whole child."""

    GROUPS = "groups"
    CHILD = "child"


class ExemptionRule(_Cited):
    """An exemption kind the pack accepts and what it covers."""

    scope: ExemptionScope


class AttestationHolds(StrEnum):
    """For how long a signed CSF 49 speaks after the date it was signed."""

    UNTIL_A_DOSE_FALLS_DUE = "until_a_dose_falls_due"
    FOR_PERIOD = "for_period"
    FOR_STATED_DURATION = "for_stated_duration"


class AttestationRule(_Cited):
    """What a signed CSF 49 of one kind is worth: who may sign it and how long it holds."""

    signers: tuple[Signer, ...] = Field(min_length=1)
    holds: AttestationHolds
    period: Span | None = None

    @model_validator(mode="after")
    def _period_when_needed(self) -> AttestationRule:
        if (self.holds is AttestationHolds.FOR_PERIOD) != (self.period is not None):
            raise ValueError("'period' is given exactly when 'holds' is 'for_period'")
        return self


class CaseEvent(StrEnum):
    """Why verification is requested."""

    APPLICATION = "application"
    REDETERMINATION = "redetermination"
    ADD_CHILD = "add_child"


class MediCal(StrEnum):
    """Whether the child already has Medi-Cal or is applying for it with CalWORKs."""

    EXISTING = "existing"
    APPLYING = "applying"


class Role(StrEnum):
    """A member's role in the assistance unit, as far as the penalty is concerned."""

    PARENT = "parent"
    STEPPARENT = "stepparent"
    CARETAKER_RELATIVE = "caretaker_relative"
    SENIOR_PARENT = "senior_parent"
    MINOR_PARENT = "minor_parent"


class DueDateRule(_Cited):
    """The verification due date: a case date (a field of the case) plus a period."""

    counted_from: Literal["application_date", "medi_cal_approval_date", "interview_date"]
    period: Span


class DueDateRules(_Strict):
    """The due-date rule for an event, by Medi-Cal situation."""

    existing: DueDateRule
    applying: DueDateRule


class PeriodRule(_Cited):
    """A span of calendar days the case timeline adds to a date."""

    period: Span


class RoleRule(_Cited):
    """Who is penalized in one situation of the assistance unit."""

    roles: tuple[Role, ...] = Field(min_length=1)
    needy_caretaker_only: bool = False


class PenaltyRules(_Strict):
    """Who is penalized, in the order the situations are tried."""

    minor_parent_case: RoleRule
    parents_in_au: RoleRule
    parent_absent: RoleRule
    notice: PeriodRule


class CaseRules(_Strict):
    """The case timeline's values: due dates, good cause, the notice of action, who is penalized."""

    due_date: dict[CaseEvent, DueDateRules]
    good_cause_extension: PeriodRule
    penalty: PenaltyRules


class Pack(_Strict):
    """A CalWORKs rule pack: the immunization chart and the case timeline of one county's rules."""

    name: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    inherits: str | None = None
    requirement_ends_at: AgeLimit
    groups: dict[VaccineGroup, GroupRules]
    exemptions: dict[ExemptionKind, ExemptionRule]
    attestations: dict[AttestationKind, AttestationRule]
    case: CaseRules

    @model_validator(mode="after")
    def _every_group_and_event(self) -> Pack:
        missing = [g.value for g in VaccineGroup if g not in self.groups]
        if missing:
            raise ValueError(f"groups missing: {', '.join(missing)}")
        events = [e.value for e in CaseEvent if e not in self.case.due_date]
        if events:
            raise ValueError(f"case.due_date missing events: {', '.join(events)}")
        return self
