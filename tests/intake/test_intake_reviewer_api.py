"""What the reviewer pages need from the API: month-only dates, the queue's columns and filters,
merged doses with their sources, the case store, the audit for reviewers, the CSRF form field."""

from __future__ import annotations

from typing import Any

from intake_support import Service, document_bytes

from intake import fakes
from intake.accounts import Actor, SessionInfo
from intake.auth import CSRF_FIELD, check_form_csrf, csrf_form_field
from intake.errors import CsrfFailed
from intake.models import utcnow

CHILD = {"name": "Test Child", "birth_date": "2022-03-14"}
RECORD = {"child": CHILD, "doses": [{"date": "2023-05-20", "vaccine": "MMR"}]}
CASE = {"event": "application", "application_date": "2026-10-01", "medi_cal": "existing",
        "noa_date": "2026-11-17", "members": [{"id": "mother", "role": "parent", "in_au": True}],
        "children": [{"id": "kid", "birth_date": "2022-03-14"}]}


def _review_service(make_service: Any) -> Service:
    service: Service = make_service(fakes.needs_review())
    return service


def test_a_reviewer_enters_a_dose_dated_by_its_month_only(make_service: Any) -> None:
    service = _review_service(make_service)
    document = service.upload(service.station(), document_bytes(RECORD))["id"]
    service.process()
    ana = service.user()
    doses = [{"date": "2023-05-20", "vaccine": "MMR"},
             {"date": "2022-05-17", "vaccine": "DTaP", "date_precision": "month"}]
    answer = service.client.post(f"/api/v1/documents/{document}/corrections", headers=ana,
                                 json={"expected_version": 1, "doses": doses})
    assert answer.status_code == 200, answer.text
    stored = answer.json()["record"]["doses"][1]
    # A month-only date is spelt on the first of its month, as the Record contract says.
    assert (stored["date"], stored["date_precision"]) == ("2022-05-01", "month")
    assert answer.json()["check"] is not None
    for bad in ("week", "Month", None):
        refused = service.client.post(
            f"/api/v1/documents/{document}/corrections", headers=ana,
            json={"expected_version": 2, "doses": [{**doses[1], "date_precision": bad}]})
        assert refused.status_code == 422, bad


def test_the_queue_shows_type_child_station_and_flags_and_filters_by_each(
        make_service: Any) -> None:
    service = _review_service(make_service)
    front, back = service.station("front-desk"), service.station("back-office")
    card = service.upload(front, document_bytes(RECORD, kind="yellow_card",
                                                flags=["missing_provider", "partial_date"]),
                          due_date="2026-12-10")["id"]
    form = service.upload(back, document_bytes(RECORD, kind="csf49",
                                               flags=["missing_signature"]))["id"]
    plain = service.upload(front, document_bytes(RECORD, kind="cair2_report"))["id"]
    service.process()
    ana = service.user()

    def queue(**query: str) -> list[str]:
        answer = service.client.get("/api/v1/review/queue", headers=ana, params=query)
        assert answer.status_code == 200, answer.text
        assert answer.json()["total"] == len(answer.json()["items"])
        return [item["id"] for item in answer.json()["items"]]

    first = service.client.get("/api/v1/review/queue", headers=ana).json()["items"][0]
    assert (first["id"], first["document_type"], first["child_name"], first["station"],
            first["flags"], first["birth_date"], first["state"]) == (
        card, "yellow_card", "Test Child", "front-desk", ["missing_provider", "partial_date"],
        "2022-03-14", "needs_review")
    assert queue(flag="partial_date") == [card]
    assert queue(flag="missing_signature") == [form]
    assert queue(flag="missing") == []  # a whole code, never a part of one
    assert queue(flag="%") == [] and queue(flag="_") == []
    assert queue(type="csf49") == [form]
    assert queue(station="front-desk") == [card, plain]
    assert queue(station="front-desk", type="cair2_report") == [plain]
    approved = service.client.post(f"/api/v1/documents/{plain}/approve", headers=ana, json={})
    assert approved.status_code == 200
    assert queue(state="accepted") == [plain]
    assert queue() == [card, form]
    assert queue(state="") == [card, form, plain]  # empty: every state
    assert queue(station="nowhere") == []


def test_a_childs_merged_doses_name_the_document_and_dose_they_came_from(
        make_service: Any) -> None:
    service = _review_service(make_service)
    card = {"child": CHILD, "doses": [{"date": "2022-05-14", "cvx": "20"},
                                      {"date": "2023-05-20", "vaccine": "MMR"}]}
    registry = {"child": {**CHILD, "name": "TEST  child"},
                "doses": [{"date": "2023-05-20", "vaccine": "mmr"},
                          {"date": "2022-07-14", "cvx": "20"}]}
    station = service.station()
    a = service.upload(station, document_bytes(card), case_number="C-7",
                       due_date="2026-12-10")["id"]
    b = service.upload(station, document_bytes(registry), case_number="C-7")["id"]
    service.process()
    ana = service.user()
    child_id = service.client.get(f"/api/v1/documents/{a}", headers=ana).json()["child_id"]
    view = service.client.get(f"/api/v1/children/{child_id}", headers=ana,
                              params={"on": "2023-06-01"}).json()
    assert view["as_of"] == "2023-06-01" and view["check"]["as_of"] == "2023-06-01"
    assert [(d["date"], [(s["document_id"], s["dose_index"]) for s in d["sources"]])
            for d in view["doses"]] == [
        ("2022-05-14", [(a, 0)]), ("2022-07-14", [(b, 1)]), ("2023-05-20", [(a, 1), (b, 0)])]
    assert [d["id"] for d in view["document_details"]] == [a, b]
    assert view["document_details"][0]["due_date"] == "2026-12-10"
    assert view["case"] is None
    bad_date = service.client.get(f"/api/v1/children/{child_id}", headers=ana,
                                  params={"on": "yesterday"})
    assert bad_date.status_code == 422


def test_a_birth_date_fixed_by_the_reviewer_links_the_document_to_its_child(
        make_service: Any) -> None:
    service = _review_service(make_service)
    station = service.station()
    earlier = service.upload(station, document_bytes(RECORD), case_number="C-9")["id"]
    unread = {"child": {"name": "Test Child", "birth_date": "2022-03-15"},
              "doses": [{"date": "2023-07-01", "vaccine": "MMR"}]}
    later = service.upload(station, document_bytes(unread), case_number="C-9")["id"]
    service.process()
    ana = service.user()
    before = service.client.get(f"/api/v1/documents/{later}", headers=ana).json()
    child_id = service.client.get(f"/api/v1/documents/{earlier}", headers=ana).json()["child_id"]
    assert before["child_id"] != child_id  # a misread birth date: another child
    fixed = service.client.post(f"/api/v1/documents/{later}/corrections", headers=ana, json={
        "expected_version": 1, "child": {"birth_date": "2022-03-14"}})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["child_id"] == child_id and fixed.json()["linked_documents"] == [earlier]
    child = service.client.get(f"/api/v1/children/{child_id}", headers=ana).json()
    assert len(child["doses"]) == 2


def test_case_data_is_stored_once_per_case_and_planned_for_each_child(
        make_service: Any) -> None:
    service = _review_service(make_service)
    document = service.upload(service.station(), document_bytes(RECORD),
                              case_number="C-7")["id"]
    service.process()
    ana = service.user(name="ana")
    assert service.client.get("/api/v1/cases/C-7", headers=ana).status_code == 404
    saved = service.client.put("/api/v1/cases/C-7", headers=ana, json=CASE)
    assert saved.status_code == 200, saved.text
    timeline = saved.json()["timeline"]
    assert timeline["due_date"] == "2026-11-15"
    assert timeline["penalty"]["effective_from"] == "2026-12-01"
    assert saved.json()["updated_by"] == "reviewer:ana"
    read = service.client.get("/api/v1/cases/C-7", headers=ana).json()
    assert read["data"] == CASE and read["timeline"] == timeline
    child_id = service.client.get(f"/api/v1/documents/{document}", headers=ana).json()["child_id"]
    child = service.client.get(f"/api/v1/children/{child_id}", headers=ana).json()
    assert child["case"]["timeline"]["due_date"] == "2026-11-15"
    bad = service.client.put("/api/v1/cases/C-7", headers=ana, json={"event": "party"})
    assert bad.status_code == 422 and bad.json()["code"] == "BadCase"
    assert service.client.get("/api/v1/cases/C-7", headers=ana).json()["data"] == CASE
    later = {**CASE, "verification_date": "2026-11-10"}
    replaced = service.client.put("/api/v1/cases/C-7", headers=ana, json=later)
    assert replaced.json()["timeline"]["penalty"]["applies"] is False
    station = service.station()
    assert service.client.get("/api/v1/cases/C-7", headers=station).status_code == 403
    assert service.client.put("/api/v1/cases/C-7", headers=station, json=CASE).status_code == 403
    boss = service.user("supervisor")
    audit = service.client.get(f"/api/v1/documents/{document}/audit", headers=boss).json()
    assert "case_saved" not in [e["action"] for e in audit]  # logged, but not on a document


def test_reviewers_read_a_documents_audit_and_stations_do_not(make_service: Any) -> None:
    service = _review_service(make_service)
    station = service.station("front-desk")
    document = service.upload(station, document_bytes(RECORD))["id"]
    service.process()
    ana = service.user(name="ana")
    service.client.post(f"/api/v1/documents/{document}/claim", headers=ana)
    audit = service.client.get(f"/api/v1/documents/{document}/audit", headers=ana)
    assert audit.status_code == 200
    assert [(e["actor"], e["action"]) for e in audit.json()][:2] == [
        ("station:front-desk", "uploaded"), ("system:worker", "processed")]
    assert ("reviewer:ana", "claimed") in [(e["actor"], e["action"]) for e in audit.json()]
    assert service.client.get(f"/api/v1/documents/{document}/audit",
                              headers=station).status_code == 403
    assert service.client.get("/api/v1/documents/nope/audit", headers=ana).status_code == 404


def test_the_csrf_form_field_is_the_sessions_token_and_nothing_else() -> None:
    session = SessionInfo(Actor("user", 1, "ana", "reviewer"), 'tok"<en>', utcnow())
    field = csrf_form_field(session.csrf_token)
    assert field == ('<input type="hidden" name="csrf_token" '
                     'value="tok&quot;&lt;en&gt;">')
    check_form_csrf(session, {CSRF_FIELD: 'tok"<en>'})
    for form in ({}, {CSRF_FIELD: "tok"}, {CSRF_FIELD: ['tok"<en>']}):
        try:
            check_form_csrf(session, form)
        except CsrfFailed:
            continue
        raise AssertionError(f"accepted {form!r}")
