"""A yellow card's birth date: found when handwriting swallowed its label in the page read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from extract.draft import PageText
from extract.ocr import OcrRequest, Segmentation
from extract.page import Gray, PageImage, Word
from extract.parse_yellow_card import _birth_date

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

    def read_name_lines(self, images: list[Gray],
                        names: Sequence[str]) -> list[tuple[str, float] | None]:
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
    birth = _birth_date(page, REGION, reader, TODAY, bounded=True)
    assert reader.block_reads == 1
    assert birth.text == "8/3/18"
    assert birth.box == (1685, 461, 1823, 506)


def test_a_birth_label_the_page_read_found_needs_no_second_read() -> None:
    page = page_read(Word("Birthdate:", (1450, 443, 1560, 461), 0.9, 1),
                     Word("8/3/18", (1685, 461, 1823, 506), 0.6, 1))
    reader = BlockReader()
    birth = _birth_date(page, REGION, reader, TODAY, bounded=True)
    assert reader.block_reads == 0
    assert birth.text == "8/3/18"


def test_without_a_dose_grid_the_whole_page_is_not_read_again() -> None:
    page = page_read(Word("a", (1450, 430, 1656, 508), 0.3, 1))
    reader = BlockReader()
    _birth_date(page, REGION, reader, TODAY, bounded=False)
    assert reader.block_reads == 0
