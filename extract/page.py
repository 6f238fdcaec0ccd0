"""Page and word types passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

import cv2
import numpy as np
import numpy.typing as npt

__all__ = ["Box", "Gray", "PageImage", "PageSource", "Word", "union_box"]

Gray = npt.NDArray[np.uint8]
Box = tuple[int, int, int, int]


class PageSource(StrEnum):
    """Where a page's words come from: the PDF's text layer, or OCR of its image."""

    TEXT_LAYER = "text_layer"
    IMAGE = "image"


@dataclass(frozen=True, slots=True)
class Word:
    """One word with its box in page-image pixels and a confidence in 0..1.

    `line` groups words Tesseract (or the text layer) put on one line; it is only meaningful
    between words of one read.
    """

    text: str
    box: Box
    confidence: float
    line: int = 0

    @property
    def cx(self) -> float:
        """Horizontal centre of the box."""
        return (self.box[0] + self.box[2]) / 2

    @property
    def cy(self) -> float:
        """Vertical centre of the box."""
        return (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> int:
        """Height of the box in pixels."""
        return self.box[3] - self.box[1]

    def shifted(self, dx: int, dy: int) -> Word:
        """The same word with its box moved, e.g. from a crop back to page coordinates."""
        x0, y0, x1, y1 = self.box
        return replace(self, box=(x0 + dx, y0 + dy, x1 + dx, y1 + dy))


@dataclass(frozen=True, slots=True)
class PageImage:
    """A page as the reviewer will see it: a cleaned grayscale image, and text-layer words.

    Args:
        number: 1-based page number in the document.
        image: the cleaned page, 8-bit grayscale; every box refers to its pixels.
        dpi: resolution of `image`.
        source: whether words come from a text layer or must be read by OCR.
        words: the text layer's words in image pixels (empty for image pages).
        binary: the binarised page (ink 0, paper 255) used for lines and signatures.
        photographed: the page is a photo of a sheet, warped flat (`rectify_perspective`):
            lit unevenly, its thin rules binarise in pieces.
    """

    number: int
    image: Gray
    dpi: float
    source: PageSource = PageSource.IMAGE
    words: tuple[Word, ...] = ()
    binary: Gray | None = field(default=None, repr=False)
    photographed: bool = False

    @property
    def size(self) -> tuple[int, int]:
        """Width and height in pixels."""
        return int(self.image.shape[1]), int(self.image.shape[0])

    def to_png(self) -> bytes:
        """The cleaned page as PNG bytes, for the review pages to show."""
        ok, encoded = cv2.imencode(".png", self.image)
        if not ok:  # pragma: no cover - OpenCV encodes any uint8 image
            raise ValueError("could not encode the page image")
        return bytes(encoded.tobytes())


def union_box(boxes: list[Box]) -> Box | None:
    """The smallest box holding all `boxes`, or None for none."""
    if not boxes:
        return None
    lefts, tops, rights, bottoms = zip(*boxes, strict=True)
    return (min(lefts), min(tops), max(rights), max(bottoms))
