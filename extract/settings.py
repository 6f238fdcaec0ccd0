"""Extraction settings read once from SHOTCHECK_* environment variables (pydantic-settings)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ExtractSettings"]


class ExtractSettings(BaseSettings):
    """Limits, rendering and review settings of the extraction stage.

    Every field can be set from the environment as ``SHOTCHECK_<FIELD>`` in upper case, e.g.
    ``SHOTCHECK_REVIEW_THRESHOLD=0.9``.
    """

    model_config = SettingsConfigDict(env_prefix="SHOTCHECK_", frozen=True, extra="ignore")

    max_file_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    max_pages: int = Field(default=20, gt=0)
    # Pixels of one decoded page; a letter page at 300 dpi is 8.4 Mpx, a phone photo ~12 Mpx.
    max_page_pixels: int = Field(default=40_000_000, gt=0)
    # Rasterising image-only PDFs: 300 dpi is what Tesseract reads best at for form text.
    pdf_dpi: int = Field(default=300, ge=72, le=600)
    # Scans are normalised to this resolution before OCR so thresholds in pixels mean one thing.
    work_dpi: int = Field(default=300, ge=100, le=600)
    # "library": libtesseract in this process (fast: no process start or model load per read;
    # memory is bounded by the process's own limit). "command": one `tesseract` process per read
    # under ocr_memory_mb. Both read the same words.
    ocr_engine: Literal["library", "command"] = "library"
    # "paddle": date cells Tesseract is unsure of, and handwritten vaccine names it cannot
    # match, are read again by the PP-OCR line recogniser (extract._ppocr), which reads
    # handwriting far better. "off": Tesseract alone.
    line_reader: Literal["paddle", "off"] = "paddle"
    # The whole page is read at this resolution (field re-reads stay at work_dpi): Tesseract's
    # time grows with the pixels it is given.
    page_ocr_dpi: int = Field(default=300, ge=100, le=600)
    ocr_timeout_seconds: float = Field(default=60.0, gt=0)
    ocr_memory_mb: int = Field(default=1024, gt=64)
    # A field under this confidence sends the document to a reviewer.
    review_threshold: float = Field(default=0.80, ge=0.0, le=1.0)
    # Below this the document type is reported as unknown.
    type_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    # The day "in the future" is measured from; None means the real today. Set for reproducible
    # runs (golden files, benchmarks).
    today: dt.date | None = None
