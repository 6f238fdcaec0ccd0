"""Parse a CAIR2 Immunization History Report: header fields and the dose table by group."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from extract.cells import (
    better_read,
    cell_or_band,
    column_lines,
    columns_reads,
    date_column_reads,
    read_dated_field,
    read_name_field,
)
from extract.dates import parse_date
from extract.draft import Draft, DraftDose, PageText, TextField
from extract.fields import value_after, vote_date
from extract.layout import normalise
from extract.ocr import OcrEngine
from extract.result import DocumentType
from extract.table import WRITTEN, Table, TableRow, cell_field, find_table, ink_share
from extract.visits import one_visit_misread
from extract.vocabulary import match_label, match_vaccine, vaccine_names

__all__ = ["parse_cair2"]

HEADERS: dict[str, tuple[str, ...]] = {
    "group": ("Vaccine Group",),
    "date": ("Date Administered", "Date Admin"),
    "series": ("Series",),
    "trade": ("Trade Name",),
    "dose": ("Dose",),
    "owned": ("Owned?", "Owned"),
    "reaction": ("Reaction",),
    "historical": ("Hist?", "Hist"),
}

# Confidence of a row's vaccine taken from its group: the trade-name cell is blank, or the
# trade-name column was not found.
_GROUP_ONLY = 0.9
_NO_TRADE_COLUMN = 0.5


def parse_cair2(pages: list[PageText], ocr: OcrEngine | None, today: dt.date) -> Draft:
    """Read the patient and every administered dose; registry rows need no provider or signature.

    A row's vaccine is its trade name, else its vaccine group (printed once per group).
    """
    # The report lists each vaccine group's doses by date (documents spec, section 3), every
    # date printed in full in one format.
    draft = Draft(DocumentType.CAIR2_REPORT, dated_in_order=True, dates_written_alike=True)
    for page in pages:
        table = find_table(page, HEADERS, min_headers=3, stop_labels=(
            "Recommended Vaccines (forecast)", "Recommended Vaccines",
            "Confidential patient information", "Page 1 of"), printed_rows=True)
        top = table.header[1] if table else page.page.size[1]
        region = (0, 0, page.page.size[0], top)
        if draft.child_name.is_empty:
            draft.child_name = read_name_field(page, value_after(
                page, ("Patient Name", "Name"), ("Birth Date", "DOB", "Registry ID", "Sex"),
                region=region), ocr)
        if draft.birth_date.is_empty:
            draft.birth_date = read_dated_field(page, value_after(
                page, ("Birth Date", "Date of Birth", "DOB"), ("Registry ID", "Sex", "Print Date"),
                region=region), ocr, today)
        if table is None:
            continue
        rows = list(table.rows)
        # A blank trade name leaves the printed group as the row's vaccine. Without a trade-name
        # column on the page, the product is unknown (a combination such as Pediarix is printed
        # on each of its groups' rows): the group alone is then too unsure to accept.
        has_trade = table.column("trade") is not None
        fallback = _GROUP_ONLY if has_trade else _NO_TRADE_COLUMN
        # One Tesseract run for the three columns; a second only for dates still unsure.
        groups, dates, trades = columns_reads(page, table, rows, ("group", "date", "trade"), ocr)
        date_reads = date_column_reads(page, table, rows, ocr, today, general=dates,
                                       checked=_near_another_day(rows, dates, today))
        trade_names = _trade_names(page, table, rows, trades, ocr)
        group_fields = [better_read(cell_field(row, "group"), read)
                        for row, read in zip(rows, groups, strict=True)]
        labels = _group_labels(page, table, rows, group_fields, ocr)
        group: str | None = None
        label: str | None = None
        for index, row in enumerate(rows):
            if _forecast(row, dates[index]):
                # The report's forecast ("Due: 05/31/2026") follows its doses: when its title
                # was misread the table ran on into it, and a due date is no dose given.
                break
            group_field = group_fields[index]
            if not group_field.is_empty:
                group = group_field.text
                label = label if labels[index] is None else labels[index]
            date = vote_date(cell_or_band(row, "date", table), date_reads[index].tesseract, today,
                             date_reads[index].by_line)
            if date_reads[index].check:
                date = replace(date, choices=date_reads[index].check)
            trade = trade_names[index]
            # Every dose the registry prints has its date in full: a row with neither a date nor
            # a trade name holds at most a speck or a rule's trace ('_—').
            if not (_legible(date) or _legible(trade)):
                continue
            vaccine = trade if not trade.is_empty else TextField(
                group or "", fallback, row.page, group_field.box)
            series = cell_field(row, "series")
            number = series.text.split(" ")[0] if series.text else ""
            draft.doses.append(DraftDose(
                vaccine=vaccine, date=date,
                dose_number=TextField(number, series.confidence, series.page, series.box),
                # Without a trade-name column the vaccine text is the group itself: given as
                # the row's label too, finish would count it as a second read agreeing.
                label=label if has_trade else None,
            ))
    return draft


def _near_another_day(rows: list[TableRow], reads: list[tuple[str, float] | None],
                      today: dt.date) -> frozenset[int]:
    """The rows whose date, as either read gives it, may be another row's day misread.

    A registry prints every date in one typeface, and a blurred or compressed digit is read as
    its neighbour alike by the page read and the cell's re-read ('11/13/2021' as '11/19/2021'
    at 0.97): a visit's date then stands days away from the visit. Those cells are read by the
    line recogniser too, and extract.finish doubts a date it reads otherwise; two visits days
    apart that both engines read alike stay sure. Only these are read again: the report's
    other rows cost no recogniser read.
    """
    days = [{day for text in (cell_field(row, "date").text, read[0] if read else "")
             if (day := parse_date(text, today).full_date) is not None}
            for row, read in zip(rows, reads, strict=True)]
    held = set().union(*days) if days else set()
    return frozenset(index for index, own in enumerate(days)
                     if any(one_visit_misread(day, other) for day in own for other in held))


def _trade_names(page: PageText, table: Table, rows: list[TableRow],
                 reads: list[tuple[str, float] | None], ocr: OcrEngine | None) -> list[TextField]:
    """Each row's trade name: as Tesseract read it, or as the line recogniser did.

    A speck or a tight scan turns a printed name into no name for Tesseract ('(POL' for
    IPOL), or into one it is unsure of whose reads disagree ('infanrix' at 0.51, then
    'Infantrix'). There the line recogniser reads the cell too, and its reading is taken when
    it names a vaccine exactly, with Tesseract's reads kept as further readings: when one of
    them names the same vaccine, two engines agree (extract.finish). Alone, it is only as sure
    as a name a reviewer confirms unless the row's printed group agrees. Where it reads no name
    letter by letter, the vocabulary name its strokes most likely spell is taken when
    Tesseract's read names that product too.
    """
    names = [better_read(cell_field(row, "trade"), read) for row, read in zip(rows, reads,
                                                                            strict=True)]
    unsure = [index for index, name in enumerate(names)
              if _legible(name) and not _surely_named(name)]
    lines = column_lines(page, table, [rows[i] for i in unsure], "trade", ocr)
    alone: list[int] = []
    for index, line in zip(unsure, lines, strict=True):
        name = names[index]
        if line is not None and match_vaccine(line[0]) is not None:
            names[index] = TextField(line[0], min(line[1], _LINE_ONLY), name.page, name.box,
                                     (name.text, *name.readings))
        else:
            alone.append(index)
    # Read letter by letter as no name ('Intanrix', a blurred f taken for a t): which
    # vocabulary name the strokes most likely spell. When it is the product Tesseract's read
    # names, exactly or nearly, two engines agree on it.
    spelled = column_lines(page, table, [rows[i] for i in alone], "trade", ocr,
                           vaccine_names())
    for index, reading in zip(alone, spelled, strict=True):
        name = names[index]
        read = match_label(name.text)
        if (reading is not None and reading[1] >= _MOST_LIKELY and read is not None
                and (chosen := match_vaccine(reading[0])) is not None
                and chosen.name == read.name):
            names[index] = TextField(reading[0], reading[1], name.page, name.box,
                                     (name.text, *name.readings))
    return names


def _group_labels(page: PageText, table: Table, rows: list[TableRow],
                  fields: list[TextField], ocr: OcrEngine | None) -> list[str | None]:
    """Each row's printed vaccine group as a label, read again where it names no vaccine.

    Phone photos and light scans lose a group's letters ('OTPlaP' for 'DTP/aP'): the line
    recogniser says which vocabulary name the cell's strokes most likely spell. The page read
    also makes words of the paper's grain in a cell printed blank ('Lae' under 'HepB': the
    report prints a group once, on its first row): None, the group above goes on. Either way
    the row's trade name would be checked against no group. The label only checks the trade
    name read (extract.finish): a row whose trade name is blank still takes its vaccine from
    the group as read, so a name chosen from a list never stands alone.
    """
    labels: list[str | None] = [field.text for field in fields]
    unnamed = []
    for index, field in enumerate(fields):
        box = table.cell_box(rows[index], "group")
        if box is None or not _legible(field) or match_label(field.text) is not None:
            continue
        if ink_share(page, box, table.ruling) <= WRITTEN:
            labels[index] = None
        else:
            unnamed.append(index)
    spelled = column_lines(page, table, [rows[i] for i in unnamed], "group", ocr,
                           vaccine_names())
    for index, reading in zip(unnamed, spelled, strict=True):
        if reading is not None and reading[1] >= _MOST_LIKELY:
            labels[index] = reading[0]
    return labels


def _surely_named(name: TextField) -> bool:
    """Whether a trade-name read names a vaccine, read sure or named alike by another read."""
    found = match_vaccine(name.text)
    if found is None:
        return False
    return name.confidence >= _SURE_NAME or any(
        (other := match_vaccine(text)) is not None and other.groups == found.groups
        for text in name.readings)


# A vocabulary name holding this share of all names' likelihood is the one the strokes spell.
_MOST_LIKELY = 0.5
# A trade name Tesseract reads this sure is not read again.
_SURE_NAME = 0.8
# Confidence of a trade name only the line recogniser named: a reviewer confirms it unless the
# row's printed vaccine group agrees (extract.finish).
_LINE_ONLY = 0.75


def _forecast(row: TableRow, date_read: tuple[str, float] | None) -> bool:
    """Whether a row is the report's forecast (its title, a due date): no dose."""
    read = [] if date_read is None else date_read[0].split()[:1]
    words = [w.text for cell in row.cells.values() for w in cell] + read
    return any(normalise(text) in _FORECAST_WORDS for text in words)


# The last word of the forecast's title, and the word before each of its dates.
_FORECAST_WORDS = frozenset({"forecast", "due"})


def _legible(field: TextField) -> bool:
    return any(ch.isalnum() for ch in field.text)
