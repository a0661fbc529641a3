"""Running the template's handlers: in this process (tests) or one worker process each (local stack).

A worker process per function is what Lambda gives each function: its own
environment variables, its own modules (every handler is ``app.py``), and a
cold start the first time it is called.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from kabar_infra.template import FunctionSpec


class LambdaContext:
    """The context object Lambda passes a handler (the attributes Powertools reads)."""

    def __init__(self, function_name: str, memory_mb: int, timeout_s: int) -> None:
        import time

        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:local:123456789012:function:{function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        import time

        return max(0, int((self._deadline - time.monotonic()) * 1000))


def load_handler(spec: FunctionSpec, module_name: str | None = None) -> Callable[..., Any]:
    """The handler function a template entry names, loaded from its file."""
    name = module_name or f"kabar_function_{spec.logical_id}"
    module = sys.modules.get(name)
    if module is None:
        module = _load_module(name, spec.handler_file)
    return getattr(module, spec.handler_name)  # type: ignore[no-any-return]


def _load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def environment(variables: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a block, then restore them."""
    saved = {key: os.environ.get(key) for key in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class InProcessFunctions:
    """Invokes handlers in this process with each function's environment (tests)."""

    def __init__(self, specs: list[FunctionSpec], environments: dict[str, dict[str, str]]) -> None:
        self.specs = {spec.logical_id: spec for spec in specs}
        self.environments = environments

    def __call__(self, function: str, event: dict[str, Any]) -> Any:
        from kabar import deps

        spec = self.specs[function]
        with environment(self.environments[function]):
            deps.reset()  # settings and clients are per function
            try:
                context = LambdaContext(function, spec.memory_mb, spec.timeout)
                # A JSON round trip, as Lambda delivers events: no shared objects with the caller.
                return json.loads(json.dumps(load_handler(spec)(json.loads(json.dumps(event)), context)))
            finally:
                deps.reset()


class WorkerFunctions:
    """One long-lived worker process per function; invocations are serialised per function."""

    def __init__(
        self,
        specs: list[FunctionSpec],
        environments: dict[str, dict[str, str]],
        log: Callable[[str, str], None],
    ) -> None:
        self.specs = {spec.logical_id: spec for spec in specs}
        self.environments = environments
        self.log = log
        self._workers: dict[str, _Worker] = {}
        self._lock = threading.Lock()

    def __call__(self, function: str, event: dict[str, Any]) -> Any:
        with self._lock:
            worker = self._workers.get(function)
            if worker is None or not worker.alive:
                worker = _Worker(self.specs[function], self.environments[function], self.log)
                self._workers[function] = worker
        return worker.invoke(event)

    def stop(self) -> None:
        for worker in self._workers.values():
            worker.stop()


class _Worker:
    def __init__(self, spec: FunctionSpec, env: dict[str, str], log: Callable[[str, str], None]) -> None:
        self.spec = spec
        self.lock = threading.Lock()
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kabar_infra.local.worker", str(spec.handler_file), spec.handler_name,
             spec.logical_id, str(spec.memory_mb), str(spec.timeout), str(write_fd)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            pass_fds=(write_fd,),
            text=True,
        )  # fmt: skip
        os.close(write_fd)
        self.results: IO[str] = os.fdopen(read_fd, "r")
        threading.Thread(target=self._forward_logs, args=(log,), daemon=True).start()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _forward_logs(self, log: Callable[[str, str], None]) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            log(self.spec.logical_id, line.rstrip())

    def invoke(self, event: dict[str, Any]) -> Any:
        with self.lock:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(event) + "\n")
            self.process.stdin.flush()
            line = self.results.readline()
            if not line:
                raise RuntimeError(f"{self.spec.logical_id} worker exited")
            reply = json.loads(line)
            if "error" in reply:
                raise RuntimeError(f"{self.spec.logical_id}: {reply['error']}")
            return reply["result"]

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.process.kill()
