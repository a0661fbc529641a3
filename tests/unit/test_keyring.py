"""kabar.keyring, and the comment intake across a key rotation (in-memory stores)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kabar.errors import Conflict
from kabar.keyring import HmacKey, Keyring, KeyringError
from kabar.workflows.comments import IntakeRules, read_submission, submit
from kabar.workflows.moderation import moderate
from tests.support.memory import MemoryStores, article

SLUG = "banjir-rendam-kampung-melayu"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OLD = Keyring.single(b"kunci-lama-yang-panjang")
ROTATED = OLD.rotated(b"kunci-baru-yang-panjang", now=NOW, window=timedelta(days=30))
EVERY_COMMENT = IntakeRules(flood_seconds=0)


def test_a_secret_is_read_as_a_keyring_and_written_back_the_same() -> None:
    generated = Keyring.parse('{"id": "k1", "key": "' + "a" * 64 + '"}')  # as the template generates it
    assert generated == Keyring(HmacKey("k1", b"a" * 64))
    assert Keyring.parse(ROTATED.to_json()) == ROTATED
    assert json.loads(ROTATED.to_json())["previous"] == {
        "id": "k1", "key": "kunci-lama-yang-panjang", "until": "2026-12-24T09:00:00Z",
    }  # fmt: skip
    assert Keyring.parse("set-by-hand-without-json") == Keyring(HmacKey("k0", b"set-by-hand-without-json"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty"),
        ('{"key": "' + "a" * 20 + '"}', "needs id"),
        ('{"id": "k.1", "key": "' + "a" * 20 + '"}', "needs id"),
        ('{"id": "k1", "key": "short"}', "needs key"),
        ('{"id": "k2", "key": "' + "a" * 20 + '", "previous": {"id": "k1", "key": "' + "b" * 20
         + '"}}', "until"),
        ('{"id": "k2", "key": "' + "a" * 20 + '", "previous": {"id": "k2", "key": "' + "b" * 20
         + '", "until": "2027-01-01T00:00:00Z"}}', "the current key's id"),
    ],
)  # fmt: skip
def test_a_secret_that_is_no_keyring_is_refused_naming_what_is_wrong(value: str, message: str) -> None:
    with pytest.raises(KeyringError, match=message) as refused:
        Keyring.parse(value)
    assert "aaaa" not in str(refused.value) and "bbbb" not in str(refused.value)  # never the key


def test_hashes_carry_their_key_id_and_the_previous_key_is_tried_only_within_its_window() -> None:
    assert ROTATED.current.id == "k2" and ROTATED.previous == OLD.current
    assert ROTATED.current.hash("x").startswith("k2.") and OLD.current.hash("x").startswith("k1.")
    assert ROTATED.current.hash("x")[3:] != OLD.current.hash("x")[3:]
    assert ROTATED.active(NOW + timedelta(days=29)) == (ROTATED.current, OLD.current)
    assert ROTATED.active(NOW + timedelta(days=30)) == (ROTATED.current,)
    again = ROTATED.rotated(
        b"kunci-ketiga-yang-panjang", now=NOW + timedelta(days=40), window=timedelta(days=1)
    )
    assert (again.current.id, again.previous) == ("k3", ROTATED.current)


def post(stores: MemoryStores, keys: Keyring, email: str, content: str, now: datetime) -> dict[str, Any]:
    body = {"name": "Ani", "email": email, "content": content}
    return submit(SLUG, read_submission(body, raw_size=100), source_ip="203.0.113.7",
                  articles=stores.articles, comments=stores.comments, keys=keys, rules=EVERY_COMMENT,
                  now=now)  # fmt: skip


def test_a_commenter_known_before_a_rotation_is_known_during_its_window_and_moves_to_the_new_key() -> None:
    stores = MemoryStores.new()
    stores.put_article(article(SLUG))
    for email in ("ani@example.id", "budi@example.id"):
        first = post(stores, OLD, email, f"Pertama dari {email}.", NOW)
        moderate(stores.comments, first["id"], "approve", by="mod", now=NOW)
    during = NOW + timedelta(days=10)
    assert post(stores, ROTATED, "ANI@example.id", "Di tengah rotasi.", during)["status"] == "published"
    ani = ROTATED.current.hash("ani@example.id")
    # The new key's record took the approved comment along (1) and counts this one (2).
    assert stores.comments.commenters[ani].approved == 2
    assert post(stores, ROTATED, "ani@example.id", "Sekali lagi.", during)["status"] == "published"
    assert stores.comments.commenters[ani].approved == 3  # carried once, not again
    with pytest.raises(Conflict, match="already"):  # a duplicate made under the previous key
        post(stores, ROTATED, "budi@example.id", "Pertama dari budi@example.id.", during)
    after = NOW + timedelta(days=31)
    assert post(stores, ROTATED, "ani@example.id", "Sesudah jendela.", after)["status"] == "published"
    # Budi did not come back during the window: after it, only the new key counts.
    assert (
        post(stores, ROTATED, "budi@example.id", "Sesudah jendela.", after)["status"] == "awaiting moderation"
    )
