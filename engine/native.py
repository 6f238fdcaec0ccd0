"""Use the engine's mypyc-compiled modules when they are built and match their sources.

`make compile` (`python -m engine.build_native`) compiles the engine's hot modules with
mypyc into `build/native/`, beside a manifest of their sources' hashes. The compiled modules
are used only when every one of those sources is unchanged since: after an edit, all of them
load from source again (the modules of one build share native classes, so a compiled module
cannot run beside a source one), until the next `make compile`. The answers are the same
either way; only the speed differs. `SHOTCHECK_PURE_PYTHON=1` forces the sources.

This module is imported by `engine/__init__.py`, before any engine module, and is never
compiled itself.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

__all__ = ["COMPILED_MODULES", "GROUP", "install", "source_digest", "status"]

# The modules worth compiling: the per-dose and per-series work of the CDSi logic, the
# supporting-data structures it reads in its inner loops, and the CalWORKs chart run for every
# group of every record. Everything else stays Python. (The Makefile rebuilds when a file of
# engine/, engine/cdsi/ or engine/calworks/ changes.)
COMPILED_MODULES: tuple[str, ...] = (
    "engine.dates",
    "engine.cdsi.schema",
    "engine.cdsi.state",
    "engine.cdsi.evaluate",
    "engine.cdsi.evaluate_age",
    "engine.cdsi.evaluate_interval",
    "engine.cdsi.skip",
    "engine.cdsi.live_virus",
    "engine.cdsi.forecast",
    "engine.cdsi.best_series",
    "engine.cdsi.gather",
    "engine.cdsi.select",
    "engine.cdsi.signature",
    "engine.cdsi.vaccine_group",
    "engine.cdsi.run",
    "engine.calworks.chart",
    "engine.calworks.assess",
    "engine.calworks.explain",
    "engine.calworks.partial",
    "engine.calworks.evidence",
)
# The shared library mypyc builds beside the modules (its runtime and the native classes).
GROUP = "shotcheck_engine"
GROUP_LIBRARY = f"{GROUP}__mypyc"

PROJECT = Path(__file__).resolve().parent.parent
BUILD = PROJECT / "build" / "native"
MANIFEST = BUILD / "manifest.json"

_status = "pure Python: not compiled (run `make compile`)"


def status() -> str:
    """How the engine runs in this process: compiled, or pure Python and why."""
    return _status


def source_path(module: str) -> Path:
    """The source file of one of the engine's modules."""
    return PROJECT / (module.replace(".", "/") + ".py")


def source_digest(module: str) -> str:
    """The SHA-256 of a module's source, as the manifest records it."""
    return hashlib.sha256(source_path(module).read_bytes()).hexdigest()


def library_path(module: str, build: Path = BUILD) -> Path:
    """Where the compiled extension of `module` lies in a build, for this Python."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    return build / (module.replace(".", "/") + suffix)


class _CompiledFinder(importlib.abc.MetaPathFinder):
    """Finds the compiled engine modules in the build before the sources are looked at."""

    def __init__(self, libraries: dict[str, Path]):
        self.libraries = libraries

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        library = self.libraries.get(fullname)
        if library is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(library))
        return importlib.util.spec_from_file_location(fullname, library, loader=loader)


def _usable_build(build: Path) -> tuple[dict[str, Path] | None, str]:
    # The libraries to load, or None and why not.
    manifest = build / "manifest.json"
    if not manifest.exists():
        return None, "pure Python: not compiled (run `make compile`)"
    try:
        recorded = json.loads(manifest.read_text())
    except (OSError, ValueError) as exc:
        return None, f"pure Python: unreadable {manifest}: {exc}"
    if recorded.get("modules", {}).keys() != set(COMPILED_MODULES):
        return None, "pure Python: the build compiled other modules (run `make compile`)"
    libraries = {GROUP_LIBRARY: library_path(GROUP_LIBRARY, build)}
    for module in COMPILED_MODULES:
        if recorded["modules"][module] != source_digest(module):
            return None, f"pure Python: {source_path(module).name} changed since `make compile`"
        libraries[module] = library_path(module, build)
    missing = [path.name for path in libraries.values() if not path.exists()]
    if missing:
        return None, f"pure Python: no build for this Python ({missing[0]} missing)"
    return libraries, f"compiled with mypyc ({build})"


def install(build: Path = BUILD) -> str:
    """Put the compiled modules first in the import system when the build matches the sources.

    Returns the status. Does nothing when an engine module is already imported (the sources
    would then be mixed with the build) or when SHOTCHECK_PURE_PYTHON is set.
    """
    global _status
    if os.environ.get("SHOTCHECK_PURE_PYTHON"):
        _status = "pure Python: SHOTCHECK_PURE_PYTHON is set"
        return _status
    if any(module in sys.modules for module in COMPILED_MODULES):
        return _status
    libraries, _status = _usable_build(build)
    if libraries is not None:
        sys.meta_path.insert(0, _CompiledFinder(libraries))
    return _status
