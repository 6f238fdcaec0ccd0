"""Extraction accuracy and speed over a corpus with ground truth (`<file>.truth.json` beside it).

    python -m bench.extraction_accuracy DIR [--limit N] [--workers 2] [--json OUT]

Prints: document-type accuracy; of the documents accepted without review, the share whose birth
date and every dose (vaccine groups and date) are exactly right; how often the child's name is
right, and how often it is wrong but shown sure; how many doses are shown sure but wrong; the
review rate by variant, and by mode among the documents that carry no expected flag (the
documents spec sends every flagged document to a reviewer, so only these reviews are the
extraction's to avoid);
dose recall for typed and handwritten documents; flag recall (all flags, each once per dose,
by code and field, and the share of documents with every expected flag raised); seconds per
page on the given workers beside plain `tesseract` on the same pages; text-layer PDF pages per
second.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from extract.settings import ExtractSettings

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# A field at or over the review threshold is shown to a reviewer as read.
_SURE: float = ExtractSettings.model_fields["review_threshold"].default


def _expected_flags(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """The truth's flags, once per dose: as dose recall counts a combination once.

    The corpus writes a combination product on every row it covers (Vaxelis on the Polio, DTaP,
    Hib and Hep B rows) and flags each row's missing date; the documents spec makes those rows
    one dose ("the same product on the same date is one dose"), and one dose carries the flag
    once.
    """
    seen: set[tuple[str, str]] = set()
    expected = []
    for flag in truth["flags"]:
        field = flag["field"]
        if field.startswith("doses["):
            row = int(field[len("doses["):field.index("]")])
            first = truth["doses"][row].get("same_as")
            field = f"doses[{row if first is None else first}]{field[field.index(']') + 1:]}"
        if (flag["code"], field) not in seen:
            seen.add((flag["code"], field))
            expected.append(flag)
    return expected


def _unit_key(groups: Iterable[str], date: str | None) -> tuple[tuple[str, ...], str | None]:
    return tuple(sorted(groups)), date


def _truth_units(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """Doses as the record should count them: once per product and day as written."""
    return [d for d in truth["doses"] if d.get("same_as") is None]


def _run_one(path: str) -> dict[str, Any]:
    from engine.errors import ExternalToolError
    from extract import extract_document

    data = Path(path).read_bytes()
    started = time.perf_counter()
    try:
        result = extract_document(data, filename=Path(path).name)
        payload = json.loads(result.model_dump_json())
        error = None
    except ExternalToolError as exc:  # counted, never fatal for the bench
        payload, error = None, str(exc)
    return {"path": path, "seconds": time.perf_counter() - started, "result": payload,
            "error": error}


def _tesseract_page_seconds(path: str) -> tuple[float, int]:
    """Plain `tesseract PAGE stdout` on each loaded page, for comparison."""
    from bench.extraction_speed import plain_tesseract

    return plain_tesseract(Path(path).read_bytes())


def _score(truth: dict[str, Any], result: dict[str, Any] | None) -> dict[str, Any]:
    units = _truth_units(truth)
    # Recall counts the doses written with a full date: the others cannot be matched by date.
    dated = [d for d in units if d["date_precision"] == "day" and d["date"]]
    if result is None:
        return {"type_ok": False, "accepted": False, "exact": False, "name_ok": False,
                "name_sure_wrong": False, "birth_ok": False, "birth_sure_wrong": False,
                "recall": (0, len(dated)), "doses_sure_wrong": 0,
                "flags": (0, len(_expected_flags(truth))),
                "flags_missed": [f["code"] for f in _expected_flags(truth)]}
    want = Counter(_unit_key(d["groups"], d["date"]) for d in units)
    got = Counter(_unit_key(d["groups"], d["date"]["value"]) for d in result["doses"])
    birth = result["child"]["birth_date"]
    birth_ok = truth["child"] is None or birth["value"] == truth["child"]["birth_date"]
    exact = birth_ok and want == got
    pool = Counter((tuple(sorted(d["groups"])), d["date"]["value"]) for d in result["doses"])
    found = 0
    for unit in dated:
        key = (tuple(sorted(unit["groups"])), unit["date"])
        if pool[key] > 0:
            pool[key] -= 1
            found += 1
    sure_wrong = _doses_sure_wrong(want, result["doses"], result["flags"])
    expected = _expected_flags(truth)
    missed = _flags_missed(truth, expected, result)
    flagged = len(expected) - len(missed)
    name = result["child"]["name"]
    name_ok = truth["child"] is None or name["value"] == truth["child"]["name"]
    return {"type_ok": result["document_type"] == truth["document_type"],
            "accepted": not result["needs_review"], "exact": exact, "name_ok": name_ok,
            # A wrong name shown as sure: the reviewer has no reason to look at it.
            "name_sure_wrong": not name_ok and name["confidence"] >= _SURE,
            "birth_ok": birth_ok, "birth_sure_wrong": not birth_ok and birth["confidence"] >= _SURE,
            "recall": (found, len(dated)), "doses_sure_wrong": sure_wrong,
            "flags": (flagged, len(expected)), "flags_missed": missed}


def _dose_row(field: str) -> int | None:
    """The row a flag's field names ('doses[3].date' -> 3), or None for a document's field."""
    return int(field[len("doses["):field.index("]")]) if field.startswith("doses[") else None


def _flags_missed(truth: dict[str, Any], expected: list[dict[str, Any]],
                  result: dict[str, Any]) -> list[str]:
    """The codes of the expected flags that no raised flag stands for.

    A raised flag stands for an expected one when it has the same code and names the same
    field: the same document field ('signature.date'), or a field of a dose of the same vaccine
    group (the truth's rows and the result's doses are not numbered alike). An unknown vaccine
    has no group on either side: its dose must then also not be read with the date of another
    dose the document holds, or a name left unread on another row would stand for it (a date
    misread on the unknown vaccine's own row still pairs). By code alone, a document's ten
    unreadable dates would stand for a missing date it never raised.
    """
    raised: list[tuple[str, str | None, frozenset[str], str | None]] = []
    doses = result["doses"]
    for flag in result["flags"]:
        row = _dose_row(flag["field"])
        dose = doses[row] if row is not None and row < len(doses) else None
        groups = frozenset(dose["groups"]) if dose is not None else frozenset()
        read = dose["date"]["value"] if dose is not None else None
        raised.append((flag["code"], flag["field"] if row is None else None, groups, read))
    missed: list[str] = []
    days = {dose["date"] for dose in truth["doses"]} - {None}
    for flag in expected:
        row = _dose_row(flag["field"])
        want = frozenset() if row is None else frozenset(truth["doses"][row]["groups"])
        others = days - {None if row is None else truth["doses"][row]["date"]}
        for index, (code, field, groups, read) in enumerate(raised):
            same_field = field == flag["field"] if row is None else \
                field is None and (bool(groups & want) or (
                    groups == want and (bool(want) or read not in others)))
            if code == flag["code"] and same_field:
                del raised[index]
                break
        else:
            missed.append(flag["code"])
    return missed


def _doses_sure_wrong(want: Counter[tuple[tuple[str, ...], str | None]],
                      doses: list[dict[str, Any]], flags: list[dict[str, Any]]) -> int:
    """Doses shown sure (vaccine and date), and named by no flag, that the document does not hold.

    A reviewer checks what is shown unsure or flagged; a wrong dose shown sure on a reviewed
    document is as likely to reach the case as one on an accepted document. A flagged dose (a
    duplicate kept as written) is in front of the reviewer.
    """
    flagged = {f["field"].split("]")[0] + "]" for f in flags if f["field"].startswith("doses[")}
    pool = Counter(want)
    wrong = 0
    for index, dose in enumerate(doses):
        if (min(dose["date"]["confidence"], dose["vaccine_text"]["confidence"]) < _SURE
                or f"doses[{index}]" in flagged):
            continue
        key = _unit_key(dose["groups"], dose["date"]["value"])
        if pool[key] > 0:
            pool[key] -= 1
        else:
            wrong += 1
    return wrong


def _variant_keys(truth: dict[str, Any]) -> list[str]:
    variants = set(truth["variants"])
    mode = "typed" if "typed" in variants or truth["format"] == "pdf_text" or \
        truth["document_type"] == "cair2_report" and "handwritten" not in variants else \
        "handwritten" if "handwritten" in variants else "typed"
    return [f"format:{truth['format']}", f"mode:{mode}", f"type:{truth['document_type']}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true", help="skip plain tesseract timing")
    parser.add_argument("--json", type=Path, help="write per-document outcomes here")
    args = parser.parse_args(argv)
    truths = sorted(args.folder.glob("*.truth.json"))
    if args.limit:
        truths = truths[: args.limit]
    files = [str(t.with_name(t.name.removesuffix(".truth.json"))) for t in truths]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        runs = list(pool.map(_run_one, files))
    wall = time.perf_counter() - started
    per_variant: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    unflagged_review: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    recall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    totals: Counter[str] = Counter()
    flags_hit = flags_all = 0
    flag_codes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    image_pages = text_pages = 0
    image_seconds = text_seconds = 0.0
    outcomes = []
    for truth_path, run in zip(truths, runs, strict=True):
        truth = json.loads(truth_path.read_text())
        score = _score(truth, run["result"])
        keys = _variant_keys(truth)
        totals["documents"] += 1
        totals["type_ok"] += score["type_ok"]
        totals["errors"] += run["error"] is not None
        if score["accepted"]:
            totals["accepted"] += 1
            totals["accepted_exact"] += score["exact"]
            totals["accepted_name_ok"] += score["name_ok"]
        totals["names_ok"] += score["name_ok"]
        totals["names_sure_wrong"] += score["name_sure_wrong"]
        totals["doses_sure_wrong"] += score["doses_sure_wrong"]
        if truth["child"] is not None:
            totals["children"] += 1
            totals["births_ok"] += score["birth_ok"]
            totals["births_sure_wrong"] += score["birth_sure_wrong"]
        for key in keys:
            per_variant[key][0] += not score["accepted"]
            per_variant[key][1] += 1
        mode = next(k for k in keys if k.startswith("mode:"))
        if not truth["flags"]:
            unflagged_review[mode][0] += not score["accepted"]
            unflagged_review[mode][1] += 1
        recall[mode][0] += score["recall"][0]
        recall[mode][1] += score["recall"][1]
        flags_hit += score["flags"][0]
        flags_all += score["flags"][1]
        if truth["flags"]:
            totals["flagged_documents"] += 1
            totals["flagged_documents_complete"] += not score["flags_missed"]
        for code, count in Counter(f["code"] for f in _expected_flags(truth)).items():
            flag_codes[code][0] += count - score["flags_missed"].count(code)
            flag_codes[code][1] += count
        if truth["format"] == "pdf_text":
            text_pages += truth["page_count"]
            text_seconds += run["seconds"]
        else:
            image_pages += truth["page_count"]
            image_seconds += run["seconds"]
        outcomes.append({"file": truth["file"], **score, "seconds": round(run["seconds"], 2),
                         "error": run["error"],
                         "review_reasons": (run["result"] or {}).get("review_reasons", [])[:6]})
    def share(a: int, b: int) -> str:
        return f"{100 * a / b:.1f}% ({a}/{b})" if b else "n/a"

    print(f"corpus: {args.folder} ({totals['documents']} documents, {args.workers} workers)")
    print(f"document type accuracy: {share(totals['type_ok'], totals['documents'])}")
    print(f"accepted without review: {share(totals['accepted'], totals['documents'])}; of them "
          f"exactly right (birth date, every dose group and date): "
          f"{share(totals['accepted_exact'], totals['accepted'])}")
    print(f"child's name right: {share(totals['names_ok'], totals['documents'])}; on accepted "
          f"documents {share(totals['accepted_name_ok'], totals['accepted'])}; wrong but shown "
          f"sure (confidence >= {_SURE}): {totals['names_sure_wrong']}")
    print(f"child's birth date right: {share(totals['births_ok'], totals['children'])}; wrong "
          f"but shown sure (confidence >= {_SURE}): {totals['births_sure_wrong']}")
    print(f"doses shown sure (vaccine and date confidence >= {_SURE}) that the document does "
          f"not hold: {totals['doses_sure_wrong']}")
    print("review rate by variant:")
    for key in sorted(per_variant):
        print(f"  {key:<24} {share(*per_variant[key])}")
    print("review rate of documents with no expected flag (every flagged one must be reviewed):")
    for key in sorted(unflagged_review):
        print(f"  {key:<24} {share(*unflagged_review[key])}")
    for mode in sorted(recall):
        print(f"dose recall {mode}: {share(*recall[mode])}")
    print(f"flag recall: {share(flags_hit, flags_all)}")
    print(f"documents with every expected flag raised: "
          f"{share(totals['flagged_documents_complete'], totals['flagged_documents'])}")
    print("flag recall by code: " + ", ".join(
        f"{code} {hit}/{count}" for code, (hit, count) in sorted(flag_codes.items())))
    print(f"OCR errors (ExternalToolError): {totals['errors']}")
    if image_pages:
        print(f"image pages: {image_seconds / image_pages:.2f} s/page per worker; "
              f"{wall / (image_pages + text_pages):.2f} s/page wall on {args.workers} workers")
    if text_pages:
        print(f"text-layer PDF: {text_pages / text_seconds:.1f} pages/s per worker")
    if image_pages and not args.no_baseline:
        started = time.perf_counter()
        image_files = [f for f, t in zip(files, truths, strict=True)
                       if json.loads(t.read_text())["format"] != "pdf_text"]
        with ProcessPoolExecutor(args.workers) as pool:
            timings = list(pool.map(_tesseract_page_seconds, image_files))
        base_wall = time.perf_counter() - started
        seconds = sum(t for t, _ in timings)
        pages = sum(n for _, n in timings)
        print(f"plain tesseract full page: {seconds / max(pages, 1):.2f} s/page per worker; "
              f"{base_wall / max(pages, 1):.2f} s/page wall on {args.workers} workers")
    if args.json:
        args.json.write_text(json.dumps(outcomes, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
