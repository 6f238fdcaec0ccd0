"""Parsing in a child process with an address-space limit and a wall-time limit.

A hostile file can make a decoder allocate gigabytes or loop; in a child (spawned, not forked, so
no database connection or lock is inherited) with RLIMIT_AS, that costs one child, never the
worker or the API. The child is reused between documents and replaced after a failure.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from engine.errors import BadInput
from intake.limits import ParseLimits, preflight
from intake.pipeline import Pipeline, PipelineOutcome

__all__ = ["LeaseLost", "ParseFailed", "ParserProcess"]

# A long-lived child may leak (native libraries); a fresh one now and then bounds that.
_JOBS_PER_CHILD = 200
_HEARTBEAT_SECONDS = 2.0


class ParseFailed(Exception):
    """Parsing failed in a way worth retrying (a crash); the message is the job's last error."""


class LeaseLost(Exception):
    """The heartbeat found the job no longer leased to us; stop work on it."""


@dataclass(frozen=True)
class _Reply:
    kind: str  # ok | final | retry
    outcome: PipelineOutcome | None = None
    message: str = ""


def _die_with_parent() -> None:
    # A worker killed with SIGKILL cannot stop its child; on Linux the kernel can, so an orphan
    # does not go on parsing (and holding memory) for nobody.
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child_main(conn: Connection, pipeline: Pipeline, limits: ParseLimits) -> None:
    _die_with_parent()
    limit = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            data, filename = conn.recv()
        except EOFError:
            return
        reply = _parse(pipeline, limits, data, filename)
        del data
        conn.send(reply)
        if reply.kind == "final" and reply.message.startswith("memory"):
            return  # the heap may be fragmented near the limit: start afresh next time


def _parse(pipeline: Pipeline, limits: ParseLimits, data: bytes, filename: str) -> _Reply:
    try:
        preflight(data, limits)
        return _Reply("ok", pipeline.process(data, filename))
    except BadInput as exc:
        return _Reply("final", message=str(exc))
    except MemoryError:
        return _Reply(
            "final",
            message=f"memory limit: parsing needed more than {limits.memory_mb} MB "
            "(SHOTCHECK_PARSE_MEMORY_MB); the file is too complex or hostile",
        )
    except Exception as exc:  # noqa: BLE001 - any other failure is reported and retried
        return _Reply("retry", message=f"{type(exc).__name__}: {exc}")


class ParserProcess:
    """A reusable parsing child; `parse` sends one document and waits within the time limit."""

    def __init__(self, pipeline: Pipeline, limits: ParseLimits) -> None:
        self._pipeline = pipeline
        self._limits = limits
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._jobs = 0

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            if self._jobs < _JOBS_PER_CHILD:
                return self._conn
            self.close()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_child_main, args=(child, self._pipeline, self._limits),
            name="shotcheck-parser", daemon=True,
        )
        process.start()
        child.close()
        self._process, self._conn, self._jobs = process, parent, 0
        return parent

    def parse(self, data: bytes, filename: str,
              heartbeat: Callable[[], bool] | None = None) -> PipelineOutcome:
        """Parse one document in the child.

        Args:
            data: the document's bytes.
            filename: the client's name for it, passed on as data.
            heartbeat: called every few seconds while waiting; returning False abandons the
                document (the job's lease was lost).

        Returns:
            The outcome; a limit hit or an unreadable file is an outcome with `failure` set.

        Raises:
            ParseFailed: the pipeline raised or the child died; worth a retry.
            LeaseLost: the heartbeat said stop.
        """
        conn = self._start()
        self._jobs += 1
        try:
            conn.send((data, filename))
        except (BrokenPipeError, OSError) as exc:
            self.close()
            raise ParseFailed(f"the parsing process could not be reached: {exc}") from exc
        deadline = time.monotonic() + self._limits.timeout_seconds
        next_beat = time.monotonic() + _HEARTBEAT_SECONDS
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                return PipelineOutcome(failure=(
                    f"time limit: parsing took longer than {self._limits.timeout_seconds:g} s "
                    "(SHOTCHECK_PARSE_TIMEOUT_SECONDS); the file is too complex or hostile"))
            if conn.poll(min(remaining, _HEARTBEAT_SECONDS)):
                return self._receive(conn)
            if heartbeat is not None and time.monotonic() >= next_beat:
                next_beat = time.monotonic() + _HEARTBEAT_SECONDS
                if not heartbeat():
                    self.close()
                    raise LeaseLost("the job's lease was taken over")

    def _receive(self, conn: Connection) -> PipelineOutcome:
        try:
            reply: Any = conn.recv()
        except (EOFError, OSError) as exc:
            code = self._exit_code()
            self.close()
            raise ParseFailed(f"the parsing process died ({_describe_exit(code)})") from exc
        if not isinstance(reply, _Reply):
            self.close()
            raise ParseFailed("the parsing process answered nonsense")
        if reply.kind == "ok" and reply.outcome is not None:
            return reply.outcome
        if reply.kind == "final":
            if reply.message.startswith("memory"):
                self.close()
            return PipelineOutcome(failure=reply.message)
        # The pipeline raised: it may have left native work behind (an OCR read abandoned at
        # its time limit runs on inside the Tesseract library). The next document gets a fresh
        # child.
        self.close()
        raise ParseFailed(reply.message)

    def _exit_code(self) -> int | None:
        if self._process is None:
            return None
        self._process.join(timeout=1.0)
        return self._process.exitcode

    def close(self) -> None:
        """Stop the child (killed if it does not finish at once); the next parse starts anew."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=5.0)
        self._process, self._conn = None, None


_CRASHES = {"SIGSEGV", "SIGABRT", "SIGBUS"}


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            return f"killed by signal {-code}"
        if name in _CRASHES:
            # Native code (Tesseract, a decoder) fails this way when an allocation under
            # RLIMIT_AS is refused, more often than by a bug.
            return (f"killed by {name}: a crash in native code, most often the memory limit "
                    "(SHOTCHECK_PARSE_MEMORY_MB) on a very large or hostile page")
        return f"killed by {name}"
    return f"exit status {code}"
