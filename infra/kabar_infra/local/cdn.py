"""The site bucket served over HTTP, as the CloudFront distribution in template.yaml serves it.

Each object is returned with the Content-Type and Cache-Control stored on
it, an ETag (and 304 for If-None-Match), the CORS header of the managed
response headers policy, the default root object for ``/``, and a 404 (with
the error document, when there is one) for a missing key.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit


class LocalCdn:
    def __init__(self, s3: Any, bucket: str, default_root: str, error_page: str | None) -> None:
        self.s3 = s3
        self.bucket = bucket
        self.default_root = default_root
        self.error_page = error_page

    def fetch(self, path: str, if_none_match: str | None) -> tuple[int, dict[str, str], bytes]:
        key = unquote(urlsplit(path).path).lstrip("/") or self.default_root
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
        headers = {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}
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

    def server(self, host: str, port: int) -> ThreadingHTTPServer:
        cdn = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                status, headers, body = cdn.fetch(self.path, self.headers.get("If-None-Match"))
                self._reply(status, headers, body)

            def do_HEAD(self) -> None:
                status, headers, body = cdn.fetch(self.path, self.headers.get("If-None-Match"))
                self._reply(status, headers, body, send_body=False)

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

        return ThreadingHTTPServer((host, port), Handler)
