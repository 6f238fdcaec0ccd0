"""Tables found by their printed column headers: columns from headers and rules, rows from rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

from extract.dates import DateKind, parse_date
from extract.draft import PageText, TextField
from extract.grid import Ruling, find_ruling
from extract.layout import Line, find_label, group_lines, normalise, text_extent
from extract.page import Box, PageSource, Word, union_box

__all__ = ["WRITTEN", "Column", "Table", "TableRow", "cell_field", "find_table", "ink_share",
           "own_ink_share", "rule_near", "table_under_unread_header"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column's name and horizontal extent."""

    name: str
    x0: int
    x1: int


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row: the words in each column, the row's band and page."""

    cells: dict[str, tuple[Word, ...]]
    box: Box
    page: int

    def text(self, column: str) -> str:
        """The text in `column`, words in reading order."""
        return " ".join(w.text for line in group_lines(self.cells.get(column, ())) for w in
                        line.words)


@dataclass(frozen=True, slots=True)
class Table:
    """A table's columns, header box and rows."""

    columns: tuple[Column, ...]
    header: Box
    rows: tuple[TableRow, ...]
    ruling: Ruling | None = None

    def column(self, name: str) -> Column | None:
        """The column called `name`, if the table has it."""
        return next((c for c in self.columns if c.name == name), None)

    def cell_box(self, row: TableRow, name: str) -> Box | None:
        """The box of `row`'s cell in column `name`, written in or not; None without it."""
        column = self.column(name)
        return None if column is None else (column.x0, row.box[1], column.x1, row.box[3])


def cell_field(row: TableRow, column: str) -> TextField:
    """The text in one cell as a field, boxed by its words (or by the empty cell)."""
    words = [w for line in group_lines(row.cells.get(column, ())) for w in line.words]
    if not words:
        return TextField("", 0.0, row.page, None)
    box = union_box([w.box for w in words])
    confidence = sum(w.confidence for w in words) / len(words)
    return TextField(" ".join(w.text for w in words), confidence, row.page, box)


# Ratios at which printed header and stop labels are recognised despite OCR slips.
_HEADER_RATIO = 0.78
_STOP_RATIO = 0.85


# What `normalise` leaves of a label, spaces aside: the letters and digits counted below.
_COUNTED = "abcdefghijklmnopqrstuvwxyz0123456789"
_COUNTED_CODES = np.frombuffer(_COUNTED.encode("ascii"), dtype=np.uint8)


@dataclass(frozen=True, slots=True)
class _Label:
    """A printed label as `find_label` compares it.

    Its letters and digits counted (in `_COUNTED`'s order), its spaces, length and words.
    """

    counts: np.ndarray
    spaces: int
    length: int
    words: int


@cache
def _label(label: str) -> _Label:
    target = normalise(label)
    return _Label(_letter_counts([target])[0], target.count(" "), len(target),
                  len(target.split()))


def _letter_counts(texts: list[str]) -> np.ndarray:
    """Each normalised text's count of every counted character: one row per text."""
    data = "".join(texts).encode("ascii")
    owner = np.repeat(np.arange(len(texts)), [len(text) for text in texts])
    table = np.bincount(owner * 256 + np.frombuffer(data, dtype=np.uint8),
                        minlength=len(texts) * 256).reshape(len(texts), 256)
    return table[:, _COUNTED_CODES]


class _Letters:
    """Which labels a page's lines could hold: a cheap, exact pre-check before `find_label`.

    difflib's ratio is 2M/(|a|+|b|) for M matched characters, and M ≤ |a|, so a ratio of r
    needs M ≥ r|b|/(2-r). M is at most the label's characters (with their counts) found in
    the words compared, and `find_label` compares runs of at most one word more than the label
    has. A line none of whose runs holds enough of the label's characters cannot match:
    skipping it changes no result, it only spares difflib the lines it would reject. The runs
    of every line are counted at once, as arrays: a CAIR2 page asks a dozen labels of a
    hundred lines.
    """

    def __init__(self, lines: list[Line], min_ratio: float) -> None:
        self._ratio = min_ratio
        words = [normalise(w.text) for line in lines for w in line.words]
        counts = _letter_counts(words) if words else np.zeros((0, len(_COUNTED)), dtype=int)
        # The counts of the words before each word (and before the end): a run's counts are
        # the difference of two of these.
        self._before = np.vstack([np.zeros((1, len(_COUNTED)), dtype=counts.dtype),
                                  np.cumsum(counts, axis=0)])
        lengths = [len(line.words) for line in lines]
        # Where each line's words start, and for each word where its line starts and ends.
        self._starts = np.cumsum([0, *lengths])[:-1]
        self._line_start = np.repeat(self._starts, lengths)
        self._line_end = self._line_start + np.repeat(lengths, lengths)
        self._holding: dict[str, np.ndarray] = {}
        self._runs: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    @property
    def line_count(self) -> int:
        """How many lines the page has."""
        return len(self._starts)

    def may_hold(self, index: int, label: str) -> bool:
        """Whether line `index` could hold `label` at the ratio."""
        return bool(self.holding(label)[index])

    def holding(self, label: str) -> np.ndarray:
        """For each line, whether it could hold `label` at the ratio."""
        if label not in self._holding:
            self._holding[label] = self._check(_label(label))
        return self._holding[label]

    def _runs_of(self, span: int) -> tuple[np.ndarray, np.ndarray]:
        """The counts of the run of `span` words from each word, cut at its line's end.

        And whether `find_label` compares that run: one from every start that leaves `span`
        words on the line, a line's words all together when it has fewer.
        """
        if span not in self._runs:
            first = np.arange(len(self._line_start))
            last = np.minimum(first + span, self._line_end)
            compared = first - self._line_start < np.maximum(
                1, self._line_end - self._line_start - span + 1)
            self._runs[span] = (self._before[last] - self._before[first], compared)
        return self._runs[span]

    def _check(self, label: _Label) -> np.ndarray:
        if not self.line_count:
            return np.zeros(0, dtype=bool)
        # Spaces are counted as matched whatever the words: joining them adds some.
        need = self._ratio * label.length / (2 - self._ratio) - label.spaces - 1e-9
        runs, compared = self._runs_of(label.words + 1)
        enough = compared & (np.minimum(runs, label.counts).sum(axis=1) >= need)
        holding: np.ndarray = np.logical_or.reduceat(enough, self._starts)
        return holding


def _header_hits(lines: list[Line], index: int, headers: dict[str, tuple[str, ...]],
                 letters: _Letters) -> dict[str, Box]:
    """Header labels found on line `index` or the line just below (two-line headers)."""
    hits: dict[str, Box] = {}
    line_of: dict[str, int] = {}
    for name, labels in headers.items():
        for label in labels:
            # Only the lines that could hold the label are searched; the line index found is
            # still counted from `index`.
            held = [i for i in range(index, min(index + 2, len(lines)))
                    if letters.may_hold(i, label)]
            if not held:
                continue
            found = find_label([lines[i] for i in held], label, min_ratio=_HEADER_RATIO)
            if found is not None and (index == 0 or held[found[1]] == index or name not in hits):
                hits[name] = found[0]
                line_of[name] = held[found[1]]
                break
    return _in_print_order(hits, line_of, list(headers))


def _in_print_order(hits: dict[str, Box], line_of: dict[str, int],
                    order: list[str]) -> dict[str, Box]:
    """The hits that stand left to right as the columns are printed (`order`).

    A title just above the header ('OTHER VACCINES' over a header whose small 'VACCINE' was not
    read) would otherwise head a column right of the date's. The line with the most hits is
    kept, and a hit from the other line only where it keeps the order.
    """
    def ordered(chosen: dict[str, Box]) -> bool:
        lefts = [chosen[name][0] for name in order if name in chosen]
        return lefts == sorted(lefts)

    if ordered(hits):
        return hits
    main = Counter(line_of.values()).most_common(1)[0][0]
    kept = {name: box for name, box in hits.items() if line_of[name] == main}
    for name in order:
        if name in hits and name not in kept and ordered({**kept, name: hits[name]}):
            kept[name] = hits[name]
    return kept


def _partly_read_headers(lines: list[Line], headers: dict[str, tuple[str, ...]],
                         hits: dict[str, Box]) -> dict[str, Box]:
    """`hits` and the headers of several words read with one of them right, in their place.

    A phone photo's small print comes out 'ace Name' for 'Trade Name': unread, the column's
    words would fall to the column left of it. A word of a label is taken for it only on the
    header line, between the headers found before and after it in print order (`headers`
    lists columns left to right), and with the words before it that the label puts there.
    """
    order = list(headers)
    found = dict(hits)
    for position, name in enumerate(order):
        if name in found:
            continue
        left = max((found[n][2] for n in order[:position] if n in found), default=-1)
        right = min((found[n][0] for n in order[position + 1:] if n in found),
                    default=1 << 30)
        for label in headers[name]:
            parts = normalise(label).split()
            box = None if len(parts) < 2 else _label_word(lines, parts, left, right)
            if box is not None:
                found[name] = box
                break
    return found


def _label_word(lines: list[Line], parts: list[str], left: int, right: int) -> Box | None:
    """Where one word of a label (four letters or more) is read between `left` and `right`."""
    for line in lines:
        words = [w for w in sorted(line.words, key=lambda w: w.box[0])
                 if left < w.box[0] and w.box[2] < right]
        for position, word in enumerate(words):
            text = normalise(word.text)
            if len(text) >= _PART_LETTERS and text in parts:
                before = parts.index(text)
                return union_box([w.box for w in words[max(0, position - before) : position + 1]])
    return None


# Letters a word must have to stand for its label alone: 'Name', 'Date', not 'of' or 'OR'.
_PART_LETTERS = 4


def _possible_headers(letters: _Letters, headers: dict[str, tuple[str, ...]]) -> list[int]:
    """For each line, how many columns' headers it and the line below could hold at most."""
    possible = np.zeros(letters.line_count, dtype=int)
    for labels in headers.values():
        held = np.logical_or.reduce([letters.holding(label) for label in labels])
        possible += held | np.append(held[1:], False)
    return [int(count) for count in possible]


def _find_stop(lines: list[Line], letters: _Letters, label: str) -> Box | None:
    """The box of a label ending the table, looked for on the lines that could hold it."""
    candidates = [lines[index] for index in np.flatnonzero(letters.holding(label))]
    found = find_label(candidates, label, min_ratio=_STOP_RATIO)
    return None if found is None else found[0]


def find_table(
    page: PageText,
    headers: dict[str, tuple[str, ...]],
    *,
    stop_labels: tuple[str, ...] = (),
    min_headers: int = 2,
    ruling: Ruling | None = None,
    span: tuple[int, int] | None = None,
    entries_by_line: bool = False,
    printed_rows: bool = False,
) -> Table | None:
    """Find a table by its column headers and cut the words below into rows and columns.

    Args:
        page: the page and its words.
        headers: column name → printed labels that head it (any one suffices).
        stop_labels: printed text that ends the table (a following section's title).
        min_headers: how many columns must be found for the line to count as the header.
        ruling: the page's ruling lines (found from the page when omitted).
        span: the horizontal extent to look in, for tables printed side by side.
        entries_by_line: each line written in the first column is an entry of its own, dated or
            not (a list, not a card whose cells hold a sticker's lines).
        printed_rows: each line printed across the columns is a row of its own, its date read
            or not (a registry's report, whose rows are one line each).
    """
    left_edge, right_edge = span if span is not None else (0, page.page.size[0])
    # What ends the table is looked for across the whole page, not only in the span.
    all_lines = group_lines(page.words)
    words = [w for w in page.words if left_edge <= w.cx < right_edge]
    if ruling is None:
        ruling = page.ruling
    page = PageText(page.page, tuple(words), page.ocr_image, page.ruling)
    lines = group_lines(page.words)
    letters = _Letters(lines, _HEADER_RATIO)
    possible = _possible_headers(letters, headers)
    # The header is the first line with the most labels. Lines are tried most promising first,
    # and one that cannot beat the best found so far is skipped: the same line wins, sooner.
    best: tuple[int, int, dict[str, Box]] | None = None
    for index in sorted(range(len(lines)), key=lambda i: -possible[i]):
        if possible[index] < min_headers or (best is not None and (
                possible[index] < best[1] or (possible[index] == best[1] and index > best[0]))):
            continue
        hits = _header_hits(lines, index, headers, letters)
        if len(hits) >= min_headers and (best is None or len(hits) > best[1] or (
                len(hits) == best[1] and index < best[0])):
            best = (index, len(hits), hits)
    if best is None:
        return None
    index, _, hits = best
    hits = _partly_read_headers(lines[index : index + 2], headers, hits)
    return _table_below(page, all_lines, headers, hits, _header_box(list(hits.values())),
                        ruling, stop_labels, (left_edge, right_edge),
                        entries_by_line=entries_by_line, printed_rows=printed_rows)


def table_under_unread_header(page: PageText, headers: dict[str, tuple[str, ...]], top: int,
                              *, stop_labels: tuple[str, ...] = ()) -> Table | None:
    """A ruled table whose header row was not read at all, its rows from `top` down.

    A blurred strip card's header is print a tenth of an inch high that the page read leaves
    unread, while the rules under it stand out. Its columns are named by position, as
    `_columns_by_rules` names the columns of unread headers; None unless the rules cut the
    table into exactly one column per header.
    """
    ruling = _page_ruling(page)
    if ruling is None:
        return None
    # The table is as wide as its row rules: a dark line at the scan's edge is no column's.
    below = [b for b in ruling.horizontal if b[1] > top]
    if not below:
        return None
    longest = max(b[2] - b[0] for b in below)
    widest = [b for b in below if b[2] - b[0] >= _ACROSS_THE_GRID * longest]
    span = (min(b[0] for b in widest), max(b[2] for b in widest))
    header = (span[0], top - 1, span[1], top)
    bottom = max(b[3] for b in widest)
    return _table_below(page, group_lines(page.words), headers, {}, header,
                        _with_borders(ruling, span, top, bottom, page.page.dpi), stop_labels,
                        span)


def _with_borders(ruling: Ruling, span: tuple[int, int], top: int, bottom: int,
                  dpi: float) -> Ruling:
    """The ruling with the grid's left and right borders where they were not found.

    On a blurred phone photo of a strip card the outer border, printed at the card's edge and
    softened into its shadow, is lost where the column rules inside it are found (seed 99's
    0003: rules at 280, 520 and 855 px, none at the row rules' ends, 55 and 1039): an edge
    short on each side, the columns could not be named by position. The row rules end at the
    border, so their ends stand for it.
    """
    near = _BORDER_INCHES * dpi
    inside = [b for b in ruling.vertical if _within(b, *span)]
    added = tuple((x, top, x + 1, bottom) for x in span
                  if not rule_near(inside, x, top, bottom, near))
    return Ruling(ruling.horizontal, ruling.vertical + added, ruling.mask)


def rule_near(rules: Iterable[Box], x: int, top: int, bottom: int, near: float) -> bool:
    """Whether a vertical rule crossing the band from `top` to `bottom` stands near `x`.

    `near`: in pixels, either side.
    """
    return any(abs(_centre(rule) - x) <= near and rule[1] < bottom and rule[3] > top
               for rule in rules)


def _centre(rule: Box) -> int:
    """Where a vertical rule stands across the page."""
    return (rule[0] + rule[2]) // 2


def _within(rule: Box, left_edge: int, right_edge: int) -> bool:
    """Whether a vertical rule stands within a table's edges (a few pixels past them too)."""
    return left_edge - _EDGE_SLACK <= _centre(rule) <= right_edge + _EDGE_SLACK


# A vertical rule this near a row rule's end is the grid's border.
_BORDER_INCHES = 0.1
# A table's column rules reach this many pixels past its row rules' ends.
_EDGE_SLACK = 10
# A rule across the dose grid is at least this share of its longest: the row rules, not the
# short rules of a cell or a stamp's edge.
_ACROSS_THE_GRID = 0.8


def _page_ruling(page: PageText) -> Ruling | None:
    """The page's ruling lines, or None for a text layer.

    Found when the page was read (pipeline._read_ocr), else from its binary image.
    """
    if page.ruling is not None:
        return page.ruling
    if page.page.binary is not None and page.page.source is PageSource.IMAGE:
        return find_ruling(page.page.binary, page.page.dpi)
    return None


def _table_below(page: PageText, all_lines: list[Line], headers: dict[str, tuple[str, ...]],
                 hits: dict[str, Box], header: Box, ruling: Ruling | None,
                 stop_labels: tuple[str, ...], span: tuple[int, int], *,
                 entries_by_line: bool = False, printed_rows: bool = False) -> Table | None:
    """The table under `header`: its bottom, its columns (from `hits` and rules), its rows.

    None when nothing names its columns: no header read and no rules to name them by.
    """
    left_edge, right_edge = span
    if ruling is None:
        ruling = _page_ruling(page)
    bottom = page.page.size[1]
    all_letters = _Letters(all_lines, _STOP_RATIO)
    for label in stop_labels:
        stop = _find_stop(all_lines, all_letters, label)
        if stop is not None and stop[1] > header[3]:
            bottom = min(bottom, stop[1] - 2)
    # Columns come from the rules that run through this table, not from another table's.
    rules = _rules_within(ruling, header, bottom)
    columns = _columns_by_rules(hits, list(headers), rules, left_edge, right_edge) or (
        _columns(hits, right_edge, rules, left_edge, first=next(iter(headers))) if hits else [])
    if not columns:
        return None
    rows = _rows(page, header, bottom, columns, ruling, entries_by_line, printed_rows)
    return Table(tuple(columns), header, tuple(rows), ruling)


def _rules_within(ruling: Ruling | None, header: Box, bottom: int) -> Ruling | None:
    """The ruling with only the vertical rules that run mostly between the header and `bottom`.

    A form prints other tables above or below the dose grid (a TB-test box, the patient
    block); their column rules must not cut the grid's columns.
    """
    if ruling is None:
        return None
    kept = tuple(b for b in ruling.vertical
                 if min(b[3], bottom) - max(b[1], header[1]) >= 0.5 * (b[3] - b[1]))
    return Ruling(ruling.horizontal, kept, ruling.mask)


def _columns_by_rules(hits: dict[str, Box], names: list[str], ruling: Ruling | None,
                      left_edge: int, right_edge: int) -> list[Column] | None:
    """Columns from the vertical rules when there is one rule-bounded column per header.

    Small or faded header text is often partly unread; when the rules cut the table into as
    many columns as there are headers and every header that was read sits in its own column in
    the printed order, the unread ones are named by position.
    """
    if ruling is None or len(hits) == len(names):
        return None
    xs: list[int] = []
    previous = None
    for x in sorted(_centre(b) for b in ruling.vertical if _within(b, left_edge, right_edge)):
        # A rule a skewed scan leaves a little tilted comes in pieces a few pixels apart.
        if previous is None or x - previous > 12:
            xs.append(x)
        previous = x
    if len(xs) != len(names) + 1:
        return None
    columns = [Column(name, x0, x1) for name, x0, x1 in zip(names, xs, xs[1:], strict=False)]
    for name, box in hits.items():
        column = next(c for c in columns if c.name == name)
        if not column.x0 <= (box[0] + box[2]) / 2 <= column.x1:
            return None
    return columns


def _columns(hits: dict[str, Box], width: int, ruling: Ruling | None,
             left_edge: int = 0, first: str | None = None) -> list[Column]:
    """Columns from the headers read, bounded by the vertical rules between them.

    `first`: the table's first printed column. When its header was not read (small print on a
    shaded, noisy header row) and there is room for it left of the first header that was, it
    is that room; without this the next column would take in the first one's words.
    """
    ordered = sorted(hits.items(), key=lambda item: item[1][0])
    rules = sorted({_centre(b) for b in ruling.vertical
                    if _within(b, left_edge, width)}) if ruling else []
    starts: list[int] = []
    for position, (_, box) in enumerate(ordered):
        previous_end = ordered[position - 1][1][2] if position else left_edge
        # The nearest vertical rule between the previous header and this one bounds the column;
        # without rules, a little left of the header (handwriting starts before printed labels).
        between = [x for x in rules if previous_end <= x <= box[0] + 4]
        starts.append(between[-1] if between else max(previous_end, box[0] - _height(box)))
    left = left_edge if not rules else min(starts[0], min(rules))
    if first is not None and first not in hits:
        room = _UNREAD_COLUMN_HEIGHTS * _height(ordered[0][1])
        if ruling is not None:
            # The table's side left unfound as a rule (a strip card's faint edge against the
            # scanner lid): its row rules begin there, a column's room left of the leftmost
            # rule.
            under = max(b[3] for _, b in ordered)
            row_start = min((b[0] for b in ruling.horizontal
                             if b[1] > under and left_edge - 10 <= b[0] < starts[0] <= b[2]),
                            default=left)
            if left - row_start >= room:
                left = row_start
        if starts[0] - left >= room:
            ordered.insert(0, (first, (left, 0, left, 0)))
            starts.insert(0, left)
    starts[0] = left
    # The last column ends at the table's right border when it is ruled, else at the edge.
    last = ordered[-1][1]
    border = [x for x in rules if x >= last[2] - 4]
    ends = starts[1:] + [border[0] if border else width]
    return [Column(name, x0, x1) for (name, _), x0, x1 in zip(ordered, starts, ends, strict=True)]


# Room left of the first header read, in header heights, that holds an unread first column.
_UNREAD_COLUMN_HEIGHTS = 3


def _header_box(labels: list[Box]) -> Box:
    """The box around a table's header labels, as high as their printed text (text_extent)."""
    top, bottom = text_extent(labels)
    return min(box[0] for box in labels), top, max(box[2] for box in labels), bottom


def _height(box: Box) -> int:
    """A header's height (at least 8 pixels): the unit for gaps between columns."""
    return max(8, box[3] - box[1])


def _rows(page: PageText, header: Box, bottom: int, columns: list[Column],
          ruling: Ruling | None, entries_by_line: bool = False,
          printed_rows: bool = False) -> list[TableRow]:
    left, right = columns[0].x0, columns[-1].x1
    body = [w for w in page.words
            if header[3] + 2 < w.cy < bottom and left <= w.cx <= right]
    bands = _bands_from_rules(header, bottom, ruling, left, right)
    if len(bands) < 2:
        bands = _line_bands(group_lines(body), header[3] + 2, bottom)
    else:
        bands = _split_bands(_unruled_ends(bands, body, columns, header[3] + 2, bottom), body,
                             columns, entries_by_line, printed_rows)
    rows: list[TableRow] = []
    for top, low in bands:
        in_band = [w for w in body if top <= w.cy < low]
        cells = {c.name: tuple(w for w in in_band if c.x0 <= w.cx < c.x1) for c in columns}
        rows.append(TableRow(cells, (left, top, right, low), page.page.number))
    return rows


def _unruled_ends(bands: list[tuple[int, int]], body: list[Word], columns: list[Column],
                  top: int, bottom: int) -> list[tuple[int, int]]:
    """Add the rows above the first rule found and below the last one.

    A registry prints a rule only between groups, and a faint or broken rule is not found:
    rows between the header and the first rule found, or after the last, are rows all the
    same when they hold a word in the second (key) column. Below the last rule, lines are
    taken while they follow each other closely, so text under the table is left out.
    """
    key = columns[1] if len(columns) > 1 else columns[0]

    def keyed(lines: list[Line]) -> bool:
        return any(key.x0 <= w.cx < key.x1 for line in lines for w in line.words)

    out = list(bands)
    lead = group_lines([w for w in body if top <= w.cy < bands[0][0]])
    if lead and keyed(lead):
        out.insert(0, (top, bands[0][0]))
    start = bands[-1][1]
    trail: list[Line] = []
    for line in group_lines([w for w in body if start <= w.cy < bottom]):
        previous = trail[-1].box[3] if trail else start
        # The gap is measured in lines of text: a speck read as '_' (2 pixels tall) between
        # two rows is no line to measure by, and ended the table at it.
        height = max(line.box[3] - line.box[1], trail[-1].box[3] - trail[-1].box[1] if trail
                     else 0)
        if line.box[1] - previous > 2.5 * max(1, height):
            break
        trail.append(line)
    if trail and keyed(trail):
        height = trail[-1].box[3] - trail[-1].box[1]
        out.append((start, min(bottom, trail[-1].box[3] + height)))
    return out


def _line_bands(lines: list[Line], top: int, bottom: int) -> list[tuple[int, int]]:
    """Rows of an unruled table: each text line, widened to halfway to its neighbours.

    A cell is re-read from its crop, so the band must hold the whole line with some paper
    around it, not only the box OCR drew around the letters.
    """
    bands: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        height = line.box[3] - line.box[1]
        above = (lines[index - 1].box[3] + line.box[1]) // 2 if index else max(
            top, line.box[1] - height)
        below = (line.box[3] + lines[index + 1].box[1]) // 2 if index + 1 < len(lines) else min(
            bottom, line.box[3] + height)
        bands.append((max(above, line.box[1] - height), min(below, line.box[3] + height)))
    return bands


def _split_bands(bands: list[tuple[int, int]], body: list[Word],
                 columns: list[Column], entries_by_line: bool = False,
                 printed_rows: bool = False) -> list[tuple[int, int]]:
    """Split a ruled band holding several printed rows (a registry groups rows under one rule).

    A band is split only when at least two of its text lines have their own word in the second
    column (a date each), so one handwritten entry with a jittery baseline stays one row. With
    `entries_by_line`, a line with a word in the first column and no dated line level with it
    is an entry too (a vaccine listed without its date, under a rule a scan broke). With
    `printed_rows`, so is a line with words in two columns or more right of the dates and no
    dated line level with it: a registry row whose date the page read skipped (a phone photo's
    '12/05/2023' beside '2  DTaP, UF'), which otherwise joined the row above and was lost.
    """
    if len(columns) < 2:
        return bands
    first, key = columns[0], columns[1]

    def undated_row(line: Line) -> bool:
        """Whether a line with no date of its own is a row all the same."""
        return (entries_by_line and any(first.x0 <= w.cx < first.x1 for w in line.words)) or (
            printed_rows and sum(any(c.x0 <= w.cx < c.x1 for w in line.words)
                                 for c in columns[2:]) >= 2)

    out: list[tuple[int, int]] = []
    for top, bottom in bands:
        lines = group_lines([w for w in body if top <= w.cy < bottom])
        dated_lines = [ln for ln in lines if any(key.x0 <= w.cx < key.x1 for w in ln.words)]
        keyed = [part for ln in dated_lines for part in _stacked_dates(ln, key)]
        keyed += [ln for ln in lines if ln not in dated_lines and undated_row(ln)
                  and not any(_level(ln, dated) for dated in keyed)]
        keyed.sort(key=lambda ln: ln.box[1])
        if len(keyed) < 2:
            out.append((top, bottom))
            continue
        edges = [top] + [_edge(above, below) for above, below in zip(
            keyed, keyed[1:], strict=False)] + [bottom]
        out.extend(zip(edges, edges[1:], strict=False))
    return out


def _edge(above: Line, below: Line) -> int:
    """Where a printed row ends and the next begins: halfway between the two lines' boxes.

    Where one's box reaches into the other's (a stain beside a registry row, read as a word
    two rows tall), halfway between their text (text_extent): the box's bottom cut into the
    next row's words, and their re-read lost its vaccine ('IPOL' read 'IPUL'). Handwriting's
    tall strokes stay in their row where the rows' boxes do not meet.
    """
    if above.box[3] <= below.box[1]:
        return (above.box[3] + below.box[1]) // 2
    return (text_extent([w.box for w in above.words])[1]
            + text_extent([w.box for w in below.words])[0]) // 2


def _stacked_dates(line: Line, key: Column) -> list[Line]:
    """A line as the lines of its key column's dates, when it holds two or more stacked.

    A stain beside a registry's rows, read as one word as tall as two of them, joins both
    rows' words into one line; their dates, one above the other, are still two rows. A mark
    in the date column itself is no date, and splits nothing.
    """
    dated = [part for part in group_lines([w for w in line.words if key.x0 <= w.cx < key.x1])
             if any(parse_date(w.text).kind is DateKind.FULL for w in part.words)]
    return dated if len(dated) > 1 else [line]


def _level(line: Line, other: Line) -> bool:
    """Whether two lines stand level: their middles a line's height apart at most.

    A hand drifts off the line within an entry; a list's entries are further apart.
    """
    height = max(line.box[3] - line.box[1], other.box[3] - other.box[1])
    return abs((line.box[1] + line.box[3]) - (other.box[1] + other.box[3])) / 2 <= height


# Pixels between the middles of two pieces of one rule (a scan's skew left after deskewing).
_SAME_RULE = 4


def _bands_from_rules(header: Box, bottom: int, ruling: Ruling | None, left: int,
                      right: int) -> list[tuple[int, int]]:
    if ruling is None:
        return []
    width = right - left
    # A faded or worn rule is found as pieces along one line: together they make the rule.
    pieces = sorted(((b[1] + b[3]) // 2, min(b[2], right) - max(b[0], left))
                    for b in ruling.horizontal if header[1] - 5 < (b[1] + b[3]) // 2 <= bottom)
    lines: list[tuple[int, int]] = []
    for y, length in pieces:
        if lines and y - lines[-1][0] <= _SAME_RULE:
            lines[-1] = (lines[-1][0], lines[-1][1] + max(0, length))
        else:
            lines.append((y, max(0, length)))
    merged: list[int] = []
    for y in (y for y, length in lines if length >= 0.5 * width):
        if not merged or y - merged[-1] > 10:
            merged.append(y)
    # The first band starts below the header's own rule (or the header's text).
    bands = [(a, b) for a, b in zip(merged, merged[1:], strict=False) if b > header[3] + 4]
    return [(max(a, header[3] + 2), b) for a, b in bands]


def _inside_borders(page: PageText, box: Box) -> Box | None:
    """`box` inset from its borders (a cell's printed lines), clipped to the page; None if empty."""
    height, width = page.page.image.shape
    inset = max(3, int(page.page.dpi * 0.02))
    x0, y0 = max(0, box[0] + inset), max(0, box[1] + inset)
    x1, y1 = min(width, box[2] - inset), min(height, box[3] - inset)
    return None if x1 <= x0 or y1 <= y0 else (x0, y0, x1, y1)


# Ink share of a cell above which something is written there, read or not.
WRITTEN = 0.004


def ink_share(page: PageText, box: Box, ruling: Ruling | None) -> float:
    """Share of ink pixels inside `box` (inset from its borders), ruling lines not counted.

    Tells an empty cell from one with writing OCR could not read: a stamp, a scribble.
    """
    binary = page.page.binary
    inner = _inside_borders(page, box)
    if binary is None or inner is None:
        return 0.0
    x0, y0, x1, y1 = inner
    ink = binary[y0:y1, x0:x1] == 0
    if ruling is not None:
        ink &= ruling.mask[y0:y1, x0:x1] == 0
    return float(ink.mean())


# A stroke reaching into a cell from a stamp pressed on the row above or below is bridged across
# the rule it crosses (removed from the ink as ruling) by this much, in inches: a rule's
# thickness and a little.
_RULE_BRIDGE_INCHES = 0.03
# A stroke this many times longer than it is tall is a line (a stamp's border), not writing: a
# written word joined up stays under it.
_EDGE_RATIO = 10


def own_ink_share(page: PageText, box: Box, ruling: Ruling | None) -> float:
    """`ink_share`, less the ink of a stamp pressed on another row that reaches into the cell.

    A rubber stamp goes on tilted and larger than a row: its border crosses into the rows
    around it, and that ink made an unstamped row look stamped (its missing_provider flag was
    lost). A stroke taller than half the cell that is centred outside the cell belongs to the
    row it is centred on, and a long thin stroke (a border's edge) to no row: a stamp is its
    text.
    """
    binary = page.page.binary
    inner = _inside_borders(page, box)
    if binary is None or inner is None:
        return 0.0
    x0, y0, x1, y1 = inner
    height = box[3] - box[1]
    # The cell with a row's height above and below: a stamp's whole border is in view.
    top, bottom = max(0, box[1] - height), min(binary.shape[0], box[3] + height)
    ink = binary[top:bottom, x0:x1] == 0
    if ruling is not None:
        ink &= ruling.mask[top:bottom, x0:x1] == 0
    bridge = max(3, int(page.page.dpi * _RULE_BRIDGE_INCHES))
    joined = cv2.dilate(ink.astype(np.uint8), np.ones((bridge, 1), np.uint8))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    tall, wide = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    middles = top + stats[:, cv2.CC_STAT_TOP] + tall / 2
    # A long thin stroke alone is a stamp's edge: where a tilted stamp crosses a rule, the
    # piece of its border on the far side is cut off from the rest (committed 0072's Hep A row).
    # Its own height, not the bridged one: the bridge made a tilted edge's piece (181 pixels
    # long, 15 high) too tall for a line, and an unstamped row under the stamp stamped.
    foreign = (((tall > height / 2) & ((middles < box[1]) | (middles >= box[3])))
               | (wide >= _EDGE_RATIO * np.maximum(tall - (bridge - 1), 1)))
    foreign[0] = False  # the paper
    cell = slice(y0 - top, y1 - top)
    own = ink[cell] & ~foreign[labels[cell]]
    return float(own.mean())
