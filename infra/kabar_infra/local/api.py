"""The template's Api events served over HTTP, as API Gateway (REST, proxy) would.

Routes come from the functions' ``Api`` events. When the API has a Cognito
authorizer, a request needs ``Authorization: <ID token>`` signed by the
pool (checked against the pool's JWKS on moto) or it gets 401, before any
handler runs; the token's claims reach the handler as strings under
``requestContext.authorizer.claims``, as API Gateway passes them. The caller's
address is ``requestContext.identity.sourceIp`` (API Gateway's, too: the
client's address as it connects, not a header it sends).
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kabar_infra.local.http import QuietServer
from kabar_infra.provision import Stack
from kabar_infra.template import Template


@dataclass(frozen=True)
class Route:
    function: str
    method: str
    resource: str  # "/uploads/{upload_id}"
    pattern: re.Pattern[str]
    authorized: bool


def routes(template: Template) -> list[Route]:
    found = []
    apis = template.of_type("AWS::Serverless::Api")
    for spec in template.functions():
        for event in spec.events:
            if event.type != "Api":
                continue
            props = event.properties
            api_id = (
                props.get("RestApiId", {}).get("Ref") if isinstance(props.get("RestApiId"), dict) else None
            )
            api = apis.get(api_id or "", {}).get("Properties", {})
            default_authorizer = api.get("Auth", {}).get("DefaultAuthorizer")
            event_authorizer = props.get("Auth", {}).get("Authorizer", default_authorizer)
            resource = props["Path"]
            regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(resource)) + "$"
            found.append(
                Route(
                    function=spec.logical_id,
                    method=props["Method"].upper(),
                    resource=resource,
                    pattern=re.compile(regex),
                    authorized=bool(event_authorizer) and event_authorizer != "NONE",
                )
            )
    return found


def match(all_routes: list[Route], method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
    """The route for a request, its path parameters, and whether the path exists at all."""
    path_exists = False
    for route in all_routes:
        found = route.pattern.match(path)
        if found:
            path_exists = True
            if route.method in (method, "ANY"):
                return route, found.groupdict(), True
    return None, {}, path_exists


def proxy_event(
    route: Route,
    *,
    method: str,
    path: str,
    path_parameters: dict[str, str],
    headers: dict[str, str],
    query: dict[str, list[str]],
    body: bytes,
    claims: dict[str, str] | None,
    stage: str = "v1",
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """An API Gateway REST proxy (payload 1.0) event."""
    try:
        text, encoded = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode(), True
    now = time.time()
    return {
        "resource": route.resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "body": text if body else None,
        "isBase64Encoded": encoded,
        "requestContext": {
            "resourcePath": route.resource,
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "requestId": str(uuid.uuid4()),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": int(now * 1000),
            "identity": {"sourceIp": source_ip, "userAgent": headers.get("User-Agent", "")},
            "authorizer": {"claims": claims} if claims is not None else None,
            "protocol": "HTTP/1.1",
            "accountId": "123456789012",
            "apiId": "local",
        },
    }


def claims_as_strings(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as API Gateway's Cognito authorizer passes them: every value a string."""
    flat = {}
    for key, value in claims.items():
        flat[key] = ",".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return flat


class TokenVerifier:
    """Checks ID tokens as API Gateway's Cognito authorizer does: signature, issuer, expiry."""

    def __init__(self, jwks_url: str, issuer_suffix: str, client_ids: set[str]) -> None:
        self.jwks_url = jwks_url
        self.issuer_suffix = issuer_suffix
        self.client_ids = client_ids
        self._keys: Any = None

    def _key_set(self) -> Any:
        if self._keys is None:
            import requests
            from joserfc.jwk import KeySet

            self._keys = KeySet.import_key_set(requests.get(self.jwks_url, timeout=5).json())
        return self._keys

    def verify(self, token: str) -> dict[str, Any] | None:
        """The token's claims, or None when API Gateway would answer 401."""
        from joserfc import jwt
        from joserfc.errors import JoseError

        token = token.removeprefix("Bearer ").strip()
        try:
            decoded = jwt.decode(token, self._key_set(), algorithms=["RS256"])
        except (JoseError, ValueError):
            return None
        claims = dict(decoded.claims)
        if not str(claims.get("iss", "")).endswith(self.issuer_suffix):
            return None
        if claims.get("token_use") != "id" or claims.get("aud") not in self.client_ids:
            return None
        if float(claims.get("exp", 0)) < time.time():
            return None
        return claims


class LocalApi:
    """Serves the template's Api events, invoking their functions."""

    def __init__(self, template: Template, stack: Stack, invoke: Any, verifier: TokenVerifier) -> None:
        self.routes = routes(template)
        self.invoke = invoke
        self.verifier = verifier

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes, source_ip: str = "127.0.0.1"
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw_path)
        path = parts.path.rstrip("/") or "/"
        route, params, _ = match(self.routes, method, path)
        if route is None:
            # What API Gateway answers for a resource or method it does not have.
            return _json(403, {"message": "Missing Authentication Token"})
        claims = None
        if route.authorized:
            token = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
            verified = self.verifier.verify(token) if token else None
            if verified is None:
                return _json(401, {"message": "Unauthorized"})
            claims = claims_as_strings(verified)
        event = proxy_event(
            route,
            method=method,
            path=path,
            path_parameters=params,
            headers=headers,
            query=parse_qs(parts.query),
            body=body,
            claims=claims,
            source_ip=source_ip,
        )
        try:
            response = self.invoke(route.function, event)
        except Exception as exc:
            print(f"[api] {route.function} failed: {exc}", flush=True)
            return _json(502, {"message": "Internal server error"})
        payload = response.get("body") or ""
        data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode()
        out_headers = {k: str(v) for k, v in (response.get("headers") or {}).items()}
        for key, values in (response.get("multiValueHeaders") or {}).items():
            out_headers[key] = ", ".join(str(v) for v in values)
        return int(response.get("statusCode", 200)), out_headers, data

    def server(self, host: str, port: int) -> QuietServer:
        return QuietServer((host, port), type("Handler", (_Handler,), {"api": self}))


class _Handler(BaseHTTPRequestHandler):
    """One connection to the local API (``api`` is set on a subclass per server)."""

    api: LocalApi

    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive connection is closed

    def _serve(self) -> None:
        body = self._body()
        if body is None:
            return
        status, headers, data = self.api.handle(
            self.command,
            self.path,
            dict(self.headers.items()),
            body,
            source_ip=self.client_address[0],
        )
        self._reply(status, headers, data)

    def _body(self) -> bytes | None:
        """The request body as its Content-Length declares it; None when it is refused
        (answered at once, without waiting on a body that will never come)."""
        refused = body_refusal(self.headers.get("Content-Length"), self.headers.get("Transfer-Encoding"))
        if refused is not None:
            self.close_connection = True
            self._reply(*refused)
            return None
        length = int(self.headers.get("Content-Length") or 0)
        self.connection.settimeout(BODY_SECONDS)
        try:
            body = self.rfile.read(length) if length else b""
        except TimeoutError:
            body = b""
        finally:
            self.connection.settimeout(self.timeout)
        if len(body) < length:
            self.close_connection = True
            message = f"the body has fewer bytes than its Content-Length ({length})"
            self._reply(*_json(400, {"message": message}))
            return None
        return body

    def _reply(self, status: int, headers: dict[str, str], data: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A request the server cannot parse or route by method: JSON, as API Gateway's."""
        self.close_connection = True
        if code == 501:  # a method no route has: API Gateway's answer for any unknown route
            self._reply(*_json(403, {"message": "Missing Authentication Token"}))
            return
        self._reply(*_json(code, {"message": message or "Bad Request"}))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        status = args[1] if len(args) > 1 else ""
        print(f"[api] {self.command} {self.path!r} -> {status}", flush=True)


MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload limit
BODY_SECONDS = 2.0  # how long a declared body may take to arrive


def body_refusal(
    content_length: str | None, transfer_encoding: str | None
) -> tuple[int, dict[str, str], bytes] | None:
    """The answer to a request whose body cannot be read as declared, or None when it can."""
    if transfer_encoding and transfer_encoding.strip().lower() != "identity":
        return _json(411, {"message": "send the body with a Content-Length"})
    if content_length is None:
        return None
    text = content_length.strip()
    if not text.isascii() or not text.isdigit():
        return _json(400, {"message": f"Content-Length must be a number of bytes, not {content_length!r}"})
    if int(text) > MAX_BODY:
        return _json(413, {"message": f"the body is larger than {MAX_BODY} bytes"})
    return None


def _json(status: int, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()
