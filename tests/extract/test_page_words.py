"""The words of a page read by OCR: what Tesseract reads of the ruling lines is left out."""

from __future__ import annotations

import numpy as np

from extract.ocr import OcrRequest, Segmentation
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


# Letter-sized marks for the skipped-text check: 30 px tall at 300 dpi (0.1 inch), 20 wide.
def _marked_page(rows: int) -> PageImage:
    """A page with `rows` lines of ten letter-sized marks each, 100 px apart from y=100."""
    image = np.full((1100, 850), 255, dtype=np.uint8)
    for row in range(rows):
        for column in range(10):
            x, y = 100 + 40 * column, 100 + 100 * row
            image[y:y + 30, x:x + 20] = 0
    return PageImage(1, image, DPI, PageSource.IMAGE, binary=image)


def _line_word(text: str, row: int, confidence: float = 0.95) -> Word:
    """A word covering the ten marks of line `row`."""
    return Word(text, (95, 95 + 100 * row, 500, 135 + 100 * row), confidence)


class _TwoReads:
    """A sparse read that covers some lines, a block read that covers all; asks are recorded."""

    def __init__(self, sparse: list[Word], block: list[Word]) -> None:
        self.sparse, self.block = sparse, block
        self.asked: list[Segmentation] = []

    def read_words(self, image: np.ndarray, request: OcrRequest) -> list[Word]:
        self.asked.append(request.segmentation)
        sure = [Word("Immunization", (600, 100 + 40 * i, 800, 130 + 40 * i), 0.95)
                for i in range(12)]
        words = self.sparse if request.segmentation is Segmentation.SPARSE else self.block
        return words + sure


def test_lines_the_page_read_skipped_are_read_as_a_block() -> None:
    # Ten lines of marks; the sparse read covers six, a scrap on the seventh: 4/10 unread.
    sparse = [_line_word(f"line{row}", row) for row in range(6)] + [
        Word("a", (150, 700, 170, 704), 0.1)]
    block = [_line_word(f"block{row}", row, 0.9) for row in range(10)]
    engine = _TwoReads(sparse, block)
    words = {w.text for w in read_page_words(_marked_page(10), engine).words}
    assert engine.asked == [Segmentation.SPARSE, Segmentation.BLOCK]
    # The first read's sure words stay, its scrap gives way, the skipped lines are added.
    assert {f"line{row}" for row in range(6)} <= words
    assert "a" not in words
    assert {f"block{row}" for row in range(6, 10)} <= words
    assert not {f"block{row}" for row in range(6)} & words


def test_a_page_read_leaving_a_third_unread_is_not_read_again() -> None:
    # 30 marks: 10 unread is 0.33, under the 0.35 that sends the page to a second read...
    engine = _TwoReads([_line_word(f"line{row}", row) for row in range(2)], [])
    read_page_words(_marked_page(3), engine)
    assert engine.asked == [Segmentation.SPARSE]


def test_a_page_read_leaving_two_fifths_unread_is_read_again() -> None:
    # ...and 20 marks with 8 unread (0.40) go over it.
    sparse = [_line_word("line0", 0), Word("two", (95, 195, 170, 235), 0.9)]
    engine = _TwoReads(sparse, [])
    read_page_words(_marked_page(2), engine)
    assert engine.asked == [Segmentation.SPARSE, Segmentation.BLOCK]
