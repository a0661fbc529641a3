"""Learned spam names over the API on moto: a moderator's "spam" teaches the site the gambling site
names in the comment, the next comment naming one is held with that reason, moderators list and
forget them; and the table purges spam, trash and markers through its TTL."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.support.app import App, article_file
from tests.support.comments import post, stored
from tests.support.styles import styled


@pytest.fixture
def app(stack: Any, template: Any) -> App:
    app = App(template, stack, {"COMMENT_FLOOD_SECONDS": "0", "COMMENT_PURGE_DAYS": "7"})
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", body="Air naik.\n"))
    return app


def moderate(app: App, method: str, path: str) -> tuple[int, dict[str, Any]]:
    return app.api(method, path, groups="moderators", user="mod")


def by_id(app: App, comment_id: str) -> dict[str, Any]:
    return next(c for c in stored(app) if c["id"] == comment_id)


def test_a_name_learned_from_spam_holds_the_next_comment_naming_it(app: App) -> None:
    promo = {"name": "Rina", "email": "rina@example.id",
             "content": f"Kontennya keren! Main di {styled('bold', 'DEWADORA88')} yuk"}  # fmt: skip
    status, taken, _ = post(app, promo, ip="203.0.113.7")
    assert status == 201
    status, done = moderate(app, "POST", f"/comments/{taken['id']}/spam")
    assert status == 200 and done["learned"] == ["dewadora88"]
    assert moderate(app, "POST", f"/comments/{taken['id']}/spam")[1]["learned"] == []  # learned once

    status, names = moderate(app, "GET", "/spam-names")
    assert status == 200 and names["next"] is None
    assert [(n["name"], n["comment"], n["by"]) for n in names["names"]] == [
        ("dewadora88", taken["id"], "mod")
    ]

    later = {"name": "Budi", "email": "budi@example.id", "content": "Coba main di dewadora 88, gampang"}
    status, held, _ = post(app, later, ip="198.51.100.20")  # another reader, another network
    assert status == 201 and held["status"] == "awaiting moderation"
    assert "learned spam name: dewadora88" in by_id(app, held["id"])["reasons"]

    assert moderate(app, "DELETE", "/spam-names/DEWADORA88")[1] == {"name": "dewadora88", "removed": True}
    assert moderate(app, "DELETE", "/spam-names/dewadora88")[1] == {"name": "dewadora88", "removed": False}
    assert moderate(app, "GET", "/spam-names")[1]["names"] == []
    again = {"name": "Citra", "email": "citra@example.id", "content": "Coba main di dewadora 88 juga"}
    status, taken_again, _ = post(app, again, ip="192.0.2.30")
    assert "learned spam name: dewadora88" not in by_id(app, taken_again["id"])["reasons"]


def test_spam_names_are_for_moderators_only(app: App) -> None:
    assert app.api("GET", "/spam-names", groups="editors")[0] == 403
    assert app.api("DELETE", "/spam-names/badak88", groups="editors")[0] == 403


def test_the_table_purges_spam_trash_and_markers_by_ttl(app: App) -> None:
    ttl = app.dynamodb.describe_time_to_live(TableName=app.stack.ref("ContentTable"))["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at")
    _, taken, _ = post(app, {"name": "Ani", "email": "ani@example.id", "content": "Semoga pulih."})
    items = {item["sk"]["S"]: item for item in app.table_items()}
    assert "expires_at" in items["DUPLICATE"] and "expires_at" in items["NETWORK"]
    assert "expires_at" not in items["COMMENTER"]  # a commenter's approved count is kept
    assert "expires_at" not in items["COMMENT"]
    moderate(app, "POST", f"/comments/{taken['id']}/trash")
    (comment,) = [i for i in app.table_items() if i["sk"]["S"] == "COMMENT"]
    created = int(comment["expires_at"]["N"]) - 7 * 86400
    assert abs(created - time.time()) < 60  # purged 7 days from now
    moderate(app, "POST", f"/comments/{taken['id']}/approve")
    (comment,) = [i for i in app.table_items() if i["sk"]["S"] == "COMMENT"]
    assert "expires_at" not in comment
    # The TTL's deletion of a comment in the trash is a REMOVE on the stream: nothing fails, nothing
    # public changes (moto runs no TTL sweeper; the deletion is the one DynamoDB would make).
    moderate(app, "POST", f"/comments/{taken['id']}/trash")
    app.router.drain()
    before = app.site_keys()
    delivered = len(app.router.deliveries)
    app.dynamodb.delete_item(
        TableName=app.stack.ref("ContentTable"), Key={"pk": comment["pk"], "sk": comment["sk"]}
    )
    app.router.drain()
    assert all(d.failures == 0 for d in app.router.deliveries[delivered:])
    assert app.site_keys() == before
