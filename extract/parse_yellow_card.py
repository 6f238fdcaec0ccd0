"""Parse a California yellow card: patient block, then the dose grid found by its headers."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import replace

from extract.cells import (
    INSET_KEPT,
    better_read,
    cell_or_band,
    column_reads,
    date_column_reads,
    padded,
    read_dated_field,
    read_name_field,
)
from extract.dates import NO_DATE, DateKind, parse_date, shaped_like_a_date
from extract.draft import Draft, DraftDose, PageText, TextField
from extract.fields import date_after, find_any_label, value_after, vote_date
from extract.layout import group_lines, holds_text, normalise, reads_like
from extract.ocr import OcrEngine
from extract.page import Box, Word, union_box
from extract.reread import (
    read_date_choices,
    read_name_lines,
    read_region,
    read_text_lines,
    reread_cells,
)
from extract.result import DocumentType
from extract.table import (
    WRITTEN,
    Table,
    TableRow,
    cell_field,
    find_table,
    ink_share,
    own_ink_share,
    rule_near,
    table_under_unread_header,
)
from extract.vocabulary import (
    label_groups,
    match_label,
    match_vaccine,
    vaccine_name_groups,
    vaccine_names,
)

__all__ = ["parse_yellow_card", "read_dose_rows", "split_row_label", "sure_birth_date"]

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
# Letters a printed block label has at least ("OTHER").
_LABEL_LETTERS = 4
# Letters a provider read alone on a row must have to stand for a clinic's name written there,
# not a stroke or a stamp's edge read as 'a' or 'CO'.
_PROVIDER_LETTERS = 8
# The share of the card's usual row height a band must have to be a row of its own.
_WHOLE_ROW = 0.75
# Confidence of a birth date found without its label, or with its label badly read.
_UNLABELLED = 0.6
# How closely a birth-date label read with slips must match (difflib ratio), when the usual
# match found none: the labels are long (9 to 19 letters), and in the patient blocks of the
# corpus nothing else came within 0.67 of one ('DATE' 0.62, 'Doe' for 'DOB' 0.67).
_SLIPPED_LABEL = 0.7
# A provider the page read reads this sure is not read again (print, a clear hand).
_SURE_PROVIDER = 0.8
# A vaccine name read at or over this needs no second read.
_SURE_NAME = 0.8
# Ink share of a date cell that holds a written line of characters (digits give 5-9%).
_SCRIBBLED = 0.03
# OCR confidence under which what is in a cell is not read, only seen.
_ILLEGIBLE = 0.5
# A date cell with this many times the ink of the inkiest date read on its list holds more
# than a date: typed dates struck over measured 1.51 and 1.69 times (one typed date to the
# next varies by a tenth; hands by more).
_STRUCK_OVER = 1.4
# Full dates read on a list, at least, for their ink to say what a date's ink is.
_FEW_DATES = 3


def parse_yellow_card(pages: list[PageText], ocr: OcrEngine | None, today: dt.date) -> Draft:
    """Read the child and every dose row of a yellow card (all pages).

    Rows are found under the printed headers; a row's vaccine is what is written in its vaccine
    cell, else the printed label of the block it belongs to.
    """
    draft = Draft(DocumentType.YELLOW_CARD, requires_provider=True)
    for page in pages:
        table = find_table(page, HEADERS, stop_labels=_STOPS)
        if table is None and (table := _table_by_its_blocks(page)) is not None:
            # Rows above a first block heading that went unread would be missed unseen.
            draft.unread.append(f"page {page.page.number}: the dose grid's header was not "
                                "read; its rows were found from its first block heading read")
        elif table is None and holds_text(page.words):
            # Every page of a card holds its grid, a later one the grid's continuation ("OTHER
            # VACCINES"): with the doses of the other pages read, this page's would be missing
            # from the record unseen.
            draft.unread.append(f"page {page.page.number}: no dose grid was made out on it; "
                                "any doses on it are unread")
        top = table.header[1] if table else page.page.size[1]
        region = (0, 0, page.page.size[0], top)
        if draft.child_name.is_empty:
            draft.child_name = read_name_field(
                page, value_after(page, NAME_LABELS, PATIENT_STOPS, region=region), ocr)
        if draft.child_name.is_empty:
            draft.child_name = _name_above_birthdate(page, region)
        if draft.birth_date.is_empty:
            found, unlabelled = _birth_date(page, region, ocr, today, table is not None)
            if found.is_empty and table is not None:
                found = _lone_date_above(page, region, ocr, today)
                unlabelled = "the one date written above the dose grid was taken for it"
            if unlabelled and not found.is_empty:
                draft.take_unlabelled_birth_date(found, unlabelled)
            else:
                draft.birth_date = found
        if table is not None:
            draft.doses.extend(read_dose_rows(page, table, ocr, today,
                                              born=sure_birth_date(draft.birth_date, today)))
    return draft


_STOPS = ("Tuberculin", "TB Test", "Comments")


def sure_birth_date(field: TextField, today: dt.date) -> dt.date | None:
    """The birth date as read, when its reads agree on it sure; else None.

    Read this sure, 44 of the committed corpus's first 60 cards' and forms' birth dates were
    right and one wrong; under it, 3 of 18.
    """
    return parse_date(field.text, today).full_date if field.confidence >= _SURE_BIRTH else None


# A birth date read at least this sure is evidence against a dose's reading before it.
_SURE_BIRTH = 0.8


def _table_by_its_blocks(page: PageText) -> Table | None:
    """The dose grid of a card whose header row was not read, found by its first block.

    A blurred strip card's header is small print the page read leaves unread, while its
    block headings ('POLIO', 'DTaP/DTP/DT') are larger and read: the grid starts above the
    first of them, its columns named by the rules between them. A card prints no vaccine's
    name above its grid, so the first line naming one with a ruled grid under it is that
    heading (or a row's product, its row in the grid), however unsure; a speck above the card
    read 'TD' (seed 99's 0003) has the name and birth date boxes under it, whose rules make no
    grid.
    """
    for line in group_lines(page.words):
        if match_label(" ".join(w.text for w in line.words)) is not None:
            top = line.box[1] - (line.box[3] - line.box[1]) // 2
            table = table_under_unread_header(page, HEADERS, top, stop_labels=_STOPS)
            if table is not None:
                return table
    return None


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
    if match_label(label) is None and not _printed_caps(left):
        return None, field
    text = " ".join(w.text for w in right)
    confidence = sum(w.confidence for w in right) / len(right)
    return label, TextField(text, confidence, field.page, union_box([w.box for w in right]))


def _repeats_header(row: TableRow) -> bool:
    """Whether the row holds column headers ('VACUNA | FECHA | MEDICO O CLINICA'), no entry.

    A bilingual card's second header line. Its vaccine cell is a header, and every other cell
    is empty or its column's header, read close ('MEDICOO CLINICA'): the page read may leave
    a header's words unread, or read the two lines apart.
    """
    return _header_of(row, "vaccine") and all(
        not normalise(row.text(name)) or _header_of(row, name) for name in HEADERS)


def _header_of(row: TableRow, column: str) -> bool:
    """Whether the row's cell in `column` reads as one of that column's headers."""
    text = normalise(row.text(column))
    return any(reads_like(text, label) for label in _HEADER_WORDS[column])


_HEADER_WORDS = {name: frozenset(normalise(label) for label in labels)
                 for name, labels in HEADERS.items()}


def _row_text(row: TableRow) -> str:
    """The words of every cell of a row, left to right."""
    return " ".join(w.text for w in sorted((w for ws in row.cells.values() for w in ws),
                                           key=lambda w: w.box[0]))


def _heading_across(row: TableRow) -> bool:
    """Whether the row is a block's heading whose words reach into the date column.

    Its date cell holds printed words in capitals read sure, not a date, and the row's words
    name a block ('DIPHTHERIA, TETANUS, PERTUSSIS (DTaP/DTP)').
    """
    words = row.cells.get("date", ())
    text = "".join(w.text for w in words)
    letters = [ch for ch in text if ch.isalpha()]
    return (len(letters) >= _LABEL_LETTERS and not any(ch.isdigit() for ch in text)
            and "".join(letters).isupper()
            and sum(w.confidence for w in words) / len(words) >= _PRINTED_SURE
            and match_label(_row_text(row)) is not None)


# Printed words are read at least this sure on average; a scrawl or a stamp's letters are not.
_PRINTED_SURE = 0.8


def _letters(text: str) -> int:
    """How many letters `text` holds."""
    return sum(ch.isalpha() for ch in text)


# What OCR makes of a speck at a word's edge: a quote mark ('‘OTHER').
_SPECK_MARKS = "'\"`‘’“”"


def _printed_caps(words: list[Word]) -> bool:
    """Whether words look like a label printed in capitals ("OTHER / OTRAS").

    Such a printed row label outside the vocabulary names a block of its own.
    """
    # Small print reads unsure, and the slash between the English and Spanish labels often
    # as 1, l, f or |: a word of one character between them is that slash, whatever it was
    # read as. What is right of the gap is then judged on its own (unknown: reviewed).
    text = "".join(w.text.strip(_SPECK_MARKS) for w in words
                   if len(w.text) > 1 or len(words) == 1)
    letters = _letters(text)
    return (letters >= _LABEL_LETTERS and letters >= 0.7 * len(text) and text.upper() == text
            and all(ch.isalnum() or ch in "/|()&,-." for ch in text))


def read_dose_rows(page: PageText, table: Table, ocr: OcrEngine | None,
                   today: dt.date, *, blocks: bool = True,
                   born: dt.date | None = None) -> list[DraftDose]:
    """Every written row of a dose grid; each column's cells are re-read on their own.

    `blocks`: the grid groups its rows in blocks, one per vaccine (a yellow card), so a name
    written in a row also names the unlabelled rows under it; a plain list (a CSF 49's) does
    not. `born`: the child's birth date when read sure (`sure_birth_date`).
    """
    rows = list(table.rows)
    date_reads = date_column_reads(page, table, rows, ocr, today, checked=True, born=born)
    provider_boxes = [table.cell_box(row, "provider") for row in rows]
    providers_inked = [box is not None and own_ink_share(page, box, table.ruling) > WRITTEN
                       for box in provider_boxes]
    providers = _provider_reads(page, table, rows, providers_inked, ocr)
    date_boxes = [table.cell_box(row, "date") for row in rows]
    date_inks = [0.0 if box is None else ink_share(page, box, table.ruling) for box in date_boxes]
    most_ink = _most_date_ink(rows, date_inks, today)
    # A block's printed label names its vaccine; a plain list's handwritten names need reading.
    names = [None] * len(rows) if blocks else _unmatched_names_by_line(page, table, rows, ocr)
    missed, unread_print = _missed_labels(page, table, rows, ocr) if blocks else (
        [None] * len(rows), frozenset())
    row_height = statistics.median(row.box[3] - row.box[1] for row in rows) if rows else 0
    label: str | None = None
    # Whether `label` was inferred from a name written in an earlier row, not printed.
    inferred = False
    # Whether the row above was a block's heading: the row under one is written for a dose.
    under_heading = False
    # The label a row above may have ended: print unread or half read where a label stands (a
    # blurred '(PCV)'), or a combination's name there. Until a label is read, the rows under
    # it with no name of their own are not given it for sure.
    doubted: str | None = None
    doses: list[DraftDose] = []
    dose_rows: list[TableRow] = []
    # The position of the dose whose written name `label` is, while it is inferred; None until
    # the row naming the block is a dose.
    naming_dose: int | None = None
    for index, row in enumerate(rows):
        after_heading, under_heading = under_heading, False
        if _repeats_header(row):
            # The header's second line (a bilingual card's "VACUNA | FECHA | ..."), no entry.
            continue
        printed, vaccine = split_row_label(cell_field(row, "vaccine"), row)
        by_line = names[index]
        if by_line is not None:
            vaccine = TextField(by_line[0], by_line[1], row.page,
                                vaccine.box or table.cell_box(row, "vaccine"),
                                (vaccine.text,))
        whole = match_vaccine(vaccine.text) if not vaccine.is_empty else None
        printed = printed or missed[index]
        if blocks and whole is None and _heading_across(row):
            # A block's heading printed across the date column: the digits a re-read made of
            # its letters ('1.10' of 'DIPHTHERIA, TETANUS,') are no date written.
            label, inferred, under_heading = _row_text(row), False, True
            continue
        # The printed block label a row's own name takes the place of: the name is checked
        # against it (extract.finish), a name misread as another vaccine ('IPV' as 'rv').
        named_here, block, above = False, None, label
        if printed is not None:
            label, inferred = printed, False
            # A card prints one vaccine group's label on a block: a combination's name read
            # there is a product written or stuck on the row (a Vaxelis sticker read 'Vaxel'
            # in the Hib block), which may or may not name the rows under it.
            doubted = label if len(label_groups(label)) > 1 else None
        elif whole is not None and len(whole.groups) == 1:
            # A single-group name can only stand in its own group's block: it names the block
            # (the next block's label may have gone unread).
            block = label if _printed_block(label, inferred) else None
            label, inferred, named_here, naming_dose = vaccine.text, True, True, None
        date = vote_date(cell_or_band(row, "date", table), date_reads[index].tesseract, today,
                         date_reads[index].by_line)
        if date_reads[index].check:
            date = replace(date, choices=date_reads[index].check)
        provider_box, provider_inked = provider_boxes[index], providers_inked[index]
        provider = better_read(cell_field(row, "provider"), providers[index], provider_box)
        date_box, date_ink = date_boxes[index], date_inks[index]
        date_inked = date_ink > WRITTEN
        # A plain list's rows are each written for a dose: a vaccine named there with its date
        # cell left blank is a dose whose date is missing. A card's printed labels name every
        # block, written in or not.
        named_undated = not blocks and not date_inked and match_label(vaccine.text) is not None
        vaccine_words = sorted(row.cells.get("vaccine", ()), key=lambda w: w.box[0])
        if (date.is_empty and provider.is_empty and not date_inked and not provider_inked
                and not named_undated):
            if blocks and (printed is not None or whole is not None
                           or _printed_caps(vaccine_words)):
                # A block's heading on a row of its own ('HEPATITIS A', 'Influenza (Flu)'):
                # the row under it is written for a dose, stamped or signed even where its
                # date was left blank.
                under_heading = True
                if printed is None and whole is None:
                    # A printed heading outside the vocabulary ("OTHER / OTRAS") starts a
                    # block of its own: the rows under it do not belong to the block above.
                    label, inferred, doubted = vaccine.text, False, None
            elif blocks and printed is None and whole is None and (
                    _letters(vaccine.text) >= _LABEL_LETTERS):
                # Print OCR half read where a heading stands ('7+ — = = Conjugate' for
                # 'Pneumococcal Conjugate'): the block above may have ended here.
                doubted = label
            continue
        # An age written in letters the recogniser read as letters ('IIMOS') is as much an
        # entry as digits are.
        read_as = parse_date(date.text, today).kind
        date_written = any(ch.isdigit() for ch in date.text) or read_as is DateKind.AGE
        if (not blocks and vaccine.is_empty and not _row_text(row) and read_as in NO_DATE
                and date.confidence < _ILLEGIBLE):
            # A list's row the page read found nothing on, whose date cell a re-read made a
            # stray digit of ('7'): a stain or a speck, no entry.
            continue
        # Without a date, a row is a dose only if something was written for it: a product
        # name right of the printed label, or a provider read on the row itself (stamps
        # overflow into the rows around them, so their ink alone does not count).
        column = table.column("vaccine")
        written_product = not vaccine.is_empty and (printed is not None or (
            column is not None and vaccine.box is not None
            and vaccine.box[0] > column.x0 + 0.3 * (column.x1 - column.x0)))
        heading = _row_text(row)
        # The date cell full of ink OCR cannot make out, a vaccine named or, in a block, the
        # row's own provider ink beside it (a typed date struck over, then stamped): a date
        # scribbled over or illegible, still a dose (with an unreadable date). Printed words
        # spilling over from a heading read sure, a scrawl does not.
        scribbled = (not date_written and date_ink >= _SCRIBBLED and not date.is_empty
                     and date.confidence < _ILLEGIBLE
                     and ((not vaccine.is_empty and match_vaccine(vaccine.text) is not None)
                          or (blocks and label is not None and provider_inked)))
        # A vaccine named in the first row under a heading, stamped, with no date: a dose whose
        # date is missing (a heading's own row holds no stamp, and two headings never follow
        # each other).
        stamped_entry = after_heading and whole is not None and provider_inked
        # Nothing but a provider written in that first row, or in the row the block's label is
        # printed in (a card that labels a block's first row), in its own ink (a stamp pressed
        # on the row below is not counted as this row's): an entry whose date was left blank.
        # A band much lower than the card's rows is no row of its own but part of one the page
        # read split, a stamp's top above its dose's date.
        label_row = whole is not None and _printed_caps(vaccine_words)
        provider_entry = ((after_heading or label_row) and provider_inked
                          and _letters(provider.text) >= _PROVIDER_LETTERS
                          and row.box[3] - row.box[1] >= _WHOLE_ROW * row_height)
        # The block's own vaccine named in the row under one of its doses, stamped: an entry
        # whose date was left blank. A block prints its label once, at its head, so this is no
        # heading, unless it is the label's second line ('Rubella)' under 'MMR (Measles,
        # Mumps,'; 'TETANUS, PERTUSSIS' in capitals).
        below_dose = (named_here and whole is not None
                      and set(whole.groups) <= label_groups(above)
                      and bool(dose_rows) and dose_rows[-1] is rows[index - 1]
                      and not _continues(cell_field(rows[index - 1], "vaccine").text,
                                         vaccine.text)
                      and not _printed_caps(vaccine_words))
        if not date_written and not scribbled and not named_undated and not (provider_inked and (
                written_product or provider.confidence >= 0.6 or stamped_entry or below_dose
                or provider_entry)):
            if not _letters(heading) and row.box[3] - row.box[1] < _WHOLE_ROW * row_height:
                # A band much lower than the card's rows with no letter in it: a speck read in
                # a band the page read split off a row (',' over a date's row), no heading; the
                # rows below stay in the block. A whole row read as marks only may be a heading
                # a fax left unreadable, and leaves the rows below unnamed, as any unread one.
                continue
            # A heading row (a group's label printed across the row), not a dose: it names the
            # rows below, or, unread, leaves them unnamed rather than in the previous group.
            # A label the page read missed and its own box's read found ('MMR' on a stained
            # band) names them too.
            label = heading if match_label(heading) is not None else printed
            inferred = False
            under_heading = label is not None
            continue
        if provider.is_empty and provider_inked:
            # Ink OCR could not read (a faint or tilted stamp): a provider, but unread. As an
            # inked date cell, it reads '?': a reviewer reads it, and no flag says that no
            # provider is named where a stamp may name one.
            provider = TextField("?", 0.3, row.page, provider_box)
        elif not provider_inked and provider.confidence < 0.5:
            provider = TextField("", 0.9, row.page, provider_box)
        if date.is_empty and date_inked:
            date = TextField("?", 0.3, row.page, date_box, date.readings)
        elif (read_as in (DateKind.PARTIAL, DateKind.UNREADABLE) and date.confidence < _ILLEGIBLE
              and 0 < most_ink * _STRUCK_OVER <= date_ink):
            # Read in part and unsure, in a cell holding far more ink than any date read on the
            # list: more is written than was read. A date struck over ('4/22' of a typed date
            # crossed out) or a hand's date half read ('12-31' of '12-31-2021'), not a month
            # and year written: unreadable, and no month-only date for the record.
            date = TextField("?", 0.3, row.page, date.box or date_box, (date.text, *date.readings))
        elif named_undated and not date_written:
            # What OCR made of a clean cell (a stray mark) is not a date written.
            date = TextField("", 0.9, row.page, date_box)
        # A product written or stuck on the row (a sticker's small print) that OCR did not
        # read: the block's label stands in for it, but a combination or another vaccine may
        # be written there (a ProQuad sticker in the MMR block).
        # Or letters a re-read of the label's half of the cell found and the page read did
        # not, naming no vaccine: print unread there (the next block's label, its top cut
        # by the rule it touches) may begin another block.
        unread = blocks and vaccine.is_empty and (
            _unread_writing(page, table, row, missed[index])
            or (printed is None and index in unread_print))
        if unread and printed is None:
            # Where no label was read, that print may be the next block's label.
            doubted = label
        if unread or (blocks and vaccine.is_empty and printed is None and doubted is not None
                      and label == doubted):
            vaccine = TextField("?", 0.3, row.page, table.cell_box(row, "vaccine"))
        # In a plain list, a name written in an earlier row says nothing of another row. A
        # row's own name is no label of it: a label agreeing with the name read makes the name
        # sure, and the name would agree with itself.
        own_label = block if named_here else None if not blocks and inferred else label
        named_by = naming_dose if inferred and not named_here else None
        if named_here:
            naming_dose = len(doses)
        doses.append(DraftDose(vaccine=vaccine, date=date, provider=provider, label=own_label,
                               named_by=named_by))
        dose_rows.append(row)
    return _unsure_names_read_again(page, table, doses, dose_rows, ocr)


def _unread_writing(page: PageText, table: Table, row: TableRow, missed_label: str | None
                    ) -> bool:
    """Whether a vaccine cell read as holding no product has ink right of its printed label.

    The label is what the page read found in the cell; a label only a re-read of the left half
    found (`missed_label`) fills that half.
    """
    column = table.column("vaccine")
    if column is None:
        return False
    printed = [w.box[2] for w in row.cells.get("vaccine", ())]
    x0 = max(printed, default=column.x0)
    if missed_label is not None:
        x0 = max(x0, (column.x0 + column.x1) // 2)
    return x0 < column.x1 and own_ink_share(
        page, (x0, row.box[1], column.x1, row.box[3]), table.ruling) > WRITTEN


def _continues(above: str, text: str) -> bool:
    """Whether `text` goes on from the line `above`: a list or a bracket left open there."""
    above = above.rstrip()
    return (above.endswith((",", "/", "-", "&")) or above.count("(") > above.count(")")
            or text.count(")") > text.count("("))


def _printed_block(label: str | None, inferred: bool) -> bool:
    """Whether the rows are under a printed label naming a vaccine group."""
    return not inferred and bool(label_groups(label))


def _unsure_names_read_again(page: PageText, table: Table, doses: list[DraftDose],
                             rows: list[TableRow], ocr: OcrEngine | None) -> list[DraftDose]:
    """Doses whose name was read unsure but names a vaccine exactly, their cell read again.

    The re-read is kept as a further reading: two reads landing on the same name of the
    vocabulary make it sure (extract.finish), where an OCR slip does not land twice. All are
    read in one OCR call.
    """
    wanted = [index for index, dose in enumerate(doses)
              if dose.vaccine.confidence < _SURE_NAME
              and (match := match_vaccine(dose.vaccine.text)) is not None and match.exact]
    if not wanted:
        return doses
    reads = column_reads(page, table, [rows[i] for i in wanted], "vaccine", ocr)
    doses = list(doses)
    for index, read in zip(wanted, reads, strict=True):
        if read is not None and read[0].strip():
            vaccine = doses[index].vaccine
            doses[index] = replace(doses[index], vaccine=replace(
                vaccine, readings=(*vaccine.readings, read[0])))
    return doses


def _provider_reads(page: PageText, table: Table, rows: list[TableRow], inked: list[bool],
                    ocr: OcrEngine | None) -> list[tuple[str, float] | None]:
    """The inked provider cells the page read left unsure, re-read; None for the rest.

    A cell the page read read sure keeps that read, and a cell with no ink has nothing to
    read: a stamp's re-read costs more than any other cell's, a tenth of a second a card.
    """
    wanted = [index for index, row in enumerate(rows)
              if inked[index] and cell_field(row, "provider").confidence < _SURE_PROVIDER]
    reads: list[tuple[str, float] | None] = [None] * len(rows)
    for index, read in zip(wanted, column_reads(page, table, [rows[i] for i in wanted],
                                                "provider", ocr), strict=True):
        reads[index] = read
    return reads


def _missed_labels(page: PageText, table: Table, rows: list[TableRow],
                   ocr: OcrEngine | None) -> tuple[list[str | None], frozenset[int]]:
    """Printed block labels the page read missed, read again in the label's own box.

    A whole-page read in sparse mode now and then drops a short printed word ("POLIO") that a
    read of its cell alone gets; without its label the block's rows would be unnamed. Only rows
    with ink in the left half of the vaccine cell (where labels are printed) and no label read
    there are read again, all in one OCR call. Also returns the rows where that read found a
    word's letters and no label: something printed or written there was not read.
    """
    column = table.column("vaccine")
    if column is None:
        return [None] * len(rows), frozenset()
    middle = (column.x0 + column.x1) // 2
    start = _labels_start(page, table, rows, column.x0)
    wanted: list[int] = []
    boxes: list[Box] = []
    for index, row in enumerate(rows):
        left = sorted((w for w in row.cells.get("vaccine", ()) if w.cx < middle),
                      key=lambda w: w.box[0])
        if left and (match_label(" ".join(w.text for w in left)) is not None
                     or _printed_caps(left)):
            continue
        # A label longer than half the cell ('DTaP/DTP/DT') is read whole, as far as the
        # page read found its letters.
        end = max([middle] + [w.box[2] + INSET_KEPT for w in left])
        box = (start, row.box[1], end, row.box[3])
        if ink_share(page, box, table.ruling) > WRITTEN:
            wanted.append(index)
            boxes.append(box)
    labels: list[str | None] = [None] * len(rows)
    unread: set[int] = set()
    for index, read in zip(wanted, reread_cells(page, boxes, ocr), strict=True):
        if read is None:
            continue
        # Only a label that names a vaccine: the second line of a label printed on two
        # ("TETANUS, PERTUSSIS") is no heading of its own, and a block of its own
        # ("OTHER / OTRAS") begins at an empty row, which the caller already tells.
        if match_label(read[0]) is not None:
            labels[index] = read[0]
        elif _letters(read[0]) >= _LABEL_LETTERS:
            unread.add(index)
    return labels, frozenset(unread)


def _labels_start(page: PageText, table: Table, rows: list[TableRow], x0: int) -> int:
    """Where the block labels begin: the vaccine column's edge, or the words left of it.

    The column's edge is taken from its header or a rule; where the card's left border went
    unfound (a skewed scan), the grid begins further left, and so do its labels: cut at the
    edge, 'DTaP/DTP/DT' was read again as 'aP/DTF' and 'POLIO' as 'dLIO'. Words the page read
    put in the column up to a quarter inch left of its edge say where they begin. Where the
    edge is a rule found, it is the border: words reaching across it are read over the line.
    """
    if not rows:
        return x0
    near = round(_EDGE_RULE_INCHES * page.page.dpi)
    if table.ruling is not None and rule_near(table.ruling.vertical, x0, rows[0].box[1],
                                              rows[-1].box[3], near):
        # The edge is a rule found: words across it are read over the border ('| Hep &').
        return x0
    reach = x0 - round(_LABEL_REACH_INCHES * page.page.dpi)
    lefts = [w.box[0] for row in rows for w in row.cells.get("vaccine", ())
             if reach <= w.box[0] < x0]
    return min(lefts) - INSET_KEPT if lefts else x0


# How far left of the vaccine column's edge a block label's words may begin, in inches.
_LABEL_REACH_INCHES = 0.25
# A vertical rule this near the column's edge is the edge, found (inches).
_EDGE_RULE_INCHES = 0.03


# Confidence of a vaccine name chosen from the vocabulary by likelihood: under review.
_SPELLED = 0.6


def _unmatched_names_by_line(page: PageText, table: Table, rows: list[TableRow],
                             ocr: OcrEngine | None) -> list[tuple[str, float] | None]:
    """The line reader's reading of each vaccine cell whose page read names no vaccine.

    Only readings that name one (exactly or nearly, as `match_label` allows) are given back:
    Tesseract misses most handwritten names ('HER B', 'mal' for IPV), the line recogniser
    reads most of them, and a reading that names nothing adds nothing.
    """
    if table.column("vaccine") is None:
        return [None] * len(rows)
    unmatched = [index for index, row in enumerate(rows)
                 if match_label(cell_field(row, "vaccine").text) is None]
    boxes = [box for i in unmatched if (box := table.cell_box(rows[i], "vaccine"))]
    names: list[tuple[str, float] | None] = [None] * len(rows)
    for index, reading in zip(unmatched, read_text_lines(page, boxes, ocr), strict=True):
        if reading is not None and match_label(reading[0]) is not None:
            names[index] = reading
    # Still nameless: ask which vocabulary name the strokes most likely spell ('MMK' is too
    # short to match safely, but the recogniser's second choice for the K was an R).
    left = [(index, box) for index, box in zip(unmatched, boxes, strict=True)
            if names[index] is None]
    spelled = read_name_lines(page, [box for _, box in left], ocr, vaccine_names(),
                              vaccine_name_groups())
    for (index, _), reading in zip(left, spelled, strict=True):
        if reading is not None:
            # Chosen from a list, not read letter by letter: a reviewer confirms it.
            names[index] = (reading[0], min(reading[1], _SPELLED))
    return names


def _most_date_ink(rows: list[TableRow], inks: list[float], today: dt.date) -> float:
    """The most ink a date cell the page read as a full date holds; 0 with too few read.

    The most, not the usual: a card's entries are written by several hands, some heavier.
    """
    written = [ink for row, ink in zip(rows, inks, strict=True)
               if parse_date(cell_field(row, "date").text, today).kind is DateKind.FULL]
    return max(written) if len(written) >= _FEW_DATES else 0.0


def _birth_date(page: PageText, region: Box, ocr: OcrEngine | None, today: dt.date,
                bounded: bool) -> tuple[TextField, str | None]:
    """The date after the birth-date label; the patient block read again if the label was not.

    Large handwriting beside the small label often swallows it in the page read. `bounded`:
    the dose grid was found, so the region is the patient block, not the whole page.
    Returned with how the date was found when its label was not read as printed (a review
    reason), else None.
    """
    if bounded and find_any_label(page, BIRTH_LABELS, region) is None:
        page = read_region(page, region, ocr)
    found = date_after(page, BIRTH_LABELS, PATIENT_STOPS, region=region, today=today)
    if found.box is not None or not bounded:
        return read_dated_field(page, found, ocr, today), None
    # Not even in the block read again: a long label read with a few slips ('Bathgate',
    # 'Fecha de cacrmerte') still stands out in the patient block, where no other label
    # comes near it. Found that way, the date goes to a reviewer.
    slipped = date_after(page, BIRTH_LABELS, PATIENT_STOPS, region=region, today=today,
                         min_ratio=_SLIPPED_LABEL)
    if slipped.box is None:
        return found, None
    read = read_dated_field(page, slipped, ocr, today)
    return (replace(read, confidence=min(read.confidence, _UNLABELLED)),
            "the date after a word read like it was taken for it")


def _lone_date_above(page: PageText, region: Box, ocr: OcrEngine | None,
                     today: dt.date) -> TextField:
    """The one date written in the patient block when its small label was not read.

    Above the dose grid a card holds a single date, the birth date. Taken without its label
    it is capped below the review threshold: a reviewer confirms it. When no word there reads
    as a date, one word written as a date is ('64/61/2625' for a typed '04/01/2025',
    'W/2T/LOU' for a hand's '11/27/2021'): its box is read again as a date. When none is
    written as one either, the line recogniser looks for it (`_date_in_the_writing`).
    """
    words = [w for w in page.words if region[1] <= w.cy <= region[3]]
    dated = [(w, found.value) for w in words
             if (found := parse_date(w.text, today)).kind is DateKind.FULL
             and found.value is not None and found.value <= today]
    values = {value for _, value in dated}
    if len(values) == 1:
        word = dated[0][0]
        return TextField(word.text, min(_UNLABELLED, word.confidence), page.page.number,
                         word.box)
    shaped = [w for w in words if shaped_like_a_date(w.text)]
    if not values and not shaped:
        return _date_in_the_writing(page, words, ocr, today)
    if values or len(shaped) != 1:
        return TextField()
    word = shaped[0]
    read = read_dated_field(
        page, TextField(word.text, word.confidence, page.page.number, word.box), ocr, today)
    return replace(read, confidence=min(read.confidence, _UNLABELLED))


def _date_in_the_writing(page: PageText, words: list[Word], ocr: OcrEngine | None,
                         today: dt.date) -> TextField:
    """The one date the line recogniser reads in the patient block's handwriting, if one.

    Tesseract reads a hand's birth date as letters ('Wiefrere' for '11/12/2022'), nothing
    like a date. Each word it read unsure is read again by the line recogniser, which reads
    only dates: a name or an allergy written there comes out as no date, or as a date it
    gives little of its belief to. One date read clearly, no other, is the birth date.
    """
    unsure = [w for w in words if w.confidence < _ILLEGIBLE]
    choices = read_date_choices(page, [padded(w.box) for w in unsure], ocr, today)
    found = [(day, text, share, word.box)
             for word, cell in zip(unsure, choices, strict=True) for text, share in cell[:1]
             if share >= _CLEARLY_A_DATE and (day := parse_date(text, today).full_date)
             and day <= today]
    if len({day for day, *_ in found}) != 1:
        return TextField()
    _, text, share, box = max(found, key=lambda item: item[2])
    return TextField(text, min(share, _UNLABELLED), page.page.number, box)


# The line recogniser's share of its likeliest date in a word for the word to be taken for a
# date written in it. It reads only dates, so any writing gives some date a share.
_CLEARLY_A_DATE = 0.5


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
