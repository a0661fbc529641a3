"""The local stack's own edges, over real HTTP and real processes: requests that are not
valid HTTP for the API or the CDN, a busy port, a function's Timeout, and Ctrl-C."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kabar_infra.template import ROOT
from tests.support.local_stack import stack_env, start_stack, stop_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    config = start_stack(tmp_path_factory.mktemp("kabar-bare"), "--no-samples")
    yield config
    stop_stack(config)


def _raw(url: str, request: bytes, half_close: bool = True) -> tuple[bytes, float]:
    """Send bytes as they are; the status line and the JSON body of the answer, and how long it took."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data, time.monotonic() - started


def _status_and_body(data: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_the_cdn_answers_bad_paths_with_400_and_other_methods_with_405(stack: dict[str, Any]) -> None:
    cdn = stack["cdn_url"]
    for path in ("/%00", "/v1/%0a.json", "/%ff%fe"):
        response = requests.get(cdn + path, timeout=10)
        assert response.status_code == 400, path
        assert response.json() == {"message": "the path is not a valid key"}
    for method in ("POST", "PUT", "DELETE", "PATCH", "FOO"):
        response = requests.request(method, f"{cdn}/v1/site.json", data=b"x", timeout=10)
        assert response.status_code == 405, method
        assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
        assert response.headers["Content-Type"] == "application/json"
        assert method in response.json()["message"]
    preflight = requests.options(f"{cdn}/v1/site.json", headers={"Origin": "https://a.example"}, timeout=10)
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    missing = requests.get(f"{cdn}/v1/latest.json", timeout=10)  # still serving: nothing published yet
    assert missing.status_code == 404 and missing.headers["Content-Type"] == "application/json"
    assert "Traceback" not in stack["_log"].read_text()


def test_the_api_refuses_a_body_it_cannot_read_at_once(stack: dict[str, Any]) -> None:
    api = stack["api_url"]

    def post(headers: str, body: bytes = b"", half_close: bool = True) -> tuple[int, dict[str, Any], float]:
        request = f"POST /uploads HTTP/1.1\r\nHost: local\r\n{headers}\r\n\r\n".encode() + body
        data, seconds = _raw(api, request, half_close)
        return *_status_and_body(data), seconds

    for length in ("-5", "abc", "1e3", "+7"):
        status, body, seconds = post(f"Content-Length: {length}", b"{}")
        assert status == 400 and "Content-Length" in body["message"] and seconds < 2, length
    status, body, seconds = post("Content-Length: 100", b'{"filename": "a.md"}')  # fewer bytes, then EOF
    assert status == 400 and "fewer bytes" in body["message"] and seconds < 2
    status, body, seconds = post("Content-Length: 100", b"{}", half_close=False)  # fewer bytes, then nothing
    assert status == 400 and seconds < 5
    status, body, _ = post(f"Content-Length: {11 * 1024 * 1024}")
    assert status == 413
    status, body, _ = post("Transfer-Encoding: chunked", b"2\r\n{}\r\n0\r\n\r\n")
    assert status == 411
    data, _ = _raw(api, b"FOO /uploads HTTP/1.1\r\nHost: local\r\n\r\n")
    assert _status_and_body(data) == (403, {"message": "Missing Authentication Token"})
    assert requests.post(f"{api}/uploads", json={}, timeout=10).status_code == 401  # still serving
    assert "Traceback" not in stack["_log"].read_text()


def test_a_busy_port_is_named_with_the_variable_that_changes_it(
    stack: dict[str, Any], tmp_path: Path
) -> None:
    port = int(stack["api_url"].rsplit(":", 1)[1])
    result = subprocess.run(
        [sys.executable, "-m", "kabar_infra.local", "--no-samples"], cwd=ROOT,
        env=stack_env(tmp_path, api=port), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"port {port} (the local API) is already in use" in result.stderr
    assert f"KABAR_API_PORT={port + 1} make run" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "local.json").exists()


def test_a_function_past_its_timeout_is_stopped_as_lambda_stops_it(tmp_path: Path) -> None:
    from kabar_infra.local.functions import FunctionTimeout, WorkerFunctions
    from kabar_infra.template import FunctionSpec

    (tmp_path / "app.py").write_text(
        "import os, time\n"
        "def handler(event, context):\n"
        "    time.sleep(event['sleep'])\n"
        "    return {'pid': os.getpid(), 'left_ms': context.get_remaining_time_in_millis()}\n",
        encoding="utf-8",
    )
    spec = FunctionSpec("SlowFunction", tmp_path, "app.handler", {}, [], timeout=1, memory_mb=128)
    logs: list[str] = []
    functions = WorkerFunctions([spec], {"SlowFunction": {}}, lambda name, line: logs.append(line))
    try:
        first = functions("SlowFunction", {"sleep": 0})
        assert 0 < first["left_ms"] <= 1000
        started = time.monotonic()
        with pytest.raises(FunctionTimeout, match=r"SlowFunction: Task timed out after 1\.\d\d seconds"):
            functions("SlowFunction", {"sleep": 30})
        assert time.monotonic() - started < 3
        assert any("Task timed out after 1." in line for line in logs)
        again = functions("SlowFunction", {"sleep": 0})  # a new execution environment: a cold start
        assert again["pid"] != first["pid"]
    finally:
        functions.stop()


def test_ctrl_c_stops_at_once_and_quietly(stack: dict[str, Any]) -> None:
    process = stack["_process"]
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0
    assert time.monotonic() - started < 8
    output = stack["_log"].read_text()
    assert "KeyboardInterrupt" not in output and "Traceback" not in output
    assert not (stack["_state"] / "local.json").exists() and not (stack["_state"] / "ready").exists()
    for url in (stack["api_url"], stack["cdn_url"], stack["aws_endpoint_url"]):
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=2)
