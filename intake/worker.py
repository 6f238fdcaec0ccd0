"""Workers: claim a job, parse in the child process, store the result, finish or retry."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid

from intake.db import Database
from intake.isolation import LeaseLost, ParseFailed, ParserProcess
from intake.limits import ParseLimits
from intake.models import Blob, Document, JobState
from intake.pipeline import Pipeline, PipelineOutcome
from intake.processing import apply_result, cached_result, store_result
from intake.queue import Lease, claim_job, fail_job, owned_job, renew_lease
from intake.settings import Settings

__all__ = ["Worker", "limits_from", "run_workers"]

log = logging.getLogger("shotcheck.worker")


def limits_from(settings: Settings) -> ParseLimits:
    """The parsing limits the settings name."""
    return ParseLimits(max_pages=settings.max_pages, max_page_pixels=settings.max_page_pixels,
                       max_decoded_bytes=settings.max_decoded_bytes,
                       memory_mb=settings.parse_memory_mb,
                       timeout_seconds=settings.parse_timeout_seconds)


class Worker:
    """One worker: a loop of claim → parse → store, with its own parsing child process."""

    def __init__(self, database: Database, settings: Settings, pipeline: Pipeline,
                 name: str | None = None) -> None:
        self.database = database
        self.settings = settings
        self.pipeline = pipeline
        self.id = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.parser = ParserProcess(pipeline, limits_from(settings))
        self.stopping = threading.Event()

    def run(self) -> None:
        """Work until `stop()`; an idle worker polls every SHOTCHECK_POLL_SECONDS."""
        try:
            while not self.stopping.is_set():
                try:
                    worked = self.run_once()
                except Exception:  # a database outage must not end the worker
                    log.exception("worker %s: error between jobs; retrying", self.id)
                    worked = False
                if not worked:
                    self.stopping.wait(self.settings.poll_seconds)
        finally:
            self.parser.close()

    def stop(self) -> None:
        """Ask the loop to end after the current job."""
        self.stopping.set()

    def run_once(self) -> bool:
        """Claim and process one job; False when none was due."""
        settings = self.settings
        with self.database.session() as db:
            lease = claim_job(db, self.id, settings.lease_seconds, settings.max_attempts)
            if lease is None:
                return False
            document = db.get(Document, lease.document_id)
            assert document is not None
            sha = document.sha256
            cached = cached_result(db, sha, self.pipeline.version)
            data = None if cached else db.get(Blob, sha)
            payload = (data.data, document.filename) if data else None
        log.info("worker %s: job %s attempt %s", self.id, lease.job_id, lease.attempt)
        outcome: PipelineOutcome | None = None
        if payload is not None:
            try:
                outcome = self.parser.parse(*payload, heartbeat=lambda: self._renew(lease))
            except LeaseLost:
                log.warning("worker %s: lost the lease of job %s", self.id, lease.job_id)
                return True
            except ParseFailed as exc:
                self._fail(lease, str(exc))
                return True
        self._finish(lease, sha, outcome)
        return True

    def _renew(self, lease: Lease) -> bool:
        with self.database.session() as db:
            return renew_lease(db, lease, self.settings.lease_seconds)

    def _fail(self, lease: Lease, error: str) -> None:
        settings = self.settings
        with self.database.session() as db:
            state = fail_job(db, lease, error, settings.max_attempts, settings.retry_base_seconds,
                             settings.retry_max_seconds)
        # The error may quote the document's content; only the job id and state go to the log.
        log.warning("worker %s: job %s failed (now %s)", self.id, lease.job_id, state)

    def _finish(self, lease: Lease, sha: str, outcome: PipelineOutcome | None) -> None:
        with self.database.session() as db:
            job = owned_job(db, lease)
            if job is None:
                return  # another worker holds it now; its result will be the one applied
            result = (store_result(db, sha, self.pipeline.version, outcome)
                      if outcome is not None else cached_result(db, sha, self.pipeline.version))
            assert result is not None
            document = db.get(Document, lease.document_id)
            assert document is not None
            apply_result(db, document, result, self.pipeline, self.settings.auto_accept)
            job.state = JobState.DONE
            job.lease_expires_at = None
            job.updated_at = document.updated_at


def run_workers(database: Database, settings: Settings, pipeline: Pipeline,
                count: int) -> tuple[list[Worker], list[threading.Thread]]:
    """Start `count` worker threads (each with its own parsing child); returns them to stop."""
    workers = [Worker(database, settings, pipeline) for _ in range(count)]
    threads = [threading.Thread(target=w.run, name=f"shotcheck-worker-{i}", daemon=True)
               for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    return workers, threads
