"""RFC 6238 time-based one-time passwords, as an authenticator app computes them (tests only)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

STEP = 30


def totp(secret: str, at: float | None = None, digits: int = 6) -> str:
    """The code for a base32 ``secret`` at epoch second ``at`` (now by default): HOTP (RFC 4226)
    with HMAC-SHA1 over the number of 30-second steps."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // STEP)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def fresh_totp(secret: str) -> str:
    """The current code, waiting for the next step when this one ends within 3 seconds (the
    verifier accepts the current step only)."""
    left = STEP - time.time() % STEP
    if left < 3:
        time.sleep(left + 0.1)
    return totp(secret)
