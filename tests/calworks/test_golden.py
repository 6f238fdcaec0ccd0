"""Whole verdicts compared with their golden files (see regenerate_golden)."""

from __future__ import annotations

from typing import Any

import pytest

from .golden import golden_path, inputs, render


@pytest.mark.parametrize("spec", inputs(), ids=lambda spec: spec["name"])
def test_the_verdict_matches_its_golden_file(spec: dict[str, Any]) -> None:
    path = golden_path(spec)
    assert path.is_file(), f"no golden file {path.name}: python -m tests.calworks.regenerate_golden"
    assert render(spec) == path.read_text(encoding="utf-8"), (
        f"{path.name} differs; after a deliberate change run "
        "python -m tests.calworks.regenerate_golden and review the diff"
    )
