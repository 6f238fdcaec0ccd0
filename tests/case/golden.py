"""The case timeline golden files: where they live and how one is written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from engine.case import parse_case, plan_case

from .harness import BASE_CASE, jsonable

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "golden_inputs.yaml"
GOLDEN = HERE / "golden"


def inputs() -> list[dict[str, Any]]:
    """The golden inputs, in file order."""
    loaded: list[dict[str, Any]] = yaml.safe_load(INPUTS.read_text(encoding="utf-8"))
    return loaded


def golden_path(spec: dict[str, Any]) -> Path:
    """The golden file of one input, named after it."""
    return GOLDEN / f"{re.sub(r'[^a-z0-9]+', '-', spec['name'].lower()).strip('-')}.json"


def render(spec: dict[str, Any]) -> str:
    """The timeline as the golden file holds it: the JSON, two-space indented, newline-ended."""
    case = {**BASE_CASE, **jsonable(spec.get("case") or {})}
    timeline = plan_case(parse_case(json.dumps(case)), spec.get("pack", "calworks-sc"))
    return json.dumps(timeline.to_json(), indent=2) + "\n"
