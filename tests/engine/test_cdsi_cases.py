"""CDC's official CDSi test cases, run through `check_record` as the contract maps them.

Mapping (shared/cdsi/README.md): birth date, sex, doses (date, cvx, mvx) and the assessment
date make the record; each dose's status for the case's vaccine group and the group's forecast
(status, dose number, earliest, recommended, past-due dates) must match. A dose that does not
carry the case's group (a varicella dose in an MMR live-virus case) is compared in its own
group; a dose outside the six groups (LAIV) must get no evaluation at all, since the contract
reports only the six groups.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.check import check_record
from engine.model import Record, VaccineGroup

HERE = Path(__file__).parent / "cdsi_cases"
GROUPS = {
    "DTAP": VaccineGroup.DTAP,
    "POL": VaccineGroup.POLIO,
    "MMR": VaccineGroup.MMR,
    "VAR": VaccineGroup.VARICELLA,
    "HepB": VaccineGroup.HEPB,
    "HIB": VaccineGroup.HIB,
}
STATUSES = {"Valid": "valid", "Not Valid": "not_valid", "Extraneous": "extraneous"}
SERIES = {
    "Not complete": "not_complete",
    "Complete": "complete",
    "Aged out": "aged_out",
    "Immune": "immune",
    "Contraindicated": "contraindicated",
}


def _cases() -> list[dict[str, Any]]:
    with (HERE / "cases-dev.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _known_failures() -> dict[str, str]:
    raw = yaml.safe_load((HERE / "known_failures.yaml").read_text(encoding="utf-8"))
    return {str(item["id"]): str(item["reason"]) for item in raw["known_failures"] or []}


CASES = _cases()
KNOWN = _known_failures()


def test_known_failures_are_few_and_real() -> None:
    ids = {case["id"] for case in CASES}
    assert set(KNOWN) <= ids, f"unknown ids in known_failures.yaml: {set(KNOWN) - ids}"
    assert len(KNOWN) <= 8, "the engine must pass at least 98% of the CDSi cases"


def _params() -> list[Any]:
    return [
        pytest.param(
            case,
            id=case["id"],
            marks=[pytest.mark.xfail(reason=KNOWN[case["id"]], strict=True)]
            if case["id"] in KNOWN
            else [],
        )
        for case in CASES
    ]


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


@pytest.mark.parametrize("case", _params())
def test_cdsi_case(case: dict[str, Any]) -> None:
    record = Record.model_validate(
        {
            "child": {"birth_date": case["dob"], "sex": case["sex"]},
            "doses": [{"date": d["date"], "cvx": d["cvx"], "mvx": d["mvx"]} for d in case["doses"]],
        }
    )
    result = check_record(record, as_of=dt.date.fromisoformat(case["assessment_date"]))
    group = GROUPS[case["vaccine_group"]]
    problems = []
    for i, dose in enumerate(case["doses"]):
        evaluations = result.doses[i].evaluations
        if group in evaluations:
            got = evaluations[group].status.value
        elif evaluations:
            (got,) = {e.status.value for e in evaluations.values()}
        else:
            assert not (set(dose["cdsi_antigens"]) & _our_antigens()), dose
            continue
        want = STATUSES[dose["expected_evaluation_status"]]
        if got != want:
            problems.append(f"dose {i + 1} ({dose['cvx']} on {dose['date']}): {got}, want {want}")
    expected = case["expected_forecast"]
    forecast = result.forecast[group]
    number = expected["forecast_dose_number"]
    want_forecast = (
        SERIES[expected["series_status"]],
        int(number) if number else None,
        _date(expected["earliest_date"]),
        _date(expected["recommended_date"]),
        _date(expected["past_due_date"]),
    )
    got_forecast = (
        forecast.status.value,
        forecast.dose_number,
        forecast.earliest,
        forecast.recommended,
        forecast.past_due,
    )
    if got_forecast != want_forecast:
        problems.append(f"forecast {got_forecast}, want {want_forecast}")
    assert not problems, f"{case['id']} {case['name']}: " + "; ".join(problems)


def _our_antigens() -> set[str]:
    from engine.cdsi.supporting_data import load_supporting_data

    data = load_supporting_data()
    return {
        antigen
        for name in data.group_names.values()
        for antigen in data.schedule.vaccine_groups[name].antigens
    }
