"""POST /articles/{slug}/comments: the intake's rules in order, and what it stores."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support.app import App, article_file
from tests.support.comments import SLUG, post, stored

ANI = {"name": "Ani", "email": "Ani@Example.co.id", "content": "Semoga warga cepat pulih."}


@pytest.fixture
def article(app: App) -> App:
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", body="Air naik.\n"))
    return app


def test_a_first_comment_waits_and_its_email_and_ip_are_stored_only_hashed(article: App) -> None:
    status, body, _ = post(article, ANI)
    assert status == 201 and body["status"] == "awaiting moderation" and body["message"]
    (comment,) = stored(article)
    assert comment["status"] == "pending" and comment["reasons"] == ["first-time commenter"]
    assert comment["name"] == "Ani" and comment["content"] == ANI["content"]
    everything = json.dumps(article.table_items()).lower()
    assert "ani@example.co.id" not in everything and "203.0.113" not in everything
    # Each hash names the key that made it: the template's generated secret is key k1.
    assert re.fullmatch(r"k1\.[0-9a-f]{64}", comment["email_hash"]), comment["email_hash"]
    assert re.fullmatch(r"k1\.[0-9a-f]{64}", comment["network_hash"]), comment["network_hash"]


def test_a_returning_commenter_is_published_at_once(stack: Any, template: Any) -> None:
    app = App(template, stack, {"COMMENT_FLOOD_SECONDS": "0", "COMMENT_NETWORK_LIMIT": "1000"})
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", body="Air naik.\n"))
    post(app, ANI)
    (first,) = stored(app)
    status, _ = app.api("POST", f"/comments/{first['id']}/approve", groups="moderators", user="mod")
    assert status == 200
    # Recognised by the keyed hash of the email (case does not matter), not by name and email as given.
    status, body, _ = post(app, {"name": "Someone", "email": "ani@example.co.id", "content": "Lain lagi."})
    assert (status, body["status"]) == (201, "published")
    assert post(app, {**ANI, "email": "eko@example.id", "content": "Baru pertama."})[1]["status"] == (
        "awaiting moderation")  # fmt: skip


def test_duplicates_get_409_and_floods_429_with_retry_after(article: App) -> None:
    assert post(article, ANI)[0] == 201
    status, body, _ = post(article, ANI)
    assert status == 409 and "already" in body["message"]
    status, body, headers = post(article, {**ANI, "content": "Isi lain."}, ip="198.51.100.1")
    assert status == 429 and headers["Retry-After"] == "15"  # the same email elsewhere


def test_one_network_is_a_rate_with_retry_after(article: App) -> None:
    """Readers behind one address (/24, /48): six a minute are taken, the seventh waits."""
    for n in range(6):
        reader = {**ANI, "email": f"pembaca{n}@example.id", "content": f"Komentar {n}."}
        assert post(article, reader, ip=f"203.0.113.{n + 1}")[0] == 201
    status, body, headers = post(article, {**ANI, "email": "ketujuh@example.id", "content": "Tujuh."})
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60
    assert body["message"] == "more than 6 comments a minute from your network: please wait"
    assert (
        post(article, {**ANI, "email": "v6@example.id", "content": "Dari v6."}, ip="2001:db8:1:2::5")[0]
        == 201
    )
    networks = [item for item in article.table_items() if item["sk"]["S"] == "NETWORK"]
    assert sorted((len(n["times"]["L"]), n["v"]["N"]) for n in networks) == [(1, "1"), (6, "6")]
    assert all(int(n["expires_at"]["N"]) > int(float(n["times"]["L"][-1]["N"])) for n in networks)  # TTL


def test_spam_is_accepted_but_stored_as_spam_and_links_wait(article: App) -> None:
    status, body, _ = post(article, {**ANI, "honeypot": "http://spam.example"})
    assert status == 201 and body["status"] == "awaiting moderation"
    status, _, _ = post(article, {**ANI, "email": "b@example.id", "content": "Lihat http://a.com dan http://b.com"},
                        ip="198.51.100.2")  # fmt: skip
    assert status == 201
    by_status = {c["status"]: c for c in stored(article)}
    assert by_status["spam"]["reasons"] == ["honeypot filled"]
    assert by_status["pending"]["reasons"] == ["2 links"]


def test_markup_never_survives(article: App) -> None:
    post(article, {**ANI, "name": "<b>Ani</b>", "content": "<script>alert(1)</script>Halo <i>semua</i>"})
    (comment,) = stored(article)
    assert comment["name"] == "Ani" and "<" not in comment["content"]
    assert "<script" not in comment["content_html"] and comment["content_html"].startswith("<p>")


@pytest.mark.parametrize(
    ("name", "kept"),
    [("Ani <img src=x onerror=alert(1)", "Ani"),  # an unclosed tag runs to the end
     ("<<b>img src=x onerror=alert(1)>Ani", "Ani"),  # a tag once the inner one goes
     ("&lt;img src=x onerror=alert(1)&gt;Ani", "Ani"),  # entities are read first
     ("<\u200bimg src=x onerror=alert(1)", None),  # an invisible character hides nothing
     ("Ani\u202e\u0000 \ufeffSiregar", "Ani Siregar"),  # control and direction characters go
     ("a < b", "a < b")],
)  # fmt: skip
def test_names_lose_markup_and_invisible_characters(article: App, name: str, kept: str | None) -> None:
    status, body, _ = post(
        article, {**ANI, "name": name, "content": f"Isi {name}", "website": "https://a.id/\u202e"}
    )
    if kept is None:
        assert (status, body["errors"]) == (
            400,
            [{"field": "name", "message": "needs letters (markup is removed)"}],
        )
        return
    (comment,) = stored(article)
    assert (status, comment["name"], comment["website"]) == (201, kept, "https://a.id/")
    assert "onerror" not in comment["content"] and "\u202e" not in comment["content"]
    status, _ = article.api("POST", f"/comments/{comment['id']}/approve", groups="moderators", user="mod")
    article.router.drain()
    (public,) = article.document(f"v1/articles/{SLUG}/comments.json")["comments"]  # type: ignore[index]
    assert status == 200 and public["name"] == kept


def test_bad_requests_name_each_field(article: App) -> None:
    status, body, _ = post(article, b"{not json")
    assert status == 400 and "JSON" in body["message"]
    status, body, _ = post(article, {"content": "x", "website": "ftp://x"})
    assert status == 400 and {e["field"] for e in body["errors"]} == {"name", "email", "website"}
    status, body, _ = post(article, {**ANI, "content": "x" * 5001})
    assert status == 413 and body["errors"] == [
        {"field": "content", "message": "is longer than 5000 characters"}
    ]
    status, body, _ = post(article, {**ANI, "parent": "20261125T000000Z00000000"})
    assert status == 400 and body["errors"][0]["field"] == "parent"
    assert post(article, ANI, slug="tidak-ada")[0] == 404
    assert stored(article) == []


def test_comments_close_per_article(app: App) -> None:
    app.upload("a.md", article_file(title="Tertutup", comments="closed", body="Isi.\n"))
    status, body, _ = post(app, ANI, slug="tertutup")
    assert status == 403 and "closed" in body["message"]


def test_a_refused_comment_writes_nothing(stack: Any, template: Any) -> None:
    """Duplicates and floods are answered from one read, before any write (and for a returning
    commenter, before an approval number is taken)."""
    app = App(template, stack, {})
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", body="Air naik.\n"))
    post(app, ANI)
    (first,) = stored(app)
    assert app.api("POST", f"/comments/{first['id']}/approve", groups="moderators", user="mod")[0] == 200
    before = app.table_items()
    assert post(app, ANI)[0] == 409
    status, _, headers = post(app, {**ANI, "content": "Yang lain."})
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 15
    assert app.table_items() == before  # no comment, no marker, no approval number taken
