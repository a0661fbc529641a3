"""`kabar ops` on the local stack, as `make run` starts it: a publish that failed five times and
a render that failed six times, listed, then replayed (the publish DLQ moved back to its queue;
RenderFunction invoked over the stack's Lambda Invoke endpoint with a replay event, then its
dead-letter queue moved back to RenderQueue)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from kabar.table import keys
from kabar.table.codec import to_item
from kabar_infra.cli.client import Credentials, KabarClient
from kabar_infra.local.router import wait_for
from tests.support.app import article_file
from tests.support.local_stack import aws, kabar, start_stack, stop_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    config = start_stack(tmp_path_factory.mktemp("kabar-ops"), "--no-samples")
    yield config
    stop_stack(config)


def editor(config: dict[str, Any]) -> KabarClient:
    user = config["editor"]
    token = Credentials(user["client_id"], user["username"], user["password"], config["region"],
                        config["aws_endpoint_url"]).id_token()  # fmt: skip
    return KabarClient(config["api_url"], token)


def depth(config: dict[str, Any], queue: str) -> int:
    attributes = aws(config, "sqs").get_queue_attributes(
        QueueUrl=config["resources"][queue], AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def settled(config: dict[str, Any], queue: str, seconds: float = 2.0) -> int:
    """The queue's depth once it has stopped changing (retries are still landing before)."""
    last, since = depth(config, queue), time.monotonic()
    while time.monotonic() - since < seconds:
        time.sleep(0.3)
        now = depth(config, queue)
        if now != last:
            last, since = now, time.monotonic()
    return last


def test_the_lambda_endpoint_answers_as_lambda_does(stack: dict[str, Any]) -> None:
    import boto3

    client = boto3.client("lambda", endpoint_url=stack["lambda_url"], region_name=stack["region"],
                          aws_access_key_id="local", aws_secret_access_key="local")  # fmt: skip
    answer = client.invoke(FunctionName="RenderFunction", Payload=b'{"kabar_replay": []}')
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    assert json.loads(answer["Payload"].read()) == {"batchItemFailures": []}
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.invoke(FunctionName="NoSuchFunction", Payload=b"{}")


def test_a_failed_publish_is_listed_and_redriven(stack: dict[str, Any]) -> None:
    sqs, dynamodb = aws(stack, "sqs"), aws(stack, "dynamodb")
    # Retried at once rather than after the queue's 180 s: five failures reach the DLQ quickly.
    sqs.set_queue_attributes(
        QueueUrl=stack["resources"]["PublishQueue"], Attributes={"VisibilityTimeout": "0"}
    )
    client = editor(stack)
    ticket = client.request_upload("gagal.md")
    table, key = stack["resources"]["ContentTable"], to_item(keys.upload(ticket["upload_id"]))
    item = dynamodb.get_item(TableName=table, Key=key)["Item"]
    dynamodb.put_item(TableName=table, Item={**item, "state": {"S": "lost"}})  # unreadable meanwhile
    post = ticket["upload"]
    file = ("gagal.md", article_file(title="Terbit Setelah Diulang"), ticket["content_type"])
    assert requests.post(post["url"], data=post["fields"], files={"file": file}, timeout=10).status_code < 300
    wait_for(lambda: depth(stack, "PublishDeadLetterQueue") == 1, timeout=30)
    dynamodb.put_item(TableName=table, Item=item)  # the fault is repaired

    listed = kabar(stack, "ops", "failures", "--stage", "publish")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("publish (PublishDeadLetterQueue): 1 messages\n")
    assert (
        f"- upload {ticket['upload_id']} (uploads/{ticket['upload_id']}/gagal.md, version " in listed.stdout
    )
    log = stack["_log"].read_text()
    assert '"level":"ERROR"' in log and f'"correlation_id":"{ticket["upload_id"]}"' in log

    replayed = kabar(stack, "ops", "replay", "publish")
    assert replayed.returncode == 0 and replayed.stdout.startswith("moved 1 messages to PublishQueue")
    status = client.wait(ticket["upload_id"], timeout=30)
    assert status["state"] == "published" and status["live"] is True
    assert depth(stack, "PublishDeadLetterQueue") == 0


def _bucket_deleted(s3: Any, bucket: str) -> bool:
    """Empty the versioned bucket (versions and delete markers) and delete it; False when a render
    still in flight from an earlier test wrote into it meanwhile (then try again)."""
    listing = s3.list_object_versions(Bucket=bucket)
    for obj in listing.get("Versions", []) + listing.get("DeleteMarkers", []):
        s3.delete_object(Bucket=bucket, Key=obj["Key"], VersionId=obj["VersionId"])
    try:
        s3.delete_bucket(Bucket=bucket)
    except s3.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] != "BucketNotEmpty":
            raise
        return False
    return True


def test_a_failed_render_is_listed_and_replayed_over_http(stack: dict[str, Any]) -> None:
    s3, bucket = aws(stack, "s3"), stack["resources"]["SiteBucket"]
    # Retried at once rather than after the queue's six minutes: six failures reach the DLQ quickly.
    aws(stack, "sqs").set_queue_attributes(
        QueueUrl=stack["resources"]["RenderQueue"], Attributes={"VisibilityTimeout": "0"}
    )
    wait_for(lambda: _bucket_deleted(s3, bucket), timeout=30)  # every render fails every try now
    result = kabar(stack, "upload", "--no-wait", "examples/try/gempa-garut.md")
    assert result.returncode == 0, result.stderr
    wait_for(lambda: depth(stack, "RenderDeadLetterQueue") >= 1, timeout=60)
    settled(stack, "RenderDeadLetterQueue", seconds=4.0)
    slug = "gempa-magnitudo-5-1-guncang-garut-warga-sempat-panik"
    listed = kabar(stack, "ops", "failures", "--stage", "render")
    assert listed.returncode == 0 and listed.stdout.startswith("render (RenderDeadLetterQueue): ")
    assert f"- article {slug} (article changed) [correlation " in listed.stdout

    s3.create_bucket(Bucket=bucket)
    # The article alone, over the Lambda endpoint; the dead-letter queue stays as it is.
    replayed = kabar(stack, "ops", "replay", "render", "--slug", slug)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert replayed.stdout.startswith("render: replayed 2 items with RenderFunction")
    document = requests.get(f"{stack['cdn_url']}/v1/articles/{slug}.json", timeout=10)
    assert document.status_code == 200 and document.json()["slug"] == slug
    # Then every change set aside goes back to RenderQueue, and renders again (idempotent).
    left = depth(stack, "RenderDeadLetterQueue")
    redriven = kabar(stack, "ops", "replay", "render")
    assert redriven.stdout.startswith(f"moved {left} messages to RenderQueue"), redriven.stdout
    wait_for(
        lambda: depth(stack, "RenderQueue") == 0 and depth(stack, "RenderDeadLetterQueue") == 0, timeout=30
    )

    def listed_in_latest() -> bool:
        latest = requests.get(f"{stack['cdn_url']}/v1/latest.json", timeout=10).json()
        return slug in [article["slug"] for article in latest["articles"]]

    wait_for(listed_in_latest, timeout=30)
    assert (
        kabar(stack, "ops", "failures", "--stage", "render").stdout
        == "render (RenderDeadLetterQueue): no messages\n"
    )
