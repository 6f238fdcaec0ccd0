"""evaluate_record beyond CDC's cases: immunity evidence, valid doses per group, bad doses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.cdsi import evaluate_record
from engine.errors import BadRecord, UnknownVaccine
from engine.model import Record, VaccineGroup

G = VaccineGroup
ON = dt.date(2024, 6, 1)


def _record(doses: list[dict[str, str]], **extra: Any) -> Record:
    return Record.model_validate({"child": {"birth_date": "2022-03-14"}, "doses": doses, **extra})


def test_a_dt_dose_does_not_count_for_dtap_valid_doses() -> None:
    doses = [{"date": "2022-05-20", "vaccine": "DTaP"}, {"date": "2022-07-20", "vaccine": "DT"}]
    result = evaluate_record(_record(doses), ON)
    assert result.valid_doses[G.DTAP] == (dt.date(2022, 5, 20),)
    assert result.doses[1].evaluations[G.DTAP].status.value == "valid"


def test_a_combination_dose_is_evaluated_in_each_of_its_groups() -> None:
    result = evaluate_record(_record([{"date": "2022-05-20", "vaccine": "Vaxelis"}]), ON)
    assert set(result.doses[0].evaluations) == {G.DTAP, G.POLIO, G.HIB, G.HEPB}


def test_a_dose_outside_the_six_groups_gets_no_evaluation() -> None:
    result = evaluate_record(_record([{"date": "2022-05-20", "vaccine": "Prevnar 13"}]), ON)
    assert result.doses[0].evaluations == {}


def test_varicella_history_makes_varicella_immune_but_measles_history_does_not() -> None:
    immunity = [{"group": "Varicella", "kind": "history"}, {"group": "MMR", "kind": "history"}]
    result = evaluate_record(_record([], immunity=immunity), ON)
    assert result.forecast[G.VARICELLA].status.value == "immune"
    assert result.forecast[G.MMR].status.value == "not_complete"


def test_hepb_serology_makes_hepb_immune() -> None:
    result = evaluate_record(_record([], immunity=[{"group": "HepB", "kind": "serology"}]), ON)
    assert result.forecast[G.HEPB].status.value == "immune"


def test_an_unknown_vaccine_names_its_dose() -> None:
    with pytest.raises(UnknownVaccine, match="dose 1"):
        evaluate_record(
            _record([{"date": "2022-05-20", "cvx": "20"}, {"date": "2022-07-20", "vaccine": "X"}]),
            ON,
        )


def test_an_unknown_cvx_names_its_dose() -> None:
    with pytest.raises(UnknownVaccine, match="dose 0: CVX 999"):
        evaluate_record(_record([{"date": "2022-05-20", "cvx": "999"}]), ON)


def test_a_code_and_a_name_that_disagree_are_a_bad_record() -> None:
    with pytest.raises(BadRecord, match="doses.0"):
        evaluate_record(_record([{"date": "2022-05-20", "cvx": "110", "vaccine": "MMR"}]), ON)


def test_a_code_with_a_matching_brand_is_fine() -> None:
    result = evaluate_record(
        _record([{"date": "2022-05-20", "cvx": "110", "vaccine": "Pediarix"}]), ON
    )
    assert result.doses[0].evaluations[G.HEPB].status.value == "valid"


def test_a_dose_after_the_assessment_date_is_not_yet_history() -> None:
    doses = [{"date": "2022-05-20", "vaccine": "IPV"}, {"date": "2024-07-20", "vaccine": "IPV"}]
    result = evaluate_record(_record(doses), ON)
    assert result.doses[1].evaluations == {}
    assert result.valid_doses[G.POLIO] == (dt.date(2022, 5, 20),)
    assert result.forecast[G.POLIO].dose_number == 2
