"""Collect tests/calworks/cases/*.yaml: each case, named in a sentence, is one pytest item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .harness import jsonable, run_case


class CalworksCase(pytest.Item):
    def __init__(self, *, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec

    def runtest(self) -> None:
        verdict = run_case(self.spec)
        check(verdict.model_dump(mode="json"), self.spec["expect"], verdict.explanation)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        return f"{self.name}\n{excinfo.getrepr(style='short')}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


def check(got: dict[str, Any], expect: dict[str, Any], explanation: tuple[str, ...]) -> None:
    """Compare only what the case states; `explanation_has` lists substrings of some sentence."""
    text = "\n".join(explanation)
    for key, want in expect.items():
        if key == "explanation_has":
            for fragment in want:
                assert fragment in text, f"{fragment!r} not in explanation:\n{text}"
        elif key == "groups":
            for group, fields in want.items():
                for field, value in fields.items():
                    have = got["groups"][group][field]
                    assert have == jsonable(value), (
                        f"{group}.{field}: got {have!r}, want {value!r}\n{text}"
                    )
        else:
            assert got[key] == jsonable(want), f"{key}: got {got[key]!r}, want {want!r}\n{text}"


class CalworksFile(pytest.File):
    def collect(self) -> Any:
        cases = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        names = [c["name"] for c in cases]
        assert len(names) == len(set(names)), f"{self.path.name}: case names repeat"
        for spec in cases:
            yield CalworksCase.from_parent(self, name=spec["name"], spec=spec)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent == Path(__file__).parent / "cases":
        return CalworksFile.from_parent(parent, path=file_path)
    return None
