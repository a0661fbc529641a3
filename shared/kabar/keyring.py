"""The comment secret as a keyring: the current HMAC key, and the previous one during a rotation window.

The secret's value is JSON: ``{"id": "k2", "key": "...", "previous": {"id": "k1", "key": "...",
"until": "2027-03-01T00:00:00Z"}}`` (``previous`` only during a rotation). Every keyed hash
carries the id of the key that made it (``k2.<64 hex digits>``), so a hash made before a
rotation is never mistaken for one made after it. While ``until`` is ahead, lookups try the
current key first, then the previous one; after it, only the current key. A value that is not
JSON (a secret set by hand) is one key with the id ``k0``.

Pure: no AWS. The function reads the secret (:func:`kabar.aws.secret`); ``kabar ops
rotate-comment-key`` writes the next value with :meth:`Keyring.rotated`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_NUMBERED = re.compile(r"k(\d+)")
LEGACY_ID = "k0"


class KeyringError(ValueError):
    """The secret's value is not a keyring (names what is wrong, never the key)."""


class HmacKey(NamedTuple):
    id: str
    secret: bytes

    def hash(self, value: str) -> str:
        """``<key id>.<HMAC-SHA256 of value, hex>``."""
        return f"{self.id}.{hmac.new(self.secret, value.encode(), hashlib.sha256).hexdigest()}"


class Keyring(NamedTuple):
    current: HmacKey
    previous: HmacKey | None = None
    previous_until: datetime | None = None  # the end of the rotation window

    @classmethod
    def single(cls, secret: bytes, key_id: str = "k1") -> Keyring:
        return cls(HmacKey(key_id, secret))

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """The keyring a secret's value holds (KeyringError naming what is wrong)."""
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            if not text.strip():
                raise KeyringError("the comment secret is empty")
            return cls(HmacKey(LEGACY_ID, text.encode()))
        current = _key(value, "the comment secret")
        previous = value.get("previous")
        if previous is None:
            return cls(current)
        if not isinstance(previous, dict):
            raise KeyringError("the comment secret's previous must be an object")
        old = _key(previous, "the comment secret's previous")
        try:
            until = datetime.fromisoformat(str(previous["until"]).replace("Z", "+00:00"))
        except (KeyError, ValueError) as exc:
            raise KeyringError("the comment secret's previous needs until, an ISO 8601 time") from exc
        if old.id == current.id:
            raise KeyringError(f"the comment secret's previous key has the current key's id {old.id!r}")
        return cls(current, old, until if until.tzinfo else until.replace(tzinfo=UTC))

    def active(self, now: datetime) -> tuple[HmacKey, ...]:
        """The keys lookups try, current first: the previous one only within its window."""
        if self.previous is not None and self.previous_until is not None and now < self.previous_until:
            return self.current, self.previous
        return (self.current,)

    def in_window(self, now: datetime) -> bool:
        return len(self.active(now)) > 1

    def rotated(self, secret: bytes, *, now: datetime, window: timedelta) -> Keyring:
        """A new current key (the next id), keeping this one as previous until ``now + window``."""
        numbers = [
            int(m.group(1)) for k in (self.current, self.previous) if k and (m := _NUMBERED.fullmatch(k.id))
        ]
        return Keyring(HmacKey(f"k{max(numbers, default=0) + 1}", secret), self.current, now + window)

    def to_json(self) -> str:
        """The secret's value for this keyring."""
        value: dict[str, object] = {"id": self.current.id, "key": self.current.secret.decode()}
        if self.previous is not None and self.previous_until is not None:
            until = self.previous_until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            value["previous"] = {"id": self.previous.id, "key": self.previous.secret.decode(), "until": until}
        return json.dumps(value)


def _key(value: dict[str, object], where: str) -> HmacKey:
    key_id, secret = value.get("id"), value.get("key")
    if not isinstance(key_id, str) or not _KEY_ID.fullmatch(key_id):
        raise KeyringError(f"{where} needs id, 1 to 32 letters, digits, '-' or '_'")
    if not isinstance(secret, str) or len(secret) < 16:
        raise KeyringError(f"{where} needs key, a string of at least 16 characters")
    return HmacKey(key_id, secret.encode())
