"""An unsure date cell leans to the date the other rows of its table hold (one visit, one date)."""

from __future__ import annotations

import datetime as dt

from extract.visits import visit_choices

NOV_18 = dt.date(2024, 11, 18)
NOV_8 = dt.date(2024, 11, 8)
JAN_18 = dt.date(2024, 1, 18)


def test_an_unsure_cell_takes_the_reading_a_row_read_for_sure_holds() -> None:
    cell = [(NOV_8, 0.5), (NOV_18, 0.1)]
    assert visit_choices([cell, []], [None, NOV_18]) == [1, 0]


def test_an_unsure_cell_takes_the_reading_other_unsure_cells_share() -> None:
    cells = [[(NOV_8, 0.5), (NOV_18, 0.2)], [(JAN_18, 0.4), (NOV_18, 0.3)]]
    assert visit_choices(cells, [None, None]) == [1, 1]


def test_a_cell_read_sure_is_left_as_read_and_one_just_under_is_not() -> None:
    assert visit_choices([[(NOV_8, 0.8), (NOV_18, 0.1)], []], [None, NOV_18]) == [0, 0]
    assert visit_choices([[(NOV_8, 0.79), (NOV_18, 0.1)], []], [None, NOV_18]) == [1, 0]


def test_without_support_the_likeliest_reading_stays() -> None:
    cell = [(NOV_8, 0.5), (NOV_18, 0.1)]
    assert visit_choices([cell, []], [None, JAN_18]) == [0, 0]
    assert visit_choices([cell], [None]) == [0]


def test_a_cell_is_no_support_for_itself() -> None:
    # The same day written two ways ('11/18/2024', '11/18/24') in one cell is one reading.
    cell = [(NOV_8, 0.5), (NOV_18, 0.2), (NOV_18, 0.2)]
    assert visit_choices([cell], [None]) == [0]


def test_a_reading_that_names_no_day_gets_no_support() -> None:
    cell = [(None, 0.5), (NOV_18, 0.01)]
    assert visit_choices([cell, []], [None, NOV_18]) == [0, 0]
    assert visit_choices([[(None, 0.5), (NOV_18, 0.1)], []], [None, NOV_18]) == [1, 0]


def test_rows_with_nothing_to_choose_take_nothing() -> None:
    assert visit_choices([[], []], [None, NOV_18]) == [0, 0]
