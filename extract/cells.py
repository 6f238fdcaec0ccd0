"""Reading cells and labelled fields again, on their own, to confirm or correct the page read."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from extract.dates import NO_DATE, DateKind, parse_date
from extract.draft import PageText, TextField
from extract.fields import vote_date
from extract.ocr import OcrEngine, OcrRequest
from extract.page import Box
from extract.reread import (
    DIGIT_DATE,
    GENERAL,
    read_date_choices,
    read_name_lines,
    read_text_lines,
    reread_cells,
)
from extract.table import Table, TableRow, cell_field
from extract.visits import visit_choices

__all__ = [
    "INSET_KEPT",
    "better_read",
    "cell_or_band",
    "column_lines",
    "column_reads",
    "columns_reads",
    "DateReads",
    "date_column_reads",
    "padded",
    "read_dated_field",
    "read_name_field",
    "read_text_field",
]


def padded(box: Box, pad: int = 12) -> Box:
    """A word's box with room around it: OCR boxes hug the ink, and crops are cut inset."""
    return (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)


def read_text_field(page: PageText, field: TextField, ocr: OcrEngine | None) -> TextField:
    """Re-read a labelled text field on its own; the re-read wins when it is more confident."""
    if field.box is None or field.is_empty:
        return field
    (reread,) = reread_cells(page, [padded(field.box)], ocr, GENERAL)
    if reread is None or not reread[0].strip():
        return field
    if reread[1] <= field.confidence:
        # Kept as a second reading, so agreement between the two reads can be measured.
        return TextField(field.text, field.confidence, field.page, field.box, (reread[0],))
    return TextField(reread[0], reread[1], field.page, field.box, (field.text,))


def read_name_field(page: PageText, field: TextField, ocr: OcrEngine | None) -> TextField:
    """Re-read a child's name field; its reading is the line recogniser's, when that agrees.

    Two Tesseract reads of a handwritten name often agree on one misreading ('Suan Morales'
    for Julian Morales, twice, each read unsure): their agreement is no evidence. The line
    recogniser is another model: the name read is kept as a second reading (which makes it
    sure, extract.finish) only when the recogniser's frames spell it too.
    """
    read = read_text_field(page, field, ocr)
    # The read's box is the words' own: widened so the crop's inset keeps their edges.
    if read.is_empty or read.box is None:
        return replace(read, readings=())
    box = padded(read.box, INSET_KEPT)
    (spelled,) = read_name_lines(page, [box], ocr, [read.text, *_one_letter_off(read.text)])
    if spelled is not None and spelled[0] == read.text and spelled[1] >= _SURELY_SPELLED:
        return replace(read, readings=(read.text,))
    if spelled is not None:
        # The recogniser's frames spell the name with some letter otherwise about as well
        # ('JAYOEN' and 'JAYDEN' in a handwriting-like face): its agreement settles nothing.
        return replace(read, confidence=min(read.confidence, _SPELLED_OTHERWISE), readings=())
    (seen,) = read_text_lines(page, [box], ocr)
    if seen is not None:
        # The recogniser read writing there and it does not spell this name: Tesseract alone
        # was sure of a misread letter ('Kal' for 'Kai').
        return replace(read, confidence=min(read.confidence, _SPELLED_OTHERWISE), readings=())
    return replace(read, readings=())


def _one_letter_off(name: str) -> list[str]:
    """Every spelling of `name` with one letter changed, for the recogniser to weigh."""
    return [name[:at] + other + name[at + 1:]
            for at, letter in enumerate(name) if letter.isascii() and letter.isalpha()
            for other in string.ascii_uppercase if other != letter.upper()]


# The name read's least share among its one-letter-off spellings for the recogniser's
# agreement to count.
_SURELY_SPELLED = 0.5
# Pixels around a read's words that keep them whole once extract.reread insets the crop.
INSET_KEPT = 8
# Confidence of a name the line recogniser reads as something else: a reviewer looks.
_SPELLED_OTHERWISE = 0.5


def read_dated_field(page: PageText, field: TextField, ocr: OcrEngine | None,
                     today: dt.date) -> TextField:
    """Re-read a labelled date: plain, digits-only and by line, and vote.

    Unlike a dose's date cell (`date_column_reads`), all three reads are made even when the
    page read and the plain re-read agree sure: one field costs little, and Tesseract reads
    some typefaces' '05' as '08' twice alike at 0.84 where the line recogniser is sure of the
    '05'. A misread birth date moves every dose's age. A date read unsure, or as no whole
    date, is read with the rest of the writing its box may be a piece of
    (`_along_its_writing`); the field's box is then the widened one.
    """
    if field.box is None:
        return field
    box = field.box
    if field.confidence < _SURE_READ or parse_date(field.text, today).kind is not DateKind.FULL:
        # The page read may have boxed a piece of the writing only.
        box = _along_its_writing(page, box)
        field = replace(field, box=box)
    box = padded(box)
    (general,) = reread_cells(page, [box], ocr, GENERAL)
    (digits,) = reread_cells(page, [box], ocr, DIGIT_DATE)
    (choices,) = _by_line(page, [box], ocr, today)
    voted = vote_date(field, [general, digits], today, choices[0] if choices else None)
    return replace(voted, choices=tuple(choices))


def _along_its_writing(page: PageText, box: Box) -> Box:
    """The box widened along its line to the rest of the writing it is a piece of.

    Tesseract splits a hand's date into pieces and may box one piece only ('Wea' for the
    '/19' of a faint '9/22/19'): read alone, the rest of the date is lost. Ink in the box's
    middle band is followed left and right across gaps narrower than a space between words.
    The middle band only: a label printed above the writing, or the next line, is not followed.
    Nor a word read sure on the line (the label before the date, the next field's label).
    """
    if page.ocr_image is None:
        return box
    image = page.ocr_image.image
    x0, y0, x1, y1 = box
    margin = (y1 - y0) // _BAND_MARGIN
    top, bottom = max(0, y0 + margin), max(0, y1 - margin)
    band = image[top:bottom, :]
    if band.size == 0:
        return box
    inked = band < float(np.median(band)) - _INK_CONTRAST
    columns: npt.NDArray[np.bool_] = np.asarray(inked.any(axis=0))
    printed = [w.box for w in page.words
               if w.confidence >= _SURE_READ and w.box[1] < bottom and w.box[3] > top]
    for left, _, right, _ in printed:
        # A sure word's ink is its own, to its box's edge and a little past (a colon's dot).
        columns[max(0, left - _PAST_A_WORD):right + _PAST_A_WORD] = False
    start = max([x0 - round(_REACH_INCHES * page.page.dpi), 0]
                + [right for _, _, right, _ in printed if right <= x0])
    end = min([x1 + round(_REACH_INCHES * page.page.dpi), columns.size]
              + [left for left, _, _, _ in printed if left >= x1])
    gap = round(_WORD_GAP_INCHES * page.page.dpi)
    left, right = x0, x1
    while left > start:
        found = np.nonzero(columns[max(start, left - gap):left])[0]
        if found.size == 0:
            break
        left = max(start, left - gap) + int(found[0])
    while right < end:
        found = np.nonzero(columns[right:min(end, right + gap)])[0]
        if found.size == 0:
            break
        right = right + int(found[-1]) + 1
    return (left, y0, right, y1)


# The band of a word's box whose ink is followed: its height less a fifth above and below.
_BAND_MARGIN = 5
# Ink is this much darker than the band's paper (0-255): faint pencil is about 60 darker.
_INK_CONTRAST = 45
# A hand's gap between the pieces of one date is narrower than this; between words, wider.
_WORD_GAP_INCHES = 0.1
# A date is never this much wider than the piece of it that was boxed, on either side.
_REACH_INCHES = 1.5
# Pixels past a word's box that are still its ink: Tesseract's boxes hug the letters, to the
# pixel or two.
_PAST_A_WORD = 3


def _surely_same_full_date(read: TextField, again: tuple[str, float] | None,
                           today: dt.date) -> bool:
    """Whether a cell's page read and its re-read parse to one full date, both read sure.

    Two Tesseract reads of the same handwriting agree on the same misreading often: of the
    corpora's handwritten cells read alike but unsure, a quarter were wrong. Those are read by
    the line recogniser as well, whose agreement is independent evidence.
    """
    if again is None or min(read.confidence, again[1]) < _SURE_READ:
        return False
    first, second = parse_date(read.text, today), parse_date(again[0], today)
    return (first.kind is DateKind.FULL and second.kind is DateKind.FULL
            and first.value == second.value)


# Tesseract's confidence in a word it reads right nearly always: print, or a clear hand.
_SURE_READ = 0.8


def column_reads(
    page: PageText, table: Table, rows: list[TableRow], name: str, ocr: OcrEngine | None,
    request: OcrRequest = GENERAL,
) -> list[tuple[str, float] | None]:
    """Each row's cell in column `name`, re-read together in one stacked OCR call."""
    (reads,) = columns_reads(page, table, rows, (name,), ocr, request)
    return reads


def columns_reads(
    page: PageText, table: Table, rows: list[TableRow], names: tuple[str, ...],
    ocr: OcrEngine | None, request: OcrRequest = GENERAL,
) -> list[list[tuple[str, float] | None]]:
    """Each row's cells in several columns, all re-read in one stacked OCR call.

    One Tesseract run instead of one per column: each run costs ~70 ms before it reads
    anything. Returns one list of reads per name, in the order of `names`.
    """
    boxes: list[Box] = []
    spans: list[tuple[int, int] | None] = []
    for name in names:
        column = table.column(name)
        if column is None:
            spans.append(None)
            continue
        start = len(boxes)
        boxes.extend(_cell_crop(column.x0, column.x1, row, name) for row in rows)
        spans.append((start, len(boxes)))
    reads = reread_cells(page, boxes, ocr, request) if boxes else []
    return [[None] * len(rows) if span is None else reads[span[0] : span[1]] for span in spans]


def column_lines(page: PageText, table: Table, rows: list[TableRow], name: str,
                 ocr: OcrEngine | None, names: Sequence[str] | None = None
                 ) -> list[tuple[str, float] | None]:
    """Each row's cell in column `name` read by the line recogniser, when the engine has one.

    With `names`, which of them each cell most likely holds and its share, instead of the text.
    """
    column = table.column(name)
    if column is None or not rows:
        return [None] * len(rows)
    boxes = [_cell_crop(column.x0, column.x1, row, name) for row in rows]
    if names is not None:
        return read_name_lines(page, boxes, ocr, names)
    return read_text_lines(page, boxes, ocr)


def _cell_crop(x0: int, x1: int, row: TableRow, name: str) -> Box:
    """A cell to read again: its column across the row, widened to hold the cell's words.

    The page read puts a word in the column its middle falls in. In a photo taken at a slant,
    a column's entries drift left of its header, where an unruled column starts: cut at the
    header, 'IPOL' was read again as '?20L' and 'Fluarix' as 'Sluarix'.
    """
    words = row.cells.get(name, ())
    if words:
        x0 = min(x0, min(w.box[0] for w in words) - INSET_KEPT)
        x1 = max(x1, max(w.box[2] for w in words) + INSET_KEPT)
    return (max(0, x0), row.box[1], x1, row.box[3])


def better_read(first: TextField, reread: tuple[str, float] | None,
                cell: Box | None = None) -> TextField:
    """The cell's own read when it found text, else the page read.

    `cell`: the cell's box, given to a read the page read found nothing for (which has no box
    of its own), so the reviewer is shown where it is.
    """
    if reread is None or not reread[0].strip():
        return first
    return TextField(reread[0], max(reread[1], 0.0), first.page, first.box or cell,
                     (first.text,))


def cell_or_band(row: TableRow, name: str, table: Table) -> TextField:
    """The page read of a cell; an empty cell keeps the cell's box."""
    field = cell_field(row, name)
    box = table.cell_box(row, name)
    if field.box is None and box is not None:
        # An empty cell keeps the cell's box, so the reviewer sees where a date is missing.
        return TextField("", 0.9, row.page, box)
    return field


@dataclass(frozen=True, slots=True)
class DateReads:
    """A date cell's other readings: Tesseract's re-reads, and the line recogniser's.

    `check`: the recogniser's likeliest dates for a cell Tesseract's reads agree on sure, when
    the caller asked for them; they lower the date's confidence if they hold another date
    (extract.finish), and never choose it.
    """

    tesseract: list[tuple[str, float] | None]
    by_line: tuple[str, float] | None
    check: tuple[tuple[str, float], ...] = ()


def date_column_reads(
    page: PageText, table: Table, rows: list[TableRow], ocr: OcrEngine | None, today: dt.date,
    general: list[tuple[str, float] | None] | None = None, *,
    checked: bool | Collection[int] = False, born: dt.date | None = None,
) -> list[DateReads]:
    """Each row's date cell read on its own, and again (digits only, by line) where reads differ.

    The digits-only read costs another OCR call, so it and the line reader's read (handwriting)
    are made only for the cells whose page read and cell read do not already parse, both sure,
    to the same full date. Of the line reader's readings of a cell, the one the other rows'
    dates support is taken (extract.visits). `general` is the cell read when the caller already
    made it (with other columns, `columns_reads`).

    `checked`: where hands write dates, the cells read alike and sure are read by the line
    recogniser too, in the same call. Two Tesseract reads of one hand agree on one misreading
    at high confidence ('10-25-2019' read '10-25-2014' twice at 0.99), and nothing else would
    put those dates in front of a reviewer. Given row indices, only those rows' cells.
    `born`: the child's birth date when read sure; readings before it are less likely.
    """
    if general is None:
        general = column_reads(page, table, rows, "date", ocr)
    unsure = [index for index, row in enumerate(rows)
              if not _surely_same_full_date(cell_field(row, "date"), general[index], today)]
    reread = set(unsure)
    sure = [index for index in range(len(rows)) if index not in reread
            and (checked is True or (not isinstance(checked, bool) and index in checked))]
    digits: list[tuple[str, float] | None] = [None] * len(rows)
    choices: list[list[tuple[str, float]]] = [[] for _ in rows]
    checks: list[tuple[tuple[str, float], ...]] = [() for _ in rows]
    column = table.column("date")
    if (unsure or sure) and column is not None:
        answers = column_reads(page, table, [rows[i] for i in unsure], "date", ocr,
                               DIGIT_DATE) if unsure else []
        boxes = [_cell_crop(column.x0, column.x1, rows[i], "date") for i in unsure + sure]
        dates = read_date_choices(page, boxes, ocr, today)
        by_line = _by_line(page, boxes[: len(unsure)], ocr, today, dates[: len(unsure)])
        for index, answer, cell_choices in zip(unsure, answers, by_line, strict=True):
            digits[index], choices[index] = answer, cell_choices
        for index, cell_dates in zip(sure, dates[len(unsure):], strict=True):
            checks[index] = tuple(cell_dates)
    known = [parse_date(cell_field(row, "date").text, today).full_date
             if index not in reread else None for index, row in enumerate(rows)]
    parsed = [[parse_date(text, today) for text, _ in cell_choices] for cell_choices in choices]
    taken = visit_choices(
        [[(p.full_date, share) for p, (_, share) in zip(cell, cell_choices, strict=True)]
         for cell, cell_choices in zip(parsed, choices, strict=True)], known,
        [[(p.value.year, p.value.month) if p.kind is DateKind.PARTIAL and p.value else None
          for p in cell] for cell in parsed], born, today)
    return [DateReads([general[i], digits[i]], choices[i][taken[i]] if choices[i] else None,
                      checks[i]) for i in range(len(rows))]


def _by_line(page: PageText, boxes: list[Box], ocr: OcrEngine | None, today: dt.date,
             dates: list[list[tuple[str, float]]] | None = None
             ) -> list[list[tuple[str, float]]]:
    """The line reader's dates in each box, likeliest first; its plain text where it found none.

    What is written instead of a date ('6 mo', 'Jul 2023') is no date shape, and Tesseract
    reads handwriting badly: the plain text lets the vote see the age or the month. Where the
    likeliest date is no full date, the plain text is read too, and an age read there wins:
    the date search knows no letters, so '15 mo' came out as the month-year '1.50'.
    """
    if dates is None:
        dates = read_date_choices(page, boxes, ocr, today)
    dates = list(dates)
    unsure = [index for index, choices in enumerate(dates)
              if not choices or parse_date(choices[0][0], today).kind is not DateKind.FULL]
    texts = read_text_lines(page, [boxes[i] for i in unsure], ocr) if unsure else []
    for index, text in zip(unsure, texts, strict=True):
        if text is None:
            continue
        kind = parse_date(text[0], today).kind
        # Only what parses (an age, a month): an unreadable text would stand in for a
        # Tesseract reading with the digits that tell a dose row from a heading.
        if kind is DateKind.AGE or (not dates[index] and kind not in NO_DATE):
            dates[index] = [text]
    return dates
