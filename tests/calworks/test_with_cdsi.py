"""assess() through the CDSi engine (`engine.cdsi.evaluate_record`), once it is there."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import engine.cdsi
from engine.calworks import ChildStatus, GroupStatus, assess
from engine.cdsi.result import CdsiResult
from engine.dates import add_offset, parse_offset
from engine.model import Record, VaccineGroup

Evaluate = Callable[[Record, dt.date], CdsiResult]

BIRTH = dt.date(2022, 3, 14)
# CVX codes: 20 DTaP, 10 IPV, 08 HepB pediatric, 48 Hib PRP-T, 03 MMR, 21 varicella.
ROUTINE = [
    ("0 days", "08"),
    *[(age, cvx) for age in ("2 months", "4 months", "6 months") for cvx in ("20", "10", "48")],
    ("2 months", "08"),
    ("6 months", "08"),
    ("12 months", "48"),
    ("12 months", "03"),
    ("12 months", "21"),
    ("15 months", "20"),
]


@pytest.fixture
def evaluate() -> Evaluate:
    found = getattr(engine.cdsi, "evaluate_record", None)
    if found is None:
        pytest.skip("engine.cdsi.evaluate_record has not landed yet")
    return found  # type: ignore[no-any-return]


def _record(doses: list[dict[str, str]]) -> Record:
    return Record.model_validate({"child": {"birth_date": BIRTH.isoformat()}, "doses": doses})


def _routine() -> list[dict[str, str]]:
    return [
        {"date": add_offset(BIRTH, parse_offset(age)).isoformat(), "cvx": cvx}
        for age, cvx in ROUTINE
    ]


def test_a_routine_record_verified_at_18_months_is_up_to_date_at_30_months(
    evaluate: Evaluate,
) -> None:
    record = _record(_routine())
    for age in ("18 months", "30 months"):
        as_of = add_offset(BIRTH, parse_offset(age))
        verdict = assess(record, evaluate(record, as_of), as_of, evaluate=evaluate)
        assert verdict.status is ChildStatus.UP_TO_DATE, verdict.explanation


def test_without_the_15_month_dtap_the_child_is_not_up_to_date_after_18_months(
    evaluate: Evaluate,
) -> None:
    record = _record([d for d in _routine() if d["date"] != "2023-06-14" or d["cvx"] != "20"])
    as_of = add_offset(BIRTH, parse_offset("18 months + 1 day"))
    verdict = assess(record, evaluate(record, as_of), as_of, evaluate=evaluate)
    assert verdict.status is ChildStatus.NOT_UP_TO_DATE
    assert verdict.groups[VaccineGroup.DTAP].status is GroupStatus.OVERDUE


def test_a_month_only_mmr_dose_in_the_first_birthday_month_does_not_count(
    evaluate: Evaluate,
) -> None:
    doses = [d for d in _routine() if d["cvx"] != "03"]
    doses.append({"date": "2023-03-01", "cvx": "03", "date_precision": "month"})
    record = _record(doses)
    as_of = add_offset(BIRTH, parse_offset("15 months + 1 day"))
    verdict = assess(record, evaluate(record, as_of), as_of, evaluate=evaluate)
    # On 2023-03-01 the child is not yet 12 months old (minus CDSi's 4-day grace): not valid.
    assert verdict.groups[VaccineGroup.MMR].status is GroupStatus.OVERDUE, verdict.explanation


def test_month_only_doses_on_the_same_date_are_each_judged_for_their_own_group(
    evaluate: Evaluate,
) -> None:
    doses = [d for d in _routine() if d["date"] < "2022-09-01" and d["cvx"] in {"20", "10", "48"}]
    doses += [
        {"date": "2023-03-01", "cvx": "48", "date_precision": "month"},
        {"date": "2023-03-01", "cvx": "03", "date_precision": "month"},
    ]
    record = _record(doses)
    as_of = add_offset(BIRTH, parse_offset("18 months + 1 day"))
    verdict = assess(record, evaluate(record, as_of), as_of, evaluate=evaluate)
    text = "\n".join(verdict.explanation)
    assert "The MMR dose dated 2023-03 (month and year only)" in text
    assert "it is not valid if given on 2023-03-01, so it does not count" in text
    # Valid as a Hib dose either way, but only on the last day of the month is it a booster.
    assert "The Hib dose dated 2023-03 (month and year only) counts only if it is valid on " \
        "every day of that month: it is valid on both 2023-03-01 and 2023-03-31" in text
    assert "Hib: the outcome depends on the day of a month-only dose" in text
    assert verdict.groups[VaccineGroup.HIB].status is GroupStatus.OVERDUE


def _cdc_cases() -> list[dict[str, object]]:
    # CDC's public cases, copied into the engine's tests.
    path = Path(__file__).resolve().parents[1] / "engine" / "cdsi_cases" / "cases-dev.jsonl"
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CDC's test cases are missing beside the project: {path}")
        pytest.skip(f"CDC's test cases are not beside the project at {path}")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[::4] if line.strip()]


def test_writing_cdc_histories_by_month_only_never_counts_more_doses(evaluate: Evaluate) -> None:
    for case in _cdc_cases():
        child = {"birth_date": case["dob"]}
        doses = case["doses"]
        assert isinstance(doses, list)
        exact = Record.model_validate(
            {"child": child, "doses": [{"date": d["date"], "cvx": d["cvx"]} for d in doses]}
        )
        month = Record.model_validate({
            "child": child,
            "doses": [
                {"date": d["date"][:8] + "01", "cvx": d["cvx"], "date_precision": "month"}
                for d in doses
            ],
        })
        as_of = dt.date.fromisoformat(str(case["assessment_date"]))
        by_day = assess(exact, evaluate(exact, as_of), as_of, evaluate=evaluate)
        by_month = assess(month, evaluate(month, as_of), as_of, evaluate=evaluate)
        for group, verdict in by_month.groups.items():
            assert verdict.valid_doses <= by_day.groups[group].valid_doses, (case["id"], group)
