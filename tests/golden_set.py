"""Golden files of named YAML inputs: one JSON file each, rewritten by one command.

The CalWORKs verdicts (tests/calworks) and the case timelines (tests/case) keep theirs this
way; each folder says only how an input is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Spec = dict[str, Any]


class GoldenSet:
    """`folder/golden_inputs.yaml` and the golden files `folder/golden/<name>.json`."""

    def __init__(self, folder: Path, render: Callable[[Spec], str]) -> None:
        self.inputs_file = folder / "golden_inputs.yaml"
        self.folder = folder / "golden"
        self.render = render

    def inputs(self) -> list[Spec]:
        """The golden inputs, in file order."""
        loaded: list[Spec] = yaml.safe_load(self.inputs_file.read_text(encoding="utf-8"))
        return loaded

    def path(self, spec: Spec) -> Path:
        """The golden file of one input, named after it."""
        return self.folder / f"{re.sub(r'[^a-z0-9]+', '-', spec['name'].lower()).strip('-')}.json"

    def regenerate(self) -> None:
        """Write every golden file afresh and remove those no input names any more."""
        self.folder.mkdir(exist_ok=True)
        wanted = set()
        for spec in self.inputs():
            path = self.path(spec)
            path.write_text(self.render(spec), encoding="utf-8")
            wanted.add(path)
            print(f"wrote {path.relative_to(self.folder.parents[2])}")
        for stale in set(self.folder.glob("*.json")) - wanted:
            stale.unlink()
            print(f"removed {stale.name}")
