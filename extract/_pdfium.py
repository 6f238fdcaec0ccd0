"""The one module that rasterises PDF pages, with pypdfium2."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]

from extract.errors import CorruptFile, FileTooLarge
from extract.page import Gray

__all__ = ["count_pages", "render_pdf"]


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


def render_pdf(data: bytes, dpi: int, max_pixels: int) -> list[tuple[Gray, tuple[float, float]]]:
    """Each page rendered in grayscale at `dpi`, with its size in PDF points.

    Raises:
        FileTooLarge: when a page at `dpi` would exceed `max_pixels`.
    """
    pdf = _open(data)
    pages: list[tuple[Gray, tuple[float, float]]] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            scale = dpi / 72.0
            if width * scale * height * scale > max_pixels:
                raise FileTooLarge(
                    f"PDF page {index + 1} is {width / 72:.0f}x{height / 72:.0f} in, over the "
                    f"limit of {max_pixels} pixels at {dpi} dpi (SHOTCHECK_MAX_PAGE_PIXELS)"
                )
            bitmap = page.render(scale=scale, grayscale=True)
            image = np.array(bitmap.to_pil().convert("L"), dtype=np.uint8)
            pages.append((image, (float(width), float(height))))
            page.close()
    finally:
        pdf.close()
    return pages
