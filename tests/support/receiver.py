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
    path: str = ""


@dataclass
class Receiver:
    url: str
    statuses: list[int]
    received: list[Received] = field(default_factory=list)
    answers: list[bytes] = field(default_factory=list)  # the body of each answer, as the statuses go


@contextmanager
def receiver(*statuses: int, path: str = "/hook", answers: tuple[bytes, ...] = ()) -> Iterator[Receiver]:
    """A receiver answering ``statuses`` in turn (the last one from then on), with ``answers`` as
    their bodies (``ok`` without)."""
    script = list(statuses) or [200]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                headers = {k.lower(): v for k, v in self.headers.items()}
                found.received.append(Received(headers, body, self.path))
                turn = min(len(found.received), len(found.statuses)) - 1
                status = found.statuses[turn]
                answer = found.answers[min(turn, len(found.answers) - 1)] if found.answers else b"ok"
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found = Receiver(f"http://127.0.0.1:{server.server_address[1]}{path}", script, answers=list(answers))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
