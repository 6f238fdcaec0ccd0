"""The case timeline golden files: where they live and how one is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.case import parse_case, plan_case
from tests.golden_set import GoldenSet

from .harness import BASE_CASE, jsonable

HERE = Path(__file__).resolve().parent


def render(spec: dict[str, Any]) -> str:
    """The timeline as the golden file holds it: the JSON, two-space indented, newline-ended."""
    case = {**BASE_CASE, **jsonable(spec.get("case") or {})}
    timeline = plan_case(parse_case(json.dumps(case)), spec.get("pack", "calworks-sc"))
    return json.dumps(timeline.to_json(), indent=2) + "\n"


GOLDEN_SET = GoldenSet(HERE, render)
GOLDEN = GOLDEN_SET.folder
inputs = GOLDEN_SET.inputs
golden_path = GOLDEN_SET.path
