"""Field-specific reads of cells: many crops stacked into one image, one OCR call per kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from extract.date_lines import DATE_CHARACTERS, record_years
from extract.draft import PageText
from extract.layout import group_lines
from extract.ocr import LineReader, OcrEngine, OcrRequest, Segmentation
from extract.page import Box, Gray, Word

__all__ = [
    "DIGIT_DATE", "GENERAL", "read_date_choices", "read_name_lines", "read_region",
    "read_text_lines", "reread_cells",
]

_GAP = 40
_INSET = 5
# Tesseract reads a stack of isolated lines best as one uniform block.
GENERAL = OcrRequest(Segmentation.BLOCK)
DIGIT_DATE = OcrRequest(Segmentation.BLOCK, DATE_CHARACTERS)


def reread_cells(
    page: PageText, boxes: list[Box], ocr: OcrEngine | None, request: OcrRequest = GENERAL
) -> list[tuple[str, float] | None]:
    """Re-read each box on its own (a date cell, a name field) with a field-suited request.

    One OCR call per page and request, not per cell: the crops (inset to drop cell borders) are
    stacked with white gaps and each word is given back to the crop it falls in. Returns None
    for every box when there is no image to read (text-layer pages) or no OCR engine.
    """
    if ocr is None or page.ocr_image is None or not boxes:
        return [None] * len(boxes)
    crops = _crops(page.ocr_image.image, boxes)
    canvas_w = max(c.shape[1] for c in crops) + 2 * _GAP
    canvas_h = sum(c.shape[0] for c in crops) + _GAP * (len(crops) + 1)
    canvas = np.full((canvas_h, canvas_w), 255, dtype=np.uint8)
    spans: list[tuple[int, int]] = []
    y = _GAP
    for crop in crops:
        canvas[y : y + crop.shape[0], _GAP : _GAP + crop.shape[1]] = crop
        spans.append((y, y + crop.shape[0]))
        y += crop.shape[0] + _GAP
    words = ocr.read_words(canvas, request)
    results: list[tuple[str, float] | None] = []
    for top, bottom in spans:
        inside: list[Word] = [w for w in words if top - _GAP / 2 <= w.cy <= bottom + _GAP / 2]
        ordered = [w for line in group_lines(inside) for w in line.words]
        if not ordered:
            results.append(("", 0.0))
            continue
        text = " ".join(w.text for w in ordered)
        results.append((text, sum(w.confidence for w in ordered) / len(ordered)))
    return results


def read_region(page: PageText, region: Box, ocr: OcrEngine | None) -> PageText:
    """The page with only the words of `region`, read again on their own as one block.

    The page read (sparse, the whole page) can merge a small printed label with the large
    handwriting beside it into one word ('Birthdate: 8/3/18' read as 'a /3/e'); read as a
    block, the label comes out apart. The page itself is returned when there is nothing to read.
    """
    if ocr is None or page.ocr_image is None:
        return page
    height, width = page.ocr_image.image.shape
    x0, y0 = max(0, region[0]), max(0, region[1])
    x1, y1 = min(width, region[2]), min(height, region[3])
    if x1 - x0 < _MIN_REGION or y1 - y0 < _MIN_REGION:
        return page
    words = ocr.read_words(page.ocr_image.image[y0:y1, x0:x1], GENERAL)
    moved = tuple(replace(w, box=(w.box[0] + x0, w.box[1] + y0, w.box[2] + x0, w.box[3] + y0))
                  for w in words)
    return replace(page, words=moved)


# A region narrower or shorter than this many pixels holds no line of writing.
_MIN_REGION = 16


def read_date_choices(page: PageText, boxes: list[Box], ocr: OcrEngine | None,
                      today: dt.date) -> list[list[tuple[str, float]]]:
    """The dates each box may hold by the engine's line reader (handwriting), likeliest first.

    Only dates a young child's record read on `today` can carry (`record_years`). No choices
    for any box when the engine has no line reader.
    """
    found = _line_crops(page, boxes, ocr)
    return [[] for _ in boxes] if found is None else found[0].read_date_choices(
        found[1], record_years(today))


def read_text_lines(page: PageText, boxes: list[Box],
                    ocr: OcrEngine | None) -> list[tuple[str, float] | None]:
    """Each box's one line of writing read by the engine's line reader, when it has one."""
    found = _line_crops(page, boxes, ocr)
    return [None] * len(boxes) if found is None else found[0].read_text_lines(found[1])


def read_name_lines(page: PageText, boxes: list[Box], ocr: OcrEngine | None,
                    names: Sequence[str], meanings: Sequence[str] | None = None
                    ) -> list[tuple[str, float] | None]:
    """Which of `names` each box most likely holds, by the engine's line reader if it has one.

    `meanings`: what each name stands for; a name is told apart from the others' (a vaccine's
    groups: 'Prevnar 13' and 'PCV13' are one).
    """
    found = _line_crops(page, boxes, ocr)
    return ([None] * len(boxes) if found is None
            else found[0].read_name_lines(found[1], names, meanings))


def _line_crops(page: PageText, boxes: list[Box],
                ocr: OcrEngine | None) -> tuple[LineReader, list[Gray]] | None:
    """The engine as a line reader and the boxes' crops; None without a reader or an image."""
    if not isinstance(ocr, LineReader) or page.ocr_image is None or not boxes:
        return None
    return ocr, _crops(page.ocr_image.image, boxes)


def _crops(image: Gray, boxes: list[Box]) -> list[Gray]:
    """Each box cut out of the page, inset to drop cell borders; a blank patch if too small."""
    height, width = image.shape
    crops = []
    for x0, y0, x1, y1 in boxes:
        top, bottom = max(0, y0 + _INSET), min(height, y1 - _INSET)
        left, right = max(0, x0 + _INSET), min(width, x1 - _INSET)
        if bottom - top < 4 or right - left < 4:
            crops.append(np.full((8, 8), 255, dtype=np.uint8))
        else:
            crops.append(image[top:bottom, left:right])
    return crops
