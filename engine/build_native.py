"""Compile the engine's hot modules with mypyc: `python -m engine.build_native` (`make compile`).

Writes the extensions to build/native/ and, last, a manifest of the sources' hashes, which
engine/native.py checks before it loads them. Compiling needs a C compiler and the Python
headers; without them the engine stays pure Python, with the same answers, more slowly.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from engine.native import BUILD, COMPILED_MODULES, GROUP, MANIFEST, PROJECT, source_digest


def build(target: Path = BUILD) -> None:
    """Compile COMPILED_MODULES into `target` and record their sources' hashes."""
    # Imported here: mypyc and setuptools are build tools, not needed to run the engine.
    from mypyc.build import mypycify

    # Through importlib: setuptools ships no type information in every version we meet.
    distribution: Any = importlib.import_module("setuptools").Distribution

    digests = {module: source_digest(module) for module in COMPILED_MODULES}
    paths = [str(Path(*module.split(".")).with_suffix(".py")) for module in COMPILED_MODULES]
    shutil.rmtree(target, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="shotcheck-native-") as work, \
            contextlib.chdir(PROJECT):
        # mypyc names the modules after their paths relative to the working directory.
        extensions = mypycify(paths, group_name=GROUP, target_dir=str(Path(work) / "c"))
        # A bare Distribution: setup() would read pyproject.toml and build the whole project.
        dist = distribution({"name": "shotcheck-engine-native", "ext_modules": extensions})
        command = dist.get_command_obj("build_ext")
        command.build_lib = str(target.resolve())
        command.build_temp = str(Path(work) / "temp")
        dist.run_command("build_ext")
    manifest = target / MANIFEST.name
    manifest.write_text(json.dumps({"python": sys.version, "modules": digests}, indent=2))


def main() -> int:
    """Build, and say what was built; exit status 1 when the build failed."""
    try:
        build()
    except (Exception, SystemExit) as exc:  # any failure leaves the engine pure Python
        shutil.rmtree(BUILD, ignore_errors=True)
        print(
            f"engine not compiled ({type(exc).__name__}: {exc}); it runs as pure Python, "
            "with the same answers, more slowly",
            file=sys.stderr,
        )
        return 1
    print(f"compiled {len(COMPILED_MODULES)} engine modules with mypyc into {BUILD}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
