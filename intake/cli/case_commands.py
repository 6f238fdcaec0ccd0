"""The `case` subcommand: a case's verification due date, penalty and reminders."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.case import Timeline, parse_case, plan_case
from engine.errors import BadCase
from engine.rules import DEFAULT_PACK

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `shotcheck case CASE.json [--rules PACK] [--json]` to the parser."""
    parser = sub.add_parser(
        "case",
        help="a case's immunization verification due date, penalty and reminders",
        description="Work out when verification is due, whether the penalty applies, from "
        "and until when, and the follow-ups to set.",
    )
    parser.add_argument("case_file", metavar="CASE.json", help="the case JSON file, or - for stdin")
    parser.add_argument("--rules", default=DEFAULT_PACK, help=f"rule pack (default {DEFAULT_PACK})")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=_run_case)


def _read(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadCase(f"{path.name}: cannot read the case file ({exc.strerror})") from exc


def _as_text(timeline: Timeline) -> str:
    penalty = timeline.penalty
    due = timeline.due_date.isoformat() if timeline.due_date else "not set yet"
    lines = [f"due date: {due}", f"penalty: {'applies' if penalty.applies else 'none'}"]
    if penalty.applies:
        lines += [
            f"  effective from: {penalty.effective_from or 'after the notice of action'}",
            f"  last month: {penalty.ends_after or '-'}",
            f"  restored from: {penalty.restored_from or '-'}",
            f"  penalized: {', '.join(penalty.penalized)}",
        ]
    lines += ["reminders:"] + [f"  {r.date.isoformat()}  {r.action}" for r in timeline.reminders]
    return "\n".join(lines + [""] + list(timeline.explanation))


def _run_case(args: argparse.Namespace) -> int:
    path = Path(args.case_file)
    name = "stdin" if args.case_file == "-" else path.name
    timeline = plan_case(parse_case(_read(path), name), args.rules)
    if args.json:
        print(json.dumps(timeline.to_json(), indent=2))
    else:
        print(_as_text(timeline))
    return 0
