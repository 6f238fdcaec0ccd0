"""A watchdog around any OcrEngine: a hung or crashing read fails the document, not the caller."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from engine.errors import ShotcheckError
from extract.errors import OcrFailed, OcrTimeout
from extract.ocr import LineReader, OcrEngine, OcrRequest
from extract.page import Gray, Word

__all__ = ["GuardedEngine"]

R = TypeVar("R")


def _nothing() -> tuple[str, float] | None:
    """No line reader answer."""
    return None


class GuardedEngine:
    """Runs each read of `inner` in a daemon thread and waits at most `timeout_seconds`.

    Tesseract already kills its own subprocess on time-out; this guard covers any engine (a
    future one, a fake in tests) that blocks in-process. A timed-out read is abandoned, never
    joined, so the caller gets OcrTimeout on time. Exceptions that are not ShotcheckErrors become
    OcrFailed so a crashing engine never escapes as an arbitrary exception.
    """

    def __init__(self, inner: OcrEngine, timeout_seconds: float,
                 lines: LineReader | None = None) -> None:
        self._inner = inner
        self._timeout = timeout_seconds
        self._lines = lines

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        """Read words through the inner engine within the time limit."""
        return self._call(lambda: self._inner.read_words(image, request))

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        """Dates read by the line reader within the time limit; no choices without one."""
        return self._read_lines(images, lambda reader: reader.read_date_choices(images, years),
                                list)

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        """Lines of text read by the line reader within the time limit; None each without one."""
        return self._read_lines(images, lambda reader: reader.read_text_lines(images), _nothing)

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        """Names chosen by the line reader within the time limit; None each without one."""
        return self._read_lines(
            images, lambda reader: reader.read_name_lines(images, names, meanings), _nothing)

    def _read_lines(self, images: list[Gray], read: Callable[[LineReader], list[R]],
                    unread: Callable[[], R]) -> list[R]:
        """`read` through the line reader within the time limit; `unread()` each without one."""
        reader = self._lines
        if reader is None:
            return [unread() for _ in images]
        return self._call(lambda: read(reader))

    def _call(self, action: Callable[[], R]) -> R:
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                outcome["value"] = action()
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="shotcheck-ocr", daemon=True)
        worker.start()
        # A little slack over the engine's own limit, so Tesseract's clean time-out wins.
        worker.join(self._timeout + min(2.0, 0.25 * self._timeout))
        if worker.is_alive():
            raise OcrTimeout(
                f"the OCR engine did not answer within {self._timeout:g} s; the document was "
                "not read (raise SHOTCHECK_OCR_TIMEOUT_SECONDS for very large scans)"
            )
        error = outcome.get("error")
        if isinstance(error, ShotcheckError):
            raise error
        if isinstance(error, BaseException):
            raise OcrFailed(f"the OCR engine failed: {type(error).__name__}: {error}") from error
        return outcome["value"]  # type: ignore[return-value]
