from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from extract.cleanup import (
    binarise,
    find_skew_angle,
    flatten_illumination,
    orient_page,
    rectify_perspective,
)
from extract.grid import find_cells, find_ruling
from extract.page import PageImage

from .drawing import SANS, font


def text_page() -> np.ndarray:
    page = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(page)
    for row in range(30):
        draw.text((80, 80 + row * 48), f"Line {row} of a typed immunization record 3/4/2022",
                  font=font(26, SANS), fill=0)
    return np.asarray(page, dtype=np.uint8).copy()


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), borderValue=255)


@pytest.mark.parametrize("degrees", [-4.0, -1.5, 2.0, 5.0])
def test_the_skew_angle_is_found_to_a_fraction_of_a_degree(degrees: float) -> None:
    assert find_skew_angle(rotate(text_page(), degrees)) == pytest.approx(-degrees, abs=0.3)


@pytest.mark.parametrize("quarter_turns", [1, 3])
def test_a_page_lying_on_its_side_is_stood_up(quarter_turns: int) -> None:
    sideways = np.ascontiguousarray(np.rot90(text_page(), quarter_turns))
    upright = orient_page(PageImage(1, sideways, 150.0))
    assert upright.image.shape == text_page().shape


def test_an_upright_page_is_left_alone() -> None:
    page = PageImage(1, text_page(), 150.0)
    assert orient_page(page) is page


def photograph(sheet: np.ndarray, table_grey: int) -> np.ndarray:
    """The 1275 by 1650 sheet lying askew on a table of that grey, seen at an angle."""
    table = np.full((2000, 1800), table_grey, dtype=np.uint8)
    corners = np.float32([[0, 0], [1274, 0], [1274, 1649], [0, 1649]])
    photo = np.float32([[300, 200], [1500, 260], [1560, 1800], [240, 1720]])
    matrix = cv2.getPerspectiveTransform(corners, photo)
    warped = cv2.warpPerspective(sheet, matrix, (1800, 2000), borderValue=0)
    mask = cv2.warpPerspective(np.full_like(sheet, 255), matrix, (1800, 2000))
    table[mask > 0] = warped[mask > 0]
    return table


def test_a_photographed_sheet_is_cut_out_and_flattened() -> None:
    sheet = text_page()
    table = photograph(sheet, 90)
    result = rectify_perspective(PageImage(1, table, 200.0))
    height, width = result.image.shape
    # One view cannot recover the exact aspect; the sheet must be cut out roughly upright.
    assert width / height == pytest.approx(1275 / 1650, abs=0.12)
    assert result.image.mean() > 200  # the dark table is gone
    # Its rules are then looked for on the grey page too (extract.grid._faint_rules).
    assert result.photographed


def framed_sheet() -> np.ndarray:
    """A text page with a ruled frame an inch in from its edges (150 dpi)."""
    sheet = Image.fromarray(text_page())
    ImageDraw.Draw(sheet).rectangle((150, 150, 1124, 1499), outline=0, width=3)
    return np.asarray(sheet, dtype=np.uint8).copy()


def frame_slant(image: np.ndarray) -> tuple[float, float]:
    """How far the frame's left and right rules drift across the page (pixels, top to bottom)."""
    height, width = image.shape
    dark = image < 100

    def column_at(row: int, side: slice) -> float:
        columns = np.flatnonzero(dark[row, side]) + (side.start or 0)
        return float(columns.min() if side.start is None else columns.max())

    top, bottom = round(height * 0.15), round(height * 0.85)
    left, right = slice(None, width // 5), slice(width * 4 // 5, width)
    return (abs(column_at(top, left) - column_at(bottom, left)),
            abs(column_at(top, right) - column_at(bottom, right)))


def test_a_sheet_with_a_corner_in_shadow_is_cut_out_along_its_own_edges() -> None:
    # A hand's shadow darkens the sheet's top right corner as dark as the table in the light:
    # the bright outline loses the corner, and the sheet cut along it would come out skewed,
    # its ruled columns slanting across the page.
    sheet = framed_sheet()
    table = photograph(sheet, 75)
    shadow = np.zeros(table.shape, dtype=np.float32)
    cv2.fillPoly(shadow, [np.int32([[1000, 0], [1800, 0], [1800, 900], [1300, 700]])], 1.0)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 40)
    shaded = (table.astype(np.float32) * (1 - 0.6 * shadow)).astype(np.uint8)
    result = rectify_perspective(PageImage(1, shaded, 200.0))
    assert result.photographed
    left, right = frame_slant(result.image)
    assert left <= 6 and right <= 6


def test_a_photographed_sheet_is_cut_at_its_edges_and_brought_to_the_working_resolution(
) -> None:
    # The frame lies 150 of the sheet's 1275 pixels in from either side: cut at the sheet's
    # own edges, the flattened page keeps those shares to a few pixels.
    sheet = framed_sheet()
    table = photograph(sheet, 90)
    result = rectify_perspective(PageImage(1, table, 200.0), work_dpi=300)
    assert result.dpi == pytest.approx(300.0, abs=0.5)
    height, width = result.image.shape
    assert width == pytest.approx(8.5 * 300, abs=2)
    # The frame's rules: columns dark down most of the middle of the page.
    rules = np.flatnonzero((result.image[height // 4: height * 3 // 4] < 100).mean(axis=0) > 0.8)
    left, right = rules.min(), rules.max()
    assert left / width == pytest.approx(150 / 1275, abs=0.004)
    assert (width - 1 - right) / width == pytest.approx(150 / 1275, abs=0.004)
    # No sliver of the dark table along the page, which would read as a ruled line.
    for border in (result.image[:, :3], result.image[:, -3:], result.image[:3], result.image[-3:]):
        assert border.mean() > 200


def test_uneven_lighting_is_flattened_to_white_paper() -> None:
    gradient = np.tile(np.linspace(120, 250, 1275, dtype=np.float32), (1650, 1))
    shaded = (text_page().astype(np.float32) / 255 * gradient).astype(np.uint8)
    flat = flatten_illumination(shaded)
    paper = flat[text_page() > 200]
    assert np.percentile(paper, 10) > 200


def test_ruling_lines_and_cells_are_found() -> None:
    page = Image.new("L", (900, 600), 255)
    draw = ImageDraw.Draw(page)
    for y in (100, 200, 300, 400):
        draw.line([(100, y), (800, y)], fill=0, width=3)
    for x in (100, 400, 800):
        draw.line([(x, 100), (x, 400)], fill=0, width=3)
    binary = binarise(np.asarray(page, dtype=np.uint8))
    ruling = find_ruling(binary, 150)
    assert len(ruling.horizontal) == 4 and len(ruling.vertical) == 3
    assert len(find_cells(ruling)) == 6


def test_an_empty_bright_platen_is_not_taken_for_the_sheet() -> None:
    # A narrow, yellowed card along the edge of a bright, empty platen: the empty part of the
    # platen outlines a clean rectangle, but nothing is written on it.
    platen = np.full((2000, 1600), 250, dtype=np.uint8)
    card = cv2.resize(text_page(), (600, 2000))
    platen[:, :600] = (card.astype(np.float32) * 0.75).astype(np.uint8)
    result = rectify_perspective(PageImage(1, platen, 200.0))
    assert result.image.shape == platen.shape
    assert not result.photographed


def test_a_box_of_the_form_on_an_unevenly_lit_scan_is_not_taken_for_the_sheet() -> None:
    # A flatbed scan, one side in shadow: the bright side holds a printed box with writing in
    # it, and the form goes on around it. Cutting the box out would lose the rest of the form.
    form = Image.fromarray(text_page())
    draw = ImageDraw.Draw(form)
    draw.rectangle((60, 300, 700, 900), outline=0, width=4)
    for row in range(30):
        draw.text((760, 80 + row * 48), "Provider stamp 11/14/2021", font=font(26, SANS), fill=0)
    light = np.linspace(1.0, 0.6, form.width, dtype=np.float32)[np.newaxis, :]
    shaded = (np.asarray(form, dtype=np.float32) * light).astype(np.uint8)
    result = rectify_perspective(PageImage(1, shaded, 150.0))
    assert result.image.shape == shaded.shape


def test_a_photographed_sheet_turned_with_white_corners_is_still_cut_out() -> None:
    # A photo turned a few degrees by a copier or an app: white wedges fill its corners, and
    # their straight borders run through the table around the sheet.
    sheet = text_page()
    photo = np.full((2000, 1800), 90, dtype=np.uint8)
    photo[200:1850, 260:1535] = sheet
    height, width = photo.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), 5.0, 1.0)
    turned = cv2.warpAffine(photo, matrix, (width, height), borderValue=255)
    result = rectify_perspective(PageImage(1, turned, 200.0))
    assert result.image.shape != turned.shape
    assert result.image.mean() > 200  # the dark table is gone
