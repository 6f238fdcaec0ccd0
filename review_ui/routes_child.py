"""Page: a child across documents, the verdict on a chosen date, printable for the case file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from engine.errors import ShotcheckError
from intake.audit import record_event
from review_ui.child_view import TimelineView, child_page, load_child, merge_with_sources
from review_ui.forms import parse_date
from review_ui.web import PREFIX, form_viewer, page_errors, render, services, viewer

__all__ = ["router"]

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _case_skeleton(birth_date: dt.date) -> str:
    # What a worker fills in from the case (the `shotcheck case` contract); never stored.
    return json.dumps({
        "event": "application", "application_date": "YYYY-MM-DD", "medi_cal": "existing",
        "noa_date": None, "members": [{"id": "parent", "role": "parent", "in_au": True}],
        "children": [{"id": "child", "birth_date": birth_date.isoformat()}],
    }, indent=2)


def _timeline(text: str, rules: str) -> tuple[TimelineView | None, str | None]:
    from engine.case import parse_case, plan_case
    from review_ui.child_view import timeline_view

    try:
        return timeline_view(plan_case(parse_case(text, "case data"), rules)), None
    except ShotcheckError as exc:
        return None, str(exc)


def _child(request: Request, child_id: int, on: str, form: Mapping[str, Any] | None) -> Response:
    database, settings, pipeline = services(request)
    day = parse_date(on) if on else None
    errors = [] if day or not on else [f"“{on}” is not a date (YYYY-MM-DD); showing today."]
    day = day or dt.date.today()
    case_text = str(form.get("case", ""))[:20_000] if form else ""
    with page_errors(), database.session() as db:
        who = form_viewer(request, db, form) if form is not None else viewer(request, db)
        found, documents = load_child(db, child_id)
        record, _doses = merge_with_sources(documents)
        check, problem = None, None
        if record:
            try:
                check = pipeline.check(record, day)
            except ShotcheckError as exc:
                problem = f"the check could not run: {exc}"
        timeline = None
        if case_text.strip():
            timeline, case_error = _timeline(case_text, settings.rules)
            errors += [case_error] if case_error else []
        record_event(db, who.actor.label, "viewed_child", None, f"child {child_id} on {day}")
        page = child_page(found, documents, day, check, timeline, problem=problem)
        skeleton = case_text or _case_skeleton(found.birth_date)
    return render(request, "child.html", {"viewer": who, "page": page, "errors": errors,
                                          "case_text": skeleton}, status=422 if errors else 200)


@router.get("/children/{child_id}")
def child(request: Request, child_id: int,
          on: Annotated[str, Query(max_length=10)] = "") -> Response:
    """Every document of the child, merged doses with their source, the verdict on `on`."""
    return _child(request, child_id, on, None)


@router.post("/children/{child_id}")
async def child_with_case(request: Request, child_id: int) -> Response:
    """The child view with the case timeline of case data the worker pasted (not stored)."""
    form = await request.form()
    return await run_in_threadpool(_child, request, child_id, str(form.get("on", "")), form)
