"""Helpers for tests that start the local stack as `make run` does (tests/e2e)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

from kabar_infra.template import ROOT

KABAR = Path(sys.executable).parent / "kabar"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stack_env(state: Path, **ports: int) -> dict[str, str]:
    """The environment of a local stack on free ports (or the ``api``, ``cdn``, ``moto`` given),
    keeping its state in ``state``, reaching no real AWS."""
    env = {**os.environ, "KABAR_STATE_DIR": str(state)}
    for name in ("API", "CDN", "MOTO"):
        env[f"KABAR_{name}_PORT"] = str(ports.get(name.lower()) or free_port())
    for key in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_ACCOUNT_ID_ENDPOINT_MODE"):
        env.pop(key, None)
    return env


def start_stack(state: Path, *args: str) -> dict[str, Any]:
    """``python -m kabar_infra.local`` as `make run` starts it, once it says it is ready (and not
    before: local.json may not appear earlier); its settings, with ``_process``, ``_state``, ``_log``
    and ``_config_path``."""
    log = state / "stack.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "kabar_infra.local", *args], cwd=ROOT, env=stack_env(state),
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not (state / "ready").exists():
        assert not (state / "local.json").exists(), "local.json before the stack is ready"
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the local stack did not start:\n" + log.read_text())
        time.sleep(0.1)
    config = json.loads((state / "local.json").read_text())
    return {**config, "_process": process, "_state": state, "_log": log, "_config_path": state / "local.json"}


def stop_stack(config: dict[str, Any], timeout: float = 30) -> None:
    """Ctrl-C, as a user stops it (if a test has not already)."""
    process = config["_process"]
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=timeout)


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
