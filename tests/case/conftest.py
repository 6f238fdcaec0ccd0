"""Collect tests/case/cases/*.yaml: each case timeline, named in a sentence, is one pytest item."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.case import parse_case, plan_case

from .harness import BASE_CASE, CASE_KEYS, jsonable


class CaseItem(pytest.Item):
    def __init__(self, *, spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec

    def runtest(self) -> None:
        spec = self.spec
        unknown = set(spec) - CASE_KEYS
        assert not unknown, f"unknown keys in case: {sorted(unknown)}"
        case = {**BASE_CASE, **jsonable(spec.get("case") or {})}
        timeline = plan_case(parse_case(json.dumps(case)), spec.get("pack", "calworks-sc"))
        got = timeline.to_json()
        text = "\n".join(timeline.explanation)
        for key, want in spec["expect"].items():
            if key == "penalty":
                for field, value in want.items():
                    have = got["penalty"][field]
                    assert have == jsonable(value), f"penalty.{field}: {have!r} != {value!r}"
            elif key == "reminders_include":
                for reminder in want:
                    day, words = jsonable(reminder["date"]), reminder["action_has"]
                    assert any(
                        r["date"] == day and words in r["action"] for r in got["reminders"]
                    ), f"no reminder on {day} with {words!r}: {got['reminders']}"
            elif key == "explanation_has":
                for fragment in want:
                    assert fragment in text, f"{fragment!r} not in explanation:\n{text}"
            else:
                assert got[key] == jsonable(want), f"{key}: {got[key]!r} != {want!r}\n{text}"

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        return f"{self.name}\n{excinfo.getrepr(style='short')}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class CaseFile(pytest.File):
    def collect(self) -> Any:
        cases = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        names = [c["name"] for c in cases]
        assert len(names) == len(set(names)), f"{self.path.name}: case names repeat"
        for spec in cases:
            yield CaseItem.from_parent(self, name=spec["name"], spec=spec)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent == Path(__file__).parent / "cases":
        return CaseFile.from_parent(parent, path=file_path)
    return None
