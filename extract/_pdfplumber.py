"""The one module that reads PDF text layers, with pdfplumber: words and their positions."""

from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError

from extract.errors import CorruptFile

__all__ = ["TextLayerWord", "read_text_layer"]

# (text, x0, top, x1, bottom) in PDF points from the page's top-left corner.
TextLayerWord = tuple[str, float, float, float, float]


def read_text_layer(data: bytes, max_pages: int) -> list[list[TextLayerWord]]:
    """Words of each page's text layer (an empty list for an image-only page).

    Args:
        data: the PDF's bytes.
        max_pages: pages past this are not read (the caller has already refused such files).

    Raises:
        CorruptFile: when pdfplumber cannot parse the PDF.
    """
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages: list[list[TextLayerWord]] = []
            for page in pdf.pages[:max_pages]:
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                pages.append(
                    [
                        (str(w["text"]), float(w["x0"]), float(w["top"]), float(w["x1"]),
                         float(w["bottom"]))
                        for w in words
                        if str(w["text"]).strip()
                    ]
                )
            return pages
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise CorruptFile(f"the PDF's text layer cannot be read: {exc}") from exc
