"""The compiled engine (engine/native.py): used when it matches the sources, same answers."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.engine_throughput import make_record
from engine import native
from engine.cdsi import evaluate_record

PROJECT = Path(__file__).resolve().parents[2]


def _answers(count: int) -> list[str]:
    rng = random.Random(7)
    today = dt.date(2026, 12, 1)
    answers = []
    for _ in range(count):
        record = make_record(rng, today)
        answers.append(evaluate_record(record, today).model_dump_json())
    return answers


def test_ci_runs_the_compiled_engine() -> None:
    # `make test` compiles first; in CI a failed compile must not pass unnoticed.
    if os.environ.get("SHOTCHECK_PURE_PYTHON"):
        pytest.skip("SHOTCHECK_PURE_PYTHON is set: the sources run by request")
    if os.environ.get("CI") != "true" and not native.MANIFEST.exists():
        pytest.skip("engine not compiled here (run `make compile`); CI requires it")
    assert native.status().startswith("compiled"), native.status()
    assert Path(sys.modules["engine.cdsi.run"].__file__ or "").suffix == ".so"


def test_pure_python_gives_the_same_answers_as_this_process() -> None:
    script = (
        "import json, sys\n"
        "from tests.engine.test_native import _answers\n"
        "from engine import native\n"
        "assert native.status().startswith('pure Python'), native.status()\n"
        "json.dump(_answers(300), sys.stdout)\n"
    )
    env = {**os.environ, "SHOTCHECK_PURE_PYTHON": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == _answers(300)


def _copy_build(tmp_path: Path) -> Path:
    if not native.MANIFEST.exists():
        pytest.skip("engine not compiled here (run `make compile`)")
    build = tmp_path / "native"
    shutil.copytree(native.BUILD, build)
    return build


def test_a_build_of_changed_sources_is_not_used(tmp_path: Path) -> None:
    build = _copy_build(tmp_path)
    manifest = json.loads((build / "manifest.json").read_text())
    manifest["modules"]["engine.cdsi.evaluate"] = "0" * 64
    (build / "manifest.json").write_text(json.dumps(manifest))
    usable, why = native._usable_build(build)
    assert usable is None
    assert why == "pure Python: evaluate.py changed since `make compile`"


def test_a_build_missing_a_module_is_not_used(tmp_path: Path) -> None:
    build = _copy_build(tmp_path)
    native.library_path("engine.cdsi.run", build).unlink()
    usable, why = native._usable_build(build)
    assert usable is None
    assert "run.cpython" in why


def test_no_build_means_pure_python(tmp_path: Path) -> None:
    usable, why = native._usable_build(tmp_path / "absent")
    assert usable is None
    assert "make compile" in why


def test_a_matching_build_is_used(tmp_path: Path) -> None:
    build = _copy_build(tmp_path)
    usable, why = native._usable_build(build)
    assert usable is not None and set(usable) >= set(native.COMPILED_MODULES)
    assert why.startswith("compiled")
