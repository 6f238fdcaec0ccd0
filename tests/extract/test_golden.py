"""Golden extraction results for a dozen corpus documents, OCR replayed from recordings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import extract_document

from .fakes import ReplayEngine
from .regenerate_golden import CORPUS, GOLDEN, golden_settings

CASES = sorted(p for p in GOLDEN.glob("*.json") if not p.name.endswith(".ocr.json"))


@pytest.mark.skipif(not CASES,
                    reason="no golden files yet: python -m tests.extract.regenerate_golden")
@pytest.mark.parametrize("expected", CASES, ids=lambda p: p.name.removesuffix(".json"))
def test_extraction_matches_its_golden_file(expected: Path) -> None:
    document = CORPUS / expected.name.removesuffix(".json")
    if not document.exists():
        pytest.skip(f"{document.name} is not in fixtures/corpus")
    engine = ReplayEngine.load(expected.with_name(f"{document.name}.ocr.json"))
    result = extract_document(document.read_bytes(), settings=golden_settings(), ocr=engine)
    assert json.loads(result.model_dump_json()) == json.loads(expected.read_text()), (
        "extraction changed: review, then python -m tests.extract.regenerate_golden")
    assert engine.position == len(engine.calls), "fewer OCR calls than recorded"
