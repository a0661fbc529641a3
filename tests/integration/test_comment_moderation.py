"""The moderators' API and the public comment pages it leads to (comments.json)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.app import App, article_file
from tests.support.comments import SLUG, post, stored
from tests.support.events import queued

COMMENTS = f"v1/articles/{SLUG}/comments.json"
ARTICLE = f"v1/articles/{SLUG}.json"


@pytest.fixture
def app(stack: Any, template: Any) -> App:
    """Floods are another test's business: here one network posts as many comments as it likes."""
    app = App(template, stack, {"COMMENT_FLOOD_SECONDS": "0", "COMMENT_NETWORK_LIMIT": "1000"})
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", body="Air naik.\n"))
    return app


def moderate(app: App, method: str, path: str, body: Any = None) -> tuple[int, dict[str, Any]]:
    status, answer = app.api(method, path, body, groups="moderators", user="mod")
    app.router.drain()
    return status, answer


def comment(app: App, n: int, **fields: Any) -> str:
    status, body, _ = post(app, {"name": f"Pembaca {n}", "email": f"pembaca{n}@example.id",
                                 "content": f"Komentar nomor {n}.", **fields})  # fmt: skip
    assert status == 201, body
    app.router.drain()
    return str(body["id"])


def test_a_moderator_approves_and_the_comment_is_public_without_email_or_ip(app: App) -> None:
    first = comment(app, 1, website="https://pembaca.example.id")
    assert app.document(COMMENTS) is None
    assert app.document(ARTICLE)["comments"] == {"count": 0, "path": None, "open": True, "closes_at": None}  # type: ignore[index]
    status, queue = moderate(app, "GET", "/comments?status=pending")
    assert status == 200 and [c["id"] for c in queue["comments"]] == [first] and queue["next"] is None
    shown = queue["comments"][0]
    assert shown["slug"] == SLUG and shown["reasons"] == ["first-time commenter"]
    assert not {"email_hash", "network_hash"} & set(shown)

    status, done = moderate(app, "POST", f"/comments/{first}/approve")
    assert status == 200 and done["changed"] is True and done["comment"]["moderated_by"] == "mod"
    page = app.document(COMMENTS)
    assert page is not None and (page["page"], page["pages"], page["count"], page["older"]) == (1, 1, 1, None)
    (public,) = page["comments"]
    assert public["name"] == "Pembaca 1" and "Komentar nomor 1." in public["content_html"]
    assert public["website"] == "https://pembaca.example.id"
    assert "pembaca1@example.id" not in json.dumps(page) and "203.0.113" not in json.dumps(page)
    assert app.document(ARTICLE)["comments"]["count"] == 1  # type: ignore[index]
    assert app.document(ARTICLE)["comments"]["path"] == COMMENTS  # type: ignore[index]
    assert moderate(app, "GET", "/comments")[1]["comments"] == []


def test_every_change_is_idempotent(app: App) -> None:
    first = comment(app, 1)
    moderate(app, "POST", f"/comments/{first}/approve")
    items = json.dumps(app.table_items(), sort_keys=True)
    status, done = moderate(app, "POST", f"/comments/{first}/approve")
    assert status == 200 and done["changed"] is False
    assert json.dumps(app.table_items(), sort_keys=True) == items
    assert app.document(COMMENTS)["count"] == 1  # type: ignore[index]
    edit = {"content": "Komentar nomor 1, dirapikan."}
    assert moderate(app, "PUT", f"/comments/{first}", edit)[1]["changed"] is True
    assert moderate(app, "PUT", f"/comments/{first}", edit)[1]["changed"] is False

    # A replayed stream record renders the same documents again.
    documents = {key: app.document(key) for key in app.site_keys()}
    (raw,) = [item for item in app.table_items() if item["sk"]["S"] == "COMMENT"]
    record = {"eventID": "replay", "eventName": "MODIFY", "eventSource": "aws:dynamodb",
              "eventSourceARN": app.stack.attributes["ContentTable"]["StreamArn"],
              "dynamodb": {"Keys": {"pk": raw["pk"], "sk": raw["sk"]}, "NewImage": raw, "OldImage": raw,
                           "SequenceNumber": "1", "StreamViewType": "NEW_AND_OLD_IMAGES"}}  # fmt: skip
    assert app.invoke("RenderFunction", queued("render", [record, record])) == {"batchItemFailures": []}
    assert {key: app.document(key) for key in app.site_keys()} == documents
    assert "dirapikan" in app.document(COMMENTS)["comments"][0]["content_html"]  # type: ignore[index]


def test_spam_and_trash_take_a_comment_down_and_the_author_waits_again(app: App) -> None:
    first = comment(app, 1)
    moderate(app, "POST", f"/comments/{first}/approve")
    again = comment(app, 1, content="Komentar kedua saya.")
    assert {c["id"]: c["status"] for c in stored(app)}[again] == "approved"  # a returning commenter
    assert app.document(COMMENTS)["count"] == 2  # type: ignore[index]

    status, done = moderate(app, "POST", f"/comments/{again}/spam")
    assert status == 200 and done["comment"]["status"] == "spam"
    assert moderate(app, "POST", f"/comments/{first}/trash")[0] == 200
    page = app.document(COMMENTS)
    assert page is not None and page["count"] == 0 and page["comments"] == []
    assert app.document(ARTICLE)["comments"]["count"] == 0  # type: ignore[index]
    # Kept, not lost: in the spam and trash queues.
    assert [c["id"] for c in moderate(app, "GET", "/comments?status=spam")[1]["comments"]] == [again]
    assert [c["id"] for c in moderate(app, "GET", "/comments?status=trash")[1]["comments"]] == [first]
    # With no approved comment left, the author's next comment waits.
    third = comment(app, 1, content="Komentar ketiga saya.")
    assert {c["id"]: c["status"] for c in stored(app)}[third] == "pending"
    # Back from the trash: its old place on its page.
    moderate(app, "POST", f"/comments/{first}/approve")
    assert [c["id"] for c in app.document(COMMENTS)["comments"]] == [first]  # type: ignore[index]


def test_replies_are_threaded_on_their_page(app: App) -> None:
    first = comment(app, 1)
    moderate(app, "POST", f"/comments/{first}/approve")
    reply = comment(app, 2, parent=first, content="Setuju.")
    other = comment(app, 3)
    for comment_id in (other, reply):
        moderate(app, "POST", f"/comments/{comment_id}/approve")
    page = app.document(COMMENTS)
    assert page is not None and [c["id"] for c in page["comments"]] == [first, other]
    (nested,) = page["comments"][0]["replies"]
    assert (nested["id"], nested["parent"], nested["depth"], nested["reply_to"]) == (reply, first, 1, None)


def test_the_queue_is_oldest_first_with_a_cursor(app: App) -> None:
    ids = [comment(app, n) for n in range(1, 4)]
    status, first_page = moderate(app, "GET", "/comments?status=pending&limit=2")
    assert status == 200 and [c["id"] for c in first_page["comments"]] == ids[:2]
    _, rest = moderate(app, "GET", f"/comments?status=pending&limit=2&cursor={first_page['next']}")
    assert [c["id"] for c in rest["comments"]] == ids[2:]
    for query, field in [("status=approved", "status"), ("limit=500", "limit"), ("cursor=bm9wZQ", "cursor"),
                         (f"status=spam&cursor={first_page['next']}", "cursor")]:  # fmt: skip
        status, body = moderate(app, "GET", f"/comments?{query}")
        assert status == 400 and body["errors"][0]["field"] == field, query


def test_only_moderators_moderate(app: App) -> None:
    first = comment(app, 1)
    status, body = app.api("POST", f"/comments/{first}/approve")  # an editor
    assert status == 403 and "moderators" in body["message"]
    assert app.api("GET", "/comments", groups="")[0] == 403
    assert moderate(app, "POST", "/comments/tidakada00/approve")[0] == 404
    status, body = moderate(app, "PUT", f"/comments/{first}", {"content": "<b></b>", "colour": "red"})
    assert status == 400 and {e["field"] for e in body["errors"]} == {"content", "colour"}
    assert moderate(app, "PUT", f"/comments/{first}", {})[0] == 400
    assert {c["id"]: c["status"] for c in stored(app)}[first] == "pending"


def test_a_new_comment_rewrites_only_the_newest_page(app: App) -> None:
    from kabar.documents import COMMENTS_PAGE_SIZE as PAGE_SIZE

    first = comment(app, 0)
    moderate(app, "POST", f"/comments/{first}/approve")  # Pembaca 0 now publishes at once
    for n in range(1, PAGE_SIZE):
        post(app, {"name": "Pembaca 0", "email": "pembaca0@example.id", "content": f"Isi ke-{n}."})
    app.router.drain()
    page_one = f"v1/articles/{SLUG}/comments/1.json"
    assert len(app.document(page_one)["comments"]) == PAGE_SIZE  # type: ignore[index]
    app.s3.delete_object(Bucket=app.site_bucket, Key=page_one)
    comment(app, 0, content="Yang ke-51.")
    newest = app.document(COMMENTS)
    assert newest is not None and (newest["page"], newest["pages"], newest["count"]) == (2, 2, PAGE_SIZE + 1)
    assert newest["older"] == page_one and len(newest["comments"]) == 1
    assert app.document(f"v1/articles/{SLUG}/comments/2.json") is not None
    assert app.document(page_one) is None  # not rewritten


def test_unpublishing_takes_the_comments_off_the_site_and_publishing_again_brings_them_back(app: App) -> None:
    first = comment(app, 1)
    moderate(app, "POST", f"/comments/{first}/approve")
    assert app.document(COMMENTS) is not None
    draft = article_file(title="Banjir Rendam Kampung Melayu", slug=SLUG, status="draft", body="Air naik.\n")
    app.upload("a.md", draft)
    assert app.document(ARTICLE) is None and app.document(COMMENTS) is None
    assert app.document(f"v1/articles/{SLUG}/comments/1.json") is None
    assert {c["id"]: c["status"] for c in stored(app)}[first] == "approved"  # kept
    assert post(app, {"name": "X", "email": "x@example.id", "content": "Halo."})[0] == 404
    app.upload("a.md", article_file(title="Banjir Rendam Kampung Melayu", slug=SLUG, body="Air naik lagi.\n"))
    page = app.document(COMMENTS)
    assert page is not None and [c["id"] for c in page["comments"]] == [first]
    assert app.document(ARTICLE)["comments"]["count"] == 1  # type: ignore[index]


def test_a_limit_of_digits_int_cannot_read_is_the_limit_error(app: App) -> None:
    """A limit of "²" (a digit to str.isdigit, not to int()) was answered "the body is not valid JSON"."""
    status, body = moderate(app, "GET", "/comments?limit=%C2%B2")
    assert status == 400 and body["errors"] == [{"field": "limit", "message": "must be 1 to 100"}]
