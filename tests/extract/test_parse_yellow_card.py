"""A yellow card's birth date found when handwriting swallowed its label in the page read; its
dose grid found when the page read left the grid's header unread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from extract.draft import PageText, TextField
from extract.grid import Ruling
from extract.ocr import OcrRequest, Segmentation
from extract.page import Gray, PageImage, Word
from extract.parse_yellow_card import _birth_date, parse_yellow_card, sure_birth_date

TODAY = dt.date(2025, 6, 1)
# The patient block: above the dose grid, whose header starts at y=700.
REGION = (0, 0, 2500, 700)


class BlockReader:
    """The page read merged 'Birthdate:' with the date beside it; read as a block, the
    patient block gives the label apart. A crop of the date cell reads '8/3/18'."""

    def __init__(self) -> None:
        self.block_reads = 0

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        if image.shape == (REGION[3], REGION[2]):
            self.block_reads += 1
            assert request.segmentation is Segmentation.BLOCK
            return [Word("Name:", (166, 443, 230, 461), 0.9, 1),
                    Word("Birthdate:", (1450, 443, 1560, 461), 0.9, 1),
                    Word("8/3/18", (1685, 461, 1823, 506), 0.6, 1)]
        return [Word("8/3/18", (50, 50, 180, 90), 0.6, 1)]

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        return [[("8/3/18", 0.9)] for _ in images]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return [None for _ in images]

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        return [None for _ in images]


def page_read(*words: Word) -> PageText:
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    return PageText(PageImage(1, image, 300.0), words, PageImage(1, image, 300.0))


def test_a_birth_label_swallowed_by_handwriting_is_found_in_the_patient_block_read_again(
) -> None:
    page = page_read(Word("Name:", (166, 443, 230, 461), 0.9, 1),
                     Word("a", (1450, 430, 1656, 508), 0.3, 1),
                     Word("/3/\\e", (1685, 460, 1823, 506), 0.17, 1))
    reader = BlockReader()
    birth, _ = _birth_date(page, REGION, reader, TODAY, bounded=True)
    assert reader.block_reads == 1
    assert birth.text == "8/3/18"
    assert birth.box == (1685, 461, 1823, 506)


def test_a_birth_label_the_page_read_found_needs_no_second_read() -> None:
    page = page_read(Word("Birthdate:", (1450, 443, 1560, 461), 0.9, 1),
                     Word("8/3/18", (1685, 461, 1823, 506), 0.6, 1))
    reader = BlockReader()
    birth, _ = _birth_date(page, REGION, reader, TODAY, bounded=True)
    assert reader.block_reads == 0
    assert birth.text == "8/3/18"


def test_without_a_dose_grid_the_whole_page_is_not_read_again() -> None:
    page = page_read(Word("a", (1450, 430, 1656, 508), 0.3, 1))
    reader = BlockReader()
    _birth_date(page, REGION, reader, TODAY, bounded=False)
    assert reader.block_reads == 0


def strip_card(*patient: Word) -> PageText:
    """A strip card: the grid's header unread, its first block heading 'POLIO' read unsure."""
    words = (*patient, Word("POLIO", (110, 300, 230, 330), 0.6, 1),
             Word("IPV", (110, 370, 170, 400), 0.7, 1),
             Word("3/4/2022", (420, 370, 560, 400), 0.9, 1),
             Word("Valley", (820, 370, 930, 400), 0.9, 1))
    rows = [(100, 280, 1500, 283), (100, 350, 1500, 353), (100, 420, 1500, 423)]
    columns = [(x, 350, x + 3, 420) for x in (100, 400, 800, 1200, 1500)]
    image = np.full((2000, 1600), 255, dtype=np.uint8)
    ruling = Ruling(tuple(rows), tuple(columns), np.zeros_like(image))
    return PageText(PageImage(1, image, 300.0), words, None, ruling)


def test_a_card_whose_grid_header_went_unread_is_read_from_its_first_block_down() -> None:
    # A blurred strip card: the header's small print ('VACCINE', 'DATE GIVEN') unread, the
    # block heading 'POLIO' read, though unsure, and the grid's rules found.
    page = strip_card(
        Word("Name:", (120, 100, 200, 130), 0.9, 1),
        Word("ANA", (260, 100, 330, 140), 0.7, 1), Word("RUIZ", (345, 100, 430, 140), 0.7, 1))
    draft = parse_yellow_card([page], None, TODAY)
    assert [(d.vaccine.text, d.date.text) for d in draft.doses] == [("IPV", "3/4/2022")]
    assert draft.child_name.text == "ANA RUIZ"
    # A block above 'POLIO' whose heading went unread would be missed: a reviewer looks.
    assert draft.unread == ["page 1: the dose grid's header was not read; its rows were found "
                            "from its first block heading read"]


def test_a_birth_date_taken_without_its_label_goes_to_a_reviewer_whatever_its_reads() -> None:
    # The doses may choose another reading of an unsure birth date, as sure as the line
    # recogniser's share of it (extract.finish): only a reason keeps the document in review.
    draft = parse_yellow_card([strip_card(
        Word("ANA", (260, 100, 330, 140), 0.9, 1), Word("11/27/2021", (260, 160, 420, 200), 0.9, 1),
    )], None, TODAY)
    assert draft.birth_date.text == "11/27/2021"
    assert any("birth date's label was not read" in reason for reason in draft.unread)

    labelled = parse_yellow_card([strip_card(
        Word("ANA", (260, 100, 330, 140), 0.9, 1), Word("Birthdate:", (120, 165, 250, 195), 0.9, 1),
        Word("11/27/2021", (260, 160, 420, 200), 0.9, 1),
    )], None, TODAY)
    assert labelled.birth_date.text == "11/27/2021"
    assert not any("birth date" in reason for reason in labelled.unread)


def test_a_label_read_in_a_speck_above_the_card_does_not_stand_for_the_first_block() -> None:
    # A phone photo: a speck over the card's top edge read 'TD' (a vaccine's name), with the
    # birth date and sex boxes under it; the grid's header unread and its first heading
    # 'POLIO' unread too. The first line naming a vaccine with a grid under it is
    # 'HEPATITIS B (ese)', its print run into the date column: the grid starts above it, and
    # its label names the rows under it.
    words = (Word("TD", (700, 10, 760, 40), 0.3, 1),
             Word("HEPATITIS", (110, 300, 300, 330), 0.6, 1),
             Word("B", (310, 300, 330, 330), 0.6, 1),
             Word("(ese)", (410, 300, 480, 330), 0.3, 1),
             Word("3/4/2022", (420, 370, 560, 400), 0.9, 1),
             Word("Valley", (820, 370, 930, 400), 0.9, 1))
    rows = [(100, 60, 1500, 63), (100, 140, 1500, 143), (100, 280, 1500, 283),
            (100, 350, 1500, 353), (100, 420, 1500, 423)]
    columns = [(900, 60, 903, 140), *((x, 350, x + 3, 420) for x in (100, 400, 800, 1200, 1500))]
    image = np.full((2000, 1600), 255, dtype=np.uint8)
    ruling = Ruling(tuple(rows), tuple(columns), np.zeros_like(image))
    page = PageText(PageImage(1, image, 300.0), words, None, ruling)
    draft = parse_yellow_card([page], None, TODAY)
    assert [(d.label, d.date.text) for d in draft.doses] == [("HEPATITIS B (ese)", "3/4/2022")]


def test_a_birth_date_read_sure_weighs_on_the_doses_and_one_just_under_does_not() -> None:
    assert sure_birth_date(TextField("11/09/2022", 0.8), TODAY) == dt.date(2022, 11, 9)
    assert sure_birth_date(TextField("11/09/2022", 0.79), TODAY) is None
    assert sure_birth_date(TextField("11/2022", 0.99), TODAY) is None


def test_a_page_with_no_grid_made_out_is_left_to_a_reviewer() -> None:
    # The card's second page ("OTHER VACCINES") read so badly that neither its header nor a
    # block heading was found: the doses on it would be missing unseen. A blank page is not.
    # The first page unread, the second page's doses would hide the first's loss as well.
    first = page_read(Word("Name:", (120, 100, 200, 130), 0.9, 1),
                      Word("VACCINE", (110, 700, 260, 730), 0.9, 1),
                      Word("DATE", (420, 700, 500, 730), 0.9, 1),
                      Word("GIVEN", (510, 700, 620, 730), 0.9, 1),
                      Word("DOCTOR", (820, 700, 960, 730), 0.9, 1),
                      Word("IPV", (110, 770, 170, 800), 0.9, 1),
                      Word("3/4/2022", (420, 770, 560, 800), 0.9, 1))
    image = np.full((3300, 2550), 255, dtype=np.uint8)
    words = (Word("OTHER", (900, 100, 1050, 140), 0.9, 1),
             Word("VACCINES", (1070, 100, 1300, 140), 0.9, 1),
             Word("Ploen", (110, 400, 230, 430), 0.6, 2),
             Word("6//24", (420, 400, 560, 430), 0.5, 2))
    later = PageText(PageImage(2, image, 300.0), words, PageImage(2, image, 300.0))
    blank = PageText(PageImage(2, image, 300.0), (Word("ee", (181, 521, 244, 539), 0.57, 1),),
                     PageImage(2, image, 300.0))
    assert parse_yellow_card([first, later], None, TODAY).unread == [
        "page 2: no dose grid was made out on it; any doses on it are unread"]
    assert parse_yellow_card([first, blank], None, TODAY).unread == []
    unread_first = PageText(PageImage(1, image, 300.0), words, PageImage(1, image, 300.0))
    draft = parse_yellow_card([unread_first, replace(first, page=replace(first.page, number=2))],
                              None, TODAY)
    assert [d.date.text for d in draft.doses] == ["3/4/2022"]
    assert draft.unread == ["page 1: no dose grid was made out on it; any doses on it are unread"]
