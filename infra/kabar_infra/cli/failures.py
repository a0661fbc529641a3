"""What sits in the stack's failure queues, and what each message concerns.

- ``PublishDeadLetterQueue`` holds S3 notifications PublishFunction failed five times: each
  names an object (``uploads/<id>/<file>``, its version), so the upload it belongs to.
- ``TaggingFailureQueue``, ``RelatedFailureQueue``, ``RenderFailureQueue`` hold Lambda's
  on-failure records for stream batches: only where the records were (stream, shard, first and
  last sequence number, arrival times). While the stream keeps them (24 hours) the records are
  read back and give the items (keys) and the articles or comments they concern; after that
  the message is reported as expired with what it still names.

Messages are read without being consumed (visibility timeout 0).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kabar.table import keys
from kabar.table.codec import from_item

# The item kinds each stream stage acts on (its FilterCriteria in template.yaml).
STAGE_KINDS = {
    "tagging": {"article", "vocabulary", "merge"},
    "related": {"tags", "unlist"},
    "render": {"article", "tags", "related", "comment", "vocabulary"},
}
EXPIRED_CODES = {"TrimmedDataAccessException", "ResourceNotFoundException", "ExpiredIteratorException"}


@dataclass(frozen=True)
class Stage:
    name: str
    queue: str  # the failure queue's logical id
    function: str  # the function that replays it
    source: str | None = None  # the queue a dead-letter queue redrives to


STAGES = {
    "publish": Stage("publish", "PublishDeadLetterQueue", "PublishFunction", source="PublishQueue"),
    "tagging": Stage("tagging", "TaggingFailureQueue", "TaggingFunction"),
    "related": Stage("related", "RelatedFailureQueue", "RelatedFunction"),
    "render": Stage("render", "RenderFailureQueue", "RenderFunction"),
}


@dataclass
class Failure:
    """One message of a failure queue, and what it concerns."""

    stage: str
    message_id: str
    receipt: str
    sent_at: str | None
    concerns: list[str] = field(default_factory=list)  # one line per article, comment or upload
    keys: list[keys.Key] = field(default_factory=list)  # the items a replay hands the stage
    expired: bool = False
    names: str = ""  # what the message itself says (the fallback once records expired)


def peek(sqs: Any, url: str, limit: int = 100) -> list[dict[str, Any]]:
    """Up to ``limit`` messages of a queue, left in it (visibility timeout 0: each receive may
    return the same ones, so this stops when a receive brings nothing new)."""
    seen: dict[str, dict[str, Any]] = {}
    while len(seen) < limit:
        response = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                       AttributeNames=["SentTimestamp"], WaitTimeSeconds=0)  # fmt: skip
        new = [m for m in response.get("Messages", []) if m["MessageId"] not in seen]
        if not new:
            break
        seen.update((message["MessageId"], message) for message in new)
    return list(seen.values())[:limit]


def publish_failure(message: dict[str, Any], uploads: Any) -> Failure:
    """A dead-lettered S3 notification: the upload it is about, and that upload's state now."""
    from kabar.events import s3_objects

    failure = _failure("publish", message)
    try:
        created = s3_objects(message["Body"])
    except (ValueError, KeyError, TypeError):
        failure.names = f"not an S3 notification: {message['Body'][:80]!r}"
        return failure
    for obj in created:
        parts = obj.key.split("/")
        version = f", version {obj.version_id}" if obj.version_id else ""
        upload = uploads.get(parts[1]) if len(parts) == 3 and parts[0] == "uploads" else None
        state = f"{upload.state.value}, by {upload.created_by}" if upload else "no such upload"
        if upload is not None and upload.article is not None:
            state += f": article {upload.article.slug} v{upload.article.version}"
        upload_id = parts[1] if len(parts) == 3 else "?"
        failure.concerns.append(f"upload {upload_id} ({obj.key}{version}): {state}")
    failure.names = "; ".join(f"s3://{obj.bucket}/{obj.key}" for obj in created) or "no object"
    return failure


def stream_failure(stage: str, message: dict[str, Any], streams: Any) -> Failure:
    """A stream batch that failed every retry: its records read back while the stream has them."""
    from botocore.exceptions import ClientError

    failure = _failure(stage, message)
    try:
        info = json.loads(message["Body"])["DDBStreamBatchInfo"]
    except (ValueError, KeyError, TypeError):
        failure.names = f"not a Lambda on-failure record: {message['Body'][:80]!r}"
        return failure
    failure.names = (
        f"shard {info['shardId']}, sequence {info['startSequenceNumber']}..{info['endSequenceNumber']}"
        f" ({info.get('batchSize', '?')} records, arrived {info.get('approximateArrivalOfFirstRecord')}"
        f"..{info.get('approximateArrivalOfLastRecord')})"
    )
    try:
        records = _batch_records(streams, info)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in EXPIRED_CODES:
            raise
        failure.expired = True
        return failure
    for record in records:
        _add_record(failure, stage, record)
    return failure


def _batch_records(streams: Any, info: dict[str, Any]) -> list[dict[str, Any]]:
    """The stream records from the batch's first sequence number to its last."""
    iterator = streams.get_shard_iterator(
        StreamArn=info["streamArn"], ShardId=info["shardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber=str(info["startSequenceNumber"]),
    )["ShardIterator"]  # fmt: skip
    end, found = int(info["endSequenceNumber"]), list[dict[str, Any]]()
    for _ in range(100):  # pages; a batch holds at most a few hundred records
        if iterator is None:
            break
        response = streams.get_records(ShardIterator=iterator, Limit=1000)
        for record in response.get("Records", []):
            if int(record["dynamodb"]["SequenceNumber"]) > end:
                return found
            found.append(record)
        if not response.get("Records"):
            break
        iterator = response.get("NextShardIterator")
    return found


def _add_record(failure: Failure, stage: str, record: dict[str, Any]) -> None:
    """The item a record is about, if the stage acts on it, and what an operator reads for it."""
    stream = record["dynamodb"]
    pk, sk = stream["Keys"]["pk"]["S"], stream["Keys"]["sk"]["S"]
    key = keys.parse(pk, sk)
    if key.kind not in STAGE_KINDS[stage] or {"pk": pk, "sk": sk} in failure.keys:
        return
    failure.keys.append({"pk": pk, "sk": sk})
    image = from_item(stream.get("NewImage") or stream.get("OldImage") or {})
    correlation = f" [correlation {image['correlation_id']}]" if image.get("correlation_id") else ""
    if key.kind == "comment":
        slug = image.get("slug")
        failure.concerns.append(f"comment {key.name} on article {slug} ({image.get('status')}){correlation}")
        if slug:  # its article's count, too
            failure.keys.append(keys.article(str(slug)))
    elif key.kind in ("vocabulary", "merge"):
        failure.concerns.append(f"tag {key.name} ({key.kind}){correlation}")
    else:
        failure.concerns.append(f"article {key.name} ({sk}, {record.get('eventName')}){correlation}")


def _failure(stage: str, message: dict[str, Any]) -> Failure:
    sent = (message.get("Attributes") or {}).get("SentTimestamp")
    if sent:
        from datetime import UTC, datetime

        sent = datetime.fromtimestamp(int(sent) / 1000, UTC).isoformat(timespec="seconds")
    return Failure(stage, message["MessageId"], message["ReceiptHandle"], sent)


def describe(failure: Failure) -> list[str]:
    """A failure as lines for an operator."""
    lines = [f"  message {failure.message_id} (sent {failure.sent_at or '?'}): {failure.names}"]
    if failure.expired:
        lines.append("    the stream no longer holds these records (it keeps 24 hours), so the items are")
        lines.append("    not known here; the function's ERROR log lines name each failed record (pk, sk,")
        lines.append(f"    correlation_id); replay them: kabar ops replay {failure.stage} --slug SLUG ...")
    lines += [f"    - {line}" for line in failure.concerns]
    if not failure.concerns and not failure.expired:
        lines.append("    - nothing this stage acts on")
    return lines
