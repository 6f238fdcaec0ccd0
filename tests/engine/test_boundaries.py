"""Boundary pairs from boundaries.yaml: a day inside and a day outside every grace period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.check import check_record
from engine.model import Record, VaccineGroup

CASES = yaml.safe_load(
    (Path(__file__).parent / "cases" / "boundaries.yaml").read_text(encoding="utf-8")
)["cases"]


def test_every_group_has_boundaries() -> None:
    assert {case["group"] for case in CASES} == {g.value for g in VaccineGroup}
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique sentences"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_boundary(case: dict[str, Any]) -> None:
    record = Record.model_validate(
        {"child": {"birth_date": case["birth_date"]}, "doses": case["doses"]}
    )
    result = check_record(record, as_of=dt.date.fromisoformat(case["as_of"]))
    group = VaccineGroup(case["group"])
    got = [dose.evaluations[group].status.value for dose in result.doses]
    assert got == case["expected"]
