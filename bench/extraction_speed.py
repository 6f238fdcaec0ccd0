"""Extraction speed beside plain Tesseract on the same pages, in the same run.

    python -m bench.extraction_speed DIR [--limit N] [--workers 2] [--profile OUT]

For every image document of a corpus (`<file>.truth.json` beside each file), times
`extract_document` and plain `tesseract PAGE stdout` on the same loaded pages, interleaved so
both see the same load; counts Tesseract runs and line reader calls per page; times text-layer
PDFs separately. Each worker first loads what a long-lived parsing process loads once
(vocabulary, line reader), outside the timing. Prints seconds per page (per worker and wall),
the ratio to plain Tesseract, Tesseract runs and line reader calls per page, text-layer PDF
pages per second and the load average.
`--profile` writes a cProfile of the extraction (one worker) for `python -m pstats`.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def plain_tesseract(data: bytes) -> tuple[float, int]:
    """Plain `tesseract PAGE stdout` on each loaded image page: seconds and pages."""
    import cv2

    from extract.load import load_pages
    from extract.page import PageSource
    from extract.settings import ExtractSettings

    total, count = 0.0, 0
    with tempfile.TemporaryDirectory() as folder:
        for page in load_pages(data, ExtractSettings()):
            if page.source is PageSource.TEXT_LAYER:
                continue
            image = Path(folder) / f"p{page.number}.png"
            cv2.imwrite(str(image), page.image)
            started = time.perf_counter()
            subprocess.run(["tesseract", str(image), "stdout"], capture_output=True, check=False)
            total += time.perf_counter() - started
            count += 1
    return total, count


class _Counting:
    """Counts the reads of the Tesseract engine the pipeline would use."""

    def __init__(self) -> None:
        from extract.pipeline import tesseract_engine
        from extract.settings import ExtractSettings

        # The engine extraction uses by default (SHOTCHECK_OCR_ENGINE), counted.
        self.inner = tesseract_engine(ExtractSettings())
        self.reads = 0
        self.line_reads = 0

    def read_words(self, image: Any, request: Any) -> Any:
        self.reads += 1
        return self.inner.read_words(image, request)


class _CountingWithLines(_Counting):
    """Also the handwriting line reader extraction uses by default, its calls counted.

    An injected engine is the pipeline's line reader only when it is one: a bench engine
    without these methods timed extraction without its second reads of handwriting.
    """

    def __init__(self, lines: Any) -> None:
        super().__init__()
        self.lines = lines

    def read_date_choices(self, images: list[Any],
                          years: range) -> Any:
        self.line_reads += 1
        return self.lines.read_date_choices(images, years)

    def read_text_lines(self, images: list[Any]) -> Any:
        self.line_reads += 1
        return self.lines.read_text_lines(images)

    def read_name_lines(self, images: list[Any], names: Any, meanings: Any = None) -> Any:
        self.line_reads += 1
        return self.lines.read_name_lines(images, names, meanings)


def _counting_engine() -> _Counting:
    """The engines extraction would use, counted: with the line reader when it has one."""
    from extract.pipeline import line_reader_for
    from extract.settings import ExtractSettings

    lines = line_reader_for(ExtractSettings())
    return _Counting() if lines is None else _CountingWithLines(lines)


def _warm() -> None:
    from extract.pipeline import warm_up

    warm_up()


def _one(path: str, profile: cProfile.Profile | None = None) -> dict[str, Any]:
    from extract import extract_document
    from extract.settings import ExtractSettings

    data = Path(path).read_bytes()
    truth = json.loads(Path(f"{path}.truth.json").read_text())
    text = truth["format"] == "pdf_text"
    engine = None if text else _counting_engine()
    started = time.perf_counter()
    if profile is not None:
        profile.enable()
    error = None
    try:
        extract_document(data, settings=ExtractSettings(), ocr=engine)
    except Exception as exc:  # noqa: BLE001 - counted, never fatal for the bench
        error = f"{type(exc).__name__}: {exc}"
    if profile is not None:
        profile.disable()
    seconds = time.perf_counter() - started
    plain, plain_pages = (0.0, 0) if text else plain_tesseract(data)
    return {"file": Path(path).name, "text": text, "pages": truth["page_count"],
            "seconds": seconds, "plain": plain, "plain_pages": plain_pages,
            "reads": engine.reads if engine else 0,
            "line_reads": engine.line_reads if engine else 0, "error": error}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("all", "image", "text"), default="all")
    parser.add_argument("--profile", type=Path, help="write a cProfile here (forces 1 worker)")
    parser.add_argument("--json", type=Path, help="write per-document timings here")
    args = parser.parse_args(argv)
    files = []
    for truth in sorted(args.folder.glob("*.truth.json")):
        fmt = json.loads(truth.read_text())["format"]
        if args.only == "all" or (args.only == "text") == (fmt == "pdf_text"):
            files.append(str(truth.with_name(truth.name.removesuffix(".truth.json"))))
    if args.limit:
        files = files[: args.limit]
    load_before = os.getloadavg()
    started = time.perf_counter()
    if args.profile:
        _warm()
        profile = cProfile.Profile()
        runs = [_one(f, profile) for f in files]
        profile.dump_stats(str(args.profile))
    else:
        with ProcessPoolExecutor(args.workers, initializer=_warm) as pool:
            runs = list(pool.map(_one, files))
    wall = time.perf_counter() - started
    image = [r for r in runs if not r["text"]]
    text = [r for r in runs if r["text"]]
    print(f"corpus: {args.folder} ({len(runs)} documents, "
          f"{1 if args.profile else args.workers} workers)")
    if image:
        pages = sum(r["pages"] for r in image)
        seconds = sum(r["seconds"] for r in image)
        plain_pages = max(1, sum(r["plain_pages"] for r in image))
        plain = sum(r["plain"] for r in image)
        print(f"image pages: {seconds / pages:.2f} s/page per worker "
              f"({pages} pages, {sum(r['reads'] for r in image) / pages:.1f} Tesseract runs/page, "
              f"{sum(r['line_reads'] for r in image) / pages:.1f} line reader calls/page)")
        print(f"plain tesseract full page: {plain / plain_pages:.2f} s/page per worker")
        print(f"ratio: {(seconds / pages) / max(plain / plain_pages, 1e-9):.2f}x plain Tesseract")
    if text:
        pages = sum(r["pages"] for r in text)
        seconds = sum(r["seconds"] for r in text)
        print(f"text-layer PDF: {pages / seconds:.1f} pages/s per worker "
              f"({1000 * seconds / pages:.0f} ms/page)")
    errors = [r for r in runs if r["error"]]
    print(f"errors: {len(errors)}" + "".join(f"\n  {r['file']}: {r['error']}" for r in errors))
    print(f"wall: {wall:.1f} s; load average before {load_before[0]:.2f}, "
          f"after {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
