"""Ruling lines and table cells found on a binarised page, and their removal before OCR."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.page import Box, Gray

__all__ = ["Ruling", "find_cells", "find_ruling", "remove_ruling"]


@dataclass(frozen=True, slots=True)
class Ruling:
    """Horizontal and vertical ruling-line segments as boxes, and the ink mask they cover."""

    horizontal: tuple[Box, ...]
    vertical: tuple[Box, ...]
    mask: Gray


def _segments(mask: Gray) -> list[Box]:
    """The box of each 8-connected stroke of `mask`.

    The outer contours' boxes, which are the components' boxes: tracing the borders of a few
    dozen rules is a tenth of the time of labelling every pixel of the page.
    """
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        boxes.append((int(x), int(y), int(x + w), int(y + h)))
    return boxes


def find_ruling(binary: Gray, dpi: float) -> Ruling:
    """Long straight strokes: table rules and underlines (a line of at least ~0.6 inch).

    Args:
        binary: ink 0, paper 255.
        dpi: resolution, so the minimum line length is physical.
    """
    ink = cv2.bitwise_not(binary)
    length = max(20, int(dpi * 0.6))
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    )
    # Close small gaps a scanner leaves in a rule so one rule is one segment.
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    h_mask: Gray = np.asarray(horizontal, dtype=np.uint8)
    v_mask: Gray = np.asarray(vertical, dtype=np.uint8)
    h_boxes = [b for b in _segments(h_mask) if b[3] - b[1] <= dpi * 0.08]
    v_boxes = [b for b in _segments(v_mask) if b[2] - b[0] <= dpi * 0.08]
    mask = cv2.bitwise_or(horizontal, vertical)
    # Top to bottom and left to right, then across: one order whatever order they were found in.
    return Ruling(tuple(sorted(h_boxes, key=lambda b: (b[1], b[0]))),
                  tuple(sorted(v_boxes, key=lambda b: (b[0], b[1]))), mask.astype(np.uint8))


def remove_ruling(image: Gray, ruling: Ruling) -> Gray:
    """The page with ruling lines painted paper-white, so OCR does not read them as characters."""
    cleaned = image.copy()
    cleaned[ruling.mask > 0] = 255
    return cleaned


def find_cells(ruling: Ruling, min_size: int = 12) -> list[Box]:
    """Rectangles enclosed by ruling lines, read row by row.

    A cell is bounded by consecutive horizontal rules and consecutive vertical rules that both
    span it; cells smaller than `min_size` pixels (rule thickness) are dropped.
    """
    cells: list[Box] = []
    rows = _merge_positions([(b[1] + b[3]) // 2 for b in ruling.horizontal])
    cols = _merge_positions([(b[0] + b[2]) // 2 for b in ruling.vertical])
    for top, bottom in zip(rows, rows[1:], strict=False):
        for left, right in zip(cols, cols[1:], strict=False):
            if bottom - top < min_size or right - left < min_size:
                continue
            mid_x, mid_y = (left + right) // 2, (top + bottom) // 2
            if _spans(ruling.horizontal, mid_x, top, True) and _spans(
                ruling.vertical, mid_y, left, False
            ):
                cells.append((left, top, right, bottom))
    return cells


def _merge_positions(values: list[int], gap: int = 8) -> list[int]:
    merged: list[int] = []
    for value in sorted(values):
        if merged and value - merged[-1] <= gap:
            continue
        merged.append(value)
    return merged


def _spans(lines: tuple[Box, ...], along: int, at: int, horizontal: bool) -> bool:
    for x0, y0, x1, y1 in lines:
        if horizontal and x0 <= along <= x1 and abs((y0 + y1) // 2 - at) <= 8:
            return True
        if not horizontal and y0 <= along <= y1 and abs((x0 + x1) // 2 - at) <= 8:
            return True
    return False
