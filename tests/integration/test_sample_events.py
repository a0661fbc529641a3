"""AWS's own sample events (tests/events) through the handlers that consume them.

The other tests build their events the way the local stack does (kabar_infra.local); these start
from the shapes AWS documents. (sqs.json is read by test_failures.py, s3.json by test_events_and_keys.py.)
"""

from __future__ import annotations

import base64
import json
from typing import Any

from kabar.table.codec import to_item
from kabar.table.keys import article as article_key
from kabar_infra.local.router import pattern_matches
from kabar_infra.template import filter_patterns
from tests.support.app import App, article_file
from tests.support.events import sample


def answer(response: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return response["statusCode"], json.loads(response["body"])


def test_the_api_gateway_sample_goes_through_the_uploads_handler(app: App) -> None:
    # POST /uploads as API Gateway's REST proxy sends it: the body base64-encoded, no authorizer.
    event = sample("apigateway")
    status, body = answer(app.invoke("UploadsFunction", event))
    assert status == 403 and "editors" in body["message"]
    claims = {"cognito:username": "editor1", "cognito:groups": "editors"}
    event["requestContext"]["authorizer"] = {"claims": claims}
    status, body = answer(app.invoke("UploadsFunction", event))
    assert status == 415 and "it was sent without one" in body["message"]  # the sample has no Content-Type
    event["headers"]["Content-Type"] = "application/json"
    status, body = answer(app.invoke("UploadsFunction", event))
    # The sample's body, {"test":"body"}, was decoded and read: no filename, and a field too many.
    assert status == 400 and {error["field"] for error in body["errors"]} == {"filename", "test"}
    event["body"] = base64.b64encode(json.dumps({"filename": "Berita Baru.md"}).encode()).decode()
    status, ticket = answer(app.invoke("UploadsFunction", event))
    assert status == 201
    assert ticket["upload"]["fields"]["key"] == f"uploads/{ticket['upload_id']}/Berita-Baru.md"
    assert app.status(ticket["upload_id"])["state"] == "pending"


def test_dispatch_reads_the_stream_records_lambda_sends_and_render_follows(app: App) -> None:
    slugs = ["gempa-di-cianjur", "harga-beras-naik"]
    app.upload("a.md", article_file(title="Gempa di Cianjur"))
    app.upload("b.md", article_file(title="Harga Beras Naik"))
    table = app.stack.ref("ContentTable")
    items = []
    for slug in slugs:
        item = app.dynamodb.get_item(TableName=table, Key=to_item(article_key(slug)))["Item"]
        items.append(item)
        app.s3.delete_object(Bucket=app.site_bucket, Key=f"v1/articles/{slug}.json")
    # The sample's INSERT and MODIFY records, carrying the two articles' items instead of the sample's.
    inserted, modified, removed = sample("dynamodb")["Records"]
    keys = [{name: item[name] for name in ("pk", "sk")} for item in items]
    inserted["dynamodb"].update(Keys=keys[0], NewImage=items[0])
    modified["dynamodb"].update(Keys=keys[1], OldImage=items[1], NewImage=items[1])
    (source,) = app.template.function("DispatchFunction").events
    patterns = filter_patterns(source)
    assert all(any(pattern_matches(p, record) for p in patterns) for record in (inserted, modified))
    assert not any(pattern_matches(p, removed) for p in patterns)  # another table's item, as AWS gives it

    response = app.invoke("DispatchFunction", {"Records": [inserted, modified]})
    assert response == {"batchItemFailures": []}
    rendered = len([d for d in app.router.deliveries if d.function == "RenderFunction"])
    app.router.drain()  # RenderQueue's two changes, to RenderFunction
    assert len([d for d in app.router.deliveries if d.function == "RenderFunction"]) > rendered
    for slug, title in zip(slugs, ["Gempa di Cianjur", "Harga Beras Naik"], strict=True):
        document = app.document(f"v1/articles/{slug}.json")
        assert document is not None and document["title"] == title
