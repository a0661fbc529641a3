"""Auto-posting to a Facebook Page and a Telegram channel, their API base URLs pointed at local
servers (real HTTP) and the template's handlers on moto: a new article is posted once to each, an
update or a publish after a draft posts nothing, a scheduled article is posted when it goes live,
an editor's repost posts again, and a refused token turns its target off with the reason."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kabar_infra.local.schedules import LocalScheduler
from kabar_infra.provision import Stack
from kabar_infra.template import Template
from tests.support.app import CDN_URL, App, article_file
from tests.support.receiver import Receiver, receiver

PAGE, CHAT = "104857600", "@kabarlokal"
TOKENS = {"facebook": "EAAB-page-token", "telegram": "123456:bot-token"}


@pytest.fixture
def servers() -> Iterator[tuple[Receiver, Receiver]]:
    graph_ok = json.dumps({"id": f"{PAGE}_1"}).encode()
    with (
        receiver(200, path="", answers=(graph_ok,)) as graph,
        receiver(200, path="", answers=(b'{"ok":true}',)) as bot,
    ):
        yield graph, bot


@pytest.fixture
def app(stack: Stack, template: Template, servers: tuple[Receiver, Receiver]) -> App:
    graph, bot = servers
    overrides = {"CDN_URL": CDN_URL, "WEBHOOK_ALLOW_LOCAL": "true", "WEBHOOK_RETRY_SECONDS": "1",
                 "FACEBOOK_PAGE_ID": PAGE, "FACEBOOK_GRAPH_URL": f"{graph.url}/v21.0",
                 "TELEGRAM_CHAT_ID": CHAT, "TELEGRAM_API_URL": bot.url}  # fmt: skip
    made = App(template, stack, overrides)
    made.session.client("secretsmanager").put_secret_value(SecretId=stack.ref("SocialSecret"),
                                                           SecretString=json.dumps(TOKENS))  # fmt: skip
    return made


def settle(app: App, seconds: float = 1.5) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.router.drain()
        time.sleep(0.3)


def posts(server: Receiver) -> list[dict[str, Any]]:
    return [{"path": got.path, **json.loads(got.body)} for got in server.received]


def test_a_new_article_is_posted_once_to_each_target(app: App, servers: tuple[Receiver, Receiver]) -> None:
    graph, bot = servers
    slug = "banjir-bandang-landa-garut-selatan"
    app.upload(
        "a.md", article_file(title="Banjir Bandang Landa Garut Selatan", lead="Ratusan rumah terendam.")
    )
    settle(app)
    url = (app.document(f"v1/articles/{slug}.json") or {})["url"]
    (facebook,) = posts(graph)
    message = "Banjir Bandang Landa Garut Selatan\n\nRatusan rumah terendam."
    assert facebook == {
        "path": f"/v21.0/{PAGE}/feed",
        "link": url,
        "access_token": TOKENS["facebook"],
        "message": message,
    }
    (telegram,) = posts(bot)
    assert telegram["path"] == f"/bot{TOKENS['telegram']}/sendMessage" and telegram["chat_id"] == CHAT
    assert telegram["text"].startswith("Banjir Bandang Landa Garut Selatan") and telegram["text"].endswith(
        url
    )
    log = app.api("GET", "/webhooks/social_telegram/log", groups="admins")[1]
    assert [(a["attempt"], a["status"]) for a in log["attempts"]] == [(1, 200)]
    assert TOKENS["telegram"] not in json.dumps(log)  # the bot's token is in its URL: never logged

    app.upload(
        "a.md", article_file(title="Banjir Bandang Landa Garut Selatan", slug=slug, lead="Diperbarui.")
    )
    app.upload("a.md", article_file(title="Banjir Bandang Landa Garut Selatan", slug=slug, status="draft"))
    app.upload("a.md", article_file(title="Banjir Bandang Landa Garut Selatan", slug=slug, lead="Lagi."))
    settle(app)
    assert len(graph.received) == len(bot.received) == 1  # an update, a publish after a draft: nothing

    code, reposted = app.api("POST", f"/social/{slug}/repost")
    assert code == 200 and [t["queued"] for t in reposted["targets"]] == [True, True]
    settle(app)
    assert len(graph.received) == len(bot.received) == 2 and posts(graph)[1]["message"].endswith("Lagi.")
    assert app.api("POST", "/social/tidak-ada/repost")[0] == 404


def test_a_scheduled_article_is_posted_when_it_goes_live(
    app: App, servers: tuple[Receiver, Receiver]
) -> None:
    graph, bot = servers
    due = (datetime.now(UTC) + timedelta(seconds=5)).replace(microsecond=0)
    app.upload("a.md", article_file(title="Laporan Akhir Tahun BPBD", published_at=due.isoformat()))
    settle(app)
    assert graph.received == [] and bot.received == []
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 1)
    LocalScheduler(app.template, app.stack, app.session).tick()
    settle(app, 2.0)
    assert len(graph.received) == len(bot.received) == 1


def test_a_refused_token_turns_its_target_off_with_the_reason(
    app: App, servers: tuple[Receiver, Receiver]
) -> None:
    graph, bot = servers
    graph.statuses[:] = [400]
    graph.answers[:] = [
        json.dumps({"error": {"code": 190, "message": "Error validating access token"}}).encode()
    ]
    app.upload("a.md", article_file(title="Banjir Bandang Landa Garut Selatan"))
    settle(app, 3.0)
    assert len(graph.received) == 1 and len(bot.received) == 1  # refused: not retried; Telegram posted
    listed = {w["id"]: w for w in app.api("GET", "/webhooks", groups="admins")[1]["webhooks"]}
    facebook = listed["social_facebook"]
    assert (
        facebook["status"] == "disabled"
        and "Facebook refused the Page token (error 190" in facebook["disabled_reason"]
    )
    assert listed["social_telegram"]["status"] == "active"
    app.upload("b.md", article_file(title="Harga Cabai di Pasar Induk Turun"))
    settle(app)
    assert len(graph.received) == 1 and len(bot.received) == 2  # off: kept among its dead letters
    assert len(app.api("GET", "/webhooks/social_facebook/log", groups="admins")[1]["dead"]) == 2

    graph.statuses[:], graph.answers[:] = [200], [b'{"id": "1_2"}']  # a new token put in the secret
    replayed = app.api("POST", "/webhooks/social_facebook/replay", {}, groups="admins")[1]
    assert replayed["subscription"]["status"] == "active" and len(replayed["replayed"]) == 2
    settle(app)
    assert len(graph.received) == 3
