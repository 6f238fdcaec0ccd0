from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from extract.grid import Ruling, _open_along, find_ruling
from extract.page import Box

from .drawing import SANS, font


def opened_by_opencv(ink: np.ndarray, length: int, axis: int) -> np.ndarray:
    """The opening `_open_along` stands for, as OpenCV computes it."""
    shape = (length, 1) if axis == 1 else (1, length)
    line = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
    return np.asarray(cv2.morphologyEx(ink, cv2.MORPH_OPEN, line), dtype=np.uint8)


def ruling_by_opencv(binary: np.ndarray, dpi: float) -> Ruling:
    """`find_ruling` as first written, with OpenCV's openings: what it must still return."""
    ink = cv2.bitwise_not(binary)
    length = max(20, int(dpi * 0.6))
    horizontal = cv2.dilate(opened_by_opencv(ink, length, 1),
                            cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vertical = cv2.dilate(opened_by_opencv(ink, length, 0),
                          cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))

    def segments(mask: np.ndarray) -> list[Box]:
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        return [(x, y, x + w, y + h) for x, y, w, h in map(cv2.boundingRect, contours)]

    h_boxes = [b for b in segments(horizontal) if b[3] - b[1] <= dpi * 0.08]
    v_boxes = [b for b in segments(vertical) if b[2] - b[0] <= dpi * 0.08]
    return Ruling(tuple(sorted(h_boxes, key=lambda b: (b[1], b[0]))),
                  tuple(sorted(v_boxes, key=lambda b: (b[0], b[1]))),
                  np.asarray(cv2.bitwise_or(horizontal, vertical), dtype=np.uint8))


def form_page() -> np.ndarray:
    """A 300 dpi page: a ruled table, typed text, a rule with scanner gaps, rules at the edges."""
    page = Image.new("L", (1400, 1000), 255)
    draw = ImageDraw.Draw(page)
    for y in (120, 220, 320, 420):
        draw.line([(100, y), (1200, y)], fill=0, width=3)
    for x in (100, 500, 1200):
        draw.line([(x, 120), (x, 420)], fill=0, width=4)
    for row in range(3):
        draw.text((120, 145 + row * 100), f"DTaP {row + 1}   03/14/2022   Clinic {row}",
                  font=font(40, SANS), fill=0)
    # An underline broken by a scanner: gaps of 2 to 6 pixels.
    for x0, x1 in ((100, 400), (402, 700), (705, 900), (906, 1300)):
        draw.line([(x0, 600), (x1, 600)], fill=0, width=2)
    # Shorter than the ruling length: a dash, not a rule.
    draw.line([(100, 700), (250, 700)], fill=0, width=3)
    # Rules running off the page, and a long one just inside the edge.
    draw.line([(0, 0), (1399, 0)], fill=0, width=1)
    draw.line([(1399, 500), (1399, 999)], fill=0, width=1)
    draw.line([(0, 850), (300, 850)], fill=0, width=3)
    draw.line([(1, 880), (1, 999)], fill=0, width=2)
    draw.line([(1220, 998), (1399, 998)], fill=0, width=2)
    return np.asarray(page, dtype=np.uint8).copy()


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("length", [1, 2, 3, 20, 21, 90, 180, 181, 250])
def test_the_opening_along_a_line_is_opencvs_to_the_pixel(axis: int, length: int) -> None:
    rng = np.random.default_rng(length * 2 + axis)
    for height, width in ((1, 1), (1, 300), (300, 1), (7, 200), (200, 7), (123, 245)):
        # Grey levels, sparse ink and long runs: every pixel's erosion and dilation counts.
        grey = rng.integers(0, 256, (height, width), dtype=np.uint8)
        bilevel = np.where(rng.random((height, width)) < 0.97, 255, 0).astype(np.uint8)
        for ink in (grey, bilevel):
            opened = _open_along(ink, length, 1 if axis == 1 else 0)
            assert np.array_equal(opened, opened_by_opencv(ink, length, axis))


@pytest.mark.parametrize("dpi", [300.0, 150.0, 20.0])
def test_the_ruling_is_what_opencvs_openings_find(dpi: float) -> None:
    binary = form_page()
    turned = np.ascontiguousarray(binary[::-1, ::-1])
    # The signature reader's call: a crop of the page at half the resolution.
    crop = binary[560:900, 80:1000]
    for page in (binary, turned, crop):
        ruling, expected = find_ruling(page, dpi), ruling_by_opencv(page, dpi)
        assert ruling.horizontal == expected.horizontal
        assert ruling.vertical == expected.vertical
        assert ruling.mask.dtype == expected.mask.dtype
        assert np.array_equal(ruling.mask, expected.mask)


def test_a_gapped_underline_is_one_rule_and_a_dash_is_none() -> None:
    ruling = find_ruling(form_page(), 300)
    underlines = [b for b in ruling.horizontal if b[1] <= 600 <= b[3]]
    assert len(underlines) == 1 and underlines[0][0] <= 100 and underlines[0][2] >= 1300
    assert not [b for b in ruling.horizontal if b[1] <= 700 <= b[3]]


def photographed_rule(rule_grey: int, pieces_grey: int | None = None) -> np.ndarray:
    """A photographed 300 dpi page, its illumination flattened: a thin rule at y=100 of grey
    `rule_grey` with darker stretches of 75 pixels 60 apart where it is lit least
    (`pieces_grey`), and a line of print at y=300."""
    page = Image.new("L", (1400, 400), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(100, 100), (1300, 100)], fill=rule_grey, width=3)
    if pieces_grey is not None:
        for x in range(100, 1300, 135):
            draw.line([(x, 100), (x + 74, 100)], fill=pieces_grey, width=3)
    draw.text((100, 280), "IPOL   06/05/21   Westlake Immunization Clinic", font=font(40, SANS),
              fill=90)
    return np.asarray(page, dtype=np.uint8).copy()


def binarised(grey: np.ndarray) -> np.ndarray:
    return np.where(grey < 180, 0, 255).astype(np.uint8)


def test_a_photos_rule_binarised_in_pieces_is_found_on_the_grey_page() -> None:
    grey = photographed_rule(225, 120)
    assert not rules_at(find_ruling(binarised(grey), 300), 100)
    ruling = find_ruling(binarised(grey), 300, grey)
    assert [(b[0] <= 100, b[2] >= 1290) for b in rules_at(ruling, 100)] == [(True, True)]
    assert not rules_at(ruling, 300)


def test_a_faint_rule_is_fifteen_grey_levels_darker_than_the_paper_beside_it() -> None:
    for level, found in ((240, True), (241, False)):
        grey = photographed_rule(level)
        assert bool(rules_at(find_ruling(binarised(grey), 300, grey), 100)) is found


def test_a_shadows_edge_on_a_photo_is_no_rule() -> None:
    # The lower half of the sheet 60 grey levels darker: an edge, not a line.
    grey = photographed_rule(255)
    grey[200:] = np.minimum(grey[200:], 195)
    assert not rules_at(find_ruling(binarised(grey), 300, grey), 200)


def rules_at(ruling: Ruling, y: int) -> list[Box]:
    return [b for b in ruling.horizontal if b[1] <= y <= b[3]]


def patient_block() -> np.ndarray:
    """A 300 dpi form's patient block: two fields a row tall, split by a short wall."""
    page = Image.new("L", (1400, 400), 255)
    draw = ImageDraw.Draw(page)
    for y in (100, 190):
        draw.line([(50, y), (1350, y)], fill=0, width=3)
    # The wall between 'Name' and 'Birthdate': a row tall (0.3 inch), far short of a rule.
    draw.line([(600, 100), (600, 190)], fill=0, width=4)
    # A wall a scanner left a gap in, 2 pixels over the next rule (ends within 3 pixels meet).
    draw.line([(750, 100), (750, 186)], fill=0, width=4)
    # An upright stroke from the top rule that stops 8 pixels over the next one.
    draw.line([(900, 100), (900, 180)], fill=0, width=4)
    # An upright stroke nearly as tall as the row, touching no rule: a tall handwritten '1'.
    draw.line([(1100, 112), (1100, 178)], fill=0, width=4)
    return np.asarray(page, dtype=np.uint8).copy()


def test_a_wall_between_two_rules_is_ruled_out_and_strokes_that_are_no_wall_stay() -> None:
    ruling = find_ruling(patient_block(), 300)

    assert ruling.mask[110:180, 598:603].all()
    assert ruling.mask[110:180, 748:753].all()
    assert not ruling.mask[110:160, 898:903].any()
    assert not ruling.mask[120:170, 1098:1103].any()


def test_a_wall_is_only_removed_not_taken_for_a_column_of_the_table() -> None:
    ruling = find_ruling(patient_block(), 300)

    assert ruling.vertical == ()


def crossed_rule(share: float) -> np.ndarray:
    """A 300 dpi page with a rule 400 px long, 3 thick, inked above and below over `share` of it.

    The ink reaching 10 pixels past the rule both ways is what a line of bold letters blurred
    into one bar leaves around the run through its middle.
    """
    page = np.full((300, 700), 255, dtype=np.uint8)
    page[150:153, 100:500] = 0
    # Strokes 3 pixels wide, 1 apart (letters' edges): three columns of every four are inked.
    for x in range(100, 100 + round(share * 400 / 0.75), 4):
        page[140:163, x:x + 3] = 0
    return page


def test_a_run_through_letters_run_together_is_no_rule() -> None:
    # Over 55% of its length ink above and below: the middle of a blurred bold word.
    ruling = find_ruling(crossed_rule(0.55), 300)
    assert ruling.horizontal == ()
    assert not ruling.mask[150:153, 450:500].any()


def test_a_rule_crossed_by_writing_over_less_than_half_its_length_stays_a_rule() -> None:
    ruling = find_ruling(crossed_rule(0.45), 300)
    assert len(ruling.horizontal) == 1
    assert ruling.mask[150:153, 450:500].all()


def test_a_run_through_a_dark_patch_is_still_taken_out() -> None:
    # A fax's shadowed margin: dots over 120 rows, with a solid run through them. Ink goes on
    # past where letters would end, so the run is a rule to whiten, as before.
    page = np.full((300, 700), 255, dtype=np.uint8)
    dots = np.random.default_rng(5).random((120, 400)) < 0.9
    page[90:210, 100:500][dots] = 0
    page[150:153, 100:500] = 0
    ruling = find_ruling(page, 300)
    assert ruling.mask[150:153, 150:450].all()


def footed_rule(body_rows: int) -> np.ndarray:
    """A 300 dpi page with a run 400 px long, 4 thick, under `body_rows` rows of letters' ink.

    A phone photo's bold title blurred into one block: its last rows are a solid run, the rows
    over it ink over three columns of every four (letters run together), none below.
    """
    page = np.full((300, 700), 255, dtype=np.uint8)
    page[150:154, 100:500] = 0
    for x in range(100, 500, 4):
        page[150 - body_rows:150, x:x + 3] = 0
    return page


def test_a_run_at_the_foot_of_letters_run_together_is_no_rule() -> None:
    # 9 rows (0.03 inch) of letters' bodies over it past the row the mask's closing takes in:
    # the foot of a blurred bold word.
    ruling = find_ruling(footed_rule(10), 300)
    assert ruling.horizontal == ()
    assert not ruling.mask[150:154, 150:450].any()


def test_a_rule_with_a_blurred_fringe_over_it_stays_a_rule() -> None:
    # 8 rows of ink over it past the closing's row: a rule's fringe, not letters.
    ruling = find_ruling(footed_rule(9), 300)
    assert len(ruling.horizontal) == 1
    assert ruling.mask[150:154, 150:450].all()


def test_a_run_under_a_dark_patch_going_on_past_letters_is_still_taken_out() -> None:
    # Ink for 0.1 inch and more over the run: a shadow or stain, whitened as before.
    ruling = find_ruling(footed_rule(40), 300)
    assert ruling.mask[150:154, 150:450].all()
