"""Subcommands that need only the engine: `check` (and `case`, once the case timeline lands).

`shotcheck check RECORD.json --json` prints one result. `shotcheck check --jsonl FILE --json`
reads one record per line and writes one line per non-blank input line, in order: the result,
or for a line that is not a valid record `{"line": n, "error": {"code", "message"}}`; it goes on
after a bad line, says so on stderr, and exits 2 at the end if any line was bad. `-` reads
standard input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from pydantic import ValidationError

from engine.check import CheckResult, check_record
from engine.errors import BadInput, BadRecord, ShotcheckError
from engine.model import Record

__all__ = ["register"]


def _as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the engine's subcommands to the `shotcheck` parser."""
    check = sub.add_parser(
        "check",
        help="evaluate a record's doses and forecast its vaccine groups (CDSi)",
        description="Evaluate a record (JSON) the CDSi way; exit 0 whatever the verdict, "
        "2 for a bad record.",
    )
    check.add_argument("record", nargs="?", help="the record JSON file, or - for stdin")
    check.add_argument("--jsonl", metavar="FILE", help="one record per line (- for stdin)")
    check.add_argument("--rules", default="calworks-sc", help="rule pack (default calworks-sc)")
    check.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD", help="assessment date")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.set_defaults(handler=_run_check)


def _validation_message(exc: ValidationError) -> str:
    # One line naming the first field at fault: "record: child.birth_date: field required".
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    message = str(first["msg"])
    return f"record: {where}: {message[:1].lower()}{message[1:]}"


def _parse_record(text: str) -> Record:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"record: not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    try:
        return Record.model_validate(raw)
    except ValidationError as exc:
        raise BadRecord(_validation_message(exc)) from exc


def _open(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise BadInput(f"{path}: {exc.strerror or exc}") from exc


def _check(record: Record, args: argparse.Namespace) -> CheckResult:
    return check_record(record, as_of=args.as_of, rules=args.rules)


def _summary(result: CheckResult) -> str:
    lines = [f"as of {result.as_of} ({result.rules})"]
    assert result.cdsi is not None
    for group, forecast in result.forecast.items():
        valid = len(result.cdsi.valid_doses.get(group, ()))
        line = f"  {group.value:<10} {forecast.status.value:<13} {valid} valid dose(s)"
        if forecast.dose_number is not None:
            line += (
                f"; dose {forecast.dose_number} earliest {forecast.earliest},"
                f" recommended {forecast.recommended}, past due {forecast.past_due or '-'}"
            )
        lines.append(line)
    not_valid = [
        f"  dose {d.index}: {g.value} {e.status.value}" + (f" ({e.reason})" if e.reason else "")
        for d in result.doses
        for g, e in d.evaluations.items()
        if e.status.value != "valid"
    ]
    if not_valid:
        lines.append("doses not counted:")
        lines.extend(not_valid)
    return "\n".join(lines)


def _emit(result: CheckResult, as_json: bool) -> None:
    print(result.model_dump_json() if as_json else _summary(result))


def _code(exc: ShotcheckError) -> str:
    # "UnknownVaccine" -> "unknown_vaccine": the error codes a reader of the JSON lines sees.
    name = type(exc).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _lines(stream: IO[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield number, line


def _run_jsonl(args: argparse.Namespace) -> int:
    bad = 0
    stream = _open(args.jsonl)
    try:
        for number, line in _lines(stream):
            try:
                result = _check(_parse_record(line), args)
            except BadInput as exc:
                bad += 1
                error: dict[str, Any] = {
                    "line": number,
                    "error": {"code": _code(exc), "message": str(exc)},
                }
                print(json.dumps(error))
                print(f"shotcheck: line {number}: {exc}", file=sys.stderr)
                continue
            _emit(result, args.json)
    finally:
        if stream is not sys.stdin:
            stream.close()
    return BadInput.exit_code if bad else 0


def _run_check(args: argparse.Namespace) -> int:
    if args.jsonl and args.record:
        raise BadInput("give a RECORD file or --jsonl FILE, not both")
    if args.jsonl:
        return _run_jsonl(args)
    if not args.record:
        raise BadInput("give a RECORD file (or - for stdin), or --jsonl FILE")
    stream = _open(args.record)
    try:
        text = stream.read()
    finally:
        if stream is not sys.stdin:
            stream.close()
    _emit(_check(_parse_record(text), args), args.json)
    return 0
