"""A child's name is sure when a second, independent recogniser spells it too, and not when
it reads the writing as something else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from extract.cells import read_dated_field, read_name_field
from extract.draft import Draft, PageText, TextField
from extract.finish import finish_child
from extract.ocr import OcrEngine, OcrRequest
from extract.page import Gray, PageImage, Word
from extract.result import DocumentType

TODAY = dt.date(2025, 6, 1)
# Where the page read found the name, in page pixels.
NAME_BOX = (40, 40, 200, 70)


class NameReaders:
    """Tesseract reads the name the same misreading every time, as sure as `tesseract_sure`;
    the line recogniser (another model) spells it too, or reads `recogniser_reads` there."""

    def __init__(self, *, recogniser_spells: bool, recogniser_reads: str | None = None,
                 tesseract_sure: float = 0.5, spelled_share: float = 1.0,
                 recogniser_prefers: str | None = None) -> None:
        self.recogniser_spells = recogniser_spells
        self.recogniser_reads = recogniser_reads
        self.sure = tesseract_sure
        # The name read's share among its one-letter-off spellings; or the spelling it prefers.
        self.spelled_share = spelled_share
        self.recogniser_prefers = recogniser_prefers
        self.names_weighed: list[str] = []

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        return [Word("Suan", (45, 45, 90, 65), self.sure, 1),
                Word("Morales", (100, 45, 180, 65), self.sure, 1)]

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        return [[] for _ in images]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return [None if self.recogniser_reads is None else (self.recogniser_reads, 0.9)
                for _ in images]

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        self.names_weighed = list(names)
        if not self.recogniser_spells:
            return [None for _ in images]
        if self.recogniser_prefers is not None:
            assert self.recogniser_prefers in names
            return [(self.recogniser_prefers, 0.6) for _ in images]
        return [(names[0], self.spelled_share) for _ in images]


def read_name(engine: OcrEngine, sure: float) -> TextField:
    image = np.full((300, 400), 255, dtype=np.uint8)
    page = PageText(PageImage(1, image, 300.0), (), PageImage(1, image, 300.0))
    return read_name_field(page, TextField("Suan Morales", sure, 1, NAME_BOX), engine)


def name_confidence(readers: NameReaders) -> float:
    name = read_name(readers, readers.sure)
    return finish_child(Draft(DocumentType.CSF49, name), TODAY)[0].name.confidence


def test_two_tesseract_reads_agreeing_on_a_name_do_not_make_it_sure() -> None:
    assert name_confidence(NameReaders(recogniser_spells=False)) < 0.8


def test_a_name_the_line_recogniser_spells_too_is_sure() -> None:
    assert name_confidence(NameReaders(recogniser_spells=True)) >= 0.8


def test_a_name_spelled_likelier_than_all_its_one_letter_slips_together_is_sure() -> None:
    assert name_confidence(NameReaders(recogniser_spells=True, spelled_share=0.5)) >= 0.8


def test_a_name_the_recogniser_might_spell_with_another_letter_is_not_sure() -> None:
    # 'JAYOEN' and 'JAYDEN' in a handwriting-like face: both engines read the 'O', and the
    # recogniser gives the name read 0.497 of its one-letter-off spellings' likelihood.
    assert name_confidence(NameReaders(recogniser_spells=True, spelled_share=0.49)) < 0.8


def test_a_name_the_recogniser_spells_one_letter_otherwise_is_not_sure() -> None:
    readers = NameReaders(recogniser_spells=True, recogniser_prefers="Juan Morales",
                          tesseract_sure=0.95)
    assert name_confidence(readers) < 0.8
    # The recogniser folds case: the slips are weighed whatever case they are written in.
    slips = [name.lower() for name in readers.names_weighed[1:]]
    assert readers.names_weighed[0] == "Suan Morales"
    assert "suan moralas" in slips
    assert "suan morales" not in slips


def test_a_name_tesseract_is_sure_of_and_the_line_recogniser_reads_otherwise_is_not_sure(
) -> None:
    readers = NameReaders(recogniser_spells=False, recogniser_reads="Julian Morales",
                          tesseract_sure=0.95)
    assert name_confidence(readers) < 0.8


def test_a_name_tesseract_is_sure_of_stays_sure_when_the_recogniser_reads_nothing() -> None:
    # No writing the recogniser can see (a blank crop): nothing speaks against Tesseract.
    assert name_confidence(NameReaders(recogniser_spells=False, tesseract_sure=0.95)) >= 0.8


def test_a_name_field_without_a_line_recogniser_keeps_tesseracts_confidence() -> None:
    class TesseractOnly:
        def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
            return NameReaders(recogniser_spells=False).read_words(image, request)

    name = read_name(TesseractOnly(), 0.5)
    assert name.readings == ()
    assert finish_child(Draft(DocumentType.CSF49, name), TODAY)[0].name.confidence < 0.8


class BirthDateReaders:
    """Tesseract reads a printed '05/13/2025' as '08/13/2025' every time, at 0.84; the line
    recogniser is sure of the '05'."""

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        return [Word("08/13/2025", (45, 45, 200, 65), 0.84, 1)]

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        return [[("05/13/2025", 0.998), ("05/13/2026", 0.001)] for _ in images]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return [None for _ in images]

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        return [None for _ in images]


def test_a_birth_date_tesseract_misreads_alike_twice_is_read_by_line_too() -> None:
    image = np.full((300, 400), 255, dtype=np.uint8)
    page = PageText(PageImage(1, image, 300.0), (), PageImage(1, image, 300.0))
    field = TextField("08/13/2025", 0.84, 1, NAME_BOX)
    birth = read_dated_field(page, field, BirthDateReaders(), dt.date(2026, 1, 1))
    assert birth.text == "05/13/2025"
    # The reads disagree: the birth date is not shown sure.
    child, _ = finish_child(Draft(DocumentType.CSF49, birth_date=birth), dt.date(2026, 1, 1))
    assert child.birth_date.value == dt.date(2025, 5, 13)
    assert child.birth_date.confidence < 0.8


def test_a_cell_read_again_holds_the_words_drifted_left_of_its_column() -> None:
    from extract.cells import _cell_crop
    from extract.table import TableRow

    # A photo taken at a slant: 'IPOL' starts 17 px left of where the trade-name header does.
    ipol = Word("IPOL", (940, 1641, 1011, 1666), 0.9)
    row = TableRow({"trade": (ipol,)}, (0, 1623, 2500, 1680), 1)
    left, top, right, bottom = _cell_crop(957, 1470, row, "trade")
    assert left < 940 and (top, right, bottom) == (1623, 1470, 1680)


def test_a_cell_whose_words_lie_inside_its_column_is_cut_at_the_column() -> None:
    from extract.cells import _cell_crop
    from extract.table import TableRow

    inside = Word("IPOL", (980, 1641, 1051, 1666), 0.9)
    row = TableRow({"trade": (inside,)}, (0, 1623, 2500, 1680), 1)
    assert _cell_crop(957, 1470, row, "trade") == (957, 1623, 1470, 1680)
    assert _cell_crop(957, 1470, TableRow({}, (0, 1623, 2500, 1680), 1), "trade") == (
        957, 1623, 1470, 1680)


def page_with_ink(*strokes: tuple[int, int, int, int], words: tuple[Word, ...] = ()
                  ) -> PageText:
    image = np.full((300, 1200), 255, dtype=np.uint8)
    for x0, y0, x1, y1 in strokes:
        image[y0:y1, x0:x1] = 60
    page = PageImage(1, image, 300.0)
    return PageText(page, words, ocr_image=page)


def test_a_piece_of_a_hands_date_is_read_with_the_rest_of_its_writing() -> None:
    from extract.cells import _along_its_writing

    # '9/22/19' in three pieces 20 pixels apart, Tesseract's box on the middle one; a printed
    # label across the top of the box and a word 100 pixels on (a space between words).
    page = page_with_ink((100, 150, 160, 190), (180, 150, 240, 190), (260, 150, 320, 190),
                         (0, 140, 900, 145), (420, 150, 480, 190))

    assert _along_its_writing(page, (180, 140, 240, 195)) == (100, 140, 320, 195)


def test_ink_a_tenth_of_an_inch_away_is_another_word() -> None:
    from extract.cells import _along_its_writing

    # At 300 dpi a tenth of an inch is 30 pixels: 29 blank columns are a gap within the date,
    # 30 the space before another word.
    within = page_with_ink((100, 150, 320, 190), (349, 150, 400, 190))
    apart = page_with_ink((100, 150, 320, 190), (350, 150, 400, 190))

    assert _along_its_writing(within, (100, 150, 320, 190)) == (100, 150, 400, 190)
    assert _along_its_writing(apart, (100, 150, 320, 190)) == (100, 150, 320, 190)


def test_a_label_read_sure_on_the_dates_line_is_not_taken_into_it() -> None:
    from extract.cells import _along_its_writing

    # 'Birth Date:' printed 12 pixels before a hand's date, its colon's dot two pixels past its
    # box, and 'Sex:' 12 pixels after the date.
    label, sex = Word("Date:", (20, 150, 88, 190), 0.93, 1), Word("Sex:", (332, 150, 380, 190),
                                                                    0.95, 1)
    strokes = ((20, 150, 88, 190), (89, 180, 91, 184), (100, 150, 320, 190),
               (332, 150, 380, 190))

    assert _along_its_writing(page_with_ink(*strokes, words=(label, sex)),
                              (100, 150, 320, 190)) == (100, 150, 320, 190)
    # Read unsure, the same ink is the date's own.
    unsure = (Word("Date:", label.box, 0.5, 1), Word("Sex:", sex.box, 0.5, 1))
    assert _along_its_writing(page_with_ink(*strokes, words=unsure),
                              (100, 150, 320, 190)) == (20, 150, 380, 190)
