"""Properties of the case timeline's date arithmetic, for any date."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from engine.case import Timeline, parse_case, plan_case

DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 1))


def _plan(application: dt.date, birth: dt.date, **dates: dt.date) -> Timeline:
    case = {
        "event": "application",
        "application_date": application.isoformat(),
        "medi_cal": "existing",
        "members": [{"id": "m1", "role": "parent", "in_au": True}],
        "children": [{"id": "c1", "birth_date": birth.isoformat()}],
        **{name: day.isoformat() for name, day in dates.items()},
    }
    return plan_case(parse_case(json.dumps(case)))


@given(DAYS)
def test_the_due_date_is_45_days_after_the_application(day: dt.date) -> None:
    assert _plan(day, day - dt.timedelta(days=400)).due_date == day + dt.timedelta(days=45)


@given(DAYS, st.integers(min_value=1, max_value=60))
def test_the_reduced_grant_starts_on_the_first_month_starting_10_days_after_the_notice(
    day: dt.date, after: int
) -> None:
    noa = day + dt.timedelta(days=45 + after)
    start = _plan(day, day - dt.timedelta(days=365), noa_date=noa).penalty.effective_from
    assert start is not None and start.day == 1
    assert (start - noa).days >= 10
    previous_first = (start - dt.timedelta(days=1)).replace(day=1)
    assert (previous_first - noa).days < 10


@given(DAYS, st.integers(min_value=1, max_value=200))
def test_verification_restores_the_grant_on_the_first_of_the_next_month(
    day: dt.date, late: int
) -> None:
    due = day + dt.timedelta(days=45)
    verified = due + dt.timedelta(days=late)
    penalty = _plan(
        day, day - dt.timedelta(days=365), noa_date=due + dt.timedelta(days=1),
        verification_date=verified,
    ).penalty
    if not penalty.applies:
        return  # verification came before the first reduced month
    restored = penalty.restored_from
    assert restored is not None and restored.day == 1 and restored > verified
    assert (restored - verified).days <= 31
    assert penalty.effective_from is not None and penalty.effective_from < restored
