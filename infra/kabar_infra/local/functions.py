"""Running the template's handlers: in this process (tests) or one worker process each (local stack).

A worker process per function is what Lambda gives each function: its own
environment variables, its own modules (every handler is ``app.py``), and a
cold start the first time it is called.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

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
        self._stopped = False

    def __call__(self, function: str, event: dict[str, Any]) -> Any:
        with self._lock:
            if self._stopped:
                raise RuntimeError("the local stack is stopping")
            worker = self._workers.get(function)
            if worker is None or not worker.alive:
                worker = _Worker(self.specs[function], self.environments[function], self.log)
                self._workers[function] = worker
        return worker.invoke(event)

    def stop(self, seconds: float = 1.0) -> None:
        """Stop every worker: end of input for all, then a kill for any still running after
        ``seconds`` (one in the middle of an invocation)."""
        with self._lock:
            self._stopped = True
            workers = list(self._workers.values())
        for worker in workers:
            worker.close_input()
        deadline = time.monotonic() + seconds
        for worker in workers:
            worker.stop(max(0.0, deadline - time.monotonic()))


class FunctionTimeout(RuntimeError):
    """An invocation ran past the function's Timeout: Lambda stops it and reports this."""

    def __init__(self, function: str, seconds: float) -> None:
        super().__init__(f"{function}: Task timed out after {seconds:.2f} seconds")
        self.function = function
        self.seconds = seconds


INIT_SECONDS = 10.0  # Lambda's limit on a function's init (importing the handler module)


class _Worker:
    """One function's worker process. An invocation that runs past the function's Timeout
    is stopped as Lambda stops it: the process is killed (its next invocation is a cold
    start) and the invocation fails with "Task timed out after N seconds"."""

    def __init__(self, spec: FunctionSpec, env: dict[str, str], log: Callable[[str, str], None]) -> None:
        self.spec = spec
        self.log = log
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
        self.replies = _Lines(read_fd)
        self.ready = False
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
            if not self.ready:  # the init phase, limited on its own as in Lambda
                self._read_reply(INIT_SECONDS, "init")
                self.ready = True
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(event) + "\n")
            self.process.stdin.flush()
            reply = self._read_reply(float(self.spec.timeout), "invoke")
            if "error" in reply:
                raise RuntimeError(f"{self.spec.logical_id}: {reply['error']}")
            return reply["result"]

    def _read_reply(self, seconds: float, phase: str) -> dict[str, Any]:
        started = time.monotonic()
        line = self.replies.readline(started + seconds)
        if line is None:
            elapsed = time.monotonic() - started
            self.process.kill()
            self.process.wait()
            self.log(self.spec.logical_id, f"Task timed out after {elapsed:.2f} seconds ({phase})")
            raise FunctionTimeout(self.spec.logical_id, elapsed)
        if not line:
            raise RuntimeError(f"{self.spec.logical_id} worker exited")
        return json.loads(line)  # type: ignore[no-any-return]

    def close_input(self) -> None:
        """End of input: the worker finishes what it is doing and exits."""
        try:
            if self.process.stdin:
                self.process.stdin.close()
        except OSError:
            pass  # an invocation was writing to it

    def stop(self, seconds: float = 1.0) -> None:
        self.close_input()
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class _Lines:
    """Lines read from a pipe with a deadline (a reply that may never come)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()

    def readline(self, deadline: float) -> str | None:
        """The next line ("" at end of file), or None when the deadline passes first."""
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return ""
            self.buffer += chunk
        end = self.buffer.index(b"\n")
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        return line.decode("utf-8")
