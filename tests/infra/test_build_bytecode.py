"""``infra/check_build.py``: what ``sam build`` ships gets bytecode for Lambda's Python (its /var/task
is read-only, so a module without it is compiled on every cold start); ``make build`` runs it."""

from __future__ import annotations

import runpy
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kabar_infra.template import ROOT


@pytest.fixture(scope="module")
def check_build() -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "infra" / "check_build.py"))


def test_every_module_gets_lambdas_bytecode_and_no_other(check_build: dict[str, Any], tmp_path: Path) -> None:
    python = check_build["lambda_python"]()
    if python is None:
        pytest.skip("no CPython 3.13 on this machine (make build needs one)")
    package = tmp_path / "python" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text("VALUE = 42\n")
    (package / "__pycache__").mkdir()
    stale = package / "__pycache__" / "mod.cpython-311.pyc"
    stale.write_bytes(b"not for Lambda")
    assert len(check_build["bytecode_problems"](tmp_path)) == 2  # both modules would compile at every start
    check_build["compile_bytecode"](tmp_path, python)
    assert check_build["bytecode_problems"](tmp_path) == []
    assert not stale.exists()
    # Lambda's Python loads the module from the bytecode alone (the source may not even be read).
    (package / "mod.py").write_text("VALUE = 'changed, but unchecked-hash bytecode is not compared'\n")
    code = "import pkg.mod; print(pkg.mod.VALUE)"
    where = tmp_path / "python"
    loaded = subprocess.run([python, "-B", "-c", code], cwd=where, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "42"
