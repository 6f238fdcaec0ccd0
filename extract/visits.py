"""Doses given at one visit share a date: an unsure date cell leans to a date other rows hold.

A child gets several vaccines at a visit, and a card or a dose list writes the same date on
each of their rows. When the line recogniser is unsure of a cell ('11/18/2024' read '11/8/2024'
at 0.4 and '11/18/2024' at 0.2), the dates the other rows of the table hold are evidence for
the reading they share. The choice taken keeps its own share as its confidence: the other rows
decide which reading is put forward, never how sure it looks, so such a date still goes to a
reviewer.

A visit's date with its day and month exchanged is the same visit transposed (NY's
"transposed month-day"): a cell read '05/07/2023' at 0.32 and '05/04/2023' at 0.33 beside a
row holding '07/05/2023' was written day first. Such a reading is supported as the visit is,
and extract.finish flags the transposition.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from engine.dates import Offset, add_offset
from extract.dates import in_life, month_days

__all__ = ["birth_choice", "day_with_its_digit", "month_less_its_leading_one",
           "one_visit_misread", "visit_choices"]

# A cell the recogniser gives this share or more is left as read, whatever the other rows hold.
_SURE_SHARE = 0.8
# How much one other row holding a date multiplies a reading's share: a reading with a tenth of
# the share of the likeliest is taken when another row holds it for sure. On the handwritten
# date cells the recogniser read (committed corpus, seeds 99 and 4242; other rows' readings as
# the only support), weights of 3, 10 and 30 turned 16+3+6, 21+5+8 and 25+5+9 wrong first
# readings right and 3+2+2, 3+2+3 and 5+2+3 right ones wrong; 10 was kept.
_VISIT_WEIGHT = 10.0
# A reading another row holds with this share or more (or a date read sure) is a visit a cell
# may hold transposed.
_TRANSPOSED_SUPPORT = 0.5
# How much less likely, in a cell whose likeliest reading lies outside the child's life (after
# the day the record is read, or before a birth date read sure), a reading that does not is
# than the recogniser says: such a date is only ever miswritten ('2035' for '2025', a year
# before birth), while a hand's 3 the recogniser reads as an 8 puts a whole card's '/23'
# years in 2028, and its 11 read as 1 puts 11/23/2021 before an August 2021 birth. Over the
# handwritten date cells of the committed corpus and seeds 1618, 4242 and 8080 whose
# likeliest reading lay ahead and that held a reading not ahead, the reading not ahead held
# 0.22% to 39% of the likeliest's share where it was the date written (11 cells, 9
# documents) and 0.025% or less where the date ahead was (6 cells, each a date written in the
# future). Before birth, the reading within the life held 0.03% to 94% where it was written
# (23 cells); of the 6 cells where the date before birth was written, one held a reading
# within the life, at under a millionth of its share.
_OUTSIDE_LIFE = 0.001
# How much less likely, besides, a reading before a birth date read sure is: no dose is
# given before birth. Committed 0067: a hand's '08/04/2024' read 2020-08-04 at 0.52 and
# 2024-08-04 at 0.13, the child born 2022-11-09. Committed 0078: '5/27/32' written ahead,
# read 2022 (before the birth) at 0.11 and 2032 at 0.07: the year ahead is the date written.
_BEFORE_BIRTH = 0.2


def visit_choices(choices: Sequence[Sequence[tuple[dt.date | None, float]]],
                  known: Sequence[dt.date | None],
                  months: Sequence[Sequence[tuple[int, int] | None]] | None = None,
                  born: dt.date | None = None, today: dt.date | None = None) -> list[int]:
    """Which of its readings each cell of a date column takes, given the other rows.

    A month-only reading ('2/2025') also speaks for a day of its month that other rows hold
    ('2/1/2025'): in many hands a 1 and a slash are one stroke, so the recogniser merges a
    short day into the separator and reads the month alone, in every row of a visit alike.

    Args:
        choices: per row, the line recogniser's readings likeliest first, each as the full date
            it names (None for a month, an age or text) and its share; empty where the
            recogniser was not asked or read nothing.
        known: per row, the date other reads agree on for sure, or None.
        months: per row and reading, the (year, month) a month-only reading names, else None.
        born: the child's birth date, read sure.
        today: the day the record is read. Where the likeliest reading is a day after `today`
            or before `born`, every reading not naming a day or month between the two is
            `_OUTSIDE_LIFE` as likely, however sure the recogniser is of it; a date outside
            the child's life that is all the cell can be read as stays, to be flagged.
            A reading before `born` is, besides, `_BEFORE_BIRTH` as likely.

    Returns:
        Per row, the index of the reading to take (0 where there is nothing to choose).
    """
    held: defaultdict[dt.date, float] = defaultdict(float)
    # The dates rows hold likelier than not: only these are looked for transposed, or a reading
    # far down another cell's list tips a close call ('8-10' over '8-16' for one row holding
    # '10-8' at 0.06; '06/1/2020' over '06/11/2020' for one row reading '1/6/2020' at 0.35).
    held_likely: defaultdict[dt.date, float] = defaultdict(float)
    for row_known, row_choices in zip(known, choices, strict=True):
        if row_known is not None:
            held[row_known] += 1.0
            held_likely[row_known] += 1.0
        for day, share in row_choices:
            if day is not None:
                held[day] += share
                if share >= _TRANSPOSED_SUPPORT:
                    held_likely[day] += share
    taken: list[int] = []
    for row, row_choices in enumerate(choices):
        # A likeliest reading outside the child's life gives way to the likeliest inside it.
        outside = (bool(row_choices) and row_choices[0][0] is not None
                   and not _in_life(row_choices[0][0], None, born, today))
        if not row_choices or (row_choices[0][1] >= _SURE_SHARE and not outside):
            taken.append(0)
            continue
        own: defaultdict[dt.date, float] = defaultdict(float)
        for day, share in row_choices:
            if day is not None:
                own[day] += share
        month_shares: defaultdict[tuple[int, int], float] = defaultdict(float)
        for month, (_, share) in zip(months[row] if months else (), row_choices, strict=False):
            if month is not None:
                month_shares[month] += share

        row_months = list(months[row]) if months else []
        priors = [_prior(day, row_months[index] if index < len(row_months) else None,
                         outside, born, today) for index, (day, _) in enumerate(row_choices)]

        def score(index: int, row_choices: Sequence[tuple[dt.date | None, float]] = row_choices,
                  own: defaultdict[dt.date, float] = own,
                  month_shares: defaultdict[tuple[int, int], float] = month_shares,
                  priors: list[float] = priors) -> tuple[float, int]:
            day, share = row_choices[index]
            # What the other rows hold: the row's own readings are not support for themselves.
            others = 0.0 if day is None else held[day] - own[day]
            if day is not None and others > 0:
                share += month_shares[(day.year, day.month)]
            # Added after the month's share: a month-only reading of the cell speaks for its
            # own month, not for the transposed visit's.
            transposed = _transposed(day)
            if transposed is not None:
                others += held_likely[transposed] - sum(
                    mine for their, mine in row_choices
                    if their == transposed and mine >= _TRANSPOSED_SUPPORT)
            share *= priors[index]
            return share * (1.0 + _VISIT_WEIGHT * others), -index

        taken.append(max(range(len(row_choices)), key=score))
    return taken


def _prior(day: dt.date | None, month: tuple[int, int] | None, outside: bool,
           born: dt.date | None, today: dt.date | None) -> float:
    """What a reading's share is multiplied by, for the day or month it names."""
    prior = _OUTSIDE_LIFE if outside and not _in_life(day, month, born, today) else 1.0
    # Of two readings outside the life, one ahead is likelier than one before birth.
    return prior * (_BEFORE_BIRTH if born is not None and day is not None and day < born
                    else 1.0)


def _in_life(day: dt.date | None, month: tuple[int, int] | None, born: dt.date | None,
             today: dt.date | None) -> bool:
    """Whether a reading names a day, or a month, of the child's life up to `today`.

    A reading that names neither (an age, text) is of no life.
    """
    if day is not None:
        first = last = day
    elif month is not None:
        first, last = month_days(*month)
    else:
        return False
    return in_life(first, last, born, today)


def _transposed(day: dt.date | None) -> dt.date | None:
    """`day` with its day and month exchanged, when that is another real day."""
    if day is None or day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


# How much each dose written on a birth date reading multiplies its share (the birth dose of
# Hep B is given the day a child is born), as `_VISIT_WEIGHT` for a visit.
_BIRTH_DOSE_WEIGHT = _VISIT_WEIGHT
# How much each day of doses outside the childhood a birth date reading gives divides its share:
# no dose is given before birth, and the children this service verifies are under six, so no
# dose of theirs is years past that; a card may still hold a misread or miswritten date.
_OUTSIDE_CHILDHOOD = 0.5
# How long after birth a child's doses can be dated: under six at the application, with a
# year's slack for a date written late.
_CHILDHOOD = Offset(years=7)


def birth_choice(choices: Sequence[tuple[dt.date, float]], dose_days: Sequence[dt.date]) -> int:
    """Which reading of an unsure birth date the record's doses support.

    A reading with doses before it (or years after the childhood it gives) is unlikely, and
    one with a dose given on it (the birth dose) likely. Like `visit_choices`, the doses choose
    the reading put forward, never how sure it looks.

    Args:
        choices: the birth date's readings, each as a date and its share.
        dose_days: the full dates of the record's doses, as read.

    Returns:
        The index of the reading to take (0 when there is nothing to choose).
    """
    days = set(dose_days)

    def score(index: int) -> tuple[float, int]:
        birth, share = choices[index]
        grown = add_offset(birth, _CHILDHOOD)
        outside = sum(1 for day in days if day < birth or day >= grown)
        birth_dose = _BIRTH_DOSE_WEIGHT if birth in days else 0.0
        return share * (1.0 + birth_dose) * _OUTSIDE_CHILDHOOD ** outside, -index

    return max(range(len(choices)), key=score) if choices else 0


# Two dates of a card this many days apart or less are one visit, one of them misread: a day's
# last digit misread (4 and 9, 6 and 0, 1 and 7) moves it by up to nine days.
_ONE_VISIT_MISREAD_DAYS = 9


def one_visit_misread(day: dt.date, other: dt.date) -> bool:
    """Whether `day` is `other` misread: a few days off, or its day less one digit.

    Only the day loses a digit: a month short of one ('1/3' and '11/3') is ten months away,
    as far apart as two visits of the schedule.
    """
    if day == other:
        return False
    return abs((day - other).days) <= _ONE_VISIT_MISREAD_DAYS or _day_less_a_digit(day, other)


def day_with_its_digit(day: dt.date, others: Iterable[dt.date]) -> dt.date | None:
    """The one other date of `day`'s month whose day is `day`'s with a digit more, if one.

    A hand's '04/11/2025' read '04/1/2025' (a 1 merged with the slash beside it) in one row
    and whole in another. Two such fuller dates say nothing.
    """
    fuller = {other for other in others if _day_less_a_digit(day, other)}
    return next(iter(fuller)) if len(fuller) == 1 else None


def month_less_its_leading_one(day: dt.date, other: dt.date) -> bool:
    """Whether `day` is `other` with the month's leading 1 lost ('2/04/2025' for '12/04/2025').

    The 1 beside a cell's left border is lost as the border's stroke. Not one visit misread
    (`one_visit_misread`): a 2-month and a 12-month visit fall on one day of a month too, so
    such a row is only doubted, never changed.
    """
    return ((other.year, other.day) == (day.year, day.day) and other.month >= 10
            and str(other.month)[1:] == str(day.month))


def _day_less_a_digit(day: dt.date, other: dt.date) -> bool:
    """Whether `day` is `other` of its month with one digit of its day left out."""
    return (other.year, other.month) == (day.year, day.month) and _less_a_digit(
        str(other.day), str(day.day))


def _less_a_digit(longer: str, shorter: str) -> bool:
    """Whether `shorter` is `longer` with one of its digits left out."""
    return len(longer) == len(shorter) + 1 and any(
        longer[:at] + longer[at + 1:] == shorter for at in range(len(longer)))
