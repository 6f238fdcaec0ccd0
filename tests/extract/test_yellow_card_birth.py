"""A yellow card's birth date when its printed label was read with slips."""

from __future__ import annotations

import datetime as dt

import numpy as np

from extract.draft import PageText
from extract.page import PageImage, Word
from extract.parse_yellow_card import _birth_date

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
    found = _birth_date(card_with_birth_label_read_as("Birthdate:"), PATIENT_BLOCK, None,
                        TODAY, True)

    assert (found.text, found.confidence) == ("01/15/2024", 0.9)


def test_a_label_read_with_slips_still_finds_the_date_for_a_reviewer() -> None:
    # 'Bathgate' is 0.71 of 'Birthdate' (difflib), over the 0.7 a slipped label needs.
    found = _birth_date(card_with_birth_label_read_as("Bathgate"), PATIENT_BLOCK, None,
                        TODAY, True)

    assert found.text == "01/15/2024"
    assert found.confidence <= 0.6


def test_a_label_read_too_far_off_finds_no_date() -> None:
    # 'Bxthdxe' is 0.62 of 'Birthdate': under the 0.7, so no label is there.
    found = _birth_date(card_with_birth_label_read_as("Bxthdxe"), PATIENT_BLOCK, None,
                        TODAY, True)

    assert found.text == "" and found.box is None
