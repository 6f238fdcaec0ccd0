"""The two Tesseract engines: the library in-process and the command read the same words."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import ImageDraw

from extract import ExtractSettings
from extract._tesseract import TesseractEngine, TesseractLibrary, _tsv_words
from extract.errors import OcrTimeout
from extract.ocr import OcrRequest, Segmentation
from extract.page import PageImage, PageSource, Word
from extract.pipeline import ocr_engine_for

from .conftest import needs_tesseract
from .drawing import Row, yellow_card

DATES = OcrRequest(Segmentation.BLOCK, "0123456789/-.")


def _card() -> np.ndarray:
    rows = [Row("POLIO (IPV/OPV)", "IPV", "3/14/2022", "Valley Clinic"),
            Row("HEPATITIS B", "Hep B", "1/20/2022", "Valley Clinic")]
    page = yellow_card("Ana Ruiz", "01/14/2022", rows)
    ImageDraw.Draw(page).text((100, 100), "12/03/2024", fill=0)
    return np.asarray(page.convert("L"), dtype=np.uint8)


@needs_tesseract
@pytest.mark.parametrize("request_", [OcrRequest(Segmentation.SPARSE), DATES])
def test_the_library_reads_what_the_command_reads(request_: OcrRequest) -> None:
    image = _card()
    command = TesseractEngine().read_words(image, request_)
    library = TesseractLibrary().read_words(image, request_)
    assert command, "the card has words"
    assert library == command


@needs_tesseract
def test_a_whitelist_does_not_stay_for_the_next_read() -> None:
    image = _card()
    engine = TesseractLibrary()
    fresh = TesseractLibrary().read_words(image, OcrRequest(Segmentation.SPARSE))
    engine.read_words(image, DATES)
    assert engine.read_words(image, OcrRequest(Segmentation.SPARSE)) == fresh


@needs_tesseract
def test_a_read_past_its_deadline_is_a_timeout() -> None:
    image = np.tile(_card(), (3, 2))
    with pytest.raises(OcrTimeout, match="SHOTCHECK_OCR_TIMEOUT_SECONDS"):
        TesseractLibrary(timeout_seconds=0.001).read_words(image, OcrRequest(Segmentation.SPARSE))


@needs_tesseract
def test_the_command_engine_is_there_by_setting() -> None:
    page = PageImage(image=_card(), number=1, dpi=300, source=PageSource.IMAGE)
    engine = ocr_engine_for([page], ExtractSettings(ocr_engine="command"), None)
    assert engine is not None and isinstance(engine._inner, TesseractEngine)  # type: ignore[attr-defined]


def test_tsv_rows_without_text_or_confidence_are_not_words() -> None:
    tsv = (
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.64\tIPV\n"
        "5\t1\t1\t1\t1\t2\t45\t20\t8\t12\t12.5\t \n"
        "5\t1\t2\t1\t3\t1\t10\t60\t40\t12\t-1\tnoise\n"
    )
    assert _tsv_words(tsv) == [Word("IPV", (10, 20, 40, 32), 0.96, 1001001)]


@needs_tesseract
def test_leptonica_notes_do_not_reach_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    import ctypes
    import ctypes.util

    from extract._tesseract import _library

    _library()
    leptonica = ctypes.CDLL(ctypes.util.find_library("lept") or "liblept.so.5")
    leptonica.boxClipToRectangle.restype = ctypes.c_void_p
    # A null box: Leptonica would print "Error in boxClipToRectangle: box not defined".
    leptonica.boxClipToRectangle(None, 10, 10)
    assert "Error in" not in capfd.readouterr().err


class _SizeEcho:
    """Reads one word covering the whole image it is given."""

    def __init__(self) -> None:
        self.shapes: list[tuple[int, ...]] = []

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        self.shapes.append(image.shape)
        height, width = image.shape
        return [Word("IPV", (0, 0, width, height), 0.9)] * 12


def test_a_page_read_at_a_lower_resolution_gives_boxes_in_page_pixels() -> None:
    from extract.pipeline import read_page_words

    image = np.full((3000, 2400), 255, dtype=np.uint8)
    page = PageImage(1, image, 300.0, PageSource.IMAGE, binary=image)
    engine = _SizeEcho()
    text = read_page_words(page, engine, read_dpi=200)
    assert engine.shapes[0] == (2000, 1600)
    assert text.words[0].box == (0, 0, 2400, 3000)
    assert text.ocr_image is not None and text.ocr_image.image.shape == (3000, 2400)
    full = _SizeEcho()
    read_page_words(page, full)
    assert full.shapes[0] == (3000, 2400)
