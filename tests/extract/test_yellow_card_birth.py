"""A yellow card's birth date when its printed label was read with slips, or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from extract.draft import PageText
from extract.ocr import OcrRequest
from extract.page import Box, Gray, PageImage, Word
from extract.parse_yellow_card import _birth_date, _lone_date_above

TODAY = dt.date(2025, 6, 1)
PATIENT_BLOCK = (0, 0, 2600, 700)


def card_with_birth_label_read_as(label: str) -> PageText:
    image = np.full((1000, 2600), 255, dtype=np.uint8)
    words = (("Name:", (170, 495, 240, 513)), ("Rivera,", (260, 490, 380, 520)),
             ("Ana", (395, 490, 460, 520)), (label, (1566, 494, 1659, 513)),
             ("01/15/2024", (1690, 488, 1850, 522)))
    return PageText(PageImage(1, image, 300.0),
                    tuple(Word(text, box, 0.9, 0) for text, box in words))


def test_a_label_read_right_gives_its_date_as_sure_as_it_was_read() -> None:
    found, unlabelled = _birth_date(card_with_birth_label_read_as("Birthdate:"), PATIENT_BLOCK,
                                    None, TODAY, True)

    assert (found.text, found.confidence) == ("01/15/2024", 0.9)
    assert unlabelled is None


def test_a_label_read_with_slips_still_finds_the_date_for_a_reviewer() -> None:
    # 'Bathgate' is 0.71 of 'Birthdate' (difflib), over the 0.7 a slipped label needs.
    found, unlabelled = _birth_date(card_with_birth_label_read_as("Bathgate"), PATIENT_BLOCK,
                                    None, TODAY, True)

    assert found.text == "01/15/2024"
    assert found.confidence <= 0.6
    # A reason for the reviewer, which no other reading the doses choose can take away.
    assert unlabelled is not None


def test_a_label_read_too_far_off_finds_no_date() -> None:
    # 'Bxthdxe' is 0.62 of 'Birthdate': under the 0.7, so no label is there.
    found, unlabelled = _birth_date(card_with_birth_label_read_as("Bxthdxe"), PATIENT_BLOCK,
                                    None, TODAY, True)

    assert found.text == "" and found.box is None
    assert unlabelled is None


class DateReadAgain:
    """Reads every box it is given as one typed date, as a closer look at a word would."""

    def __init__(self, date: str) -> None:
        self.date = date
        self.reads = 0

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        self.reads += 1
        height, width = image.shape
        return [Word(self.date, (2, 2, width - 2, height - 2), 0.95, 0)]

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        self.reads += 1
        return [[(self.date, 0.95)] for _ in images]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return [None for _ in images]

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        return [None for _ in images]


def card_with_unlabelled_date_read_as(date: str) -> PageText:
    # The small labels went unread, and a hand's birth date read as letters.
    image = np.full((1000, 2600), 255, dtype=np.uint8)
    words = (("Luca", (214, 230, 274, 249)), ("Flores", (292, 227, 384, 250)),
             (date, (237, 292, 392, 314)), ("Male", (767, 291, 828, 312)))
    page = PageImage(1, image, 300.0)
    return PageText(page, tuple(Word(text, box, 0.78, 0) for text, box in words),
                    ocr_image=page)


def test_a_lone_word_written_as_a_date_is_read_again_for_a_reviewer() -> None:
    engine = DateReadAgain("11/27/2021")

    found = _lone_date_above(card_with_unlabelled_date_read_as("W/2T/LOU"), PATIENT_BLOCK,
                             engine, TODAY)

    assert found.text == "11/27/2021" and found.box is not None
    assert found.confidence <= 0.6
    assert engine.reads > 0


def test_a_word_not_written_as_a_date_is_not_read_again() -> None:
    for word in ("64/61", "NONE", "8/14/U", "6/1-/2625"):
        engine = DateReadAgain("04/01/2025")

        found = _lone_date_above(card_with_unlabelled_date_read_as(word), PATIENT_BLOCK,
                                 engine, TODAY)

        assert found.text == "" and engine.reads == 0, word


class LineReaderByInk(DateReadAgain):
    """Reads each crop as the dates its ink level (the grey the test painted there) stands for.

    Tesseract reads nothing in it.
    """

    def __init__(self, dates: dict[int, list[tuple[str, float]]]) -> None:
        super().__init__("")
        self.dates = dates

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        return []

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        return [self.dates.get(int(np.median(image)), []) for image in images]


def patient_block_read_as_letters(*words: tuple[str, Box, float, int]) -> PageText:
    # Neither label read and the hand's birth date read as letters: each word's box is painted
    # a grey of its own, which the fake line reader answers for.
    image = np.full((1000, 2600), 255, dtype=np.uint8)
    for _, (x0, y0, x1, y1), _, grey in words:
        image[y0:y1, x0:x1] = grey
    page = PageImage(1, image, 300.0)
    return PageText(page, tuple(Word(text, box, confidence, 0)
                                for text, box, confidence, _ in words), ocr_image=page)


NAME_AND_DATE = (("Vsabellp", (261, 450, 420, 494), 0.0, 10),
                 ("Wiefrere", (1500, 450, 1866, 494), 0.04, 20),
                 ("Allergies:", (732, 517, 824, 541), 0.86, 30))


def test_a_birth_date_read_as_letters_is_the_one_date_the_line_reader_reads_clearly() -> None:
    engine = LineReaderByInk({10: [("1/3/2022", 0.1)], 20: [("11/12/2022", 0.5)],
                              30: [("3/3/2023", 0.9)]})

    found = _lone_date_above(patient_block_read_as_letters(*NAME_AND_DATE), PATIENT_BLOCK,
                             engine, TODAY)

    # 'Allergies:' was read sure: print, not the hand's date, and not read again.
    assert (found.text, found.box) == ("11/12/2022", (1500, 450, 1866, 494))
    assert found.confidence <= 0.6


def test_a_date_the_line_reader_reads_unclearly_or_two_dates_are_no_birth_date() -> None:
    unclear = LineReaderByInk({10: [("1/3/2022", 0.1)], 20: [("11/12/2022", 0.49)]})
    two = LineReaderByInk({10: [("1/3/2022", 0.6)], 20: [("11/12/2022", 0.9)]})
    ahead = LineReaderByInk({10: [("1/3/2022", 0.1)], 20: [("11/12/2025", 0.9)]})

    for engine in (unclear, two, ahead):
        found = _lone_date_above(patient_block_read_as_letters(*NAME_AND_DATE), PATIENT_BLOCK,
                                 engine, TODAY)
        assert found.text == "" and found.box is None
