"""Clean-up stage with OpenCV: perspective, orientation, deskew, illumination, binarisation."""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np
import numpy.typing as npt

from extract.page import Gray, PageImage

__all__ = [
    "turn_half",
    "binarise",
    "binarise_rendered",
    "clean_page",
    "deskew_page",
    "find_skew_angle",
    "flatten_illumination",
    "orient_page",
    "rectify_perspective",
    "rescale_page",
]

# Below this share of the image a quadrilateral is a detail, not the sheet of paper.
_MIN_PAGE_AREA = 0.06
# Above this share the image already is the page (a flatbed scan): nothing to rectify.
_MAX_PAGE_AREA = 0.92
_MAX_SKEW_DEGREES = 8.0
# No angle the skew search tries is steeper: the fine search looks half a degree past the
# coarse grid's ends, and the other half keeps the bound clear of rounding.
_STEEPEST_TRIED_DEGREES = _MAX_SKEW_DEGREES + 1.0
# Share of edge pixels (Canny, at the 800-pixel overview) inside a sheet with anything on it.
_MIN_WRITING_EDGES = 0.01
# A box of the form is no sheet: on a scan lit unevenly the bright half of the page outlined
# one, and the rest of the form around it was cut away. Around a sheet the share of edge pixels
# is under this part of the share inside (phone photos of the corpus: 0.03 at most; boxes of
# shadowed scans: 0.19 or more)...
_MAX_WRITING_OUTSIDE = 0.1
# ...or the table just around it is this much darker (0-255) than the paper just inside: a
# photo turned with white corners has their straight borders around the sheet (the corpus's
# photos: 39 darker or more; around the boxes of shadowed scans the paper goes on, -33 to 4).
_TABLE_DARKER = 20
# Each edge of the sheet is looked for this share of the overview's size either side of the
# rough outline (a shadowed corner of the corpus's seed-2026 0003 cut it 43 pixels in of 800).
_EDGE_SEARCH = 0.07
# Across each side, this many evenly spaced samples...
_EDGE_SAMPLES = 31
# ...of which this share must step down onto one line for it to be the edge...
_EDGE_AGREEMENT = 0.5
# ...within this many overview pixels of it...
_EDGE_TOLERANCE_PX = 1.5
# ...running within about 8 degrees of the rough side (the cosine).
_EDGE_COS = 0.99
# The page is cut this far inside the edges found (overview pixels; a few at full size).
_EDGE_INSET_PX = 1.0
# A step from paper to table is the fall from the median grey of this many overview pixels
# inside to this percentile of as many outside...
_STEP_WIDTH_PX = 8
_OUTSIDE_PERCENTILE = 80
# ...by at least this much (0-255).
_MIN_EDGE_STEP = 20.0
# Width of the long, folded yellow-card strip, in inches.
_STRIP_WIDTH_IN = 3.5


def clean_page(page: PageImage, work_dpi: int) -> PageImage:
    """Run the whole clean-up on an image page; text-layer pages are already clean.

    Args:
        page: a decoded page.
        work_dpi: resolution the page is brought to, so pixel thresholds mean one thing.
    """
    if page.binary is not None:
        return page
    rectified = rectify_perspective(page, work_dpi)
    scaled = rescale_page(rectified, work_dpi)
    oriented = orient_page(scaled)
    straight = deskew_page(oriented)
    flat = flatten_illumination(straight.image)
    return replace(straight, image=flat, binary=binarise(flat))


def rescale_page(page: PageImage, work_dpi: int) -> PageImage:
    """Resample the page to `work_dpi` when it is far from it (a 600 dpi scan, a phone photo)."""
    factor = work_dpi / page.dpi
    if 0.9 <= factor <= 1.1:
        return page
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    image = cv2.resize(page.image, None, fx=factor, fy=factor, interpolation=interpolation)
    return replace(page, image=image.astype(np.uint8), dpi=float(work_dpi))


def rectify_perspective(page: PageImage, work_dpi: float | None = None) -> PageImage:
    """Find the sheet's four corners in a photo and warp it to a flat rectangle.

    A scan whose page fills the image, or a photo where no clear sheet is found, is returned
    unchanged. The output resolution is estimated from a letter-width page, and brought up to
    `work_dpi` in the same warp when under it.
    """
    image = page.image
    height, width = image.shape
    scale = 800.0 / max(height, width)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (7, 7), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Paper brighter than the table, else the sheet's edges: a textured or light table
    # defeats the first, a low-contrast edge the second.
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    if _largest_share(np.asarray(bright, dtype=np.uint8)) > _MAX_PAGE_AREA:
        # The paper fills the image: a flatbed scan, whose inner boxes are no sheet edges.
        return page
    edges = cv2.dilate(cv2.Canny(blurred, 30, 90), np.ones((3, 3), np.uint8))
    quad = None
    for mask in (bright, edges):
        quad = _sheet_quad(np.asarray(mask, dtype=np.uint8), small.shape[0] * small.shape[1],
                           np.asarray(edges, dtype=np.uint8), np.asarray(blurred, dtype=np.uint8))
        if quad is not None:
            break
    if quad is None:
        return page
    rough = _order_corners(quad.reshape(4, 2).astype(np.float32))
    corners = _along_the_sheet_edges(np.asarray(small, dtype=np.uint8), rough) / scale
    top = float(np.linalg.norm(corners[1] - corners[0]))
    bottom = float(np.linalg.norm(corners[2] - corners[3]))
    left = float(np.linalg.norm(corners[3] - corners[0]))
    right = float(np.linalg.norm(corners[2] - corners[1]))
    sheet_w, sheet_h = max(top, bottom), max(left, right)
    # A photo has no resolution: the sheet's narrow side is taken as letter width, or as a
    # wallet card's strip width when the sheet is long and narrow.
    narrow, long_side = min(sheet_w, sheet_h), max(sheet_w, sheet_h)
    dpi = narrow / (_STRIP_WIDTH_IN if long_side > 1.8 * narrow else 8.5)
    # Warped straight to the working resolution when that enlarges it: one resampling, not a
    # warp and then a resize, each blurring the writing a little.
    factor = max(1.0, (work_dpi or dpi) / dpi)
    out_w, out_h = round(sheet_w * factor), round(sheet_h * factor)
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]],
                      dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    warped = cv2.warpPerspective(image, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC,
                                 borderMode=cv2.BORDER_REPLICATE)
    dpi *= factor
    return replace(page, image=warped.astype(np.uint8), dpi=dpi, photographed=True)


def _largest_share(mask: Gray) -> float:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    return float(max(cv2.contourArea(c) for c in contours)) / float(mask.size)


def _outlines_the_sheet(edges: Gray, blurred: Gray, quad: np.ndarray) -> bool:
    """Whether an outline is the sheet: writing inside, and around it none, or a darker table.

    A narrow card lying on a large white scanner platen leaves the platen brighter than the
    card: the empty platen outlines a fine quadrilateral with nothing on it. A box printed on
    the form outlines one with writing around it too, on the same paper.
    """
    outline = np.zeros(edges.shape, dtype=np.uint8)
    cv2.fillConvexPoly(outline, quad.reshape(-1, 2).astype(np.int32), 1)
    inside = np.asarray(cv2.erode(outline, np.ones((15, 15), np.uint8)), dtype=np.uint8) > 0
    # Clear of the sheet's own edge and the shadow along it.
    grown = np.asarray(cv2.dilate(outline, np.ones((31, 31), np.uint8)), dtype=np.uint8) > 0
    if not inside.any():
        return False
    within = float((edges[inside] > 0).mean())
    if within < _MIN_WRITING_EDGES:
        return False
    around = float((edges[~grown] > 0).mean()) if not grown.all() else 0.0
    if around < _MAX_WRITING_OUTSIDE * within:
        return True
    # Bands either side of the outline, clear of its edge: the paper's rim and the table's.
    rim = (outline > 0) & ~np.asarray(cv2.erode(outline, np.ones((25, 25), np.uint8)) > 0)
    beyond = grown & ~(np.asarray(cv2.dilate(outline, np.ones((11, 11), np.uint8))) > 0)
    return bool(beyond.any()) and float(np.median(blurred[beyond])) <= float(
        np.median(blurred[rim])) - _TABLE_DARKER


def _sheet_quad(mask: Gray, image_area: int, edges: Gray, blurred: Gray) -> np.ndarray | None:
    """The largest convex four-cornered outline covering a plausible share of the image."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        area = cv2.contourArea(contour) / float(image_area)
        if area < _MIN_PAGE_AREA:
            break
        if area > _MAX_PAGE_AREA:
            continue
        quad = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(quad) == 4 and cv2.isContourConvex(quad) and _outlines_the_sheet(
                edges, blurred, quad):
            return quad
    return None


def _along_the_sheet_edges(small: Gray, rough: np.ndarray) -> np.ndarray:
    """The corners where the sheet's four edges meet, each edge found near `rough`'s side.

    The outline the masks give is cut short where a shadow falls across a corner of the
    sheet (the shadowed paper is as dark as the table in the light), and its polygon only
    follows the edges to a few pixels. Across each side, the sheet's edge is where the grey
    falls most steeply from paper to table, a step, not a ruled line or a shadow's soft rim;
    a line through where most of those steps lie is the edge. A side whose steps do not line
    up (no edge to see) keeps its rough place.
    """
    image = cv2.GaussianBlur(small, (3, 3), 0).astype(np.float32)
    reach = _EDGE_SEARCH * max(small.shape)
    centre = rough.mean(axis=0)
    lines = []
    for start, end in zip(rough, np.roll(rough, -1, axis=0), strict=True):
        along = (end - start) / max(float(np.linalg.norm(end - start)), 1.0)
        outward = np.array([along[1], -along[0]], dtype=np.float32)
        if float(np.dot(outward, (start + end) / 2 - centre)) < 0:
            outward = -outward
        points = _edge_steps(image, start, end, outward, reach)
        line = _line_through_most(points, along, _EDGE_TOLERANCE_PX)
        # Cut just inside the edge: a sliver of dark table along the page would be a rule.
        lines.append((line[0] - _EDGE_INSET_PX * outward, line[1]) if line is not None
                     else (start, along))
    corners = np.array([_meeting_point(lines[i - 1], lines[i]) for i in range(4)],
                       dtype=np.float32)
    if not np.isfinite(corners).all() or not cv2.isContourConvex(corners) or float(
            np.abs(corners - rough).max()) > 1.5 * reach:
        return rough
    return corners


def _edge_steps(image: npt.NDArray[np.float32], start: np.ndarray, end: np.ndarray,
                outward: np.ndarray, reach: float) -> np.ndarray:
    """Across a rough side, at each sample, the point where the grey steps down outward most.

    A step is the median grey of the few pixels inside less the brighter part of the few
    outside: beyond the sheet's edge the table is dark throughout, while beyond the top of a
    line of print, or a ruled line, paper shows between the strokes; a soft shadow rim hardly
    moves either side.
    """
    ends = np.linspace(0.1, 0.9, _EDGE_SAMPLES, dtype=np.float32)[:, None]
    bases = start + ends * (end - start)
    offsets = np.arange(-reach, reach + 1, dtype=np.float32)
    xs = bases[:, None, 0] + offsets[None, :] * outward[0]
    ys = bases[:, None, 1] + offsets[None, :] * outward[1]
    profiles = cv2.remap(image, xs, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    width = _STEP_WIDTH_PX
    windows = np.lib.stride_tricks.sliding_window_view(profiles, width, axis=1)
    inside = np.median(windows, axis=2)[:, :-width]
    outside = np.percentile(windows, _OUTSIDE_PERCENTILE, axis=2)[:, width:]
    # Step at offset index i + width: inside window [i, i + width), outside [i + width, ...).
    steps = inside - outside
    best = steps.argmax(axis=1)
    rows = np.arange(len(best))
    strong = steps[rows, best] >= _MIN_EDGE_STEP
    # The windows place a step to a few pixels: the edge is the steepest fall near it.
    falls = profiles[:, 1:] - profiles[:, :-1]
    near = np.clip(best[:, None] + width + np.arange(-width // 2, width // 2)[None, :], 0,
                   falls.shape[1] - 1)
    steepest = near[rows, falls[rows[:, None], near].argmin(axis=1)]
    at = offsets[steepest] + 0.5
    points = bases + at[:, None] * outward
    return np.asarray(points[strong], dtype=np.float32)


def _line_through_most(points: np.ndarray, along: np.ndarray,
                       tolerance: float) -> tuple[np.ndarray, np.ndarray] | None:
    """A line (point, direction) through most of `points`, near `along`'s direction; else None.

    Every line through two of the points is tried (a few hundred), and the one with the most
    points near it is fitted to them: steps found on a stamp or a shadow's rim fall off it.
    """
    needed = _EDGE_SAMPLES * _EDGE_AGREEMENT
    if len(points) < needed:
        return None
    first, second = np.triu_indices(len(points), k=1)
    directions = points[second] - points[first]
    lengths = np.linalg.norm(directions, axis=1)
    usable = (lengths >= 1.0) & (np.abs(directions @ along) >= _EDGE_COS * np.maximum(lengths, 1.0))
    if not usable.any():
        return None
    first, directions, lengths = first[usable], directions[usable], lengths[usable]
    normals = np.stack([-directions[:, 1], directions[:, 0]], axis=1) / lengths[:, None]
    offsets = points @ normals.T - np.sum(points[first] * normals, axis=1)
    near = np.abs(offsets) <= tolerance
    best = near[:, int(near.sum(axis=0).argmax())]
    if best.sum() < needed:
        return None
    fit = cv2.fitLine(points[best].reshape(-1, 1, 2), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
    return np.array(fit[2:4], dtype=np.float32), np.array(fit[0:2], dtype=np.float32)


def _meeting_point(one: tuple[np.ndarray, np.ndarray],
                   other: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    (p, d), (q, e) = one, other
    cross = float(d[0] * e[1] - d[1] * e[0])
    if abs(cross) < 1e-6:
        return np.array([np.nan, np.nan], dtype=np.float32)
    t = float((q[0] - p[0]) * e[1] - (q[1] - p[1]) * e[0]) / cross
    return np.asarray(p + t * d, dtype=np.float32)


def _order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    sums = points.sum(axis=1)
    diffs = np.diff(points, axis=1).ravel()
    return np.array(
        [points[np.argmin(sums)], points[np.argmin(diffs)], points[np.argmax(sums)],
         points[np.argmax(diffs)]],
        dtype=np.float32,
    )


def orient_page(page: PageImage) -> PageImage:
    """Turn a page whose lines of text run vertically by a quarter turn.

    Which way up the page then is (0 or 180 degrees) is decided after OCR, by which reading
    gives real words (`pipeline.read_page_words`): Tesseract's OSD proved unreliable on forms
    with little running text.
    """
    if _has_horizontal_lines_of_text(page.image):
        return page
    turned = np.ascontiguousarray(np.rot90(page.image, k=-1))
    return replace(page, image=turned)


def turn_half(page: PageImage) -> PageImage:
    """The page turned upside down."""
    turned = np.ascontiguousarray(page.image[::-1, ::-1])
    binary = None if page.binary is None else np.ascontiguousarray(page.binary[::-1, ::-1])
    return replace(page, image=turned, binary=binary)


def _downscale(image: Gray, factor: int) -> Gray:
    if factor <= 1:
        return image
    return np.asarray(cv2.resize(image, None, fx=1 / factor, fy=1 / factor,
                                 interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _has_horizontal_lines_of_text(image: Gray) -> bool:
    """Whether words run left to right: smearing letters sideways makes long thin blobs.

    Ruling lines are removed first (they are long whichever way the page is turned); then the
    ink is smeared along each axis and the elongated blobs counted. Words make many along their
    line direction and few across it.
    """
    small = _downscale(image, 3)
    ink = cv2.bitwise_not(binarise(small))
    long = max(15, small.shape[1] // 12)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (1, long)))
    lines = cv2.bitwise_or(across, down)
    letters = np.asarray(cv2.subtract(ink, cv2.dilate(lines, np.ones((3, 3), np.uint8))),
                         dtype=np.uint8)
    return _elongated(letters, (7, 1)) >= _elongated(letters, (1, 7))


def _elongated(ink: Gray, kernel: tuple[int, int]) -> int:
    smeared = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    count, _, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    horizontal = kernel[0] > kernel[1]
    total = 0
    for x, y, w, h, area in stats[1:count]:
        del x, y
        if area < 30:
            continue
        long_side, short_side = (w, h) if horizontal else (h, w)
        # A word, not a thin letter: long in absolute terms (a quarter inch at 100 dpi) too.
        if long_side >= 3 * short_side and short_side >= 3 and long_side >= 25:
            total += 1
    return total


def find_skew_angle(image: Gray) -> float:
    """The small rotation (degrees, counter-clockwise positive) that levels the text lines.

    Searches the angle whose row profile of ink is sharpest: text lines and ruling lines both
    peak when level. Coarse then fine, on a downscaled copy. Each angle's profile is the
    histogram of the ink pixels' rotated rows (where a rotation would put them), not a rotated
    image: a tenth of the work for the same profile but for interpolation.

    The ink is listed column by column, so that pixels counted one after the other mostly fall
    in different rows of the profile: counting a row's run of pixels into one bin makes each
    count wait for the last, and takes 40% longer. Ink that no angle tried can carry
    off the image is counted without checking that it stays on.
    """
    small = _downscale(image, max(1, image.shape[1] // 900))
    height, width = small.shape
    # Points are (x, y), of the transposed page: the page's (row, column). OpenCV 4 gives
    # them shaped (n, 1, 2), OpenCV 5 (n, 2); a page without ink, None.
    found = cv2.findNonZero(cv2.transpose(cv2.bitwise_not(binarise(small))))
    if found is None:
        # A blank page (the back of a sheet): no lines to level, so no turn.
        return 0.0
    points = np.asarray(found).reshape(-1, 2)
    # Coordinates about the centre, as cv2.getRotationMatrix2D rotates.
    x = points[:, 1].astype(np.float32) - width / 2
    y = points[:, 0].astype(np.float32) - height / 2
    stays = _stays_on_image(x, y, width, height)
    x_inner, y_inner = x[stays], y[stays]
    x_outer, y_outer = x[~stays], y[~stays]

    def sharpness(angle: float) -> float:
        radians = math.radians(angle)
        cos, sin = math.cos(radians), math.sin(radians)
        # The same float32 arithmetic, point by point, as rotating all the ink at once: the
        # same rows, so the same profile to the last count.
        inner_y = -sin * x_inner + cos * y_inner + height / 2
        outer_x = cos * x_outer + sin * y_outer + width / 2
        outer_y = -sin * x_outer + cos * y_outer + height / 2
        # Ink rotated off the image is lost, as it would be from a rotated image.
        kept = (outer_x >= 0) & (outer_x < width) & (outer_y >= 0) & (outer_y < height)
        counts = (np.bincount(inner_y.astype(np.int32), minlength=height)
                  + np.bincount(outer_y[kept].astype(np.int32), minlength=height))
        profile = counts.astype(np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-_MAX_SKEW_DEGREES, _MAX_SKEW_DEGREES + 0.01, 0.5), key=sharpness)
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    return float(max(fine, key=sharpness))


def _stays_on_image(x: npt.NDArray[np.float32], y: npt.NDArray[np.float32], width: int,
                    height: int) -> npt.NDArray[np.bool_]:
    """Which points (about the image's centre) stay on it whatever angle the skew search tries.

    Turning by at most t moves a point's x by at most (1 - cos t)|x| + sin t |y|, and its y
    likewise. Points that could come within a pixel of the edge count as leaving: float32
    rounding moves the rotated coordinates by thousandths of a pixel, not a whole one.
    """
    steepest = math.radians(_STEEPEST_TRIED_DEGREES)
    shrink, shear = 1 - math.cos(steepest), math.sin(steepest)
    across, down = np.abs(x), np.abs(y)
    reach_x = across + shrink * across + shear * down
    reach_y = down + shrink * down + shear * across
    stays: npt.NDArray[np.bool_] = (reach_x <= width / 2 - 1) & (reach_y <= height / 2 - 1)
    return stays


def deskew_page(page: PageImage) -> PageImage:
    """Rotate the page by its skew angle, filling the corners with paper white."""
    angle = find_skew_angle(page.image)
    if abs(angle) < 0.15:
        return page
    height, width = page.image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w = int(math.ceil(height * sin + width * cos))
    new_h = int(math.ceil(height * cos + width * sin))
    matrix[0, 2] += new_w / 2 - width / 2
    matrix[1, 2] += new_h / 2 - height / 2
    rotated = cv2.warpAffine(page.image, matrix, (new_w, new_h), flags=cv2.INTER_CUBIC,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return replace(page, image=rotated.astype(np.uint8))


def flatten_illumination(image: Gray) -> Gray:
    """Divide by a smooth estimate of the paper's brightness: shadows and gradients go white.

    The background is the page with ink removed by a large morphological closing, computed at
    reduced size because lighting varies slowly.
    """
    small = _downscale(image, 4)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), 5)
    background = cv2.resize(background, (image.shape[1], image.shape[0]),
                            interpolation=cv2.INTER_LINEAR)
    # image * 255 / background in one saturating pass (a division by zero gives 0; the
    # closing leaves no zero background where there is paper).
    flat = cv2.divide(image, np.maximum(background, 1), scale=255.0)
    # A 3x3 median removes scanner speckle without eating the thin strokes of handwriting.
    return np.asarray(cv2.medianBlur(flat, 3), dtype=np.uint8)


def binarise(image: Gray) -> Gray:
    """Ink 0, paper 255, by Otsu's threshold (illumination is already flat)."""
    _, binary = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary.astype(np.uint8)


def binarise_rendered(image: Gray) -> Gray:
    """`binarise` for a page rendered from a PDF's text layer: clean paper and ink, no noise.

    Otsu's threshold is taken from every fourth pixel of every fourth row, which for a rendered
    page is the same histogram in miniature, then applied to the whole page: a few
    milliseconds instead of fifteen at 300 dpi.
    """
    sample = np.ascontiguousarray(image[::4, ::4])
    level, _ = cv2.threshold(sample, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, binary = cv2.threshold(image, level, 255, cv2.THRESH_BINARY)
    return np.asarray(binary, dtype=np.uint8)
