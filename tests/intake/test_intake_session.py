"""Reviewer sessions: login by JSON or form, cookie with CSRF, bearer token, timeouts, logout."""

from __future__ import annotations

import time
from typing import Any

from intake_support import PASSWORD, Service, document_bytes

from intake.accounts import create_user


def _account(service: Service, name: str = "rita", role: str = "reviewer") -> None:
    with service.database.session() as db:
        create_user(db, name, role, PASSWORD)


def test_login_by_json_sets_an_httponly_strict_cookie(service: Service) -> None:
    _account(service)
    response = service.client.post("/api/v1/session", json={"name": "rita", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == "rita" and body["role"] == "reviewer" and body["token"].startswith("ss_")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    me = service.client.get("/api/v1/session")  # the cookie alone
    assert me.status_code == 200 and me.json()["csrf_token"] == body["csrf_token"]
    assert me.json()["token"] is None


def test_login_by_form_works_and_wrong_passwords_do_not(service: Service) -> None:
    _account(service)
    ok = service.client.post("/api/v1/session", data={"name": "rita", "password": PASSWORD})
    assert ok.status_code == 200
    wrong = service.client.post("/api/v1/session", json={"name": "rita", "password": "nope"})
    unknown = service.client.post("/api/v1/session", json={"name": "nobody", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["message"] == unknown.json()["message"]
    garbled = service.client.post("/api/v1/session", content=b"{", headers={
        "content-type": "application/json"})
    assert garbled.status_code == 422
    text = service.client.post("/api/v1/session", content=b"x", headers={
        "content-type": "text/plain"})
    assert text.status_code == 422


def test_cookie_changes_need_the_csrf_token_bearer_changes_do_not(make_service: Any) -> None:
    from intake import fakes

    service: Service = make_service(fakes.needs_review())
    document = service.upload(service.station(), document_bytes())
    service.process()
    _account(service)
    login = service.client.post("/api/v1/session", json={"name": "rita", "password": PASSWORD})
    csrf, token = login.json()["csrf_token"], login.json()["token"]
    claim = f"/api/v1/documents/{document['id']}/claim"
    refused = service.client.post(claim)
    assert refused.status_code == 403 and refused.json()["code"] == "CsrfFailed"
    wrong = service.client.post(claim, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    assert service.client.post(claim, headers={"X-CSRF-Token": csrf}).status_code == 200
    service.client.cookies.clear()
    bearer = service.client.post(claim, headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 200


def test_an_idle_session_expires(make_service: Any) -> None:
    service: Service = make_service(session_idle_minutes=0.01)  # 0.6 s
    _account(service)
    token = service.client.post("/api/v1/session",
                                json={"name": "rita", "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert service.client.get("/api/v1/session", headers=headers).status_code == 200
    time.sleep(0.8)
    expired = service.client.get("/api/v1/session", headers=headers)
    assert expired.status_code == 401 and "log in again" in expired.json()["message"]


def test_a_session_ends_at_its_absolute_timeout_however_busy(make_service: Any) -> None:
    service: Service = make_service(session_absolute_hours=0.0002)  # 0.72 s
    _account(service)
    token = service.client.post("/api/v1/session",
                                json={"name": "rita", "password": PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if service.client.get("/api/v1/session", headers=headers).status_code == 401:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the session outlived its absolute timeout")


def test_logout_kills_the_token_and_the_cookie(service: Service) -> None:
    _account(service)
    login = service.client.post("/api/v1/session", json={"name": "rita", "password": PASSWORD})
    token, csrf = login.json()["token"], login.json()["csrf_token"]
    out = service.client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    again = service.client.get("/api/v1/session", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 401


def test_every_api_route_needs_authentication(service: Service) -> None:
    openapi = service.client.get("/openapi.json").json()
    for path, operations in openapi["paths"].items():
        for method in operations:
            if path in ("/healthz", "/readyz") or (path, method) == ("/api/v1/session", "post"):
                continue
            concrete = path.replace("{document_id}", "x").replace("{number}", "1").replace(
                "{child_id}", "1").replace("{job_id}", "1")
            response = service.client.request(method.upper(), concrete)
            assert response.status_code == 401, (method, path, response.status_code)
            assert set(response.json()) == {"code", "message", "status"}


def test_openapi_documents_errors_with_the_error_model(service: Service) -> None:
    openapi = service.client.get("/openapi.json").json()
    assert "Error" in openapi["components"]["schemas"]
    upload = openapi["paths"]["/api/v1/documents"]["post"]["responses"]
    assert {"202", "401", "403", "413", "415", "422"} <= set(upload)
    assert upload["415"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
