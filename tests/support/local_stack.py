"""Helpers for tests that start the local stack as `make run` does (tests/e2e)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3

from kabar_infra.template import ROOT

KABAR = Path(sys.executable).parent / "kabar"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def kabar(config: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    """The `kabar` command against the stack whose settings are ``config["_config_path"]``."""
    return subprocess.run(
        [str(KABAR), "--config", str(config["_config_path"]), *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip


def aws(config: dict[str, Any], service: str) -> Any:
    """A client of the stack's moto."""
    return boto3.client(
        service, endpoint_url=config["aws_endpoint_url"], region_name=config["region"],
        aws_access_key_id="local", aws_secret_access_key="local",
    )  # fmt: skip
