"""A card's dose rows: which rows are written for a dose, and which are headings."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np

from extract.draft import Draft, DraftDose, PageText
from extract.finish import finish_doses
from extract.grid import Ruling
from extract.ocr import OcrRequest
from extract.page import PageImage, Word
from extract.parse_yellow_card import HEADERS, _repeats_header, read_dose_rows
from extract.result import DocumentType
from extract.table import Table, TableRow, find_table

TODAY = dt.date(2026, 1, 15)
HEADING = "DIPHTHERIA, TETANUS, PERTUSSIS (DTaP/DTP)"


def word(text: str, x: int, y: int) -> Word:
    return Word(text, (x, y, x + 14 * len(text), y + 24), 0.95)


# The card's column headers, as the page read gives them.
COLUMN_HEADERS = (word("VACCINE", 110, 100), word("DATE", 420, 100), word("GIVEN", 490, 100),
                  word("PROVIDER", 820, 100))


def words_of(line: str, x: int, y: int) -> list[Word]:
    """A printed line's words as OCR gives them, one per word."""
    words = []
    for text in line.split():
        words.append(word(text, x, y))
        x += 14 * (len(text) + 1)
    return words


def card(stamped_row: int | None, heading: str = HEADING, name: str = "DTaP") -> PageText:
    """A block: its heading row, a row naming `name` with no date, and a dated dose.

    `stamped_row`: the row (1: the heading's, 2: the undated one) a clinic's stamp is inked on.
    """
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    rows = {1: (150, 250), 2: (250, 310), 3: (310, 370)}
    if stamped_row is not None:
        top, bottom = rows[stamped_row]
        # A stamp's border and letters, inside the provider cell.
        image[top + 12 : bottom - 12 : 6, 830:1150] = 0
        image[top + 12 : bottom - 12, 830:834] = 0
    words = [*COLUMN_HEADERS, *words_of(heading, 110, 180), word(name, 110, 270),
             word(name, 110, 330), word("3/4/2022", 420, 330), word("Valley Clinic", 820, 330)]
    page = PageImage(1, image, 300.0, binary=image)
    return PageText(page, tuple(words))


def card_rows(page: PageText, rules_at: tuple[int, ...] = (148, 248, 308, 368)
              ) -> list[DraftDose]:
    rules = [(100, y, 1200, y + 2) for y in rules_at]
    ruling = Ruling(tuple(rules), (), np.zeros((1000, 1400), dtype=np.uint8))
    table = find_table(page, HEADERS, ruling=ruling)
    assert table is not None
    return read_dose_rows(page, table, None, TODAY)


def doses_read(page: PageText, rules_at: tuple[int, ...] = (148, 248, 308, 368)
               ) -> list[tuple[str, str]]:
    return [(d.vaccine.text, d.date.text) for d in card_rows(page, rules_at)]


def test_a_stamped_row_under_a_heading_naming_a_vaccine_is_a_dose_with_no_date() -> None:
    assert doses_read(card(stamped_row=2)) == [("DTaP", ""), ("DTaP", "3/4/2022")]


def test_so_is_one_under_a_heading_that_stays_in_the_vaccine_column() -> None:
    # A short heading ('HEPATITIS A') leaves the row's date and provider cells empty.
    assert doses_read(card(stamped_row=2, heading="HEPATITIS A", name="HepA")) == [
        ("HepA", ""), ("HepA", "3/4/2022")]
    assert doses_read(card(stamped_row=None, heading="HEPATITIS A", name="HepA")) == [
        ("HepA", "3/4/2022")]


def test_a_stamp_ocr_cannot_read_is_a_provider_unread_not_one_missing() -> None:
    doses = card_rows(card(stamped_row=2))
    assert (doses[0].provider.text, doses[0].provider.confidence < 0.8) == ("?", True)
    finished = finish_doses(Draft(DocumentType.YELLOW_CARD, doses=doses), None, TODAY)
    assert "doses[0].provider" not in {flag.field for flag in finished.flags}


def test_without_a_stamp_a_vaccine_name_alone_is_no_dose() -> None:
    assert doses_read(card(stamped_row=None)) == [("DTaP", "3/4/2022")]


def test_a_stamp_on_the_heading_s_own_row_makes_no_dose_of_the_heading() -> None:
    assert doses_read(card(stamped_row=1)) == [("DTaP", "3/4/2022")]


def provider_alone(heading: str, provider: str, inked: bool = True) -> list[tuple[str, str]]:
    """A block: its label on a row of its own, a row with only `provider` handwritten (read
    unsure; in ink inside the row when `inked`), then a dated dose."""
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    if inked:
        image[262:298:6, 830:1100] = 0
    written = [replace(w, confidence=0.3) for w in words_of(provider, 820, 270)]
    words = [*COLUMN_HEADERS, *words_of(heading, 110, 180), *written,
             word("Flu", 110, 330), word("3/4/2022", 420, 330), word("Valley Clinic", 820, 330)]
    return doses_read(PageText(PageImage(1, image, 300.0, binary=image), tuple(words)))


def test_a_provider_written_alone_under_a_block_s_label_is_a_dose_with_no_date() -> None:
    # The label as a card prints it, in capitals or not, on a row of its own.
    for heading in ("Influenza (Flu)", "INFLUENZA"):
        assert provider_alone(heading, "Sunrise Pediatrics") == [("", ""), ("Flu", "3/4/2022")]


def test_a_few_letters_or_no_ink_of_its_own_in_the_provider_cell_make_no_dose() -> None:
    # A stroke or a stamp's edge read as letters; words with no ink of the row's own.
    assert provider_alone("Influenza (Flu)", "Sun Ped") == [("Flu", "3/4/2022")]
    assert provider_alone("Influenza (Flu)", "Sunrise Pediatrics", inked=False) == [
        ("Flu", "3/4/2022")]


def struck_over(stamped: bool) -> list[tuple[str, str]]:
    """A block: its label on a row of its own, a row whose typed date is struck over (read as
    letters, unsure) and, when `stamped`, a clinic's stamp beside it, then a dated dose."""
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    image[264:296:3, 425:590] = 0
    if stamped:
        image[262:298:6, 830:1100] = 0
    words = [*COLUMN_HEADERS, *words_of("PNEUMOCOCCAL", 110, 180),
             Word("AWNACTAGT", (425, 268, 590, 294), 0.0),
             word("PCV", 110, 330), word("3/4/2022", 420, 330), word("Valley Clinic", 820, 330)]
    return doses_read(PageText(PageImage(1, image, 300.0, binary=image), tuple(words)))


def test_a_date_struck_over_and_stamped_in_a_block_is_a_dose_with_an_unreadable_date() -> None:
    assert struck_over(stamped=True) == [("", "AWNACTAGT"), ("PCV", "3/4/2022")]


def test_a_date_cell_scribbled_over_with_nothing_else_on_the_row_is_no_dose() -> None:
    assert struck_over(stamped=False) == [("PCV", "3/4/2022")]


def row_of(**cells: str) -> TableRow:
    """A table row holding each cell's words, as the page read gave them."""
    x = {"vaccine": 110, "date": 420, "provider": 820, "next_due": 1200}
    return TableRow({name: tuple(words_of(text, x[name], 160)) for name, text in cells.items()},
                    (100, 150, 1400, 198), 1)


def test_a_header_s_second_line_is_no_entry_whichever_of_its_words_were_read() -> None:
    # A bilingual card's Spanish header line, read as a row of its own: its date header read,
    # or left unread, and 'MEDICO O CLINICA' read 'MEDICOO CLINICA'.
    assert _repeats_header(row_of(vaccine="VACUNA", date="FECHA"))
    assert _repeats_header(row_of(vaccine="VACUNA", provider="MEDICOO CLINICA",
                                  next_due="PROXIMA DOSIS"))
    assert not _repeats_header(row_of(vaccine="VACUNA", date="3/4/2022",
                                      provider="MEDICOO CLINICA"))
    assert not _repeats_header(row_of(vaccine="IPV", provider="Valley Clinic"))


def label_row_with(provider: str) -> list[tuple[str, str]]:
    """A card that prints a block's label in its first row: 'HEPATITIS B' and `provider`
    handwritten (read unsure) in that row, then a dated dose."""
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    image[190:226:6, 830:1000] = 0
    written = [replace(w, confidence=0.3) for w in words_of(provider, 820, 195)]
    words = [*COLUMN_HEADERS, *words_of("HEPATITIS B", 110, 160), *written,
             word("HepB", 110, 270), word("3/4/2022", 420, 270), word("Valley Clinic", 820, 270)]
    return doses_read(PageText(PageImage(1, image, 300.0, binary=image), tuple(words)))


def test_a_provider_written_alone_in_the_row_a_label_is_printed_in_is_a_dose_with_no_date(
        ) -> None:
    assert label_row_with("Central Coast Public Health") == [
        ("HEPATITIS B", ""), ("HepB", "3/4/2022")]
    assert label_row_with("Cen Co") == [("HepB", "3/4/2022")]


def test_a_stamp_s_top_in_a_band_split_off_its_dose_s_row_makes_no_dose() -> None:
    # The page read split the first row under the label: the stamp's top in a band half a
    # row high, the dose's date in the other half, then two whole rows.
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    image[252:276:6, 830:1000] = 0
    stamp = [replace(w, confidence=0.3) for w in words_of("Westlake Immunization", 820, 252)]
    words = [*COLUMN_HEADERS, *words_of("Influenza (Flu)", 110, 180), *stamp,
             word("Flu", 110, 282), word("3/4/2022", 420, 282),
             word("Flu", 110, 320), word("9/4/2022", 420, 320), word("Valley Clinic", 820, 320),
             word("Flu", 110, 380), word("9/4/2023", 420, 380), word("Valley Clinic", 820, 380)]
    page = PageText(PageImage(1, image, 300.0, binary=image), tuple(words))
    assert doses_read(page, rules_at=(148, 248, 278, 308, 368, 428)) == [
        ("Flu", "3/4/2022"), ("Flu", "9/4/2022"), ("Flu", "9/4/2023")]


def named_below_a_dose(name: str, stamped: bool = True, heading: str = "Hep A",
                       dose_name: str = "") -> list[tuple[str, str]]:
    """A block under `heading`: a dose dated, its vaccine cell holding `dose_name`, then a row
    naming `name` with no date.

    The stamp of the undated row is inked across the rule between the two, as stamps are.
    """
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    if stamped:
        image[292:356:6, 830:1150] = 0
        image[292:356, 830:834] = 0
    words = [*COLUMN_HEADERS, *words_of(heading, 110, 180),
             *words_of(dose_name, 110, 270), word("3/4/2022", 420, 270),
             word("Valley Clinic", 820, 270), word(name, 110, 330)]
    return doses_read(PageText(PageImage(1, image, 300.0, binary=image), tuple(words)))


def test_the_block_s_vaccine_named_under_one_of_its_doses_is_a_dose_with_no_date() -> None:
    # A block prints its label once, at its head: 'HepA' under a Hep A dose is an entry.
    assert named_below_a_dose("HepA") == [("", "3/4/2022"), ("HepA", "")]


def test_another_vaccine_named_under_a_dose_with_no_date_is_no_dose() -> None:
    # It may be the next block's label, its heading row unruled.
    assert named_below_a_dose("MMR") == [("", "3/4/2022")]


def test_the_second_line_of_a_label_is_no_dose() -> None:
    assert named_below_a_dose("Rubella)", heading="MEASLES", dose_name="MMR (Measles,") == [
        ("MMR (Measles,", "3/4/2022")]


def test_the_block_s_vaccine_named_under_a_dose_without_a_stamp_is_no_dose() -> None:
    assert named_below_a_dose("HepA", stamped=False) == [("", "3/4/2022")]


def other_row(slash: str) -> tuple[str | None, str]:
    """The printed label and the writing split from an 'OTHER / OTRAS' row read with `slash`."""
    from extract.parse_yellow_card import split_row_label
    from extract.table import TableRow, cell_field

    words = (word("OTHER", 110, 500), word(slash, 190, 500), word("OTRAS", 220, 500),
             word("Vacuna", 420, 500), word("X", 520, 500))
    row = TableRow({"vaccine": words}, (100, 490, 1200, 540), 1)
    label, written = split_row_label(cell_field(row, "vaccine"), row)
    return label, written.text


def test_the_slash_of_a_bilingual_label_read_as_any_letter_leaves_the_label_printed() -> None:
    assert other_row("f") == ("OTHER f OTRAS", "Vacuna X")
    assert other_row("|") == ("OTHER | OTRAS", "Vacuna X")


def test_a_written_word_between_capitals_is_no_slash() -> None:
    assert other_row("fx") == (None, "OTHER fx OTRAS Vacuna X")


class _DigitsOfAnything:
    """Reads every cell as '1.10': what a digits-only re-read makes of printed letters."""

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        height, width = image.shape[:2]
        return [Word("1.10", (0, 0, width, height), 0.6)]


def _heading_across(confidence: float) -> list[tuple[str, str, str | None]]:
    """A DTaP block whose heading runs from the date column on, then a dose with no name."""
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    heading = [Word(text, (x, 180, x + 14 * len(text), 204), confidence)
               for text, x in (("DIPHTHERIA,", 420), ("TETANUS,", 590), ("PERTUSSIS", 820),
                               ("(DTaP/DTP)", 960))]
    for printed in heading:
        # The letters' ink: in the provider cell, as much as a stamp's.
        left, top, right, bottom = printed.box
        image[top:bottom:3, left:right] = 0
    words = [*COLUMN_HEADERS, *heading, word("3/4/2022", 420, 270),
             word("Valley Clinic", 820, 270)]
    page = PageText(PageImage(1, image, 300.0, binary=image), tuple(words))
    rules = [(100, y, 1200, y + 2) for y in (148, 248, 308)]
    ruling = Ruling(tuple(rules), (), np.zeros((1000, 1400), dtype=np.uint8))
    table = find_table(page, HEADERS, ruling=ruling)
    assert table is not None
    return [(d.vaccine.text, d.date.text, d.label)
            for d in read_dose_rows(page, table, _DigitsOfAnything(), TODAY)]


def test_a_heading_printed_across_the_date_column_is_no_dose() -> None:
    assert _heading_across(0.8) == [("", "3/4/2022", HEADING)]


def test_unsure_capitals_in_the_date_column_are_not_taken_for_a_heading() -> None:
    # Read under 0.8 they may be a stamp's letters: the row stays an entry, for the reviewer.
    assert [date for _, date, _ in _heading_across(0.79)] == ["DIPHTHERIA, TETANUS,", "3/4/2022"]



class VaccineCellReader:
    """Reads every stacked crop as `name`: the vaccine cell's re-read (dates are read sure)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.asked = 0

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        self.asked += 1
        return [Word(self.name, (45, 45, 45 + 14 * len(self.name), 69), 0.9)]


def blank_card(*rows: Word) -> tuple[PageText, Table]:
    """A blank card under the dose grid's header, with `rows` read on it, and its grid."""
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    words = [*COLUMN_HEADERS, *rows]
    page = PageImage(1, image, 300.0, binary=image)
    text = PageText(page, tuple(words), ocr_image=page)
    table = find_table(text, HEADERS)
    assert table is not None
    return text, table


def struck_list_dates(struck_strokes: int) -> list[str]:
    """Four IPV rows: three typed dates, and a fourth read '4/22' unsure, its cell holding
    `struck_strokes` strokes of ink where each of the others holds three. Each row's date."""
    ys = (200, 270, 340, 410)
    dates = ("3/4/2022", "5/6/2022", "7/8/2022", "4/22")
    words = [w for y, date in zip(ys, dates, strict=True) for w in (
        word("IPV", 110, y), Word(date, (420, y, 420 + 14 * len(date), y + 24),
                                  0.95 if len(date) > 4 else 0.03))]
    page, table = blank_card(*words)
    assert page.page.binary is not None
    for y, strokes in zip(ys, (3, 3, 3, struck_strokes), strict=True):
        for k in range(strokes):
            page.page.binary[y + 4 + 4 * k : y + 6 + 4 * k, 430:600] = 0
    return [d.date.text for d in read_dose_rows(page, table, None, TODAY, blocks=False)]


def test_a_date_read_in_part_in_a_cell_far_inkier_than_the_list_s_is_struck_over() -> None:
    # Five strokes where the list's dates have three (1.67 times): written over, unreadable.
    assert struck_list_dates(5)[3] == "?"
    # Four (1.33 times): a date read in part, as read.
    assert struck_list_dates(4)[3] == "4/22"


def one_dose(name_confidence: float, reread: str) -> tuple[DraftDose, int]:
    """A card whose printed label was not read: 'HepB' written and dated. Its OCR calls too."""
    page, table = blank_card(Word("HepB", (110, 270, 166, 294), name_confidence),
                             word("3/4/2022", 420, 270), word("Valley Clinic", 820, 270))
    engine = VaccineCellReader(reread)
    (dose,) = read_dose_rows(page, table, engine, TODAY)
    return dose, engine.asked


def vaccine_confidence(dose: DraftDose) -> float:
    draft = Draft(DocumentType.YELLOW_CARD, doses=[dose])
    return finish_doses(draft, None, TODAY).doses[0].vaccine_text.confidence


def test_an_unsure_name_read_again_alike_is_sure() -> None:
    dose, _ = one_dose(0.76, "HepB")
    assert dose.vaccine.readings == ("HepB",)
    assert vaccine_confidence(dose) >= 0.8


def test_an_unsure_name_read_again_as_another_vaccine_stays_unsure() -> None:
    dose, _ = one_dose(0.76, "Hib")
    assert vaccine_confidence(dose) < 0.8


def test_a_name_read_sure_is_not_read_again() -> None:
    _, sure_asked = one_dose(0.8, "HepB")
    _, unsure_asked = one_dose(0.79, "HepB")
    assert unsure_asked == sure_asked + 1


class HandwrittenDateReaders:
    """Tesseract reads a hand's '10/25/2019' as '10/25/2014' every time, sure; the line
    recogniser reads it right."""

    def __init__(self) -> None:
        self.checked = 0

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        return [Word("10/25/2014", (45, 45, 185, 69), 0.99)]

    def read_date_choices(self, images: list[np.ndarray],
                          years: range) -> list[list[tuple[str, float]]]:
        self.checked += len(images)
        return [[("10/25/2019", 0.9)] for _ in images]

    def read_text_lines(self, images: list[np.ndarray]) -> list[tuple[str, float] | None]:
        return [None for _ in images]

    def read_name_lines(self, images: list[np.ndarray], names: object,
                        meanings: object = None) -> list[tuple[str, float] | None]:
        return [None for _ in images]


def test_a_date_two_reads_agree_on_is_checked_by_the_line_recogniser() -> None:
    page, table = blank_card(word("HEPATITIS B", 110, 270),
                             Word("10/25/2014", (420, 270, 560, 294), 0.99),
                             word("Valley Clinic", 820, 270))
    engine = HandwrittenDateReaders()
    (dose,) = read_dose_rows(page, table, engine, TODAY)
    assert engine.checked == 1
    # Tesseract's date is kept; the recogniser reading otherwise sends it to a reviewer.
    assert dose.date.text == "10/25/2014"
    finished = finish_doses(Draft(DocumentType.YELLOW_CARD, doses=[dose]), None, TODAY)
    assert finished.doses[0].date.confidence < 0.8


def test_a_name_of_another_vaccine_under_a_printed_block_label_keeps_the_label() -> None:
    # 'IPV' written in the Polio block's second row, read 'RV': the block's label stays the
    # row's label, and the name read against it goes to a reviewer.
    page, table = blank_card(word("POLIO", 110, 200), word("IPV", 250, 200),
                             word("3/4/2022", 420, 200), word("RV", 250, 270),
                             word("5/6/2022", 420, 270))
    doses = read_dose_rows(page, table, None, TODAY)
    assert [(d.vaccine.text, d.label) for d in doses] == [("IPV", "POLIO"), ("RV", "POLIO")]
    finished = finish_doses(Draft(DocumentType.YELLOW_CARD, doses=doses), None, TODAY)
    assert [d.vaccine_text.confidence >= 0.8 for d in finished.doses] == [True, False]


def test_a_blank_row_under_a_name_written_where_no_label_was_read_is_named_by_it() -> None:
    # The block's printed label went unread: 'RV' written in its first row names the block,
    # and the blank row under it is that name's vaccine, as sure as 'RV' was read.
    page, table = blank_card(word("RV", 250, 200), word("3/4/2022", 420, 200),
                             word("5/6/2022", 420, 270))
    doses = read_dose_rows(page, table, None, TODAY)
    assert [(d.vaccine.text, d.label, d.named_by) for d in doses] == [
        ("RV", None, None), ("", "RV", 0)]
    unsure = [replace(doses[0], vaccine=replace(doses[0].vaccine, confidence=0.5)), doses[1]]
    finished = finish_doses(Draft(DocumentType.YELLOW_CARD, doses=unsure), None, TODAY)
    assert [d.vaccine_text.confidence >= 0.8 for d in finished.doses] == [False, False]


def measles_block_dose(product_inked: bool) -> DraftDose:
    """A dated row under the printed 'MEASLES, MUMPS, RUBELLA', its vaccine cell read empty.

    `product_inked`: something is written or stuck in the vaccine cell that OCR did not read
    (a sticker's small print).
    """
    page, table = blank_card(word("MEASLES, MUMPS, RUBELLA", 110, 200),
                             word("3/4/2022", 420, 270), word("Valley Clinic", 820, 270))
    if product_inked:
        assert page.page.binary is not None
        page.page.binary[274:292:3, 200:330] = 0
    (dose,) = read_dose_rows(page, table, None, TODAY)
    return dose


def test_a_product_written_but_unread_leaves_the_vaccine_to_a_reviewer() -> None:
    # A ProQuad sticker in the MMR block is not an MMR dose: the label cannot stand in for it.
    dose = measles_block_dose(product_inked=True)
    assert dose.vaccine.text == "?"
    assert vaccine_confidence(dose) < 0.8


def test_an_empty_vaccine_cell_takes_its_block_label_surely() -> None:
    dose = measles_block_dose(product_inked=False)
    assert dose.vaccine.is_empty and dose.label == "MEASLES, MUMPS, RUBELLA"
    assert vaccine_confidence(dose) >= 0.8


def varicella_block(label_unread_below: bool) -> list[str]:
    """Three dated rows under a printed 'VARICELLA': each row's vaccine as drafted.

    `label_unread_below`: the second row holds print OCR did not read where a label stands (a
    blurred '(PCV)', the next block's label).
    """
    page, table = blank_card(word("VARICELLA", 110, 200), word("3/4/2022", 420, 200),
                             word("5/6/2022", 420, 270), word("7/8/2022", 420, 340))
    if label_unread_below:
        assert page.page.binary is not None
        page.page.binary[274:292:3, 110:180] = 0
    return [d.vaccine.text or f"label {d.label}" for d in read_dose_rows(page, table, None, TODAY)]


def test_rows_under_a_label_left_unread_are_not_given_the_label_above() -> None:
    assert varicella_block(label_unread_below=True) == ["VARICELLA", "?", "?"]
    assert varicella_block(label_unread_below=False) == ["VARICELLA"] + ["label VARICELLA"] * 2


def under_a_heading_of_its_own(heading: list[Word],
                               rules_at: tuple[int, ...] = (148, 248, 308, 368)) -> list[str]:
    """A dated Hep A row, `heading` on a ruled row of its own, then a dated row with no name."""
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    words = [*COLUMN_HEADERS, *words_of("HEPATITIS A", 110, 180),
             word("3/4/2022", 420, 180), *heading, word("7/8/2022", 420, 330)]
    page = PageImage(1, image, 300.0, binary=image)
    return [d.vaccine.text or f"label {d.label}"
            for d in card_rows(PageText(page, tuple(words)), rules_at)]


def test_a_heading_half_read_leaves_the_rows_under_it_to_a_reviewer() -> None:
    heading = [word("7+", 110, 270), word("=", 160, 270), word("Conjugate", 300, 270)]
    assert under_a_heading_of_its_own(heading)[1] == "?"
    # A rule's trace read as dashes is no heading.
    assert under_a_heading_of_its_own([word("—_—_", 110, 270)])[1] == "label HEPATITIS A"


def test_a_printed_heading_with_a_speck_read_as_a_quote_starts_a_block() -> None:
    heading = [word("‘OTHER", 110, 270), word("/", 210, 270), word("OTRAS", 240, 270)]
    assert under_a_heading_of_its_own(heading)[1:] == ["label ‘OTHER / OTRAS"]


def test_a_speck_read_in_a_band_split_off_a_row_is_no_heading() -> None:
    # A row's blank top split off by the page read (a band 30 px high where the rows are 90
    # and 100), a comma read in its date cell: the rows below stay in the block.
    split_off = (148, 248, 278, 368)
    assert under_a_heading_of_its_own([word(",", 420, 255)], split_off)[1:] == [
        "label HEPATITIS A"]
    # A letter there might be a heading half read; a whole row of marks, a heading a fax left
    # unreadable: either leaves the rows below unnamed.
    assert under_a_heading_of_its_own([word(",a", 420, 255)], split_off)[1:] == ["label None"]
    assert under_a_heading_of_its_own([word(",", 420, 270)])[1:] == ["label None"]


def test_a_combination_where_a_label_stands_does_not_surely_name_the_rows_under_it() -> None:
    # A card prints one group's label on a block: a 'Vaxelis' sticker the page read missed,
    # read again where the label stands, names its own row only for sure.
    page, table = blank_card(word("3/4/2022", 420, 200), word("5/6/2022", 420, 270))
    assert page.page.binary is not None
    page.page.binary[204:222:3, 120:200] = 0
    doses = read_dose_rows(page, table, VaccineCellReader("Vaxelis"), TODAY)
    assert [(d.label, d.vaccine.text) for d in doses] == [("Vaxelis", ""), ("Vaxelis", "?")]


class LabelReader:
    """Reads `text` in a crop as narrow as the left half of a vaccine cell when it holds ink
    (the block's label, read in its own box), and nothing elsewhere (a stamp's edge)."""

    def __init__(self, text: str = "MMR") -> None:
        self.text = text

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        ys, xs = np.nonzero(image < 128)
        if image.shape[1] >= 300 or not len(xs):
            return []
        box = (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))
        return [Word(self.text, box, 0.0 if self.text != "MMR" else 0.96)]


def test_a_block_label_the_page_read_missed_names_the_rows_under_its_heading() -> None:
    # 'MMR' printed on a stained band the page read left unread; the stamp of the dose under
    # it reaches into the heading's row. Read in its own box, the label names the dose.
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    image[185:210, 115:170] = 0
    image[232:246:6, 830:1100] = 0
    words = [*COLUMN_HEADERS, Word("——_—", (830, 230, 900, 246), 0.2),
             word("3/4/2022", 420, 270), word("Valley Clinic", 820, 270)]
    scan = PageImage(1, image, 300.0, binary=image)
    page = PageText(scan, tuple(words), scan)
    rules = [(100, y, 1200, y + 2) for y in (148, 248, 308)]
    ruling = Ruling(tuple(rules), (), np.zeros((1000, 1400), dtype=np.uint8))
    table = find_table(page, HEADERS, ruling=ruling)
    assert table is not None
    doses = read_dose_rows(page, table, LabelReader(), TODAY)
    assert [(d.label, d.date.text) for d in doses] == [("MMR", "3/4/2022")]


def under_an_unread_label(read_again: str) -> list[tuple[str, str | None]]:
    """A block labelled 'HEPATITIS A' with one dose, then a row whose label half holds print
    the page read left unread (the next block's label, blurred into one bar as long as a
    stamp's edge), dated; a re-read of that half gives `read_again`."""
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    image[322:340, 115:320] = 0
    words = [*COLUMN_HEADERS, *words_of("HEPATITIS A", 110, 180),
             word("HepA", 110, 270), word("3/4/2022", 420, 270), word("Valley Clinic", 820, 270),
             word("3/29/2021", 420, 330), word("Oak Clinic", 820, 330)]
    scan = PageImage(1, image, 300.0, binary=image)
    page = PageText(scan, tuple(words), scan)
    rules = [(100, y, 1200, y + 2) for y in (148, 248, 308, 368)]
    ruling = Ruling(tuple(rules), (), np.zeros((1000, 1400), dtype=np.uint8))
    table = find_table(page, HEADERS, ruling=ruling)
    assert table is not None
    doses = read_dose_rows(page, table, LabelReader(read_again), TODAY)
    return [(d.vaccine.text, d.label) for d in doses]


def test_a_word_read_again_in_a_label_s_place_and_naming_none_leaves_the_row_s_vaccine_unread(
        ) -> None:
    # Four letters and more: a word printed or written there that was not read.
    assert under_an_unread_label("TNCV")[1][0] == "?"
    # Fewer: a mark, and the block's label stands for the row's empty cell.
    assert under_an_unread_label("TNC")[1] == ("", "HepA")


class WholeLabelReader:
    """Reads 'DTaP/DTP/DT' in a crop holding the whole of its ink, `width` pixels, and a scrap
    where the crop cuts it ('aP/DTF', as a read cut at the column's edge gave)."""

    def __init__(self, width: int) -> None:
        self.width = width

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        ys, xs = np.nonzero(image < 128)
        if not len(xs):
            return []
        box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        cut = box[2] - box[0] < self.width
        return [Word("aP/DTF" if cut else "DTaP/DTP/DT", box, 0.9)]


def label_left_of_the_column(reach: int, edge_rule: bool = False) -> list[str | None]:
    """A heading printed from `reach` pixels left of a card's vaccine column to past its
    middle, the card's left border unfound (or, `edge_rule`, a rule found at the column's
    edge); the page read made a scrap of it, and the dose under it carries the label its own
    box's read gives."""
    image = np.full((1000, 1400), 255, dtype=np.uint8)
    rules = [(110, y, 1200, y + 2) for y in (148, 248, 308)]
    # The rules found: the column rules, not the card's left border.
    columns = [(x, 148, x + 2, 310) for x in ((112,) if edge_rule else ()) + (400, 800, 1198)]
    ruling = Ruling(tuple(rules), tuple(columns), np.zeros((1000, 1400), dtype=np.uint8))
    dose = [word("3/4/2022", 420, 270), word("Valley Clinic", 820, 270)]
    bare = PageText(PageImage(1, image, 300.0, binary=image), (*COLUMN_HEADERS, *dose))
    edge = find_table(bare, HEADERS, ruling=ruling)
    assert edge is not None
    start = edge.column("vaccine").x0 - reach
    image[185:210, start:330] = 0
    words = [*COLUMN_HEADERS, Word("casein", (start, 182, 330, 212), 0.3), *dose]
    scan = PageImage(1, image, 300.0, binary=image)
    page = PageText(scan, tuple(words), scan)
    table = find_table(page, HEADERS, ruling=ruling)
    assert table is not None and table.column("vaccine") == edge.column("vaccine")
    return [d.label for d in read_dose_rows(page, table, WholeLabelReader(330 - start), TODAY)]


def test_a_label_begun_left_of_the_column_s_edge_is_read_whole() -> None:
    # The card's left border unfound, its column taken to begin at its header: the label's
    # words, up to a quarter inch (75 pixels) further left, say where the labels begin.
    assert label_left_of_the_column(75) == ["DTaP/DTP/DT"]
    assert label_left_of_the_column(76) == [None]


def test_a_label_is_not_read_across_a_rule_found_at_the_column_s_edge() -> None:
    # Read across the card's border, the label came back as '| Hep &'.
    assert label_left_of_the_column(40, edge_rule=True) == [None]
