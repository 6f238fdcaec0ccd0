"""The case store: a CalWORKs case's data by case number, and its timeline (engine.case).

A worker saves the case data (the `shotcheck case` JSON: the event, its dates, the household)
once; the child view of every child of that case then shows the verification due date, the
penalty months and the follow-ups. Saving again replaces it; every save is audited.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from engine.case import parse_case, plan_case
from engine.errors import ShotcheckError
from intake.accounts import Actor, has_role
from intake.audit import record_event
from intake.errors import BadUpload, Forbidden, NotFound
from intake.models import CaseFile, Role, utcnow
from intake.schemas import CaseView

__all__ = ["MAX_CASE_BYTES", "get_case", "require_case", "save_case"]

MAX_CASE_BYTES = 20_000


def _view(case: CaseFile, rules: str) -> CaseView:
    timeline: dict[str, Any] | None = None
    problem = None
    try:
        timeline = plan_case(parse_case(json.dumps(case.data), "case data"), rules).to_json()
    except ShotcheckError as exc:
        # Stored under older rules, or a pack that changed: the data stays, the page says why.
        problem = f"the case timeline cannot be planned: {exc}"
    return CaseView(case_number=case.case_number, data=case.data, updated_at=case.updated_at,
                    updated_by=case.updated_by, timeline=timeline, problem=problem)


def get_case(db: Session, case_number: str, actor: Actor, rules: str) -> CaseView | None:
    """The case data on file for `case_number` with its timeline, None when there is none."""
    if not has_role(actor, Role.REVIEWER):
        raise Forbidden("case data is for reviewers")
    case = db.get(CaseFile, case_number.strip())
    return None if case is None else _view(case, rules)


def save_case(db: Session, case_number: str, data: str | bytes | dict[str, Any], actor: Actor,
              rules: str) -> CaseView:
    """Validate case data (engine.case) and store it for `case_number`, replacing any before.

    Raises:
        BadCase: the data is not a case (the message names the first field that is wrong).
        BadUpload: an empty case number or data over MAX_CASE_BYTES.
    """
    if not has_role(actor, Role.REVIEWER):
        raise Forbidden("case data is for reviewers")
    number = case_number.strip()
    if not number or len(number) > 64:
        raise BadUpload("a case number must be 1 to 64 characters")
    text = data if isinstance(data, (str, bytes)) else json.dumps(data)
    if len(text) > MAX_CASE_BYTES:
        raise BadUpload(f"the case data is over {MAX_CASE_BYTES} bytes")
    case = parse_case(text, "case data")
    plan_case(case, rules)  # data the rules cannot plan is refused now, not on every view
    stored: dict[str, Any] = case.model_dump(mode="json", exclude_defaults=True)
    found = db.get(CaseFile, number)
    if found is None:
        found = CaseFile(case_number=number, data=stored, updated_by=actor.label)
        db.add(found)
    else:
        found.data, found.updated_by, found.updated_at = stored, actor.label, utcnow()
    db.flush()
    record_event(db, actor.label, "case_saved", None, f"case {number}")
    return _view(found, rules)


def require_case(db: Session, case_number: str, actor: Actor, rules: str) -> CaseView:
    """The case on file, or NotFound."""
    view = get_case(db, case_number, actor, rules)
    if view is None:
        raise NotFound(f"no case data on file for case {case_number!r}")
    return view
