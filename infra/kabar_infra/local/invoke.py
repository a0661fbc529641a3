"""Lambda's Invoke API for the local stack's functions, so that ``kabar ops replay`` reaches them
as it reaches a deployed stack: ``boto3.client("lambda").invoke`` with the endpoint in
``.kabar/local.json`` (``lambda_url``; functions are named by their logical ids).

Only what Invoke needs: ``POST /2015-03-31/functions/<name>/invocations`` with the event as the
body answers 200 and the handler's result, or, when the handler raised, 200 with
``X-Amz-Function-Error: Unhandled`` and ``{"errorType", "errorMessage"}``, as Lambda does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler
from typing import Any

from kabar_infra.local.http import QuietServer

_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")


class LambdaEndpoint:
    def __init__(self, invoke: Callable[[str, dict[str, Any]], Any], functions: Iterable[str]) -> None:
        self.invoke = invoke
        self.functions = set(functions)

    def call(self, path: str, body: bytes) -> tuple[int, dict[str, str], Any]:
        """The status, extra headers and JSON answer for one request."""
        match = _PATH.match(path.split("?", 1)[0])
        if match is None:
            return 404, {"X-Amzn-ErrorType": "UnknownOperationException"}, {"message": f"no route {path}"}
        name = match["name"].rsplit(":", 1)[-1]  # a function ARN names it last
        if name not in self.functions:
            return 404, {"X-Amzn-ErrorType": "ResourceNotFoundException"}, {
                "Type": "User", "message": f"Function not found: {name}"}  # fmt: skip
        try:
            event = json.loads(body or b"{}")
        except ValueError:
            return 400, {"X-Amzn-ErrorType": "InvalidRequestContentException"}, {
                "Type": "User", "message": "Could not parse request body into json"}  # fmt: skip
        try:
            return 200, {}, self.invoke(name, event)
        except Exception as exc:  # the handler's own failure, reported as Lambda reports it
            return 200, {"X-Amz-Function-Error": "Unhandled"}, {
                "errorType": type(exc).__name__, "errorMessage": str(exc)}  # fmt: skip

    def server(self, host: str, port: int) -> QuietServer:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                try:
                    length = max(0, int(self.headers.get("Content-Length") or 0))
                except ValueError:
                    length = 0
                status, headers, answer = endpoint.call(self.path, self.rfile.read(length))
                payload = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the functions log their own work

        return QuietServer((host, port), Handler)
