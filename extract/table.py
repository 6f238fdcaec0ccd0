"""Tables found by their printed column headers: columns from headers and rules, rows from rules."""

from __future__ import annotations

from dataclasses import dataclass

from extract.draft import PageText, TextField
from extract.grid import Ruling, find_ruling
from extract.layout import Line, find_label, group_lines
from extract.page import Box, PageSource, Word, union_box

__all__ = ["Column", "Table", "TableRow", "cell_field", "find_table", "ink_share"]


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


def cell_field(row: TableRow, column: str) -> TextField:
    """The text in one cell as a field, boxed by its words (or by the empty cell)."""
    words = [w for line in group_lines(row.cells.get(column, ())) for w in line.words]
    if not words:
        return TextField("", 0.0, row.page, None)
    box = union_box([w.box for w in words])
    confidence = sum(w.confidence for w in words) / len(words)
    return TextField(" ".join(w.text for w in words), confidence, row.page, box)


def _header_hits(lines: list[Line], index: int,
                 headers: dict[str, tuple[str, ...]]) -> dict[str, Box]:
    """Header labels found on line `index` or the line just below (two-line headers)."""
    window = lines[index : index + 2]
    hits: dict[str, Box] = {}
    for name, labels in headers.items():
        for label in labels:
            found = find_label(window, label, min_ratio=0.78)
            if found is not None and (index == 0 or found[1] == 0 or name not in hits):
                hits[name] = found[0]
                break
    return hits


def find_table(
    page: PageText,
    headers: dict[str, tuple[str, ...]],
    *,
    stop_labels: tuple[str, ...] = (),
    min_headers: int = 2,
    ruling: Ruling | None = None,
    span: tuple[int, int] | None = None,
) -> Table | None:
    """Find a table by its column headers and cut the words below into rows and columns.

    Args:
        page: the page and its words.
        headers: column name → printed labels that head it (any one suffices).
        stop_labels: printed text that ends the table (a following section's title).
        min_headers: how many columns must be found for the line to count as the header.
        ruling: the page's ruling lines (found from the page when omitted).
        span: the horizontal extent to look in, for tables printed side by side.
    """
    left_edge, right_edge = span if span is not None else (0, page.page.size[0])
    # What ends the table is looked for across the whole page, not only in the span.
    all_lines = group_lines(page.words)
    words = [w for w in page.words if left_edge <= w.cx < right_edge]
    if ruling is None:
        ruling = page.ruling
    page = PageText(page.page, tuple(words), page.ocr_image, page.ruling)
    lines = group_lines(page.words)
    best: tuple[int, int, dict[str, Box]] | None = None
    for index in range(len(lines)):
        hits = _header_hits(lines, index, headers)
        if len(hits) >= min_headers and (best is None or len(hits) > best[1]):
            best = (index, len(hits), hits)
    if best is None:
        return None
    _, _, hits = best
    header = union_box(list(hits.values()))
    assert header is not None
    if ruling is None and page.page.binary is not None and page.page.source is PageSource.IMAGE:
        ruling = find_ruling(page.page.binary, page.page.dpi)
    columns = _columns_by_rules(hits, list(headers), ruling, left_edge, right_edge) or _columns(
        hits, right_edge, ruling, left_edge)
    bottom = page.page.size[1]
    for label in stop_labels:
        found = find_label(all_lines, label, min_ratio=0.85)
        if found is not None and found[0][1] > header[3]:
            bottom = min(bottom, found[0][1] - 2)
    rows = _rows(page, header, bottom, columns, ruling)
    return Table(tuple(columns), header, tuple(rows), ruling)


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
    for x in sorted((b[0] + b[2]) // 2 for b in ruling.vertical
                    if left_edge - 10 <= (b[0] + b[2]) // 2 <= right_edge + 10):
        if not xs or x - xs[-1] > 12:
            xs.append(x)
    if len(xs) != len(names) + 1:
        return None
    columns = [Column(name, x0, x1) for name, x0, x1 in zip(names, xs, xs[1:], strict=False)]
    for name, box in hits.items():
        column = next(c for c in columns if c.name == name)
        if not column.x0 <= (box[0] + box[2]) / 2 <= column.x1:
            return None
    return columns


def _columns(hits: dict[str, Box], width: int, ruling: Ruling | None,
             left_edge: int = 0) -> list[Column]:
    ordered = sorted(hits.items(), key=lambda item: item[1][0])
    rules = sorted(x for x in {(b[0] + b[2]) // 2 for b in ruling.vertical}
                   if left_edge - 10 <= x <= width + 10) if ruling else []
    starts: list[int] = []
    for position, (_, box) in enumerate(ordered):
        previous_end = ordered[position - 1][1][2] if position else left_edge
        # The nearest vertical rule between the previous header and this one bounds the column;
        # without rules, a little left of the header (handwriting starts before printed labels).
        between = [x for x in rules if previous_end <= x <= box[0] + 4]
        margin = max(8, (box[3] - box[1]))
        starts.append(between[-1] if between else max(previous_end, box[0] - margin))
    starts[0] = left_edge if not rules else min(starts[0], min(rules))
    ends = starts[1:] + [width]
    return [Column(name, x0, x1) for (name, _), x0, x1 in zip(ordered, starts, ends, strict=True)]


def _rows(page: PageText, header: Box, bottom: int, columns: list[Column],
          ruling: Ruling | None) -> list[TableRow]:
    left, right = columns[0].x0, columns[-1].x1
    body = [w for w in page.words
            if header[3] + 2 < w.cy < bottom and left <= w.cx <= right]
    bands = _bands_from_rules(header, bottom, ruling, left, right)
    if len(bands) < 2:
        bands = [(ln.box[1], ln.box[3]) for ln in group_lines(body)]
    else:
        bands = _split_bands(bands, body, columns)
    rows: list[TableRow] = []
    for top, low in bands:
        in_band = [w for w in body if top <= w.cy < low]
        cells = {c.name: tuple(w for w in in_band if c.x0 <= w.cx < c.x1) for c in columns}
        rows.append(TableRow(cells, (left, top, right, low), page.page.number))
    return rows


def _split_bands(bands: list[tuple[int, int]], body: list[Word],
                 columns: list[Column]) -> list[tuple[int, int]]:
    """Split a ruled band holding several printed rows (a registry groups rows under one rule).

    A band is split only when at least two of its text lines have their own word in the second
    column (a date each), so one handwritten entry with a jittery baseline stays one row.
    """
    if len(columns) < 2:
        return bands
    key = columns[1]
    out: list[tuple[int, int]] = []
    for top, bottom in bands:
        lines = group_lines([w for w in body if top <= w.cy < bottom])
        keyed = [ln for ln in lines if any(key.x0 <= w.cx < key.x1 for w in ln.words)]
        if len(keyed) < 2:
            out.append((top, bottom))
            continue
        edges = [top] + [(a.box[3] + b.box[1]) // 2 for a, b in zip(keyed, keyed[1:],
                                                                    strict=False)] + [bottom]
        out.extend(zip(edges, edges[1:], strict=False))
    return out


def _bands_from_rules(header: Box, bottom: int, ruling: Ruling | None, left: int,
                      right: int) -> list[tuple[int, int]]:
    if ruling is None:
        return []
    width = right - left
    ys = sorted(
        (b[1] + b[3]) // 2
        for b in ruling.horizontal
        if b[2] - b[0] >= 0.5 * width and header[1] - 5 < (b[1] + b[3]) // 2 <= bottom
    )
    merged: list[int] = []
    for y in ys:
        if not merged or y - merged[-1] > 10:
            merged.append(y)
    # The first band starts below the header's own rule (or the header's text).
    bands = [(a, b) for a, b in zip(merged, merged[1:], strict=False) if b > header[3] + 4]
    return [(max(a, header[3] + 2), b) for a, b in bands]


def ink_share(page: PageText, box: Box, ruling: Ruling | None) -> float:
    """Share of ink pixels inside `box` (inset from its borders), ruling lines not counted.

    Tells an empty cell from one with writing OCR could not read: a stamp, a scribble.
    """
    binary = page.page.binary
    if binary is None:
        return 0.0
    inset = max(3, int(page.page.dpi * 0.02))
    x0, y0 = max(0, box[0] + inset), max(0, box[1] + inset)
    x1, y1 = min(binary.shape[1], box[2] - inset), min(binary.shape[0], box[3] - inset)
    if x1 <= x0 or y1 <= y0:
        return 0.0
    ink = binary[y0:y1, x0:x1] == 0
    if ruling is not None:
        ink &= ruling.mask[y0:y1, x0:x1] == 0
    return float(ink.mean())
