"""Regenerate the verdict golden files: `python -m tests.calworks.regenerate_golden`.

Writes tests/calworks/golden/<name>.json for every input in golden_inputs.yaml and removes
golden files no input names any more. Review the diff before committing it.
"""

from __future__ import annotations

from .golden import GOLDEN, golden_path, inputs, render


def main() -> None:
    """Write every golden file afresh."""
    GOLDEN.mkdir(exist_ok=True)
    wanted = set()
    for spec in inputs():
        path = golden_path(spec)
        path.write_text(render(spec), encoding="utf-8")
        wanted.add(path)
        print(f"wrote {path.relative_to(GOLDEN.parents[2])}")
    for stale in set(GOLDEN.glob("*.json")) - wanted:
        stale.unlink()
        print(f"removed {stale.name}")


if __name__ == "__main__":
    main()
