"""Regenerate the extraction golden files: `python -m tests.extract.regenerate_golden`.

For a dozen documents of the committed corpus (fixtures/corpus), runs the real pipeline with
Tesseract and the line reader, records every OCR answer (`<name>.ocr.json`) and writes the
extraction result (`<name>.json`). The golden test replays the recorded OCR, so it is fast and
does not depend on the Tesseract version installed; re-run this after a deliberate change and
review the diff.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from extract import ExtractSettings, extract_document
from extract._ppocr import paddle_line_reader
from extract._tesseract import TesseractEngine

from .fakes import RecordingEngine

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
# Fixed so "in the future" and two-digit years read the same on every run.
GOLDEN_TODAY = dt.date(2026, 12, 1)
PER_TYPE = 4


def golden_settings() -> ExtractSettings:
    """The settings golden files are made and checked with."""
    return ExtractSettings(today=GOLDEN_TODAY, ocr_timeout_seconds=120)


def choose(corpus: Path) -> list[Path]:
    """A dozen documents: the first few of each type, mixing formats, by file name."""
    chosen: list[Path] = []
    for kind in ("yellow_card", "csf49", "cair2_report"):
        seen_formats: set[str] = set()
        for truth in sorted(corpus.glob(f"*_{kind}.*.truth.json")):
            fmt = json.loads(truth.read_text())["format"]
            if fmt in seen_formats and len(seen_formats) < 3:
                continue
            seen_formats.add(fmt)
            chosen.append(truth.with_name(truth.name.removesuffix(".truth.json")))
            if sum(1 for c in chosen if kind in c.name) == PER_TYPE:
                break
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    documents = choose(args.corpus)
    if not documents:
        print(f"no corpus documents with truth files in {args.corpus}", file=sys.stderr)
        return 1
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.glob("*.json"):
        old.unlink()
    settings = golden_settings()
    for document in documents:
        recorder = RecordingEngine(TesseractEngine(timeout_seconds=120), paddle_line_reader())
        result = extract_document(document.read_bytes(), settings=settings, ocr=recorder)
        recorder.save(GOLDEN / f"{document.name}.ocr.json")
        (GOLDEN / f"{document.name}.json").write_text(
            json.dumps(json.loads(result.model_dump_json()), indent=1, sort_keys=True) + "\n")
        print(f"{document.name}: {result.document_type.value}, {len(result.doses)} doses, "
              f"{len(result.flags)} flags")
    return 0


if __name__ == "__main__":
    sys.exit(main())
