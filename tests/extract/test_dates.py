from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.dates import DateKind, in_life, parse_date, shaped_like_a_date, zero_repairs
from extract.draft import TextField
from extract.fields import vote_date
from extract.finish import date_field

TODAY = dt.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("3/4/22", DateKind.FULL, dt.date(2022, 3, 4)),
        ("03-04-2022", DateKind.FULL, dt.date(2022, 3, 4)),
        ("03.04.2022", DateKind.FULL, dt.date(2022, 3, 4)),
        ("Mar 4 2022", DateKind.FULL, dt.date(2022, 3, 4)),
        ("March 4, 2022", DateKind.FULL, dt.date(2022, 3, 4)),
        ("4-Mar-2022", DateKind.FULL, dt.date(2022, 3, 4)),
        ("4 Mar 2022", DateKind.FULL, dt.date(2022, 3, 4)),
        ("2022-03-04", DateKind.FULL, dt.date(2022, 3, 4)),
        ("3/22", DateKind.PARTIAL, dt.date(2022, 3, 1)),
        ("03/2022", DateKind.PARTIAL, dt.date(2022, 3, 1)),
        ("Mar 2022", DateKind.PARTIAL, dt.date(2022, 3, 1)),
        ("2 mo", DateKind.AGE, None),
        ("4 mos", DateKind.AGE, None),
        ("6 months", DateKind.AGE, None),
        ("1 yr", DateKind.AGE, None),
        ("", DateKind.MISSING, None),
        ("  ", DateKind.MISSING, None),
        ("x7#k", DateKind.UNREADABLE, None),
        ("2/30/2022", DateKind.UNREADABLE, None),
    ],
)
def test_dates_people_write(text: str, kind: DateKind, value: dt.date | None) -> None:
    parsed = parse_date(text, TODAY)
    assert parsed.kind is kind
    assert parsed.value == value


def test_a_date_that_only_reads_day_first_is_marked() -> None:
    parsed = parse_date("13/03/2022", TODAY)
    assert parsed.value == dt.date(2022, 3, 13) and parsed.day_first


def test_an_ambiguous_date_carries_its_swapped_reading() -> None:
    assert parse_date("05/03/2022", TODAY).swapped == dt.date(2022, 3, 5)
    assert parse_date("05/05/2022", TODAY).swapped is None


def test_two_digit_years_are_this_century_even_in_the_future() -> None:
    # A child's record holds no date of the last century; '/38' is a date in the future.
    assert parse_date("3/4/26", TODAY).value == dt.date(2026, 3, 4)
    assert parse_date("3/4/38", TODAY).value == dt.date(2038, 3, 4)
    assert parse_date("3/4/99", TODAY).value == dt.date(2099, 3, 4)


def test_ocr_lookalike_letters_in_digit_tokens_are_digits() -> None:
    assert parse_date("O3/l4/2O22", TODAY).value == dt.date(2022, 3, 14)


@given(st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31)))
def test_every_written_style_parses_back_to_the_day(day: dt.date) -> None:
    for text in (f"{day.month}/{day.day}/{day.year}", f"{day.month:02d}/{day.day:02d}/{day.year}",
                 f"{day.month}-{day.day}-{day.year}", day.strftime("%d %b %Y"),
                 day.strftime("%b %d, %Y"), day.isoformat()):
        assert parse_date(text, TODAY).value == day, text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("| 03/26/2023", dt.date(2023, 3, 26)),
        ("(3/22/23", dt.date(2023, 3, 22)),
        ("9/25/23 Central", dt.date(2023, 9, 25)),
        ("HepA 2/24/2023", dt.date(2023, 2, 24)),
        ("10/2 7/2022", dt.date(2022, 10, 27)),
        ("04/10/2023 2", dt.date(2023, 4, 10)),
    ],
)
def test_a_date_is_found_among_marks_and_words_a_cell_crop_caught(text: str,
                                                                   value: dt.date) -> None:
    parsed = parse_date(text, TODAY)
    assert parsed.kind is DateKind.FULL and parsed.value == value


@pytest.mark.parametrize("text", ["Due: 02/01/2026", "Exp 12/2025", "11/1/2022 10/29/2024",
                                  "4/4/21 3", "09/11/2623"])
def test_a_next_due_date_two_dates_or_an_impossible_year_are_no_date_given(text: str) -> None:
    assert parse_date(text, TODAY).kind is DateKind.UNREADABLE


@pytest.mark.parametrize(
    ("text", "repairs"),
    [
        ("83/26/2023", [dt.date(2023, 3, 26)]),
        ("16/36/22", [dt.date(2022, 10, 30)]),
        ("01/61/2623", [dt.date(2023, 1, 1)]),
        ("3/4/22", []),
        ("3/24/2031", []),
    ],
)
def test_zeros_misread_are_put_back_only_where_the_date_is_impossible(
        text: str, repairs: list[dt.date]) -> None:
    assert zero_repairs(text, TODAY) == repairs


def test_a_read_that_parses_beats_two_that_agree_on_garbage() -> None:
    first = TextField("61/19/19", 0.82, 1, (0, 0, 10, 10))
    chosen = vote_date(first, [("61/19/19", 0.82), ("01/19/19", 0.9)], dt.date(2026, 1, 15))
    assert chosen.text == "01/19/19"
    assert "61/19/19" in chosen.readings


@pytest.mark.parametrize(("reads", "chosen"), [
    # A typed date scribbled over: the letters the cross-hatching reads as, and the digits a
    # read kept to digits makes of them.
    ([("AXDAXS", 0.2), ("10/2020", 0.48)], "AXDAXS"),
    # 'birth' written where a date belongs is what the cell holds, not its digit read.
    ([("birth", 0.6), ("8/1/20", 0.3)], "birth"),
    # A read with one digit or separator is no scribble: the digits may be what is written.
    ([("AXDAXS/", 0.2), ("10/2020", 0.48)], "10/2020"),
    ([("AXD", 0.2), ("10/2020", 0.48)], "10/2020"),
    # The page's own read of digits is never forced: re-reads may catch a neighbour's name.
    ([("3/4/2022", 0.95), ("HepB", 0.9), ("HepB", 0.9)], "3/4/2022"),
])
def test_digits_forced_out_of_a_cell_read_as_letters_only_are_no_date(
        reads: list[tuple[str, float]], chosen: str) -> None:
    first = TextField(reads[0][0], 0.0, 1, (0, 0, 10, 10))
    vote = vote_date(first, reads, TODAY)
    assert vote.text == chosen
    # The read left out of the vote still counts against its confidence.
    assert {text for text, _ in reads} <= {vote.text, *vote.readings}


def test_the_most_shared_date_wins_among_dates() -> None:
    first = TextField("3/14/2022", 0.7, 1, (0, 0, 10, 10))
    chosen = vote_date(first, [("3/14/2022", 0.7), ("8/14/2022", 0.95)], dt.date(2026, 1, 15))
    assert chosen.text == "3/14/2022"


def test_the_line_reader_wins_over_tesseract_reads_that_differ() -> None:
    # Handwriting: the recogniser reads it better than Tesseract, however often Tesseract agrees.
    first = TextField("1/3/2024", 0.45, 1, (0, 0, 10, 10))
    chosen = vote_date(first, [("1/3/2024", 0.45), ("1/3/2024", 0.5)], TODAY,
                       ("11/3/2024", 0.95))
    assert chosen.text == "11/3/2024"


@pytest.mark.parametrize(("line_confidence", "chosen"), [
    (0.83, "06/13/2025"),  # three reads at 0.84 on average, the recogniser less sure
    (0.85, "5/13/2025"),  # the recogniser surer than the three on average
])
def test_three_agreeing_reads_surer_than_the_line_reader_outvote_it(line_confidence: float,
                                                                     chosen: str) -> None:
    first = TextField("06/13/2025", 0.79, 1, (0, 0, 10, 10))
    vote = vote_date(first, [("06/13/2025", 0.93), ("06/13/2025", 0.81)], TODAY,
                     ("5/13/2025", line_confidence))
    assert vote.text == chosen
    # Either way the reads disagree, and the date is not sure.
    assert date_field(vote, TODAY)[0].confidence < 0.8


@pytest.mark.parametrize("text", ["IIMOS", "Il mos", "lo mo", "I yr", "2 mo", "qmo.", "g mos",
                                  "s wk", "z yrs"])
def test_an_age_whose_number_was_read_as_look_alike_letters_is_an_age(text: str) -> None:
    assert parse_date(text, TODAY).kind is DateKind.AGE


@pytest.mark.parametrize("text", ["II", "mos", "Io", "IIMOSS", "k mo", "qq"])
def test_look_alike_letters_without_a_spelled_unit_are_no_age(text: str) -> None:
    assert parse_date(text, TODAY).kind is not DateKind.AGE


@pytest.mark.parametrize("text", ["V MOS", "x weeks", "19M0", "20m0.", "19mo", "11 MONTIS",
                                  "6 mouth", "\\ Mos", "/ wks"])
def test_an_age_whose_number_or_unit_the_reader_slipped_on_is_an_age(text: str) -> None:
    assert parse_date(text, TODAY).kind is DateKind.AGE


# A day outside each slip: a letter before a unit of two letters, a slip in a unit of four,
# a unit two slips away, a word that is no unit; a mark before a unit of two letters and
# before a word that is no unit.
@pytest.mark.parametrize("text", ["V MO", "5 yeas", "11 MANTAS", "1 dose", "\\ Mo", "/ mas"])
def test_a_word_beside_a_number_that_is_no_unit_one_slip_away_is_no_age(text: str) -> None:
    assert parse_date(text, TODAY).kind is not DateKind.AGE


def test_a_day_is_in_the_childs_life_from_the_birth_to_today_and_not_a_day_beyond() -> None:
    born, today = dt.date(2022, 11, 9), dt.date(2026, 12, 7)
    for day, inside in ((born, True), (born - dt.timedelta(days=1), False),
                        (today, True), (today + dt.timedelta(days=1), False)):
        assert in_life(day, day, born, today) is inside
    # A month reaching the birth is in the life; unknown bounds bound nothing.
    assert in_life(dt.date(2022, 11, 1), dt.date(2022, 11, 30), born, today)
    assert in_life(dt.date(1990, 1, 1), dt.date(1990, 1, 1), None, None)


@pytest.mark.parametrize(("text", "shaped"), [
    ("04/01/2025", True), ("64/61/2625", True), ("W/2T/LOU", True), ("3-4-22", True),
    ("4/2019", False), ("12-31/2021", False), ("123/1/2021", False), ("Birth", False),
])
def test_a_word_written_as_a_date_is_told_however_its_digits_were_read(
        text: str, shaped: bool) -> None:
    assert shaped_like_a_date(text) is shaped
