"""OCR engines for tests: replaying recorded output, crashing, hanging; and a recorder."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from extract.ocr import LineReader, OcrEngine, OcrRequest
from extract.page import Gray, Word


class RecordingEngine:
    """Wraps a real engine (and line reader) and keeps every answer, in call order, for replay."""

    def __init__(self, inner: OcrEngine, lines: LineReader | None = None) -> None:
        self.inner = inner
        self.lines = lines
        self.calls: list[dict[str, Any]] = []

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        words = self.inner.read_words(image, request)
        self.calls.append({"op": "read_words", "psm": int(request.segmentation),
                           "whitelist": request.whitelist, "shape": list(image.shape),
                           "words": [[w.text, list(w.box), w.confidence, w.line] for w in words]})
        return words

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        choices = (self.lines.read_date_choices(images, years) if self.lines is not None
                   else [[] for _ in images])
        self.calls.append({"op": "read_date_choices", "count": len(images),
                           "shapes": [list(image.shape) for image in images],
                           "choices": [[list(c) for c in cell] for cell in choices]})
        return choices

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return self._recorded("read_text_lines", images, lambda r: r.read_text_lines(images))

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        return self._recorded("read_name_lines", images,
                              lambda lines: lines.read_name_lines(images, names, meanings))

    def _recorded(self, op: str, images: list[Gray],
                  read: Callable[[LineReader], list[tuple[str, float] | None]],
                  ) -> list[tuple[str, float] | None]:
        readings = read(self.lines) if self.lines is not None else [None] * len(images)
        self.calls.append({"op": op, "count": len(images),
                           "shapes": [list(image.shape) for image in images],
                           "readings": [list(r) if r else None for r in readings]})
        return readings

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.calls, separators=(",", ":")) + "\n")


class ReplayEngine:
    """Answers with recorded output, in order; fails loudly if the pipeline asks differently."""

    def __init__(self, calls: list[dict[str, Any]]) -> None:
        self.calls = list(calls)
        self.position = 0

    @classmethod
    def load(cls, path: Path) -> ReplayEngine:
        return cls(json.loads(path.read_text()))

    def _next(self, op: str) -> dict[str, Any]:
        assert self.position < len(self.calls), "the pipeline made more OCR calls than recorded"
        call = self.calls[self.position]
        self.position += 1
        assert call["op"] == op, f"recorded {call['op']}, asked {op}"
        return call

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        call = self._next("read_words")
        assert call["psm"] == int(request.segmentation)
        _same_images(call, [image])
        return [Word(t, tuple(b), c, ln) for t, b, c, ln in call["words"]]  # type: ignore[arg-type]

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        call = self._next("read_date_choices")
        assert call["count"] == len(images)
        _same_images(call, images)
        return [[(text, share) for text, share in cell] for cell in call["choices"]]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return self._replayed("read_text_lines", images)

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        return self._replayed("read_name_lines", images)

    def _replayed(self, op: str, images: list[Gray]) -> list[tuple[str, float] | None]:
        call = self._next(op)
        assert call["count"] == len(images)
        _same_images(call, images)
        return [(r[0], r[1]) if r else None for r in call["readings"]]


def _same_images(call: dict[str, Any], images: list[Gray]) -> None:
    """The recorded answer is to an image of the same size: a crop that moved is a new question.

    Recordings made before sizes were kept have none to compare.
    """
    recorded = call.get("shapes", [call["shape"]] if "shape" in call else None)
    if recorded is not None:
        asked = [list(image.shape) for image in images]
        assert recorded == asked, (
            f"the pipeline asked OCR about images of other sizes than recorded ({asked} against "
            f"{recorded}): after a deliberate change, python -m tests.extract.regenerate_golden")


class CrashingEngine:
    """An engine whose reads blow up the way a broken binding would."""

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        raise MemoryError("tesseract ran out of memory")



class HangingEngine:
    """An engine that never answers until the test releases it."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        self.release.wait(30)
        return []


class ScriptedEngine:
    """Returns the same words for every full-page read and nothing for cell reads."""

    def __init__(self, words: list[Word], rotation: int | None = 0) -> None:
        self.words = words
        self.rotation = rotation

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        from extract.ocr import Segmentation

        return list(self.words) if request.segmentation is Segmentation.SPARSE and \
            request.whitelist is None and image.shape[0] > 1000 else []
