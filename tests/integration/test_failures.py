"""What happens when things go wrong: partial batches, retries, destinations, invalidation."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from kabar.invalidation import MAX_PATHS
from kabar.site import SiteBucket
from kabar_infra.cli.failures import peek
from kabar_infra.provision import Stack
from kabar_infra.template import Template
from tests.support.app import App, article_file
from tests.support.events import queued, sample
from tests.support.failures import break_rendering, distribution, invalidated, queue_size, retry_at_once


def sqs_event(*bodies: str) -> dict[str, Any]:
    template = sample("sqs")["Records"][0]
    return {
        "Records": [{**template, "messageId": f"m{index}", "body": body} for index, body in enumerate(bodies)]
    }


def test_publish_reports_only_the_failing_record(app: App) -> None:
    _, ticket = app.api("POST", "/uploads", {"filename": "a.md"})
    key = ticket["upload"]["fields"]["key"]
    app.s3.put_object(Bucket=app.incoming_bucket, Key=key, Body=article_file(title="Baik"))
    s3 = {"bucket": {"name": app.incoming_bucket}, "object": {"key": key, "size": 50}}
    good = {"Records": [{"eventName": "ObjectCreated:Post", "s3": s3}]}
    response = app.invoke("PublishFunction", sqs_event("not json", json.dumps(good)))
    assert response == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert app.status(ticket["upload_id"])["state"] == "published"


def test_render_failures_end_in_the_dead_letter_queue_after_six_tries(app: App) -> None:
    app.upload("a.md", article_file(title="Akan Gagal Dirender"))
    retry_at_once(app, "RenderQueue")
    break_rendering(app)  # every render attempt fails
    app.upload(
        "b.md",
        article_file(title="Akan Gagal Dirender", slug="akan-gagal-dirender", body="Baru.\n"),
    )
    render = [d for d in app.router.deliveries if d.function == "RenderFunction" and d.failures]
    assert render and all(d.failures == d.records for d in render)  # every change failed every try
    queue = app.template.resources["RenderQueue"]["Properties"]
    tries = queue["RedrivePolicy"]["maxReceiveCount"]
    messages = peek(app.session.client("sqs"), app.stack.ref("RenderDeadLetterQueue"))
    changes = [json.loads(message["Body"]) for message in messages]
    # The article's version, its tags and its related list: each change of the article's items.
    assert {c["change"] for c in changes} == {"article", "tags", "related"}
    assert {c["slug"] for c in changes} == {"akan-gagal-dirender"}
    assert sum(d.failures for d in render) == tries * len(messages)
    # Only the stage that failed: tagging and the stream's dispatch went on.
    assert not [d for d in app.router.deliveries if d.function != "RenderFunction" and d.failures]
    assert queue_size(app, "DispatchFailureQueue") == queue_size(app, "TaggingDeadLetterQueue") == 0


def test_a_publish_invalidates_only_its_article_not_the_lists(stack: Stack, template: Template) -> None:
    session = boto3.Session(region_name=stack.region)
    distribution_id = distribution(session)
    app = App(template, stack, {"CDN_URL": "https://cdn.example", "DISTRIBUTION_ID": distribution_id})
    app.upload("a.md", article_file(title="Harga Cabai Naik", slug="harga-cabai-naik", tags=["Cabai"]))
    assert app.document("v1/latest.json") is not None and app.document("v1/tags/cabai.json") is not None
    every = [path for paths in invalidated(session, distribution_id) for path in paths]
    assert "/v1/articles/harga-cabai-naik.json" in every
    assert not [path for path in every if not path.startswith("/v1/articles/")], every
    deliveries = [d for d in app.router.deliveries if d.function == "InvalidateFunction"]
    assert deliveries and all(d.failures == 0 for d in deliveries)


def test_a_refused_invalidation_fails_its_messages_but_never_the_render(
    stack: Stack, template: Template
) -> None:
    app = App(template, stack, {"CDN_URL": "https://cdn.example", "DISTRIBUTION_ID": "ENOSUCHDISTRIBUTION"})
    app.upload("a.md", article_file(title="Harga Cabai Naik", slug="harga-cabai-naik"))
    assert app.document("v1/articles/harga-cabai-naik.json") is not None
    render = [d for d in app.router.deliveries if d.function == "RenderFunction"]
    invalidate = [d for d in app.router.deliveries if d.function == "InvalidateFunction"]
    assert render and all(d.failures == 0 for d in render)
    assert invalidate and all(d.failures == d.records >= 1 for d in invalidate)
    # Left in the queue, to be delivered again (and after ten attempts, set aside).
    queue = app.stack.ref("InvalidationQueue")
    attributes = app.session.client("sqs").get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]  # fmt: skip
    assert int(attributes["ApproximateNumberOfMessagesNotVisible"]) >= 1


def test_one_invalidation_per_batch_each_path_once_and_the_same_reference_on_a_retry(
    stack: Stack, template: Template
) -> None:
    session = boto3.Session(region_name=stack.region)
    distribution_id = distribution(session)
    app = App(template, stack, {"DISTRIBUTION_ID": distribution_id})
    batch = sqs_event(
        json.dumps({"paths": ["/v1/articles/a.json", "/v1/articles/b.json"]}),
        "not json",
        json.dumps({"paths": ["/v1/articles/b.json", "/v1/articles/c.json"]}),
        json.dumps({"paths": "v1/articles/d.json"}),
    )
    assert app.invoke("InvalidateFunction", batch) == {
        "batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m3"}]
    }
    assert invalidated(session, distribution_id) == [["/v1/articles/a.json", "/v1/articles/b.json",
                                                      "/v1/articles/c.json"]]  # fmt: skip
    app.invoke("InvalidateFunction", batch)  # delivered again: the same CallerReference
    cloudfront = session.client("cloudfront")
    items = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"]["Items"]
    references = {cloudfront.get_invalidation(DistributionId=distribution_id, Id=item["Id"])["Invalidation"]
                  ["InvalidationBatch"]["CallerReference"] for item in items}  # fmt: skip
    assert len(items) == 2 and len(references) == 1


def test_too_many_paths_become_one_wildcard(stack: Stack, template: Template) -> None:
    session = boto3.Session(region_name=stack.region)
    distribution_id = distribution(session)
    app = App(template, stack, {"DISTRIBUTION_ID": distribution_id})
    paths = [f"/v1/articles/artikel-{number}.json" for number in range(MAX_PATHS + 1)]
    bodies = [json.dumps({"paths": paths[start : start + 500]}) for start in range(0, len(paths), 500)]
    assert app.invoke("InvalidateFunction", sqs_event(*bodies)) == {"batchItemFailures": []}
    assert invalidated(session, distribution_id) == [["/v1/*"]]


def test_render_queues_each_long_cached_path_once(stack: Stack) -> None:
    session = boto3.Session(region_name=stack.region)
    queue = stack.ref("InvalidationQueue")
    site = SiteBucket("unused", queue)
    assert site.request_invalidation(["v1/articles/a.json", "v1/articles/b.json", "v1/articles/a.json"]) == 2
    assert SiteBucket("unused", "").request_invalidation(["v1/articles/a.json"]) == 0
    messages = session.client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"]) for m in messages] == [
        {"paths": ["/v1/articles/a.json", "/v1/articles/b.json"]}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"filename": "a.exe"}, "filename"), ({"filename": "a.md", "content_type": "text/html"}, "content_type"),
     ({"nama": "a.md"}, "filename"), ({"filename": "a.md", "extra": 1}, "extra")],
)  # fmt: skip
def test_bad_upload_requests_name_the_field(app: App, body: dict[str, Any], field: str) -> None:
    status, response = app.api("POST", "/uploads", body)
    assert status == 400
    assert field in {error["field"] for error in response["errors"]}


def test_non_editors_are_refused(app: App) -> None:
    status, response = app.api("POST", "/uploads", {"filename": "a.md"}, groups="moderators")
    assert status == 403 and "editors" in response["message"]


def test_presigned_post_policy_restricts_key_type_size_and_time(app: App) -> None:
    import base64

    status, ticket = app.api("POST", "/uploads", {"filename": "Berita Baru.md"})
    assert status == 201
    fields = ticket["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": f"uploads/{ticket['upload_id']}/Berita-Baru.md"} in conditions
    assert {"Content-Type": "text/markdown"} in conditions
    assert ["content-length-range", 1, 1048576] in conditions
    assert {"bucket": app.incoming_bucket} in conditions
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    from datetime import datetime

    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    lifetime = (expires - datetime.fromisoformat(ticket["expires_at"])).total_seconds()
    assert abs(lifetime) < 2


def test_no_request_or_event_path_scans(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.client import BaseClient

    operations: list[str] = []
    original = BaseClient._make_api_call

    def recording(self: Any, operation: str, params: Any) -> Any:
        operations.append(operation)
        return original(self, operation, params)

    invoke = app.router.invoke

    def invoke_recording(function: str, event: dict[str, Any]) -> Any:
        monkeypatch.setattr(BaseClient, "_make_api_call", recording)
        try:
            return invoke(function, event)
        finally:
            monkeypatch.setattr(BaseClient, "_make_api_call", original)

    app.router.invoke = invoke_recording
    app.invoke = invoke_recording  # type: ignore[assignment]
    upload_id = app.upload("a.md", article_file(title="Tanpa Scan", published_at="2026-09-01T08:00:00+07:00"))
    app.upload("b.md", article_file(title="Tanpa Scan", slug="tanpa-scan", status="draft"))
    app.status(upload_id)
    assert {"PutItem", "TransactWriteItems", "Query", "PutObject"} <= set(operations)
    assert "Scan" not in operations


def _related_record(sequence: str, slug: str) -> dict[str, Any]:
    """A stream record of ``slug``'s related list (RenderFunction re-renders the article)."""
    from kabar.table import keys
    from kabar.table.codec import to_item

    key = to_item(keys.related(slug))
    return {"eventID": sequence, "eventName": "MODIFY", "eventSource": "aws:dynamodb",
            "dynamodb": {"Keys": key, "NewImage": key, "SequenceNumber": sequence,
                         "StreamViewType": "NEW_AND_OLD_IMAGES"}}  # fmt: skip


def _current_record(app: App, sequence: str, slug: str) -> dict[str, Any]:
    """A stream record of ``slug``'s current version as the table holds it (its list position)."""
    from kabar.table import keys
    from kabar.table.codec import to_item

    key = to_item(keys.article(slug))
    item = app.dynamodb.get_item(TableName=app.stack.ref("ContentTable"), Key=key)["Item"]
    return {"eventID": sequence, "eventName": "MODIFY", "eventSource": "aws:dynamodb",
            "dynamodb": {"Keys": key, "NewImage": item, "OldImage": item, "SequenceNumber": sequence,
                         "StreamViewType": "NEW_AND_OLD_IMAGES"}}  # fmt: skip


def test_render_reports_exactly_the_records_whose_work_failed(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.upload("a.md", article_file(title="Satu Berita Pertama"))
    app.upload("b.md", article_file(title="Dua Berita Kedua"))
    first, second = "v1/articles/satu-berita-pertama.json", "v1/articles/dua-berita-kedua.json"
    put = SiteBucket.put
    broken: set[str] = {first}

    def flaky_put(self: SiteBucket, path: str, document: Any, cache_control: str) -> None:
        if path in broken:
            raise RuntimeError(f"S3 refused {path}")
        put(self, path, document, cache_control)

    monkeypatch.setattr(SiteBucket, "put", flaky_put)
    records = queued(
        "render", [_related_record("1", "satu-berita-pertama"), _related_record("2", "dua-berita-kedua")]
    )
    app.s3.delete_object(Bucket=app.site_bucket, Key=second)
    # One article's document fails: only its record comes back; the other's is written.
    assert app.invoke("RenderFunction", records) == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert app.document(second) is not None
    # The lists fail after both articles rendered: both articles' own changes asked for them,
    # both come back (the handler answers; it does not fail the whole invocation). A related
    # list's change asks for no list (what lists show of an article holds none of it).
    broken = {"v1/latest.json"}
    own = [_current_record(app, "1", "satu-berita-pertama"), _current_record(app, "2", "dua-berita-kedua")]
    changed = queued("render", [*own, _related_record("3", "dua-berita-kedua")])
    response = app.invoke("RenderFunction", changed)
    assert response == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]}
    broken = set()
    assert app.invoke("RenderFunction", changed) == {"batchItemFailures": []}
    assert app.document(first) is not None


def test_dispatch_and_render_report_a_record_they_cannot_read(app: App) -> None:
    unreadable = {"eventID": "9", "eventName": "MODIFY", "dynamodb": {"SequenceNumber": "9"}}
    response = app.invoke("DispatchFunction", {"Records": [unreadable]})
    assert response == {"batchItemFailures": [{"itemIdentifier": "9"}]}
    good = queued("render", [_related_record("1", "satu-berita-pertama")])["Records"][0]
    not_a_change = {"messageId": "m9", "body": '{"format": 1, "change": "gossip"}'}
    response = app.invoke("RenderFunction", {"Records": [good, not_a_change]})
    assert response == {"batchItemFailures": [{"itemIdentifier": "m9"}]}


@pytest.mark.parametrize(
    "request_",
    [("GET", "/tags", None, "all"), ("PUT", "/tags/x", {"name": "X"}, "put")],
)
def test_a_fault_of_ours_is_a_500_that_tells_nothing_and_is_logged(
    app: App, monkeypatch: pytest.MonkeyPatch, request_: tuple[str, str, Any, str]
) -> None:
    """A ValueError from a workflow is a bug, not a body that is not JSON (which a 400 would say)."""
    import traceback

    from kabar.observability import logger
    from kabar.table.vocabulary import VocabularyStore

    method, path, body, breaks = request_

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("internal detail 42")

    logged: list[tuple[str, str]] = []
    monkeypatch.setattr(VocabularyStore, breaks, broken)
    monkeypatch.setattr(
        logger, "exception", lambda message, **_: logged.append((message, traceback.format_exc()))
    )
    status, response = app.api(method, path, body)
    assert status == 500
    assert response == {"message": "internal error: the request failed on our side"}
    ((message, trace),) = logged
    assert message == "unexpected error"
    assert trace.startswith("Traceback") and "in broken" in trace and "internal detail 42" in trace
