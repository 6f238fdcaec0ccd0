"""Dates as people write them on immunization records, parsed without guessing."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from extract.layout import reads_like

__all__ = ["NO_DATE", "DateKind", "ParsedDate", "in_life", "month_days", "parse_date",
           "shaped_like_a_date", "zero_repairs"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec)[a-z]*\.?"
_SEP = r"\s*[/\-.]\s*"
_NUMERIC_FULL = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})$")
_FULL_YEAR = re.compile(rf"^\d{{1,2}}{_SEP}\d{{1,2}}{_SEP}\d{{4}}$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_PARTIAL = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})$")
_NAMED_MDY = re.compile(
    rf"^{_MONTH_RE}\s*[\s\-.,/]\s*(\d{{1,2}})(?:st|nd|rd|th)?\s*[\s,\-./]\s*(\d{{4}}|\d{{2}})$"
)
_NAMED_DMY = re.compile(
    rf"^(\d{{1,2}})\s*[\s\-./]?\s*{_MONTH_RE}\s*[\s,\-./]?\s*(\d{{4}}|\d{{2}})$"
)
_NAMED_PARTIAL = re.compile(rf"^{_MONTH_RE}\s*[\s,\-./']\s*(\d{{4}}|\d{{2}})$")
# Units of an age written out; a lone 'm', 'w' or 'y' is an age unit only after digits.
_SPELLED_AGE_UNITS = "mo|mos|month|months|wk|wks|week|weeks|yr|yrs|year|years"
_AGE = re.compile(
    rf"^(?:at\s+)?(?:birth|newborn|nb|(\d{{1,2}})\s*[-\s]?\s*({_SPELLED_AGE_UNITS}|m|w|y)\.?"
    r"(?:\s*old)?)$"
)
# An age as the hand or the recogniser slipped on it; the unit must be spelled out, so a lone
# letter never makes a word an age. Its number read as look-alike letters ('IIMOS' for
# '11 mos', 'qmo.' for '9 mo.'; the digits' look-alikes of _DIGIT_LOOKALIKES, and a
# handwritten 9's 'q'), or as one letter of its own before a unit of three letters or more
# ('V MOS' for '6 mos'), or as a mark before a unit of three letters or more ('\ Mos' for
# '6 mos': the digit's stroke alone)...
_SLIPPED_AGE = re.compile(
    r"^(?:[0-9ilo|!szgq]{1,2}\s*-?\s*([a-z0]{2,7})|[a-z]\s+([a-z0]{3,7})"
    r"|[^a-z0-9\s]{1,2}\s*([a-z]{3,7}))\.?$")
_AGE_UNITS = frozenset(_SPELLED_AGE_UNITS.split("|"))
# ...and its unit with a zero for its o ('19 M0'), or one letter wrong in a unit of five
# letters or more ('11 MONTIS'): shorter units one slip away are other words.
_SLIPPED_UNIT_LETTERS = 5
# OCR and hand confusions between letters and digits, applied only to digit-like tokens.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1",
                                   "i": "1", "|": "1", "!": "1", "S": "5", "s": "5", "B": "8",
                                   "Z": "2", "z": "2", "g": "9", "G": "6"})


# Years a date written on a record can hold; any other four digits are a misread.
_FIRST_YEAR, _LAST_YEAR = 1900, 2199


class DateKind(StrEnum):
    """What a date field holds."""

    FULL = "full"
    PARTIAL = "partial"
    AGE = "age"
    UNREADABLE = "unreadable"
    MISSING = "missing"


# What a reading that parses to no date at all is: nothing written, or nothing readable.
NO_DATE = frozenset({DateKind.MISSING, DateKind.UNREADABLE})


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date field.

    Attributes:
        kind: full date, month and year only, an age instead of a date, unreadable or missing.
        value: the date (first of the month for a partial date), or None.
        swapped: the other reading when day and month could be exchanged (both 12 or under),
            or the month-first reading when the text could only be day-first.
        day_first: the text could only be read day-first (e.g. 14/03/2022).
    """

    kind: DateKind
    value: dt.date | None = None
    swapped: dt.date | None = None
    day_first: bool = False

    @property
    def full_date(self) -> dt.date | None:
        """The day named when the text is a full date; None for a month, an age or nothing."""
        return self.value if self.kind is DateKind.FULL else None


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        # Records are of children born this century, so no date on one is in the last: a
        # two-digit year past this one ('1/21/38') is a date written in the future, and is
        # flagged as one, not as a day eighty years before the child was born.
        year += today.year // 100 * 100
    return year


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        # "2623" is a misread, not a date: it is unreadable, not a dose six centuries ahead.
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Marks OCR reads off cell borders, brackets and underlines around a written date.
_EDGE_JUNK = ",;:_~'\"`|()[]{}<>!*‘’“”—–=+"


def _normalise(text: str) -> str:
    cleaned = " ".join(text.strip().strip(_EDGE_JUNK + " ").split())
    # Tokens made of digits and separators with a stray look-alike letter are read as digits.
    tokens = []
    for token in cleaned.split(" "):
        digits = sum(ch.isdigit() for ch in token)
        if digits >= 2 and digits >= len(token) * 0.5:
            token = token.translate(_DIGIT_LOOKALIKES)
        tokens.append(token)
    return " ".join(tokens).lower()


def month_days(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a month: the days a month written without its day may mean."""
    first = dt.date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def in_life(first: dt.date, last: dt.date, born: dt.date | None, today: dt.date | None) -> bool:
    """Whether a day from `first` to `last` falls in the child's life: from `born` to `today`.

    Either unknown bounds nothing.
    """
    return (today is None or first <= today) and (born is None or last >= born)


def parse_date(text: str | None, today: dt.date | None = None) -> ParsedDate:
    """Parse a date as written on a record: 3/4/22, 03-04-2022, 3/22, Mar 4 2022, 4-Mar-2022, 2 mo.

    Month-first is the US reading; a text that only parses day-first (13/03/2022) is read so and
    marked `day_first`. Two-digit years are this century.
    """
    today = today or dt.date.today()
    if text is None or not text.strip(" -_/.\t" + _EDGE_JUNK):
        return ParsedDate(DateKind.MISSING)
    norm = _normalise(text)
    parsed = _parse_normalised(norm, today)
    if parsed.kind is not DateKind.UNREADABLE:
        return parsed
    return _date_among_words(norm, today) or parsed


# Words that make a date beside them something other than the day a dose was given.
_NOT_GIVEN = frozenset({"due", "next", "proxima", "exp", "expires", "lot"})


def _date_among_words(norm: str, today: dt.date) -> ParsedDate | None:
    """The one numeric date in a cell that also holds words without digits.

    A cell's crop catches a neighbour's word ("9/25/23 Central") or a border mark; the date is
    taken when it is the only token with a digit in it. OCR splitting a date at a space
    ("10/2 7/2022") is read with the space closed.
    """
    tokens = [t.strip(_EDGE_JUNK) for t in norm.split(" ")]
    if any(t.strip(".:") in _NOT_GIVEN for t in tokens):
        return None
    with_digits = [t for t in tokens if any(ch.isdigit() for ch in t)]
    if len(with_digits) == 1 and len(tokens) > 1:
        found = _parse_normalised(_normalise(with_digits[0]), today)
        if found.kind in (DateKind.FULL, DateKind.PARTIAL):
            return found
    # A complete date with a four-digit year beside a lone one- or two-digit number: the dose
    # number of the next column, caught in the crop.
    dated = [t for t in with_digits if _FULL_YEAR.match(t)]
    if len(dated) == 1 and all(t in dated or (t.isdigit() and len(t) <= 2) for t in with_digits):
        found = _parse_normalised(_normalise(dated[0]), today)
        if found.kind is DateKind.FULL:
            return found
    closed = "".join(with_digits)
    if len(with_digits) > 1 and all(t in with_digits for t in tokens if t):
        found = _parse_normalised(_normalise(closed), today)
        if found.kind is DateKind.FULL and _NUMERIC_FULL.match(_normalise(closed)):
            return found
    return None


def _parse_normalised(norm: str, today: dt.date) -> ParsedDate:
    if _AGE.match(norm) or _slipped_age(norm):
        return ParsedDate(DateKind.AGE)
    if match := _ISO.match(norm):
        value = _date(int(match[1]), int(match[2]), int(match[3]))
        return ParsedDate(DateKind.FULL, value) if value else ParsedDate(DateKind.UNREADABLE)
    if match := _NUMERIC_FULL.match(norm):
        first, second, year = int(match[1]), int(match[2]), _year(match[3], today)
        month_first = _date(year, first, second)
        day_first = _date(year, second, first)
        if month_first is not None:
            swapped = day_first if day_first is not None and first != second else None
            return ParsedDate(DateKind.FULL, month_first, swapped)
        if day_first is not None:
            return ParsedDate(DateKind.FULL, day_first, None, day_first=True)
        return ParsedDate(DateKind.UNREADABLE)
    if match := _NAMED_MDY.match(norm):
        value = _date(_year(match[3], today), _MONTHS[match[1]], int(match[2]))
        return ParsedDate(DateKind.FULL, value) if value else ParsedDate(DateKind.UNREADABLE)
    if match := _NAMED_DMY.match(norm):
        value = _date(_year(match[3], today), _MONTHS[match[2]], int(match[1]))
        return ParsedDate(DateKind.FULL, value) if value else ParsedDate(DateKind.UNREADABLE)
    if match := _NUMERIC_PARTIAL.match(norm):
        month, year = int(match[1]), _year(match[2], today)
        if 1 <= month <= 12:
            return ParsedDate(DateKind.PARTIAL, dt.date(year, month, 1))
        return ParsedDate(DateKind.UNREADABLE)
    if match := _NAMED_PARTIAL.match(norm):
        return ParsedDate(DateKind.PARTIAL, dt.date(_year(match[2], today), _MONTHS[match[1]], 1))
    return ParsedDate(DateKind.UNREADABLE)


def _slipped_age(norm: str) -> bool:
    """Whether the text is an age whose number or unit was misread (`_SLIPPED_AGE`)."""
    match = _SLIPPED_AGE.match(norm)
    if match is None:
        return False
    unit = (match[1] or match[2] or match[3]).replace("0", "o")
    return unit in _AGE_UNITS or (len(unit) >= _SLIPPED_UNIT_LETTERS
                                  and any(reads_like(unit, spelled) for spelled in _AGE_UNITS))


# Digits OCR reads for a zero drawn with a dot or slash, or closed up by the scan.
_ZERO_LOOKALIKES = "689"
_NUMERIC_GROUPS = re.compile(r"^(\d{1,2})([/\-.])(\d{1,2})([/\-.])(\d{4}|\d{2})$")


def zero_repairs(text: str, today: dt.date) -> list[dt.date]:
    """Dates a numeric date could be if OCR misread zeros in its impossible parts.

    Only parts that cannot be right are changed: a month over 12, a day over 31, a four-digit
    year outside 1900 to ten years ahead. Any of their digits that OCR confuses with a zero
    (6, 8, 9) may be one. "83/26/2023" → 3/26/2023; "16/36/22" → 10/30/22. The caller treats the
    answer as a guess: a reviewer confirms it.
    """
    token = "".join(_normalise(text).split())
    match = _NUMERIC_GROUPS.match(token.strip(_EDGE_JUNK))
    if match is None:
        return []
    month, day, year = match[1], match[3], match[5]

    def options(part: str, fine: bool) -> list[str]:
        if fine:
            return [part]
        spots = [i for i, ch in enumerate(part) if ch in _ZERO_LOOKALIKES]
        out = []
        for mask in range(1, 1 << len(spots)):
            chars = list(part)
            for bit, spot in enumerate(spots):
                if mask >> bit & 1:
                    chars[spot] = "0"
            out.append("".join(chars))
        return out

    year_ok = len(year) == 2 or 1900 <= int(year) <= today.year + 10
    if int(month) <= 12 and int(day) <= 31 and year_ok:
        return []
    found: set[dt.date] = set()
    for m in options(month, 1 <= int(month) <= 12):
        for d in options(day, 1 <= int(day) <= 31):
            for y in options(year, year_ok):
                if len(y) == 4 and not 1900 <= int(y) <= today.year + 10:
                    continue
                value = _date(_year(y, today), int(m), int(d))
                if value is not None:
                    found.add(value)
    return sorted(found)


# A word written as a date, whatever its characters were read as: three short runs of letters
# or digits split by one kind of separator.
_DATE_SHAPED = re.compile(r"[0-9A-Za-z]{1,2}([/.-])[0-9A-Za-z]{1,2}\1[0-9A-Za-z]{2,4}")


def shaped_like_a_date(text: str) -> bool:
    """Whether a word is written as a date, however its digits were read.

    A blurred or handwritten date the page read makes letters of ('64/61/2625' for a typed
    '04/01/2025', 'W/2T/LOU' for a hand's '11/27/2021') is still worth reading again as one.
    """
    return _DATE_SHAPED.fullmatch(text) is not None
