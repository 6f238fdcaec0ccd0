"""Fake pipelines for tests, benchmarks and demos: succeed, need review, crash, hang, eat memory.

They are importable by name (``SHOTCHECK_PIPELINE=intake.fakes:succeeding``) so worker processes
started by tests and the load benchmark use them too. A document may carry the Record the fake
should "read" after the marker ``RECORD:`` (JSON); without one a fixed synthetic child is used.
``TYPE:kind`` and ``FLAGS:code,code`` lines set the document type and the flags the fake
reports (for the queue's filters). ``POISON`` anywhere in the bytes makes every fake crash. With
``SHOTCHECK_FAKE_CALLS_DIR`` set, each call leaves a file there (for exactly-once tests);
``SHOTCHECK_FAKE_DELAY`` slows each call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import struct
import time
import uuid
import zlib
from pathlib import Path
from typing import Any

from engine.errors import BadRecord
from engine.model import Record
from intake.pipeline import PipelineOutcome

__all__ = [
    "FakePipeline",
    "crashing",
    "hanging",
    "memory_hog",
    "needs_review",
    "succeeding",
    "tiny_png",
]

_DEFAULT_RECORD: dict[str, Any] = {
    "child": {"name": "Test Child", "birth_date": "2022-03-14"},
    "doses": [{"date": "2023-05-20", "vaccine": "MMR"}],
}


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid grey PNG of the given size (a fake page image, or an upload in tests)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def _record_in(data: bytes) -> dict[str, Any]:
    marker = data.find(b"RECORD:")
    if marker < 0:
        return dict(_DEFAULT_RECORD)
    end = data.find(b"\n", marker)
    loaded: dict[str, Any] = json.loads(data[marker + 7:end if end >= 0 else None])
    return loaded


def _marker(data: bytes, marker: bytes) -> str:
    start = data.find(marker)
    if start < 0:
        return ""
    end = data.find(b"\n", start)
    return data[start + len(marker):end if end >= 0 else None].decode("ascii", "replace").strip()


class FakePipeline:
    """A pipeline that reads the Record out of the bytes; `mode` picks how it behaves."""

    def __init__(self, mode: str = "succeed") -> None:
        self.mode = mode

    @property
    def version(self) -> str:
        """Fakes of one mode share cached results."""
        return f"fake/{self.mode}"

    def process(self, data: bytes, filename: str) -> PipelineOutcome:
        """Behave as the mode says; see the module docstring."""
        self._note_call(data)
        if b"POISON" in data or self.mode == "crash":
            raise RuntimeError("the fake parser crashed on this document")
        if self.mode == "hang":
            time.sleep(3600)
        if self.mode == "memory":
            hoard = []
            while True:  # until RLIMIT_AS says no
                hoard.append(bytearray(64 * 1024 * 1024))
        record = _record_in(data)
        flags = [{"code": code, "field": "document", "message": f"the fake flags {code}"}
                 for code in _marker(data, b"FLAGS:").split(",") if code]
        extraction = {
            "document_type": _marker(data, b"TYPE:") or "yellow_card",
            "type_confidence": 0.99,
            "child": {"name": {"value": record["child"].get("name")},
                      "birth_date": {"value": record["child"]["birth_date"]}},
            "doses": [{"vaccine": d.get("vaccine"), "cvx": d.get("cvx"),
                       "date": {"value": d["date"]}} for d in record.get("doses", [])],
            "flags": flags,
            "needs_review": self.mode == "review",
            "review_reasons": ["a fake asks for review"] if self.mode == "review" else [],
            "record": record,
            "pages": {"count": 1, "sizes": [[2, 2]]},
        }
        return PipelineOutcome(
            extraction=extraction,
            pages=[tiny_png()],
            check=self.check(record, dt.date.today()),
            needs_review=self.mode == "review",
        )

    def check(self, record: dict[str, Any], as_of: dt.date) -> dict[str, Any] | None:
        """A stand-in for the engine: validates the Record and counts its doses."""
        try:
            parsed = Record.model_validate(record)
        except ValueError as exc:
            raise BadRecord(f"the record does not match the Record contract: {exc}") from exc
        count = len(parsed.doses)
        return {
            "as_of": as_of.isoformat(),
            "rules": "fake",
            "status": "up_to_date" if count >= 2 else "in_process",
            "groups": {},
            "doses": [{"index": i, "evaluations": {}} for i in range(count)],
            "forecast": {},
            "explanation": [f"{count} doses counted by the fake engine"],
        }

    @staticmethod
    def _note_call(data: bytes) -> None:
        calls = os.environ.get("SHOTCHECK_FAKE_CALLS_DIR")
        if calls:
            digest = hashlib.sha256(data).hexdigest()
            Path(calls, f"{digest}.{uuid.uuid4().hex}").touch()
        delay = float(os.environ.get("SHOTCHECK_FAKE_DELAY", "0") or 0)
        if delay:
            time.sleep(delay)


def succeeding() -> FakePipeline:
    """Reads the document, needs no review."""
    return FakePipeline("succeed")


def needs_review() -> FakePipeline:
    """Reads the document and asks for a reviewer."""
    return FakePipeline("review")


def crashing() -> FakePipeline:
    """Raises on every document (retried, then dead)."""
    return FakePipeline("crash")


def hanging() -> FakePipeline:
    """Never answers (the time limit ends it)."""
    return FakePipeline("hang")


def memory_hog() -> FakePipeline:
    """Allocates until the memory limit stops it."""
    return FakePipeline("memory")
