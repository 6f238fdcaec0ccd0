"""An unsure date cell leans to the date the other rows of its table hold (one visit, one date)."""

from __future__ import annotations

import datetime as dt

from extract.visits import birth_choice, visit_choices

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


def test_a_reading_another_row_holds_transposed_is_that_visit_written_day_first() -> None:
    may_4, may_7, jul_5 = dt.date(2023, 5, 4), dt.date(2023, 5, 7), dt.date(2023, 7, 5)
    cell = [(may_4, 0.33), (may_7, 0.31)]
    assert visit_choices([cell, []], [None, jul_5]) == [1, 0]
    # A row whose reading it is must hold it likelier than not.
    assert visit_choices([cell, [(jul_5, 0.5)]], [None, None]) == [1, 0]
    assert visit_choices([cell, [(jul_5, 0.49)]], [None, None]) == [0, 0]
    # The 12th is the last day that is a month too.
    nov_12 = dt.date(2024, 11, 12)
    assert visit_choices([[(NOV_18, 0.5), (nov_12, 0.1)], []], [None, dt.date(2024, 12, 11)]) \
        == [1, 0]


def test_rows_with_nothing_to_choose_take_nothing() -> None:
    assert visit_choices([[], []], [None, NOV_18]) == [0, 0]


APR_7_2020 = dt.date(2020, 4, 7)
APR_4_2022 = dt.date(2022, 4, 4)


def test_an_unsure_birth_date_takes_the_reading_a_birth_dose_is_given_on() -> None:
    choices = [(APR_4_2022, 0.06), (APR_7_2020, 0.05)]
    assert birth_choice(choices, [APR_7_2020, dt.date(2020, 6, 7)]) == 1


def test_a_birth_date_reading_with_doses_before_it_gives_way() -> None:
    # Two visits' doses before the likeliest reading: a day before counts, the day itself not.
    later, earlier = dt.date(2020, 6, 8), dt.date(2020, 6, 1)
    assert birth_choice([(later, 0.5), (earlier, 0.2)],
                        [dt.date(2020, 6, 7), dt.date(2020, 6, 6), dt.date(2020, 8, 1)]) == 1
    assert birth_choice([(later, 0.5), (earlier, 0.2)],
                        [dt.date(2020, 6, 8), dt.date(2020, 8, 8), dt.date(2020, 10, 8)]) == 0


def test_a_birth_date_reading_its_doses_are_years_past_a_childhood_from_gives_way() -> None:
    # Read '2014' for '2019': every dose would be given at seven or older.
    wrong, right = dt.date(2014, 11, 11), dt.date(2019, 11, 11)
    at_seven = [dt.date(2021, 11, 11), dt.date(2021, 12, 1), dt.date(2022, 1, 5)]
    assert birth_choice([(wrong, 0.7), (right, 0.6)], at_seven) == 1
    # A day short of seven for every dose: still a childhood, the likelier reading stays.
    under_seven = [dt.date(2021, 11, 10), dt.date(2021, 11, 9), dt.date(2021, 11, 8)]
    assert birth_choice([(wrong, 0.7), (right, 0.6)], under_seven) == 0


def test_without_doses_the_likeliest_birth_date_reading_stays() -> None:
    assert birth_choice([(APR_4_2022, 0.06), (APR_7_2020, 0.05)], []) == 0
    assert birth_choice([], [APR_7_2020]) == 0


FEB_1 = dt.date(2025, 2, 1)
FEB = (2025, 2)


def test_a_month_read_alone_speaks_for_a_day_of_that_month_another_row_holds() -> None:
    # '2/1/2025' read '2/2025' (the 1 merged into the slash) at 0.655, '2/1/2025' at 0.005;
    # the row above read '2/1/2025' at 0.84.
    cells = [[(FEB_1, 0.84)], [(None, 0.655), (FEB_1, 0.005)]]
    assert visit_choices(cells, [None, None], [[None], [FEB, None]]) == [0, 1]


def test_a_month_read_alone_stays_when_no_other_row_holds_a_day_of_it() -> None:
    cells = [[(dt.date(2025, 3, 1), 0.84)], [(None, 0.655), (FEB_1, 0.005)]]
    assert visit_choices(cells, [None, None], [[None], [FEB, None]]) == [0, 0]
    # Nor does it speak for a day of another month.
    cells = [[(FEB_1, 0.84)], [(None, 0.655), (FEB_1, 0.005)]]
    assert visit_choices(cells, [None, None], [[None], [(2025, 3), None]]) == [0, 0]


AUG_4_2020 = dt.date(2020, 8, 4)
AUG_4_2024 = dt.date(2024, 8, 4)
BORN = dt.date(2022, 11, 9)


def test_an_unsure_reading_before_a_birth_read_sure_gives_way_to_one_after_it() -> None:
    # Committed 0067: a hand's '08/04/2024' read 2020-08-04 at 0.52 and 2024-08-04 at 0.13.
    cell = [(AUG_4_2020, 0.52), (AUG_4_2024, 0.13)]
    assert visit_choices([cell], [None]) == [0]
    assert visit_choices([cell], [None], born=BORN) == [1]
    # More than five thousand times as likely, the date before birth stays, to be flagged.
    assert visit_choices([[(AUG_4_2020, 0.9), (AUG_4_2024, 0.00017)]], [None],
                         born=BORN) == [0]
    assert visit_choices([[(AUG_4_2020, 0.9), (AUG_4_2024, 0.00019)]], [None],
                         born=BORN) == [1]


def test_of_two_dates_outside_the_life_one_ahead_is_likelier_than_one_before_birth() -> None:
    # Committed 0078: '5/27/32' written ahead, read 2022 (before the birth) at 0.106 and 2032
    # at 0.074: the date ahead is taken, and flagged in the future.
    born = dt.date(2024, 2, 13)
    cell = [(dt.date(2022, 5, 27), 0.106), (dt.date(2032, 5, 27), 0.074)]
    assert visit_choices([cell], [None], born=born, today=READ_ON) == [1]
    cell = [(dt.date(2022, 5, 27), 0.106), (dt.date(2032, 5, 27), 0.02)]
    assert visit_choices([cell], [None], born=born, today=READ_ON) == [0]


def test_a_reading_before_birth_gives_way_however_sure() -> None:
    # Seed 1618's 0037: '11/23/2021' read 1/23/2021 at 0.917, before an August 2021 birth.
    assert visit_choices([[(AUG_4_2020, 0.917), (AUG_4_2024, 0.053)]], [None],
                         born=BORN) == [1]


def test_a_date_before_birth_with_nothing_else_to_read_is_left_to_be_flagged() -> None:
    assert visit_choices([[(AUG_4_2020, 0.99)]], [None], born=BORN) == [0]
    assert visit_choices([[(AUG_4_2020, 0.99), (None, 0.01)]], [None], born=BORN) == [0]
    # A month the child was born in is of its life; the month before is not.
    assert visit_choices([[(AUG_4_2020, 0.99), (None, 0.01)]], [None], [[None, (2022, 11)]],
                         born=BORN) == [1]
    assert visit_choices([[(AUG_4_2020, 0.99), (None, 0.01)]], [None], [[None, (2022, 10)]],
                         born=BORN) == [0]


READ_ON = dt.date(2026, 12, 7)
MAY_22_2028 = dt.date(2028, 5, 22)
MAY_22_2023 = dt.date(2023, 5, 22)
APR_10_2035 = dt.date(2035, 4, 10)
APR_10_2025 = dt.date(2025, 4, 10)


def test_a_reading_after_the_day_the_record_is_read_gives_way_however_sure() -> None:
    # Seed 1618's 0031: a hand's 3 read as an 8, '5/22/23' read 2028 at 0.987 and 2023 at 0.0036.
    cell = [(MAY_22_2028, 0.987), (MAY_22_2023, 0.0036)]
    assert visit_choices([cell], [None]) == [0]
    assert visit_choices([cell], [None], today=READ_ON) == [1]
    # More than a thousand times as likely, the date ahead stays: it is flagged in the future.
    assert visit_choices([[(MAY_22_2028, 0.9), (MAY_22_2023, 0.00089)]], [None],
                         today=READ_ON) == [0]
    assert visit_choices([[(MAY_22_2028, 0.9), (MAY_22_2023, 0.00091)]], [None],
                         today=READ_ON) == [1]


def test_a_date_written_in_the_future_with_nothing_else_to_read_is_left_to_be_flagged() -> None:
    # Seed 1618's 0016: '4/10/2035' written, 2025 held a four-thousandth of its share.
    assert visit_choices([[(APR_10_2035, 0.402), (APR_10_2025, 0.0001)]], [None],
                         today=READ_ON) == [0]
    # Beside a reading that names no day, as beside none.
    assert visit_choices([[(APR_10_2035, 0.9), (None, 0.05)]], [None], today=READ_ON) == [0]
    # A month begun by today is not ahead; one that begins after it is.
    months = [[None, (2026, 12)]]
    assert visit_choices([[(APR_10_2035, 0.9), (None, 0.05)]], [None], months,
                         today=READ_ON) == [1]
    months = [[None, (2027, 1)]]
    assert visit_choices([[(APR_10_2035, 0.9), (None, 0.05)]], [None], months,
                         today=READ_ON) == [0]
    # The day itself is not ahead.
    assert visit_choices([[(READ_ON, 0.9), (MAY_22_2023, 0.05)]], [None], today=READ_ON) == [0]
