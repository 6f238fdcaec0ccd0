"""A child's name is sure when a second, independent recogniser spells it too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from extract.cells import read_name_field
from extract.draft import Draft, PageText, TextField
from extract.finish import finish_child
from extract.ocr import OcrRequest
from extract.page import Gray, PageImage, Word
from extract.result import DocumentType

TODAY = dt.date(2025, 6, 1)
# Where the page read found the name, in page pixels.
NAME_BOX = (40, 40, 200, 70)


class NameReaders:
    """Tesseract reads the name the same misreading every time, unsure; the line recogniser
    (another model) spells it too, or does not."""

    def __init__(self, *, recogniser_spells: bool) -> None:
        self.recogniser_spells = recogniser_spells

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        return [Word("Suan", (45, 45, 90, 65), 0.5, 1), Word("Morales", (100, 45, 180, 65), 0.5, 1)]

    def read_date_choices(self, images: list[Gray]) -> list[list[tuple[str, float]]]:
        return [[] for _ in images]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return [None for _ in images]

    def read_name_lines(self, images: list[Gray],
                        names: Sequence[str]) -> list[tuple[str, float] | None]:
        return [(names[0], 1.0) if self.recogniser_spells else None for _ in images]


def name_confidence(readers: NameReaders) -> float:
    image = np.full((300, 400), 255, dtype=np.uint8)
    page = PageText(PageImage(1, image, 300.0), (), PageImage(1, image, 300.0))
    name = read_name_field(page, TextField("Suan Morales", 0.5, 1, NAME_BOX), readers)
    return finish_child(Draft(DocumentType.CSF49, name), TODAY)[0].name.confidence


def test_two_tesseract_reads_agreeing_on_a_name_do_not_make_it_sure() -> None:
    assert name_confidence(NameReaders(recogniser_spells=False)) < 0.8


def test_a_name_the_line_recogniser_spells_too_is_sure() -> None:
    assert name_confidence(NameReaders(recogniser_spells=True)) >= 0.8


def test_a_name_field_without_a_line_recogniser_keeps_tesseracts_confidence() -> None:
    class TesseractOnly:
        def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
            return [Word("Suan", (45, 45, 90, 65), 0.5, 1),
                    Word("Morales", (100, 45, 180, 65), 0.5, 1)]

    image = np.full((300, 400), 255, dtype=np.uint8)
    page = PageText(PageImage(1, image, 300.0), (), PageImage(1, image, 300.0))
    name = read_name_field(page, TextField("Suan Morales", 0.5, 1, NAME_BOX), TesseractOnly())
    assert name.readings == ()
    assert finish_child(Draft(DocumentType.CSF49, name), TODAY)[0].name.confidence < 0.8
