"""Extraction of corpus scans made differently: turned, tilted, faded, faxed, made searchable.

    python -m bench.extraction_robustness DIR [--limit N] [--workers 2] [--only NAME,...]

The corpus generator makes its own kind of scan; offices will send others. Each single-page
image document of the corpus (`<file>.truth.json` beside it) is changed in each of the ways
below and extracted again. Prints, per change, the document-type accuracy, dose recall (group
and date, as `bench.extraction_accuracy` counts it), how many documents were accepted without
review and how many of those were not exactly right: the figure that must stay at zero; and
how many doses were shown sure but wrong, on any document.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

Change = Callable[[Image.Image, float], tuple[Image.Image, float | None]]


def _resampled(dpi: float) -> Change:
    def change(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
        scale = dpi / page_dpi
        size = (round(page.width * scale), round(page.height * scale))
        return page.resize(size, Image.Resampling.LANCZOS), dpi
    return change


def _noisy(sigma: float) -> Change:
    def change(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
        # The same grain on every run, so two runs of the bench compare.
        grain = np.random.default_rng(1).normal(0, sigma, (page.height, page.width))
        pixels = np.clip(np.asarray(page, dtype=np.float64) + grain, 0, 255)
        return Image.fromarray(pixels.astype(np.uint8)), page_dpi
    return change


def _tilted(degrees: float) -> Change:
    def change(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
        return page.rotate(degrees, Image.Resampling.BICUBIC, expand=True, fillcolor=255), page_dpi
    return change


def _turned(quarters: int) -> Change:
    def change(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
        return page.rotate(90 * quarters, expand=True), page_dpi
    return change


def _on_dark_bed(inches: float) -> Change:
    def change(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
        # The scanner's lid left open: the glass around the sheet comes out nearly black.
        border = round(inches * page_dpi)
        bed = Image.new("L", (page.width + 2 * border, page.height + 2 * border), 25)
        bed.paste(page, (border, border))
        return bed, page_dpi
    return change


def _faded(ink_left: float) -> Change:
    def change(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
        # A worn card or a light scanner setting: every stroke keeps only part of its darkness.
        pixels = 255 - (255 - np.asarray(page, dtype=np.float64)) * ink_left
        return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), page_dpi
    return change


def _shadowed(darkest: float) -> Change:
    def change(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
        # Uneven light across a copy-stand or phone scan: one side of the sheet in shadow.
        light = np.linspace(1.0, darkest, page.width)[np.newaxis, :]
        pixels = np.asarray(page, dtype=np.float64) * light
        return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), page_dpi
    return change


def _blurred(pixels: float) -> Change:
    def change(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
        # A scanner out of focus or a shaken phone: strokes soften into their surroundings.
        radius = pixels * page_dpi / 300.0
        return page.filter(ImageFilter.GaussianBlur(radius)), page_dpi
    return change


def _faxed(page: Image.Image, page_dpi: float) -> tuple[Image.Image, float | None]:
    # A fax or a bilevel office scan: 200 dpi, one bit a pixel, no grey to soften strokes. The
    # machine sets its one threshold from the whole sheet, as Otsu's method does.
    from extract.cleanup import binarise

    small, dpi = _resampled(200.0)(page, page_dpi)
    return Image.fromarray(binarise(np.asarray(small, dtype=np.uint8))), dpi


_STAMPED_HEADER = "Case 1234567  Doc 000042  Received 12/01/2026  Page 1 of 1"

CHANGES: dict[str, Change] = {
    "unchanged": lambda page, dpi: (page, dpi),
    "turned 90": _turned(1),
    "turned 180": _turned(2),
    "turned 270": _turned(3),
    "tilted 3 deg": _tilted(3.0),
    "tilted -5 deg": _tilted(-5.0),
    "rescanned 150 dpi": _resampled(150.0),
    "rescanned 400 dpi": _resampled(400.0),
    "no dpi in file": lambda page, dpi: (page, None),
    # Software's default resolution written over the scan's: a phone's or an editor's 72 dpi,
    # in the image or in a PDF made from it at its pixel count (a 300 dpi letter scan becomes
    # a 35 x 46 in page).
    "stamped 72 dpi": lambda page, dpi: (page, 72.0),
    "pdf at 72 dpi": lambda page, dpi: (page, 72.0),  # encoded below
    "jpeg quality 25": lambda page, dpi: (page, dpi),  # encoded as JPEG below
    # A scanning station's "searchable PDF": the picture with the station's own OCR of it laid
    # over it in invisible text (made here by Tesseract's PDF renderer, as OCRmyPDF does).
    "searchable pdf": lambda page, dpi: (page, dpi),  # encoded below
    # A county imaging system's export: the scan in a PDF with a header line stamped on it as
    # text (case, document number, date received, page).
    "pdf with a stamped header": lambda page, dpi: (page, dpi),  # encoded below
    "noise sigma 8": _noisy(8.0),
    "noise sigma 15": _noisy(15.0),
    "on a dark scanner bed": _on_dark_bed(0.5),
    "faded to 45% ink": _faded(0.45),
    "shadow to 60% light": _shadowed(0.6),
    "faxed 200 dpi bilevel": _faxed,
    "blurred 1 px at 300 dpi": _blurred(1.0),
    "blurred 2 px at 300 dpi": _blurred(2.0),
}


def _encode(page: Image.Image, dpi: float | None, name: str) -> bytes:
    out = io.BytesIO()
    params: dict[str, Any] = {} if dpi is None else {"dpi": (dpi, dpi)}
    if name.startswith("jpeg"):
        page.save(out, format="JPEG", quality=25, **params)
    elif name == "pdf at 72 dpi":
        page.save(out, format="PDF", resolution=72.0)
    elif name == "pdf with a stamped header":
        from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
        from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

        inches = (page.width / (dpi or 200.0), page.height / (dpi or 200.0))
        size = (inches[0] * 72, inches[1] * 72)
        canvas = Canvas(out, pagesize=size)
        canvas.drawImage(ImageReader(page), 0, 0, *size)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(18, size[1] - 12, _STAMPED_HEADER)
        canvas.showPage()
        canvas.save()
    elif name == "searchable pdf":
        import pytesseract  # type: ignore[import-untyped]

        # Tesseract sizes the PDF page from the resolution it is told.
        config = "" if dpi is None else f"--dpi {round(dpi)}"
        pdf: bytes = pytesseract.image_to_pdf_or_hocr(page, extension="pdf", config=config)
        return pdf
    else:
        page.save(out, format="PNG", **params)
    return out.getvalue()


def _run(job: tuple[str, str]) -> dict[str, Any]:
    from bench.extraction_accuracy import _score
    from engine.errors import ShotcheckError
    from extract import extract_document
    from extract.load import load_pages
    from extract.settings import ExtractSettings

    path, name = job
    truth = json.loads(Path(f"{path}.truth.json").read_text())
    (page,) = load_pages(Path(path).read_bytes(), ExtractSettings())
    changed, dpi = CHANGES[name](Image.fromarray(page.image), page.dpi)
    try:
        result = json.loads(extract_document(_encode(changed, dpi, name)).model_dump_json())
    except ShotcheckError:  # a failed or refused file: nothing read, never fatal for the bench
        result = None
    return {"file": Path(path).name, "change": name, **_score(truth, result)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=12, help="documents (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="comma-separated change names")
    parser.add_argument("--json", type=Path, help="write per-document outcomes here")
    args = parser.parse_args(argv)
    names = list(CHANGES) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in CHANGES]
    if unknown:
        parser.error(f"unknown change {unknown}; one of {list(CHANGES)}")
    files = []
    for truth_path in sorted(args.folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        if truth["page_count"] == 1 and truth["format"] in ("png", "jpeg", "tiff"):
            files.append(str(truth_path.with_name(truth_path.name.removesuffix(".truth.json"))))
    if args.limit:
        files = files[: args.limit]
    jobs = [(path, name) for name in names for path in files]
    with ProcessPoolExecutor(args.workers) as pool:
        runs = list(pool.map(_run, jobs))
    print(f"corpus: {args.folder} ({len(files)} single-page image documents)")
    print(f"{'change':22} {'type right':>11} {'dose recall':>13} {'accepted':>9} "
          f"{'accepted, wrong':>16} {'doses sure, wrong':>18}")
    for name in names:
        mine = [r for r in runs if r["change"] == name]
        found = sum(r["recall"][0] for r in mine)
        total = sum(r["recall"][1] for r in mine)
        accepted = [r for r in mine if r["accepted"]]
        wrong = [r["file"] for r in accepted if not r["exact"]]
        print(f"{name:22} {sum(r['type_ok'] for r in mine):>5}/{len(mine):<5} "
              f"{found:>6}/{total:<6} {len(accepted):>9} {len(wrong):>16} "
              f"{sum(r['doses_sure_wrong'] for r in mine):>18}"
              + (f"  {', '.join(wrong)}" if wrong else ""))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
