"""The one module that reads PDFs, with pypdfium2: pages, their text layer and their rendering.

pdfium is a C library: it reads a registry printout's text layer in a few milliseconds, where
pdfminer (pdfplumber) took ~45 ms a page in pure Python, and it was already the renderer.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from extract.errors import CorruptFile, FileTooLarge
from extract.page import Gray

__all__ = ["PdfPage", "TextLayerWord", "count_pages", "read_pdf"]

# (text, x0, top, x1, bottom) in PDF points from the page's top-left corner.
TextLayerWord = tuple[str, float, float, float, float]

# Word grouping as pdfplumber's `extract_words` defaults, which the parsers were tuned on:
# characters whose tops lie within this many points share a line, and a gap wider than this
# between one character's end and the next one's start begins a new word.
_Y_TOLERANCE = 3.0
_X_TOLERANCE = 3.0
# Text render modes that paint nothing: invisible, and added to the clipping path only.
_HIDDEN = frozenset({pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP})


@dataclass(frozen=True, slots=True)
class PdfPage:
    """One page: its size in points, its text-layer words, its rendering and the rendering's dpi.

    `picture_share`: how much of the page its pictures cover (0 to 1).
    """

    size: tuple[float, float]
    words: list[TextLayerWord]
    image: Gray
    dpi: float
    picture_share: float


@dataclass(frozen=True, slots=True)
class _Contents:
    """What a page is drawn with, as far as reading it goes."""

    hidden_text: set[int | None]
    picture_share: float


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptFile(f"the PDF cannot be opened: {exc}") from exc


def count_pages(data: bytes) -> int:
    """Number of pages in the PDF."""
    pdf = _open(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _check_pixels(index: int, size: tuple[float, float], dpi: float, max_pixels: int) -> None:
    width, height = size
    scale = dpi / 72.0
    if width * scale * height * scale > max_pixels:
        raise FileTooLarge(
            f"PDF page {index + 1} is {width / 72:.0f}x{height / 72:.0f} in, over the "
            f"limit of {max_pixels} pixels at {dpi} dpi (SHOTCHECK_MAX_PAGE_PIXELS)"
        )


def _render(page: pdfium.PdfPage, dpi: float) -> Gray:
    # A native bitmap's buffer is allocated by Python and outlives the bitmap (a foreign one's
    # is freed with it): the page is the numpy view of that buffer, not a copy of 8 MB.
    bitmap = page.render(scale=dpi / 72.0, grayscale=True,
                         bitmap_maker=pdfium.PdfBitmap.new_native)
    try:
        pixels = bitmap.to_numpy()
        return np.asarray(pixels.reshape(pixels.shape[0], pixels.shape[1]), dtype=np.uint8)
    finally:
        bitmap.close()


def read_pdf(data: bytes, dpi: Callable[[tuple[float, float]], float],
             max_pixels: int) -> list[PdfPage]:
    """Each page's size, text-layer words and grayscale rendering at `dpi(size in points)`.

    The text layer is read from the same open document as the rendering: one parse of the
    file, no second library.

    Raises:
        CorruptFile: the PDF cannot be opened.
        FileTooLarge: when a page at its dpi would exceed `max_pixels`.
    """
    pdf = _open(data)
    pages: list[PdfPage] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                size = (float(page.get_width()), float(page.get_height()))
                resolution = dpi(size)
                _check_pixels(index, size, resolution, max_pixels)
                contents = _contents(page.raw, size)
                words = _text_layer(page, size[1], contents.hidden_text)
                pages.append(PdfPage(size, words, _render(page, resolution), resolution,
                                     contents.picture_share))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise CorruptFile(f"the PDF cannot be read: {exc}") from exc
    finally:
        pdf.close()
    return pages


def _text_layer(page: pdfium.PdfPage, height: float,
                hidden: set[int | None]) -> list[TextLayerWord]:
    """The page's words with boxes in points from the top-left (empty for an image-only page).

    A character's box spans its advance horizontally and, like pdfminer's, its font size up
    from the font's descent; characters pdfium generates (spaces and line ends it infers) are
    not in the file and are skipped; rotated characters (watermarks, margin notes) too. So are
    characters drawn invisibly (`hidden`, the text objects that paint nothing): a scanner's or
    OCRmyPDF's "searchable PDF" lays its own OCR of the picture over it that way, and that
    guess, which reads no handwriting, is not what the page shows; with it skipped the page is
    a picture, read like any scan.
    """
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        rect = pdfium_c.FS_RECTF()
        chars: list[tuple[str, float, float, float, float]] = []
        for index in range(count):
            code = pdfium_c.FPDFText_GetUnicode(raw, index)
            if code == 0 or pdfium_c.FPDFText_IsGenerated(raw, index) == 1:
                continue
            if abs(pdfium_c.FPDFText_GetCharAngle(raw, index)) > 0.01:
                continue
            if hidden and _address(pdfium_c.FPDFText_GetTextObject(raw, index)) in hidden:
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(rect)):
                continue
            bottom = height - rect.bottom
            size = pdfium_c.FPDFText_GetFontSize(raw, index)
            top = bottom - size if size > 0 else height - rect.top
            chars.append((chr(code), rect.left, top, rect.right, bottom))
    finally:
        textpage.close()
    return _words(chars)


def _contents(raw_page: object, size: tuple[float, float]) -> _Contents:
    """The page's text objects that paint nothing and the share of it pictures cover.

    Forms (XObjects) are looked into: OCRmyPDF draws its text layer as a form on the page. A
    picture inside a form covers what the outermost form does on the page, once. Pictures are
    added up: some scanners store a page as strips. Each object is asked once, not each
    character: a registry printout's page has thousands of characters and none hidden.
    """
    hidden: set[int | None] = set()
    covered = 0.0
    counted: set[int | None] = set()
    objects = [(pdfium_c.FPDFPage_GetObject(raw_page, index), None)
               for index in range(pdfium_c.FPDFPage_CountObjects(raw_page))]
    while objects:
        item, outermost = objects.pop()
        kind = pdfium_c.FPDFPageObj_GetType(item)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            objects.extend((pdfium_c.FPDFFormObj_GetObject(item, index), outermost or item)
                           for index in range(pdfium_c.FPDFFormObj_CountObjects(item)))
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT and _invisible(item):
            hidden.add(_address(item))
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            drawn = outermost or item
            if (key := _address(drawn)) not in counted:
                counted.add(key)
                covered += _area(drawn)
    return _Contents(hidden, min(1.0, covered / (size[0] * size[1])) if all(size) else 0.0)


def _area(page_object: object) -> float:
    """The area of an object's bounding box on the page, in square points."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(page_object, ctypes.byref(left), ctypes.byref(bottom),
                                          ctypes.byref(right), ctypes.byref(top)):
        return 0.0
    return max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value)


def _address(page_object: Any) -> int | None:
    # pdfium's handles are untyped ctypes pointers; one object's handles compare by address.
    return ctypes.cast(page_object, ctypes.c_void_p).value


def _invisible(text_object: object) -> bool:
    """Whether a text object paints nothing.

    Drawn with neither fill nor stroke (PDF render modes 3 and 7), or filled only with a fully
    transparent fill: the two ways OCR layers are hidden.
    """
    mode = pdfium_c.FPDFTextObj_GetTextRenderMode(text_object)
    if mode in _HIDDEN:
        return True
    if mode != pdfium_c.FPDF_TEXTRENDERMODE_FILL:
        return False
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    found = pdfium_c.FPDFPageObj_GetFillColor(text_object, ctypes.byref(red), ctypes.byref(green),
                                              ctypes.byref(blue), ctypes.byref(alpha))
    return bool(found) and alpha.value == 0


def _words(chars: list[tuple[str, float, float, float, float]]) -> list[TextLayerWord]:
    """Group characters into words: lines by their tops, then left to right.

    A word ends at a space and at a gap wider than the tolerance.
    """
    words: list[TextLayerWord] = []
    ordered = sorted(chars, key=lambda c: c[2])
    lines: list[list[tuple[str, float, float, float, float]]] = []
    last_top: float | None = None
    for char in ordered:
        if last_top is None or char[2] > last_top + _Y_TOLERANCE:
            lines.append([])
        lines[-1].append(char)
        last_top = char[2]
    for line in lines:
        current: list[tuple[str, float, float, float, float]] = []
        for char in sorted(line, key=lambda c: c[1]):
            if char[0].isspace():
                _flush(current, words)
                current = []
                continue
            if current:
                previous = current[-1]
                if (char[1] < previous[1] or char[1] > previous[3] + _X_TOLERANCE
                        or abs(char[2] - previous[2]) > _Y_TOLERANCE):
                    _flush(current, words)
                    current = []
            current.append(char)
        _flush(current, words)
    return words


def _flush(current: list[tuple[str, float, float, float, float]],
           words: list[TextLayerWord]) -> None:
    if not current:
        return
    text = "".join(c[0] for c in current)
    if text.strip():
        words.append((text, min(c[1] for c in current), min(c[2] for c in current),
                       max(c[3] for c in current), max(c[4] for c in current)))
