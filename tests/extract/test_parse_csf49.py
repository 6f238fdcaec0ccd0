"""The CSF 49 dose list, parsed from words placed on a blank page (no OCR involved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pytest

from extract.draft import PageText
from extract.finish import finish_doses
from extract.grid import find_ruling
from extract.ocr import OcrRequest
from extract.page import Gray, PageImage, Word
from extract.parse_csf49 import _unread_duration, _until, parse_csf49
from extract.result import FlagCode

TODAY = dt.date(2026, 1, 15)
ROWS = [("DTaP", "3/14/2022"), ("IPV", "3/14/2022"), ("Hib", "5/16/2022")]


def _word(text: str, x: int, y: int) -> Word:
    return Word(text, (x, y, x + 25 * len(text), y + 30), 0.95)


def _form(vaccine_header: list[str], rows: list[tuple[str, str]] = ROWS) -> PageText:
    words = [_word(text, 100 + 90 * i, 1000) for i, text in enumerate(vaccine_header)]
    words += [_word("DATE", 600, 1000), _word("GIVEN", 720, 1000)]
    for index, (vaccine, date) in enumerate(rows):
        y = 1070 + 70 * index
        words += [_word(vaccine, 100, y)] + ([_word(date, 600, y)] if date else [])
    words += [_word("Signed", 100, 1400), _word("by:", 280, 1400)]
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    return PageText(PageImage(1, image, 300.0, binary=image.copy()), tuple(words))


def test_a_dose_list_read_in_full_needs_no_look() -> None:
    draft = parse_csf49([_form(["VACCINE"])], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == ROWS
    assert draft.unread == []


def test_a_dose_list_whose_header_was_misread_sends_the_form_to_a_reviewer() -> None:
    # 'VACCINE' read as a mark: no table is found, but the dates are on the page, and a form
    # with a list is not to pass as one without.
    draft = parse_csf49([_form(["V."])], None, TODAY)
    assert draft.doses == []
    assert draft.unread == ["page 1: the dose list shows 3 dates, 0 doses were read"]


def test_a_vaccine_header_read_past_knowing_still_heads_its_table() -> None:
    # 'VACCINE' read as two words: the first word before DATE GIVEN stands in its place.
    draft = parse_csf49([_form(["VAC", "CINE"])], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == ROWS
    assert draft.unread == []


def _two_tables(right_header: str, between: tuple[Word, ...] = ()) -> PageText:
    """A dose list printed as two tables side by side, the right one's header as read.

    `between`: marks read between the right table's DATE and GIVEN.
    """
    words = [_word("VACCINE", 100, 1000), _word("DATE", 600, 1000), _word("GIVEN", 720, 1000),
             _word("|", 1180, 1000), _word(right_header, 1300, 1000),
             _word("DATE", 1800, 1000), *between, _word("GIVEN", 1920, 1000)]
    for index, (vaccine, date) in enumerate(ROWS):
        y = 1070 + 70 * index
        words += [_word(vaccine, 100, y), _word(date, 600, y)]
    words += [_word("MMR", 1300, 1070), _word("8/8/2025", 1800, 1070)]
    words += [_word("Signed", 100, 1400), _word("by:", 280, 1400)]
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    return PageText(PageImage(1, image, 300.0, binary=image.copy()), tuple(words))


@pytest.mark.parametrize("right_header", ["VACCINE", "vacewe"])
def test_each_date_given_header_heads_a_table_of_its_own(right_header: str) -> None:
    # Read 'vacewe', the right table's header was no table's: its rows went to the left one.
    draft = parse_csf49([_two_tables(right_header)], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == [*ROWS, ("MMR", "8/8/2025")]


def test_a_vaccine_listed_without_a_date_is_a_dose_whose_date_is_missing() -> None:
    # On a card every block is printed, written in or not; a list's row is written for a dose.
    draft = parse_csf49([_form(["VACCINE"], [*ROWS, ("INFLUEN2A", "")])], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == [*ROWS, ("INFLUEN2A", "")]
    finished = finish_doses(draft, dt.date(2021, 12, 1), TODAY)
    assert [(f.code, f.field) for f in finished.flags] == [(FlagCode.MISSING_DATE,
                                                            "doses[3].date")]


def test_a_name_written_in_a_list_is_no_printed_label_to_agree_with() -> None:
    # A hand's 'Flu' read as 'RV' at 0.61: the name's own text, taken as a label, would
    # agree with it and make it sure.
    rows = [("DTaP", "3/14/2022"), ("RV", "5/16/2022")]
    page = _form(["VACCINE"], rows)
    page = PageText(page.page, tuple(w if w.text != "RV" else Word("RV", w.box, 0.61)
                                     for w in page.words))
    draft = parse_csf49([page], None, TODAY)
    assert [d.label for d in draft.doses] == [None, None]
    finished = finish_doses(draft, dt.date(2021, 12, 1), TODAY)
    assert finished.doses[1].vaccine_text.confidence < 0.8


def test_a_list_row_that_names_no_vaccine_is_no_dose() -> None:
    draft = parse_csf49([_form(["VACCINE"], [*ROWS, ("Jqx", "")])], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == ROWS


SIGNED = dt.date(2026, 4, 15)


@pytest.mark.parametrize(("duration", "until"), [
    ("1 year", dt.date(2027, 4, 15)),
    ("1_year", dt.date(2027, 4, 15)),  # OCR joins the words of a line across a gap
    ("six months", dt.date(2026, 10, 15)),
    ("12 weeks", dt.date(2026, 7, 8)),
    ("12 MNTS", dt.date(2027, 4, 15)),
    ("until 6/30/2027", dt.date(2027, 6, 30)),
])
def test_an_exemption_ends_its_duration_after_the_date_signed(duration: str,
                                                             until: dt.date) -> None:
    assert _until(SIGNED, duration, TODAY) == until
    assert _unread_duration(duration, TODAY) is None


def test_a_permanent_exemption_has_no_end_and_needs_no_look() -> None:
    assert _until(SIGNED, "Permanent", TODAY) is None
    assert _unread_duration("Permanent", TODAY) is None


def test_a_duration_no_end_can_be_made_of_is_a_reason_to_look() -> None:
    assert _until(SIGNED, "l year", TODAY) is None  # a 1 read as an l
    assert _unread_duration("l year", TODAY) == \
        "the exemption's duration 'l year' gives no length or end date"


def test_an_unsigned_exemption_has_no_end_but_its_duration_was_read() -> None:
    assert _until(None, "12 months", TODAY) is None
    assert _unread_duration("12 months", TODAY) is None


def test_the_footer_of_an_attachment_page_ends_its_dose_list() -> None:
    # Page 2 holds the list and no signature part: the form's footer is what follows it.
    words = [_word("VACCINE", 100, 1000), _word("DATE", 600, 1000), _word("GIVEN", 720, 1000)]
    for index, (vaccine, date) in enumerate(ROWS):
        words += [_word(vaccine, 100, 1070 + 70 * index), _word(date, 600, 1070 + 70 * index)]
    words += [_word("CSF", 2200, 3200), _word("49", 2300, 3200), _word("(page", 2360, 3200),
              _word("2)", 2500, 3200)]
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    page = PageText(PageImage(2, image, 300.0, binary=image.copy()), tuple(words))
    draft = parse_csf49([page], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == ROWS


class _StrayDigit:
    """Reads a '7' every 20 pixels down a column, unsure: what a re-read makes of a stain."""

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        height, width = image.shape[:2]
        return [Word("7", (10, top, 30, top + 16), 0.3) for top in range(0, height - 16, 20)]


def test_a_stain_in_a_blank_row_of_the_list_is_no_dose() -> None:
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    for index in range(6):
        # The list's rules, a row under the header and under each of four rows (one blank).
        image[1050 + 70 * index:1053 + 70 * index, 90:2500] = 0
    # A coffee ring's edge in the blank row's date cell.
    image[1275:1300:2, 620:700] = 0
    words = [_word("VACCINE", 100, 1000), _word("DATE", 600, 1000), _word("GIVEN", 720, 1000)]
    for index, (vaccine, date) in enumerate(ROWS):
        words += [_word(vaccine, 100, 1063 + 70 * index), _word(date, 600, 1063 + 70 * index)]
    words += [_word("Signed", 100, 1500), _word("by:", 280, 1500)]
    scan = PageImage(1, image, 300.0, binary=image.copy())
    page = PageText(scan, tuple(words), scan, find_ruling(image, 300.0))
    draft = parse_csf49([page], _StrayDigit(), TODAY)
    assert [d.vaccine.text for d in draft.doses] == [vaccine for vaccine, _ in ROWS]


def test_a_mark_between_date_and_given_loses_no_table() -> None:
    # A faxed header: '_' read between DATE and GIVEN. The VACCINE read still heads its table.
    page = _two_tables("VACCINE", (_word("_", 1895, 1000),))
    draft = parse_csf49([page], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == [*ROWS, ("MMR", "8/8/2025")]


def _attachment(*words: Word) -> PageText:
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    return PageText(PageImage(2, image, 300.0, binary=image.copy()), words)


def test_an_attachment_page_whose_dose_list_was_not_made_out_sends_the_form_to_a_reviewer(
) -> None:
    # A blurred phone photo of the attachment: its title read, 'DATE GIVEN' read 'DATE Gave'
    # and its dates not at all. Its doses would be missing from the record unseen.
    title = ("REQUEST", "FOR", "VERIFICATION", "ATTACHMENT")
    page = _attachment(*(_word(text, 300 + 400 * i, 200) for i, text in enumerate(title)),
                       _word("DATE", 600, 1000), _word("Gave", 720, 1000),
                       _word("Vert", 100, 1070), _word("2/OSL3", 600, 1070))
    draft = parse_csf49([_form(["VACCINE"]), page], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == ROWS
    assert draft.unread == ["page 2: no dose list was made out on it; any doses on it are unread"]


class _HeaderRecogniser:
    """A line recogniser that reads `header` wherever there is ink, and nothing elsewhere.

    Tesseract (`read_words`) reads nothing again: the words on the page are all it read.
    """

    def __init__(self, header: str) -> None:
        self.header = header

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        return []

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        return [[] for _ in images]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return [(self.header, 0.9) if (image < 128).any() else None for image in images]

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        return [None for _ in images]


def _blurred_attachment(*header: Word) -> PageText:
    """An attachment page whose list's header Tesseract read as `header`; ink under it only."""
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    image[1005:1025, 610:800] = 0
    words = [*(_word(text, 300 + 400 * i, 200)
               for i, text in enumerate(("REQUEST", "FOR", "VERIFICATION", "ATTACHMENT"))),
             _word("VACCINE", 100, 1000), *header]
    for index, (vaccine, date) in enumerate(ROWS):
        words += [_word(vaccine, 100, 1070 + 70 * index), _word(date, 600, 1070 + 70 * index)]
    scan = PageImage(2, image, 300.0, binary=image.copy())
    return PageText(scan, tuple(words), scan)


@pytest.mark.parametrize("header", [("DATE", "Gave"), ("OTE", "GEN")])
def test_a_blurred_list_header_the_line_recogniser_reads_heads_its_table(
        header: tuple[str, str]) -> None:
    # A phone photo of the attachment: 'DATE GIVEN' printed small and blurred past Tesseract.
    page = _blurred_attachment(_word(header[0], 600, 1000), _word(header[1], 720, 1000))
    draft = parse_csf49([_form(["VACCINE"]), page], _HeaderRecogniser("DATE GINEN"), TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == ROWS + ROWS
    assert draft.unread == []


def test_a_header_the_line_recogniser_reads_as_something_else_heads_nothing() -> None:
    page = _blurred_attachment(_word("DATE", 600, 1000), _word("Gave", 720, 1000))
    draft = parse_csf49([_form(["VACCINE"]), page], _HeaderRecogniser("DATE SIGNED"), TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == ROWS
    assert draft.unread == ["page 2: no dose list was made out on it; any doses on it are unread"]


def test_a_table_whose_headers_went_unread_lends_no_rows_to_the_one_beside_it() -> None:
    # The right table's 'VACCINE' and 'DATE GIVEN' read as '[eco' and 'ecw': its rows are left
    # to a reviewer, not read as the left table's (an MMR row's date under the left's names).
    page = _two_tables("[eco")
    words = [w for w in page.words if w.text not in ("DATE", "GIVEN") or w.box[0] < 1180]
    page = PageText(page.page, (*words, _word("ecw", 1800, 1000)))
    draft = parse_csf49([page], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == ROWS
    assert draft.unread == ["page 1: the dose list shows 4 dates, 3 doses were read"]


def test_a_blank_page_after_the_form_is_nothing_unread() -> None:
    # The form's blank back, scanned: specks read as marks, no words.
    page = _attachment(Word("=", (1092, 864, 1112, 865), 0.94),
                       Word("ae", (181, 521, 244, 539), 0.57))
    draft = parse_csf49([_form(["VACCINE"]), page], None, TODAY)
    assert draft.unread == []


def test_dates_under_the_dose_list_s_title_with_its_header_unread_are_left_to_a_reviewer(
) -> None:
    # 'DATE GIVEN' read 'DATE Gave': no table, but the list's title and a date under it read.
    words = [_word("Immunizations", 100, 900), _word("given", 450, 900),
             _word("(optional):", 600, 900),
             _word("VACCINE", 100, 1000), _word("DATE", 600, 1000), _word("Gave", 720, 1000),
             _word("DTaP", 100, 1070), _word("3/14/2022", 600, 1070),
             _word("Signed", 100, 1400), _word("by:", 280, 1400)]
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    form = PageText(PageImage(1, image, 300.0, binary=image.copy()), tuple(words))
    draft = parse_csf49([form], None, TODAY)
    assert draft.unread == ["page 1: no dose list was made out on it; any doses on it are unread"]
    # The optional list left empty, its header unread: nothing is missing.
    empty = PageText(form.page, tuple(w for w in words if w.text not in ("DTaP", "3/14/2022")))
    assert parse_csf49([empty], None, TODAY).unread == []


def test_the_form_s_opening_is_no_dose_list_title() -> None:
    # 'all age-appropriate immunizations, is in the process ...' reads nearly like
    # 'Immunizations given': the birth date below it is no dose of an unread list.
    words = [_word("all", 100, 400), _word("age-appropriate", 200, 400),
             _word("immunizations,", 600, 400), _word("is", 1000, 400), _word("in", 1100, 400),
             _word("Birth", 1500, 600), _word("Date", 1650, 600), _word("10/8/2021", 1500, 650)]
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    form = PageText(PageImage(1, image, 300.0, binary=image.copy()), tuple(words))
    assert parse_csf49([form], None, TODAY).unread == []


def _part_a(labels: Sequence[str], dates: Sequence[tuple[str, int]],
            part_b_at: int = 760) -> PageText:
    """Part A as read: the labels read (each at its cell's place) and dates (text, row).

    The right column's cells: Case Number (row 0), Birth Date (row 1), Verification Due
    (row 2); each label sits above its cell's value. `part_b_at`: where the Part B heading
    was read (Part A's ends at 270).
    """
    places = {"Case Number": 0, "Birth Date": 1, "Verification Due": 2}
    words: list[Word] = [_word("PART", 100, 240), _word("A", 230, 240)]
    for label in labels:
        y = 300 + 150 * places[label]
        words += [_word(part, 1560 + 170 * i, y) for i, part in enumerate(label.split())]
    words += [_word(text, 1580, 345 + 150 * row) for text, row in dates]
    x = 100
    for text in ("PART", "B", "TO", "BE", "COMPLETED", "BY", "A", "MEDICAL", "PROVIDER"):
        words.append(_word(text, x, part_b_at))
        x = words[-1].box[2] + 20
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    return PageText(PageImage(1, image, 300.0, binary=image.copy()), tuple(words))


def test_a_birth_date_under_its_label_is_read_as_sure_as_it_reads() -> None:
    page = _part_a(["Birth Date", "Verification Due"], [("5/28/2021", 1), ("7/03/2026", 2)])
    draft = parse_csf49([page], None, TODAY)
    assert (draft.birth_date.text, draft.birth_date.confidence) == ("5/28/2021", 0.95)
    assert draft.unread == []


@pytest.mark.parametrize("labels", [[], ["Case Number"]])
def test_with_its_label_unread_the_earlier_of_part_as_two_dates_is_the_birth_date_unsure(
        labels: list[str]) -> None:
    page = _part_a(labels, [("5/28/2021", 1), ("7/03/2026", 2)])
    draft = parse_csf49([page], None, TODAY)
    assert draft.birth_date.text == "5/28/2021"
    # A reviewer confirms which field it is.
    assert draft.unread == ["the birth date's label was not read: the earlier of the dates "
                            "written in Part A was taken for it"]


def test_a_lone_date_under_a_verification_due_label_read_is_no_birth_date() -> None:
    page = _part_a(["Verification Due"], [("7/03/2026", 2)])
    assert parse_csf49([page], None, TODAY).birth_date.is_empty


def test_a_lone_date_in_part_a_with_neither_label_read_is_taken_for_neither() -> None:
    # Unread, the birth date leaves the due date alone in Part A: it is not the child's birth.
    page = _part_a([], [("7/03/2026", 2)])
    assert parse_csf49([page], None, TODAY).birth_date.is_empty


def test_the_date_under_a_verification_due_label_read_is_passed_over() -> None:
    page = _part_a(["Verification Due"], [("5/28/2021", 1), ("7/03/2020", 2)])
    assert parse_csf49([page], None, TODAY).birth_date.text == "5/28/2021"


def test_a_birth_date_label_read_over_an_empty_cell_is_not_filled_from_other_dates() -> None:
    page = _part_a(["Birth Date", "Verification Due"], [("7/03/2026", 2)])
    assert parse_csf49([page], None, TODAY).birth_date.is_empty


@pytest.mark.parametrize(("part_b_at", "taken"), [(270 + 825, True), (270 + 826, False)])
def test_part_a_ends_where_part_b_is_read_within_a_quarter_page_below_it(
        part_b_at: int, taken: bool) -> None:
    # Further down, the 'Part B' read is other print misread, and the dates above it may
    # include a dose's.
    page = _part_a([], [("5/28/2021", 1), ("7/03/2026", 2)], part_b_at=part_b_at)
    assert parse_csf49([page], None, TODAY).birth_date.is_empty is not taken
