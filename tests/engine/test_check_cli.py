"""`shotcheck check`: exit codes, one-line errors, JSON and --jsonl output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from intake.cli import main

RECORD = {
    "child": {"name": "Ana Ruiz", "birth_date": "2022-03-14", "sex": "F"},
    "doses": [{"date": "2022-05-20", "cvx": "110"}, {"date": "2023-05-20", "vaccine": "MMR"}],
    "as_of": "2023-06-01",
}


def _write(tmp_path: Path, name: str, content: object) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_check_prints_the_contract_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", _write(tmp_path, "r.json", RECORD), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == [
        "as_of", "rules", "status", "groups", "doses", "forecast", "explanation"
    ]
    assert set(out["groups"]) == {"Polio", "DTaP", "MMR", "Varicella", "HepB", "Hib"}
    assert out["as_of"] == "2023-06-01" and out["rules"] == "calworks-sc"
    assert out["doses"][0]["evaluations"]["DTaP"] == {"status": "valid", "reason": None}
    assert set(out["doses"][0]["evaluations"]) == {"DTaP", "HepB", "Polio"}
    assert out["doses"][1]["evaluations"]["MMR"]["status"] == "valid"
    assert set(out["forecast"]) == {"Polio", "DTaP", "MMR", "Varicella", "HepB", "Hib"}
    assert out["forecast"]["DTaP"]["dose_number"] == 2


def test_as_of_and_rules_options_are_honoured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "r.json", RECORD)
    assert main(["check", path, "--as-of", "2024-01-02", "--rules", "calworks-la", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["as_of"], out["rules"]) == ("2024-01-02", "calworks-la")


def test_an_unknown_rule_pack_is_refused_with_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "r.json", RECORD)
    assert main(["check", path, "--rules", "no-such-pack", "--json"]) == 2
    assert "no-such-pack" in capsys.readouterr().err


def test_without_json_a_short_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", _write(tmp_path, "r.json", RECORD)]) == 0
    out = capsys.readouterr().out
    assert "DTaP" in out and "not_complete" in out and not out.startswith("{")


def test_a_record_without_birth_date_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "bad.json", {"child": {"name": "X"}, "doses": []})
    assert main(["check", path, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "shotcheck: record: child.birth_date: field required\n"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("{not json", "not valid JSON"),
        ({"child": {"birth_date": "2022-02-30"}}, "child.birth_date"),
        ({"child": {"birth_date": "2022-01-01"}, "doses": [{"date": "2022-03-01"}]}, "doses.0"),
        ({"child": {"birth_date": "2022-01-01"}, "extra": 1}, "extra"),
    ],
)
def test_malformed_records_give_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: object, field: str
) -> None:
    assert main(["check", _write(tmp_path, "bad.json", content), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("shotcheck: record: ") and field in err


def test_an_unknown_vaccine_names_the_dose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doses = [{"date": "2022-03-01", "cvx": "20"}, {"date": "2022-05-01", "vaccine": "Zap"}]
    record = {"child": {"birth_date": "2022-01-01"}, "doses": doses}
    assert main(["check", _write(tmp_path, "r.json", record), "--json"]) == 2
    assert "dose 1" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.json")]) == 2
    assert "nope.json" in capsys.readouterr().err


def test_stdin_is_read_for_dash() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "intake", "check", "-", "--json"],
        input=json.dumps(RECORD), capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["as_of"] == "2023-06-01"


def test_jsonl_writes_one_line_per_record_and_goes_on_after_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps(RECORD), "{bad", "", json.dumps({"child": {}}), json.dumps(RECORD)]
    path = _write(tmp_path, "r.jsonl", "\n".join(lines) + "\n")
    assert main(["check", "--jsonl", path, "--json"]) == 2
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert len(out) == 4
    assert out[0]["as_of"] == out[3]["as_of"] == "2023-06-01"
    assert out[1]["line"] == 2 and out[1]["error"]["code"] == "bad_record"
    assert out[2]["line"] == 4 and "child.birth_date" in out[2]["error"]["message"]
    assert captured.err.count("\n") == 2


def test_jsonl_of_good_records_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "r.jsonl", json.dumps(RECORD) + "\n" + json.dumps(RECORD) + "\n")
    assert main(["check", "--jsonl", path, "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
