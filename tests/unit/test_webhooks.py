"""Webhooks' pure parts: signatures the Standard Webhooks library verifies, ids that stay the same
for one event, what an article's change announces, the targets Kabar refuses to send to, and the
retry schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from kabar import outbound
from kabar.errors import InvalidRequest
from kabar.webhooks import (
    ARTICLE_PUBLISHED,
    ARTICLE_UNPUBLISHED,
    ARTICLE_UPDATED,
    Event,
    article_event,
    body,
    headers,
    subscription_secret,
)
from kabar.workflows.webhooks import read_subscription, retry_schedule

AT = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)


def test_a_signed_delivery_verifies_with_the_specifications_library_and_a_changed_one_does_not() -> None:
    secret = subscription_secret("master secret of the stack", "wh_0123456789abcdef")
    assert secret.startswith("whsec_") and secret != subscription_secret("master secret of the stack", "wh_1")
    event = Event(ARTICLE_PUBLISHED, "banjir-garut", 2, AT)
    payload = body(event, {"slug": "banjir-garut", "title": "Banjir di Garut, 2 Desa Terendam"})
    timestamp = int(datetime.now(UTC).timestamp())
    signed = headers(secret, event.message_id, timestamp, payload)
    assert set(signed) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    verified = Webhook(secret).verify(payload, signed)
    data = {"slug": "banjir-garut", "title": "Banjir di Garut, 2 Desa Terendam"}
    assert verified == {"type": "article.published", "timestamp": "2026-12-04T03:00:00Z", "data": data}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(payload.replace(b"Garut", b"Bogor"), signed)
    with pytest.raises(WebhookVerificationError):
        Webhook(subscription_secret("another master", "wh_0123456789abcdef")).verify(payload, signed)


def test_the_specifications_own_example_signature_is_reproduced() -> None:
    # standardwebhooks' signing of a fixed id, time and body, compared with ours byte for byte.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    expected = Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", datetime.fromtimestamp(1614265330, UTC),
                                    b'{"test": 2432232314}')  # fmt: skip
    ours = headers(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')
    assert ours["webhook-signature"] == expected == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_one_event_has_one_id_however_often_it_is_handled() -> None:
    first = Event(ARTICLE_PUBLISHED, "banjir-garut", 2, AT)
    again = Event(ARTICLE_PUBLISHED, "banjir-garut", 2, datetime.now(UTC))  # handled later: same event
    assert first.message_id == again.message_id and first.message_id.startswith("msg_")
    others = {Event(ARTICLE_UPDATED, "banjir-garut", 2, AT).message_id,
              Event(ARTICLE_PUBLISHED, "banjir-garut", 3, AT).message_id,
              Event(ARTICLE_PUBLISHED, "banjir-bogor", 2, AT).message_id}  # fmt: skip
    assert first.message_id not in others and len(others) == 3


def test_what_an_articles_new_version_announces() -> None:
    published, draft = {"status": "published", "version": 2}, {"status": "draft", "version": 2}
    scheduled = {"status": "scheduled", "version": 1}
    assert article_event(None, published) == ARTICLE_PUBLISHED
    assert article_event(scheduled, published) == ARTICLE_PUBLISHED  # a scheduled one going live
    assert article_event({"status": "published", "version": 1}, published) == ARTICLE_UPDATED
    assert article_event(published, {"status": "draft", "version": 3}) == ARTICLE_UNPUBLISHED
    assert article_event(None, draft) is None and article_event(None, scheduled) is None
    assert article_event(published, published) is None  # the same version (no new one)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.id/x", "must be an https:// URL"),
        ("https://user:pw@hooks.example.id/x", "without a user name or password"),
        ("https://127.0.0.1/x", "not a public address"),
        ("https://169.254.169.254/latest/meta-data", "not a public address"),
        ("https://10.1.2.3/x", "not a public address"),
        ("https://100.64.0.9/x", "not a public address"),
        ("https://[::ffff:127.0.0.1]/x", "not a public address"),
        ("https://[fd00::1]/x", "not a public address"),
        ("https://224.0.0.1/x", "not a public address"),
        ("https://hooks.example.id:99999/x", "port"),
    ],
)
def test_targets_that_are_not_public_https_are_refused(url: str, why: str) -> None:
    with pytest.raises(outbound.Refused, match=why):
        outbound.resolve(url)


def test_a_public_address_is_allowed_and_local_http_only_where_the_setting_allows_it() -> None:
    assert outbound.resolve("https://1.1.1.1/hook").addresses == ("1.1.1.1",)
    with pytest.raises(outbound.Refused, match="https"):
        outbound.resolve("http://127.0.0.1:8000/hook")
    assert outbound.resolve("http://127.0.0.1:8000/hook", allow_local=True).port == 8000
    with pytest.raises(outbound.Refused, match="not a public address"):  # local http only, not https
        outbound.resolve("https://127.0.0.1/hook", allow_local=True)
    answer = outbound.post("https://10.0.0.1/hook", b"{}", {})
    assert answer.status is None and answer.error.startswith("refused: ") and not answer.ok


def test_a_subscription_request_names_every_problem() -> None:
    with pytest.raises(InvalidRequest) as refused:
        read_subscription({"url": "http://x.example/h", "events": ["article.published", "article.deleted"],
                           "description": "<b>hooks</b>", "secret": "mine"}, allow_local=False)  # fmt: skip
    assert [e["field"] for e in refused.value.errors] == ["secret", "url", "events.1", "description"]
    url, events, description = read_subscription(
        {"url": "https://1.1.1.1/h", "events": ["article.published", "article.published"]}, allow_local=False
    )
    assert (url, events, description) == ("https://1.1.1.1/h", ["article.published"], "")


def test_the_retry_schedule_is_read_from_its_setting() -> None:
    assert retry_schedule("5,300,1800") == (5, 300, 1800)
    for bad in ("", "5,soon", "-1", ",".join(["1"] * 21), "90000"):
        with pytest.raises(ValueError):
            retry_schedule(bad)


def test_a_social_posts_text_fills_the_template_and_a_refusal_is_recognised() -> None:
    from kabar.outbound import Answer
    from kabar.social import _facebook_refusal, _telegram_refusal, delivery_id, message, targets

    data = {"title": "Banjir di Garut", "lead": "Dua desa terendam.", "url": "https://kabar.example/b",
            "category": {"name": "Berita Daerah", "slug": "berita-daerah"}}  # fmt: skip
    assert message("{title}\\n\\n{lead}", data) == "Banjir di Garut\n\nDua desa terendam."
    assert (
        message("[{category}] {title} {url} {unknown}", data)
        == "[Berita Daerah] Banjir di Garut https://kabar.example/b {unknown}"
    )
    assert (
        message("{title}\n{subtitle}", data) == "Banjir di Garut"
    )  # an empty field leaves no blank line at the end
    assert delivery_id("banjir") == delivery_id("banjir") != delivery_id("banjir-2")
    assert [t.kind for t in targets("123", "https://graph.facebook.com/v21.0/", "", "")] == ["facebook"]
    assert targets("", "x", "@kabar", "https://api.telegram.org")[0].endpoint == (
        "https://api.telegram.org/bot<token>/sendMessage"
    )
    expired = Answer(400, 10, body='{"error": {"code": 190, "message": "Session has expired"}}')
    assert "error 190: Session has expired" in (_facebook_refusal(expired) or "")
    assert _facebook_refusal(Answer(500, 10, body='{"error": {"code": 2, "message": "try later"}}')) is None
    assert "Unauthorized" in (
        _telegram_refusal(Answer(401, 5, body='{"ok":false,"description":"Unauthorized"}')) or ""
    )
    assert _telegram_refusal(Answer(429, 5, body='{"ok":false}')) is None  # too many: retried


def test_kabar_ops_failures_names_a_dead_lettered_delivery_attempt() -> None:
    from kabar.workflows.webhooks import delivery_message
    from kabar_infra.cli.failures import describe, webhook_failure

    message = {
        "MessageId": "m1",
        "ReceiptHandle": "r",
        "Body": delivery_message("wh_0123456789abcdef", "msg_a", 3),
    }
    lines = describe(webhook_failure(message))
    assert "delivery msg_a to wh_0123456789abcdef, attempt 3" in lines[0]
    assert "kabar webhooks log wh_0123456789abcdef" in lines[1]
    assert "not a webhook delivery" in webhook_failure({**message, "Body": "{}"}).names
