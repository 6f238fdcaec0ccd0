"""A handful of end-to-end reads with the real Tesseract (the rest of the suite uses fakes)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extract import ExtractSettings, extract_document
from extract.draft import PageText
from extract.ocr import OcrRequest, Segmentation
from extract.page import PageImage, Word
from extract.signature import read_signature

from .conftest import needs_tesseract
from .drawing import SANS, Row, encode, font, yellow_card

TYPED = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def typed_card(rows: list[Row]) -> Image.Image:
    """A yellow card for Ana Ruiz (born 01/14/2022) with every entry typed, not handwritten."""
    page = yellow_card("Ana Ruiz", "01/14/2022", rows)
    draw = ImageDraw.Draw(page)
    draw.rectangle((1640, 380, 2300, 470), fill=255)
    draw.text((1640, 395), "01/14/2022", font=font(44, TYPED), fill=0)
    draw.rectangle((320, 380, 1300, 470), fill=255)
    draw.text((330, 395), "Ana Ruiz", font=font(44, TYPED), fill=0)
    for index, row in enumerate(rows):
        y = 730 + index * 95
        draw.rectangle((805, y + 5, 1295, y + 90), fill=255)
        draw.text((820, y + 25), row.date, font=font(40, TYPED), fill=0)
        draw.rectangle((480, y + 5, 795, y + 90), fill=255)
        draw.text((490, y + 25), row.vaccine, font=font(38, TYPED), fill=0)
        draw.rectangle((1305, y + 5, 1995, y + 90), fill=255)
        draw.text((1320, y + 25), row.provider, font=font(38, TYPED), fill=0)
    return page


@needs_tesseract
def test_a_typed_yellow_card_scan_is_read_end_to_end() -> None:
    rows = [Row("POLIO (IPV/OPV)", "IPV", "3/14/2022", "Valley Clinic"),
            Row("", "IPV", "5/16/2022", "Valley Clinic"),
            Row("HEPATITIS B", "Hep B", "1/20/2022", "Valley Clinic")]
    page = typed_card(rows)
    skewed = page.rotate(1.5, fillcolor=255, expand=True)
    result = extract_document(encode(skewed, "PNG", dpi=(300, 300)),
                              settings=ExtractSettings(today=dt.date(2026, 1, 15)))
    assert result.document_type.value == "yellow_card"
    assert result.child.birth_date.value == dt.date(2022, 1, 14)
    read = {(tuple(d.groups), d.date.value) for d in result.doses}
    assert (("Polio",), dt.date(2022, 3, 14)) in read
    assert (("HepB",), dt.date(2022, 1, 20)) in read


def _signature_page(kind: str) -> PageText:
    image = Image.new("L", (1200, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 150), "Signature:", font=font(30, SANS), fill=0)
    draw.line([(260, 190), (900, 190)], fill=0, width=3)
    if kind == "ink":
        points = [(300 + x * 6, 170 - int(40 * np.sin(x / 5)) - (x % 7) * 3) for x in range(90)]
        draw.line(points, fill=20, width=5)
    array = np.asarray(image, dtype=np.uint8)
    binary = np.where(array < 128, 0, 255).astype(np.uint8)
    return PageText(PageImage(1, array, 300.0, binary=binary), ())


def test_a_signature_is_ink_on_the_line_and_an_empty_line_is_not() -> None:
    region = (250, 60, 950, 210)
    assert read_signature(_signature_page("ink"), region).present
    empty = read_signature(_signature_page("empty"), region)
    assert not empty.present and empty.kind == "empty"


def test_writing_of_the_field_above_is_not_taken_for_a_signature() -> None:
    image = Image.new("L", (1200, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 150), "Signature:", font=font(30, SANS), fill=0)
    draw.line([(260, 190), (900, 190)], fill=0, width=3)
    # The phone number printed above, and a handwritten address's tails hanging into the band.
    draw.text((300, 50), "(213) 555-0174", font=font(30, SANS), fill=0)
    draw.line([(600, 60), (640, 75), (680, 62), (720, 78)], fill=0, width=4)
    array = np.asarray(image, dtype=np.uint8)
    binary = np.where(array < 128, 0, 255).astype(np.uint8)
    printed = (Word("(213)", (300, 52, 380, 82), 0.95), Word("555-0174", (390, 52, 540, 82), 0.93))
    page = PageText(PageImage(1, array, 300.0, binary=binary), printed)
    assert not read_signature(page, (250, 60, 950, 210)).present


@needs_tesseract
def test_a_product_under_a_printed_other_heading_is_an_unknown_vaccine() -> None:
    # The OTHER / OTRAS heading has a row of its own with nothing written in it; the product
    # under it is not the block above's (influenza) but a vaccine nobody knows.
    rows = [Row("INFLUENZA", "", "", ""),
            Row("", "Fluzone", "10/14/2022", "Valley Clinic"),
            Row("OTHER / OTRAS", "", "", ""),
            Row("", "Vacuna X", "5/16/2023", "Valley Clinic")]
    page = typed_card(rows)
    result = extract_document(encode(page, "PNG", dpi=(300, 300)),
                              settings=ExtractSettings(today=dt.date(2026, 1, 15)))
    read = {(tuple(d.groups), d.date.value) for d in result.doses}
    assert (("Influenza",), dt.date(2022, 10, 14)) in read
    unknown = [d for d in result.doses if d.date.value == dt.date(2023, 5, 16)]
    assert len(unknown) == 1 and unknown[0].groups == []
    assert any(f.code.value == "unknown_vaccine" for f in result.flags)


@needs_tesseract
def test_handwritten_dates_are_read_by_the_line_reader_and_a_misread_one_is_unsure() -> None:
    rows = [Row("POLIO (IPV/OPV)", "IPV", "3/14/2022", "Valley Clinic"),
            Row("", "IPV", "5/11/2022", "Valley Clinic"),
            Row("HEPATITIS B", "Hep B", "1/20/2022", "Valley Clinic"),
            Row("", "", "11/17/2022", "Valley Clinic")]
    data = encode(yellow_card("Ana Ruiz", "01/14/2022", rows), "PNG", dpi=(300, 300))
    settings = ExtractSettings(today=dt.date(2026, 1, 15))
    result = extract_document(data, settings=settings)
    assert result.child.birth_date.value == dt.date(2022, 1, 14)
    read = [(tuple(d.groups), d.date.value) for d in result.doses]
    right = {(("Polio",), dt.date(2022, 3, 14)), (("HepB",), dt.date(2022, 1, 20)),
             (("HepB",), dt.date(2022, 11, 17))}
    assert right <= set(read)
    # Handwriting is never accepted on the reader's word alone: every date goes to a reviewer,
    # so one misread (the 1s of 5/11 are single strokes) is caught there.
    assert all(d.date.confidence < settings.review_threshold for d in result.doses)
    assert result.needs_review
    # Tesseract alone reads none of these dates.
    alone = extract_document(data, settings=ExtractSettings(today=dt.date(2026, 1, 15),
                                                            line_reader="off"))
    assert not right & {(tuple(d.groups), d.date.value) for d in alone.doses}


class _MissingWordOnPage:
    """Real Tesseract, except that the whole-page read drops one word (as sparse mode can)."""

    def __init__(self, word: str) -> None:
        from extract.pipeline import tesseract_engine

        self.inner = tesseract_engine(ExtractSettings())
        self.word = word

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        words = self.inner.read_words(image, request)
        if request.segmentation is Segmentation.SPARSE:
            words = [w for w in words if w.text != self.word]
        return words


@needs_tesseract
def test_a_block_label_the_page_read_missed_is_read_in_its_own_cell() -> None:
    # The page read drops "POLIO": the label's cell, read alone, still names the block, so
    # the rows under it are polio doses and not doses of no vaccine.
    rows = [Row("POLIO", "", "3/14/2022", "Valley Clinic"),
            Row("", "", "5/16/2022", "Valley Clinic"),
            Row("HEPATITIS B", "", "1/20/2022", "Valley Clinic")]
    data = encode(typed_card(rows), "PNG", dpi=(300, 300))
    settings = ExtractSettings(today=dt.date(2026, 1, 15), line_reader="off")
    result = extract_document(data, settings=settings, ocr=_MissingWordOnPage("POLIO"))
    read = {(tuple(d.groups), d.date.value) for d in result.doses}
    assert {(("Polio",), dt.date(2022, 3, 14)), (("Polio",), dt.date(2022, 5, 16)),
            (("HepB",), dt.date(2022, 1, 20))} <= read


@needs_tesseract
@pytest.mark.parametrize(("form", "quarter_turns"), [
    ("0025_csf49.png", 2), ("0025_csf49.png", 3), ("0070_csf49.png", 2)])
def test_a_form_fed_upside_down_or_turned_is_read_as_if_upright(form: str,
                                                                quarter_turns: int) -> None:
    # Upside down, Tesseract reads 0025 as a dozen sure-looking nonsense words, as many as a
    # sparse upright page gives; a page turned a quarter is stood up one way only, so half of
    # those come out upside down too. Turned back, 0070's second VACCINE header reads
    # '[vaceine': its dose list is still two tables, not one.
    from .regenerate_golden import CORPUS

    page = Image.open(CORPUS / form)  # scans at 150 and 200 dpi
    dpi = page.info["dpi"]
    settings = ExtractSettings(today=dt.date(2026, 1, 15), line_reader="off")
    upright = extract_document(encode(page, "PNG", dpi=dpi), settings=settings)
    turned = page.rotate(90 * quarter_turns, expand=True)
    result = extract_document(encode(turned, "PNG", dpi=dpi), settings=settings)
    assert upright.document_type.value == "csf49" and len(upright.doses) >= 20
    assert result.document_type == upright.document_type
    # Turned back, the page is levelled again by interpolation: a typed digit or a row may
    # read otherwise, nothing more.
    same = Counter((tuple(d.groups), d.date.value) for d in result.doses) & \
        Counter((tuple(d.groups), d.date.value) for d in upright.doses)
    assert sum(same.values()) >= 0.9 * len(upright.doses)
