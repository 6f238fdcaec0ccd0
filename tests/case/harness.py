"""The contract's example case, which each YAML case changes only where it says."""

from __future__ import annotations

import datetime as dt
from typing import Any

CASE_KEYS = {"name", "pack", "case", "expect"}
# The case contract's example; each YAML case states only what differs from it.
BASE_CASE: dict[str, Any] = {
    "event": "application",
    "application_date": "2024-12-15",
    "medi_cal": "existing",
    "medi_cal_approval_date": None,
    "interview_date": None,
    "good_cause_date": None,
    "verification_date": None,
    "noa_date": None,
    "members": [
        {"id": "m1", "role": "parent", "in_au": True},
        {"id": "m2", "role": "stepparent", "in_au": True, "needy_caretaker": False},
    ],
    "children": [{"id": "c1", "birth_date": "2021-06-05", "verified": False, "exempt": False}],
}


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, anywhere in a structure."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value
