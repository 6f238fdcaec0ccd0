from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from extract.cleanup import _downscale, _stays_on_image, binarise, find_skew_angle

from .drawing import SANS, font


def skew_by_rotating_all_the_ink(image: np.ndarray) -> float:
    """`find_skew_angle` as first written, every ink pixel checked: what it must still return."""
    small = _downscale(image, max(1, image.shape[1] // 900))
    height, width = small.shape
    rows, cols = np.nonzero(binarise(small) == 0)
    x = cols.astype(np.float32) - width / 2
    y = rows.astype(np.float32) - height / 2

    def sharpness(angle: float) -> float:
        radians = math.radians(angle)
        cos, sin = math.cos(radians), math.sin(radians)
        new_x = cos * x + sin * y + width / 2
        new_y = -sin * x + cos * y + height / 2
        kept = (new_x >= 0) & (new_x < width) & (new_y >= 0) & (new_y < height)
        profile = np.bincount(new_y[kept].astype(np.int32), minlength=height).astype(np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-8.0, 8.0 + 0.01, 0.5), key=sharpness)
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    return float(max(fine, key=sharpness))


def record_page(width: int, height: int) -> np.ndarray:
    """Typed lines and rules, some running to the very edges, so rotations carry ink off."""
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for row in range(height // 60):
        draw.text((10, 20 + row * 60), f"MMR {row}  04/05/2021  Clinic de la Paz " * 2,
                  font=font(30, SANS), fill=0)
    draw.line([(0, 2), (width - 1, 2)], fill=0, width=3)
    draw.line([(0, height - 3), (width - 1, height - 3)], fill=0, width=3)
    draw.line([(1, 0), (1, height - 1)], fill=0, width=3)
    return np.asarray(page, dtype=np.uint8).copy()


def turned(image: np.ndarray, degrees: float) -> np.ndarray:
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return np.asarray(cv2.warpAffine(image, matrix, (width, height), borderValue=255),
                      dtype=np.uint8)


@pytest.mark.parametrize("degrees", [-7.3, -2.0, -0.2, 0.0, 1.1, 4.6, 8.4])
@pytest.mark.parametrize("size", [(1275, 1650), (1800, 2400), (700, 300)])
def test_the_skew_angle_is_the_one_rotating_all_the_ink_finds(
        degrees: float, size: tuple[int, int]) -> None:
    page = turned(record_page(*size), degrees)
    assert find_skew_angle(page) == skew_by_rotating_all_the_ink(page)


def test_a_page_of_only_ink_gets_the_same_angle_as_before() -> None:
    page = np.zeros((400, 300), np.uint8)
    assert find_skew_angle(page) == skew_by_rotating_all_the_ink(page)


def test_a_blank_page_is_not_turned() -> None:
    # Every angle levels nothing: the first one tried (-8.5 degrees) used to win.
    assert find_skew_angle(np.full((400, 300), 255, np.uint8)) == 0.0


def test_ink_said_to_stay_on_the_image_stays_on_at_every_angle_tried() -> None:
    width, height = 1275, 1650
    rows, cols = np.mgrid[0:height:3, 0:width:3]
    x = cols.ravel().astype(np.float32) - width / 2
    y = rows.ravel().astype(np.float32) - height / 2
    stays = _stays_on_image(x, y, width, height)
    # Most of the page: the shortcut is worth having.
    assert 0.6 < stays.mean() < 1.0
    x, y = x[stays], y[stays]
    for angle in np.arange(-8.5, 8.51, 0.1):
        radians = math.radians(angle)
        cos, sin = math.cos(radians), math.sin(radians)
        new_x = cos * x + sin * y + width / 2
        new_y = -sin * x + cos * y + height / 2
        assert ((new_x >= 0) & (new_x < width) & (new_y >= 0) & (new_y < height)).all()
