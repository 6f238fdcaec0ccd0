"""The Record contract: the engine's domain model of a child, its doses and its evidence."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Attestation",
    "AttestationKind",
    "Child",
    "DatePrecision",
    "Dose",
    "Exemption",
    "ExemptionKind",
    "Immunity",
    "ImmunityKind",
    "Record",
    "Sex",
    "Signer",
    "VaccineGroup",
]


class VaccineGroup(StrEnum):
    """The six vaccine groups the CalWORKs requirement checks, named as the contract names them."""

    POLIO = "Polio"
    DTAP = "DTaP"
    MMR = "MMR"
    VARICELLA = "Varicella"
    HEPB = "HepB"
    HIB = "Hib"


class Sex(StrEnum):
    """Sex as written on the record; CDSi uses it only for a few antigens."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class ImmunityKind(StrEnum):
    """What proves immunity: a provider-verified history of disease, or a positive serology."""

    HISTORY = "history"
    SEROLOGY = "serology"


class ExemptionKind(StrEnum):
    """A medical exemption covers named groups; a personal-belief affidavit covers the child."""

    MEDICAL = "medical"
    PERSONAL_BELIEF = "personal_belief"


class AttestationKind(StrEnum):
    """The three outcomes a CSF 49 can state."""

    AGE_APPROPRIATE = "age_appropriate"
    IN_PROCESS = "in_process"
    MEDICAL_EXEMPTION = "medical_exemption"


class Signer(StrEnum):
    """Who signed a CSF 49: a medical provider or a public agency."""

    PROVIDER = "provider"
    AGENCY = "agency"


class DatePrecision(StrEnum):
    """How much of a dose's date the record gives: the day, or only the month and year."""

    DAY = "day"
    MONTH = "month"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Child(_Strict):
    """The child the record is about."""

    name: str | None = None
    birth_date: dt.date
    sex: Sex = Sex.UNKNOWN


class Dose(_Strict):
    """One administered dose, named by CVX code, by a name the vocabulary knows, or both.

    A dose written with only its month and year has `date_precision` "month" and its `date` on
    the first of that month; it counts only if it would count on every day of the month.
    """

    date: dt.date
    cvx: str | None = None
    vaccine: str | None = None
    mvx: str | None = None
    date_precision: DatePrecision = DatePrecision.DAY

    @model_validator(mode="after")
    def _names_a_vaccine(self) -> Dose:
        if not (self.cvx or self.vaccine):
            raise ValueError("a dose needs 'cvx' or 'vaccine'")
        # One spelling of a month-only date, so two readers of the record never disagree on it.
        if self.date_precision is DatePrecision.MONTH and self.date.day != 1:
            raise ValueError("a dose dated by month only has its 'date' on the first of the month")
        return self


class Immunity(_Strict):
    """Evidence of immunity for a group, or for one antigen of it (polio serology per serotype)."""

    group: VaccineGroup
    kind: ImmunityKind
    antigens: tuple[str, ...] | None = None
    date: dt.date | None = None


class Exemption(_Strict):
    """An exemption on file; a medical one names its groups (none named means all)."""

    kind: ExemptionKind
    groups: tuple[VaccineGroup, ...] = ()
    from_: dt.date | None = Field(default=None, alias="from")
    until: dt.date | None = None


class Attestation(_Strict):
    """What a CSF 49 states, and whether and by whom it was signed."""

    kind: AttestationKind
    signed: bool
    signer: Signer | None = None
    date: dt.date | None = None
    groups: tuple[VaccineGroup, ...] = ()
    until: dt.date | None = None


class Record(_Strict):
    """An immunization record: the engine's input. Only the birth date and doses are required."""

    child: Child
    doses: tuple[Dose, ...] = ()
    immunity: tuple[Immunity, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    attestations: tuple[Attestation, ...] = ()
    as_of: dt.date | None = None
