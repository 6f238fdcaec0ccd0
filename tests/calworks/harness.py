"""Turn a YAML case (a record sketched by dates relative to birth) into a verdict."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import engine.cdsi
from engine.calworks import Verdict, assess
from engine.cdsi.result import CdsiResult
from engine.dates import add_offset, parse_offset
from engine.model import Record, VaccineGroup

CASE_KEYS = {
    "name", "pack", "birth_date", "as_of", "valid", "valid_default", "record", "fake_cdsi",
    "cdsi", "expect",
}


def resolve(value: Any, birth: dt.date) -> Any:
    """Turn "birth + 18 months + 1 day" (anywhere in a structure) into a date."""
    if isinstance(value, str) and value.startswith("birth"):
        rest = value[len("birth"):].strip()
        return add_offset(birth, parse_offset(rest)) if rest else birth
    if isinstance(value, list):
        return [resolve(v, birth) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, birth) for k, v in value.items()}
    return value


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, anywhere in a structure."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


class FakeCdsi:
    """A stand-in CDSi: a dose of a group is valid at a minimum age and interval, nothing more.

    Doses name their group in `vaccine`; groups without a rule take the case's `valid` dates.
    """

    def __init__(
        self, rules: dict[str, dict[str, str]], fixed: dict[VaccineGroup, tuple[dt.date, ...]]
    ) -> None:
        self.rules = rules
        self.fixed = fixed

    def __call__(self, record: Record, as_of: dt.date) -> CdsiResult:
        valid = dict(self.fixed)
        birth = record.child.birth_date
        for group, rule in self.rules.items():
            chosen: list[dt.date] = []
            min_age = parse_offset(rule["min_age"])
            min_interval = parse_offset(rule["min_interval"])
            mine = sorted((d for d in record.doses if d.vaccine == group), key=lambda d: d.date)
            for dose in mine:
                old_enough = dose.date >= add_offset(birth, min_age)
                spaced = not chosen or dose.date >= add_offset(chosen[-1], min_interval)
                if old_enough and spaced:
                    chosen.append(dose.date)
            valid[VaccineGroup(group)] = tuple(chosen)
        return CdsiResult(as_of=as_of, doses=(), forecast={}, valid_doses=valid)


def run_case(spec: dict[str, Any]) -> Verdict:
    """The verdict for one case: valid dates by hand, a stand-in CDSi, or the CDSi engine."""
    unknown = set(spec) - CASE_KEYS
    assert not unknown, f"unknown keys in case: {sorted(unknown)}"
    birth: dt.date = spec["birth_date"]
    as_of: dt.date = resolve(spec["as_of"], birth)
    default = tuple(resolve(spec.get("valid_default", []), birth))
    listed = {
        VaccineGroup(g): tuple(resolve(v, birth)) for g, v in (spec.get("valid") or {}).items()
    }
    fixed = {g: listed.get(g, default) for g in VaccineGroup}
    extra = jsonable(resolve(spec.get("record") or {}, birth))
    child = {"birth_date": birth.isoformat()}
    record = Record.model_validate({"child": child, "doses": [], **extra})
    evaluate: Any = FakeCdsi(spec["fake_cdsi"], fixed) if "fake_cdsi" in spec else None
    if spec.get("cdsi") == "engine":
        # Through the CDSi engine: the record's doses decide what is valid.
        evaluate = getattr(engine.cdsi, "evaluate_record", None)
        if evaluate is None:
            pytest.skip("engine.cdsi.evaluate_record has not landed yet")
    cdsi = (
        evaluate(record, as_of)
        if evaluate
        else CdsiResult(as_of=as_of, doses=(), forecast={}, valid_doses=fixed)
    )
    kwargs = {"evaluate": evaluate} if evaluate else {}
    return assess(record, cdsi, as_of, spec.get("pack", "calworks-sc"), **kwargs)
