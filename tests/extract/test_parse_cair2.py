"""CAIR2 rows: a trade name names the product; the printed group alone is unsure without one."""

from __future__ import annotations

import datetime as dt

import numpy as np

from extract.draft import PageText
from extract.finish import finish_doses
from extract.page import PageImage, PageSource, Word
from extract.parse_cair2 import parse_cair2

TODAY = dt.date(2026, 1, 15)


def word(text: str, x: int, y: int) -> Word:
    return Word(text, (x, y, x + 14 * len(text), y + 24), 0.96)


def page_of(words: list[Word]) -> PageText:
    image = np.full((2000, 1400), 255, dtype=np.uint8)
    page = PageImage(1, image, 300.0, PageSource.TEXT_LAYER, tuple(words), binary=image)
    return PageText(page, tuple(words))


def report(trade_column: bool, more: tuple[Word, ...] = ()) -> PageText:
    header = [word("Vaccine", 100, 300), word("Group", 210, 300), word("Date", 420, 300),
              word("Administered", 490, 300), word("Series", 760, 300), word("Dose", 1150, 300)]
    row = [word("HepB", 100, 400), word("01/14/2024", 420, 400), word("1", 760, 400)]
    if trade_column:
        header.append(word("Trade Name", 900, 300))
    return page_of(header + row + list(more))


def test_a_row_without_a_trade_name_column_is_unsure_of_its_product() -> None:
    draft = parse_cair2([report(trade_column=False)], None, TODAY)
    doses = finish_doses(draft, dt.date(2023, 11, 1), TODAY).doses
    assert [(d.groups, d.date.value) for d in doses] == [(["HepB"], dt.date(2024, 1, 14))]
    assert doses[0].vaccine_text.confidence < 0.8


def test_a_blank_trade_name_leaves_the_group_as_the_vaccine() -> None:
    draft = parse_cair2([report(trade_column=True)], None, TODAY)
    doses = finish_doses(draft, dt.date(2023, 11, 1), TODAY).doses
    assert [(d.groups, d.date.value) for d in doses] == [(["HepB"], dt.date(2024, 1, 14))]
    assert doses[0].vaccine_text.confidence >= 0.8


def test_a_row_holding_only_a_rule_s_trace_is_no_dose() -> None:
    # A skewed scan's rule read as dashes in the date and trade-name cells of a row of its own.
    traces = (word("HepB", 100, 460), word("_\u2014", 420, 460),
              word("\u2014\u2014_\u2014", 900, 460))
    draft = parse_cair2([report(trade_column=True, more=traces)], None, TODAY)
    assert [dose.date.text for dose in draft.doses] == ["01/14/2024"]


def test_a_row_with_a_trade_name_and_no_date_is_a_dose_for_the_reviewer() -> None:
    more = (word("HepB", 100, 460), word("Engerix-B", 900, 460))
    draft = parse_cair2([report(trade_column=True, more=more)], None, TODAY)
    assert [(dose.vaccine.text, dose.date.text) for dose in draft.doses] == [
        ("HepB", "01/14/2024"), ("Engerix-B", "")]


def test_the_forecast_under_a_misread_title_is_no_dose() -> None:
    # The forecast's title read as scraps, so nothing ends the table: its due dates follow.
    forecast = (word("Recomimenaca", 100, 470), word("vi", 330, 470),
                word("DTP/aP", 100, 520), word("Due:", 420, 520), word("05/31/2026", 490, 520),
                word("HepA", 100, 570), word("Due:", 420, 570), word("09/08/2026", 490, 570))
    draft = parse_cair2([report(trade_column=True, more=forecast)], None, TODAY)
    assert [dose.date.text for dose in draft.doses] == ["01/14/2024"]


def test_a_title_read_as_scraps_but_forecast_ends_the_table() -> None:
    title = (word("Reconsncnmucu", 100, 470), word("Vi", 330, 470),
             word("Vaccines", 420, 470), word("(forecast)", 560, 470))
    draft = parse_cair2([report(trade_column=True, more=title)], None, TODAY)
    assert [dose.date.text for dose in draft.doses] == ["01/14/2024"]


def test_a_misread_forecast_title_still_ends_the_table() -> None:
    title = (word("Recomimenaca", 100, 470), word("Vaccines", 330, 470),
             word("(forecast)", 480, 470), word("HepA", 100, 520), word("09/08/2026", 490, 520))
    draft = parse_cair2([report(trade_column=True, more=title)], None, TODAY)
    assert [dose.date.text for dose in draft.doses] == ["01/14/2024"]


class LineRecogniser:
    """Tesseract reads no more in a cell; the line recogniser reads `line` in every cell."""

    def __init__(self, line: tuple[str, float],
                 spelled: tuple[str, float] | None = None) -> None:
        self.line = line
        self.spelled = spelled

    def read_words(self, image: object, request: object) -> list[Word]:
        return []

    def read_date_choices(self, images: list[object],
                          years: range) -> list[list[tuple[str, float]]]:
        return [[] for _ in images]

    def read_text_lines(self, images: list[object]) -> list[tuple[str, float] | None]:
        return [self.line for _ in images]

    def read_name_lines(self, images: list[object], names: object,
                        meanings: object = None) -> list[tuple[str, float] | None]:
        return [self.spelled for _ in images]


# A scanned report's column headers, with its trade-name column.
SCANNED_HEADER = (word("Vaccine", 100, 300), word("Group", 210, 300), word("Date", 420, 300),
                  word("Administered", 490, 300), word("Series", 760, 300),
                  word("Trade Name", 900, 300), word("Dose", 1150, 300))


def scanned_report(trade: Word, group: str | None = "Polio") -> PageText:
    header = list(SCANNED_HEADER)
    printed_group = [] if group is None else [word(group, 100, 400)]
    words = tuple(header + printed_group + [word("01/14/2024", 420, 400), trade])
    image = np.full((2000, 1400), 255, dtype=np.uint8)
    page = PageImage(1, image, 300.0, PageSource.IMAGE, (), binary=image)
    return PageText(page, words, ocr_image=page)


def polio_dose(trade: Word, line: tuple[str, float], spelled: tuple[str, float] | None = None,
               group: str | None = "Polio"):
    draft = parse_cair2([scanned_report(trade, group)], LineRecogniser(line, spelled), TODAY)
    (dose,) = finish_doses(draft, dt.date(2023, 11, 1), TODAY).doses
    return dose


def test_a_trade_name_tesseract_misread_is_the_name_the_line_recogniser_reads() -> None:
    # A speck read into IPOL's I: '(POL' names nothing; the recogniser reads 'IPOL', and the
    # row's printed group, Polio, agrees.
    dose = polio_dose(word("(POL", 900, 400), ("IPOL", 0.99))
    assert (dose.vaccine, dose.vaccine_text.value) == ("IPV", "IPOL")
    assert dose.vaccine_text.confidence >= 0.8


def test_a_trade_name_only_the_recogniser_names_against_its_printed_group_is_unsure() -> None:
    dose = polio_dose(word("(POL", 900, 400), ("Varivax", 0.99))
    assert dose.vaccine_text.confidence < 0.8


def test_a_recogniser_reading_that_names_no_vaccine_leaves_tesseracts_read() -> None:
    dose = polio_dose(word("(POL", 900, 400), ("POL", 0.99))
    assert dose.vaccine_text.value == "(POL"
    assert dose.vaccine_text.confidence < 0.8


def test_a_trade_name_read_sure_is_not_read_again() -> None:
    dose = polio_dose(word("IPOL", 900, 400), ("Varivax", 0.99))
    assert dose.vaccine_text.value == "IPOL"


def test_an_unsure_trade_name_the_recogniser_names_alike_is_sure() -> None:
    # 'infanrix' at 0.51, its cell read again as 'Infantrix': the recogniser's 'Infanrix' is
    # a second engine naming the same vaccine.
    # The group cell unread: the engines' agreement alone makes the name sure.
    unsure = Word("infanrix", (900, 400, 1012, 424), 0.51)
    dose = polio_dose(unsure, ("Infanrix", 0.97), group=None)
    assert dose.vaccine == "DTaP" and dose.vaccine_text.confidence >= 0.8


def test_a_trade_name_both_engines_misspell_alike_is_the_name_its_strokes_spell() -> None:
    # A blurred f: Tesseract reads 'Intanrix' (0.42), the recogniser letter by letter too;
    # of the vocabulary's names its strokes spell Infanrix, the product Tesseract's read names.
    unsure = Word("Intanrix", (900, 400, 1012, 424), 0.42)
    dose = polio_dose(unsure, ("Intanrix", 0.92), ("Infanrix", 0.97), group=None)
    assert dose.vaccine == "DTaP" and dose.vaccine_text.confidence >= 0.8


def test_a_name_the_strokes_spell_unlike_tesseracts_read_is_not_taken() -> None:
    unsure = Word("Intanrix", (900, 400, 1012, 424), 0.42)
    dose = polio_dose(unsure, ("Intanrix", 0.92), ("Pentacel", 0.97))
    assert dose.vaccine_text.value == "Intanrix" and dose.vaccine_text.confidence < 0.8


def test_a_name_the_strokes_spell_with_under_half_the_likelihood_is_not_taken() -> None:
    unsure = Word("Intanrix", (900, 400, 1012, 424), 0.42)
    assert polio_dose(unsure, ("Intanrix", 0.92), ("Infanrix", 0.49)).vaccine_text.value == \
        "Intanrix"
    assert polio_dose(unsure, ("Intanrix", 0.92), ("Infanrix", 0.5)).vaccine_text.value == \
        "Infanrix"


class PrintedDates:
    """Tesseract reads each inked date cell of a stacked re-read as `dates` gives it, in order,
    sure; the line recogniser, checking cells, reads them as `checks` gives them."""

    def __init__(self, dates: list[str], checks: list[str]) -> None:
        self.dates, self.checks, self.checked = dates, checks, 0

    def read_words(self, image: np.ndarray, request: object) -> list[Word]:
        inked = np.flatnonzero((image < 128).any(axis=1))
        starts = [int(y) for i, y in enumerate(inked) if i == 0 or inked[i - 1] != y - 1]
        return [Word(text, (45, top, 185, top + 16), 0.99)
                for text, top in zip(self.dates, starts, strict=False)]

    def read_date_choices(self, images: list[np.ndarray],
                          years: range) -> list[list[tuple[str, float]]]:
        asked = self.checks[self.checked : self.checked + len(images)]
        self.checked += len(images)
        return [[(text, 0.99)] for text in asked]

    def read_text_lines(self, images: list[object]) -> list[tuple[str, float] | None]:
        return [None for _ in images]

    def read_name_lines(self, images: list[object], names: object,
                        meanings: object = None) -> list[tuple[str, float] | None]:
        return [None for _ in images]


def visit_days(checks: list[str]) -> tuple[list[tuple[str, bool]], int]:
    """A report printing a Polio dose on 11/19/2021 and an MMR dose on 11/13/2021 (days apart,
    as one visit's date misread is), and a Hep B dose years away: each dose's date and whether
    it is shown sure; how many cells the line recogniser checked."""
    dates = ["11/19/2021", "11/13/2021", "01/14/2024"]
    header = list(SCANNED_HEADER)
    rows = []
    image = np.full((2000, 1400), 255, dtype=np.uint8)
    for (group, trade), date, y in zip((("Polio", "IPOL"), ("MMR", "M-M-R II"), ("HepB", "")),
                                       dates, (400, 460, 520), strict=True):
        rows += [word(group, 100, y), word(date, 420, y)] + ([word(trade, 900, y)] if trade else [])
        image[y + 4 : y + 20, 430 : 540] = 0
    page = PageImage(1, image, 300.0, PageSource.IMAGE, (), binary=image)
    readers = PrintedDates(dates, checks)
    draft = parse_cair2([PageText(page, tuple(header + rows), ocr_image=page)], readers, TODAY)
    doses = finish_doses(draft, dt.date(2021, 1, 4), TODAY).doses
    return [(d.date.text or "", d.date.confidence >= 0.8) for d in doses], readers.checked


def test_a_printed_date_days_from_another_is_checked_by_the_line_recogniser() -> None:
    # A compressed scan's '11/13/2021' read '11/19/2021' twice, sure: the recogniser reads 13.
    doses, checked = visit_days(["11/13/2021", "11/13/2021"])
    assert doses == [("11/19/2021", False), ("11/13/2021", True), ("01/14/2024", True)]
    assert checked == 2


def test_two_visits_days_apart_both_engines_read_alike_stay_sure() -> None:
    doses, _ = visit_days(["11/19/2021", "11/13/2021"])
    assert all(sure for _, sure in doses)


def dtap_rows(groups: list[tuple[str, bool]], spelled: tuple[str, float] | None
              ) -> list[float]:
    """The vaccine confidence of each Infanrix row of a scanned report whose Vaccine Group
    cells read `groups` (text, whether the cell holds ink), the trade names read unsure by
    Tesseract and 'Infanrix' by the line recogniser; `spelled`, the group cells' strokes read
    against the vocabulary."""
    image = np.full((2000, 1400), 255, dtype=np.uint8)
    words = list(SCANNED_HEADER)
    for index, (group, inked) in enumerate(groups):
        y = 400 + 60 * index
        words += [word(group, 100, y), word(f"0{index + 1}/14/2024", 420, y),
                  Word("lnfanrix", (900, y, 1012, y + 24), 0.42)]
        if inked:
            image[y + 4 : y + 20, 110 : 100 + 12 * len(group)] = 0
    page = PageImage(1, image, 300.0, PageSource.IMAGE, (), binary=image)
    readers = LineRecogniser(("Infanrix", 0.97), spelled)
    draft = parse_cair2([PageText(page, tuple(words), ocr_image=page)], readers, TODAY)
    return [d.vaccine_text.confidence for d in finish_doses(draft, dt.date(2023, 11, 1),
                                                           TODAY).doses]


def test_a_misread_group_is_the_name_its_strokes_spell_and_checks_the_trade_name() -> None:
    # A photo's 'DTP/aP' read 'OTPlaP': the recogniser's strokes spell DTP/aP, which the
    # trade name Infanrix agrees with.
    assert dtap_rows([("OTPlaP", True)], ("DTP/aP", 0.9)) == [0.9]


def test_a_group_the_strokes_spell_with_under_half_the_likelihood_is_not_taken() -> None:
    assert dtap_rows([("OTPlaP", True)], ("DTP/aP", 0.49))[0] < 0.8
    assert dtap_rows([("OTPlaP", True)], ("DTP/aP", 0.5))[0] >= 0.8


def test_words_made_of_a_blank_group_cell_leave_the_group_above() -> None:
    # The report prints a group on its first row; the page read made 'Lae' of the paper's
    # grain in the second's blank cell.
    confidences = dtap_rows([("DTP/aP", True), ("Lae", False)], None)
    assert all(confidence >= 0.8 for confidence in confidences)


def test_an_inked_group_cell_that_names_nothing_checks_no_trade_name() -> None:
    assert dtap_rows([("DTP/aP", True), ("Lae", True)], None)[1] < 0.8
