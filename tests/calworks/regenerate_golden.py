"""Regenerate the verdict golden files: `python -m tests.calworks.regenerate_golden`.

Writes tests/calworks/golden/<name>.json for every input in golden_inputs.yaml and removes
golden files no input names any more. Review the diff before committing it.
"""

from __future__ import annotations

from .golden import GOLDEN_SET

if __name__ == "__main__":
    GOLDEN_SET.regenerate()
