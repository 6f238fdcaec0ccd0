"""Checkboxes: find the small square left of a printed statement and whether it is marked."""

from __future__ import annotations

import cv2
import numpy as np

from extract.page import Box, Gray

__all__ = ["checkbox_ink"]


def checkbox_ink(binary: Gray, statement: Box) -> float:
    """Share of ink inside the checkbox printed just left of `statement` (0 when unmarked).

    The box is looked for as a square outline with a hole, about a line high, in a strip from
    a few line heights left of the statement to just into its first word (OCR sometimes glues
    the box and its mark to that word). Its border is excluded so only a mark (X, tick, fill)
    counts. Without such a square, the ink left of the statement is measured instead, so a bare
    handwritten X still counts.
    """
    height = max(4, statement[3] - statement[1])
    x0 = max(0, statement[0] - 4 * height)
    y0 = max(0, statement[1] - height)
    x1 = min(binary.shape[1], statement[0] + 2 * height)
    y1 = min(binary.shape[0], statement[3] + height)
    strip = binary[y0:y1, x0:x1]
    if strip.size == 0:
        return 0.0
    ink = cv2.bitwise_not(strip)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    squares = []
    for index, contour in enumerate(contours):
        has_hole = hierarchy is not None and hierarchy[0][index][2] >= 0
        x, y, w, h = cv2.boundingRect(contour)
        if has_hole and 0.6 * height <= h <= 2.5 * height and 0.7 <= w / max(h, 1) <= 1.4:
            squares.append((w * h, x, y, w, h))
    if squares:
        _, x, y, w, h = max(squares)
        inset = max(2, int(min(w, h) * 0.18))
        inner = ink[y + inset : y + h - inset, x + inset : x + w - inset]
        return float((inner > 0).mean()) if inner.size else 0.0
    left = ink[:, : max(1, statement[0] - 2 - x0)]
    return float(np.mean(left > 0))
