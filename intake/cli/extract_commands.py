"""Subcommands of the extraction stage: `extract` (a scan to a result) and `ocr` (debugging)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.errors import BadInput

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `extract` and `ocr` to the `shotcheck` parser."""
    extract = sub.add_parser("extract", help="read a scan or PDF into doses, flags and a Record")
    extract.add_argument("file", type=Path, help="PNG, JPEG, TIFF or PDF")
    extract.add_argument("--json", action="store_true", help="print the result as JSON")
    extract.set_defaults(handler=_extract)
    ocr = sub.add_parser("ocr", help="the cleaned page's words with boxes and confidences")
    ocr.add_argument("image", type=Path, help="PNG, JPEG, TIFF or PDF")
    ocr.add_argument("--json", action="store_true", help="print the words as JSON")
    ocr.set_defaults(handler=_ocr)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from exc


def _extract(args: argparse.Namespace) -> int:
    from extract import extract_document

    result = extract_document(_read(args.file), filename=args.file.name)
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    child = result.child
    print(f"{result.document_type.value} ({result.type_confidence:.2f}): "
          f"{child.name.value or '?'}, born {child.birth_date.value or '?'}")
    for index, dose in enumerate(result.doses):
        print(f"  [{index}] {dose.vaccine or dose.vaccine_text.text!s:<14} "
              f"{dose.date.value or dose.date.text or '-'!s:<12} {dose.provider.value or ''}")
    for flag in result.flags:
        print(f"  ! {flag.code.value} ({flag.field}): {flag.message}")
    print("needs review" if result.needs_review else "accepted")
    return 0


def _ocr(args: argparse.Namespace) -> int:
    from extract.debug import read_document_words

    pages = read_document_words(_read(args.image))
    if args.json:
        json.dump(pages, sys.stdout, indent=1)
        print()
        return 0
    for page in pages:
        print(f"page {page['page']} ({page['width']}x{page['height']}, {page['source']})")
        for word in page["words"]:
            print(f"  {word['confidence']:.2f} {word['box']} {word['text']}")
    return 0
