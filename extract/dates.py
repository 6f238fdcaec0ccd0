"""Dates as people write them on immunization records, parsed without guessing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["DateKind", "ParsedDate", "parse_date"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec)[a-z]*\.?"
_SEP = r"\s*[/\-.]\s*"
_NUMERIC_FULL = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_PARTIAL = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{4}}|\d{{2}})$")
_NAMED_MDY = re.compile(
    rf"^{_MONTH_RE}\s*[\s\-.,/]\s*(\d{{1,2}})(?:st|nd|rd|th)?\s*[\s,\-./]\s*(\d{{4}}|\d{{2}})$"
)
_NAMED_DMY = re.compile(
    rf"^(\d{{1,2}})\s*[\s\-./]?\s*{_MONTH_RE}\s*[\s,\-./]?\s*(\d{{4}}|\d{{2}})$"
)
_NAMED_PARTIAL = re.compile(rf"^{_MONTH_RE}\s*[\s,\-./']\s*(\d{{4}}|\d{{2}})$")
_AGE = re.compile(
    r"^(?:at\s+)?(?:birth|newborn|nb|(\d{1,2})\s*[-\s]?\s*(mo|mos|month|months|m|wk|wks|week|weeks|"
    r"w|yr|yrs|year|years|y)\.?(?:\s*old)?)$"
)
# OCR and hand confusions between letters and digits, applied only to digit-like tokens.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1",
                                   "i": "1", "|": "1", "!": "1", "S": "5", "s": "5", "B": "8",
                                   "Z": "2", "z": "2", "g": "9", "G": "6"})


class DateKind(StrEnum):
    """What a date field holds."""

    FULL = "full"
    PARTIAL = "partial"
    AGE = "age"
    UNREADABLE = "unreadable"
    MISSING = "missing"


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


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) == 2:
        # Records are of children: a two-digit year is this century unless it is in the future.
        year += 2000 if year <= today.year % 100 + 1 else 1900
    return year


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _normalise(text: str) -> str:
    cleaned = " ".join(text.strip().strip(",;:_~'\"`").split())
    # Tokens made of digits and separators with a stray look-alike letter are read as digits.
    tokens = []
    for token in cleaned.split(" "):
        digits = sum(ch.isdigit() for ch in token)
        if digits >= 2 and digits >= len(token) * 0.5:
            token = token.translate(_DIGIT_LOOKALIKES)
        tokens.append(token)
    return " ".join(tokens).lower()


def parse_date(text: str | None, today: dt.date | None = None) -> ParsedDate:
    """Parse a date as written on a record: 3/4/22, 03-04-2022, 3/22, Mar 4 2022, 4-Mar-2022, 2 mo.

    Month-first is the US reading; a text that only parses day-first (13/03/2022) is read so and
    marked `day_first`. Two-digit years are this century unless that lands in the future.
    """
    today = today or dt.date.today()
    if text is None or not text.strip(" -_/.\t"):
        return ParsedDate(DateKind.MISSING)
    norm = _normalise(text)
    if _AGE.match(norm):
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
