"""The site bucket served over HTTP, as the CloudFront distribution in template.yaml serves it.

Each object is returned with the Content-Type and Cache-Control stored on
it, an ETag (and 304 for If-None-Match), the CORS header of the managed
response headers policy, the default root object for ``/``, and a 404 (with
the error document, when there is one) for a missing key. A path that is no
S3 key (control characters, not UTF-8) is a 400; a method the distribution
does not allow is a 405 naming those it does (its ``AllowedMethods``);
OPTIONS answers a CORS preflight. Errors are JSON, like the site's own.
"""

from __future__ import annotations

import re
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote, urlsplit

from kabar_infra.local.http import QuietServer, json_error

_NOT_A_KEY = re.compile(r"[\x00-\x1f\x7f]")


class LocalCdn:
    def __init__(
        self,
        s3: Any,
        bucket: str,
        default_root: str,
        error_page: str | None,
        allowed_methods: tuple[str, ...] = ("GET", "HEAD", "OPTIONS"),
    ) -> None:
        self.s3 = s3
        self.bucket = bucket
        self.default_root = default_root
        self.error_page = error_page
        self.allowed_methods = allowed_methods

    def fetch(self, path: str, if_none_match: str | None) -> tuple[int, dict[str, str], bytes]:
        key = _key(path, self.default_root)
        if key is None:
            return (
                400,
                _CORS | {"Content-Type": "application/json"},
                json_error("the path is not a valid key"),
            )
        try:
            obj = self.s3.get_object(Bucket=self.bucket, Key=key)
        except self.s3.exceptions.NoSuchKey:
            return self._not_found()
        headers = {
            "Content-Type": obj.get("ContentType", "binary/octet-stream"),
            "ETag": obj["ETag"],
            "Last-Modified": obj["LastModified"].strftime("%a, %d %b %Y %H:%M:%S GMT"),
            "Access-Control-Allow-Origin": "*",
            "X-Content-Type-Options": "nosniff",
        }
        if obj.get("CacheControl"):
            headers["Cache-Control"] = obj["CacheControl"]
        body = obj["Body"].read()
        if if_none_match and if_none_match == obj["ETag"]:
            return 304, headers, b""
        return 200, headers, body

    def _not_found(self) -> tuple[int, dict[str, str], bytes]:
        headers = _CORS | {"Content-Type": "application/json"}
        if self.error_page:
            try:
                obj = self.s3.get_object(Bucket=self.bucket, Key=self.error_page.lstrip("/"))
                return (
                    404,
                    {**headers, "Content-Type": obj.get("ContentType", "application/json")},
                    obj["Body"].read(),
                )
            except self.s3.exceptions.NoSuchKey:
                pass
        return 404, headers, b'{"message":"not found"}'

    def server(self, host: str, port: int) -> QuietServer:
        cdn = self
        allow = ", ".join(self.allowed_methods)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 60  # an idle keep-alive connection is closed, as CloudFront does

            def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
                """Any request the server cannot take: JSON; an unknown method is a 405."""
                self.close_connection = True
                if code == 501:
                    self._refuse_method()
                    return
                headers = _CORS | {"Content-Type": "application/json"}
                self._reply(code, headers, json_error(message or ""), send_body=self.command != "HEAD")

            def _refuse_method(self) -> None:
                self.close_connection = True  # any body it sent is left unread
                body = json_error(f"{self.command} is not allowed; allowed: {allow}")
                self._reply(405, _CORS | {"Content-Type": "application/json", "Allow": allow}, body)

            def do_OPTIONS(self) -> None:  # a CORS preflight, as the response headers policy answers
                if "OPTIONS" not in cdn.allowed_methods:
                    self._refuse_method()
                    return
                preflight = {"Access-Control-Allow-Methods": allow, "Access-Control-Allow-Headers": "*"}
                headers = _CORS | preflight | {"Allow": allow, "Access-Control-Max-Age": "600"}
                self._reply(204, headers, b"")

            do_POST = do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = _refuse_method

            def do_GET(self) -> None:
                self._reply(*self._fetch())

            def do_HEAD(self) -> None:
                self._reply(*self._fetch(), send_body=False)

            def _fetch(self) -> tuple[int, dict[str, str], bytes]:
                try:
                    return cdn.fetch(self.path, self.headers.get("If-None-Match"))
                except Exception as exc:  # the origin failed: CloudFront answers 502
                    print(f"[cdn] GET {self.path!r}: {type(exc).__name__}: {exc}", flush=True)
                    return 502, _CORS | {"Content-Type": "application/json"}, json_error("the origin failed")

            def _reply(
                self, status: int, headers: dict[str, str], body: bytes, send_body: bool = True
            ) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body and status != 304:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # reads are many and dull; the API and the handlers log what matters

        return QuietServer((host, port), Handler)


_CORS = {"Access-Control-Allow-Origin": "*"}


def _key(path: str, default_root: str) -> str | None:
    """The S3 key a request path names, or None when it names none (S3 keys are UTF-8, at
    most 1,024 bytes; no control characters ever reach the site bucket)."""
    try:
        key = unquote(urlsplit(path).path, errors="strict").lstrip("/") or default_root
    except (UnicodeDecodeError, ValueError):
        return None
    if _NOT_A_KEY.search(key) or len(key.encode()) > 1024:
        return None
    return key
