"""How the accuracy bench counts expected flags: once per dose, as it counts doses."""

from __future__ import annotations

from typing import Any

from bench.extraction_accuracy import _expected_flags, _score


def _row(same_as: int | None = None) -> dict[str, Any]:
    return {"groups": ["Polio"], "date": None, "date_precision": "none", "same_as": same_as}


def _truth_of_a_combination_undated_on_three_rows() -> dict[str, Any]:
    # Vaxelis written on the Polio, DTaP and Hib rows with no date: one dose, flagged per row.
    return {
        "document_type": "unknown",
        "child": None,
        "doses": [_row(), _row(0), _row(0), _row()],
        "flags": [
            {"code": "missing_date", "field": "doses[0].date", "message": ""},
            {"code": "missing_date", "field": "doses[1].date", "message": ""},
            {"code": "missing_date", "field": "doses[2].date", "message": ""},
            {"code": "missing_date", "field": "doses[3].date", "message": ""},
            {"code": "unknown_document_type", "field": "document_type", "message": ""},
        ],
    }


def test_a_flag_on_every_row_of_one_combination_dose_is_expected_once() -> None:
    expected = _expected_flags(_truth_of_a_combination_undated_on_three_rows())

    assert [f["field"] for f in expected] == ["doses[0].date", "doses[3].date", "document_type"]


def _result(doses: list[list[str]], flags: list[tuple[str, str]]) -> dict[str, Any]:
    return {"document_type": "unknown", "child": {"name": {"value": None, "confidence": 0},
                                                 "birth_date": {"value": None, "confidence": 0}},
            "doses": [{"groups": groups, "date": {"value": None, "confidence": 0},
                       "vaccine_text": {"confidence": 0}} for groups in doses],
            "needs_review": True,
            "flags": [{"code": code, "field": field, "message": ""} for code, field in flags]}


def test_one_flag_raised_for_the_combination_and_none_for_the_other_dose_misses_one() -> None:
    result = _result([["Polio"]], [("missing_date", "doses[0].date"),
                                   ("unknown_document_type", "document_type")])

    score = _score(_truth_of_a_combination_undated_on_three_rows(), result)

    assert score["flags"] == (2, 3)
    assert score["flags_missed"] == ["missing_date"]


def test_a_flag_with_the_expected_code_on_a_dose_of_another_vaccine_stands_for_nothing() -> None:
    truth = {"document_type": "yellow_card", "child": None,
             "doses": [{"groups": ["MMR"], "date": None, "date_precision": "none"}],
             "flags": [{"code": "missing_date", "field": "doses[0].date", "message": ""}]}

    on_another = _result([["Polio"], ["MMR"]], [("missing_date", "doses[0].date")])
    on_the_dose = _result([["Polio"], ["MMR"]], [("missing_date", "doses[1].date")])
    on_the_birth_date = _result([["MMR"]], [("missing_date", "child.birth_date")])

    assert _score(truth, on_another)["flags_missed"] == ["missing_date"]
    assert _score(truth, on_the_dose)["flags_missed"] == []
    assert _score(truth, on_the_birth_date)["flags_missed"] == ["missing_date"]


def test_an_unknown_vaccine_is_paired_with_a_dose_of_no_group() -> None:
    truth = {"document_type": "yellow_card", "child": None,
             "doses": [{"groups": [], "date": "2024-10-29", "date_precision": "day"}],
             "flags": [{"code": "unknown_vaccine", "field": "doses[0].vaccine", "message": ""}]}

    assert _score(truth, _result([["HepA"], []], [("unknown_vaccine", "doses[1].vaccine")])
                  )["flags_missed"] == []
    assert _score(truth, _result([["HepA"]], [("unknown_vaccine", "doses[0].vaccine")])
                  )["flags_missed"] == ["unknown_vaccine"]


def test_an_unknown_vaccine_is_not_paired_with_a_nameless_dose_of_another_dose_s_date() -> None:
    # A name left unread on another row is flagged too: read with that row's date, it stands
    # for another dose; read with its own date, none, or a date no dose has, it may stand for
    # the unknown vaccine (a misread date on the right row).
    truth = {"document_type": "csf49", "child": None,
             "doses": [{"groups": [], "date": "2024-03-23", "date_precision": "day"},
                       {"groups": ["Polio"], "date": "2022-07-10", "date_precision": "day"}],
             "flags": [{"code": "unknown_vaccine", "field": "doses[0].vaccine", "message": ""}]}
    nameless = _result([[]], [("unknown_vaccine", "doses[0].vaccine")])

    for read, missed in (("2024-03-23", []), (None, []), ("2024-01-23", []),
                         ("2022-07-10", ["unknown_vaccine"])):
        nameless["doses"][0]["date"]["value"] = read
        assert _score(truth, nameless)["flags_missed"] == missed


def test_a_wrong_birth_date_shown_sure_is_counted_and_an_unsure_one_is_not() -> None:
    truth = {"document_type": "yellow_card", "child": {"name": "Ana Ruiz",
                                                       "birth_date": "2021-04-07"},
             "doses": [], "flags": []}

    def result(birth: str, confidence: float) -> dict[str, Any]:
        return {"document_type": "yellow_card", "doses": [], "flags": [], "needs_review": True,
                "child": {"name": {"value": "Ana Ruiz", "confidence": 0.9},
                          "birth_date": {"value": birth, "confidence": confidence}}}

    assert _score(truth, result("2021-04-07", 0.9))["birth_ok"]
    wrong_sure = _score(truth, result("2021-04-04", 0.8))
    assert not wrong_sure["birth_ok"] and wrong_sure["birth_sure_wrong"]
    assert not _score(truth, result("2021-04-04", 0.79))["birth_sure_wrong"]


def test_a_wrong_dose_counts_only_when_its_vaccine_and_date_are_both_shown_sure() -> None:
    truth = {"document_type": "cair2_report", "child": None, "flags": [],
             "doses": [{"groups": ["Polio"], "date": "2022-11-15", "date_precision": "day"}]}

    def dose(day: str, date_confidence: float, vaccine_confidence: float = 0.9
             ) -> dict[str, Any]:
        return {"groups": ["Polio"], "date": {"value": day, "confidence": date_confidence},
                "vaccine_text": {"confidence": vaccine_confidence}}

    def sure_wrong(*doses: dict[str, Any], flags: list[dict[str, str]] | None = None) -> int:
        result = {"document_type": "cair2_report", "flags": flags or [], "needs_review": True,
                  "doses": list(doses),
                  "child": {"name": {"value": None, "confidence": 0},
                            "birth_date": {"value": None, "confidence": 0}}}
        return int(_score(truth, result)["doses_sure_wrong"])

    assert sure_wrong(dose("2022-11-15", 0.9)) == 0
    assert sure_wrong(dose("2022-11-18", 0.8)) == 1
    assert sure_wrong(dose("2022-11-18", 0.79)) == 0
    assert sure_wrong(dose("2022-11-18", 0.9, 0.79)) == 0
    # The document's one dose matches once: a second read of it, sure, is wrong.
    assert sure_wrong(dose("2022-11-15", 0.9), dose("2022-11-15", 0.9)) == 1
    # Unless a flag puts it in front of the reviewer.
    duplicate = [{"code": "duplicate_dose", "field": "doses[1]", "message": ""}]
    assert sure_wrong(dose("2022-11-15", 0.9), dose("2022-11-15", 0.9), flags=duplicate) == 0
