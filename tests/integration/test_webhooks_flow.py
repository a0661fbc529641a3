"""Webhooks through the real template on moto, to real HTTP receivers on 127.0.0.1: an admin
subscribes; a publish reaches the receiver, retried with the same webhook-id until it answers 200,
signed as Standard Webhooks verifies; a handled-again change sends nothing twice; an unpublish is
announced; a receiver that always fails ends among the subscription's dead letters, is turned off
after a run of them, and a replay delivers once it recovers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from kabar.dispatch import encode
from kabar.events import ArticleChanged
from kabar_infra.provision import Stack
from kabar_infra.template import Template
from tests.support.app import CDN_URL, App, article_file
from tests.support.receiver import Receiver, receiver

SLUG = "banjir-bandang-landa-garut-selatan"


@pytest.fixture
def app(stack: Stack, template: Template) -> App:
    """The stack with receivers on 127.0.0.1 allowed and retries a second apart (as on make run)."""
    overrides = {"CDN_URL": CDN_URL, "WEBHOOK_ALLOW_LOCAL": "true", "WEBHOOK_RETRY_SECONDS": "1,1",
                 "WEBHOOK_DISABLE_AFTER": "2"}  # fmt: skip
    return App(template, stack, overrides)


def subscribe(app: App, url: str, *events: str) -> dict[str, Any]:
    code, made = app.api(
        "POST", "/webhooks", {"url": url, "events": list(events)}, groups="admins", user="admin1"
    )
    assert code == 201, made
    return made


def until(app: App, done: Callable[[], bool], timeout: float = 15.0) -> None:
    """Route events until ``done`` (retries wait in the queue for their delay)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        app.router.drain()
        time.sleep(0.3)


def settle(app: App, seconds: float = 3.0) -> None:
    """Route whatever comes in the next few seconds (a retry that should not come, say)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.router.drain()
        time.sleep(0.3)


def verified(hook: Receiver, secret: str) -> list[dict[str, Any]]:
    return [Webhook(secret).verify(got.body, got.headers) for got in hook.received]


def test_a_publish_is_retried_with_one_id_until_it_lands_and_sent_once(app: App) -> None:
    assert app.api("GET", "/webhooks", groups="editors")[0] == 403
    with receiver(500, 500, 200) as hook:
        made = subscribe(app, hook.url, "article.published", "article.unpublished")
        assert made["secret"].startswith("whsec_") and made["status"] == "active"
        assert "secret" not in app.api("GET", "/webhooks", groups="admins")[1]["webhooks"][0]
        app.upload("a.md", article_file(title="Banjir Bandang Landa Garut Selatan", category="Berita Daerah"))
        until(app, lambda: len(hook.received) == 3)
        settle(app)
        assert len(hook.received) == 3  # delivered: never again
        assert len({got.headers["webhook-id"] for got in hook.received}) == 1
        messages = verified(hook, made["secret"])
        assert {m["type"] for m in messages} == {"article.published"}
        data = messages[0]["data"]
        document = app.document(f"v1/articles/{SLUG}.json")
        assert document is not None and (data["slug"], data["url"]) == (SLUG, document["url"])
        assert set(data) >= {"title", "published_at", "path", "version"} and "email" not in str(data)
        code, log = app.api("GET", f"/webhooks/{made['id']}/log", groups="admins")
        tried = [(a["attempt"], a["status"]) for a in log["attempts"]]
        assert code == 200 and tried == [(3, 200), (2, 500), (1, 500)]
        assert all(a["latency_ms"] >= 0 for a in log["attempts"]) and log["dead"] == []

        # The same stream record handled again (a retried batch): nothing is sent twice.
        change = ArticleChanged(SLUG, frozenset(), version=1, announce="article.published")
        body = encode(change, None, {})
        app.invoke(
            "AnnounceFunction", {"Records": [{"messageId": "again", "body": body, "eventSource": "aws:sqs"}]}
        )
        settle(app, 2.0)
        assert len(hook.received) == 3

        app.upload(
            "a.md", article_file(title="Banjir Bandang Landa Garut Selatan", slug=SLUG, lead="Diperbarui.")
        )
        settle(app, 2.0)
        assert len(hook.received) == 3  # article.updated: not subscribed
        app.upload(
            "a.md", article_file(title="Banjir Bandang Landa Garut Selatan", slug=SLUG, status="draft")
        )
        until(app, lambda: len(hook.received) == 4)
        last = verified(hook, made["secret"])[-1]
        assert last["type"] == "article.unpublished" and last["data"]["slug"] == SLUG


def test_a_receiver_that_always_fails_ends_in_the_dead_letters_and_a_replay_delivers(app: App) -> None:
    with receiver(503) as hook:
        made = subscribe(app, hook.url, "article.published")
        app.upload("a.md", article_file(title="Banjir Bandang Landa Garut Selatan"))
        until(app, lambda: len(hook.received) == 3)  # the first try and its two retries
        settle(app)
        assert len(hook.received) == 3
        log = app.api("GET", f"/webhooks/{made['id']}/log", groups="admins")[1]
        (dead,) = log["dead"]
        assert dead == hook.received[0].headers["webhook-id"] and log["webhook"]["failures"] == 1
        app.upload("b.md", article_file(title="Harga Cabai di Pasar Induk Turun"))
        until(app, lambda: len(hook.received) == 6)
        settle(app)
        listed = app.api("GET", "/webhooks", groups="admins")[1]["webhooks"][0]
        assert listed["status"] == "disabled" and "2 deliveries in a row" in listed["disabled_reason"]
        app.upload("c.md", article_file(title="Timnas Menang Dua Gol"))
        settle(app, 2.0)
        assert len(hook.received) == 6  # off: nothing tried

        hook.statuses[:] = [200]  # it recovers
        code, replayed = app.api("POST", f"/webhooks/{made['id']}/replay", {}, groups="admins")
        assert code == 200 and replayed["subscription"]["status"] == "active"
        assert len(replayed["replayed"]) == 3  # both that died, and the one kept while it was off
        until(app, lambda: len(hook.received) == 9)
        settle(app)
        assert len(hook.received) == 9
        ids = [got.headers["webhook-id"] for got in hook.received]
        assert set(ids[6:]) == set(replayed["replayed"]) and ids[0] in ids[6:]  # the same ids again
        assert {m["type"] for m in verified(hook, made["secret"])} == {"article.published"}
        assert app.api("GET", f"/webhooks/{made['id']}/log", groups="admins")[1]["dead"] == []
        assert (
            app.api("POST", f"/webhooks/{made['id']}/replay", {"delivery": "msg_nope"}, groups="admins")[0]
            == 404
        )


def test_a_subscription_request_is_checked_and_a_removed_one_gets_nothing(app: App) -> None:
    code, refused = app.api("POST", "/webhooks", {"url": "https://169.254.169.254/", "events": ["nope"]},
                            groups="admins")  # fmt: skip
    assert code == 400 and [e["field"] for e in refused["errors"]] == ["url", "events.0"]
    with receiver(200) as hook:
        made = subscribe(app, hook.url, "article.published")
        removed = app.api("DELETE", f"/webhooks/{made['id']}", groups="admins")
        assert removed == (200, {"id": made["id"], "removed": True})
        assert app.api("DELETE", f"/webhooks/{made['id']}", groups="admins")[0] == 404
        app.upload("a.md", article_file(title="Banjir Bandang Landa Garut Selatan"))
        settle(app, 1.0)
        assert hook.received == []
