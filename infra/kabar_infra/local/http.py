"""What the local API and CDN servers share: a server that stops at once, and JSON errors."""

from __future__ import annotations

import json
import sys
from http.server import ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    """A threading HTTP server whose connection threads never hold up a stop (a client's
    idle keep-alive connection would, for as long as the client keeps it), and which logs a
    broken connection as one line instead of a traceback."""

    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # the client went away or went quiet: nothing to answer
        print(f"[http] {client_address[0]}: {type(error).__name__}: {error}", flush=True)


def json_error(message: str) -> bytes:
    return json.dumps({"message": message}).encode()
