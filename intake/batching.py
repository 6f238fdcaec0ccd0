"""Group commit for uploads: one writer thread stores concurrent uploads in one transaction.

Each upload must be durable before it is acknowledged, and a durable commit costs one fsync
(SQLite: PRAGMA synchronous=FULL). Committing each of twenty concurrent 1 MB uploads on its own
serialises twenty fsyncs; committing whatever has arrived together costs one. A request thread
still waits until the commit holding its files has finished, so nothing is acknowledged early.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from intake.accounts import Actor
from intake.db import Database
from intake.documents import UploadForm, ValidUpload, store_validated
from intake.schemas import UploadedDocument

__all__ = ["UploadWriter"]

# A batch stops growing at either bound, so one slow commit never holds hundreds of requests.
_MAX_BATCH_ITEMS = 64
_MAX_BATCH_BYTES = 128 * 1024 * 1024


@dataclass
class _Pending:
    actor: Actor
    uploads: list[ValidUpload]
    form: UploadForm
    future: Future[list[UploadedDocument]] = field(default_factory=Future)

    @property
    def size(self) -> int:
        return sum(len(upload.file.data) for upload in self.uploads)


class UploadWriter:
    """Stores validated uploads; `store` blocks until they are committed (or raises)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def store(self, actor: Actor, uploads: list[ValidUpload],
              form: UploadForm) -> list[UploadedDocument]:
        """Queue the uploads for the next commit and wait for it."""
        self._ensure_started()
        pending = _Pending(actor, uploads, form)
        self._queue.put(pending)
        return pending.future.result()

    def close(self) -> None:
        """Finish what is queued, then stop the writer thread."""
        with self._lock:
            if self._thread is not None:
                self._queue.put(None)
                self._thread.join()
                self._thread = None

    def _ensure_started(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="shotcheck-upload-writer",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch, size = [first], first.size
            while len(batch) < _MAX_BATCH_ITEMS and size < _MAX_BATCH_BYTES:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(more)
                size += more.size
            self._write(batch)

    def _write(self, batch: list[_Pending]) -> None:
        try:
            with self._database.session() as db:
                results = [store_validated(db, p.actor, p.uploads, p.form) for p in batch]
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request
            if len(batch) == 1:
                batch[0].future.set_exception(exc)
            else:
                for pending in batch:  # one bad apple must not fail the others: retry alone
                    self._write([pending])
            return
        for pending, result in zip(batch, results, strict=True):
            pending.future.set_result(result)
