"""The most likely date (or text) in a line recogniser's per-frame character probabilities.

A CTC line recogniser (extract._ppocr) gives, for every frame across a line image, a probability
for each character and for "no character" (the blank). Taking the likeliest character frame by
frame turns a hand's ambiguous strokes into strings no one writes for a date ('1//2024',
'5//025'): in many hands a 1 and a slash are the same stroke. The search here keeps only the
strings a date can be, digits in at most three fields split by one kind of separator, and ends
on whole calendar dates, so the answer is the likeliest *date*. Its confidence is its share of
all the probability the search kept, so two dates the strokes fit equally well both come out
unsure and the cell goes to a reviewer. One known bias of the recogniser is corrected first: it
gives the first of two digits written close (a day's or month's 1 or 2) to the neighbour, so a
reading with that digit is weighed up (`_lost_digits_restored`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

__all__ = ["ANY_YEAR", "DATE_CHARACTERS", "DateReading", "best_path_text", "likeliest_dates",
           "record_years"]

SEPARATORS = "/-."
DIGITS = "0123456789"
DATE_CHARACTERS = DIGITS + SEPARATORS

# Prefixes kept per frame. Dates are short (at most 10 characters): 24 holds every plausible
# reading of a cell while the search stays a few milliseconds in Python.
_BEAM = 24
# A character this unlikely in a frame is not worth extending a prefix with.
_FLOOR = 1e-4

# The shape of a date while it is being written: which field (month, day, year), how many
# digits the field has so far, and the separator the writer uses (None before the first).
_Shape = tuple[int, int, str | None]
_START: _Shape = (0, 0, None)
# A four-digit year outside 1900-2099 is a misread stroke ('5.1023'), not a year anyone living
# wrote on a record.
ANY_YEAR = range(1900, 2100)
# How many years before the day it is read a date on a young child's record can be: the child
# is under six at the application, the record may be read again at a redetermination a year
# on, and a dose miswritten a year before the birth date is a date to flag, not to read past;
# two years more are slack. Without this bound a hand's '2' the recogniser sees as nothing
# wins with a year no one on the record was alive in ('04/28/23' read '04/8/03').
_RECORD_YEARS_BACK = 10
# Month and day take two digits at most; the last field (a year) four.
_FIELD_DIGITS = (2, 4, 4)
# How much likelier a reading with one more 1 or 2 than the recogniser's likeliest is than the
# recogniser says (`_lost_digits_restored`). Measured on the handwritten date cells of the
# committed corpus and seeds 4242, 8080 and 1618: where a reading with one more digit held a
# tenth of the likeliest's belief or more (77 cells), it was the date written 54 times, the
# likeliest twice; the digit was a 1 in 39 of them and a 2 in 11. Other digits came too seldom
# to weigh: where a one-more-0 reading held 3% or more (11 cells) it was written once, and
# weighed up it read '1/18/2019' as '10/18/2019' and '7/2025' as '07/2025' on seed 99.
# Weighing a one-more-1-or-2 reading up 10 times read 22 cells right and 2 wrong on the
# committed corpus (27 and none on the three seeds; on seeds 777 and 31337, 13 and none).
_LOST_DIGIT_WEIGHT = 10.0
# The digits a hand's day or month loses to the recogniser (`_lost_digits_restored`).
_LOST_DIGITS = "12"


def _extend(shape: _Shape, character: str) -> _Shape | None:
    """The shape after writing `character`, or None when no date continues that way."""
    field, digits, separator = shape
    if character in DIGITS:
        return (field, digits + 1, separator) if digits < _FIELD_DIGITS[field] else None
    if digits == 0 or field == 2 or (separator is not None and character != separator):
        return None
    # A second field longer than a day is a year ("3/2022"): nothing may follow it.
    if field == 1 and digits > 2:
        return None
    return (field + 1, 0, character)


def record_years(today: dt.date) -> range:
    """The years a date on a young child's record read on `today` can carry.

    Ahead, to the end of the next decade: a year written ahead by mistake is a slip of one
    digit of a year of this one ('2035' for 2025), a date to flag as in the future that must
    stay readable. Further ahead is a misread, as years too far back are: left open, the
    search puts a hand's '6/15/2024' in 2070 once 2000 is closed to it.
    """
    return range(today.year - _RECORD_YEARS_BACK, (today.year // 10 + 2) * 10)


@cache
def _year_prefixes(years: range) -> tuple[frozenset[str], frozenset[str]]:
    """What a year in `years` may begin with, written in four digits and in two.

    Two-digit years are read in the century `years` ends in (`_century`), as extract.dates
    reads them in today's.
    """
    long = frozenset(str(year)[:length] for year in years for length in range(1, 5))
    short = frozenset(f"{year % 100:02d}"[:length] for year in years
                      if year // 100 * 100 == _century(years) for length in (1, 2))
    return long, short


def _century(years: range) -> int:
    """The century two-digit years are read in: the one `years` ends in (`record_years`)."""
    return (years.stop - 1) // 100 * 100


def _year_may_follow(text: str, shape: _Shape, years: range) -> bool:
    """Whether the year being written in `text` can still become one of `years`.

    The year is the third field, or a second field longer than a day ('3/2022'); a second
    field of one or two digits may be a day, and is not held to it.
    """
    field, digits, _ = shape
    if field == 0 or digits == 0 or (field == 1 and digits <= 2):
        return True
    long, short = _year_prefixes(years)
    year = text[len(text) - digits:]
    return year in long or field == 2 and year in short


def _whole(shape: _Shape) -> bool:
    """Whether a date may end here: month/day/year or month/year, with a 2- or 4-digit year."""
    field, digits, _ = shape
    return field in (1, 2) and digits in (2, 4)


def _on_calendar(text: str, years: range) -> bool:
    """Whether month/day/year (or month/year) names a real day (or month) in `years`.

    Two fields are a month and its year, as extract.dates reads them ('3/22' is March 2022).
    """
    written = text.replace("-", "/").replace(".", "/").split("/")
    parts = [int(part) for part in written]
    if not 1 <= parts[0] <= 12:
        return False
    year = parts[-1] + _century(years) if len(written[-1]) == 2 else parts[-1]
    if year not in years:
        return False
    if len(parts) == 2:
        return True
    month, day, _ = parts
    return 1 <= day <= calendar.monthrange(year, month)[1]


@dataclass(frozen=True, slots=True)
class DateReading:
    """A date as written ("3/12/2024", "07/2022") and its share of the recogniser's belief."""

    text: str
    confidence: float


@dataclass(slots=True)
class _Prefix:
    ends_blank: float
    ends_character: float
    shape: _Shape

    @property
    def total(self) -> float:
        return self.ends_blank + self.ends_character


def _add(beams: dict[str, _Prefix], text: str, ends_blank: float, ends_character: float,
         shape: _Shape) -> None:
    """Add one way of reaching `text` to the beams of the next frame."""
    prefix = beams.get(text)
    if prefix is None:
        beams[text] = _Prefix(ends_blank, ends_character, shape)
    else:
        prefix.ends_blank += ends_blank
        prefix.ends_character += ends_character


def likeliest_dates(
    probabilities: npt.NDArray[np.float32], characters: Mapping[int, str],
    years: range = ANY_YEAR,
) -> list[DateReading]:
    """The dates the frames can be read as, likeliest first (CTC prefix beam search).

    Args:
        probabilities: frames x classes, each row summing to 1; class 0 is the blank.
        characters: the class index of each date character (digits and separators).
        years: the years a date may carry (`record_years`). Held to while searching, so the
            beam's places go to readings that can end as one.

    Returns:
        Whole calendar dates with their share of the probability the search kept, a lost 1 or 2
        weighed up (`_lost_digits_restored`); empty when nothing date-shaped is there.
    """
    columns = [(index, ch) for index, ch in characters.items() if ch in DATE_CHARACTERS]
    beams: dict[str, _Prefix] = {"": _Prefix(1.0, 0.0, _START)}
    for row in probabilities:
        blank = float(row[0])
        likely = [(ch, float(row[index])) for index, ch in columns if row[index] > _FLOOR]
        grown: dict[str, _Prefix] = {}
        for text, prefix in beams.items():
            _add(grown, text, prefix.total * blank, 0.0, prefix.shape)
            last = text[-1:]
            for ch, p in likely:
                shape = _extend(prefix.shape, ch)
                if shape is not None and not _year_may_follow(text + ch, shape, years):
                    shape = None
                if ch == last:
                    # The same character again without a blank between is the same stroke;
                    # after a blank it is a second character.
                    _add(grown, text, 0.0, prefix.ends_character * p, prefix.shape)
                    if shape is not None:
                        _add(grown, text + ch, 0.0, prefix.ends_blank * p, shape)
                elif shape is not None:
                    _add(grown, text + ch, 0.0, prefix.total * p, shape)
        kept = sorted(grown.items(), key=lambda item: item[1].total, reverse=True)[:_BEAM]
        # Rescaled every frame so long lines do not underflow; shares are what is reported.
        scale = sum(prefix.total for _, prefix in kept) or 1.0
        beams = {text: _Prefix(prefix.ends_blank / scale, prefix.ends_character / scale,
                               prefix.shape) for text, prefix in kept}
    found = {text: prefix.total for text, prefix in beams.items()
             if _whole(prefix.shape) and _on_calendar(text, years)}
    beliefs = _lost_digits_restored(found)
    # Shares are of all the search kept: the dates as weighed and the readings that are none.
    mass = (sum(prefix.total for text, prefix in beams.items() if text not in found)
            + sum(beliefs.values())) or 1.0
    dates = [DateReading(text, belief / mass) for text, belief in beliefs.items()]
    return sorted(dates, key=lambda reading: reading.confidence, reverse=True)


def _lost_digits_restored(beliefs: dict[str, float]) -> dict[str, float]:
    """The dates' beliefs with the likeliest date's one-more-1-or-2 readings weighed up.

    The first of two digits written close together is what a hand's day or month loses to the
    recogniser: a 1 is one thin stroke it gives to the neighbour ('11/2', '7/11/', '10/19' read
    '1/2', '7/1/', '10/9'), and a 2 leading a day runs into it ('8/27' read '8/7'). Where a
    reading that is the likeliest with one more 1 or 2 held a tenth of its belief or more, the
    longer reading was nearly always the one written (`_LOST_DIGIT_WEIGHT`).
    """
    if not beliefs:
        return beliefs
    likeliest = max(beliefs, key=beliefs.__getitem__)
    return {text: belief * _LOST_DIGIT_WEIGHT if _one_more_digit(likeliest, text) else belief
            for text, belief in beliefs.items()}


def _one_more_digit(shorter: str, text: str) -> bool:
    """Whether `text` is `shorter` with one more digit a hand loses written somewhere in it."""
    return len(text) == len(shorter) + 1 and any(
        text[i] in _LOST_DIGITS and text[:i] + text[i + 1:] == shorter
        for i in range(len(text)))


def best_path_text(probabilities: npt.NDArray[np.float32],
                   characters: Mapping[int, str]) -> tuple[str, float] | None:
    """The likeliest character of each frame, repeats merged and blanks dropped (CTC best path).

    For free text (a vaccine's name) no shape narrows the search; the vocabulary match that
    follows does. Classes outside `characters` are not read. The confidence is the mean
    probability of the characters kept; None when no character is read.
    """
    columns = np.array(sorted(characters), dtype=np.intp)
    allowed = probabilities[:, np.concatenate(([0], columns))]
    best = allowed.argmax(axis=1)
    text: list[str] = []
    beliefs: list[float] = []
    previous = 0
    for frame, choice in enumerate(best):
        if choice != 0 and choice != previous:
            text.append(characters[int(columns[choice - 1])])
            beliefs.append(float(allowed[frame, choice]))
        previous = int(choice)
    written = "".join(text).strip()
    return (written, sum(beliefs) / len(beliefs)) if written else None
