"""The OCR seam: the `OcrEngine` Protocol the pipeline calls, and the requests it sends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol, runtime_checkable

from extract.page import Gray, Word

__all__ = ["DATE_CHARS", "LineReader", "OcrEngine", "OcrRequest", "Segmentation"]

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


@runtime_checkable
class LineReader(Protocol):
    """Reads one line of writing in each image: the seam to a handwriting line recogniser.

    An engine that also has these methods (the pipeline's guarded engine) is asked for a second
    opinion on date cells Tesseract's reads disagree on, and on handwritten vaccine names.
    """

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        """The dates in `years` each image may hold as written, likeliest first, with shares.

        An empty list where no date is read.
        """
        ...

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        """The text of each image's one line, with a confidence; None where none is read."""
        ...

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        """Which of `names` each image most likely holds, with its share; None if none.

        `meanings`, one a name, say which names stand for the same thing (a vaccine's groups).
        """
        ...
