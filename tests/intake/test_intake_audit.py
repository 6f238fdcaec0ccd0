"""The audit log: who saw and changed what; append-only in the database; no health data."""

from __future__ import annotations

from pathlib import Path

import pytest
from intake_support import Service, TestClient, document_bytes, fast_settings
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from intake import fakes
from intake.app import create_app
from intake.db import Database

RECORD = {"child": {"name": "Secret Name", "birth_date": "2021-02-03"},
          "doses": [{"date": "2022-01-01", "vaccine": "MMR"}]}


def test_the_audit_log_names_who_saw_and_changed_a_document(make_service) -> None:  # type: ignore[no-untyped-def]
    service: Service = make_service(fakes.needs_review())
    document_id = service.upload(service.station("desk"), document_bytes(RECORD),
                                 case_number="C-1")["id"]
    service.process()
    ana, boss = service.user(name="ana"), service.user("supervisor", name="boss")
    service.client.get(f"/api/v1/documents/{document_id}", headers=ana)
    service.client.get(f"/api/v1/documents/{document_id}/pages/1", headers=ana)
    service.client.post(f"/api/v1/documents/{document_id}/approve", headers=ana, json={})
    response = service.client.get(f"/api/v1/documents/{document_id}/audit", headers=boss)
    assert response.status_code == 200
    events = [(e["actor"], e["action"]) for e in response.json()]
    assert events[:2] == [("station:desk", "uploaded"), ("system:worker", "processed")]
    assert ("reviewer:ana", "viewed") in events
    assert ("reviewer:ana", "viewed_page") in events
    assert ("reviewer:ana", "approved") in events
    text_of_log = response.text
    for health_data in ("Secret Name", "2021-02-03", "MMR", "2022-01-01"):
        assert health_data not in text_of_log


def test_the_audit_log_cannot_be_changed_or_deleted(service: Service) -> None:
    service.upload(service.station(), document_bytes())
    for statement in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"), service.database.session() as db:
            db.execute(text(statement))


def test_readyz_says_503_when_the_database_is_down(tmp_path: Path) -> None:
    class Unreachable(Database):
        def is_reachable(self) -> bool:
            return False

    settings = fast_settings(f"sqlite:///{tmp_path}/down.db")
    app = create_app(settings, fakes.succeeding(), database=Unreachable(settings.database_url))
    with TestClient(app) as client:
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["code"] == "NotReady"
        assert client.get("/healthz").status_code == 200
