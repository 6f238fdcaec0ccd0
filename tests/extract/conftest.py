from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from extract.settings import ExtractSettings

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed (apt-get install tesseract-ocr)",
)


@pytest.fixture
def settings() -> ExtractSettings:
    return ExtractSettings(today=dt.date(2026, 1, 15))
