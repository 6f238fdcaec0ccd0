"""Properties of the chart for any birth date: every due-by limit is a one-day boundary."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from engine.calworks.chart import assess_chart, chart_rows
from engine.calworks.verdict import GroupStatus
from engine.dates import add_offset, parse_offset
from engine.model import VaccineGroup
from engine.rules import load_pack

BIRTHS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
GROUPS = st.sampled_from(list(VaccineGroup))
PACKS = st.sampled_from(["calworks-sc", "calworks-la"])
DAY = dt.timedelta(days=1)


@given(BIRTHS, GROUPS, PACKS, st.data())
def test_each_row_is_complete_on_its_due_by_date_and_overdue_the_day_after(
    birth: dt.date, group: VaccineGroup, pack: str, data: st.DataObject
) -> None:
    rules = load_pack(pack).groups[group]
    rows = [r for r in chart_rows(rules, birth) if r.given_at_or_after is None]
    row = data.draw(st.sampled_from(rows))
    assert row.due_by == add_offset(birth, parse_offset(row.age))
    # Earlier rows filled with doses given at birth: no catch-up window reaches the due date.
    earlier = tuple(birth for r in rows if r.due_by < row.due_by)
    assert assess_chart(rules, birth, row.due_by, earlier).status is GroupStatus.COMPLETE
    late = assess_chart(rules, birth, row.due_by + DAY, earlier)
    if late.status is GroupStatus.IN_PROCESS:
        assert late.catch_up_deadline is not None and late.catch_up_deadline >= row.due_by + DAY
    else:
        assert late.status is GroupStatus.OVERDUE
        assert late.overdue[0].dose == row.dose


@given(BIRTHS, PACKS)
def test_one_hib_dose_at_12_months_minus_4_days_completes_hib_and_minus_5_does_not(
    birth: dt.date, pack: str
) -> None:
    rules = load_pack(pack).groups[VaccineGroup.HIB]
    grace = add_offset(birth, parse_offset("12 months - 4 days"))
    as_of = add_offset(birth, parse_offset("5 years"))
    assert assess_chart(rules, birth, as_of, (grace,)).status is GroupStatus.COMPLETE
    assert assess_chart(rules, birth, as_of, (grace - DAY,)).status is GroupStatus.OVERDUE


@given(BIRTHS, GROUPS, st.integers(min_value=0, max_value=2500))
def test_more_valid_doses_never_make_a_group_worse(
    birth: dt.date, group: VaccineGroup, days: int
) -> None:
    rules = load_pack("calworks-sc").groups[group]
    as_of = birth + dt.timedelta(days=days)
    order = [GroupStatus.OVERDUE, GroupStatus.IN_PROCESS, GroupStatus.COMPLETE]
    doses: tuple[dt.date, ...] = ()
    previous = order.index(assess_chart(rules, birth, as_of, doses).status)
    for _ in range(4):
        doses = (*doses, as_of)
        now = order.index(assess_chart(rules, birth, as_of, doses).status)
        assert now >= previous
        previous = now
