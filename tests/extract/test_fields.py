"""A labelled field's value: after the label and its translation, or on the line under it."""

from __future__ import annotations

import numpy as np

from extract.draft import PageText
from extract.fields import value_after
from extract.page import PageImage, Word

LABELS = ("Name", "Nombre")
STOPS = ("Birthdate",)


def page_of(*words: tuple[str, tuple[int, int, int, int]]) -> PageText:
    image = np.full((1000, 2000), 255, dtype=np.uint8)
    return PageText(PageImage(1, image, 300.0),
                    tuple(Word(text, box, 0.9, 0) for text, box in words))


def test_a_translation_read_without_its_colon_is_part_of_the_label() -> None:
    # 'Name / Nombre' printed, the colon not read; the name is written larger, on the rule
    # below the print, so it is not on the label's line.
    page = page_of(("Name", (170, 495, 233, 513)), ("/", (240, 495, 246, 512)),
                   ("Nombre", (254, 495, 336, 513)), ("Birthdate", (1566, 494, 1659, 513)),
                   ("Owen", (434, 509, 520, 558)), ("Garcia", (536, 509, 660, 558)))
    assert value_after(page, LABELS, STOPS).text == "Owen Garcia"


def test_a_value_under_its_label_ends_at_a_wide_gap() -> None:
    # The next cell's value (a birth date) on the same line, far to the right.
    page = page_of(("Name", (170, 495, 233, 513)),
                   ("Sofia", (180, 530, 260, 560)), ("Le", (275, 530, 310, 560)),
                   ("3/2/2024", (900, 530, 1050, 560)))
    assert value_after(page, LABELS, only_below=True).text == "Sofia Le"


def test_a_word_after_the_label_that_is_no_label_is_the_value() -> None:
    page = page_of(("Name", (170, 495, 233, 513)), ("Owen", (250, 490, 320, 515)),
                   ("Garcia", (330, 490, 420, 515)))
    assert value_after(page, LABELS, STOPS).text == "Owen Garcia"
