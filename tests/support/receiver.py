"""A webhook receiver on 127.0.0.1 for tests: real HTTP, answering each request with the next
status of its script (then the last one, forever), and keeping what it received."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    statuses: list[int]
    received: list[Received] = field(default_factory=list)


@contextmanager
def receiver(*statuses: int, path: str = "/hook") -> Iterator[Receiver]:
    """A receiver answering ``statuses`` in turn (the last one from then on)."""
    script = list(statuses) or [200]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                found.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                status = found.statuses[min(len(found.received), len(found.statuses)) - 1]
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found = Receiver(f"http://127.0.0.1:{server.server_address[1]}{path}", script)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
