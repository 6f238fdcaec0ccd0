"""CDSi date arithmetic (logic spec 3.4, CALCDT): years, then months, then weeks and days."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from engine.errors import DataError

__all__ = ["DATE_CACHE_SIZE", "Offset", "add_offset", "parse_offset"]

DATE_CACHE_SIZE = 1 << 16
"""How many results a cache of date arithmetic keeps (a few megabytes at most)."""

_TERM = re.compile(r"([+-]?)\s*(\d+)\s*(year|month|week|day)s?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Offset:
    """A signed span of years, months, weeks and days, as CDSi writes ages and intervals."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    # Derived once, for the inner loops that add the same spans to many dates: the calendar
    # part as a count of months, and the weeks and days as one timedelta.
    total_months: int = field(init=False, repr=False, compare=False)
    delta: dt.timedelta = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen: derived fields are set through object.__setattr__, once, at construction.
        object.__setattr__(self, "total_months", self.years * 12 + self.months)
        object.__setattr__(self, "delta", dt.timedelta(days=self.weeks * 7 + self.days))

    def __add__(self, other: Offset) -> Offset:
        return Offset(
            self.years + other.years,
            self.months + other.months,
            self.weeks + other.weeks,
            self.days + other.days,
        )

    def __neg__(self) -> Offset:
        return Offset(-self.years, -self.months, -self.weeks, -self.days)

    def __str__(self) -> str:
        parts = [
            f"{n} {unit}{'' if abs(n) == 1 else 's'}"
            for n, unit in (
                (self.years, "year"),
                (self.months, "month"),
                (self.weeks, "week"),
                (self.days, "day"),
            )
            if n
        ]
        return " + ".join(parts).replace("+ -", "- ") or "0 days"


@functools.lru_cache(maxsize=4096)
def parse_offset(text: str) -> Offset:
    """Parse a CDSi span such as "6 weeks - 4 days", "1 year + 4 weeks" or "4 months".

    Raises:
        DataError: when the text holds anything but signed terms of years, months, weeks, days.
    """
    stripped = text.strip()
    if not stripped:
        raise DataError("an empty age or interval where one was expected in supporting data")
    totals = {"year": 0, "month": 0, "week": 0, "day": 0}
    position = 0
    for match in _TERM.finditer(stripped):
        if stripped[position : match.start()].strip():
            break
        sign = -1 if match.group(1) == "-" else 1
        totals[match.group(3).lower()] += sign * int(match.group(2))
        position = match.end()
    if position == 0 or stripped[position:].strip():
        raise DataError(
            f"cannot read the age or interval {text!r}: expected e.g. '6 weeks - 4 days'"
        )
    return Offset(totals["year"], totals["month"], totals["week"], totals["day"])


def add_offset(start: dt.date, offset: Offset) -> dt.date:
    """Add a span the CDSi way: years and months holding the day (CALCDT-1, -2, -6).

    A day that does not exist in the resulting month moves forward to the first day of the next
    month (CALCDT-5); weeks and days are then added as a count of days (CALCDT-3, -4).
    """
    if offset.total_months:
        start = _add_months(start, offset.total_months)
    return start + offset.delta


# Cached: the engine adds the same few ages (2 months, 12 months, 4 years...) to the same birth
# dates again and again, and the calendar arithmetic costs several times a dictionary lookup.
@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def _add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(month_index, 12)
    month = month0 + 1
    try:
        return dt.date(year, month, start.day)
    except ValueError:
        # The day does not exist in that month (the 31st, or the 29th of February).
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return dt.date(year, month, 1)
