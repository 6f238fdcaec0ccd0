"""The verdict golden files: where they live and how one is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.golden_set import GoldenSet

from .harness import run_case

HERE = Path(__file__).resolve().parent


def render(spec: dict[str, Any]) -> str:
    """The verdict as the golden file holds it: the JSON, two-space indented, newline-ended."""
    return json.dumps(run_case(spec).model_dump(mode="json"), indent=2) + "\n"


GOLDEN_SET = GoldenSet(HERE, render)
GOLDEN = GOLDEN_SET.folder
inputs = GOLDEN_SET.inputs
golden_path = GOLDEN_SET.path
