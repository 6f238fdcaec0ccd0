"""A labelled field's value: after the label and its translation, or on the line under it."""

from __future__ import annotations

import datetime as dt

import numpy as np

from extract.draft import PageText
from extract.fields import date_after, value_after
from extract.page import PageImage, Word

LABELS = ("Name", "Nombre")
STOPS = ("Birthdate",)


def page_of(*words: tuple[str, tuple[int, int, int, int]]) -> PageText:
    image = np.full((1000, 2600), 255, dtype=np.uint8)
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


def test_the_line_under_a_label_read_taller_than_its_letters_is_not_the_value() -> None:
    # A rule's stroke merged into 'Name:' made it 71 pixels tall: the field reached the
    # registry ID printed on the next line.
    page = page_of(("Patient", (205, 385, 317, 411)), ("Name:", (323, 350, 426, 421)),
                   ("OKAFOR,", (449, 350, 597, 421)), ("ZOE", (609, 386, 676, 411)),
                   ("88100383", (412, 443, 560, 469)))
    assert value_after(page, ("Patient Name",)).text == "OKAFOR, ZOE"


def test_a_line_that_starts_above_the_labels_bottom_is_on_its_line() -> None:
    page = page_of(("Patient", (205, 385, 317, 411)), ("Name:", (323, 350, 426, 421)),
                   ("OKAFOR,", (449, 350, 597, 421)), ("ZOE", (609, 386, 676, 411)),
                   ("88100383", (612, 420, 760, 446)))
    assert value_after(page, ("Patient Name",)).text == "OKAFOR, ZOE 88100383"


BIRTH = ("Birthdate", "Fecha de Nacimiento")
TODAY = dt.date(2025, 6, 1)


def test_a_translation_tesseract_boxed_inside_the_label_is_not_the_value() -> None:
    # 'Birthdate / Fecha de nacimiento' with no colon read, and Tesseract's box of
    # 'Birthdate' stretched over the whole printed label; the date is under it.
    page = page_of(("Birthdate", (1568, 499, 1905, 519)), ("/", (1668, 495, 1681, 529)),
                   ("Fecha", (1691, 495, 1746, 529)), ("de", (1756, 495, 1780, 529)),
                   ("nacimiento", (1790, 499, 1905, 519)), ("4/21/21", (1935, 525, 2053, 553)))
    assert value_after(page, BIRTH).text == "4/21/21"


def test_a_cell_borders_bar_beside_the_label_is_not_the_value() -> None:
    page = page_of(("Birthdate", (1556, 491, 1649, 510)), ("/", (1656, 492, 1663, 510)),
                   ("Fecha", (1671, 491, 1735, 510)), ("de", (1742, 492, 1768, 510)),
                   ("nacimiento:", (1776, 491, 1889, 510)), ("|", (1545, 480, 1548, 556)),
                   ("06/27/2020", (1925, 520, 2116, 544)))
    assert value_after(page, BIRTH).text == "06/27/2020"


def test_a_date_written_at_the_right_of_its_box_under_a_half_read_label_is_its_value() -> None:
    # 'nacimiento' not read: the label ends at 'de', the date starts 7.6 label heights on.
    page = page_of(("Birthdate", (1566, 493, 1660, 513)), ("/", (1666, 489, 1676, 513)),
                   ("Fecha", (1686, 493, 1744, 513)), ("de", (1754, 493, 1783, 513)),
                   ("7/11/2023", (1935, 521, 2083, 547)))
    assert value_after(page, BIRTH).text == "7/11/2023"


def test_a_stray_mark_beside_a_date_label_gives_way_to_the_date_under_it() -> None:
    # A stroke of the next cell's label read as '4' on the label's line, before its stop.
    page = page_of(("Birthdate", (101, 292, 172, 306)), ("/", (177, 293, 182, 304)),
                   ("Fecha", (188, 293, 236, 306)), ("de", (243, 292, 261, 306)),
                   ("nacimiento:", (268, 293, 358, 306)), ("4", (706, 293, 711, 304)),
                   ("Sexo", (717, 293, 757, 306)), ("06/07/2019", (380, 310, 513, 330)))
    assert date_after(page, BIRTH, ("Sexo",), region=None, today=TODAY).text == "06/07/2019"


def test_a_date_beside_its_label_is_taken_over_writing_under_it() -> None:
    page = page_of(("DOB:", (100, 300, 160, 320)), ("3/4/2022", (180, 298, 300, 322)),
                   ("Sofia", (100, 340, 180, 370)))
    assert date_after(page, ("DOB",), (), region=None, today=TODAY).text == "3/4/2022"
