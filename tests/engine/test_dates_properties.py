"""Properties of CDSi date arithmetic (engine/dates.py, CALCDT-1 to -6), checked by hypothesis."""

from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.dates import Offset, add_offset, parse_offset

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
small = st.integers(min_value=0, max_value=40)


@settings(deadline=None)  # a loaded CI machine must not fail a pure function
@given(dates, st.integers(0, 30))
def test_years_hold_the_month_and_day_or_roll_to_the_first(start: dt.date, years: int) -> None:
    got = add_offset(start, Offset(years=years))
    if start.month == 2 and start.day == 29 and not calendar.isleap(start.year + years):
        assert got == dt.date(start.year + years, 3, 1)
    else:
        assert got == start.replace(year=start.year + years)


@settings(deadline=None)  # a loaded CI machine must not fail a pure function
@given(dates, st.integers(0, 120))
def test_months_hold_the_day_or_roll_to_the_first_of_the_next_month(
    start: dt.date, months: int
) -> None:
    got = add_offset(start, Offset(months=months))
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if start.day <= calendar.monthrange(year, month)[1]:
        assert got == dt.date(year, month, start.day)
    else:
        assert got.day == 1
        assert (got - dt.timedelta(days=1)).month == month


@settings(deadline=None)  # a loaded CI machine must not fail a pure function
@given(dates, small, small)
def test_weeks_and_days_are_a_count_of_days(start: dt.date, weeks: int, days: int) -> None:
    assert add_offset(start, Offset(weeks=weeks, days=days)) == start + dt.timedelta(
        days=7 * weeks + days
    )


@settings(deadline=None)  # a loaded CI machine must not fail a pure function
@given(dates, st.integers(0, 20), st.integers(0, 30), st.integers(-10, 10))
def test_years_then_months_then_days(start: dt.date, years: int, months: int, days: int) -> None:
    stepwise = add_offset(add_offset(start, Offset(years=years, months=months)), Offset(days=days))
    assert add_offset(start, Offset(years=years, months=months, days=days)) == stepwise


@settings(deadline=None)  # a loaded CI machine must not fail a pure function
@given(dates, dates, st.integers(0, 20), st.integers(0, 30), small)
def test_adding_a_span_never_reorders_dates(
    a: dt.date, b: dt.date, years: int, months: int, days: int
) -> None:
    span = Offset(years=years, months=months, days=days)
    early, late = sorted((a, b))
    assert add_offset(early, span) <= add_offset(late, span)


@settings(deadline=None)  # a loaded CI machine must not fail a pure function
@given(dates, st.integers(0, 20), st.integers(0, 30), small)
def test_a_longer_span_never_ends_earlier(
    start: dt.date, years: int, months: int, days: int
) -> None:
    span = Offset(years=years, months=months, days=days)
    assert add_offset(start, span) >= start
    assert add_offset(start, span + Offset(days=1)) > add_offset(start, span)
    assert add_offset(start, span + Offset(months=1)) >= add_offset(start, span)


def test_the_examples_of_the_logic_specification() -> None:
    def at(text: str, offset: str) -> dt.date:
        return add_offset(dt.date.fromisoformat(text), parse_offset(offset))

    assert at("2000-01-31", "6 months - 4 days") == dt.date(2000, 7, 27)
    assert at("2000-03-31", "6 months") == dt.date(2000, 10, 1)
    assert at("2000-08-31", "6 months") == dt.date(2001, 3, 1)
    assert at("2000-02-01", "5 weeks") == dt.date(2000, 3, 7)
    assert at("2001-02-01", "5 weeks") == dt.date(2001, 3, 8)
    assert at("2000-01-15", "-4 days") == dt.date(2000, 1, 11)


def test_leap_day_plus_a_year_is_the_first_of_march() -> None:
    assert add_offset(dt.date(2020, 2, 29), Offset(years=1)) == dt.date(2021, 3, 1)
    assert add_offset(dt.date(2020, 2, 29), Offset(years=4)) == dt.date(2024, 2, 29)
