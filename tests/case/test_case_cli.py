"""`shotcheck case CASE.json --json`: the output contract, and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intake.cli import main

EXAMPLE = {
    "event": "application",
    "application_date": "2024-12-15",
    "medi_cal": "existing",
    "medi_cal_approval_date": None,
    "interview_date": None,
    "good_cause_date": None,
    "verification_date": None,
    "noa_date": "2025-01-30",
    "members": [
        {"id": "m1", "role": "parent", "in_au": True},
        {"id": "m2", "role": "stepparent", "in_au": True, "needy_caretaker": False},
    ],
    "children": [{"id": "c1", "birth_date": "2021-06-05", "verified": False, "exempt": False}],
}


def _write(tmp_path: Path, case: object, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(case if isinstance(case, str) else json.dumps(case), encoding="utf-8")
    return path


def test_the_json_output_has_the_due_date_penalty_and_reminders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", str(_write(tmp_path, EXAMPLE)), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["due_date"] == "2025-01-29"
    assert out["penalty"] == {
        "applies": True,
        "effective_from": "2025-03-01",
        "ends_after": "2027-05",
        "restored_from": "2027-06-01",
        "penalized": ["m1"],
    }
    dates = [r["date"] for r in out["reminders"]]
    assert dates == sorted(dates) and "2025-01-29" in dates
    assert all(set(r) == {"date", "action"} for r in out["reminders"])


def test_the_text_output_reads_as_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", str(_write(tmp_path, EXAMPLE))]) == 0
    out = capsys.readouterr().out
    assert "due date: 2025-01-29" in out and "penalized: m1" in out


def test_the_la_pack_is_chosen_with_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", str(_write(tmp_path, EXAMPLE)), "--rules", "calworks-la", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rules"] == "calworks-la"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event": "renewal"}, "event"),
        ({"medi_cal": None}, "medi_cal"),
        ({"application_date": "12/15/2024"}, "application_date"),
        ({"application_date": None}, "application_date"),
        ({"children": [{"id": "c1", "birth_date": "2021-02-30"}]}, "children[0].birth_date"),
        ({"children": [{"id": "c1", "birth_date": "2021-06-05", "verified": "yes"}]},
         "children[0].verified"),
        ({"members": [{"id": "m1", "role": "uncle", "in_au": True}]}, "members[0].role"),
        ({"children": []}, "children"),
        ({"noa": "2025-01-30"}, "noa"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_malformed_case_exits_2_with_one_line_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, object], field: str
) -> None:
    path = _write(tmp_path, {**EXAMPLE, **change})
    assert main(["case", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"shotcheck: case.json: {field}:"), lines


def test_a_case_that_is_not_json_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["case", str(_write(tmp_path, "{not json"))]) == 2
    assert "case.json" in capsys.readouterr().err


def test_a_missing_case_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", str(tmp_path / "nowhere.json")]) == 2
    assert "nowhere.json: cannot read the case file" in capsys.readouterr().err


def test_an_unknown_rule_pack_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["case", str(_write(tmp_path, EXAMPLE)), "--rules", "calworks-xx"]) == 2
    assert "unknown rule pack" in capsys.readouterr().err


def test_a_case_can_come_on_standard_input() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "intake", "case", "-", "--json"],
        input=json.dumps(EXAMPLE),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["due_date"] == "2025-01-29"
