"""The rule packs: every value cited (and the quoted passage really in the cited document), the
loader strict, inheritance replacing whole cited entries, and no schedule number in the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.errors import BadInput, DataError
from engine.model import VaccineGroup
from engine.rules import load_pack, load_pack_file, pack_names

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "engine" / "rules"
# The cited texts, vendored beside the packs (engine/rules/sources/PROVENANCE.md).
SOURCES = RULES / "sources"
DOCUMENTS = {p.name: p for p in SOURCES.glob("*") if p.is_file() and p.name != "PROVENANCE.md"}
# Keys that name or describe a pack rather than state a rule.
PACK_META = {"name", "title", "inherits"}
PACKS = sorted(RULES.glob("*.yaml"))


def _entries(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every mapping that states a value (a scalar or list), with where it is."""
    found = []
    if isinstance(node, dict):
        values = [k for k, v in node.items() if not isinstance(v, dict) and k not in PACK_META]
        if values and path:
            found.append((path, node))
        for key, value in node.items():
            found += _entries(value, f"{path}.{key}" if path else str(key))
    return found


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_every_value_in_a_pack_carries_a_citation(pack: Path) -> None:
    raw = yaml.safe_load(pack.read_text(encoding="utf-8"))
    uncited = [where for where, entry in _entries(raw) if not str(entry.get("source", "")).strip()]
    assert not uncited, f"{pack.name}: values without a source: {uncited}"
    top_level_values = [k for k, v in raw.items() if not isinstance(v, dict) and k not in PACK_META]
    assert not top_level_values, f"{pack.name}: uncited values at the top level: {top_level_values}"


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_every_citation_names_a_document_and_quotes_it_word_for_word(pack: Path) -> None:
    assert DOCUMENTS, f"the cited texts are missing from {SOURCES}"
    raw = yaml.safe_load(pack.read_text(encoding="utf-8"))
    for where, entry in _entries(raw):
        source = entry["source"]
        document = re.split(r"[ ,:]", source, maxsplit=1)[0]
        assert document in DOCUMENTS, f"{pack.name} {where}: {document!r} is not a seed or spec"
        first, last = source.find('"'), source.rfind('"')
        assert first < last, f"{pack.name} {where}: the source quotes no passage"
        quote = _normalised(source[first + 1 : last])
        text = _normalised(DOCUMENTS[document].read_text(encoding="utf-8"))
        assert quote in text, f"{pack.name} {where}: {quote!r} is not in {document}"


def test_the_shipped_packs_are_sc_and_la() -> None:
    assert pack_names() == ["calworks-la", "calworks-sc"]


def test_the_la_pack_overrides_polio_3_and_the_hib_booster_and_inherits_the_rest() -> None:
    sc, la = load_pack("calworks-sc"), load_pack("calworks-la")
    assert la.groups[VaccineGroup.POLIO].doses[3].due_by == "16 months"
    assert la.groups[VaccineGroup.POLIO].doses[3].source.startswith("001_9c18ae824d0cb70f.txt")
    booster = la.groups[VaccineGroup.HIB].booster
    assert booster is not None and booster.due_by == "15 months"
    assert la.groups[VaccineGroup.DTAP] == sc.groups[VaccineGroup.DTAP]
    assert la.case == sc.case
    assert la.groups[VaccineGroup.POLIO].doses[1] == sc.groups[VaccineGroup.POLIO].doses[1]


def test_an_unknown_pack_name_is_the_users_mistake() -> None:
    with pytest.raises(BadInput, match="unknown rule pack 'calworks-xx'.*calworks-la, calworks-sc"):
        load_pack("calworks-xx")


def _copy_packs(tmp_path: Path) -> Path:
    for pack in PACKS:
        (tmp_path / pack.name).write_text(pack.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_an_unknown_key_is_rejected_and_the_error_names_the_file(tmp_path: Path) -> None:
    folder = _copy_packs(tmp_path)
    path = folder / "calworks-sc.yaml"
    typo = "  Polio:\n    dose_typo: 1\n    doses:"
    path.write_text(path.read_text().replace("  Polio:\n    doses:", typo))
    with pytest.raises(DataError, match=r"calworks-sc\.yaml: groups\.Polio\.dose_typo: Extra"):
        load_pack_file(path)


def test_an_error_in_a_parent_names_the_child_and_the_parent(tmp_path: Path) -> None:
    folder = _copy_packs(tmp_path)
    parent = folder / "calworks-sc.yaml"
    parent.write_text(parent.read_text().replace('due_by: "15 months"', 'due_by: "15 monthz"'))
    with pytest.raises(DataError, match=r"calworks-la\.yaml inheriting calworks-sc\.yaml: .*z'"):
        load_pack_file(folder / "calworks-la.yaml")


def test_a_value_without_a_source_is_rejected(tmp_path: Path) -> None:
    folder = _copy_packs(tmp_path)
    path = folder / "calworks-la.yaml"
    cited = ", source: '001_9c18ae824d0cb70f.txt, Schedule I: \"Polio"
    path.write_text(path.read_text().replace(cited, ", note: '\"Polio"))
    with pytest.raises(DataError, match=r"calworks-la\.yaml"):
        load_pack_file(path)


def test_a_key_written_twice_is_rejected(tmp_path: Path) -> None:
    folder = _copy_packs(tmp_path)
    path = folder / "calworks-sc.yaml"
    text = path.read_text()
    twice = "exemptions:\n  medical: {scope: child, source: x}\n"
    path.write_text(text.replace("exemptions:\n", twice, 1))
    with pytest.raises(DataError, match=r"calworks-sc\.yaml: not valid YAML: .*written twice"):
        load_pack_file(path)


def test_a_pack_whose_name_is_not_its_file_name_is_rejected(tmp_path: Path) -> None:
    folder = _copy_packs(tmp_path)
    (folder / "calworks-sc.yaml").rename(folder / "calworks-xy.yaml")
    with pytest.raises(DataError, match=r"calworks-xy\.yaml: 'name' must be 'calworks-xy'"):
        load_pack_file(folder / "calworks-xy.yaml")


def test_a_pack_that_inherits_from_itself_is_rejected(tmp_path: Path) -> None:
    folder = _copy_packs(tmp_path)
    path = folder / "calworks-la.yaml"
    path.write_text(path.read_text().replace("inherits: calworks-sc", "inherits: calworks-la"))
    with pytest.raises(DataError, match="inherits from itself"):
        load_pack_file(path)


def test_a_required_dose_needs_a_due_by_age(tmp_path: Path) -> None:
    folder = _copy_packs(tmp_path)
    path = folder / "calworks-sc.yaml"
    path.write_text(path.read_text().replace('1: {due_by: "15 months", ', "1: {"))
    with pytest.raises(DataError, match=r"groups\.MMR\.doses\.1: .*a required dose needs 'due_by'"):
        load_pack_file(path)


_ENGINE_MODULES = sorted(
    p for package in ("calworks", "case", "rules") for p in (REPO / "engine" / package).glob("*.py")
)


@pytest.mark.parametrize("module", _ENGINE_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_schedule_number_lives_in_the_code(module: Path) -> None:
    numbers = [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and node.value not in (0, 1)
    ]
    assert not numbers, f"{module.name}: numbers in code (put them in a rule pack): {numbers}"
