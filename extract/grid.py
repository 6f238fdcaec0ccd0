"""Ruling lines and table cells found on a binarised page, and their removal before OCR."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from extract.page import Box, Gray

__all__ = ["Ruling", "find_cells", "find_ruling", "remove_ruling"]

# The numpy axis a line's pixels run along: a horizontal rule's along a row, a vertical one's
# down a column.
_Axis = Literal[0, 1]
_ALONG_ROWS: _Axis = 1
_DOWN_COLUMNS: _Axis = 0
# In the inverted page `find_ruling` opens: ink is bright.
_INK, _PAPER = 255, 0


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


# A rule or wall is no thicker than this (inches): a thicker stroke is a block of ink.
_THICKEST_RULE_INCHES = 0.08


def find_ruling(binary: Gray, dpi: float, grey: Gray | None = None) -> Ruling:
    """Long straight strokes: table rules and underlines (a line of at least ~0.6 inch).

    The mask also covers the short walls between cells (`_cell_walls`), which OCR must not
    see either; the segments are the rules alone.

    Args:
        binary: ink 0, paper 255.
        dpi: resolution, so the minimum line length is physical.
        grey: a photographed page the binary was made from, its illumination flattened:
            rules too faint in places to binarise whole are found on it (`_faint_rules`).
    """
    ink: Gray = np.asarray(cv2.bitwise_not(binary), dtype=np.uint8)
    length = max(20, int(dpi * 0.6))
    # Close small gaps a scanner leaves in a rule so one rule is one segment. (Each opening is
    # dilated at once: its large scratch array is freed before the next is taken.)
    h_runs = _open_along(ink, length, _ALONG_ROWS)
    if grey is not None:
        h_runs = np.asarray(cv2.bitwise_or(h_runs, _faint_rules(grey, dpi, length)),
                            dtype=np.uint8)
    h_mask: Gray = np.asarray(cv2.dilate(h_runs,
                                         cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3))),
                              dtype=np.uint8)
    v_mask: Gray = np.asarray(cv2.dilate(_open_along(ink, length, _DOWN_COLUMNS),
                                         cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9))),
                              dtype=np.uint8)
    thickest = dpi * _THICKEST_RULE_INCHES
    h_boxes = []
    for box in _segments(h_mask):
        if box[3] - box[1] > thickest:
            continue
        if _through_letters(ink, box, dpi):
            # Not a rule: the run of a bold word blurred into one bar ('Administered'). Left
            # in the mask, it would whiten the word out of the page OCR reads.
            h_mask[box[1]:box[3], box[0]:box[2]] = _PAPER
            continue
        h_boxes.append(box)
    v_boxes = [b for b in _segments(v_mask) if b[2] - b[0] <= thickest]
    mask = cv2.bitwise_or(h_mask, v_mask)
    walls = _cell_walls(ink, h_boxes, dpi, length)
    if walls is not None:
        mask = cv2.bitwise_or(mask, walls)
    # Top to bottom and left to right, then across: one order whatever order they were found in.
    return Ruling(tuple(sorted(h_boxes, key=lambda b: (b[1], b[0]))),
                  tuple(sorted(v_boxes, key=lambda b: (b[0], b[1]))), mask.astype(np.uint8))


def _faint_rules(grey: Gray, dpi: float, length: int) -> Gray:
    """Horizontal rules too faint in places to binarise whole, as ink (255) on paper (0).

    A phone photo's thin rule, lit unevenly and blurred, binarises as dark stretches a quarter
    inch long with gaps nearly as long between them: no run of it is a rule, it stays on the
    page the OCR reads, which reads its pieces as lines of 'ee mm ee' and loses the print and
    writing beside them (committed 0045: 'IPOL', 'POLIO' and the dates' rows). On the grey page
    it is a line darker than the paper just above and below it all along, however faintly; a
    line of writing has paper between its letters, and a shadow's edge is as dark on one side.
    """
    darkness = cv2.bitwise_not(grey)
    reach = max(2, round(_RIDGE_REACH_INCHES * dpi))
    beside = np.zeros_like(darkness)
    beside[reach:] = darkness[:-reach]
    beside[:-reach] = np.maximum(beside[:-reach], darkness[reach:])
    ridge = np.asarray(cv2.subtract(darkness, beside), dtype=np.uint8)
    runs = _open_along(ridge, length, _ALONG_ROWS)
    return np.where(runs >= _FAINT_RULE_LEVEL, _INK, _PAPER).astype(np.uint8)


# Paper this far (inches) above and below a rule is what its darkness is measured against.
_RIDGE_REACH_INCHES = 0.03
# A rule is at least this much darker (grey levels) than the paper above and below it, all
# along: a photo's faint rule 20 to 26 (committed 0045).
_FAINT_RULE_LEVEL = 15

# Ink this far (inches) beyond a horizontal run, above and below, is the body of the letters it
# runs through: a rule, however blurred, is a run along all its thickness, with paper beyond.
_LETTER_REACH_INCHES = 0.01
# Letters reach no further than this (inches) beyond the run through their middle.
_PAST_LETTERS_INCHES = 0.1
# A run with ink both above and below it over more than this share of its length runs through
# a line of letters; a rule is crossed only where a wall or a stroke of writing meets it.
_THROUGH_LETTERS_SHARE = 0.5


def _through_letters(ink: Gray, box: Box, dpi: float) -> bool:
    """Whether a horizontal run found as a rule runs through a line of letters run together.

    Through their middle (ink both ways) or along their foot or head (ink one way, for a
    letter's height at most). `box` is the run dilated by the mask's closing (a few pixels
    each way): the rows tested lie beyond that.
    """
    reach = max(2, round(_LETTER_REACH_INCHES * dpi))
    past = max(reach + 1, round(_PAST_LETTERS_INCHES * dpi))
    near = _inked_both_ways(ink, box, reach)
    if near is None or near <= _THROUGH_LETTERS_SHARE:
        # The run may be the foot or head of the word instead, its letters' bodies solid ink
        # on one side only ('IMMUNIZ' of a phone photo's bold title, 0.09 inch of ink over a
        # run along its last rows). A rule's blurred fringe is a few rows; a letter's body
        # goes on for a good part of its height and ends within it.
        body = round(_LETTER_BODY_INCHES * dpi)
        return any(body <= _solid_rows(ink, box, step, past) < past for step in (-1, 1))
    # Letters end a line's height away, on one side at least (the next line of print may be
    # close on the other), where a dark patch (a fax's shadowed margin, a stain binarised to
    # ink) goes on both ways: that is whitened as before.
    far = _inked_both_ways(ink, box, past)
    return far is not None and far <= _THROUGH_LETTERS_SHARE


# Letters' bodies run together reach at least this far (inches) to one side of a run at their
# foot or head: a third of a title's capitals.
_LETTER_BODY_INCHES = 0.03


def _solid_rows(ink: Gray, box: Box, step: Literal[-1, 1], limit: int) -> int:
    """How many rows past the run's box, upward (-1) or downward (1), are ink over most of it.

    Counts up to `limit`; a run of solid rows that reaches the page's edge counts as `limit`,
    as a dark patch would.
    """
    x0, y0, x1, y1 = box
    row = y0 - 1 if step < 0 else y1
    for count in range(limit):
        if not 0 <= row < ink.shape[0]:
            return limit
        if float((ink[row, x0:x1] > 0).mean()) <= _THROUGH_LETTERS_SHARE:
            return count
        row += step
    return limit


def _inked_both_ways(ink: Gray, box: Box, distance: int) -> float | None:
    """The share of a run's length inked `distance` pixels both above and below its box.

    None when either row lies off the page.
    """
    x0, y0, x1, y1 = box
    above, below = y0 - distance, y1 - 1 + distance
    if above < 0 or below >= ink.shape[0]:
        return None
    return float(((ink[above, x0:x1] > 0) & (ink[below, x0:x1] > 0)).mean())


# A cell wall is at least this tall (inches): a cell anyone writes in is taller. The edges of
# a shaded header band (0.15 inch) are not walls: whitened inside the grey band, they cost
# Tesseract the header word beside them ('VACCINE').
_WALL_MIN_INCHES = 0.2
# ...and each of its ends is within this much (inches) of a horizontal rule: a printed wall
# meets the rules, while writing in a row keeps clear of them.
_WALL_END_INCHES = 0.01


def _cell_walls(ink: Gray, rules: list[Box], dpi: float, rule_length: int) -> Gray | None:
    """Short vertical strokes that run from one horizontal rule to the next: cell walls.

    The wall between two fields of a form's patient block ('Name' | 'Birthdate') is one row
    tall, shorter than a ruling line, so it stayed on the page OCR reads and took the label
    beside it into one word ('Birthdate:' read as 'i' 'hdate:'). A handwritten stroke that
    tall is seldom upright and never ends on both rules. Only the removal mask takes them:
    the table's columns are found from whole ruling lines, as before.
    """
    if len(rules) < 2:
        return None
    length = max(8, int(dpi * _WALL_MIN_INCHES))
    tolerance = max(2, int(dpi * _WALL_END_INCHES))
    # Two pixels either side: a wall's edges off its straight core, left on the page, were
    # read as an 'I' beside the label.
    upright: Gray = np.asarray(cv2.dilate(_open_along(ink, length, _DOWN_COLUMNS),
                                          cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3))),
                               dtype=np.uint8)

    def on_a_rule(x0: int, x1: int, y: int) -> bool:
        return any(r[0] - tolerance <= x0 and x1 <= r[2] + tolerance
                   and r[1] - tolerance <= y <= r[3] + tolerance for r in rules)

    walls = np.zeros_like(upright)
    for x0, y0, x1, y1 in _segments(upright):
        # A wall as long as a rule is one: it is in the ruling already.
        if (x1 - x0 <= dpi * _THICKEST_RULE_INCHES and y1 - y0 < rule_length
                and on_a_rule(x0, x1, y0) and on_a_rule(x0, x1, y1)):
            walls[y0:y1, x0:x1] = upright[y0:y1, x0:x1]
    return walls


def _open_along(ink: Gray, length: int, axis: _Axis) -> Gray:
    """The ink of straight runs at least `length` pixels long along `axis`: its opening by a line.

    Exactly what `cv2.morphologyEx(ink, cv2.MORPH_OPEN, line)` gives for a `length` x 1
    rectangle along `axis` (OpenCV's default anchor and border), in about a quarter of the
    time. OpenCV reads all `length` pixels under the line for each pixel (180 at 300 dpi) in
    the erosion and again in the dilation: two thirds of `find_ruling`'s time. Here the
    minimum (then the maximum) of a run of pixels is built up by doubling, as the extreme of
    two shorter runs, so the erosion and the dilation take about log2(`length`) passes over
    the page each, of one comparison per pixel. The result is a view into a scratch array.
    """
    # OpenCV's anchor: the line reaches `before` pixels back from its pixel and `after` on.
    before = length // 2
    after = length - 1 - before
    size = ink.shape[axis]
    # OpenCV's erosion and dilation leave out what lies beyond the page. For the erosion,
    # margins of ink do the same (a minimum passes over ink): the page sits `2 * before` in,
    # `after` short of the end. Each pass keeps a run's extreme at the run's first pixel, so the
    # erosion of page pixel i lands at i + before, and the dilation of that back at i.
    margins = (0, 0, 2 * before, after) if axis == _ALONG_ROWS else (2 * before, after, 0, 0)
    padded: Gray = np.asarray(
        cv2.copyMakeBorder(ink, *margins, cv2.BORDER_CONSTANT, value=_INK), dtype=np.uint8
    )
    eroded, spare = _run_extremes(padded, np.empty_like(padded), length, axis, cv2.min)
    # For the dilation, paper does (a maximum passes over paper): over the erosions off the
    # page, and over what is left stale past the last whole run.
    total = eroded.shape[axis]
    _stretch(eroded, axis, 0, before)[...] = _PAPER
    _stretch(eroded, axis, before + size, total - before - size)[...] = _PAPER
    opened, _ = _run_extremes(eroded, spare, length, axis, cv2.max)
    return _stretch(opened, axis, 0, size)


def _run_extremes(values: Gray, spare: Gray, length: int, axis: _Axis,
                  extreme: Callable[[Gray, Gray, Gray], object]) -> tuple[Gray, Gray]:
    """The extreme of each run of `length` values along `axis`, kept at the run's first value.

    `extreme` is `cv2.min` or `cv2.max`; passes alternate between `values` and `spare`, and
    runs that would pass the end are left stale. Returns the array holding the result, then
    the other one, free for reuse.
    """
    span = 1
    valid = values.shape[axis]
    while span < length:
        # Two runs of `span` at most `span` apart leave no gap: together, one run longer by
        # `step`. Doubling, and a last step just long enough.
        step = min(span, length - span)
        valid -= step
        # OpenCV writes into the view of `spare` it is given (the layouts match; it would
        # raise rather than copy).
        extreme(_stretch(values, axis, 0, valid), _stretch(values, axis, step, valid),
                _stretch(spare, axis, 0, valid))
        values, spare = spare, values
        span += step
    return values, spare


def _stretch(image: Gray, axis: _Axis, start: int, count: int) -> Gray:
    """A view of `count` rows (axis 0) or columns (axis 1) from `start`."""
    return image[:, start:start + count] if axis == _ALONG_ROWS else image[start:start + count]


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
