"""The parsing child: replaced after a failed parse, crashes described in words."""

from __future__ import annotations

import datetime as dt
import io
import os
from typing import Any

import pytest
from PIL import Image

from intake.isolation import ParseFailed, ParserProcess, _describe_exit
from intake.limits import ParseLimits
from intake.pipeline import PipelineOutcome

LIMITS = ParseLimits(max_pages=5, max_page_pixels=10_000_000, max_decoded_bytes=50_000_000,
                     memory_mb=1024, timeout_seconds=60.0)


def _png(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (40, 40), shade).save(buffer, "PNG")
    return buffer.getvalue()


class PidPipeline:
    """Answers with the child's process id; raises on a black page."""

    version = "pid-1"

    def process(self, data: bytes, filename: str) -> PipelineOutcome:
        if Image.open(io.BytesIO(data)).getpixel((0, 0)) == 0:
            raise RuntimeError("left native work behind")
        return PipelineOutcome(extraction={"pid": os.getpid()}, needs_review=False)

    def check(self, record: dict[str, Any], as_of: dt.date) -> dict[str, Any] | None:
        return None


def test_a_failed_parse_is_followed_by_a_fresh_child() -> None:
    parser = ParserProcess(PidPipeline(), LIMITS)
    try:
        first = parser.parse(_png(255), "white.png").extraction
        assert parser.parse(_png(255), "white.png").extraction == first, "reused while healthy"
        with pytest.raises(ParseFailed, match="left native work behind"):
            parser.parse(_png(0), "black.png")
        after = parser.parse(_png(255), "white.png").extraction
        assert first is not None and after is not None and after["pid"] != first["pid"]
    finally:
        parser.close()


def test_a_crash_is_described_with_its_likely_cause() -> None:
    assert "SIGSEGV" in _describe_exit(-11) and "SHOTCHECK_PARSE_MEMORY_MB" in _describe_exit(-11)
    assert _describe_exit(-9) == "killed by SIGKILL"
    assert _describe_exit(3) == "exit status 3"
