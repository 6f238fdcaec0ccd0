"""Load a rule pack strictly: duplicate or unknown keys rejected, the file named in every error."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from engine.errors import BadInput, DataError
from engine.rules.schema import Pack

__all__ = ["DEFAULT_PACK", "load_pack", "load_pack_file", "pack_names"]

DEFAULT_PACK = "calworks-sc"
_SUFFIX = ".yaml"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key written twice (PyYAML keeps the last silently)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} written twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _packaged_dir() -> Path:
    return Path(str(resources.files("engine.rules")))


def pack_names() -> list[str]:
    """The names of the rule packs shipped with the engine, sorted."""
    return sorted(p.name.removesuffix(_SUFFIX) for p in _packaged_dir().glob(f"*{_SUFFIX}"))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except OSError as exc:
        raise DataError(f"rule pack {path.name}: cannot read it ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise DataError(f"rule pack {path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise DataError(f"rule pack {path.name}: expected a mapping at the top level")
    return raw


def _is_cited_entry(value: object) -> bool:
    return isinstance(value, dict) and "source" in value


def _overlay(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    # A cited entry is replaced whole, so an overridden value never keeps its parent's citation.
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict) and not _is_cited_entry(value):
            merged[key] = _overlay(old, value)
        else:
            merged[key] = value
    return merged


def _resolve(path: Path, chain: tuple[str, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
    raw = _read_yaml(path)
    chain = (*chain, path.name)
    parent = raw.get("inherits")
    if parent is None:
        return raw, chain
    if not isinstance(parent, str):
        raise DataError(f"rule pack {path.name}: 'inherits' must name a pack")
    parent_path = path.with_name(f"{parent}{_SUFFIX}")
    if parent_path.name in chain:
        raise DataError(f"rule pack {path.name}: inherits from itself through {parent_path.name}")
    if not parent_path.is_file():
        raise DataError(f"rule pack {path.name}: inherits from {parent!r}, which does not exist")
    base, chain = _resolve(parent_path, chain)
    return _overlay(base, raw), chain


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def load_pack_file(path: Path) -> Pack:
    """Load and validate the rule pack in `path`, resolving `inherits` beside it.

    Raises:
        DataError: when the file, or a file it inherits from, is unreadable or does not match
            the rule-pack schema; the message names the file.
    """
    raw, chain = _resolve(path, ())
    if raw.get("name") != path.name.removesuffix(_SUFFIX):
        raise DataError(f"rule pack {path.name}: 'name' must be {path.stem!r}")
    try:
        return Pack.model_validate(raw)
    except ValidationError as exc:
        files = " inheriting ".join(chain)
        raise DataError(f"rule pack {files}: {_describe(exc)}") from exc


@functools.cache
def load_pack(name: str = DEFAULT_PACK) -> Pack:
    """Load a rule pack shipped with the engine by its name (e.g. "calworks-la").

    Raises:
        BadInput: when no pack has that name (the user chose it).
        DataError: when the shipped pack is broken.
    """
    if name not in pack_names():
        raise BadInput(f"unknown rule pack {name!r}: choose one of {', '.join(pack_names())}")
    return load_pack_file(_packaged_dir() / f"{name}{_SUFFIX}")
