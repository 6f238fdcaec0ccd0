"""Load the vendored CDSi supporting data once into typed structures (xml.etree, cached).

The release is chosen by `engine/data/cdsi.yaml`; every schedule number the engine uses comes
from these files. A malformed file raises DataError naming the file and the element.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from engine.cdsi.read_xml import canonical_cvx, read_antigen, read_schedule
from engine.cdsi.schema import Antigen, SupportingData
from engine.errors import DataError

__all__ = ["canonical_cvx", "data_dir", "load_supporting_data", "read_supporting_data"]


def data_dir() -> Path:
    """The folder holding the engine's data files (`engine/data`)."""
    return Path(str(resources.files("engine") / "data"))


def _read_settings() -> dict[str, Any]:
    path = data_dir() / "cdsi.yaml"
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot read the CDSi settings: {exc}") from exc
    if not isinstance(settings, dict) or not {"release", "folder", "vaccine_groups"} <= set(
        settings
    ):
        raise DataError(f"{path}: needs 'release', 'folder' and 'vaccine_groups'")
    return settings


@functools.cache
def load_supporting_data() -> SupportingData:
    """The CDSi release `engine/data/cdsi.yaml` names, read and validated once per process.

    Raises:
        DataError: when a file is missing or does not match what the engine reads.
    """
    settings = _read_settings()
    data = read_supporting_data(
        data_dir() / str(settings["folder"]),
        release=str(settings["release"]),
        group_names={str(k): str(v) for k, v in settings["vaccine_groups"].items()},
    )
    evidence = settings.get("immunity_evidence") or {}
    data.evidence_codes.update(
        {str(kind): frozenset(str(c) for c in codes) for kind, codes in evidence.items()}
    )
    return data


def read_supporting_data(
    folder: Path, *, release: str, group_names: dict[str, str]
) -> SupportingData:
    """Read one release's XML files from `folder` (uncached; `load_supporting_data` caches).

    Args:
        folder: the folder holding ScheduleSupportingData.xml and the antigen files.
        release: the release's name, e.g. "4.64".
        group_names: shotcheck's vaccine-group names mapped to CDSi's.

    Raises:
        DataError: naming the file, when one is missing or does not match what the engine reads.
    """
    try:
        schedule = read_schedule(folder / "ScheduleSupportingData.xml")
    except (OSError, ET.ParseError, ValueError, DataError) as exc:
        raise DataError(f"{folder}/ScheduleSupportingData.xml: {exc}") from exc
    antigens: dict[str, Antigen] = {}
    for ours, cdsi_name in group_names.items():
        group = schedule.vaccine_groups.get(cdsi_name)
        if group is None:
            raise DataError(f"{folder}: no vaccine group {cdsi_name!r} (for {ours})")
        for antigen in group.antigens:
            path = folder / f"AntigenSupportingData- {antigen}-508.xml"
            try:
                antigens[antigen] = read_antigen(path, antigen)
            except (OSError, ET.ParseError, ValueError, DataError) as exc:
                raise DataError(f"{path}: {exc}") from exc
            if not antigens[antigen].series:
                raise DataError(f"{path}: no antigen series")
    return SupportingData(
        release=release, antigens=antigens, schedule=schedule, group_names=dict(group_names)
    )
