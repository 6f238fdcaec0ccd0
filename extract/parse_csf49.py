"""Parse a CSF 49: child (Part A), the checked statement, signer, signature and date (Part B)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from engine.dates import Offset, add_offset
from engine.model import AttestationKind, Signer
from extract.cells import read_dated_field, read_name_field
from extract.checkbox import checkbox_ink
from extract.dates import DateKind, parse_date, shaped_like_a_date
from extract.draft import Draft, DraftDose, PageText, TextField
from extract.fields import find_any_label, value_after
from extract.layout import Line, find_label, group_lines, holds_text, normalise, reads_like
from extract.ocr import OcrEngine
from extract.page import Box, Word
from extract.parse_yellow_card import read_dose_rows, sure_birth_date
from extract.reread import read_text_lines
from extract.result import AttestationResult, DocumentType, Flag, FlagCode, SignatureResult
from extract.signature import read_signature
from extract.table import find_table
from extract.vocabulary import match_vaccine

__all__ = ["parse_csf49", "signature_flags"]

_STATEMENTS: tuple[tuple[AttestationKind, tuple[str, ...]], ...] = (
    (AttestationKind.AGE_APPROPRIATE, ("This child has received all immunizations appropriate",
                                       "This child has received all age-appropriate")),
    (AttestationKind.IN_PROCESS, ("This child is in the process of receiving",)),
    (AttestationKind.MEDICAL_EXEMPTION, ("This child cannot be immunized for medical reasons",
                                         "This child cannot be immunized")),
)
# Ink share inside a checkbox above which it counts as checked.
_CHECKED = 0.06
_AGENCY_WORDS = ("school", "district", "head start", "day care", "daycare", "child care",
                 "childcare", "preschool", "agency", "unified")
_PROVIDER_WORDS = ("clinic", "medical", "md", "pediatric", "pediatrics", "health", "hospital",
                   "physician", "family medicine", "immunization clinic")
_DOSE_HEADERS: dict[str, tuple[str, ...]] = {"vaccine": ("VACCINE",), "date": ("DATE GIVEN",)}
_NAME = ("Child's Name", "Child Name", "Name of Child")
_BIRTH = ("Birth Date", "Date of Birth", "Birthdate", "DOB")
_DUE = "Verification Due"
_PART_A = ("PART A", "TO BE COMPLETED BY THE COUNTY")
_PART_B = ("PART B", "TO BE COMPLETED BY A MEDICAL PROVIDER")
# Part A's three rows of cells take a tenth of the form's height: a 'Part B' read further
# below its 'Part A' is some other print misread.
_PART_A_HEIGHT = 0.25


def parse_csf49(pages: list[PageText], ocr: OcrEngine | None, today: dt.date) -> Draft:
    """Read a CSF 49 form; the attestation is signed only if ink that looks signed is found."""
    draft = Draft(DocumentType.CSF49, requires_signature=True)
    page = pages[0]
    # Part A prints each label small at the top of its cell and the value below it.
    draft.child_name = read_name_field(page, value_after(page, _NAME, _BIRTH, only_below=True),
                                       ocr)
    draft.birth_date = read_dated_field(page, value_after(
        page, _BIRTH, (_DUE, "Worker", "Case Number"), only_below=True), ocr, today)
    if draft.birth_date.is_empty and draft.birth_date.box is None and not (
            unlabelled := _unlabelled_birth_date(page, ocr, today)).is_empty:
        draft.take_unlabelled_birth_date(
            unlabelled, "the earlier of the dates written in Part A was taken for it")
    kind, kind_confidence = _checked_statement(pages)
    signature = _signature(pages)
    if signature is not None:
        draft.signatures.append(signature)
    draft.signature_date = _signature_date(pages, ocr, today)
    signed_on = parse_date(draft.signature_date.text, today)
    if kind is not None:
        name = _first_value(pages, ("Provider / Agency Name", "Provider or Agency Name",
                                    "Agency Name", "Provider Name"), ("Address", "Phone"))
        signed = bool(signature and signature.present)
        date_signed = signed_on.full_date
        details: dict[str, Any] = (_exemption_details(pages, date_signed, today)
                                   if kind is AttestationKind.MEDICAL_EXEMPTION else {})
        if (reason := _unread_duration(details.get("duration"), today)) is not None:
            draft.unread.append(reason)
        appointment = parse_date(_first_value(pages, ("Next appointment",), ()).text, today)
        draft.attestations.append(AttestationResult(
            kind=kind, signed=signed, signer=_signer(pages, name.text),
            date=date_signed,
            groups=details.get("groups", []),
            until=details.get("until"),
            condition=details.get("condition"),
            duration=details.get("duration"),
            vaccines_text=details.get("vaccines"),
            next_appointment=appointment.full_date,
            confidence=round(min(kind_confidence, signature.confidence if signature else 0.5), 3),
        ))
    for page_text in pages:
        lines = group_lines(page_text.words)
        header = find_label(lines, "DATE GIVEN", min_ratio=0.85)
        if header is None:
            page_text, lines = _headers_reread(page_text, lines, ocr)
            header = find_label(lines, "DATE GIVEN", min_ratio=0.85)
        if header is None:
            # The doses of a list whose header went unread would be missing from the record
            # unseen: on the form's page, the dates written under the list's title say there
            # is one; a page after the form's is an attachment, its dose list.
            title = find_label(lines, _DOSE_LIST_TITLE, min_ratio=0.85)
            written = (_dates_in_dose_list(page_text, lines, title[0], today)
                       if title is not None else 0)
            if written or (page_text is not page and holds_text(page_text.words)):
                draft.unread.append(f"page {page_text.page.number}: no dose list was made out "
                                    "on it; any doses on it are unread")
            continue
        doses = _dose_list(page_text, lines[header[1]], ocr, today,
                           sure_birth_date(draft.birth_date, today))
        draft.doses.extend(doses)
        written = _dates_in_dose_list(page_text, lines, header[0], today)
        if written > len(doses):
            # A list whose tables were not made out (a header misread) must not pass as a
            # form without one: the engine would judge the child on none of its doses.
            draft.unread.append(f"page {page_text.page.number}: the dose list shows {written} "
                                f"dates, {len(doses)} doses were read")
    return draft


def _unlabelled_birth_date(page: PageText, ocr: OcrEngine | None,
                           today: dt.date) -> TextField:
    """Part A's birth date when its small label went unread: the earlier of Part A's dates.

    The county writes two dates in Part A, the child's birth date and the date verification
    is due, which comes after it; Part A's labels are printed smaller than anything else on
    the form, and a phone photo's page read loses them more often than the dates written
    under them. Each word shaped like a date is read again as a date field (a blurred photo's
    page read makes '01/88/2023' of '01/08/2023'). A date under a 'Verification Due' label
    read is that one; without that label, both dates must be read to tell which is earlier.
    Which field it is stays the reviewer's to confirm.
    """
    width, height = page.page.size
    part_b = find_any_label(page, _PART_B)
    part_a = None if part_b is None else find_any_label(page, _PART_A,
                                                        region=(0, 0, width, part_b[1]))
    if part_a is None or part_b is None or part_b[1] - part_a[3] > _PART_A_HEIGHT * height:
        # Without both headings read, the dates above 'Part B' may include a dose's.
        return TextField()
    top = part_a[3]
    due = find_any_label(page, (_DUE,), region=(0, top, width, part_b[1]))
    dates: list[tuple[dt.date, TextField]] = []
    for word in page.words:
        if (word.box[1] < top or word.box[3] > part_b[1] or not shaped_like_a_date(word.text)
                or (due is not None and word.box[1] >= due[1] and word.box[0] < due[2]
                    and word.box[2] > due[0])):
            continue
        read = read_dated_field(page, TextField(word.text, word.confidence, page.page.number,
                                                word.box), ocr, today)
        if (day := parse_date(read.text, today).full_date) is not None:
            dates.append((day, read))
    if len(dates) < (1 if due is not None else 2):
        return TextField()
    born, read = min(dates, key=lambda pair: pair[0])
    return read if born <= today else TextField()


def _headers_reread(page: PageText, lines: list[Line],
                    ocr: OcrEngine | None) -> tuple[PageText, list[Line]]:
    """The page with a DATE GIVEN header the page read missed read again by the line reader.

    The list's headers are printed small; in a phone photo of an attachment page they blur
    past Tesseract ('DATE GNER', 'OTE GEN') while the line recogniser, given the two words
    as one line, reads them ('DATE GINEN'). Only two words of which the first reads nearly as
    DATE or the second nearly as GIVEN are read again; where the two read as DATE GIVEN they
    stand in for them.
    """
    pairs = [(a, b) for line in lines for a, b in zip(line.words, line.words[1:], strict=False)
             if reads_like(normalise(a.text), "date", _HEADER_WORD_RATIO)
             or reads_like(normalise(b.text), "given", _HEADER_WORD_RATIO)]
    if not pairs:
        return page, lines
    reads = read_text_lines(page, [_around(a.box, b.box) for a, b in pairs], ocr)
    moved: dict[int, Word] = {}
    for (a, b), read in zip(pairs, reads, strict=True):
        if read is not None and reads_like(normalise(read[0]), "date given"):
            moved[id(a)] = replace(a, text="DATE")
            moved[id(b)] = replace(b, text="GIVEN")
    if not moved:
        return page, lines
    page = PageText(page.page, tuple(moved.get(id(w), w) for w in page.words), page.ocr_image,
                    page.ruling)
    return page, group_lines(page.words)


# A word read as this much like DATE (or GIVEN) may be the header's word, read with a slip.
_HEADER_WORD_RATIO = 0.75
# White kept around two header words read again (pixels at the working resolution): the
# recogniser saw lines cut loosely, and Tesseract's boxes of blurred print run short.
_HEADER_MARGIN = 10


def _around(first: Box, second: Box) -> Box:
    """The box around two words with a margin."""
    return (min(first[0], second[0]) - _HEADER_MARGIN, min(first[1], second[1]) - _HEADER_MARGIN,
            max(first[2], second[2]) + _HEADER_MARGIN, max(first[3], second[3]) + _HEADER_MARGIN)


def _dates_in_dose_list(page: PageText, lines: list[Line], header: Box, today: dt.date) -> int:
    """How many words below the dose list's header and above the signature part read as dates."""
    stop = find_label(lines, "Signed by", min_ratio=0.8)
    bottom = stop[0][1] if stop is not None and stop[0][1] > header[3] else page.page.size[1]
    return sum(1 for w in page.words if header[3] < w.cy < bottom
               and parse_date(w.text, today).kind in (DateKind.FULL, DateKind.PARTIAL))


def _dose_list(page: PageText, header: Line, ocr: OcrEngine | None,
               today: dt.date, born: dt.date | None) -> list[DraftDose]:
    """The optional dose list, printed as one or two VACCINE | DATE GIVEN tables side by side.

    `header`: the line its DATE GIVEN header was found on; `born`: the birth date read sure.
    """
    heads = _table_heads(header)
    if not heads:
        return []
    # A table beside the last one whose headers went unread must not lend it its rows.
    beside = _unread_table_start(header)
    edges = [max(0, w.box[0] - 20) for w in heads] + [
        page.page.size[0] if beside is None else max(0, beside - 20)]
    doses = []
    for head, left, right in zip(heads, edges, edges[1:], strict=False):
        table = find_table(page, _DOSE_HEADERS, min_headers=2, span=(left, right),
                           stop_labels=_DOSE_LIST_ENDS, entries_by_line=True)
        if table is None and normalise(head.text) not in _VACCINE_HEADERS:
            # Its VACCINE header read past knowing ('vacewe'): the word standing in its place.
            page = PageText(page.page, tuple(replace(w, text="VACCINE") if w is head else w
                                             for w in page.words), page.ocr_image, page.ruling)
            table = find_table(page, _DOSE_HEADERS, min_headers=2, span=(left, right),
                               stop_labels=_DOSE_LIST_ENDS, entries_by_line=True)
        if table is not None:
            doses.extend(read_dose_rows(page, table, ocr, today, blocks=False, born=born))
    return doses


# What the form prints above its dose list; in full, as its opening ('all age-appropriate
# immunizations, is in ...') reads nearly like its first two words.
_DOSE_LIST_TITLE = "Immunizations given (optional)"
# What follows the dose list: the signature part, or on an attachment page the form's footer.
_DOSE_LIST_ENDS = ("Signed by", "Provider / Agency Name", "Signature", "CSF 49")


def _table_heads(header: Line) -> list[Word]:
    """The VACCINE header of each table of the dose list.

    Read with a slip ('vaceine') a VACCINE header is known by its letters. Read worse
    ('vacewe'), it is the first word after the previous table's DATE GIVEN: each DATE GIVEN is
    a table, and a table missed would leave its rows to the table beside it.
    """
    # Marks read from borders and specks ('_', '|') are no words of a header.
    words, texts = _header_words(header, 1)
    named = [index for index, text in enumerate(texts)
             if any(reads_like(text, name) for name in _VACCINE_HEADERS)]
    heads = [words[index] for index in named]
    after = 0
    for index in _date_given_at(texts):
        if not any(after <= i < index for i in named):
            between = [i for i in range(after, index)
                       if sum(ch.isalnum() for ch in texts[i]) >= _HEADER_LETTERS]
            if between:
                heads.append(words[between[0]])
        after = index + 2
    return sorted(heads, key=lambda w: w.box[0])


def _unread_table_start(header: Line) -> int | None:
    """Where words of a header stand after the last DATE GIVEN: a table whose headers went unread.

    Its rows would otherwise be read as the last table's, the dates of one beside the names of
    the other; cut off, they are counted as unread (`_dates_in_dose_list`).
    """
    words, texts = _header_words(header, _HEADER_LETTERS)
    last = max(_date_given_at(texts), default=None)
    if last is None or last + 2 >= len(words):
        return None
    return words[last + 2].box[0]


def _header_words(header: Line, letters: int) -> tuple[list[Word], list[str]]:
    """A header line's words with `letters` letters or digits or more, left to right, and texts."""
    words = [w for w in sorted(header.words, key=lambda w: w.box[0])
             if sum(ch.isalnum() for ch in w.text) >= letters]
    return words, [normalise(w.text) for w in words]


def _date_given_at(texts: list[str]) -> list[int]:
    """Where a header's words read DATE GIVEN: the index of the first of the two."""
    return [index for index in range(len(texts) - 1)
            if reads_like(f"{texts[index]} {texts[index + 1]}", "date given")]


_VACCINE_HEADERS = ("vaccine", "vacuna")
# Letters and digits a word needs to be a header read badly, not a border read as a bar.
_HEADER_LETTERS = 3


def _first_value(pages: list[PageText], labels: tuple[str, ...],
                 stops: tuple[str, ...]) -> TextField:
    for page in pages:
        found = value_after(page, labels, stops, below=False)
        if not found.is_empty:
            return found
    return TextField()


def _signature_date(pages: list[PageText], ocr: OcrEngine | None, today: dt.date) -> TextField:
    for page in pages:
        found = value_after(page, ("Date signed",), ("Name (print)", "Title"), below=False)
        if found.box is not None:
            return read_dated_field(page, found, ocr, today) if not found.is_empty else found
    return TextField()


def _statement_start(page: PageText, phrases: tuple[str, ...]) -> Box | None:
    """The box of a statement's opening words ("This child ..."), where its checkbox sits."""
    lines = group_lines(page.words)
    for phrase in phrases:
        found = find_label(lines, phrase, min_ratio=0.75)
        if found is not None:
            return found[0]
    return None


def _checked_statement(pages: list[PageText]) -> tuple[AttestationKind | None, float]:
    """The statement whose box holds the most ink, and how clearly it stands out."""
    marks: list[tuple[float, AttestationKind]] = []
    for page in pages:
        if page.page.binary is None:
            continue
        for kind, phrases in _STATEMENTS:
            box = _statement_start(page, phrases)
            if box is not None:
                marks.append((checkbox_ink(page.page.binary, box), kind))
        if marks:
            break
    if not marks:
        return None, 0.0
    marks.sort(key=lambda m: m[0], reverse=True)
    best, kind = marks[0]
    runner_up = marks[1][0] if len(marks) > 1 else 0.0
    if best < _CHECKED:
        return None, 0.9
    confidence = min(0.99, 0.6 + 2.0 * (best - runner_up))
    return kind, confidence


def _signature(pages: list[PageText]) -> SignatureResult | None:
    for page in pages:
        label = find_any_label(page, ("Signature:", "Signature"), min_ratio=0.85)
        if label is None:
            continue
        height = label[3] - label[1]
        band = (label[2], label[1] - height, page.page.size[0], label[3] + height)
        stop = find_any_label(page, ("Date signed", "Date"), region=band)
        right = stop[0] - 4 if stop is not None and stop[0] > label[2] else page.page.size[0]
        region = (label[2] + 4, label[1] - 4 * height, right, label[3] + height)
        reading = read_signature(page, region)
        return SignatureResult(field="signature", present=reading.present,
                               confidence=reading.confidence, page=page.page.number,
                               box=reading.box or region)
    return None


def _signer(pages: list[PageText], name: str) -> Signer | None:
    """Provider or agency: from the "Signed by" checkboxes, else from the signer's name."""
    for page in pages:
        anchor = find_any_label(page, ("Signed by",))
        if page.page.binary is None or anchor is None:
            continue
        height = anchor[3] - anchor[1]
        band = (anchor[0], anchor[1] - height, page.page.size[0], anchor[3] + height)
        provider = find_any_label(page, ("Medical provider",), region=band)
        agency = find_any_label(page, ("Public agency",), region=band)
        if provider is not None and agency is not None:
            marked_provider = checkbox_ink(page.page.binary, provider)
            marked_agency = checkbox_ink(page.page.binary, agency)
            if max(marked_provider, marked_agency) >= _CHECKED:
                return Signer.PROVIDER if marked_provider > marked_agency else Signer.AGENCY
    text = f" {normalise(name)} "
    if any(f" {word} " in text for word in _AGENCY_WORDS):
        return Signer.AGENCY
    if any(f" {word} " in text for word in _PROVIDER_WORDS):
        return Signer.PROVIDER
    return None


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1}
# A count and a unit, whatever OCR put between them ('1 year', '1_year', 'six months').
_SPAN = re.compile(r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")[\s_\-.]*"
                   r"(year|yr|month|mo|mth|mnth|mnt|week|wk)", re.IGNORECASE)
# Durations without an end: no `until`, and nothing a reviewer needs to read again.
_OPEN_ENDED = ("permanent", "indefinite", "lifelong", "life long", "lifetime")


def _until(date_signed: dt.date | None, duration: str, today: dt.date) -> dt.date | None:
    """When a medical exemption ends.

    Its duration counted from the date signed, or the date written as its end
    ('until 6/30/2027').
    """
    written = [found.value for word in duration.split()
               if (found := parse_date(word, today)).kind is DateKind.FULL]
    if written:
        return written[-1]
    match = _SPAN.search(duration)
    if date_signed is None or match is None:
        return None
    number, unit = match[1].lower(), match[2].lower()
    count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
    offset = Offset(years=count) if unit.startswith("y") else (
        Offset(weeks=count) if unit.startswith("w") else Offset(months=count))
    return add_offset(date_signed, offset)


def _unread_duration(duration: str | None, today: dt.date) -> str | None:
    """A review reason when a duration was written but no length or end can be made of it.

    An unsigned or undated form has no end either, but for want of a date signed, which its
    own flags report.
    """
    if not duration or any(word in normalise(duration) for word in _OPEN_ENDED):
        return None
    if _SPAN.search(duration) or any(parse_date(word, today).kind is DateKind.FULL
                                     for word in duration.split()):
        return None
    return f"the exemption's duration '{duration}' gives no length or end date"


def _exemption_details(pages: list[PageText], date_signed: dt.date | None,
                       today: dt.date) -> dict[str, Any]:
    condition = _first_value(pages, ("Condition:",), ("Duration",))
    duration = _first_value(pages, ("Duration:",), ("Vaccine(s)",))
    vaccines = _first_value(pages, ("Vaccine(s):", "Vaccines:"), ())
    groups: list[str] = []
    lowered = normalise(vaccines.text)
    if "all vaccines" in lowered:
        groups = ["Polio", "DTaP", "MMR", "Varicella", "HepB", "Hib"]
    elif "live" in lowered:
        groups = ["MMR", "Varicella"]
    else:
        for part in re.split(r"[,;/&]| and ", vaccines.text):
            match = match_vaccine(part)
            if match is not None:
                groups.extend(g for g in match.groups if g not in groups)
    return {"condition": condition.text or None, "duration": duration.text or None,
            "vaccines": vaccines.text or None, "groups": groups,
            "until": _until(date_signed, duration.text, today)}


def signature_flags(draft: Draft) -> list[Flag]:
    """`missing_signature`, or for a signed form `missing_signature_date`."""
    if not draft.requires_signature:
        return []
    if not any(s.present for s in draft.signatures):
        return [Flag(code=FlagCode.MISSING_SIGNATURE, field="signature",
                     message="the form is not signed; it counts only if signed")]
    if draft.signature_date is None or draft.signature_date.is_empty:
        return [Flag(code=FlagCode.MISSING_SIGNATURE_DATE, field="signature.date",
                     message="the signature has no date")]
    return []
