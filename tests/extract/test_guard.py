from __future__ import annotations

import time

import numpy as np
import pytest

from engine.errors import ExternalToolError
from extract import extract_document
from extract.errors import OcrFailed, OcrTimeout
from extract.guard import GuardedEngine
from extract.ocr import OcrRequest
from extract.settings import ExtractSettings

from .drawing import encode, yellow_card
from .fakes import CrashingEngine, HangingEngine

BLANK = np.full((50, 50), 255, dtype=np.uint8)


def test_a_crashing_engine_becomes_an_ocr_failure() -> None:
    with pytest.raises(OcrFailed, match="MemoryError"):
        GuardedEngine(CrashingEngine(), 5).read_words(BLANK, OcrRequest())


def test_a_hanging_engine_times_out_on_time() -> None:
    engine = HangingEngine()
    started = time.monotonic()
    try:
        with pytest.raises(OcrTimeout):
            GuardedEngine(engine, 0.3).read_words(BLANK, OcrRequest())
    finally:
        engine.release.set()
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("engine_kind", [CrashingEngine, HangingEngine])
def test_a_failing_engine_fails_the_document_with_an_external_tool_error(engine_kind: type) -> None:
    engine = engine_kind()
    data = encode(yellow_card("A B", "1/2/2022", []).resize((850, 1100)), "PNG")
    try:
        with pytest.raises(ExternalToolError) as caught:
            extract_document(data, settings=ExtractSettings(ocr_timeout_seconds=0.3), ocr=engine)
    finally:
        if isinstance(engine, HangingEngine):
            engine.release.set()
    assert caught.value.exit_code == 4
