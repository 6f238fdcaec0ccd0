"""Signature presence: ink in the signature region, told apart from an empty line and from print."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.draft import PageText
from extract.grid import find_ruling
from extract.page import Box, union_box

__all__ = ["SignatureReading", "read_signature"]

# Share of the region's pixels that must be ink before anything is called written there.
_MIN_INK = 0.004
# OCR confidence at which a word in the region is taken as print.
_SURE_PRINT = 0.85
# Share of the region's height, from its top, where ink that ends there is not the signature's.
_HANGING = 0.3


@dataclass(frozen=True, slots=True)
class SignatureReading:
    """Whether a signature is present, how sure, what was seen, and the ink's box."""

    present: bool
    confidence: float
    kind: str
    box: Box | None


def read_signature(page: PageText, region: Box) -> SignatureReading:
    """Look at the ink in `region` of the page: a signature, an empty line, or printed text.

    Ruling lines (the line to sign on) are removed first. Printed text is recognised by OCR
    reading it confidently as ordinary words; a signature by strokes that run together into
    components much wider than they are tall, which typed letters never do.
    """
    binary = page.page.binary
    if binary is None:
        return SignatureReading(False, 0.5, "no_image", None)
    x0, y0, x1, y1 = _clip(region, binary.shape)
    if x1 - x0 < 10 or y1 - y0 < 10:
        return SignatureReading(False, 0.5, "no_region", None)
    crop = binary[y0:y1, x0:x1]
    ruling = find_ruling(crop, page.page.dpi * 0.5)
    ink = cv2.bitwise_not(crop)
    ink[ruling.mask > 0] = 0
    # Print OCR reads with confidence (the field above, a phone number, the printed name)
    # is no signature, however near the line it sits: its ink is not counted.
    for word in page.words:
        if word.confidence >= _SURE_PRINT and sum(ch.isalnum() for ch in word.text) >= 2 \
                and x0 <= word.cx <= x1 and y0 <= word.cy <= y1:
            top, bottom = max(0, word.box[1] - y0 - 2), max(0, word.box[3] - y0 + 2)
            ink[top:bottom, max(0, word.box[0] - x0 - 2):max(0, word.box[2] - x0 + 2)] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    minimum_area = max(6, int((page.page.dpi / 100) ** 2))
    # Ink ending high in the region hangs from the field above (its writing's descenders); a
    # signature comes down to its line at the bottom.
    high = _HANGING * (y1 - y0)
    parts = [s for s in stats[1:count] if s[4] >= minimum_area and s[1] + s[3] > high]
    ink_share = float(sum(int(s[4]) for s in parts)) / float(crop.size)
    if not parts or ink_share < _MIN_INK:
        return SignatureReading(False, 0.95, "empty", None)
    ink_box = union_box([(int(s[0]) + x0, int(s[1]) + y0, int(s[0] + s[2]) + x0,
                          int(s[1] + s[3]) + y0) for s in parts])
    printed = [w for w in page.words if x0 <= w.cx <= x1 and y0 <= w.cy <= y1
               and w.confidence >= 0.85 and sum(ch.isalpha() for ch in w.text) >= 3]
    heights = np.array([int(s[3]) for s in parts], dtype=np.float64)
    widths = np.array([int(s[2]) for s in parts], dtype=np.float64)
    typical = float(np.median(heights))
    joined = float(widths.max()) / max(typical, 1.0)
    if printed and joined < 3.0:
        return SignatureReading(False, 0.8, "printed", ink_box)
    if joined >= 2.0 or len(parts) <= 6:
        return SignatureReading(True, 0.92 if joined >= 3.0 else 0.8, "ink", ink_box)
    return SignatureReading(True, 0.6, "ink", ink_box)


def _clip(region: Box, shape: tuple[int, ...]) -> Box:
    height, width = shape[0], shape[1]
    return (max(0, region[0]), max(0, region[1]), min(width, region[2]), min(height, region[3]))
