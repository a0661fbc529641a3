"""Where kabar finds .kabar/local.json, and its one-line answer when the local stack is down."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from kabar_infra.cli.config import ConfigNotFound, find_local_config
from kabar_infra.cli.main import main


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (its .git) with the local stack's settings at its root, and a nested directory."""
    for name in ("KABAR_CONFIG", "KABAR_STATE_DIR"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "kabar"
    (root / ".git").mkdir(parents=True)
    (root / ".kabar").mkdir()
    (root / ".kabar" / "local.json").write_text("{}")
    (root / "examples" / "try").mkdir(parents=True)
    return root


def test_the_settings_are_found_from_any_directory_of_the_repository(repo: Path) -> None:
    assert find_local_config(cwd=repo) == repo / ".kabar" / "local.json"
    assert find_local_config(cwd=repo / "examples" / "try") == repo / ".kabar" / "local.json"


def test_an_explicit_path_or_variable_comes_first(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = repo / "other.json"
    other.write_text("{}")
    monkeypatch.setenv("KABAR_CONFIG", str(other))
    assert find_local_config(cwd=repo) == other
    with pytest.raises(ConfigNotFound, match=r"no .*missing.json \(from --config\)"):
        find_local_config(repo / "missing.json", cwd=repo)
    monkeypatch.setenv("KABAR_CONFIG", str(repo / "gone.json"))
    with pytest.raises(ConfigNotFound, match=r"gone.json \(from KABAR_CONFIG\)"):
        find_local_config(cwd=repo)
    monkeypatch.delenv("KABAR_CONFIG")
    monkeypatch.setenv("KABAR_STATE_DIR", str(repo / "examples"))
    (repo / "examples" / "local.json").write_text("{}")
    assert find_local_config(cwd=repo) == repo / "examples" / "local.json"


def test_no_settings_names_every_place_looked_at_and_stops_at_the_repository_root(repo: Path) -> None:
    (repo / ".kabar" / "local.json").unlink()
    (repo.parent / ".kabar").mkdir()
    (repo.parent / ".kabar" / "local.json").write_text("{}")  # above the repository: not looked at
    with pytest.raises(ConfigNotFound) as missing:
        find_local_config(cwd=repo / "examples")
    message = str(missing.value)
    assert f"{repo / 'examples' / '.kabar' / 'local.json'}, {repo / '.kabar' / 'local.json'})" in message
    assert str(repo.parent / ".kabar") not in message and "make run" in message


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_stopped_local_stack_is_one_line_naming_its_url_and_make_run(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    moto = f"http://127.0.0.1:{_closed_port()}"
    user = {"username": "editor", "password": "x", "client_id": "c", "user_pool_id": "p"}
    settings = {"api_url": f"http://127.0.0.1:{_closed_port()}", "aws_endpoint_url": moto,
                "region": "us-east-1", "editor": user, "moderator": user}  # fmt: skip
    (repo / ".kabar" / "local.json").write_text(json.dumps(settings))
    monkeypatch.chdir(repo / "examples" / "try")
    monkeypatch.delenv("KABAR_TOKEN", raising=False)
    started = time.monotonic()
    assert main(["status", "0" * 32]) == 2
    err = capsys.readouterr().err
    where = repo / ".kabar" / "local.json"
    assert err == f"kabar: cannot reach the local stack at {moto} (settings: {where}): is 'make run' going?\n"
    assert time.monotonic() - started < 10
    monkeypatch.setenv("KABAR_TOKEN", "a.b.c")  # signed in already: the API is the one not answering
    assert main(["status", "0" * 32]) == 2
    assert f"cannot reach the local stack at {settings['api_url']}" in capsys.readouterr().err
