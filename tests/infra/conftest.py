"""The template as CloudFormation sees it: template.yaml translated by SAM (infra/transform.py).

The translation runs in the aws-sam-cli virtualenv (.venv-sam, which `make template-check` and
`make test` create first): samtranslator pins a pydantic the functions' layer does not use.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kabar_infra.template import ROOT


def sam_python() -> Path:
    path = Path(os.environ.get("KABAR_SAM_PYTHON", ROOT / ".venv-sam" / "bin" / "python"))
    if not path.exists():
        pytest.fail(f"{path} is missing: `make template-check` creates the aws-sam-cli virtualenv")
    return path


def translate(template: Path) -> dict[str, Any]:
    result = subprocess.run(
        [str(sam_python()), str(ROOT / "infra" / "transform.py"), str(template)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def transformed() -> dict[str, Any]:
    """template.yaml after the SAM transform: the resources `sam deploy` creates."""
    return translate(ROOT / "template.yaml")
