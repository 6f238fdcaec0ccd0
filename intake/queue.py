"""The durable job queue in the database: claim with a lease, renew, finish, retry, dead.

PostgreSQL claims with ``FOR UPDATE SKIP LOCKED`` so many workers never wait on one another;
SQLite transactions all begin IMMEDIATE (intake.db), which serialises claims. A job whose lease
has expired (its worker died) is claimable again; its attempt still counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from intake.audit import record_event
from intake.models import Document, DocumentState, Job, JobState, utcnow

__all__ = ["Lease", "claim_job", "enqueue", "fail_job", "owned_job", "renew_lease", "retry_delay"]


@dataclass(frozen=True)
class Lease:
    """Proof of a claim: the job, who holds it and which attempt; stale after a re-claim."""

    job_id: int
    document_id: str
    worker_id: str
    attempt: int


def enqueue(db: Session, document_id: str, now: dt.datetime | None = None) -> Job:
    """Add a job to process a document now."""
    job = Job(document_id=document_id, state=JobState.QUEUED, run_after=now or utcnow())
    db.add(job)
    return job


def retry_delay(attempt: int, base: float, ceiling: float) -> float:
    """Exponential backoff: base, 2·base, 4·base… after attempts 1, 2, 3…, at most `ceiling`."""
    return float(min(base * 2 ** max(attempt - 1, 0), ceiling))


def claim_job(db: Session, worker_id: str, lease_seconds: float, max_attempts: int,
              now: dt.datetime | None = None) -> Lease | None:
    """Claim the next due job, or an expired lease, for `worker_id`; None when there is none.

    A job whose lease expired after its last allowed attempt (its worker keeps dying on it) is
    marked dead here instead of being handed out again.
    """
    now = now or utcnow()
    due = or_(
        and_(Job.state == JobState.QUEUED, Job.run_after <= now),
        and_(Job.state == JobState.RUNNING, Job.lease_expires_at < now),
    )
    query = select(Job).where(due).order_by(Job.run_after, Job.id).limit(1)
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    while True:
        job = db.scalars(query).first()
        if job is None:
            return None
        if job.state == JobState.RUNNING and job.attempts >= max_attempts:
            _bury(db, job, f"the worker stopped answering {job.attempts} times (lease expired); "
                  f"last error: {job.last_error or 'none recorded'}", now)
            continue
        if job.state == JobState.RUNNING:
            job.last_error = f"lease of {job.worker_id} expired at attempt {job.attempts}"
        job.state = JobState.RUNNING
        job.attempts += 1
        job.worker_id = worker_id
        job.lease_expires_at = now + dt.timedelta(seconds=lease_seconds)
        job.updated_at = now
        db.execute(update(Document).where(Document.id == job.document_id)
                   .values(state=DocumentState.PROCESSING, updated_at=now))
        return Lease(job.id, job.document_id, worker_id, job.attempts)


def renew_lease(db: Session, lease: Lease, lease_seconds: float) -> bool:
    """Extend the lease while the worker is busy; False when the job is no longer ours."""
    now = utcnow()
    result = db.execute(
        update(Job)
        .where(Job.id == lease.job_id, Job.worker_id == lease.worker_id,
               Job.attempts == lease.attempt, Job.state == JobState.RUNNING)
        .values(lease_expires_at=now + dt.timedelta(seconds=lease_seconds), updated_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def owned_job(db: Session, lease: Lease) -> Job | None:
    """The job, locked, if the lease still holds it; a stale lease must not write results."""
    query = select(Job).where(Job.id == lease.job_id, Job.worker_id == lease.worker_id,
                              Job.attempts == lease.attempt, Job.state == JobState.RUNNING)
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return db.scalars(query).first()


def fail_job(db: Session, lease: Lease, error: str, max_attempts: int, base: float,
             ceiling: float) -> str | None:
    """Record a retryable failure: back to the queue with a delay, or dead after the last attempt.

    Returns:
        The job's new state, or None when the lease was stale (someone else holds the job).
    """
    job = owned_job(db, lease)
    if job is None:
        return None
    now = utcnow()
    if job.attempts >= max_attempts:
        _bury(db, job, error, now)
        return JobState.DEAD
    job.state = JobState.QUEUED
    job.last_error = error
    job.lease_expires_at = None
    job.run_after = now + dt.timedelta(seconds=retry_delay(job.attempts, base, ceiling))
    job.updated_at = now
    db.execute(update(Document).where(Document.id == job.document_id)
               .values(state=DocumentState.QUEUED, updated_at=now))
    return JobState.QUEUED


def _bury(db: Session, job: Job, error: str, now: dt.datetime) -> None:
    job.state = JobState.DEAD
    job.last_error = error
    job.lease_expires_at = None
    job.updated_at = now
    failure = f"processing gave up after {job.attempts} attempts: {error}"
    db.execute(update(Document).where(Document.id == job.document_id)
               .values(state=DocumentState.FAILED, failure=failure, updated_at=now))
    record_event(db, "system:queue", "job_dead", job.document_id,
                 f"job {job.id} dead after {job.attempts} attempts")
