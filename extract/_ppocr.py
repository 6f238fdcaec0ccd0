"""The one module that talks to PaddleOCR's PP-OCRv6 line recogniser (ONNX, onnxruntime).

Tesseract reads print well and handwriting badly; the PP-OCR recogniser was trained on
handwriting too. It reads one line image into per-frame character probabilities, and
extract.date_lines finds the likeliest date in them. The weights (PP-OCRv6 small, PaddleOCR's
Apache-2.0 weights as ONNX, its character list in the model's metadata) are the file the
`rapidocr` package ships; only the file is used, so nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from extract.date_lines import DATE_CHARACTERS, best_path_text, likeliest_dates
from extract.errors import ToolMissing
from extract.name_lines import likeliest_name
from extract.page import Gray

__all__ = ["PaddleLineReader", "paddle_line_reader"]

_INSTALL_HINT = "reinstall the project's dependencies: pip install onnxruntime rapidocr"
# The recogniser's weights in the rapidocr package. PP-OCRv6 small put the written date first
# in 487 of 1,090 handwritten date cells of the committed corpus where PP-OCRv5 mobile did in
# 355 (and a wrong date first in 135 against 217), at about the same time a cell.
_MODEL_PACKAGE = "rapidocr"
_MODEL_FILE = ("models", "PP-OCRv6_rec_small.onnx")
# What a vaccine's name is written with: the model also knows thousands of CJK characters.
_TEXT_CHARACTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -()/.+&")
# The recogniser's input height, fixed by its training.
_HEIGHT = 48
# Ink is this much darker than the cell's paper (0-255): faint pencil is about 60 darker.
_INK_CONTRAST = 45
# In a faded cell (a worn card, a light scan) whose darkest strokes are not that dark, ink is
# this share of the way from the paper to them: at 45% of its darkness left, a card's writing
# was cut away as paper and its dates read as blank.
_FADED_INK_SHARE = 0.4
# Never less than this, under which scanner grain and JPEG noise would count as writing.
_MIN_INK_CONTRAST = 20
# The darkest strokes: this percentile of the cell, so a speck of dust does not set them.
_DARKEST_PERCENTILE = 0.2
# A pixel row (column) inked over more than this share of the cell is a ruling line...
_RULING_SHARE = 0.6
# ...when its ink also reaches within this many pixels of both ends of the cell: a cell border
# crosses the whole crop, while the stroke of a 1, a 4 or a slash in writing as tall as the cell
# is inked over most of the column too, and whitening it cut the digit out of the date.
_RULING_ENDS = 3
# Fewer inked pixels than this is an empty cell with dust in it.
_MIN_INK_PIXELS = 20
# White kept around the writing, as a share of its height: the recogniser saw lines cut loosely.
_MARGIN = 0.25
# Cells whose frames are kept for a second kind of read.
_RECENT_CELLS = 64
# The likeliest dates of a cell given back: the rest share too little to matter.
_CHOICES = 8
# The line width the recogniser was trained at (PP-OCR's rec image shape is 3 x 48 x 320).
_TRAINED_WIDTH = 320
# Wider than this many pixels at _HEIGHT is not one date; a cell that wide is cut down.
_MAX_WIDTH = 640


class PaddleLineReader:
    """Reads a date, a line of text or a name from a list in each image with PP-OCR.

    `model`: the recogniser's ONNX file, its character list in its metadata (PaddleOCR's
    export), the CTC blank before it and a space after.
    """

    def __init__(self, model: Path) -> None:
        try:
            import onnxruntime  # type: ignore[import-untyped]  # noqa: PLC0415 - scans only
        except ImportError as exc:
            raise ToolMissing(f"onnxruntime is not installed; {_INSTALL_HINT}") from exc
        options = onnxruntime.SessionOptions()
        # One thread: the service runs one worker per core already.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session: Any = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        classes = _metadata_classes(self._session)
        self._characters = {index: ch for index, ch in enumerate(classes)
                            if index > 0 and ch in DATE_CHARACTERS and len(ch) == 1}
        self._all_characters = {index: ch for index, ch in enumerate(classes)
                                if index > 0 and len(ch) == 1}
        self._text_characters = {index: ch for index, ch in enumerate(classes)
                                 if index > 0 and len(ch) == 1 and ch in _TEXT_CHARACTERS}
        # The frames of the last few cells: a cell with no date is read again as text, a name
        # not read letter by letter is looked for in the vocabulary; the model runs once.
        self._recent: OrderedDict[bytes, npt.NDArray[np.float32] | None] = OrderedDict()
        self._recent_lock = threading.Lock()

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        """The dates in `years` each image may hold, likeliest first, with their shares."""
        return [[(reading.text, reading.confidence)
                 for reading in likeliest_dates(frames, self._characters, years)[:_CHOICES]]
                if frames is not None else [] for frames in self._frames(images)]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        """The text written in each image and its confidence; None where nothing is read."""
        return [best_path_text(frames, self._text_characters) if frames is not None else None
                for frames in self._frames(images)]

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        """Which of `names` each image most likely holds and its share; None if none is.

        `meanings`: what each name stands for (`likeliest_name`).
        """
        readings: list[tuple[str, float] | None] = []
        for frames in self._frames(images if names else []):
            found = None if frames is None else likeliest_name(
                frames, self._all_characters, names, meanings)
            readings.append(None if found is None else (names[found.index], found.confidence))
        return readings or [None] * len(images)

    def _frames(self, images: list[Gray]) -> Iterator[npt.NDArray[np.float32] | None]:
        """The recogniser's per-frame probabilities for each image; None for a blank one."""
        for image in images:
            key = np.array(image.shape, dtype=np.int64).tobytes() + image.tobytes()
            with self._recent_lock:
                known = key in self._recent
                frames = self._recent.get(key)
            if not known:
                line = _line_image(image)
                frames = (None if line is None
                          else self._session.run(None, {self._input: line})[0][0])
                with self._recent_lock:
                    self._recent[key] = frames
                    while len(self._recent) > _RECENT_CELLS:
                        self._recent.popitem(last=False)
            yield frames


def _line_image(image: Gray) -> npt.NDArray[np.float32] | None:
    """The writing in `image`, cut to its ink, scaled to the recogniser's input; None if blank.

    Ink is what is darker than the cell's paper (its median) by a fixed contrast, or by less
    in a faded cell, whose darkest strokes set the contrast.

    A cell's crop often keeps a ruling line or two: those are whitened first, or the cut would
    span the whole cell and shrink the writing to a sliver beside a line the recogniser reads.
    """
    background = float(np.median(image))
    darkest = float(np.percentile(image, _DARKEST_PERCENTILE))
    contrast = min(_INK_CONTRAST, max(_MIN_INK_CONTRAST, _FADED_INK_SHARE * (background - darkest)))
    ink = image < background - contrast
    cleaned = image.copy()
    ruled_rows = ((ink.mean(axis=1) > _RULING_SHARE) & ink[:, :_RULING_ENDS].any(axis=1)
                  & ink[:, -_RULING_ENDS:].any(axis=1))
    ruled_columns = ((ink.mean(axis=0) > _RULING_SHARE) & ink[:_RULING_ENDS].any(axis=0)
                     & ink[-_RULING_ENDS:].any(axis=0))
    ink[ruled_rows, :] = False
    ink[:, ruled_columns] = False
    cleaned[ruled_rows, :] = 255
    cleaned[:, ruled_columns] = 255
    rows, columns = np.nonzero(ink)
    if rows.size < _MIN_INK_PIXELS:
        return None
    # Percentiles, not extremes: a speck of dust in a corner must not widen the cut.
    top, bottom = (int(v) for v in np.percentile(rows, (0.5, 99.5)))
    left, right = (int(v) for v in np.percentile(columns, (0.5, 99.5)))
    bottom, right = bottom + 1, right + 1
    margin = max(2, int(_MARGIN * (bottom - top)))
    height, width = image.shape
    crop = cleaned[max(0, top - margin) : min(height, bottom + margin),
                   max(0, left - margin) : min(width, right + margin)]
    scaled_width = min(_MAX_WIDTH, max(16, round(crop.shape[1] * _HEIGHT / crop.shape[0])))
    scaled = cv2.resize(crop, (scaled_width, _HEIGHT), interpolation=cv2.INTER_AREA)
    normalised = (scaled.astype(np.float32) / 255.0 - 0.5) / 0.5
    # Padded on the right with zeros (mid grey once normalised) to the width the recogniser was
    # trained at, as PaddleOCR's own inference does: a short date given alone, at a width it
    # never saw, was read as 'CNn' where '06/17/22' was plain to the eye.
    line = np.zeros((1, 3, _HEIGHT, max(_TRAINED_WIDTH, scaled_width)), dtype=np.float32)
    line[:, :, :, :scaled_width] = normalised
    return line


def _metadata_classes(session: Any) -> list[str]:
    """The model's classes in output order (class 0 the CTC blank), from its metadata.

    A list that does not match the model's output would read every character as another: the
    model file is then not the one this module was written for.
    """
    listed = session.get_modelmeta().custom_metadata_map.get("character")
    if not listed:
        raise ToolMissing(f"the line recogniser's model lists no characters; {_INSTALL_HINT}")
    classes = ["<blank>", *listed.split("\n"), " "]
    width = session.get_outputs()[0].shape[-1]
    if isinstance(width, int) and width != len(classes):
        raise ToolMissing(f"the line recogniser's model has {width} classes but lists "
                          f"{len(classes)}; {_INSTALL_HINT}")
    return classes


@cache
def paddle_line_reader() -> PaddleLineReader:
    """The process's line reader (the model loads once); ToolMissing when it cannot."""
    # Found, not imported: the package's own OCR engine and its imports are not used.
    spec = importlib.util.find_spec(_MODEL_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    models = [Path(folder).joinpath(*_MODEL_FILE) for folder in folders]
    model = next((path for path in models if path.is_file()), None)
    if model is None:
        raise ToolMissing(f"the PP-OCRv6 line recogniser's model is not installed; {_INSTALL_HINT}")
    return PaddleLineReader(model)
