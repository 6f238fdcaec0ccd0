"""Finish stage: normalise a parser's draft, raise the flags, score confidence, build the Record."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace
from enum import Enum

from extract.dates import DateKind, ParsedDate, in_life, month_days, parse_date
from extract.draft import Draft, DraftDose, TextField
from extract.layout import normalise
from extract.result import (
    ChildResult,
    DocumentType,
    DoseResult,
    Field,
    Flag,
    FlagCode,
)
from extract.visits import (
    birth_choice,
    day_with_its_digit,
    month_less_its_leading_one,
    one_visit_misread,
)
from extract.vocabulary import (
    VaccineMatch,
    fuzzy_match_vaccine,
    label_groups,
    likeness_by_groups,
    match_label,
    match_vaccine,
)

__all__ = ["FinishedDoses", "date_field", "finish_doses", "text_field"]

# Confidence in a vaccine whose name read covers the group printed for its row.
_LABEL_AGREES = 0.9
# Confidence of a name read exactly whose groups the row's printed label does not cover at
# all: a reviewer looks.
_LABEL_CONTRADICTS = 0.5
# A review heuristic, not a schedule rule (the engine judges intervals from CDSi's data): two
# doses of one vaccine closer than about three weeks are rare enough to point at a misread.
_IMPLAUSIBLY_CLOSE_DAYS = 24
# Confidence in a child's name two independent reads spell the same.
_READS_AGREE = 0.9
# Confidence in a vaccine name two independent reads both find in the vocabulary.
_NAMED_TWICE = 0.95
# Confidence in a printed row label standing for a vaccine cell left blank.
_BLANK_NAMES_LABEL = 0.95


class _NameSource(Enum):
    """Where the vaccine a row stands for was found (`_vaccine_of`)."""

    READ = "read"  # the name in the cell, as the vocabulary spells it
    LABEL_FOR_BLANK = "label for blank"  # the row's printed label, the cell left blank
    FUZZY = "fuzzy"  # the name in the cell, read with a letter or two wrong
    LABEL_STANDS_IN = "label stands in"  # the row's label, for a name that did not read
    NONE = "none"  # no name read and no label


# Factor on the vaccine's confidence for each source: a name read with a letter or two wrong
# is most likely right; a label standing in for writing that did not read is a guess.
_SOURCE_FACTORS = {_NameSource.READ: 1.0, _NameSource.LABEL_FOR_BLANK: 1.0,
                   _NameSource.FUZZY: 0.6, _NameSource.LABEL_STANDS_IN: 0.4,
                   _NameSource.NONE: 0.5}
# The sources that take a row's vaccine from its label, not from what was read in its cell.
_FROM_LABEL = frozenset({_NameSource.LABEL_FOR_BLANK, _NameSource.LABEL_STANDS_IN})


@dataclass(frozen=True, slots=True)
class _RowVaccine:
    """The vaccine a row names, the text it was found in, and where it was found."""

    match: VaccineMatch | None
    written: str
    source: _NameSource

    @property
    def factor(self) -> float:
        """The factor on the confidence of the vaccine read."""
        return _SOURCE_FACTORS[self.source]


# A misread name resembles a combination this much (difflib's ratio) at least, and this much
# more than any vaccine of its row's own block, to be taken for the combination written across
# blocks ('TEMTACEL' in the DTaP block: Pentacel 0.75, DTaP 0.62; 'Patace/': 0.71 to both).
_RESEMBLES = 0.5
_RESEMBLES_MORE = 0.05
# A child's record older than this many years before its birth date is not a child's record.
_PLAUSIBLE_AGE_YEARS = 19


def text_field(read: TextField) -> Field[str]:
    """A text field as the contract shows it; an empty read keeps its place and box."""
    value = " ".join(read.text.split()) or None
    return Field[str](value=value, text=read.text or None, confidence=round(read.confidence, 3),
                      page=read.page, box=read.box)


def _agreement(read: TextField, parsed: ParsedDate, today: dt.date) -> float | None:
    """Share of all reads of the cell that parse to the chosen date; None with a single read."""
    if not read.readings:
        return None
    same = sum(
        1 for text in read.readings
        if (other := parse_date(text, today)).kind == parsed.kind and other.value == parsed.value
    )
    return (1 + same) / (1 + len(read.readings))


def _torn_between_readings(read: TextField, taken: dt.date | None, today: dt.date) -> bool:
    """Whether the line recogniser doubts the date taken: torn on it, or blind to it.

    Torn: another date holds a good part of the taken date's share. The glyphs are then
    ambiguous, and Tesseract's reads agreeing settle nothing: in a handwriting-like typeface
    both engines read '08/06/2020' as '08/04/2020' alike, the recogniser giving the '4' 0.49
    and the '6' 0.28. Blind: the taken date is not among its readings, and another is likelier
    than not. A date's share is its spellings' together ('8/6/2020' and '08/06/2020').
    """
    if taken is None:
        return False
    shares = _recogniser_shares(read, today)
    own = shares.pop(taken, 0.0)
    if own == 0.0:
        # The recogniser does not see the date taken at all (Tesseract's reads agreeing on it):
        # it reads otherwise when it holds another date likelier than not.
        return any(share >= _READ_OTHERWISE for share in shares.values())
    if max(own, *shares.values(), 0.0) < _TORN_FLOOR:
        # A recogniser unsure of every reading (a seventh each) says nothing of the cell.
        return False
    return any(share >= _TORN_SHARE * own for share in shares.values())


def _recogniser_shares(read: TextField, today: dt.date) -> dict[dt.date, float]:
    """Each date the line recogniser's readings of a cell name, with its spellings' shares."""
    shares: dict[dt.date, float] = {}
    for text, share in read.choices:
        day = parse_date(text, today).full_date
        if day is not None:
            shares[day] = shares.get(day, 0.0) + share
    return shares


# A recogniser's second date at least this part of the first's share: torn between them.
_TORN_SHARE = 0.25
# A recogniser whose likeliest date holds less than this share is torn on nothing.
_TORN_FLOOR = 0.2
# The recogniser's share in another date, the date taken not among its readings: it reads
# that cell otherwise.
_READ_OTHERWISE = 0.5
# Confidence of a date the recogniser is torn on: a reviewer looks.
_TORN_READING = 0.6


def date_field(read: TextField, today: dt.date) -> tuple[Field[dt.date], ParsedDate]:
    """Parse a date field; its confidence combines OCR, agreement of two reads and the parse."""
    parsed = parse_date(read.text, today)
    confidence = read.confidence
    if parsed.kind is DateKind.FULL:
        agreement = _agreement(read, parsed, today)
        # Independent reads agreeing is stronger evidence than Tesseract's own score.
        if agreement is not None:
            confidence = 0.3 * confidence + 0.7 * agreement
        elif confidence < 0.99:
            # One OCR read and nothing to compare it with (a text layer is exact).
            confidence *= 0.85
        if parsed.day_first:
            confidence *= 0.6
        if _torn_between_readings(read, parsed.full_date, today):
            confidence = min(confidence, _TORN_READING)
    elif parsed.kind is DateKind.MISSING:
        # An empty cell is as certain as the absence of ink; the flag sends it to review.
        confidence = max(confidence, 0.9)
    else:
        confidence *= 0.5
    field = Field[dt.date](value=parsed.full_date, text=read.text or None,
                           confidence=round(confidence, 3), page=read.page, box=read.box)
    return field, parsed


# Confidence of a date most likely another row's misread ('3' beside '31', '24' beside '20'):
# a reviewer looks.
_DOUBTFUL_DAY = 0.6
# The line recogniser's share of a date, checking a cell Tesseract read sure, over which the two
# engines' agreement outweighs a neighbouring date (typed cells: 0.98-0.99).
_RECOGNISER_SURE = 0.9
# Confidence of a date out of its printed order, or printed unlike the document's other dates:
# under review.
_BREAKS_PRINTED_PATTERN = 0.5


def _digit_runs(text: str) -> tuple[int, ...]:
    """How a date is written, as the lengths of its runs of digits: '04/03/2023' → (2, 2, 4).

    Only the date's own digits: a cell crop also catches the dose number beside it.
    """
    written = _WRITTEN_DATE.search(text)
    return tuple(len(run) for run in re.findall(r"\d+", written.group() if written else text))


_WRITTEN_DATE = re.compile(r"\d+([/.-])\d+(?:\1\d+)?")


def _printed_shape(draft: Draft) -> tuple[int, ...] | None:
    """The shape more than half of the written dose dates share; None when none does."""
    shapes = Counter(_digit_runs(d.date.text) for d in draft.doses if d.date.text.strip())
    if not shapes:
        return None
    shape, count = shapes.most_common(1)[0]
    return shape if count * 2 > shapes.total() else None


def _unlike_printed(draft: Draft, text: str, shape: tuple[int, ...] | None) -> bool:
    """A date written otherwise than a document that prints one format prints its dates."""
    if not draft.dates_written_alike or not text.strip():
        return False
    if not any(dose.date.text.strip() for dose in draft.doses):
        return False  # nothing to compare with
    return shape is None or _digit_runs(text) != shape


def _capped(field: Field[dt.date], cap: float) -> Field[dt.date]:
    return field.model_copy(update={"confidence": round(min(field.confidence, cap), 3)})


@dataclass(slots=True)
class FinishedDoses:
    """Doses ready for the result, their flags and the Record's dose entries."""

    doses: list[DoseResult]
    flags: list[Flag]


def _vaccine_of(dose: DraftDose) -> _RowVaccine:
    """The vaccine a row names, its text, and where it was found.

    A blank vaccine cell on a printed row means the row's vaccine; writing that matches no name
    on a printed row is taken as the row's vaccine too, but unsure (OCR of handwriting).
    """
    written = dose.vaccine.text.strip()
    match = match_vaccine(written) if written else None
    if match is not None:
        return _RowVaccine(match, written, _NameSource.READ)
    fuzzy = fuzzy_match_vaccine(written) if written else None
    if fuzzy is not None:
        # A misread name: most likely right, accepted only if the row's label agrees.
        return _RowVaccine(fuzzy, written, _NameSource.FUZZY)
    label_match = match_label(dose.label) if dose.label else None
    if label_match is None:
        return _RowVaccine(None, written, _NameSource.NONE)
    if not written:
        return _RowVaccine(label_match, dose.label or "", _NameSource.LABEL_FOR_BLANK)
    return _RowVaccine(label_match, written, _NameSource.LABEL_STANDS_IN)


def _combinations_across_blocks(
    vaccines: list[_RowVaccine], days: list[dt.date | None],
) -> dict[int, VaccineMatch]:
    """Rows whose name did not read, taken for the combination written across the blocks.

    A hand writes a combination on the row of every group it covers ('Pentacel' in the Polio,
    DTaP and Hib blocks); misread ('TEMTACEL', 'Peace]'), each row stood for a dose of its own
    block's group, and the one dose became three. The rows of one day are taken for a
    combination when each name read resembles it more than any vaccine of the row's block and
    their blocks, with any row that names it, cover exactly its groups: no group is added to
    or taken from the day, the rows only become the one dose they are. Still unsure.
    """
    by_day: dict[dt.date, list[int]] = {}
    for position, day in enumerate(days):
        if day is not None:
            by_day.setdefault(day, []).append(position)
    taken: dict[int, VaccineMatch] = {}
    for positions in by_day.values():
        named = {frozenset(row.match.groups) for row in (vaccines[p] for p in positions)
                 if row.match is not None and row.source is not _NameSource.LABEL_STANDS_IN
                 and len(row.match.groups) > 1}
        # Each combination resembled: its rows, the blocks they stand in, and the vaccine.
        found: dict[frozenset[str], tuple[list[int], set[str], VaccineMatch]] = {}
        for position in positions:
            row = vaccines[position]
            if row.match is None or row.source is not _NameSource.LABEL_STANDS_IN:
                continue
            combination = _resembled_combination(row.written, frozenset(row.match.groups))
            if combination is not None:
                members, covered, _ = found.setdefault(
                    frozenset(combination.groups), ([], set(), combination))
                members.append(position)
                covered.update(row.match.groups)
        for groups, (members, covered, combination) in found.items():
            if groups in named or covered == groups:
                taken.update((position, combination) for position in members)
    return taken


def _resembled_combination(written: str, block: frozenset[str]) -> VaccineMatch | None:
    """The combination covering `block` a misread name resembles most, and clearly."""
    likeness = likeness_by_groups(written)
    own = likeness.get(block, (0.0, None))[0]
    ranked = sorted(((ratio, match) for groups, (ratio, match) in likeness.items()
                     if len(groups) > 1 and block < groups), key=lambda item: -item[0])
    if not ranked or ranked[0][0] < max(_RESEMBLES, own + _RESEMBLES_MORE):
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < _RESEMBLES_MORE:
        return None
    return ranked[0][1]


def _label_agrees(match: VaccineMatch, label: str | None) -> bool:
    """Whether the name read covers every group of the row's printed label.

    The caller asks only for a name read in the cell (exactly or nearly), never for the label
    standing in for an unreadable one: that would agree with itself.
    """
    printed = label_groups(label)
    return bool(printed) and printed <= set(match.groups)


def _label_contradicts(match: VaccineMatch, label: str | None) -> bool:
    """Whether the row's printed label names only groups other than the name read.

    A hand writes a block's own vaccine in it (or a combination covering it); a name of
    another vaccine is most likely a misreading ('IPV' in the Polio block read as 'rv').
    A label naming no group ('OTHER') contradicts nothing.
    """
    printed = label_groups(label)
    return bool(printed) and printed.isdisjoint(match.groups)


def _vaccine_confidence(dose: DraftDose, row: _RowVaccine) -> float:
    """The confidence in the vaccine a row names (`_vaccine_of`), from its reads and label."""
    # A blank cell on a printed row is the row's vaccine, as sure as the absence of ink.
    confidence = ((dose.vaccine.confidence if dose.vaccine.text else _BLANK_NAMES_LABEL)
                  * row.factor)
    match, written = row.match, row.written
    if match is None:
        return confidence
    if (row.source in (_NameSource.READ, _NameSource.LABEL_FOR_BLANK)
            and _reads_agree(dose.vaccine, match)):
        # Two independent reads naming the same vaccine of the vocabulary: an OCR slip does
        # not land on the same known name twice.
        confidence = max(confidence, _NAMED_TWICE)
    elif row.source is not _NameSource.LABEL_STANDS_IN and _label_agrees(match, dose.label):
        # The written name, read exactly or nearly, covers the group printed for the row (the
        # card's row label, the registry's group column): two independent sources agree on the
        # groups, which is what the record needs.
        confidence = max(confidence, _LABEL_AGREES)
    if written and _label_contradicts(match, dose.label):
        confidence = min(confidence, _LABEL_CONTRADICTS)
    return confidence


def _named_confidences(doses: list[DraftDose], vaccines: list[_RowVaccine]) -> list[float]:
    """Each row's vaccine confidence (`_vaccine_confidence`), capped where another row names it.

    A row that takes its vaccine from a name written in an earlier row (`DraftDose.named_by`)
    is no surer of it than that row is.

    A blank cell under 'rv' (a hand's 'IPV' misread, in a block whose printed label went
    unread) was Rotavirus as sure as a printed label, though 'rv' itself was doubted.
    """
    confidences = [_vaccine_confidence(dose, row)
                   for dose, row in zip(doses, vaccines, strict=True)]
    for position, (dose, row) in enumerate(zip(doses, vaccines, strict=True)):
        if dose.named_by is not None and row.source in _FROM_LABEL:
            confidences[position] = min(confidences[position], confidences[dose.named_by])
    return confidences


def _reads_agree(read: TextField, match: VaccineMatch) -> bool:
    """Whether another read of the vaccine cell names the same vaccine groups."""
    for other in read.readings:
        found = match_vaccine(other) if other.strip() else None
        if found is not None and found.groups == match.groups and found.exact:
            return True
    return False


def _written_dates(doses: list[DraftDose], today: dt.date) -> list[dt.date]:
    return [p.value for d in doses
            if (p := parse_date(d.date.text, today)).kind is DateKind.FULL and p.value]


def _group_dates(read: list[tuple[tuple[str, ...], dt.date | None]], index: int,
                 match: VaccineMatch | None) -> frozenset[dt.date]:
    """The dates of the other drafted doses that share a vaccine group with dose `index`."""
    if match is None:
        return frozenset()
    groups = set(match.groups)
    return frozenset(day for other, (their, day) in enumerate(read)
                     if other != index and day is not None and groups & set(their))


def _looks_swapped(parsed: ParsedDate, birth: dt.date | None, today: dt.date,
                   others: list[dt.date], flagged: bool,
                   same_group: frozenset[dt.date] = frozenset()) -> bool:
    """Whether day and month look transposed (NY: "transposed month-day").

    Only ever when the day-first reading is itself a plausible date; then when the text reads
    only day-first, when the month-first reading is implausible, when the day-first reading
    is a visit on the child's birthday (birth doses, the 12-month and 4-year visits) and the
    month-first is not a birthday, when the month-first reading is implausibly near another
    dose of the same vaccine and the day-first is not, or when the day-first reading is a
    visit day of other doses on the record and the month-first reading is not.
    """
    if parsed.day_first:
        return True
    swapped, value = parsed.swapped, parsed.value
    if swapped is None or value is None or not in_life(swapped, swapped, birth, today):
        return False
    if flagged:
        return True
    if swapped in same_group:
        # Read the other way it would be a second dose of the same vaccine that day.
        return False
    if (birth is not None and _on_birthday(swapped, birth) and not _on_birthday(value, birth)
            and swapped in others):
        return True
    if _too_close(value, same_group) and not _too_close(swapped, same_group):
        return True
    return others.count(swapped) >= 1 and others.count(value) <= 1


def _on_birthday(day: dt.date, birth: dt.date) -> bool:
    """Whether `day` is the birth date or one of the birthdays of a child under seven."""
    return (day.month, day.day) == (birth.month, birth.day) and 0 <= day.year - birth.year <= 6


def _too_close(day: dt.date, same_group: frozenset[dt.date]) -> bool:
    """Whether another dose of the same vaccine is implausibly near."""
    return any(0 < abs((day - other).days) < _IMPLAUSIBLY_CLOSE_DAYS for other in same_group)


def _date_flags(index: int, parsed: ParsedDate, birth: dt.date | None,
                today: dt.date, others: list[dt.date],
                same_group: frozenset[dt.date] = frozenset()) -> list[Flag]:
    field = f"doses[{index}].date"
    simple = {
        DateKind.MISSING: (FlagCode.MISSING_DATE, "no date is written for this dose"),
        DateKind.PARTIAL: (FlagCode.PARTIAL_DATE, "only the month and year are written"),
        DateKind.UNREADABLE: (FlagCode.UNREADABLE_DATE, "the date cannot be read"),
        DateKind.AGE: (FlagCode.AGE_INSTEAD_OF_DATE, "an age is written where a date belongs"),
    }
    if parsed.kind in simple:
        code, message = simple[parsed.kind]
        return [Flag(code=code, field=field, message=message),
                *_month_flags(field, parsed, birth, today)]
    value = parsed.value
    assert value is not None
    flags = _outside_life(field, value.isoformat(), value, value, birth, today)
    if _looks_swapped(parsed, birth, today, others, bool(flags), same_group):
        flags.append(Flag(code=FlagCode.POSSIBLE_DAY_MONTH_SWAP, field=field,
                          message="day and month may be transposed"))
    return flags


def _month_flags(field: str, parsed: ParsedDate, birth: dt.date | None,
                 today: dt.date) -> list[Flag]:
    """A month written without its day ('4/2019') that is wholly before the birth or ahead.

    Whatever day was meant, the dose was not given to this child then: the month is flagged
    as a full date would be, beside its partial date.
    """
    if parsed.kind is not DateKind.PARTIAL or parsed.value is None:
        return []
    first, last = month_days(parsed.value.year, parsed.value.month)
    return _outside_life(field, f"{first.year}-{first.month:02d}", first, last, birth, today)


def _outside_life(field: str, written: str, first: dt.date, last: dt.date,
                  birth: dt.date | None, today: dt.date) -> list[Flag]:
    """The flags of a dose date (a day, or every day of a month) before the birth or ahead."""
    flags: list[Flag] = []
    if birth is not None and last < birth:
        flags.append(Flag(code=FlagCode.DATE_BEFORE_BIRTH, field=field,
                          message=f"{written} is before the birth date"))
    if first > today:
        flags.append(Flag(code=FlagCode.DATE_IN_FUTURE, field=field,
                          message=f"{written} is in the future"))
    return flags


def _out_of_order(draft: Draft, read: list[tuple[tuple[str, ...], dt.date | None]]
                  ) -> frozenset[int]:
    """Positions of the doses whose date breaks the date order of their printed group."""
    last: dict[str, tuple[int, dt.date]] = {}
    found: set[int] = set()
    for position, (dose, (_, day)) in enumerate(zip(draft.doses, read, strict=True)):
        if not dose.label or day is None:
            continue
        before = last.get(dose.label)
        if before is not None and day < before[1]:
            found.update((before[0], position))
        last[dose.label] = (position, day)
    return frozenset(found)


def _printed_sure_days(draft: Draft, dated: list[tuple[Field[dt.date], ParsedDate]]
                       ) -> frozenset[dt.date]:
    """The days a printed report's rows hold sure, each read alike by every engine.

    A registry prints every date in one typeface: a cell whose surest read names a day another
    row prints and every read there agrees on is that day, however a scan's speck turned a
    digit for Tesseract ('05/04/2021' read '08/04/2021' twice, the recogniser sure of '05').
    """
    if not draft.dates_written_alike:
        return frozenset()
    return frozenset(field.value for field, _ in dated
                     if field.value is not None and field.confidence >= _SURE_ELSEWHERE)


# A date this sure (its reads agreeing) in one row of a printed report vouches for the same day
# read in another.
_SURE_ELSEWHERE = 0.8
# A read of a printed date this sure alone is taken when another row vouches for its day.
_SURE_READ_ALONE = 0.95


def _doubtful_days(draft: Draft, read: list[tuple[tuple[str, ...], dt.date | None]],
                   today: dt.date) -> frozenset[int]:
    """Positions of the dates most likely one visit's date misread, given the other rows'.

    A visit's rows hold one date. Read from a hand, every engine alike, a row's '05/31/2023'
    comes out '05/3/2023' (a 1 is one stroke, often merged with the slash beside it), and a
    visit's '02/26/2022' comes out '02/24/2022' in one row and '02/20/2022' in another (a 6
    read as a 4 or a 0). Two visits days apart, or in one month, are rare. A month's leading 1
    beside the cell's border is lost too ('12/04/2025' read '2/04/2025' at 0.82 beside rows
    read '12/04/2025' sure): that row is doubted as well, though visits ten months apart on one
    day of the month are real, so it stays as read (`visits.month_less_its_leading_one`). A
    registry's printed dates are checked by their format instead (`_unlike_printed`), and those
    days from another by the line recogniser (extract.parse_cair2).

    A date the line recogniser, checking a cell Tesseract read sure, reads alike and sure is
    left alone: two engines agreeing sure on a misread day is rare, and a typed list's flu
    shot two days after a visit ('10/24/2024', '10/26/2024', each at 0.99 by both) is real.
    """
    if draft.dates_written_alike:
        return frozenset()
    days = {day for _, day in read if day is not None}
    return frozenset(position for position, (_, day) in enumerate(read)
                     if day is not None and any(one_visit_misread(day, other)
                                                or month_less_its_leading_one(day, other)
                                                for other in days)
                     and not _recogniser_sure_of(draft.doses[position].date, day, today))


def _digits_restored(draft: Draft, dated: list[tuple[Field[dt.date], ParsedDate]],
                     read: list[tuple[tuple[str, ...], dt.date | None]],
                     doubtful: frozenset[int], today: dt.date
                     ) -> list[tuple[Field[dt.date], ParsedDate]]:
    """Each doubtful date that is another row's with a digit of its day lost, as that row's.

    The digit a hand merges with a slash is lost, not one added: '04/1/2025' beside
    '04/11/2025' is the fuller date misread (`visits.day_with_its_digit`), when at least as
    many rows read the fuller date. Of such unsure dates on the nine corpora's records, 28
    were the fuller date misread and none right as read; taken however few rows read the
    fuller date, 63 were put right and 22 made wrong (a visit of six rows read '11/3/2023'
    and one '11/13/2023'). Taken as that row's date and text, it stays doubtful: a reviewer
    still looks.
    """
    rows_of = Counter(parsed.full_date for _, parsed in dated if parsed.full_date is not None)
    texts = {parsed.full_date: draft.doses[position].date.text
             for position, (_, parsed) in enumerate(dated) if parsed.full_date is not None}
    restored = list(dated)
    for position in doubtful:
        field, parsed = dated[position]
        day = parsed.full_date
        fuller = None if day is None else day_with_its_digit(day, rows_of)
        if day is None or fuller is None or rows_of[fuller] < rows_of[day]:
            continue
        # Not into a dose its vaccine already has that day: that would make a duplicate of it.
        mine = set(read[position][0])
        if any(other_day == fuller and mine & set(theirs)
               for other, (theirs, other_day) in enumerate(read) if other != position):
            continue
        restored[position] = (field.model_copy(update={"value": fuller, "text": texts[fuller]}),
                              parse_date(texts[fuller], today))
    return restored


def _recogniser_sure_of(read: TextField, day: dt.date, today: dt.date) -> bool:
    """Whether the line recogniser's check of a date cell gives `day` a sure share."""
    return _recogniser_shares(read, today).get(day, 0.0) >= _RECOGNISER_SURE


def _with_support_of(dose: DoseResult, row_vaccine: float) -> DoseResult:
    """The dose with the vaccine confidence of another row it is written on, where greater.

    Each row of a combination prints or writes the product's name again, with the same date:
    a name read unsure on one row ('Pedianx', named only by the line recogniser) and sure on
    another, in another group's rows, is the same name read twice. Which row comes first
    must not decide how sure the dose's vaccine looks.
    """
    if row_vaccine <= dose.vaccine_text.confidence:
        return dose
    return dose.model_copy(update={"vaccine_text": dose.vaccine_text.model_copy(
        update={"confidence": round(row_vaccine, 3)})})


def _with_doubt_of(dose: DoseResult, row_date: Field[dt.date]) -> DoseResult:
    """The dose with the doubt of another row it is written on, where that row's is greater.

    An unsure date on one of a combination's rows may hide a second dose read into it (two
    blurred rows read as one, '07/25/2020 09/29/2020'): merged into the dose it repeats, the
    row still sends the document to a reviewer.
    """
    if row_date.confidence >= dose.date.confidence:
        return dose
    return dose.model_copy(update={"date": dose.date.model_copy(
        update={"confidence": row_date.confidence})})


def finish_doses(draft: Draft, birth: dt.date | None, today: dt.date) -> FinishedDoses:
    """Normalise every drafted dose, merge a combination written on several rows, raise flags."""
    doses: list[DoseResult] = []
    flags: list[Flag] = []
    combination_rows: dict[tuple[str, dt.date], tuple[str | None, int]] = {}
    given: dict[tuple[str, dt.date], int] = {}
    all_dates = _written_dates(draft.doses, today)
    dated = [date_field(d.date, today) for d in draft.doses]
    vaccines = [_vaccine_of(d) for d in draft.doses]
    combined = _combinations_across_blocks(vaccines, [parsed.full_date for _, parsed in dated])
    vaccines = [replace(row, match=combined.get(position, row.match))
                for position, row in enumerate(vaccines)]
    read = [((row.match.groups if row.match else ()), parsed.full_date)
            for row, (_, parsed) in zip(vaccines, dated, strict=True)]
    out_of_order = _out_of_order(draft, read) if draft.dated_in_order else frozenset()
    doubtful = _doubtful_days(draft, read, today)
    dated = _digits_restored(draft, dated, read, doubtful, today)
    read = [(groups, parsed.full_date)
            for (groups, _), (_, parsed) in zip(read, dated, strict=True)]
    shape = _printed_shape(draft)
    printed_sure = _printed_sure_days(draft, dated)
    named_sure = _named_confidences(draft.doses, vaccines)
    for position, draft_dose in enumerate(draft.doses):
        vaccine = vaccines[position]
        match, written = vaccine.match, vaccine.written
        date, parsed = dated[position]
        if (date.value in printed_sure and date.confidence < _SURE_ELSEWHERE
                and draft_dose.date.confidence >= _SURE_READ_ALONE):
            date = date.model_copy(update={"confidence": _SURE_ELSEWHERE})
        if position in out_of_order or _unlike_printed(draft, draft_dose.date.text, shape):
            # Two reads agreeing on a misread digit ('11/26/2021' as 2022, '11/11/2022' as
            # '11/1/2022') still break the order or the format the report prints; the
            # reviewer sees the date.
            date = _capped(date, _BREAKS_PRINTED_PATTERN)
        if position in doubtful:
            date = _capped(date, _DOUBTFUL_DAY)
        if match is not None and len(match.groups) > 1 and date.value is not None:
            key = (match.name, date.value)
            first = combination_rows.get(key)
            if first is not None and (first[0] != draft_dose.label
                                      or len(label_groups(draft_dose.label)) > 1):
                # The same combination on the same day in another group's rows: one dose
                # written on each row it covers. In the same rows it is written twice; but a
                # combination's name taken for the rows' label (a card labels a block with
                # one group) does not tell which rows they are.
                doses[first[1]] = _with_support_of(
                    _with_doubt_of(doses[first[1]], date), named_sure[position])
                continue
            combination_rows.setdefault(key, (draft_dose.label, len(doses)))
        index = len(doses)
        vaccine_field = text_field(TextField(
            written, named_sure[position],
            draft_dose.vaccine.page or draft_dose.date.page, draft_dose.vaccine.box))
        if match is None:
            vaccine_field = vaccine_field.model_copy(update={"confidence": round(
                vaccine_field.confidence * 0.5, 3)})
            flags.append(Flag(code=FlagCode.UNKNOWN_VACCINE, field=f"doses[{index}].vaccine",
                              message=f"the vaccine {written!r} is not in the vocabulary"))
        date_flags = _date_flags(index, parsed, birth, today, all_dates,
                                 _group_dates(read, position, match))
        if any(f.code in (FlagCode.DATE_BEFORE_BIRTH, FlagCode.DATE_IN_FUTURE)
               for f in date_flags):
            date = _capped(date, 0.3)
        flags.extend(date_flags)
        provider = text_field(draft_dose.provider)
        if draft.requires_provider and draft_dose.provider.is_empty:
            flags.append(Flag(code=FlagCode.MISSING_PROVIDER, field=f"doses[{index}].provider",
                              message="no doctor, office or clinic is named for this dose"))
        if match is not None and date.value is not None:
            for group in match.groups:
                if (group, date.value) in given:
                    flags.append(Flag(
                        code=FlagCode.DUPLICATE_DOSE, field=f"doses[{index}]",
                        message=f"a second {group} dose on {date.value.isoformat()} "
                                f"(see doses[{given[(group, date.value)]}])"))
                    break
            for group in match.groups:
                given.setdefault((group, date.value), index)
        number_text = draft_dose.dose_number.text.strip()
        number = int(number_text) if number_text.isdigit() else None
        doses.append(DoseResult(
            vaccine=match.name if match else None, cvx=match.cvx if match else None,
            groups=list(match.groups) if match else [], vaccine_text=vaccine_field, date=date,
            provider=provider,
            dose_number=Field[int](value=number, text=number_text or None,
                                   confidence=round(draft_dose.dose_number.confidence, 3),
                                   page=draft_dose.dose_number.page,
                                   box=draft_dose.dose_number.box),
        ))
    return FinishedDoses(doses, flags)


def finish_child(draft: Draft, today: dt.date) -> tuple[ChildResult, list[Flag]]:
    """The child's name and birth date; an implausible birth date lowers its confidence."""
    birth, parsed = date_field(draft.birth_date, today)
    if birth.confidence < _SURE_BIRTH_DATE:
        supported = _supported_birth_date(draft, today)
        if supported is not draft.birth_date:
            birth, parsed = date_field(supported, today)
    # The text of the reading taken, which the doses may have chosen over the one read.
    if _unlike_printed(draft, birth.text or "", _printed_shape(draft)):
        birth = _capped(birth, _BREAKS_PRINTED_PATTERN)
    flags: list[Flag] = []
    if draft.document_type is DocumentType.UNKNOWN:
        # Nothing was parsed, so nothing is known, not even that the date is blank (a missing
        # date is otherwise as sure as the absence of ink). `unknown_document_type` says the rest.
        birth = _capped(birth, 0.0)
    elif parsed.kind is not DateKind.FULL:
        birth = _capped(birth, 0.3)
        flags.append(Flag(code=FlagCode.UNREADABLE_DATE if parsed.kind is not DateKind.MISSING
                          else FlagCode.MISSING_DATE, field="child.birth_date",
                          message="the birth date is missing or cannot be read"))
    elif birth.value is not None and (birth.value > today or (today - birth.value).days >
                                      _PLAUSIBLE_AGE_YEARS * 366):
        if birth.value > today:
            flags.append(Flag(code=FlagCode.DATE_IN_FUTURE, field="child.birth_date",
                              message="the birth date is in the future"))
        birth = _capped(birth, 0.3)
    name = text_field(draft.child_name)
    if name.value:
        value = normalise_name(name.value)
        confidence = name.confidence
        if len(value.split()) >= 2 and any(normalise_name(other) == value
                                           for other in draft.child_name.readings):
            # The line recogniser spells the full name Tesseract read (extract.cells).
            confidence = max(confidence, _READS_AGREE)
        if not _looks_like_a_name(value) or _letter_misread(name.value):
            confidence = min(confidence, _DOUBTFUL_NAME)
        name = name.model_copy(update={"value": value or None,
                                       "confidence": round(confidence, 3)})
    elif draft.document_type is not DocumentType.UNKNOWN:
        # Every record names its child: a name not found is not a name known to be blank.
        name = name.model_copy(update={"confidence": min(name.confidence, _DOUBTFUL_NAME)})
    return ChildResult(name=name, birth_date=birth), flags


def _supported_birth_date(draft: Draft, today: dt.date) -> TextField:
    """The reading of an unsure birth date the doses support: the field as read, or another.

    Another reading taken keeps the line recogniser's share as its confidence: a reviewer sees
    it unless that share is at or over the review threshold. A parser's cap on a birth date it
    inferred (a yellow card's lone date above the grid) does not carry over to it: the parsers
    give such a date a review reason (`Draft.unread`) instead.
    """
    read = draft.birth_date
    if not read.choices:
        return read
    # The read's own confidence, not the finished one: that one counts the reads agreeing,
    # which would weigh the read against the recogniser's shares twice.
    candidates: list[tuple[dt.date, float, str]] = []
    current = parse_date(read.text, today).full_date
    if current is not None:
        candidates.append((current, read.confidence, read.text))
    for text, share in read.choices:
        day = parse_date(text, today).full_date
        if day is not None and day <= today and all(day != c[0] for c in candidates):
            candidates.append((day, share, text))
    dose_days = [day for dose in draft.doses
                 if (day := parse_date(dose.date.text, today).full_date) is not None]
    if not candidates or not dose_days:
        return read
    day, share, text = candidates[birth_choice([(c[0], c[1]) for c in candidates], dose_days)]
    if day == current:
        return read
    return replace(read, text=text, confidence=share, readings=(read.text, *read.readings))


# A birth date at least this sure (its reads agreeing) is not chosen again by the doses.
_SURE_BIRTH_DATE = 0.8
# Confidence of a name read that does not look like a child's written name: under review.
_DOUBTFUL_NAME = 0.5
# Words the forms print beside the name: in the name read, the cut took in a label.
_FORM_WORDS = frozenset({"name", "nombre", "patient", "child", "childs", "birthdate", "birth",
                         "date", "fecha", "nacimiento", "sex", "sexo", "dob", "registry"})
# Particles written in lower case inside names ('Ana de la Cruz').
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du",
                        "van", "von", "der", "den", "y", "e", "bin", "al", "el", "le"})
# Prefixes after which a name goes on with a capital ('McDonald', 'DeShawn', "O'Brien").
_NAME_PREFIX = re.compile(r"^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O'|D')(?=[A-Z])")


def _looks_like_a_name(value: str) -> bool:
    """Whether a name read is a given name and a family name, each written as names are.

    OCR that cuts a field wrong gives a label ('Nombre'), one of the two names ('Chloe'), or
    letters of mixed case no one writes ('ADRIay', 'KA ts'): sure-looking, and wrong.
    """
    parts = value.split()
    if len(parts) < 2:
        return False
    for part in parts:
        bare = part.strip(".,")
        if normalise(bare).replace(" ", "") in _FORM_WORDS:
            return False
        if bare in _PARTICLES:
            continue
        for piece in re.split(r"-", _NAME_PREFIX.sub("", bare)):
            # All capitals ('Ana RUIZ', a surname set in capitals) or a capital and small
            # letters; not a mix.
            if not piece or not (piece.isupper() or piece[0].isupper() and (
                    piece[1:].islower() or not piece[1:])):
                return False
    return True


def _letter_misread(text: str) -> bool:
    """Whether a mark in the name was misread: the name kept is not the name written.

    `normalise_name` drops marks no name holds; at a word's ends they are a cell's border read
    as a bar, but between letters the mark was a letter ('L/AM' for 'LIAM'). A period after a
    whole name followed by another ('MORALES. NORA') was the comma of a name written last name
    first, and which name is which is not known.
    """
    parts = text.split()
    for index, part in enumerate(parts):
        letters = [position for position, ch in enumerate(part) if ch.isalpha()]
        inner = part[letters[0]:letters[-1] + 1] if letters else ""
        if any(not ch.isalpha() and ch not in _NAME_MARKS for ch in inner):
            return True
        if (index < len(parts) - 1 and part.endswith(".")
                and len(letters) > _ABBREVIATION_LETTERS):
            return True
    return False


# A word of this many letters or fewer before a period is an abbreviation ('St.', 'Jr.').
_ABBREVIATION_LETTERS = 2
# Marks a name is written with besides its letters ("O'Brien", "Smith-Jones", "St. John").
_NAME_MARKS = frozenset("'-.")


def normalise_name(text: str) -> str:
    """Put a name first name first ("RUIZ, ANA" → "Ana Ruiz"), capitals in their usual case."""
    # Keep letters and the marks names use; OCR adds bars and quotes from cell borders.
    kept = "".join(ch for ch in text if ch.isalpha() or ch in " ,.'-")
    cleaned = " ".join(kept.replace(" ,", ",").split()).strip(" ,.;:'-")
    if "," in cleaned:
        last, _, first = cleaned.partition(",")
        cleaned = f"{first.strip()} {last.strip()}".strip()
    if cleaned.isupper():
        cleaned = " ".join(part.capitalize() if "'" not in part else part.title()
                           for part in cleaned.split())
    return cleaned


def document_type_flag(kind: DocumentType) -> list[Flag]:
    """`unknown_document_type` for a page that is none of the three documents."""
    if kind is not DocumentType.UNKNOWN:
        return []
    return [Flag(code=FlagCode.UNKNOWN_DOCUMENT_TYPE, field="document_type",
                 message="not a yellow card, CSF 49 or CAIR2 report")]
