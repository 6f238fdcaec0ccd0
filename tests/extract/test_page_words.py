"""The words of a page read by OCR: what Tesseract reads of the ruling lines is left out."""

from __future__ import annotations

import numpy as np

from extract.ocr import OcrRequest
from extract.page import PageImage, PageSource, Word
from extract.pipeline import read_page_words

DPI = 300.0
# At 300 dpi a trace is at most 9 pixels tall (0.03 inch) and at least 27 long.
READ = [
    Word("HepB", (100, 100, 180, 130), 0.95),
    Word("\u2014\u2014_\u2014", (300, 200, 460, 209), 0.0),  # a rule's trace, 9 px tall
    Word("$$", (300, 260, 460, 265), 0.08),  # another, read as other marks
    Word("\u2014\u2014", (300, 320, 460, 330), 0.3),  # 10 px: as tall as small print's x-height
    Word("-", (500, 400, 526, 404), 0.6),  # a dash between a date's parts, 26 px long
    Word("___", (300, 500, 460, 508), 0.1),
    Word("1", (600, 500, 700, 505), 0.2),  # thin, but read as a digit: a reviewer sees it
]


class _FixedRead:
    """Reads the same words from any image, sure words enough for the page to be upright."""

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        return READ + [Word("Immunization", (100, 600 + 40 * i, 300, 630 + 40 * i), 0.95)
                       for i in range(12)]


def _words() -> list[str]:
    image = np.full((1100, 850), 255, dtype=np.uint8)
    page = PageImage(1, image, DPI, PageSource.IMAGE, binary=image)
    return [w.text for w in read_page_words(page, _FixedRead()).words
            if w.text != "Immunization"]


def test_a_ruling_line_read_as_dashes_is_no_word() -> None:
    assert "\u2014\u2014_\u2014" not in _words()
    assert "$$" not in _words()
    assert "___" not in _words()


def test_marks_as_tall_as_print_or_short_as_a_dash_stay() -> None:
    assert _words() == ["HepB", "\u2014\u2014", "-", "1"]
