"""The OCR seam: the `OcrEngine` Protocol the pipeline calls, and the requests it sends."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

from extract.page import Gray, Word

__all__ = ["DATE_CHARS", "OcrEngine", "OcrRequest", "Segmentation"]

# What a date cell can hold: digits, separators, and month names or "mo"/"yr" ages.
DATE_CHARS = "0123456789/-.,ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz "


class Segmentation(IntEnum):
    """Tesseract page segmentation modes the pipeline uses (``--psm``)."""

    AUTO = 3
    BLOCK = 6
    LINE = 7
    SPARSE = 11


@dataclass(frozen=True, slots=True)
class OcrRequest:
    """How to read one image: segmentation mode and an optional character whitelist."""

    segmentation: Segmentation = Segmentation.AUTO
    whitelist: str | None = None


class OcrEngine(Protocol):
    """Reads words off an image; the one seam between the pipeline and Tesseract.

    Implementations raise `extract.errors.ExternalToolError` subclasses on failure; they never
    return partial output for a failed read.
    """

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        """Read the words of `image` with boxes in its pixel coordinates."""
        ...
