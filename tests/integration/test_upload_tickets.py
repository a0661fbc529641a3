"""Upload tickets on moto, through the stack's handlers: a ticket used again after its upload was
published publishes nothing and the status says so (the file is kept); a ticket never used
expires, and its status says ``expired``."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest

from tests.support.app import App, article_file


def post_again(app: App, upload_id: str, filename: str, data: bytes) -> None:
    """The same presigned POST used a second time (S3 accepts it until the ticket expires)."""
    app.s3.put_object(Bucket=app.incoming_bucket, Key=f"uploads/{upload_id}/{filename}", Body=data,
                      ContentType="text/markdown")  # fmt: skip
    app.router.drain()


def s3_event(app: App, key: str, size: int) -> None:
    s3 = {"bucket": {"name": app.incoming_bucket}, "object": {"key": key, "size": size}}
    message = {"Records": [{"eventName": "ObjectCreated:Post", "s3": s3}]}
    app.session.client("sqs").send_message(
        QueueUrl=app.stack.ref("PublishQueue"), MessageBody=json.dumps(message)
    )
    app.router.drain()


def test_a_ticket_used_again_after_publishing_is_reported_and_the_file_kept(app: App) -> None:
    first = article_file(title="Gempa Guncang Garut", body="Versi pertama.\n")
    upload_id = app.upload("gempa.md", first)
    published = app.status(upload_id)
    assert published["state"] == "published" and published["ignored_files"] == []
    assert published["sha256"] == hashlib.sha256(first).hexdigest()

    second = article_file(title="Gempa Guncang Garut", slug="gempa-guncang-garut", body="Versi kedua.\n")
    post_again(app, upload_id, "gempa.md", second)
    status = app.status(upload_id)
    assert status["state"] == "published" and status["article"] == published["article"]
    (ignored,) = status["ignored_files"]
    key = f"uploads/{upload_id}/gempa.md"
    digest = hashlib.sha256(second).hexdigest()
    assert (ignored["key"], ignored["size"], ignored["sha256"]) == (key, len(second), digest)
    assert "not published" in ignored["message"] and "kept in the incoming bucket" in ignored["message"]
    document = app.document("v1/articles/gempa-guncang-garut.json")
    assert document is not None and document["version"] == 1 and "pertama" in document["body_html"]
    versions = app.s3.list_object_versions(Bucket=app.incoming_bucket, Prefix=key)["Versions"]
    assert len(versions) == 2  # both files kept

    # The second file's event delivered again: noted once only.
    before = app.table_items()
    s3_event(app, key, len(second))
    assert app.table_items() == before


def test_a_ticket_never_used_is_expired_when_its_status_is_read(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kabar.workflows import uploads

    status, ticket = app.api("POST", "/uploads", {"filename": "telat.md"})
    assert status == 201
    assert app.status(ticket["upload_id"])["state"] == "pending"  # the ticket is still good
    assert app.status(ticket["upload_id"])["expires_at"] == ticket["expires_at"]
    # As if the ticket's 300 seconds and the grace had passed.
    monkeypatch.setattr(uploads, "EXPIRY_GRACE", timedelta(seconds=-301))
    assert app.status(ticket["upload_id"])["state"] == "expired"
    items = [item for item in app.table_items() if item["pk"]["S"].endswith(ticket["upload_id"])]
    assert items[0]["state"]["S"] == "expired"  # the table says so, not only the answer

    # A file posted before the expiry whose event comes late is published all the same.
    fields = ticket["upload"]["fields"]
    app.s3.put_object(Bucket=app.incoming_bucket, Key=fields["key"], Body=article_file(title="Telat Tiba"),
                      ContentType=fields["Content-Type"])  # fmt: skip
    app.router.drain()
    assert app.status(ticket["upload_id"])["state"] == "published"
