"""assess() beyond the YAML cases: the contract's shape, bad input, and month-only doses when no
CDSi evaluator is at hand."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.calworks import ChildStatus, assess
from engine.calworks.partial import scenarios
from engine.cdsi.result import CdsiResult
from engine.errors import BadInput, BadRecord
from engine.model import Record, VaccineGroup

BIRTH = dt.date(2022, 3, 14)


def _record(**extra: object) -> Record:
    return Record.model_validate({"child": {"birth_date": BIRTH.isoformat()}, **extra})


def _cdsi(valid: dict[VaccineGroup, tuple[dt.date, ...]], as_of: dt.date) -> CdsiResult:
    return CdsiResult(as_of=as_of, doses=(), forecast={}, valid_doses=valid)


def test_the_contract_members_match_the_design_example() -> None:
    as_of = dt.date(2023, 6, 1)
    dose = dt.date(2023, 5, 20)
    valid: dict[VaccineGroup, tuple[dt.date, ...]] = {
        VaccineGroup.DTAP: (dose,),
        VaccineGroup.MMR: (dose,),
    }
    out = assess(_record(), _cdsi(valid, as_of), as_of).to_contract()
    assert set(out) == {"status", "groups", "explanation"}
    assert list(out["groups"]) == [g.value for g in VaccineGroup]
    assert out["groups"]["DTaP"] == {
        "status": "in_process",
        "valid_doses": 1,
        "required_doses": 3,
        "next_due": "2023-07-20",
        "overdue_doses": [],
    }
    assert out["groups"]["MMR"] == {
        "status": "complete",
        "valid_doses": 1,
        "required_doses": 0,
        "next_due": None,
        "overdue_doses": [],
    }
    assert all(isinstance(s, str) and s.endswith(".") for s in out["explanation"])


def test_an_as_of_date_before_birth_is_a_bad_record() -> None:
    as_of = BIRTH - dt.timedelta(days=1)
    with pytest.raises(BadRecord, match="before the birth date"):
        assess(_record(), _cdsi({}, as_of), as_of)


def test_an_unknown_pack_is_bad_input() -> None:
    with pytest.raises(BadInput, match="unknown rule pack"):
        assess(_record(), _cdsi({}, BIRTH), BIRTH, "calworks-ny")


def test_a_month_only_dose_is_not_counted_when_no_evaluator_can_try_the_last_day() -> None:
    first = dt.date(2022, 5, 1)
    record = _record(doses=[{"date": first.isoformat(), "vaccine": "DTaP",
                             "date_precision": "month"}])
    as_of = dt.date(2022, 7, 13)
    readings = scenarios(record, _cdsi({VaccineGroup.DTAP: (first,)}, as_of), as_of, None)
    assert len(readings) == 1 and readings[0].unchecked
    assert readings[0].valid_dates(VaccineGroup.DTAP) == ()


def test_a_month_only_date_must_be_written_on_the_first_of_the_month() -> None:
    with pytest.raises(ValueError, match="first of the month"):
        _record(doses=[{"date": "2022-05-14", "vaccine": "DTaP", "date_precision": "month"}])


def test_a_day_precise_record_reads_as_before_the_partial_date_field() -> None:
    record = _record(doses=[{"date": "2022-05-14", "cvx": "20"}])
    assert record.doses[0].date_precision == "day"
    assert "date_precision" not in record.model_dump(exclude_defaults=True)["doses"][0]


def test_the_verdict_is_the_same_whatever_the_cdsi_as_of_when_doses_predate_it() -> None:
    as_of = BIRTH + dt.timedelta(days=40)
    one = assess(_record(), _cdsi({}, as_of), as_of)
    two = assess(_record(), _cdsi({}, as_of + dt.timedelta(days=9)), as_of)
    assert one == two and one.status is ChildStatus.UP_TO_DATE
