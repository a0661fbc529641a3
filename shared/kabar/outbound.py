"""Requests to addresses outside AWS that someone else chose (webhook targets): checked before
every send, not only when the address was given.

A target must be ``https`` (on the local stack, with ``allow_local``, ``http://127.0.0.1`` too),
without credentials in it, and every address its name resolves to must be a public one: never a
private, loopback, link-local (the instance metadata service), carrier-grade NAT, multicast or
reserved address, including IPv4 written as IPv6. The connection then goes to the address that
was checked (a second DNS answer cannot send it elsewhere), with the name kept for TLS, a short
timeout, no redirects followed, and at most a few KiB of the answer read.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL = 2048
READ_LIMIT = 4096  # bytes of an answer kept for the log
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class Refused(ValueError):
    """A target Kabar does not send to; the message says why (for an API error or the log)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with its query
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """What one request got: the status (None when none came), its time, the first bytes, why not."""

    status: int | None
    latency_ms: int
    body: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def check_url(url: str, *, allow_local: bool = False) -> tuple[str, str, int, str]:
    """``url``'s scheme, host, port and path if Kabar may send to it (before resolving its name);
    Refused otherwise."""
    if len(url) > MAX_URL:
        raise Refused(f"must be at most {MAX_URL} characters")
    parts = urlsplit(url)
    local = allow_local and parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if parts.scheme != "https" and not local:
        also = " (or http://127.0.0.1 on the local stack)" if allow_local else ""
        raise Refused(f"must be an https:// URL{also}")
    if not parts.hostname or parts.username or parts.password:
        raise Refused("must name a host, without a user name or password")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused("has a port that is not a number from 0 to 65535") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def public_address(address: str) -> bool:
    """Whether an address is one on the public internet (IPv4 in IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str, *, allow_local: bool = False) -> Target:
    """The target and the addresses to connect to, every one of them checked; Refused otherwise."""
    scheme, host, port, path = check_url(url, allow_local=allow_local)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"its host {host!r} does not resolve ({exc})") from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in found))
    local = allow_local and scheme == "http" and host in LOCAL_HOSTS
    if not addresses:
        raise Refused(f"its host {host!r} has no address")
    if not local:
        blocked = [address for address in addresses if not public_address(address)]
        if blocked:
            raise Refused(f"its host {host!r} resolves to {blocked[0]}, which is not a public address")
    return Target(scheme, host, port, path, addresses)


class _Pinned(http.client.HTTPSConnection):
    """HTTPS to one checked address, the certificate checked against the host's name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = 5.0,
         allow_local: bool = False) -> Answer:  # fmt: skip
    """POST ``body`` to ``url`` once (no redirects), checked first: what came back."""
    start = time.monotonic()

    def took() -> int:
        return round((time.monotonic() - start) * 1000)

    try:
        target = resolve(url, allow_local=allow_local)
    except Refused as exc:
        return Answer(None, took(), error=f"refused: {exc}")
    address = target.addresses[0]
    connection: http.client.HTTPConnection = (
        _Pinned(target.host, address, target.port, timeout) if target.scheme == "https"
        else http.client.HTTPConnection(address, target.port, timeout=timeout)
    )  # fmt: skip
    try:
        connection.request("POST", target.path, body=body, headers={
            **headers, "Host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}",
            "Content-Type": "application/json", "User-Agent": "Kabar-Webhooks/1"})  # fmt: skip
        response = connection.getresponse()
        text = response.read(READ_LIMIT).decode("utf-8", "replace")
        return Answer(response.status, took(), body=text, error="" if 200 <= response.status < 300 else
                      f"HTTP {response.status}")  # fmt: skip
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, took(), error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        connection.close()
