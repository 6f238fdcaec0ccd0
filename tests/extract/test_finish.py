from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from extract.draft import Draft, DraftDose, TextField
from extract.finish import finish_child, finish_doses, normalise_name
from extract.result import DocumentType, FlagCode

TODAY = dt.date(2026, 1, 15)
BIRTH = dt.date(2022, 1, 10)


def dose(vaccine: str, date: str, provider: str = "Valley Clinic", label: str | None = None,
         confidence: float = 0.97) -> DraftDose:
    return DraftDose(TextField(vaccine, confidence, 1, (0, 0, 10, 10)),
                     TextField(date, confidence, 1, (20, 0, 40, 10), (date, date)),
                     TextField(provider, confidence, 1, (50, 0, 90, 10)), label=label)


def finished(*doses: DraftDose, provider: bool = True):
    draft = Draft(DocumentType.YELLOW_CARD, requires_provider=provider, doses=list(doses))
    return finish_doses(draft, BIRTH, TODAY)


def codes(result) -> list[tuple[str, str]]:
    return [(f.code.value, f.field) for f in result.flags]


def test_a_combination_written_on_each_row_it_covers_is_one_dose() -> None:
    result = finished(dose("Pediarix", "3/10/2022", label="POLIO"),
                      dose("Pediarix", "3/10/2022", label="DTaP/DTP/DT"),
                      dose("Pediarix", "3/10/2022", label="HEPATITIS B"))
    assert len(result.doses) == 1 and not result.flags


def combination_with_a_row_read(readings: tuple[str, ...]) -> float:
    """The date confidence of a combination written on three rows, the last read `readings`."""
    last = replace(dose("Pediarix", "3/10/2022", label="HEPATITIS B"),
                   date=TextField("3/10/2022", 0.97, 1, (20, 0, 40, 10), readings))
    result = finished(dose("Pediarix", "3/10/2022", label="POLIO"),
                      dose("Pediarix", "3/10/2022", label="DTaP/DTP/DT"), last)
    (one,) = result.doses
    return one.date.confidence


def test_a_combination_row_read_unsure_leaves_its_one_dose_unsure() -> None:
    # Two blurred rows read as one: the date cell re-read '3/10/2022 5/12/2022' twice.
    assert combination_with_a_row_read(("3/10/2022 5/12/2022", "3/10/2022 5/12/2022")) < 0.8


def test_a_combination_read_sure_on_every_row_is_a_sure_dose() -> None:
    assert combination_with_a_row_read(("3/10/2022", "3/10/2022")) >= 0.8


def test_a_combination_named_unsure_on_one_row_and_sure_on_another_is_named_sure() -> None:
    # A registry prints Pediarix on its Polio, DTaP and Hep B rows; on the first, the group
    # printed was misread and the name read unsure.
    result = finished(dose("Pediarix", "3/10/2022", label="OTPlaP", confidence=0.75),
                      dose("Pediarix", "3/10/2022", label="HepB"))
    (one,) = result.doses
    assert one.vaccine_text.confidence >= 0.8


def test_a_combination_named_unsure_on_every_row_stays_unsure() -> None:
    result = finished(dose("Pediarix", "3/10/2022", label="OTPlaP", confidence=0.75),
                      dose("Pediarix", "3/10/2022", label="4eoR", confidence=0.75))
    (one,) = result.doses
    assert one.vaccine_text.confidence < 0.8


def test_the_same_dose_written_twice_in_its_rows_is_a_duplicate() -> None:
    result = finished(dose("IPV", "3/10/2022", label="POLIO"), dose("IPV", "3/10/2022",
                                                                    label="POLIO"))
    assert codes(result) == [("duplicate_dose", "doses[1]")]


def test_a_combination_written_twice_in_the_same_block_s_rows_is_a_duplicate() -> None:
    result = finished(dose("Pentacel", "3/10/2022", label="POLIO"),
                      dose("Pentacel", "3/10/2022", label="POLIO"))
    assert codes(result) == [("duplicate_dose", "doses[1]")]


def test_rows_labelled_by_a_combination_s_name_may_be_its_other_rows() -> None:
    # The block labels went unread and the product's name stood in for them: the rows cannot
    # be told to be the same block's, so the product written on each is one dose.
    result = finished(dose("Pentacel", "3/10/2022", label="PENTACEL"),
                      dose("Pentacel", "3/10/2022", label="PENTACEL"))
    assert len(result.doses) == 1 and not result.flags


def pentacel_misread(*rows: tuple[str, str]) -> list[tuple[tuple[str, ...], str | None]]:
    """The doses of rows written on one day, each (name as read, block label)."""
    result = finished(*(dose(read, "3/10/2022", label=label, confidence=0.4)
                        for read, label in rows))
    return [(tuple(sorted(d.groups)), d.cvx) for d in result.doses]


PENTACEL = (("DTaP", "Hib", "Polio"), "120")


def test_a_misread_combination_across_the_blocks_it_covers_is_one_dose() -> None:
    # Pentacel written in the Polio, DTaP and Hib blocks, misread on every row.
    assert pentacel_misread(("Peace]", "POLIO"), ("TEMTACEL", "DTaP/DTP/DT"),
                            ("Petyce]", "Hib")) == [PENTACEL]


def test_misread_rows_join_the_combination_read_on_another_row_of_the_day() -> None:
    doses = pentacel_misread(("PENTACEL", "POLIO"), ("TEMTACEL", "DTaP/DTP/DT"))
    assert doses == [PENTACEL]


def test_misread_rows_covering_only_part_of_a_combination_stay_their_blocks() -> None:
    # Without the Hib row, Pentacel would add a Hib dose no row of the card shows.
    assert [groups for groups, _ in pentacel_misread(
        ("Peace]", "POLIO"), ("TEMTACEL", "DTaP/DTP/DT"))] == [("Polio",), ("DTaP",)]


def test_a_misread_name_as_like_its_block_s_vaccine_stays_its_block_s() -> None:
    # 'Patace/' is as like DTaP as Pentacel (0.71 each): three vaccines given that day.
    doses = pentacel_misread(("Peace]", "POLIO"), ("Patace/", "DTaP/DTP/DT"),
                             ("Petyce]", "Hib"))
    assert [groups for groups, _ in doses] == [("Polio",), ("DTaP",), ("Hib",)]


def test_each_date_problem_is_flagged_on_its_field() -> None:
    result = finished(dose("DTaP", ""), dose("DTaP", "3/22"), dose("DTaP", "2 mo"),
                      dose("DTaP", "zz#q"), dose("DTaP", "3/10/2021"), dose("DTaP", "3/10/2033"))
    assert codes(result) == [
        ("missing_date", "doses[0].date"), ("partial_date", "doses[1].date"),
        ("age_instead_of_date", "doses[2].date"), ("unreadable_date", "doses[3].date"),
        ("date_before_birth", "doses[4].date"), ("date_in_future", "doses[5].date"),
    ]
    assert result.doses[4].date.confidence <= 0.3


def test_a_month_without_its_day_wholly_before_the_birth_is_before_the_birth() -> None:
    # Born 2022-01-10: December 2021 ends before the birth; January 2022 holds it.
    result = finished(dose("DTaP", "12/2021"), dose("DTaP", "1/2022"))
    assert codes(result) == [("partial_date", "doses[0].date"),
                             ("date_before_birth", "doses[0].date"),
                             ("partial_date", "doses[1].date")]
    assert result.doses[0].date.confidence <= 0.3


def test_a_month_without_its_day_wholly_ahead_of_today_is_in_the_future() -> None:
    # Read on 2026-01-15: February 2026 is ahead; January 2026 holds today.
    result = finished(dose("DTaP", "2/2026"), dose("DTaP", "1/2026"))
    assert codes(result) == [("partial_date", "doses[0].date"),
                             ("date_in_future", "doses[0].date"),
                             ("partial_date", "doses[1].date")]


def test_a_day_first_date_matching_another_visit_is_a_possible_swap() -> None:
    result = finished(dose("IPV", "3/10/2022"), dose("Hib", "3/10/2022"),
                      dose("DTaP", "10/03/2022"))
    assert ("possible_day_month_swap", "doses[2].date") in codes(result)
    assert not finished(dose("DTaP", "10/03/2022")).flags


def test_missing_provider_and_unknown_vaccine() -> None:
    result = finished(dose("Immunovax", "3/10/2022", provider=""))
    assert [f.code for f in result.flags] == [FlagCode.UNKNOWN_VACCINE, FlagCode.MISSING_PROVIDER]


def test_a_blank_vaccine_cell_takes_its_row_label() -> None:
    result = finished(dose("", "3/10/2022", label="HEPATITIS B"))
    assert result.doses[0].groups == ["HepB"] and not result.flags


def test_names_are_put_first_name_first() -> None:
    assert normalise_name("RUIZ, ANA") == "Ana Ruiz"
    assert normalise_name("O'BRIEN, MIA") == "Mia O'Brien"
    assert normalise_name("Ana Ruiz") == "Ana Ruiz"


def name_read(text: str) -> float:
    # Spelled alike by Tesseract and the line recogniser: as sure as a name read gets.
    draft = Draft(DocumentType.YELLOW_CARD, TextField(text, 0.95, 1, (0, 0, 10, 10), (text,)))
    return finish_child(draft, TODAY)[0].name.confidence


@pytest.mark.parametrize("text", ["Ana de la Cruz", "O'BRIEN, MIA", "Chloe RUIZ", "José Núñez",
                                  "Liam McDonald", "Mary-Jane Smith-Jones", "RUIZ, ANA",
                                  "|Ana Ruiz|",  # a cell's borders read as bars
                                  "Mary St. John", "Ana Ruiz."])
def test_names_as_people_write_them_stay_sure(text: str) -> None:
    assert name_read(text) >= 0.8


@pytest.mark.parametrize("text", [
    "Nombre",  # the label beside the field, the name itself missed
    "Chloe",  # one of the two names: the cut missed the other
    "Nombre Birthdate VALERIA DAVIS",  # labels taken in with the name
    "ADRIay Davis", "KA ts", "La bases",  # letters in a mix of cases no one writes
    "L/AM LE", "Em1ly Ruiz",  # a letter read as a mark or a digit: the name kept lacks it
    "MORALES. NORA",  # the comma of 'last, first' read as a period: which name is which?
])
def test_a_name_read_that_is_no_childs_full_name_goes_to_a_reviewer(text: str) -> None:
    assert name_read(text) < 0.8


def test_a_name_not_found_is_not_sure() -> None:
    assert finish_child(Draft(DocumentType.CSF49), TODAY)[0].name.confidence < 0.8


def test_an_unreadable_birth_date_is_flagged_and_unsure() -> None:
    child, flags = finish_child(Draft(DocumentType.YELLOW_CARD, TextField("Ana", 0.9),
                                      TextField("1/4?", 0.9)), TODAY)
    assert child.birth_date.value is None and child.birth_date.confidence <= 0.3
    assert [f.field for f in flags] == ["child.birth_date"]


def test_a_blank_cell_named_by_a_name_written_above_is_no_surer_than_that_name() -> None:
    # No printed label read over the block: 'rv' (a hand's 'IPV') names the blank row under it.
    unsure = finished(dose("rv", "3/10/2022", confidence=0.55),
                      replace(dose("", "5/10/2022", label="rv"), named_by=0))
    assert [d.groups for d in unsure.doses] == [["Rotavirus"], ["Rotavirus"]]
    assert unsure.doses[1].vaccine_text.confidence <= unsure.doses[0].vaccine_text.confidence
    assert unsure.doses[1].vaccine_text.confidence < 0.8
    # Named sure above, or under a printed label (no `named_by`): the row is its label, sure.
    sure = finished(dose("IPV", "3/10/2022"),
                    replace(dose("", "5/10/2022", label="IPV"), named_by=0),
                    dose("", "7/10/2022", label="POLIO"))
    assert [d.vaccine_text.confidence >= 0.8 for d in sure.doses] == [True] * 3


def test_a_near_miss_name_that_agrees_with_its_printed_row_is_sure() -> None:
    result = finished(dose("Infannx", "3/10/2022", label="DTP/aP", confidence=0.5),
                      dose("Infannx", "5/10/2022", label=None, confidence=0.5))
    assert result.doses[0].groups == ["DTaP"] and result.doses[0].vaccine_text.confidence >= 0.9
    assert result.doses[1].vaccine_text.confidence < 0.8


def test_a_name_of_another_vaccine_than_its_printed_row_goes_to_a_reviewer() -> None:
    # 'IPV' in the Polio block read as 'RV': both readings are names of the vocabulary.
    result = finished(dose("RV", "3/10/2022", label="POLIO"),
                      dose("Pediarix", "5/10/2022", label="POLIO"),
                      dose("RV", "7/10/2022", label="OTHER / OTRAS"),
                      dose("RV", "9/10/2022", label=None))
    assert result.doses[0].groups == ["Rotavirus"]
    assert result.doses[0].vaccine_text.confidence < 0.8
    # A combination covering the block's vaccine, a block for any vaccine, no label: as read.
    assert [d.vaccine_text.confidence >= 0.8 for d in result.doses[1:]] == [True] * 3


def test_a_swap_is_suspected_when_the_other_reading_is_a_birthday_visit() -> None:
    birthday = f"{BIRTH.day:02d}/{BIRTH.month:02d}/2023"  # 10/01/2023 read month-first
    visit = f"{BIRTH.month}/{BIRTH.day}/2023"
    result = finished(dose("MMR", visit), dose("Varicella", birthday))
    assert ("possible_day_month_swap", "doses[1].date") in codes(result)


def test_a_swap_is_suspected_when_a_dose_would_be_too_close_to_the_one_before() -> None:
    result = finished(dose("DTaP", "9/21/2023"), dose("DTaP", "10/08/2023"))
    assert ("possible_day_month_swap", "doses[1].date") in codes(result)
    assert not finished(dose("DTaP", "9/21/2023"), dose("DTaP", "12/08/2023")).flags


def test_no_swap_when_the_other_reading_repeats_a_dose_of_the_same_vaccine() -> None:
    result = finished(dose("HepA", "4/10/2022"), dose("HepA", "10/04/2022"))
    assert ("possible_day_month_swap", "doses[1].date") not in codes(result)


def test_an_unknown_document_has_no_birth_date_flag() -> None:
    _, flags = finish_child(Draft(DocumentType.UNKNOWN), TODAY)
    assert flags == []


def test_an_unknown_document_claims_nothing_about_the_birth_date() -> None:
    # Nothing was parsed: a blank birth date there is not known to be blank.
    child, _ = finish_child(Draft(DocumentType.UNKNOWN), TODAY)
    assert child.birth_date.value is None
    assert child.birth_date.confidence == 0.0
    assert child.name.confidence == 0.0


def registry(*doses: DraftDose) -> list:
    draft = Draft(DocumentType.CAIR2_REPORT, doses=list(doses), dated_in_order=True)
    return finish_doses(draft, dt.date(2021, 7, 17), TODAY).doses


def sure(text: str) -> TextField:
    # Two reads agreeing: as sure as a date read gets.
    return TextField(text, 0.96, 1, (0, 0, 10, 10), (text,))


def test_a_registry_date_out_of_its_groups_order_and_its_neighbour_go_to_a_reviewer() -> None:
    # '11/26/2021' misread '11/26/2022' by both reads: the report prints PCV doses by date.
    pcv = [DraftDose(vaccine=TextField("PCV15", 0.95), date=sure(day), label="Pneumococcal")
           for day in ("9/20/2021", "11/26/2022", "1/24/2022")]
    dates = [d.date for d in registry(*pcv)]
    assert [d.confidence >= 0.8 for d in dates] == [True, False, False]


def test_registry_dates_in_order_stay_sure() -> None:
    pcv = [DraftDose(vaccine=TextField("PCV15", 0.95), date=sure(day), label="Pneumococcal")
           for day in ("9/20/2021", "11/26/2021", "1/24/2022")]
    assert all(d.date.confidence >= 0.8 for d in registry(*pcv))


def test_a_card_is_not_held_to_date_order() -> None:
    # A yellow card's rows are written as doses come, not sorted: no order is asked of them.
    draft = Draft(DocumentType.YELLOW_CARD, doses=[
        DraftDose(vaccine=TextField("PCV15", 0.95), date=sure(day), label="Pneumococcal",
                  provider=TextField("Valley Clinic", 0.95))
        for day in ("11/26/2022", "9/20/2021")])
    assert all(d.date.confidence >= 0.8 for d in finish_doses(draft, None, TODAY).doses)


def printout(*days: str, birth: str = "07/17/2021") -> Draft:
    return Draft(DocumentType.CAIR2_REPORT, birth_date=sure(birth), dates_written_alike=True,
                 doses=[DraftDose(vaccine=TextField("Engerix-B Peds", 0.95), date=sure(day),
                                  label="HepB") for day in days])


def test_a_registry_date_that_lost_a_digit_goes_to_a_reviewer() -> None:
    # '11/11/2022' read '11/1/2022' by both reads of a 150 dpi scan: still in date order, but
    # the report prints every date as mm/dd/yyyy.
    draft = printout("07/17/2021", "09/20/2021", "11/1/2022")
    dates = [d.date for d in finish_doses(draft, dt.date(2021, 7, 17), TODAY).doses]
    assert [d.confidence >= 0.8 for d in dates] == [True, True, False]


def test_a_dose_number_caught_beside_a_registry_date_is_not_part_of_its_format() -> None:
    draft = printout("07/17/2021 1", "09/20/2021 2", "11/11/2022", "01/05/2023 3")
    assert all(d.date.confidence >= 0.8
               for d in finish_doses(draft, dt.date(2021, 7, 17), TODAY).doses)


def test_registry_dates_printed_alike_stay_sure() -> None:
    draft = printout("07/17/2021", "09/20/2021", "11/11/2022")
    assert all(d.date.confidence >= 0.8
               for d in finish_doses(draft, dt.date(2021, 7, 17), TODAY).doses)
    child, _ = finish_child(draft, TODAY)
    assert child.birth_date.confidence >= 0.8


def test_a_registry_birth_date_printed_unlike_its_doses_goes_to_a_reviewer() -> None:
    child, _ = finish_child(printout("07/17/2021", "09/20/2021", birth="7/17/2021"), TODAY)
    assert child.birth_date.confidence < 0.8


def test_a_registry_birth_date_chosen_by_the_doses_is_judged_as_chosen_not_as_read() -> None:
    # Read '7/11/2021', unlike the report's mm/dd/yyyy; the birth dose supports the recogniser's
    # '07/17/2021', printed like the doses: that reading is not capped at the 0.5 of a date
    # unlike the printed pattern.
    draft = printout("07/17/2021", "09/20/2021")
    draft.birth_date = TextField("7/11/2021", 0.5, 1, (0, 0, 10, 10), (),
                                 (("7/11/2021", 0.3), ("07/17/2021", 0.6)))
    child, _ = finish_child(draft, TODAY)
    assert child.birth_date.value == dt.date(2021, 7, 17)
    assert child.birth_date.confidence > 0.5


def outvoted_printout(line_share: float, other_rows: tuple[TextField, ...]) -> Draft:
    # Tesseract read the '05' of a printed '05/04/2021' as '08' twice; the line recogniser
    # is sure of '05' with `line_share`.
    draft = Draft(DocumentType.CAIR2_REPORT, birth_date=sure("06/18/2019"),
                  dates_written_alike=True, doses=[
                      DraftDose(vaccine=TextField("Varivax", 0.95), date=date, label="Varicella")
                      for date in other_rows])
    draft.doses.append(DraftDose(
        vaccine=TextField("M-M-R II", 0.95), label="MMR",
        date=TextField("05/04/2021", line_share, 1, (0, 0, 10, 10),
                       ("08/04/2021", "05/04/2021", "08/04/2021"))))
    return draft


def mmr_date_confidence(draft: Draft) -> float:
    return finish_doses(draft, dt.date(2019, 6, 18), TODAY).doses[-1].date.confidence


def test_a_printed_date_another_row_holds_sure_is_sure_though_tesseract_misread_it() -> None:
    assert mmr_date_confidence(outvoted_printout(0.95, (sure("05/04/2021"),))) >= 0.8


def test_a_printed_date_the_recogniser_reads_less_sure_stays_unsure_beside_its_twin() -> None:
    assert mmr_date_confidence(outvoted_printout(0.94, (sure("05/04/2021"),))) < 0.8


def test_a_printed_date_no_other_row_holds_sure_stays_unsure() -> None:
    unsure_twin = TextField("05/04/2021", 0.99, 1, (0, 0, 10, 10), ("08/04/2021",))
    assert mmr_date_confidence(outvoted_printout(0.99, (unsure_twin,))) < 0.8
    assert mmr_date_confidence(outvoted_printout(0.99, (sure("05/14/2021"),))) < 0.8


def test_a_card_date_another_row_holds_sure_stays_unsure_when_its_reads_disagree() -> None:
    # Hands write each date their own way: a twin elsewhere on a card vouches for nothing.
    draft = outvoted_printout(0.99, (sure("05/04/2021"),))
    draft.dates_written_alike = False
    assert mmr_date_confidence(draft) < 0.8


def test_a_card_may_write_its_dates_each_its_own_way() -> None:
    # Different hands and clinics fill a yellow card: no one format is asked of it.
    draft = Draft(DocumentType.YELLOW_CARD, doses=[
        DraftDose(vaccine=TextField("PCV15", 0.95), date=sure(day), label="Pneumococcal",
                  provider=TextField("Valley Clinic", 0.95))
        for day in ("09/20/2021", "1/4/2022", "03/07/2022")])
    assert all(d.date.confidence >= 0.8 for d in finish_doses(draft, None, TODAY).doses)


def card_dates(*days: str) -> list[float]:
    """The date confidences of a dose list's rows, each read sure."""
    draft = Draft(DocumentType.CSF49, doses=[
        DraftDose(vaccine=TextField(name, 0.95), date=sure(day),
                  provider=TextField("Valley Clinic", 0.95))
        for name, day in zip(("Pentacel", "Prevnar 20", "Hep B"), days, strict=False)])
    return [d.date.confidence for d in finish_doses(draft, BIRTH, TODAY).doses]


def test_a_day_another_row_of_its_month_holds_with_one_more_digit_goes_to_a_reviewer() -> None:
    # Both reads of a hand's '05/31/2022' agreed on '05/3/2022': the 1 merged with the slash.
    assert [c >= 0.8 for c in card_dates("05/31/2022", "05/3/2022")] == [True, False]


def list_dates(*rows: tuple[str, str]) -> list[tuple[str | None, dt.date | None, bool]]:
    """Each finished dose's date text, value and whether it is sure, rows read sure."""
    draft = Draft(DocumentType.CSF49, doses=[
        DraftDose(vaccine=TextField(name, 0.95), date=sure(day),
                  provider=TextField("Valley Clinic", 0.95)) for name, day in rows])
    return [(d.date.text, d.date.value, d.date.confidence >= 0.8)
            for d in finish_doses(draft, BIRTH, TODAY).doses]


def test_a_day_short_of_a_digit_another_row_holds_is_that_row_s_date_still_unsure() -> None:
    # The hand's '1' of '05/31/2022' merged with the slash in one row: the digit is lost, never
    # added, so the row holds the fuller date; a reviewer still looks.
    assert list_dates(("Pentacel", "05/31/2022"), ("Prevnar 20", "05/3/2022")) == [
        ("05/31/2022", dt.date(2022, 5, 31), True), ("05/31/2022", dt.date(2022, 5, 31), False)]


def test_a_day_short_of_a_digit_more_rows_read_than_the_fuller_one_stays_as_read() -> None:
    # A visit read '05/3' in two rows and '05/31' in one: the one may be the misread.
    rows = list_dates(("Pentacel", "05/3/2022"), ("Prevnar 20", "05/3/2022"),
                      ("Hep B", "05/31/2022"))
    assert [row[1] for row in rows] == [dt.date(2022, 5, 3)] * 2 + [dt.date(2022, 5, 31)]


def test_a_day_short_of_a_digit_two_rows_could_hold_stays_as_read() -> None:
    # '05/3' is '05/31' and '05/13' less a digit alike: nothing tells which.
    rows = list_dates(("Pentacel", "05/31/2022"), ("Prevnar 20", "05/3/2022"),
                      ("Hep B", "05/13/2022"))
    assert rows[1][:2] == ("05/3/2022", dt.date(2022, 5, 3)) and not rows[1][2]


def test_a_day_short_of_a_digit_is_not_made_a_second_dose_of_its_vaccine_that_day() -> None:
    rows = list_dates(("Hep B", "05/31/2022"), ("Hep B", "05/3/2022"))
    assert rows[1][:2] == ("05/3/2022", dt.date(2022, 5, 3)) and not rows[1][2]


@pytest.mark.parametrize("days", [
    ("05/31/2022", "05/13/2022"),  # the same digits, not one left out
    ("05/31/2022", "07/3/2022"),  # another month
    ("05/31/2022", "05/31/2022"),  # one visit
])
def test_days_that_are_not_one_another_less_a_digit_stay_sure(days: tuple[str, str]) -> None:
    assert all(c >= 0.8 for c in card_dates(*days))


def test_a_month_short_of_its_leading_one_goes_to_a_reviewer_as_read() -> None:
    # '12/04/2025' read '2/04/2025' in one row. Visits ten months apart on one day of the month
    # are real, so the shorter date is kept as read, and only a reviewer is asked to look.
    assert [c >= 0.8 for c in card_dates("12/5/2022", "2/5/2022")] == [True, False]


@pytest.mark.parametrize(("day", "other", "less"), [
    ("2022-02-05", "2022-12-05", True),
    ("2022-01-05", "2022-11-05", True),
    ("2022-02-06", "2022-12-05", False),  # another day
    ("2021-02-05", "2022-12-05", False),  # another year
    ("2022-12-05", "2022-02-05", False),  # the longer month is not the misread one
    ("2022-01-05", "2022-10-05", False),  # '10' less its 1 is no month
])
def test_a_month_less_its_leading_one_is_that_and_nothing_near_it(
        day: str, other: str, less: bool) -> None:
    from extract.visits import month_less_its_leading_one

    assert month_less_its_leading_one(dt.date.fromisoformat(day),
                                      dt.date.fromisoformat(other)) is less


def test_dates_days_apart_go_to_a_reviewer_as_one_visit_misread() -> None:
    # A visit's '02/26/2022' read '02/24/2022' in one row and '02/20/2022' in another, each
    # read alike by every engine: one of them, or both, is wrong.
    assert [c >= 0.8 for c in card_dates("02/24/2022", "02/20/2022", "04/30/2022")] == [
        False, False, True]


def test_dates_nine_days_apart_are_one_visit_and_ten_days_two() -> None:
    assert not any(c >= 0.8 for c in card_dates("02/24/2022", "03/05/2022"))
    assert all(c >= 0.8 for c in card_dates("02/24/2022", "03/06/2022"))


def typed_dates(recogniser_share: float) -> list[float]:
    """A typed list's visit and a flu shot two days later, each checked by the recogniser."""
    days = ("10/24/2024", "10/26/2024")
    draft = Draft(DocumentType.CSF49, doses=[
        DraftDose(vaccine=TextField(name, 0.95),
                  date=TextField(day, 0.97, 1, (0, 0, 10, 10), (day,), ((day, recogniser_share),)),
                  provider=TextField("Valley Clinic", 0.95))
        for name, day in zip(("Pentacel", "Flu"), days, strict=True)])
    return [d.date.confidence for d in finish_doses(draft, BIRTH, TODAY).doses]


def test_dates_days_apart_both_engines_read_sure_stay_sure() -> None:
    assert all(c >= 0.8 for c in typed_dates(0.9))
    assert not any(c >= 0.8 for c in typed_dates(0.89))


def unsure_birth(confidence: float) -> TextField:
    # The line recogniser's likeliest reading '4/4/22', at the field's confidence, and its
    # second '4/7/20'.
    return TextField("4/4/22", confidence, 1, (0, 0, 10, 10), ("4/4/22",),
                     (("4/4/22", confidence), ("4/7/20", 0.05)))


def test_an_unsure_birth_date_is_the_reading_the_doses_support_and_stays_unsure() -> None:
    draft = Draft(DocumentType.YELLOW_CARD, birth_date=unsure_birth(0.06),
                  doses=[dose("HepB", "4/7/20"), dose("DTaP", "6/7/20")])
    child, _ = finish_child(draft, TODAY)
    assert child.birth_date.value == dt.date(2020, 4, 7)
    assert child.birth_date.confidence < 0.8


def test_a_birth_date_read_sure_is_not_chosen_again_by_the_doses() -> None:
    draft = Draft(DocumentType.YELLOW_CARD, birth_date=unsure_birth(0.8),
                  doses=[dose("HepB", "4/7/20"), dose("DTaP", "6/7/20")])
    child, _ = finish_child(draft, TODAY)
    assert child.birth_date.value == dt.date(2022, 4, 4)


def test_a_birth_date_read_sure_whose_reads_disagree_is_chosen_again_by_the_doses() -> None:
    # The line recogniser at 0.84, Tesseract's reads saying otherwise: unsure once finished.
    read = TextField("4/4/22", 0.84, 1, (0, 0, 10, 10), ("8/4/22", "8/4/22"),
                     (("4/4/22", 0.84), ("4/7/20", 0.05)))
    draft = Draft(DocumentType.YELLOW_CARD, birth_date=read,
                  doses=[dose("HepB", "4/7/20"), dose("DTaP", "6/7/20"), dose("IPV", "8/7/20")])
    child, _ = finish_child(draft, TODAY)
    assert child.birth_date.value == dt.date(2020, 4, 7)
    assert child.birth_date.confidence < 0.8


def torn_card(runner_up_share: float) -> Draft:
    # Three reads agree on '08/04/2020'; the recogniser gives it 0.48 and '08/06/2020' another
    # share. No dose is given on either day.
    birth = TextField("08/04/2020", 0.48, 1, (0, 0, 10, 10), ("08/04/2020", "08/04/2020"),
                      (("08/04/2020", 0.48), ("08/06/2020", runner_up_share)))
    return Draft(DocumentType.CSF49, birth_date=birth, doses=[
        DraftDose(vaccine=TextField("DTaP", 0.95), date=sure("10/09/2020"), label="DTaP")])


def test_a_birth_date_the_recogniser_is_torn_on_goes_to_a_reviewer_though_reads_agree() -> None:
    child, _ = finish_child(torn_card(0.12), TODAY)  # a quarter of 0.48
    assert child.birth_date.value == dt.date(2020, 8, 4)
    assert child.birth_date.confidence < 0.8


def test_a_birth_date_whose_other_reading_is_faint_stays_sure() -> None:
    child, _ = finish_child(torn_card(0.1199), TODAY)
    assert child.birth_date.confidence >= 0.8


def test_a_date_the_recogniser_spells_two_ways_counts_both_spellings() -> None:
    # '08/06/2020' and '8/6/2020' each under a quarter of 0.48, together over it.
    draft = torn_card(0.07)
    draft.birth_date = replace(draft.birth_date,
                               choices=(*draft.birth_date.choices, ("8/6/2020", 0.06)))
    child, _ = finish_child(draft, TODAY)
    assert child.birth_date.confidence < 0.8


def test_the_doses_choose_between_readings_the_recogniser_is_torn_on() -> None:
    draft = torn_card(0.28)
    draft.doses.append(DraftDose(vaccine=TextField("HepB", 0.95), date=sure("08/06/2020"),
                                 label="HepB"))
    child, _ = finish_child(draft, TODAY)
    assert child.birth_date.value == dt.date(2020, 8, 6)
    assert child.birth_date.confidence < 0.8


def checked_dose_date(choices: tuple[tuple[str, float], ...]) -> float:
    # Both Tesseract reads agree on '10/25/2014'; the line recogniser was asked as a check.
    read = TextField("10/25/2014", 0.99, 1, (0, 0, 10, 10), ("10/25/2014",), choices)
    draft = Draft(DocumentType.YELLOW_CARD, doses=[DraftDose(TextField("Hep B", 0.95), read)])
    return finish_doses(draft, None, TODAY).doses[0].date.confidence


def test_a_date_read_alike_that_the_recogniser_reads_otherwise_goes_to_a_reviewer() -> None:
    assert checked_dose_date((("10/25/2019", 0.5),)) < 0.8
    assert checked_dose_date((("10/25/2019", 0.49),)) >= 0.8


def test_a_date_read_alike_that_the_recogniser_reads_alike_stays_sure() -> None:
    assert checked_dose_date((("10/25/2014", 0.9), ("10/25/2019", 0.05))) >= 0.8


def test_a_recogniser_unsure_of_every_reading_is_torn_on_nothing() -> None:
    # A printed '12/05/2024' the recogniser half reads: a seventh each for '1/05' and '12/05'.
    assert checked_dose_date((("10/25/2014", 0.19), ("10/25/2019", 0.19))) >= 0.8
    assert checked_dose_date((("10/25/2014", 0.2), ("10/25/2019", 0.19))) < 0.8
