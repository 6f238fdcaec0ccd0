"""The hot folder: a scanning station's directory whose finished files are uploaded once.

A file is sent when its size and modification time have held still for the settle time and no
process holds a lock on it. Sent files move to ``sent/`` with the document id in the name;
files the server refuses (wrong type, too large, corrupt) move to ``rejected/`` with the reason
in a ``.txt`` beside them; while the server is down files stay where they are and are retried.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["HotFolder", "Outcome"]

log = logging.getLogger("shotcheck.watch")

_SKIP_SUFFIXES = (".part", ".tmp", ".crdownload", ".txt")
# Refusals that are about the file; 401/403 are about the key and must not discard scans.
_FILE_REFUSED = frozenset({400, 413, 415, 422})


@dataclass(frozen=True)
class Outcome:
    """What happened to one file in a scan."""

    name: str
    result: str  # sent | rejected | retry
    detail: str


class HotFolder:
    """Watch one directory; `scan_once` is the unit tests drive, `run` loops it."""

    def __init__(self, directory: Path, server: str, key: str, *, case_number: str | None = None,
                 settle_seconds: float = 2.0, client: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.directory = directory
        self.sent = directory / "sent"
        self.rejected = directory / "rejected"
        for folder in (self.sent, self.rejected):
            folder.mkdir(parents=True, exist_ok=True)
        self.case_number = case_number
        self.settle_seconds = settle_seconds
        self.client = client or httpx.Client(base_url=server, timeout=60.0)
        self.key = key
        self.clock = clock
        self._seen: dict[str, tuple[int, int, float]] = {}

    def run(self, interval: float = 2.0) -> None:
        """Scan forever (until interrupted)."""
        while True:
            self.scan_once()
            time.sleep(interval)

    def scan_once(self) -> list[Outcome]:
        """Send every file that is completely written; returns what happened to each."""
        outcomes = []
        for path in sorted(self.directory.iterdir()):
            if not path.is_file() or path.name.startswith(".") or path.name.endswith(
                    _SKIP_SUFFIXES):
                continue
            if self._is_ready(path):
                outcome = self._send(path)
                outcomes.append(outcome)
                if outcome.result == "retry":
                    break  # the server is down: the rest would fail the same way
        return outcomes

    def _is_ready(self, path: Path) -> bool:
        stat = path.stat()
        signature = (stat.st_size, stat.st_mtime_ns)
        now = self.clock()
        previous = self._seen.get(path.name)
        if previous is None or previous[:2] != signature:
            self._seen[path.name] = (*signature, now)
            return False
        return now - previous[2] >= self.settle_seconds and not _is_locked(path)

    def _send(self, path: Path) -> Outcome:
        data = path.read_bytes()
        form = {"case_number": self.case_number} if self.case_number else {}
        try:
            response = self.client.post(
                "/api/v1/documents", files={"file": (path.name, data)}, data=form,
                headers={"Authorization": f"Bearer {self.key}"})
        except httpx.HTTPError as exc:
            log.warning("server unreachable, %s stays for the next try: %s", path.name, exc)
            return Outcome(path.name, "retry", str(exc))
        if response.status_code == 202:
            document_id = response.json()["documents"][0]["id"]
            _move(path, self.sent / f"{document_id}_{path.name}")
            self._seen.pop(path.name, None)
            log.info("sent %s as document %s", path.name, document_id)
            return Outcome(path.name, "sent", document_id)
        reason = _reason(response)
        if response.status_code in _FILE_REFUSED:
            target = _move(path, self.rejected / path.name)
            target.with_name(target.name + ".txt").write_text(
                f"HTTP {response.status_code}: {reason}\n", encoding="utf-8")
            self._seen.pop(path.name, None)
            log.warning("rejected %s: %s", path.name, reason)
            return Outcome(path.name, "rejected", reason)
        log.warning("server answered %s for %s; will retry: %s", response.status_code, path.name,
                    reason)
        return Outcome(path.name, "retry", reason)


def _reason(response: httpx.Response) -> str:
    try:
        return str(response.json().get("message", response.text))
    except ValueError:
        return response.text[:500]


def _is_locked(path: Path) -> bool:
    # Scanner software that holds an exclusive (or shared) lock is still writing.
    try:
        with path.open("rb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except BlockingIOError:
        return True
    except OSError:
        return True
    return False


def _move(source: Path, target: Path) -> Path:
    stem, suffix, counter = target.stem, target.suffix, 1
    while target.exists():
        target = target.with_name(f"{stem}.{counter}{suffix}")
        counter += 1
    os.replace(source, target)
    return target
