"""Check a record: the CDSi evaluation and forecast in the contract's JSON shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from engine.cdsi import CdsiResult, DoseResult, GroupForecast, evaluate_record
from engine.model import Record, VaccineGroup

__all__ = ["CheckResult", "check_record"]

# Members a colleague fills from the CalWORKs rule packs; left out of the JSON until they are.
_OPTIONAL = ("status", "groups", "explanation")


class CheckResult(BaseModel):
    """The answer `shotcheck check` prints: evaluations per dose and forecasts per group."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: dt.date
    rules: str
    status: str | None = None
    groups: dict[VaccineGroup, Any] | None = None
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
    """Evaluate a record's doses and forecast its vaccine groups on a date.

    Args:
        record: the record to check.
        as_of: the assessment date; defaults to the record's `as_of`, then today.
        rules: the name of the rule pack the verdict is for (recorded in the result).

    Raises:
        UnknownVaccine: when a dose names a vaccine the vocabulary does not know.
    """
    on = as_of or record.as_of or dt.date.today()
    cdsi = evaluate_record(record, on)
    return CheckResult.model_construct(
        as_of=on,
        rules=rules,
        status=None,
        groups=None,
        doses=cdsi.doses,
        forecast=cdsi.forecast,
        explanation=None,
        cdsi=cdsi,
    )
