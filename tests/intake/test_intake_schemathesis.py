"""Property-based API testing: schemathesis generates requests from /openapi.json; no 5xx."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from intake_support import PASSWORD, document_bytes, fast_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from intake import fakes
from intake.accounts import create_station, create_user, start_session
from intake.app import create_app

pytestmark = [
    pytest.mark.slow,
    # Schemathesis drives the app through Starlette's test client, which warns about httpx.
    pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`"),
]

_DIR = Path(__file__).parent
_STATE: dict[str, Any] = {}


def _app() -> Any:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="shotcheck-schemathesis-"))
    app = create_app(fast_settings(f"sqlite:///{folder}/api.db"), fakes.needs_review())
    database = app.state.database
    with database.session() as db:
        _STATE["station"] = create_station(db, "fuzz-station")
        create_user(db, "fuzz-admin", "admin", PASSWORD)
    with database.session() as db:
        _STATE["token"] = start_session(db, "fuzz-admin", PASSWORD)[0]
    return app


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_never_answers_with_a_server_error(case: Any) -> None:
    is_upload = case.path == "/api/v1/documents" and case.method == "POST"
    key = _STATE["station"] if is_upload else _STATE["token"]
    if is_upload and isinstance(case.body, dict) and "file" not in case.body:
        case.body["file"] = [document_bytes()]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {key}"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                response_schema_conformance],
    )
