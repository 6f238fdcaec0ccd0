"""Workers: outcomes, retries with backoff, dead jobs, limits in the child, hostile files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from intake_hostile import make_pdf, many_frame_tiff, pdf_bomb, truncated_jpeg
from intake_support import Service, document_bytes
from sqlalchemy import select

from intake import fakes
from intake.models import Job, JobState
from intake.queue import claim_job, retry_delay


def _view(service: Service, document_id: str) -> dict[str, Any]:
    response = service.client.get(f"/api/v1/documents/{document_id}", headers=service.user())
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_a_readable_document_is_accepted_with_its_extraction_and_check(service: Service) -> None:
    document = service.upload(service.station(), document_bytes())
    assert service.process() == 1
    view = _view(service, document["id"])
    assert view["state"] == "accepted"
    assert view["extraction"]["document_type"] == "yellow_card"
    assert view["check"]["rules"] == "fake"
    assert view["page_count"] == 1
    assert view["job"]["state"] == "done" and view["job"]["attempts"] == 1


def test_without_auto_accept_every_document_waits_for_review(make_service: Any) -> None:
    service: Service = make_service(auto_accept=False)
    document = service.upload(service.station(), document_bytes())
    service.process()
    assert _view(service, document["id"])["state"] == "needs_review"


def test_a_crashing_document_is_retried_then_dead_with_its_error(make_service: Any) -> None:
    service: Service = make_service(fakes.crashing(), max_attempts=3)
    document = service.upload(service.station(), document_bytes())
    assert service.process() == 3
    view = _view(service, document["id"])
    assert view["state"] == "failed"
    assert "gave up after 3 attempts" in view["failure"]
    assert "the fake parser crashed" in view["failure"]
    boss = service.user("supervisor")
    dead = service.client.get("/api/v1/jobs", headers=boss).json()["jobs"]
    assert [(j["document_id"], j["attempts"]) for j in dead] == [(document["id"], 3)]
    assert "RuntimeError" in dead[0]["last_error"]
    retried = service.client.post(f"/api/v1/jobs/{dead[0]['id']}/retry", headers=boss)
    assert retried.status_code == 200 and retried.json()["state"] == "queued"
    assert service.client.post(f"/api/v1/jobs/{dead[0]['id'] + 1}/retry",
                                headers=boss).status_code == 409
    assert service.client.post("/api/v1/jobs/999/retry", headers=boss).status_code == 404
    assert service.process(fakes.succeeding()) == 1
    assert _view(service, document["id"])["state"] == "accepted"


def test_retries_back_off_exponentially(make_service: Any) -> None:
    assert [retry_delay(n, 5, 600) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert retry_delay(20, 5, 600) == 600
    service: Service = make_service(fakes.crashing(), retry_base_seconds=30,
                                    retry_max_seconds=600, max_attempts=3)
    document = service.upload(service.station(), document_bytes())
    assert service.process() == 1  # the retry is not due yet
    with service.database.session() as db:
        job = db.scalars(select(Job).where(Job.document_id == document["id"])).one()
        assert job.state == JobState.QUEUED and job.attempts == 1
        wait = job.run_after - dt.datetime.now(dt.UTC)
        assert dt.timedelta(seconds=25) < wait <= dt.timedelta(seconds=30)
    assert _view(service, document["id"])["state"] == "queued"


def test_an_expired_lease_is_claimed_again(service: Service) -> None:
    document = service.upload(service.station(), document_bytes())
    now = dt.datetime.now(dt.UTC)
    with service.database.session() as db:
        first = claim_job(db, "worker-a", 1.0, 3, now)
    with service.database.session() as db:
        assert claim_job(db, "worker-b", 1.0, 3, now) is None  # leased
    with service.database.session() as db:
        second = claim_job(db, "worker-b", 1.0, 3, now + dt.timedelta(seconds=2))
    assert first is not None and second is not None
    assert (second.job_id, second.attempt) == (first.job_id, 2)
    assert _view(service, document["id"])["state"] == "processing"
    with service.database.session() as db:
        # The last attempt's worker also dies: the job is dead, not handed out forever.
        claim_job(db, "worker-c", 1.0, 3, now + dt.timedelta(seconds=4))
        assert claim_job(db, "worker-d", 1.0, 3, now + dt.timedelta(seconds=6)) is None
    view = _view(service, document["id"])
    assert view["state"] == "failed" and "stopped answering 3 times" in view["failure"]


def test_a_hanging_parser_hits_the_time_limit(make_service: Any) -> None:
    service: Service = make_service(fakes.hanging(), parse_timeout_seconds=1.5)
    document = service.upload(service.station(), document_bytes())
    service.process()
    view = _view(service, document["id"])
    assert view["state"] == "failed"
    assert "time limit" in view["failure"] and "SHOTCHECK_PARSE_TIMEOUT_SECONDS" in view["failure"]
    assert service.client.get("/healthz").status_code == 200


def test_a_parser_eating_memory_hits_the_memory_limit(make_service: Any) -> None:
    service: Service = make_service(fakes.memory_hog(), parse_memory_mb=400)
    document = service.upload(service.station(), document_bytes())
    service.process()
    view = _view(service, document["id"])
    assert view["state"] == "failed"
    assert "memory limit" in view["failure"] and "SHOTCHECK_PARSE_MEMORY_MB" in view["failure"]
    assert service.client.get("/healthz").status_code == 200


@pytest.mark.parametrize(("name", "make", "message"), [
    ("bomb.pdf", lambda: pdf_bomb(2.0), "decompression bomb"),
    ("long.pdf", lambda: make_pdf(2000), "2000 pages"),
    ("cut.jpg", truncated_jpeg, "truncated or corrupt"),
    ("frames.tif", lambda: many_frame_tiff(30), "30 frames"),
    ("broken.pdf", lambda: b"%PDF-1.4\n1 0 obj garbage", "cannot be opened"),
], ids=["pdf-inflating-to-gigabytes", "pdf-with-2000-pages", "truncated-jpeg",
        "tiff-with-30-frames", "broken-pdf"])
def test_hostile_files_fail_with_a_clear_reason(make_service: Any, name: str, make: Any,
                                                message: str) -> None:
    service: Service = make_service(max_decoded_bytes=256 * 1024 * 1024)
    document = service.upload(service.station(), make(), name=name)
    service.process()
    view = _view(service, document["id"])
    assert view["state"] == "failed"
    assert message in view["failure"]
    assert view["job"]["attempts"] == 1  # a bad file is final, not retried
    assert service.client.get("/healthz").status_code == 200


def test_a_document_is_read_once_per_pipeline_version(make_service: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    calls = tmp_path / "calls"
    calls.mkdir()
    monkeypatch.setenv("SHOTCHECK_FAKE_CALLS_DIR", str(calls))
    service: Service = make_service()
    document = service.upload(service.station(), document_bytes())
    service.process()
    boss = service.user("supervisor")
    service.client.post(f"/api/v1/documents/{document['id']}/reopen", headers=boss, json={})
    with service.database.session() as db:  # processing the same bytes again
        from intake.queue import enqueue

        enqueue(db, document["id"])
    service.process()
    assert len(list(calls.iterdir())) == 1
    assert [v["action"] for v in _view(service, document["id"])["history"]] == [
        "extracted", "reopened", "extracted"]
