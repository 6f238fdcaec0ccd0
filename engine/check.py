"""Check a record: the CDSi evaluation and forecast in the contract's JSON shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from engine.calworks import assess
from engine.cdsi import CdsiResult, DoseResult, GroupForecast, evaluate_record
from engine.model import Record, VaccineGroup

__all__ = ["CheckResult", "check_record"]

# Absent only from results built without a verdict (the CDSi-only view used by the CDC cases).
_OPTIONAL = ("status", "groups", "explanation")


class CheckResult(BaseModel):
    """The answer `shotcheck check` prints: the CalWORKs verdict, evaluations and forecasts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: dt.date
    rules: str
    status: str | None = None
    groups: dict[str, Any] | None = None
    doses: tuple[DoseResult, ...]
    forecast: dict[VaccineGroup, GroupForecast]
    explanation: list[str] | None = None
    cdsi: CdsiResult | None = Field(default=None, exclude=True)

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        dumped: dict[str, Any] = handler(self)
        for name in _OPTIONAL:
            if dumped.get(name) is None:
                dumped.pop(name, None)
        return dumped


def check_record(
    record: Record, *, as_of: dt.date | None = None, rules: str = "calworks-sc"
) -> CheckResult:
    """Evaluate a record's doses, forecast its vaccine groups and give the CalWORKs verdict.

    Args:
        record: the record to check.
        as_of: the assessment date; defaults to the record's `as_of`, then today.
        rules: the name of the rule pack the verdict is decided by.

    Raises:
        UnknownVaccine: when a dose names a vaccine the vocabulary does not know.
        BadRecord: when the assessment date is before the child's birth date.
        BadInput: when no rule pack has the name `rules`.
    """
    on = as_of or record.as_of or dt.date.today()
    cdsi = evaluate_record(record, on)
    verdict = assess(record, cdsi, on, rules).to_contract()
    return CheckResult.model_construct(
        as_of=on,
        rules=rules,
        status=verdict["status"],
        groups=verdict["groups"],
        doses=cdsi.doses,
        forecast=cdsi.forecast,
        explanation=verdict["explanation"],
        cdsi=cdsi,
    )
