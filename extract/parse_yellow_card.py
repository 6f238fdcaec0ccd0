"""Parse a California yellow card: patient block, then the dose grid found by its headers."""

from __future__ import annotations

import datetime as dt

from extract.cells import (
    better_read,
    cell_or_band,
    column_reads,
    date_column_reads,
    read_dated_field,
    read_text_field,
)
from extract.draft import Draft, DraftDose, PageText, TextField
from extract.fields import find_any_label, value_after, vote_date
from extract.layout import group_lines
from extract.ocr import OcrEngine
from extract.page import Box, union_box
from extract.result import DocumentType
from extract.table import Table, TableRow, cell_field, find_table, ink_share
from extract.vocabulary import match_label, match_vaccine

__all__ = ["parse_yellow_card", "read_dose_rows", "split_row_label"]

HEADERS: dict[str, tuple[str, ...]] = {
    "vaccine": ("VACCINE", "VACUNA"),
    "date": ("DATE GIVEN", "FECHA"),
    "provider": ("DOCTOR OFFICE OR CLINIC", "DOCTOR OFFICE", "MEDICO O CLINICA", "PROVIDER"),
    "next_due": ("NEXT DOSE DUE", "PROXIMA DOSIS"),
}
NAME_LABELS = ("Patient Name", "Child's Name", "Name", "Nombre")
BIRTH_LABELS = ("Birthdate", "Birth Date", "Date of Birth", "DOB", "Fecha de Nacimiento")
PATIENT_STOPS = ("Birthdate", "Birth Date", "Date of Birth", "Sex", "Sexo", "Allergies",
                 "Vaccine Reactions")
# Ink share of a cell above which something is written there, read or not.
_WRITTEN = 0.004


def parse_yellow_card(pages: list[PageText], ocr: OcrEngine | None, today: dt.date) -> Draft:
    """Read the child and every dose row of a yellow card (all pages).

    Rows are found under the printed headers; a row's vaccine is what is written in its vaccine
    cell, else the printed label of the block it belongs to.
    """
    draft = Draft(DocumentType.YELLOW_CARD, requires_provider=True)
    for page in pages:
        table = find_table(page, HEADERS, stop_labels=("Tuberculin", "TB Test", "Comments"))
        top = table.header[1] if table else page.page.size[1]
        region = (0, 0, page.page.size[0], top)
        if draft.child_name.is_empty:
            draft.child_name = read_text_field(
                page, value_after(page, NAME_LABELS, PATIENT_STOPS, region=region), ocr)
        if draft.child_name.is_empty:
            draft.child_name = _name_above_birthdate(page, region)
        if draft.birth_date.is_empty:
            draft.birth_date = read_dated_field(
                page, value_after(page, BIRTH_LABELS, PATIENT_STOPS, region=region), ocr, today)
        if table is not None:
            draft.doses.extend(read_dose_rows(page, table, ocr, today))
    return draft


def split_row_label(field: TextField, row: TableRow) -> tuple[str | None, TextField]:
    """Split a vaccine cell into the printed row label (left) and what was written (right).

    Cards print the block's label at the left of its first line and the product is written
    further right; the widest gap between words, if wide, separates them.
    """
    words = sorted(row.cells.get("vaccine", ()), key=lambda w: w.box[0])
    if len(words) < 2:
        return None, field
    gaps = [(b.box[0] - a.box[2], i) for i, (a, b) in enumerate(zip(words, words[1:],
                                                                    strict=False))]
    widest, at = max(gaps)
    height = sorted(w.height for w in words)[len(words) // 2]
    if widest < 1.5 * height:
        return None, field
    left, right = words[: at + 1], words[at + 1 :]
    label = " ".join(w.text for w in left)
    if match_label(label) is None:
        return None, field
    text = " ".join(w.text for w in right)
    confidence = sum(w.confidence for w in right) / len(right)
    return label, TextField(text, confidence, field.page, union_box([w.box for w in right]))


def read_dose_rows(page: PageText, table: Table, ocr: OcrEngine | None,
                   today: dt.date) -> list[DraftDose]:
    """Every written row of a dose grid; each column's cells are re-read on their own."""
    rows = list(table.rows)
    date_reads = date_column_reads(page, table, rows, ocr, today)
    providers = column_reads(page, table, rows, "provider", ocr)
    label: str | None = None
    doses: list[DraftDose] = []
    for index, row in enumerate(rows):
        printed, vaccine = split_row_label(cell_field(row, "vaccine"), row)
        whole = match_vaccine(vaccine.text) if not vaccine.is_empty else None
        if printed is not None:
            label = printed
        elif whole is not None and len(whole.groups) == 1:
            # A single-group name can only stand in its own group's block: it names the block.
            label = vaccine.text
        date = vote_date(cell_or_band(row, "date", table), date_reads[index], today)
        provider = better_read(cell_field(row, "provider"), providers[index])
        date_box = _column_box(table, row, "date")
        provider_box = _column_box(table, row, "provider")
        date_inked = date_box is not None and ink_share(page, date_box, table.ruling) > _WRITTEN
        provider_inked = provider_box is not None and ink_share(
            page, provider_box, table.ruling) > _WRITTEN
        if date.is_empty and provider.is_empty and not date_inked and not provider_inked:
            continue
        has_digits = any(ch.isdigit() for ch in date.text)
        # Without a date, a row is a dose only if something was written for it: a product
        # name right of the printed label, or a provider read on the row itself (stamps
        # overflow into the rows around them, so their ink alone does not count).
        column = table.column("vaccine")
        written_product = not vaccine.is_empty and (printed is not None or (
            column is not None and vaccine.box is not None
            and vaccine.box[0] > column.x0 + 0.3 * (column.x1 - column.x0)))
        if not has_digits and not (provider_inked and (
                written_product or provider.confidence >= 0.6)):
            # A heading row (a group's label printed across the row), not a dose: it names the
            # rows below, or, unread, leaves them unnamed rather than in the previous group.
            heading = " ".join(w.text for w in sorted(
                (w for ws in row.cells.values() for w in ws), key=lambda w: w.box[0]))
            label = heading if match_label(heading) is not None else None
            continue
        if provider.is_empty and provider_inked:
            # Ink OCR could not read (a faint or tilted stamp): a provider, but unread.
            provider = TextField("", 0.3, row.page, provider_box)
        elif not provider_inked and provider.confidence < 0.5:
            provider = TextField("", 0.9, row.page, provider_box)
        if date.is_empty and date_inked:
            date = TextField("?", 0.3, row.page, date_box, date.readings)
        doses.append(DraftDose(vaccine=vaccine, date=date, provider=provider, label=label))
    return doses


def _column_box(table: Table, row: TableRow, name: str) -> tuple[int, int, int, int] | None:
    column = table.column(name)
    return None if column is None else (column.x0, row.box[1], column.x1, row.box[3])


def _name_above_birthdate(page: PageText, region: Box) -> TextField:
    """The line just above the birth date when the small "Name" label itself was not read.

    The name is the first field of the patient block on every card revision; taken this way
    it is unsure and capped below the review threshold.
    """
    birth = find_any_label(page, BIRTH_LABELS, region)
    if birth is None:
        return TextField()
    height = birth[3] - birth[1]
    above = [line for line in group_lines(page.words)
             if birth[1] - 4 * height <= line.box[3] <= birth[1] and line.box[0] < birth[2]]
    if not above:
        return TextField()
    line = above[-1]
    confidence = min(0.6, sum(w.confidence for w in line.words) / len(line.words))
    return TextField(line.text, confidence, page.page.number, line.box)
