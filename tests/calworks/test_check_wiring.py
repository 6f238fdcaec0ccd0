"""`shotcheck check` carries the CalWORKs verdict: status, groups and explanation from assess()."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from engine.calworks import assess
from engine.check import check_record
from engine.model import Record

RECORD = {
    "child": {"name": "Ana Ruiz", "birth_date": "2022-03-14", "sex": "F"},
    "doses": [{"date": "2023-05-20", "cvx": "110"}, {"date": "2023-05-20", "vaccine": "MMR"}],
    "as_of": "2023-06-01",
}


@pytest.mark.parametrize("rules", ["calworks-sc", "calworks-la"])
def test_check_prints_the_verdict_of_assess(rules: str) -> None:
    record = Record.model_validate(RECORD)
    result = check_record(record, rules=rules)
    out = json.loads(result.model_dump_json())
    assert result.cdsi is not None
    verdict = assess(record, result.cdsi, dt.date(2023, 6, 1), rules).to_contract()
    assert {k: out[k] for k in ("status", "groups", "explanation")} == verdict
    assert list(out) == ["as_of", "rules", "status", "groups", "doses", "forecast", "explanation"]
