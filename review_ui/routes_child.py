"""Page: a child across documents, the verdict on a chosen date, printable for the case file."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from engine.errors import ShotcheckError
from intake.cases import MAX_CASE_BYTES, save_case
from intake.children import get_child
from intake.models import Child
from review_ui.child_view import child_page
from review_ui.forms import parse_date
from review_ui.web import PREFIX, form_viewer, page_errors, render, see_other, services, viewer

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _case_skeleton(birth_date: dt.date) -> str:
    # What a worker fills in from the case (the `shotcheck case` contract).
    return json.dumps({
        "event": "application", "application_date": "YYYY-MM-DD", "medi_cal": "existing",
        "noa_date": None, "members": [{"id": "parent", "role": "parent", "in_au": True}],
        "children": [{"id": "child", "birth_date": birth_date.isoformat()}],
    }, indent=2)


def _child(request: Request, child_id: int, on: str, form: Any = None) -> Response:
    database, settings, pipeline = services(request)
    day = parse_date(on) if on else None
    errors = [] if day or not on else [f"“{on}” is not a date (YYYY-MM-DD); showing today."]
    day = day or dt.date.today()
    case_text = str(form.get("case", ""))[:MAX_CASE_BYTES] if form is not None else ""
    with page_errors(), database.session() as db:
        who = form_viewer(request, db, form) if form is not None else viewer(request, db)
        found = db.get(Child, child_id)
        if form is not None and found is not None:
            try:
                with db.begin_nested():
                    save_case(db, found.case_number, case_text, who.actor, settings.rules)
            except ShotcheckError as exc:
                errors.append(f"The case data was not saved: {exc}")
            else:
                return see_other(f"{PREFIX}/children/{child_id}?on={day}&saved=case#case-title")
        view = get_child(db, child_id, who.actor, pipeline.check, day, settings.rules)
        page = child_page(view, day)
        if case_text:
            shown = case_text
        elif page.case_data is not None:
            shown = json.dumps(page.case_data, indent=2)
        else:
            shown = _case_skeleton(found.birth_date) if found else ""
    notice = "Case data saved." if request.query_params.get("saved") == "case" else ""
    return render(request, "child.html", {"viewer": who, "page": page, "errors": errors,
                                          "case_text": shown, "notice": notice},
                  status=422 if errors else 200)


@router.get("/children/{child_id}")
def child(request: Request, child_id: int,
          on: Annotated[str, Query(max_length=10)] = "") -> Response:
    """Every document of the child, merged doses with their sources, the verdict on `on`."""
    return _child(request, child_id, on)


@router.post("/children/{child_id}")
async def child_with_case(request: Request, child_id: int) -> Response:
    """Save the case data the worker entered (intake's case store), then show the timeline."""
    form = await request.form()
    return await run_in_threadpool(_child, request, child_id, str(form.get("on", "")), form)
