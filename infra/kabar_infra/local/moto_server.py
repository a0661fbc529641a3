"""moto server for the local stack: bound before anything starts, one request at a time.

moto's backends take no locks: with moto server's threads answering the API,
the CDN, the router and eight worker processes at once, a Query walking a
table's items while a write adds one fails inside moto ("dictionary changed
size during iteration"), and a response can serialise an item another
request is updating. AWS's services are consistent per request; here every
request but SQS's runs alone (SQS's backend has its own lock, and a long
poll must not hold up everything else). moto's work is Python under one GIL
either way, so little is lost.

moto's ``ThreadedMotoServer`` binds its port in its own thread and waits for
it forever when the port is taken; this binds in the caller's thread, so a
busy port is a clear error at once.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable, Iterable
from typing import Any


class PortInUse(Exception):
    """A port the local stack needs is taken; the message names it and how to choose another."""

    def __init__(self, what: str, port: int, variable: str) -> None:
        super().__init__(
            f"port {port} ({what}) is already in use on 127.0.0.1: stop what is using it, "
            f"or choose another port with {variable}, e.g. {variable}={port + 1} make run"
        )
        self.port = port
        self.variable = variable


def bind(create: Callable[[], Any], what: str, port: int, variable: str) -> Any:
    """``create()`` (a server that binds on creation), or PortInUse when the port is taken."""
    try:
        return create()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(what, port, variable) from None
        raise


class Serialized:
    """A WSGI app answering one request at a time, except SQS's."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("AmazonSQS."):
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        with self.lock:
            response = self.app(environ, start_response)
            try:
                return [b"".join(response)]  # the body is built inside the lock too
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()


class MotoServer:
    """moto server on ``host:port`` in a thread of this process."""

    def __init__(self, host: str, port: int, variable: str = "KABAR_MOTO_PORT") -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        app = Serialized(DomainDispatcherApplication(create_backend_app))
        self.lock = app.lock  # held to change moto's state from outside a request
        self.server = bind(
            lambda: make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler),
            "moto, the local AWS",
            port,
            variable,
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="moto")

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def expire_noncurrent_versions(buckets: set[str]) -> None:
    """Keep only the current version of each object in ``buckets`` (moto holds every version
    in memory). For buckets whose lifecycle rule expires noncurrent versions in AWS (after
    days the local stack never runs): nothing reads those versions but a person restoring."""
    from moto.s3.models import S3Backend

    _expiring.update(buckets)
    if getattr(S3Backend.put_object, "_kabar_expiring", False):
        return
    original = S3Backend.put_object

    def put_object(self: Any, bucket_name: str, key_name: str, *args: Any, **kwargs: Any) -> Any:
        new_key = original(self, bucket_name, key_name, *args, **kwargs)
        if bucket_name in _expiring:
            bucket = self.get_bucket(bucket_name)
            for old in bucket.keys.getlist(key_name, []):
                if old is not new_key and hasattr(old, "dispose"):
                    old.dispose()  # its buffer: the object moto tracks stays small
            bucket.keys.setlist(key_name, [new_key])
        return new_key

    put_object._kabar_expiring = True  # type: ignore[attr-defined]
    S3Backend.put_object = put_object  # type: ignore[method-assign]


_expiring: set[str] = set()
