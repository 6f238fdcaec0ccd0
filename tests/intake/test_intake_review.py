"""The review API: queue order, claims, corrections as versions, approve, reject, reopen, roles."""

from __future__ import annotations

from typing import Any

from intake_support import Service, document_bytes

from intake import fakes

RECORD = {"child": {"name": "Test Child", "birth_date": "2022-03-14"},
          "doses": [{"date": "2023-05-20", "vaccine": "MMR"}]}


def _review_service(make_service: Any) -> Service:
    service: Service = make_service(fakes.needs_review())
    return service


def _queued(service: Service, **form: str) -> str:
    document = service.upload(service.station(), document_bytes(RECORD), **form)
    service.process()
    return str(document["id"])


def test_the_queue_is_ordered_by_due_date_then_age(make_service: Any) -> None:
    service = _review_service(make_service)
    station = service.station()
    late = service.upload(station, document_bytes(RECORD), due_date="2027-01-31")["id"]
    undated = service.upload(station, document_bytes(RECORD))["id"]
    soon = service.upload(station, document_bytes(RECORD), due_date="2026-12-10")["id"]
    also_soon = service.upload(station, document_bytes(RECORD), due_date="2026-12-10")["id"]
    service.process()
    response = service.client.get("/api/v1/review/queue", headers=service.user())
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["items"]] == [soon, also_soon, late, undated]
    assert response.json()["total"] == 4
    assert response.json()["items"][0]["review_reasons"] == ["a fake asks for review"]


def test_two_reviewers_cannot_claim_the_same_document(make_service: Any) -> None:
    service = _review_service(make_service)
    document_id = _queued(service)
    ana, ben = service.user(name="ana"), service.user(name="ben")
    assert service.client.post(f"/api/v1/documents/{document_id}/claim",
                               headers=ana).status_code == 200
    taken = service.client.post(f"/api/v1/documents/{document_id}/claim", headers=ben)
    assert taken.status_code == 409
    assert "claimed by ana" in taken.json()["message"]
    correction = service.client.post(f"/api/v1/documents/{document_id}/corrections",
                                     headers=ben, json={"expected_version": 1})
    assert correction.status_code == 409
    queue = service.client.get("/api/v1/review/queue", headers=ben).json()
    assert queue["items"][0]["claimed_by"] == "ana"
    # Ben may not release Ana's claim; a supervisor may.
    assert service.client.delete(f"/api/v1/documents/{document_id}/claim",
                                 headers=ben).status_code == 409
    boss = service.user("supervisor")
    released = service.client.delete(f"/api/v1/documents/{document_id}/claim", headers=boss)
    assert released.status_code == 200 and released.json()["claimed_by"] is None
    assert service.client.post(f"/api/v1/documents/{document_id}/claim",
                               headers=ben).status_code == 200


def test_a_correction_is_a_new_version_and_reruns_the_check(make_service: Any) -> None:
    service = _review_service(make_service)
    document_id = _queued(service)
    ana = service.user()
    before = service.client.get(f"/api/v1/documents/{document_id}", headers=ana).json()
    assert before["version"] == 1 and before["check"]["status"] == "in_process"
    doses = [{"date": "2023-05-20", "vaccine": "MMR"}, {"date": "2023-06-20", "cvx": "20"}]
    response = service.client.post(
        f"/api/v1/documents/{document_id}/corrections", headers=ana,
        json={"expected_version": 1, "doses": doses, "child": {"name": "Test Kid"},
              "note": "second dose was on the back"})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["version"] == 2
    assert after["record"]["child"] == {"name": "Test Kid", "birth_date": "2022-03-14",
                                        "sex": "U"}
    assert after["check"]["status"] == "up_to_date"
    assert [v["action"] for v in after["history"]] == ["extracted", "corrected"]
    assert after["extraction"]["record"]["child"]["name"] == "Test Child"  # never overwritten
    stale = service.client.post(f"/api/v1/documents/{document_id}/corrections", headers=ana,
                                json={"expected_version": 1, "doses": []})
    assert stale.status_code == 409
    assert "version 2" in stale.json()["message"]


def test_an_invalid_correction_is_422_and_changes_nothing(make_service: Any) -> None:
    service = _review_service(make_service)
    document_id = _queued(service)
    ana = service.user()
    bad = service.client.post(f"/api/v1/documents/{document_id}/corrections", headers=ana,
                              json={"expected_version": 1, "doses": [{"date": "2023-01-01"}]})
    assert bad.status_code == 422
    assert bad.json()["code"] == "BadRecord"
    unknown_field = service.client.post(f"/api/v1/documents/{document_id}/corrections",
                                        headers=ana, json={"expected_version": 1, "x": 1})
    assert unknown_field.status_code == 422
    view = service.client.get(f"/api/v1/documents/{document_id}", headers=ana).json()
    assert view["version"] == 1


def test_approve_reject_and_reopen(make_service: Any) -> None:
    service = _review_service(make_service)
    first, second = _queued(service), _queued(service)
    ana, boss = service.user(), service.user("supervisor")
    approved = service.client.post(f"/api/v1/documents/{first}/approve", headers=ana,
                                   json={"expected_version": 1})
    assert approved.status_code == 200 and approved.json()["state"] == "accepted"
    again = service.client.post(f"/api/v1/documents/{first}/approve", headers=ana, json={})
    assert again.status_code == 409
    rejected = service.client.post(f"/api/v1/documents/{second}/reject", headers=ana,
                                   json={"reason": "not this child's card"})
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert rejected.json()["history"][-1]["note"] == "not this child's card"
    empty_reason = service.client.post(f"/api/v1/documents/{second}/reject", headers=ana,
                                       json={"reason": ""})
    assert empty_reason.status_code == 422
    assert service.client.post(f"/api/v1/documents/{first}/reopen", headers=ana,
                               json={}).status_code == 403
    reopened = service.client.post(f"/api/v1/documents/{first}/reopen", headers=boss,
                                   json={"note": "wrong birth date"})
    assert reopened.status_code == 200 and reopened.json()["state"] == "needs_review"
    assert [v["action"] for v in reopened.json()["history"]] == [
        "extracted", "approved", "reopened"]
    queue = service.client.get("/api/v1/review/queue", headers=ana).json()
    assert [i["id"] for i in queue["items"]] == [first]


def test_station_keys_are_refused_by_review_routes(make_service: Any) -> None:
    service = _review_service(make_service)
    document_id = _queued(service)
    station = service.station()
    for method, path, body in [
        ("GET", "/api/v1/review/queue", None),
        ("POST", f"/api/v1/documents/{document_id}/claim", None),
        ("POST", f"/api/v1/documents/{document_id}/approve", {}),
        ("POST", f"/api/v1/documents/{document_id}/reject", {"reason": "x"}),
        ("POST", f"/api/v1/documents/{document_id}/corrections", {"expected_version": 1}),
        ("GET", f"/api/v1/documents/{document_id}/pages/1", None),
        ("GET", f"/api/v1/documents/{document_id}/audit", None),
        ("GET", "/api/v1/jobs", None),
        ("GET", "/api/v1/session", None),
    ]:
        response = service.client.request(method, path, headers=station, json=body)
        assert response.status_code == 403, (method, path, response.text)


def test_supervisor_routes_refuse_reviewers(make_service: Any) -> None:
    service = _review_service(make_service)
    ana = service.user()
    assert service.client.get("/api/v1/jobs", headers=ana).status_code == 403
    assert service.client.post("/api/v1/jobs/1/retry", headers=ana).status_code == 403
    admin = service.user("admin")
    assert service.client.get("/api/v1/jobs", headers=admin).status_code == 200


def test_page_images_are_png_for_reviewers(make_service: Any) -> None:
    service = _review_service(make_service)
    document_id = _queued(service)
    ana = service.user()
    page = service.client.get(f"/api/v1/documents/{document_id}/pages/1", headers=ana)
    assert page.status_code == 200
    assert page.headers["content-type"] == "image/png"
    assert page.content == fakes.tiny_png()
    assert page.headers["cache-control"] == "no-store"
    missing = service.client.get(f"/api/v1/documents/{document_id}/pages/2", headers=ana)
    assert missing.status_code == 404


def test_documents_of_one_child_are_linked_and_checked_together(make_service: Any) -> None:
    service = _review_service(make_service)
    card = {"child": {"name": "Test Child", "birth_date": "2022-03-14"},
            "doses": [{"date": "2023-05-20", "vaccine": "MMR"},
                      {"date": "2022-05-14", "cvx": "20"}]}
    registry = {"child": {"name": "TEST  child", "birth_date": "2022-03-14"},
                "doses": [{"date": "2023-05-20", "vaccine": "mmr"},
                          {"date": "2022-07-14", "cvx": "20"}]}
    station = service.station()
    a = service.upload(station, document_bytes(card), case_number="C-7")["id"]
    b = service.upload(station, document_bytes(registry), case_number="C-7")["id"]
    other_case = service.upload(station, document_bytes(registry), case_number="C-8")["id"]
    service.process()
    ana = service.user()
    view_b = service.client.get(f"/api/v1/documents/{b}", headers=ana).json()
    assert view_b["linked_documents"] == [a]
    # Three distinct doses: the MMR on both documents is one dose.
    assert view_b["check"]["explanation"] == ["3 doses counted by the fake engine"]
    child = service.client.get(f"/api/v1/children/{view_b['child_id']}", headers=ana).json()
    assert sorted(child["documents"]) == sorted([a, b])
    assert len(child["record"]["doses"]) == 3
    alone = service.client.get(f"/api/v1/documents/{other_case}", headers=ana).json()
    assert alone["child_id"] != view_b["child_id"] and alone["linked_documents"] == []
    assert service.client.get("/api/v1/children/999", headers=ana).status_code == 404
