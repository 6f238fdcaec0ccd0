"""Spot checks of the rendered HTML through Starlette's test client (no browser)."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette prefers httpx2 for its test client; httpx (a runtime dependency) still works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from tests.review_ui.live import PASSWORD, Seeded, build_app, copy_database, seeded_database


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    path = tmp_path_factory.mktemp("review-html") / "seed.db"
    return path, seeded_database(path)


@pytest.fixture
def client(tmp_path: Path, seed_file: tuple[Path, Seeded]) -> Iterator[TestClient]:
    copy_database(seed_file[0], tmp_path / "review.db")
    app = build_app(tmp_path / "review.db")
    with TestClient(app) as test_client:
        yield test_client
    app.state.database.dispose()


def signed_in(client: TestClient, user: str = "rita") -> TestClient:
    form = client.get("/review/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token is not None
    answer = client.post("/review/login", follow_redirects=False, data={
        "name": user, "password": PASSWORD, "login_token": token.group(1), "next": "/review/"})
    assert answer.status_code == 303, answer.text
    return client


def test_the_review_page_renders_its_view_model_under_a_strict_content_policy(
        client: TestClient, seed_file: tuple[Path, Seeded]) -> None:
    answer = signed_in(client).get(f"/review/documents/{seed_file[1].documents['mia']}")
    assert answer.status_code == 200
    page: Any = answer.context["page"]  # type: ignore[attr-defined]
    assert page.attention == 3 and page.verdict.label == "Not up to date"
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # No inline script or style: everything the policy would block is absent.
    assert not re.search(r"<script(?![^>]*\bsrc=)", answer.text)
    assert " style=" not in answer.text
    assert answer.headers["cache-control"] == "no-store"
    assert 'id="box-doses-6-date" class="box level-flagged"' in answer.text


def test_a_wrong_password_and_an_expired_sign_in_form_are_refused(client: TestClient) -> None:
    form = client.get("/review/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token is not None
    wrong = client.post("/review/login", data={"name": "rita", "password": "nope",
                                               "login_token": token.group(1)})
    assert wrong.status_code == 401 and "wrong password" in wrong.text
    stale = client.post("/review/login", data={"name": "rita", "password": PASSWORD,
                                               "login_token": "forged"})
    assert stale.status_code == 403 and "shotcheck_session" not in stale.headers.get(
        "set-cookie", "")


def test_errors_are_pages_and_redirects_stay_on_the_site(client: TestClient) -> None:
    assert client.get("/review/login?next=//evil.example/").context[  # type: ignore[attr-defined]
        "next"] == "/review/"
    missing = signed_in(client).get("/review/documents/no-such-id")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "no document with id" in missing.text


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_skip_moves_on_and_a_supervisor_reopens_an_accepted_document(
        client: TestClient, seed_file: tuple[Path, Seeded]) -> None:
    ids = seed_file[1].documents
    token = _csrf(signed_in(client, "sam").get("/review/").text)
    opened = client.post("/review/next", data={"csrf_token": token}, follow_redirects=False)
    assert opened.headers["location"] == f"/review/documents/{ids['mia']}"  # due first
    skipped = client.post(f"/review/documents/{ids['mia']}/skip", data={"csrf_token": token},
                          follow_redirects=False)
    assert skipped.headers["location"] == (f"/review/documents/{ids['ana']}"
                                           f"?done=skipped&prev={ids['mia']}")
    reopened = client.post(f"/review/documents/{ids['cair2']}/reopen",
                           data={"csrf_token": token, "expected_version": "1"})
    assert reopened.status_code == 200
    assert reopened.context["page"].state == "needs_review"  # type: ignore[attr-defined]
    assert "Reopened cair2.png" in reopened.text


def test_the_child_view_plans_the_case_timeline_from_pasted_case_data(
        client: TestClient, seed_file: tuple[Path, Seeded]) -> None:
    child = f"/review/children/{seed_file[1].mia_child}"
    token = _csrf(signed_in(client).get(child).text)
    case = {"event": "application", "application_date": "2026-10-01", "medi_cal": "existing",
            "noa_date": "2026-11-17", "members": [{"id": "mother", "role": "parent",
                                                   "in_au": True}],
            "children": [{"id": "mia", "birth_date": "2025-03-10"}]}
    planned = client.post(child, data={"csrf_token": token, "on": "2026-12-03",
                                       "case": json.dumps(case)})
    timeline: Any = planned.context["page"].timeline  # type: ignore[attr-defined]
    assert planned.status_code == 200, planned.text
    assert (timeline.due_date, timeline.penalty_months, timeline.penalized) == (
        "2026-11-15", "2026-12 to 2031-02", "mother")
    bad = client.post(child, data={"csrf_token": token, "case": '{"event": "party"}'})
    assert bad.status_code == 422 and "case data" in bad.text


def test_signing_out_ends_the_session(client: TestClient) -> None:
    token = _csrf(signed_in(client).get("/review/").text)
    out = client.post("/review/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/review/login"
    assert client.get("/review/", follow_redirects=False).headers["location"].startswith(
        "/review/login")


def test_a_refused_approval_keeps_the_corrections_and_says_why(
        client: TestClient, seed_file: tuple[Path, Seeded]) -> None:
    mia = f"/review/documents/{seed_file[1].documents['mia']}"
    token = _csrf(signed_in(client).get(mia).text)
    client.post(f"{mia}/claim", data={"csrf_token": token})
    form = {"csrf_token": token, "expected_version": "1", "child_name": "Mia Santos",
            "child_birth_date": "2025-03-10", "dose-0-vaccine": "Zostavax",
            "dose-0-date": "2025-03-10", "dose-0-orig": "HepB"}
    refused = client.post(f"{mia}/approve", data=form)
    assert refused.status_code == 409 and "Saved, not approved" in refused.text
    page: Any = refused.context["page"]  # type: ignore[attr-defined]
    assert page.version == 2 and page.state == "needs_review"
    assert "unknown vaccine name 'Zostavax'" in page.errors[0]


def test_installing_the_pages_leaves_the_api_reference_alone(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths and not [p for p in paths if p.startswith("/review") or p == "/"]
    css = client.get("/review/static/review.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
