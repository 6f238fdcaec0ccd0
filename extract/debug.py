"""What `shotcheck ocr` shows: every cleaned page's words with boxes and confidences."""

from __future__ import annotations

from typing import Any

from extract.ocr import OcrEngine
from extract.pipeline import read_page_words, render_pages
from extract.settings import ExtractSettings

__all__ = ["read_document_words"]


def read_document_words(data: bytes, settings: ExtractSettings | None = None,
                        ocr: OcrEngine | None = None) -> list[dict[str, Any]]:
    """Each cleaned page's words (text layer or OCR) as plain data for JSON."""
    settings = settings or ExtractSettings()
    from extract.pipeline import ocr_engine_for

    pages = render_pages(data, settings, ocr)
    engine = ocr_engine_for(pages, settings, ocr)
    out: list[dict[str, Any]] = []
    for page in pages:
        text = read_page_words(page, engine)
        out.append({
            "page": page.number,
            "width": page.size[0],
            "height": page.size[1],
            "source": page.source.value,
            "words": [{"text": w.text, "box": list(w.box), "confidence": round(w.confidence, 3)}
                      for w in text.words],
        })
    return out
