"""Labelled fields (`Name: ____`) and the vote between several reads of one date cell."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from extract.date_lines import DATE_CHARACTERS
from extract.dates import NO_DATE, DateKind, parse_date, zero_repairs
from extract.draft import PageText, TextField
from extract.layout import Line, find_label, group_lines, normalise, reads_like, words_in
from extract.page import Box, Word, union_box

__all__ = ["date_after", "find_any_label", "value_after", "vote_date"]


def find_any_label(page: PageText, labels: tuple[str, ...], region: Box | None = None,
                   min_ratio: float = 0.82) -> Box | None:
    """The box of the first of `labels` printed on the page (in `region` if given)."""
    lines = group_lines(page.words)
    for label in labels:
        found = find_label(lines, label, min_ratio=min_ratio, region=region)
        if found is not None:
            return found[0]
    return None


def _label_with_colon(lines: list[Line], labels: tuple[str, ...],
                      region: Box | None, min_ratio: float = 0.82) -> Box | None:
    """A label's box, stretched over a translation up to its colon ("Name / Nombre:").

    Without a colon read, over the slashes and the other labels of the field that follow it
    ("Name / Nombre"): the translation is print, not the value written after it.
    """
    for label in labels:
        found = find_label(lines, label, min_ratio=min_ratio, region=region)
        if found is None:
            continue
        box, line_index, after = found
        if box_text_ends_with_colon(lines[line_index], after):
            return box
        words = lines[line_index].words
        height = box[3] - box[1]
        end = box[2]
        translated, printed = box, True
        for word in words[after : after + 5]:
            if word.box[0] - end > 1.5 * height:
                break
            # max: Tesseract sometimes boxes a label's first word over its whole translation.
            end = max(end, word.box[2])
            if word.text.endswith(":"):
                return (box[0], box[1], end, box[3])
            printed = printed and _names_the_field(word.text, labels)
            if printed:
                translated = (box[0], box[1], end, box[3])
        return translated
    return None


def _names_the_field(text: str, labels: tuple[str, ...]) -> bool:
    """Whether a word is a slash or a word of the field's own labels ('Nombre', 'nacimiento').

    A bilingual card prints the translation after the label ("Birthdate / Fecha de
    nacimiento"); without its colon read, every word of it is still print, not the value.
    """
    word = normalise(text)
    return not word or any(reads_like(word, normalise(part), _LABEL_WORD)
                           for label in labels for part in label.split())


# How far right of a label's end (in label heights) writing under it may start to be its value.
_NEAR_BELOW = 10

# A gap wider than this many label heights ends the value: what follows is another cell's.
_WORD_GAP = 4

# How alike a word read next to a label must be to one of the field's labels to be one.
_LABEL_WORD = 0.82


def box_text_ends_with_colon(line: Line, after: int) -> bool:
    """Whether the word just before index `after` on the line ends the label with a colon."""
    return after > 0 and line.words[after - 1].text.endswith(":")


def value_after(
    page: PageText,
    labels: tuple[str, ...],
    stops: tuple[str, ...] = (),
    *,
    region: Box | None = None,
    below: bool = True,
    only_below: bool = False,
    min_ratio: float = 0.82,
) -> TextField:
    """The text written after a printed label on its line, up to the next label.

    When nothing is written to the right, the line just under the label is taken instead (forms
    that print the label above the box), if `below`; `only_below` looks there alone (a form
    whose every cell prints its label small at the top). The field's box is the region
    searched, so a caller can re-read it. `min_ratio`: how closely the label must be read.
    """
    lines = group_lines(page.words)
    label = _label_with_colon(lines, labels, region, min_ratio)
    if label is None:
        return TextField("", 0.0, page.page.number, None)
    height = label[3] - label[1]
    right = page.page.size[0] if region is None else region[2]
    for stop in stops:
        found = find_label(lines, stop, min_ratio=0.85,
                           region=(label[2], label[1] - height, right, label[3] + height))
        if found is not None and found[0][0] > label[2]:
            right = min(right, found[0][0] - 2)
    box = (label[2] + 1, label[1] - int(0.9 * height), right, label[3] + int(0.6 * height))
    words = [] if only_below else _beside(
        [w for w in words_in(page.words, box) if _written(w)], label)
    if not words and (below or only_below):
        box = (label[0] - height, label[3] + 2, right, label[3] + int(3.5 * height))
        # The first line under the label that starts near it, all of it: the next row of
        # cells starts soon after, and writing far to the right belongs to another field.
        # Near is generous: a bilingual label's translation may be half read, and a date is
        # often written at the right of its box ('Birthdate / Fecha de' then '7/11/2023').
        below_lines = [line for line in group_lines(
            [w for w in words_in(page.words, box) if _written(w)])
            if line.words[0].box[0] < label[2] + _NEAR_BELOW * height]
        words = []
        for word in below_lines[0].words if below_lines else ():
            if words and word.box[0] - words[-1].box[2] > _WORD_GAP * height:
                break
            words.append(word)
    if not words:
        return TextField("", 0.0, page.page.number, box)
    text = " ".join(w.text for w in words).strip(": ")
    confidence = sum(w.confidence for w in words) / len(words)
    found_box = union_box([w.box for w in words])
    return TextField(text, confidence, page.page.number, found_box)


def _beside(words: list[Word], label: Box) -> list[Word]:
    """The words on the label's line, without a line wholly under the label's.

    A mark merged into the label's word makes it read taller than its letters, and the field
    then reaches the next line ('OKAFOR, ZOE' and the registry ID under it). Writing alone
    under the label's bottom stays: a hand writes larger than the print, below it.
    """
    lines = group_lines(words)
    beside = [line for line in lines if line.box[1] < label[3]]
    return [w for line in beside or lines for w in line.words]


def date_after(page: PageText, labels: tuple[str, ...], stops: tuple[str, ...], *,
               region: Box | None, today: dt.date, min_ratio: float = 0.82) -> TextField:
    """A labelled date: right of its label, or under it when what is to the right is no date.

    A card may print its label small at the top of the box and the date under it; a stray
    mark beside the label ('4' read from a neighbouring label's strokes) is then no date,
    and the date under the label is the field.
    """
    beside = value_after(page, labels, stops, region=region, min_ratio=min_ratio)
    if parse_date(beside.text, today).kind not in NO_DATE:
        return beside
    under = value_after(page, labels, stops, region=region, only_below=True,
                        min_ratio=min_ratio)
    return under if parse_date(under.text, today).kind not in NO_DATE else beside


def _written(word: Word) -> bool:
    """Whether a word may be writing: not a lone colon, dash or rule, nor a bar ('|').

    A bar is what is left of a cell's border beside the value, never a value itself.
    """
    return bool(word.text.strip(":_.-|"))


def vote_date(first: TextField, others: list[tuple[str, float] | None],
              today: dt.date, by_line: tuple[str, float] | None = None) -> TextField:
    """Choose among several reads of one date cell by what they parse to.

    A reading that parses (a date, a month, an age) beats unreadable ones; among those, the
    one whose parsed date most readings share wins (a full date beats anything else on a tie).
    `by_line`, the line recogniser's reading (its likeliest date, extract.date_lines, else its
    plain text: '6 mo'), wins whenever it is a full date: where it and Tesseract's reads of a
    handwritten cell differed on the corpus, it was right 38 times in 50 and Tesseract's choice
    twice; Tesseract's reads, one engine three times, agree on the same misreading too often to
    outvote it, unless all three agree and are on average surer than the recogniser is of its
    date (a clear print the recogniser half reads: '06/13/2025' three times at 0.84 against
    its '5/13/2025' at 0.17). The other readings are kept so confidence can reflect agreement.
    """
    readings = [(first.text, first.confidence)] + [o for o in others if o is not None]
    if by_line is not None:
        line = parse_date(by_line[0], today)
        if line.kind is DateKind.FULL and not _outvoted(line.value, by_line[1], readings, today):
            rest = tuple(text for text, _ in readings)
            return TextField(by_line[0], by_line[1], first.page, first.box, rest)
        readings.append(by_line)
    parsed = [(text, conf, parse_date(text, today)) for text, conf in _unforced(readings)]
    written = [p for p in parsed if p[2].kind is not DateKind.MISSING]
    if not written:
        return TextField(first.text, max(first.confidence, 0.0), first.page, first.box,
                         tuple(t for t, _ in readings[1:]))
    if not any(p[2].kind is DateKind.FULL for p in written):
        repaired = _repaired(first, readings, today)
        if repaired is not None:
            return repaired
    votes = Counter((p[2].kind, p[2].value) for p in written)

    def rank(item: tuple[str, float, object]) -> tuple[int, int, int, float]:
        kind_value = (item[2].kind, item[2].value)  # type: ignore[attr-defined]
        # Any reading that parses beats unreadable ones, however many: two reads of "61/19/19"
        # agree only on being garbage, where the digit read's "01/19/19" is a date. The
        # disagreement still lowers the date's confidence (finish.date_field).
        return (int(kind_value[0] is not DateKind.UNREADABLE), votes[kind_value],
                int(kind_value[0] is DateKind.FULL), item[1])

    text, confidence, _ = max(written, key=rank)
    rest = tuple(t for t, _ in readings if t != text) or tuple(t for t, _ in readings[1:])
    return TextField(text, confidence, first.page, first.box, rest)


def _unforced(readings: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The readings that speak for what the cell holds.

    A read kept to digits and separators makes digits of anything, a scribble too: a typed
    date scribbled over read 'ADXASXADTO', and read for digits '10/2020', a month no one
    wrote. Where the page's read of the cell (the first) and every other read find letters
    and not one digit or separator, the digits a re-read made are forced and are left out of
    the vote (they still count against its confidence). A page read of digits is never left
    out: a re-read of the cell may catch a neighbour's words.
    """
    digits = [r for r in readings[1:] if r[0].strip() and all(
        ch in _DATE_SYMBOLS or ch.isspace() for ch in r[0])]
    others = [r for r in readings if r not in digits and r[0].strip()]
    if digits and readings[0] in others and all(
            sum(ch.isalpha() for ch in text) >= _SCRIBBLE_LETTERS
            and not any(ch in _DATE_SYMBOLS for ch in text) for text, _ in others):
        return [r for r in readings if r not in digits]
    return readings


# What a read kept to a date's characters can hold.
_DATE_SYMBOLS = frozenset(DATE_CHARACTERS)
# Letters a read of a date cell needs, with no digit or separator, to be what the cell holds
# instead of a date: a scribble read as letters ('ADXASXADTO'), or a word ('birth').
_SCRIBBLE_LETTERS = 4


def _outvoted(line_date: dt.date | None, line_confidence: float,
              tesseract: list[tuple[str, float]], today: dt.date) -> bool:
    """Whether three or more Tesseract reads agree on a full date other than the line reader's.

    They outvote it only when they are surer on average than it is of its own date.
    """
    if len(tesseract) < _OUTVOTING_READS:
        return False
    values = {(p.kind, p.value) for p in (parse_date(text, today) for text, _ in tesseract)}
    if len(values) != 1:
        return False
    ((kind, value),) = values
    return (kind is DateKind.FULL and value != line_date
            and sum(conf for _, conf in tesseract) / len(tesseract) > line_confidence)


# The page read, the cell's plain read and its digits-only read.
_OUTVOTING_READS = 3


# Confidence of a date put together from misread zeros: a guess a reviewer must confirm.
_REPAIRED_CONFIDENCE = 0.4


def _repaired(first: TextField, readings: list[tuple[str, float]],
              today: dt.date) -> TextField | None:
    """The one date the reads could be with misread zeros corrected, if they agree on one."""
    candidates = {value for text, _ in readings for value in zero_repairs(text, today)}
    if len(candidates) != 1:
        return None
    (value,) = candidates
    text = f"{value.month:02d}/{value.day:02d}/{value.year}"
    return TextField(text, _REPAIRED_CONFIDENCE, first.page, first.box,
                     tuple(t for t, _ in readings))
