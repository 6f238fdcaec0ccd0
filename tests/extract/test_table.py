"""Tables found by their printed headers: columns from the rules that run through them, rows."""

from __future__ import annotations

from collections import Counter

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.draft import PageText
from extract.grid import Ruling
from extract.layout import Line, find_label, group_lines, normalise
from extract.page import Box, PageImage, Word
from extract.table import Table, _Letters, find_table, table_under_unread_header

HEADERS = {"vaccine": ("VACCINE",), "date": ("DATE GIVEN",), "provider": ("PROVIDER",)}


def word(text: str, x: int, y: int) -> Word:
    return Word(text, (x, y, x + 14 * len(text), y + 24), 0.95)


def page_of(words: list[Word]) -> PageText:
    return PageText(PageImage(1, np.full((2000, 1400), 255, dtype=np.uint8), 300.0), tuple(words))


def ruling(horizontal: list[Box], vertical: list[Box]) -> Ruling:
    return Ruling(tuple(horizontal), tuple(vertical), np.zeros((2000, 1400), dtype=np.uint8))


HEADER = [word("VACCINE", 110, 100), word("DATE", 420, 100), word("GIVEN", 490, 100),
          word("PROVIDER", 820, 100)]


def test_the_rules_of_a_table_below_do_not_cut_the_columns_above() -> None:
    words = HEADER + [word("IPV", 110, 200), word("3/4/2022", 420, 200),
                      word("Valley", 820, 200), word("Tuberculin", 110, 800)]
    rules = ruling([(100, 150, 1200, 152), (100, 250, 1200, 252)],
                   # the grid's rules, then a TB box's rule between "DATE" and "PROVIDER"
                   [(100, 90, 103, 700), (400, 90, 403, 700), (800, 90, 803, 700),
                    (1200, 90, 1203, 700), (700, 850, 703, 1200)])
    table = find_table(page_of(words), HEADERS, stop_labels=("Tuberculin",), ruling=rules)
    assert table is not None
    provider = table.column("provider")
    assert provider is not None and provider.x0 == 801
    # The last column ends at the table's ruled right edge, not at the page's.
    assert provider.x1 == 1201


def test_rows_before_the_first_rule_found_and_after_the_last_are_kept() -> None:
    dates = ["01/02/2022", "03/04/2022", "05/06/2022", "07/08/2022"]
    words = HEADER + [word(d, 420, 200 + 60 * i) for i, d in enumerate(dates)]
    # Only the rules between the middle rows were found: none under the header, none at the end.
    rules = ruling([(100, 249, 1200, 251), (100, 309, 1200, 311), (100, 369, 1200, 371)], [])
    table = find_table(page_of(words), HEADERS, ruling=rules)
    assert table is not None
    assert [row.text("date") for row in table.rows] == dates


def test_a_speck_under_the_last_rule_does_not_end_the_table() -> None:
    # A scan's speck read as '_', two pixels tall, between the last ruled row and the next.
    dates = ["01/02/2022", "03/04/2022", "05/06/2022", "07/08/2022"]
    words = HEADER + [word(d, 420, 200 + 60 * i) for i, d in enumerate(dates)]
    words.append(Word("_", (600, 354, 607, 356), 0.3))
    rules = ruling([(100, 189, 1200, 191), (100, 249, 1200, 251), (100, 309, 1200, 311)], [])
    table = find_table(page_of(words), HEADERS, ruling=rules)
    assert table is not None
    assert [row.text("date") for row in table.rows if row.text("date") != "_"] == dates


def _listed(date_drop: int) -> list[str]:
    """Rows of a list under rules a scan broke: one ruled band holds three entries.

    The second entry names a vaccine and has no date; the first's date sits `date_drop`
    pixels below its name, as a jittery hand writes.
    """
    words = HEADER + [word("IPV", 110, 200), word("3/4/2022", 420, 200 + date_drop),
                      word("HepA", 110, 260), word("Hib", 110, 320), word("5/6/2022", 420, 320),
                      word("MMR", 110, 395), word("7/8/2022", 420, 395)]
    # The rule under the first three entries was found, those between them were not.
    rules = ruling([(100, 150, 1200, 152), (100, 380, 1200, 382), (100, 440, 1200, 442)], [])
    table = find_table(page_of(words), HEADERS, ruling=rules, entries_by_line=True)
    assert table is not None
    return [f"{row.text('vaccine')}|{row.text('date')}" for row in table.rows]


def test_an_undated_entry_of_a_list_is_a_row_of_its_own() -> None:
    assert _listed(0) == ["IPV|3/4/2022", "HepA|", "Hib|5/6/2022", "MMR|7/8/2022"]


def test_a_date_written_up_to_a_line_below_its_name_is_the_same_entry() -> None:
    # 24 pixels lower, the line's height: still level with its name, one entry...
    assert _listed(24)[0] == "IPV|3/4/2022"


def test_a_date_written_over_a_line_below_its_name_is_a_line_of_its_own() -> None:
    # ...25 lower, the name stands alone: an undated entry (for the reviewer), then the date.
    assert _listed(25)[:2] == ["IPV|", "|3/4/2022"]


def test_an_unruled_row_band_holds_its_whole_line_for_the_cell_reread() -> None:
    words = HEADER + [word("IPV", 110, 200), word("3/4/2022", 420, 200),
                      word("DTaP", 110, 260), word("5/6/2022", 420, 260)]
    table = find_table(page_of(words), HEADERS, ruling=ruling([], []))
    assert table is not None
    first, second = table.rows
    assert first.box[1] < 200 and first.box[3] > 224 and second.box[1] >= first.box[3] - 1


def one_row_under(header: list[Word]) -> tuple[list[str], tuple[str, str]]:
    """The columns found under `header` and the vaccine and date of the one row below it."""
    words = header + [word("IPV", 110, 200), word("3/4/2022", 420, 200),
                      word("Valley", 820, 200)]
    table = find_table(page_of(words), HEADERS, ruling=ruling([], []))
    assert table is not None
    (row,) = table.rows
    return [column.name for column in table.columns], (row.text("vaccine"), row.text("date"))


def test_an_unread_first_header_keeps_its_column_and_its_words() -> None:
    # 'VACCINE' unread (small print on a shaded, noisy header row): the row's name stays in a
    # vaccine column of its own instead of joining the date.
    assert one_row_under(HEADER[1:]) == (["vaccine", "date", "provider"], ("IPV", "3/4/2022"))


def test_a_first_header_read_leaves_no_room_for_another_column() -> None:
    words = HEADER + [word("IPV", 110, 200), word("3/4/2022", 420, 200)]
    table = find_table(page_of(words), HEADERS, ruling=ruling([], []))
    assert table is not None
    assert [column.name for column in table.columns] == ["vaccine", "date", "provider"]


def strip_card_columns(rules_from: int) -> list[tuple[str, int]]:
    """The columns of a card whose 'VACCINE' went unread and whose left edge was not found as
    a rule (faint against the scanner lid), its row rules beginning at `rules_from`."""
    words = HEADER[1:] + [word("IPV", 110, 200), word("3/4/2022", 420, 200)]
    rules = ruling([(rules_from, y, 1200, y + 2) for y in (150, 250)],
                   [(400, 90, 403, 700), (800, 90, 803, 700), (1200, 90, 1203, 700)])
    table = find_table(page_of(words), HEADERS, ruling=rules)
    assert table is not None
    return [(column.name, column.x0) for column in table.columns]


def test_an_unread_first_header_s_column_reaches_where_the_row_rules_begin() -> None:
    assert strip_card_columns(100) == [("vaccine", 100), ("date", 401), ("provider", 801)]
    # Row rules a header's height left of the first rule leave no room for a column.
    assert [name for name, _ in strip_card_columns(376)] == ["date", "provider"]


def test_row_rules_past_a_ruled_left_edge_do_not_widen_a_first_column_read() -> None:
    # A skewed scan's row rules run on past the card's left edge, found as a rule at 100:
    # the first column starts at that edge, its rule outside the vaccine cells.
    words = HEADER + [word("IPV", 110, 200), word("3/4/2022", 420, 200)]
    rules = ruling([(20, y, 1200, y + 2) for y in (150, 250)],
                   [(100, 90, 103, 700), (400, 90, 403, 700), (800, 90, 803, 700)])
    table = find_table(page_of(words), HEADERS, ruling=rules)
    assert table is not None
    assert [(column.name, column.x0) for column in table.columns][0] == ("vaccine", 101)


def test_a_header_read_with_one_word_right_still_heads_its_column() -> None:
    # 'DATE GIVEN' read 'Oxs GIVEN' on a blurred photo: the dates stay in a column of their
    # own, which starts where the label's first word does.
    header = [HEADER[0], word("Oxs", 420, 100), word("GIVEN", 490, 100), HEADER[3]]
    assert one_row_under(header) == (["vaccine", "date", "provider"], ("IPV", "3/4/2022"))


def test_a_label_word_outside_its_place_in_the_header_heads_nothing() -> None:
    # 'GIVEN' right of PROVIDER is not where the date column's header is printed.
    header = [HEADER[0], HEADER[3], word("GIVEN", 1000, 100)]
    table = find_table(page_of(header + [word("IPV", 110, 200)]), HEADERS,
                       ruling=ruling([], []))
    assert table is not None
    assert [column.name for column in table.columns] == ["vaccine", "provider"]


def test_a_title_over_the_header_heads_no_column_out_of_print_order() -> None:
    # 'OTHER VACCINES' printed just above a header whose small 'VACCINE' was not read: its
    # 'VACCINES' would head a vaccine column right of the date's.
    title = [word("OTHER", 380, 60), word("VACCINES", 480, 60)]
    assert one_row_under(title + HEADER[1:]) == (["vaccine", "date", "provider"],
                                                 ("IPV", "3/4/2022"))


def rows_between(rules: list[Box]) -> list[str]:
    """The vaccines of the rows a table is cut into by `rules` (the rows' own dividers)."""
    words = HEADER + [word("HepB", 110, 200), word("3/4/2022", 420, 200),
                      word("Hib", 110, 260), word("IPV", 110, 320), word("5/6/2022", 420, 320)]
    whole_rules = [(100, 150, 1200, 152), (100, 310, 1200, 312), (100, 370, 1200, 372)]
    table = find_table(page_of(words), HEADERS, ruling=ruling(whole_rules + rules, []))
    assert table is not None
    return [row.text("vaccine") for row in table.rows]


def test_a_rule_found_in_pieces_still_divides_two_rows() -> None:
    # A worn rule under an entry with no date, found as three pieces (the letters' descenders
    # and a scanner's faint streak break it), covering 56% of the table's width between them
    # (the page's, 1,400 pixels, as no upright rule bounds it).
    pieces = [(100, 250, 300, 253), (350, 251, 640, 254), (700, 250, 1000, 253)]
    assert rows_between(pieces) == ["HepB", "Hib", "IPV"]


def test_pieces_covering_under_half_the_width_divide_nothing() -> None:
    # Short strokes on one line (underlines of single words) are no rule across the table:
    # 49% of its width.
    pieces = [(100, 250, 300, 253), (350, 251, 640, 254), (700, 250, 900, 253)]
    assert rows_between(pieces) == ["HepB Hib", "IPV"]


def stamped_page(stamp_top: int, writing: bool = False) -> tuple[PageText, Ruling]:
    """Two rows (100-160, 160-220) of a provider column ruled at 100, 160 and 220, and a stamp
    (a rectangle's border, 70 px tall, pressed from `stamp_top`) in it."""
    binary = np.full((400, 600), 255, dtype=np.uint8)
    mask = np.zeros((400, 600), dtype=np.uint8)
    for y in (100, 160, 220):
        binary[y - 1 : y + 2, 0:600] = 0
        mask[y - 3 : y + 4, 0:600] = 255
    binary[stamp_top : stamp_top + 3, 100:400] = 0
    binary[stamp_top + 67 : stamp_top + 70, 100:400] = 0
    binary[stamp_top : stamp_top + 70, 100:103] = 0
    binary[stamp_top : stamp_top + 70, 397:400] = 0
    if writing:
        binary[185:200, 450:452] = 0  # a short pen stroke of the row's own
    page = PageImage(1, binary, 300.0, binary=binary)
    return PageText(page, ()), Ruling((), (), mask)


def test_a_stamp_pressed_on_the_row_above_is_not_the_next_row_s_ink() -> None:
    from extract.table import own_ink_share

    # Centred at 140, in the first row; its lower border crosses the rule into the second.
    page, rules = stamped_page(stamp_top=105)
    assert own_ink_share(page, (0, 100, 600, 160), rules) > 0.004
    assert own_ink_share(page, (0, 160, 600, 220), rules) == 0.0


def test_a_row_s_own_writing_counts_beside_a_stamp_reaching_in() -> None:
    from extract.table import own_ink_share

    page, rules = stamped_page(stamp_top=105, writing=True)
    assert own_ink_share(page, (0, 160, 600, 220), rules) > 0.0


def test_a_stamp_centred_on_the_row_is_its_ink_though_it_reaches_out() -> None:
    from extract.table import own_ink_share

    # Centred at 186, in the second row; its upper border reaches into the first.
    page, rules = stamped_page(stamp_top=151)
    assert own_ink_share(page, (0, 160, 600, 220), rules) > 0.004


def test_a_stamp_s_edge_cut_off_by_a_rule_is_no_row_s_ink() -> None:
    from extract.table import ink_share, own_ink_share

    # Where a tilted stamp crosses a rule, the piece of its border beyond the rule is cut off
    # from the rest: a long thin stroke alone in the row, 300 px long and 4 tall.
    page, rules = stamped_page(stamp_top=300)
    assert page.page.binary is not None
    page.page.binary[205:209, 120:420] = 0
    assert ink_share(page, (0, 160, 600, 220), rules) > 0.004
    assert own_ink_share(page, (0, 160, 600, 220), rules) == 0.0


@pytest.mark.parametrize(("rise", "stamp_edge"), [(12, True), (30, False)])
def test_a_tilted_stroke_as_thin_as_a_line_for_its_length_is_no_row_s_ink(
        rise: int, stamp_edge: bool) -> None:
    from extract.table import own_ink_share

    # A tilted stamp's lower edge beyond the rule: 180 px long, rising 12 over it, 4 thick
    # (16 high in all), is a line; rising 30 (34 high) it is the row's own stroke. The ink
    # is measured bridged across rules, and the bridge's height is no stroke's.
    page, rules = stamped_page(stamp_top=300)
    assert page.page.binary is not None
    cv2.line(page.page.binary, (120, 205), (300, 205 - rise), 0, 4)
    assert (own_ink_share(page, (0, 160, 600, 220), rules) == 0.0) is stamp_edge


def table_beside_a_mark(mark: Word, second: str = "05/29/2023") -> Table:
    """The rows a registry prints under one rule, beside a mark."""
    words = HEADER + [word("IPOL", 110, 200), word("04/17/2023", 420, 200),
                      word("IPOL", 110, 254), word(second, 420, 254),
                      word("Varivax", 110, 320), word("09/04/2023", 420, 320), mark]
    rules = ruling([(100, 150, 1200, 152), (100, 300, 1200, 302), (100, 360, 1200, 362)], [])
    table = find_table(page_of(words), HEADERS, ruling=rules)
    assert table is not None
    return table


def rows_beside_a_mark(mark: Word, second: str = "05/29/2023") -> list[str]:
    """The dates of the rows a registry prints under one rule, beside a mark."""
    return [row.text("date") for row in table_beside_a_mark(mark, second).rows]


# Read as one word 'oO' 88 pixels tall over both rows beside the printed group.
STAIN = Word("oO", (250, 176, 340, 264), 0.68)


def test_a_stain_as_tall_as_two_printed_rows_does_not_join_their_dates() -> None:
    assert rows_beside_a_mark(STAIN) == ["04/17/2023", "05/29/2023", "09/04/2023"]


def test_a_stain_beside_a_row_does_not_cut_into_the_next_row() -> None:
    # The stain, boxed 88 pixels tall from the first row down over the second, stands on the
    # first: the second row's band starts above its words, for the cell re-reads.
    second = table_beside_a_mark(Word("oO", (250, 176, 340, 262), 0.68)).rows[1]
    assert second.box[1] <= 254


def test_a_stain_beside_a_row_whose_date_is_misread_changes_no_row() -> None:
    # The second row names its vaccine ('IPOL') and its date is misread: with or without the
    # stain beside the two, it is a row of its own, its date for the reviewer.
    speck = Word(".", (900, 180, 905, 184), 0.3)
    assert rows_beside_a_mark(STAIN, second="AI/IR/IAIA") == rows_beside_a_mark(
        speck, second="AI/IR/IAIA") == ["04/17/2023", "AI/IR/IAIA", "09/04/2023"]


# Words as OCR gives them: the labels' words, with slips, and other print and punctuation.
_OCR_WORDS = st.one_of(
    st.sampled_from(["DATE", "DATF", "GIVEN", "GlVEN", "VACCINE", "VACClNE", "PROVIDER",
                     "PR0VIDER", "Trade", "Name", "Narne", "Date", "Administered",
                     "Adrninistered", "Tuberculin", "Tubercu", "lin", "-", "|", "DATEGIVEN"]),
    st.text(alphabet="aceimnorstvADEGINPRV0125-/:.|", min_size=1, max_size=9))


@given(st.lists(st.lists(_OCR_WORDS, min_size=1, max_size=7), min_size=1, max_size=5),
       st.sampled_from(["DATE GIVEN", "VACCINE", "PROVIDER", "Trade Name", "Date Administered",
                        "Tuberculin"]),
       st.sampled_from([0.78, 0.85]))
def test_the_header_pre_check_never_rules_out_a_line_that_holds_the_label(
        texts: list[list[str]], label: str, ratio: float) -> None:
    lines = [Line(tuple(word(text, 100 * place, 40 * row) for place, text in enumerate(line)))
             for row, line in enumerate(texts)]
    letters = _Letters(lines, ratio)
    for index, line in enumerate(lines):
        assert letters.may_hold(index, label) == _may_hold_counted(line, label, ratio)
        if find_label([line], label, min_ratio=ratio) is not None:
            assert letters.may_hold(index, label)


def _may_hold_counted(line: Line, label: str, ratio: float) -> bool:
    """The pre-check's bound counted run by run: the label's letters found in a run of its
    words and one more must reach what difflib's ratio needs (spaces always match)."""
    target = normalise(label)
    wanted = Counter(target.replace(" ", ""))
    need = ratio * len(target) / (2 - ratio) - target.count(" ") - 1e-9
    words = [Counter(normalise(w.text).replace(" ", "")) for w in line.words]
    span = len(target.split()) + 1
    return any(sum(min(count, sum(w[c] for w in words[start : start + span]))
                   for c, count in wanted.items()) >= need
               for start in range(max(1, len(words) - span + 1)))


def test_a_header_label_stretched_down_to_the_first_row_leaves_the_row_whole() -> None:
    # 'VACCINE' read with a box reaching from the shaded header band down into the first dose
    # row (a phone photo of a registry report): the row is the table's first, its band holding
    # its words' full height for the cell re-reads.
    stretched = [Word("VACCINE", (110, 80, 208, 165), 0.9), *HEADER[1:]]
    words = stretched + [word("IPV", 110, 160), word("3/4/2022", 420, 160),
                         word("DTaP", 110, 220), word("5/6/2022", 420, 220)]
    table = find_table(page_of(words), HEADERS, ruling=ruling([], []))
    assert table is not None
    assert [(row.text("vaccine"), row.text("date")) for row in table.rows] == [
        ("IPV", "3/4/2022"), ("DTaP", "5/6/2022")]
    assert table.rows[0].box[1] <= 160


def test_a_label_stretched_over_the_row_under_it_does_not_join_the_two() -> None:
    # A registry report's header as a phone photo read it: 'Vaccine' and 'Group' boxed from
    # the shaded band down into the first dose row, the row's words one pixel inside the line.
    header = [Word("Vaccine", (167, 579, 290, 662), 0.9),
              Word("Group", (300, 579, 400, 662), 0.9),
              Word("Date", (495, 603, 560, 626), 0.95),
              Word("Administered", (570, 601, 760, 626), 0.95),
              Word("Trade", (1000, 598, 1090, 636), 0.7),
              Word("Owned?", (1500, 599, 1620, 645), 0.88),
              Word("_", (1300, 640, 1320, 641), 0.3)]
    row = [Word("DTP/aP", (169, 658, 280, 682), 0.95),
           Word("06/20/2021", (495, 658, 650, 683), 0.95),
           Word("Infanrix", (1000, 658, 1100, 683), 0.95),
           Word("Yes", (1500, 661, 1550, 683), 0.95)]
    assert [line.text for line in group_lines(header + row)] == [
        "Vaccine Group Date Administered Trade _ Owned?", "DTP/aP 06/20/2021 Infanrix Yes"]


def test_words_of_one_row_stay_one_line_whatever_their_heights() -> None:
    # A handwritten name beside a label: capitals and a long low word, one row all the same.
    words = [Word("Name:", (323, 350, 426, 421), 0.9), Word("OKAFOR,", (449, 350, 597, 421), 0.9),
             Word("Patient", (205, 385, 317, 411), 0.95), Word("ZOE", (609, 386, 676, 411), 0.95)]
    assert [line.text for line in group_lines(words)] == ["Patient Name: OKAFOR, ZOE"]


REGISTRY = {"group": ("VACCINE",), "date": ("DATE GIVEN",), "series": ("SERIES",),
            "trade": ("TRADE",)}


def registry_rows(second: list[Word]) -> list[str]:
    """A registry's group of rows under one rule, the second row's date unread."""
    words = HEADER[:3] + [word("SERIES", 700, 100), word("TRADE", 900, 100),
                          word("Polio", 110, 200), word("3/4/2022", 420, 200),
                          word("1", 700, 200), word("IPOL", 900, 200),
                          *second,
                          word("5/6/2022", 420, 308), word("3", 700, 308), word("IPOL", 900, 308),
                          word("Varicella", 110, 380), word("7/8/2022", 420, 380),
                          word("1", 700, 380), word("VARIVAX", 900, 380)]
    rules = ruling([(100, 150, 1200, 152), (100, 360, 1200, 362), (100, 420, 1200, 422)], [])
    table = find_table(page_of(words), REGISTRY, ruling=rules, printed_rows=True)
    assert table is not None
    return [f"{row.text('date')}|{row.text('series')}|{row.text('trade')}" for row in table.rows]


def test_a_registry_row_whose_date_went_unread_is_a_row_of_its_own() -> None:
    assert registry_rows([word("2", 700, 254), word("IPOL", 900, 254)]) == [
        "3/4/2022|1|IPOL", "|2|IPOL", "5/6/2022|3|IPOL", "7/8/2022|1|VARIVAX"]


def test_a_line_in_one_column_right_of_the_dates_stays_in_its_row() -> None:
    # A trade name printed on two lines: its second line is no row.
    assert registry_rows([word("Peds", 900, 230)]) == [
        "3/4/2022|1|IPOL Peds", "5/6/2022|3|IPOL", "7/8/2022|1|VARIVAX"]


def test_a_skewed_line_whose_ends_a_tall_word_joins_stays_one_line() -> None:
    # A phone photo's long row, its left end higher than its right: without the tall word in
    # its middle its ends fall apart side by side, not one above the other.
    words = [Word("HepB", (100, 200, 180, 224), 0.9),
             Word("3/4/2022", (300, 206, 450, 230), 0.9),
             Word("Valley", (520, 180, 640, 262), 0.4),
             Word("Clinic", (700, 236, 800, 260), 0.9),
             Word("5/6/2022", (850, 242, 1000, 266), 0.9)]
    assert len(group_lines(words)) == 1


def test_a_handwritten_row_among_a_rule_s_traces_stays_one_line() -> None:
    # A scanned card's row as the page read gave it: a hand's words 40-60 pixels tall, and a
    # rule's trace under them read as a run of letters 3-4 pixels tall.
    hand = [("Die", 1357, 1397), ("lof", 1362, 1422), ("l7fe", 1366, 1406),
            ("BS", 1369, 1426), ("Boysile", 1363, 1412), ("Fonily", 1354, 1412),
            ("Medicine", 1361, 1401), ("a", 1390, 1418)]
    trace = [("ee", 1407, 1411), ("ee", 1406, 1411), ("2", 1407, 1410), ("eg)", 1407, 1411),
             ("a", 1407, 1410), ("ee", 1407, 1410), ("A", 1406, 1410), ("(Se", 1405, 1409),
             ("leh", 1405, 1409)]
    words = [Word(text, (100 + 120 * i, top, 200 + 120 * i, bottom), 0.3)
             for i, (text, top, bottom) in enumerate(hand + trace)]
    assert len(group_lines(words)) == 1


GRID_ROWS = [(100, 180, 1200, 182), (100, 240, 1200, 242), (100, 300, 1200, 302),
             (100, 360, 1200, 362)]
BLOCK = [word("POLIO", 110, 200), word("IPV", 110, 260), word("3/4/2022", 420, 260),
         word("Valley", 820, 260), word("IPV", 110, 320), word("5/6/2022", 420, 320)]


def unread_header_grid(vertical: list[Box], words: list[Word] = BLOCK) -> Table | None:
    """A grid whose header row was left unread, found from above its first block ('POLIO')."""
    page = page_of(words)
    ruled = PageText(page.page, page.words, None, ruling(GRID_ROWS, vertical))
    return table_under_unread_header(ruled, HEADERS, 190)


def test_a_grid_whose_header_went_unread_is_named_by_its_rules_in_print_order() -> None:
    table = unread_header_grid([(100, 240, 103, 370), (400, 240, 403, 370),
                                (800, 240, 803, 370), (1200, 240, 1203, 370)])
    assert table is not None
    assert [(c.name, c.x0, c.x1) for c in table.columns] == [
        ("vaccine", 101, 401), ("date", 401, 801), ("provider", 801, 1201)]
    assert [row.text("date") for row in table.rows if row.text("date")] == ["3/4/2022",
                                                                           "5/6/2022"]


def test_rules_cutting_other_than_one_column_per_header_name_none() -> None:
    # The provider column's rule not found: three columns' rules for four edges.
    assert unread_header_grid([(100, 240, 103, 370), (400, 240, 403, 370),
                               (1200, 240, 1203, 370)]) is None


def test_a_dark_line_at_the_scans_edge_is_no_edge_of_the_grid() -> None:
    # A scanner bed's edge at x=5 runs the page's height, outside the grid's row rules.
    table = unread_header_grid([(4, 0, 7, 1990), (100, 240, 103, 370), (400, 240, 403, 370),
                                (800, 240, 803, 370), (1200, 240, 1203, 370)])
    assert table is not None and [c.x0 for c in table.columns] == [101, 401, 801]


def test_a_tilted_rule_found_in_pieces_a_few_pixels_apart_is_one_edge() -> None:
    # A rule of a skewed scan, found as pieces whose centres step 3 pixels from one to the
    # next over 15 pixels in all: one edge, where the pieces begin.
    pieces = [(400 + 3 * i, 240 + 26 * i, 403 + 3 * i, 266 + 26 * i) for i in range(6)]
    table = unread_header_grid([(100, 240, 103, 370), *pieces, (800, 240, 803, 370),
                                (1200, 240, 1203, 370)])
    assert table is not None and [c.x0 for c in table.columns] == [101, 401, 801]


def test_a_grid_whose_outer_border_went_unfound_has_its_row_rules_ends_for_edges() -> None:
    # A blurred photo of a strip card: the column rules inside the grid found, its border at
    # the card's edge lost in the shadow. The row rules run from 100 to 1200.
    table = unread_header_grid([(400, 240, 403, 370), (800, 240, 803, 370)])
    assert table is not None
    assert [(c.name, c.x0, c.x1) for c in table.columns] == [
        ("vaccine", 100, 401), ("date", 401, 801), ("provider", 801, 1200)]


def test_a_border_found_a_tenth_of_an_inch_inside_the_row_rules_ends_is_the_edge() -> None:
    # At 300 dpi a tenth of an inch is 30 pixels: a rule 30 pixels in is the border, no column
    # of its own beside it; 31 pixels in it is a rule inside the grid, and with the border
    # added the rules cut one column too many.
    inside = [(400, 240, 403, 370), (800, 240, 803, 370), (1200, 240, 1203, 370)]
    table = unread_header_grid([(129, 240, 132, 370), *inside])
    assert table is not None and [c.x0 for c in table.columns] == [130, 401, 801]
    assert unread_header_grid([(130, 240, 133, 370), *inside]) is None
