"""What sits in the stack's failure queues, and what each message concerns.

- ``PublishDeadLetterQueue`` holds S3 notifications PublishFunction failed five times: each
  names an object (``uploads/<id>/<file>``, its version), so the upload it belongs to.
- ``ReleaseDeadLetterQueue`` holds scheduled articles' releases EventBridge Scheduler could not
  deliver to PublishQueue within its retries (with its ERROR_CODE and ERROR_MESSAGE): each names
  the article and the version it was to release (a release PublishFunction itself failed five
  times is in PublishDeadLetterQueue, and named the same way).
- ``WebhookDeadLetterQueue`` holds webhook delivery attempts AnnounceFunction could not make five
  times (not a receiver's failures, which are the subscription's log): each names its delivery.
- ``InvalidationDeadLetterQueue`` holds CloudFront invalidation requests (paths RenderFunction
  queued) that failed ten times: each names its paths.
- ``TaggingDeadLetterQueue``, ``RelatedDeadLetterQueue``, ``RenderDeadLetterQueue`` hold the
  changes (kabar.dispatch messages) a stage failed six times: each names its article, tag or
  comment, and the stream record it came from.
- ``DispatchFailureQueue`` holds Lambda's on-failure records for the stream batches
  DispatchFunction failed: only where the records were (stream, shard, first and last sequence
  number, arrival times). While the stream keeps them (24 hours) the records are read back and
  give the items (keys) and the articles or comments they concern; after that, the function's
  own ERROR lines (one per failed record, in its log group) give them, and without those the
  message is reported as expired with what it still names.

Messages are read without being consumed (visibility timeout 0).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kabar.table import keys
from kabar.table.codec import from_item

# The item kinds DispatchFunction hands on (its FilterCriteria; kabar.dispatch.routes), the
# only stream batches a failure queue holds.
DISPATCHED_KINDS = {
    "article",
    "tags",
    "related",
    "unlist",
    "vocabulary",
    "merge",
    "comment",
    "author_profile",
}
QUEUED_STAGES = ("tagging", "related", "render", "announce")  # fed by DispatchFunction through their queues
EXPIRED_CODES = {"TrimmedDataAccessException", "ResourceNotFoundException", "ExpiredIteratorException"}


@dataclass(frozen=True)
class Stage:
    name: str
    queue: str  # the failure queue's logical id
    function: str  # the function that replays it
    log_group: str  # the function's log group's logical id
    source: str | None = None  # the queue a dead-letter queue redrives to


def _queued_stage(name: str) -> Stage:
    title = name.capitalize()
    return Stage(name, f"{title}DeadLetterQueue", f"{title}Function", f"{title}LogGroup", f"{title}Queue")


_PUBLISH = ("PublishFunction", "PublishLogGroup", "PublishQueue")
STAGES = {
    "publish": Stage("publish", "PublishDeadLetterQueue", *_PUBLISH),
    "images": Stage("images", "ImagesDeadLetterQueue", "ImagesFunction", "ImagesLogGroup", "ImagesQueue"),
    "releases": Stage("releases", "ReleaseDeadLetterQueue", *_PUBLISH),  # Scheduler's (kabar.releases)
    "dispatch": Stage("dispatch", "DispatchFailureQueue", "DispatchFunction", "DispatchLogGroup"),
    **{name: _queued_stage(name) for name in QUEUED_STAGES},
    "webhooks": Stage("webhooks", "WebhookDeadLetterQueue", "AnnounceFunction", "AnnounceLogGroup",
                      "WebhookQueue"),
    "invalidation": Stage("invalidation", "InvalidationDeadLetterQueue", "InvalidateFunction",
                          "InvalidateLogGroup", "InvalidationQueue"),
}  # fmt: skip
SHOWN_PATHS = 5  # an invalidation failure lists this many of its paths


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
                                       AttributeNames=["SentTimestamp"], MessageAttributeNames=["All"],
                                       WaitTimeSeconds=0)  # fmt: skip
        new = [m for m in response.get("Messages", []) if m["MessageId"] not in seen]
        if not new:
            break
        seen.update((message["MessageId"], message) for message in new)
    return list(seen.values())[:limit]


def publish_failure(message: dict[str, Any], uploads: Any, stage: str = "publish") -> Failure:
    """A dead-lettered S3 notification (an article's, or an image's for ``images``): the upload it
    is about, and that upload's state now."""
    from kabar.events import s3_objects

    failure = _failure(stage, message)
    if stage == "images" and message["Body"].startswith('{"kabar"'):
        return _rebuild_failure(failure, message["Body"])
    if stage == "publish" and '"release"' in message["Body"]:
        return release_failure(message, None, stage)
    try:
        created = s3_objects(message["Body"])
    except (ValueError, KeyError, TypeError):
        failure.names = f"not an S3 notification: {message['Body'][:80]!r}"
        return failure
    for obj in created:
        parts = obj.key.split("/")
        version = f", version {obj.version_id}" if obj.version_id else ""
        upload = uploads.get(parts[1]) if len(parts) == 3 and parts[0] in ("uploads", "images") else None
        state = f"{upload.state.value}, by {upload.created_by}" if upload else "no such upload"
        if upload is not None and upload.article is not None:
            state += f": article {upload.article.slug} v{upload.article.version}"
        upload_id = parts[1] if len(parts) == 3 else "?"
        failure.concerns.append(f"upload {upload_id} ({obj.key}{version}): {state}")
    failure.names = "; ".join(f"s3://{obj.bucket}/{obj.key}" for obj in created) or "no object"
    return failure


def release_failure(message: dict[str, Any], articles: Any, stage: str = "releases") -> Failure:
    """A scheduled article's release that was not delivered (or not processed): the article, the
    version it was to release, and whether it still waits for it (``articles``: to read it now)."""
    from kabar.releases import parse_release

    failure = _failure(stage, message)
    try:
        due = parse_release(message["Body"])
    except ValueError:
        due = None
    if due is None:
        failure.names = f"not a release: {message['Body'][:80]!r}"
        return failure
    failure.names = f"release of {due.slug} version {due.version}, due {due.at.isoformat()}"
    attributes = message.get("MessageAttributes") or {}
    error = " ".join(
        str((attributes.get(name) or {}).get("StringValue", "")) for name in ("ERROR_CODE", "ERROR_MESSAGE")
    )
    if error.strip():
        failure.concerns.append(f"Scheduler: {error.strip()}")
    current = articles.get(due.slug) if articles is not None else None
    if current is not None:
        waits = current.status == "scheduled" and current.version == due.version
        failure.concerns.append(
            f"article {due.slug}: version {current.version}, {current.status}"
            + (": still waits for this release (replay it)" if waits else ": a replay changes nothing")
        )  # fmt: skip
    return failure


def webhook_failure(message: dict[str, Any]) -> Failure:
    """A delivery attempt AnnounceFunction could not make five times: which delivery, which try."""
    from kabar.workflows.webhooks import parse_delivery

    failure = _failure("webhooks", message)
    try:
        due = parse_delivery(message["Body"])
    except (KeyError, TypeError, ValueError):
        due = None
    if due is None:
        failure.names = f"not a webhook delivery: {message['Body'][:80]!r}"
        return failure
    failure.names = f"delivery {due.id} to {due.subscription}, attempt {due.attempt}"
    failure.concerns.append(
        f"webhook subscription {due.subscription} (kabar webhooks log {due.subscription})"
    )
    return failure


def _rebuild_failure(failure: Failure, body: str) -> Failure:
    """A step of ``kabar images rebuild`` that failed five times (its images' originals gone, say)."""
    from kabar.workflows.image_rebuild import REBUILD, BadRebuildMessage, read_request

    try:
        step = read_request(json.loads(body))
    except (ValueError, BadRebuildMessage) as exc:
        failure.names = f"not a rebuild step ({exc}): {body[:80]!r}"
        return failure
    if step.kind == REBUILD:
        failure.names = f"images rebuild: {len(step.images)} images"
        failure.concerns = [f"image {image}" for image in step.images]
    else:
        after = step.after or "the first"
        failure.names = f"images rebuild: the articles using image {step.image} after {after}"
    return failure


def invalidation_failure(message: dict[str, Any]) -> Failure:
    """Paths CloudFront refused ten times (or a message that is no invalidation request)."""
    from kabar.invalidation import BadMessage, message_paths

    failure = _failure("invalidation", message)
    try:
        paths = message_paths(message["Body"])
    except BadMessage as exc:
        failure.names = f"not an invalidation request ({exc}): {message['Body'][:80]!r}"
        return failure
    failure.concerns = [f"path {path}" for path in paths[:SHOWN_PATHS]]
    if len(paths) > SHOWN_PATHS:
        failure.concerns.append(f"and {len(paths) - SHOWN_PATHS} more paths")
    failure.names = f"{len(paths)} paths"
    return failure


def change_failure(stage: str, message: dict[str, Any]) -> Failure:
    """A change a stage failed six times: what it concerns, and the stream record it came from."""
    from kabar.dispatch import BadMessage, decode
    from kabar.events import (
        ArticleChanged,
        AuthorChanged,
        CommentChanged,
        TagMerged,
        TagsChanged,
        UnlistContinued,
    )

    failure = _failure(stage, message)
    try:
        change, correlation_id, about = decode(message["Body"])
    except BadMessage as exc:
        failure.names = f"{exc}: {message['Body'][:80]!r}"
        return failure
    record = f"{about.get('event_name', '?')} of {about.get('pk', '?')} / {about.get('sk', '?')}"
    failure.names = f"a change from the stream ({record}, sequence {about.get('sequence_number', '?')})"
    correlation = f" [correlation {correlation_id}]" if correlation_id else ""
    if isinstance(change, TagMerged):
        what = f"tag {change.tag} ({'merge progress' if change.progress else 'merged'})"
    elif isinstance(change, CommentChanged):
        what = f"comments of article {change.slug} (pages {', '.join(map(str, sorted(change.pages)))})"
    elif isinstance(change, AuthorChanged):
        what = f"author {change.author} (profile changed)"
    else:
        kind = {ArticleChanged: "article changed", TagsChanged: "tags changed",
                UnlistContinued: "unlisting"}.get(type(change), "related list changed")  # fmt: skip
        what = f"article {getattr(change, 'slug', '?')} ({kind})"
    failure.concerns.append(what + correlation)
    return failure


def stream_failure(
    stage: str, message: dict[str, Any], streams: Any, logs: Any = None, log_group: str | None = None
) -> Failure:
    """A stream batch that failed every retry: its records read back while the stream has them,
    else (with ``logs``) what the function's ERROR lines in ``log_group`` say of them."""
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
        if logs is not None and log_group:
            logged_failures(failure, message, logs, log_group)
        return failure
    for record in records:
        stream = record["dynamodb"]
        image = from_item(stream.get("NewImage") or stream.get("OldImage") or {})
        _add_item(failure, stream["Keys"]["pk"]["S"], stream["Keys"]["sk"]["S"], image,
                  str(record.get("eventName")))  # fmt: skip
    return failure


def logged_failures(failure: Failure, message: dict[str, Any], logs: Any, log_group: str) -> None:
    """An expired batch's items from the function's own ERROR lines (each names a failed record's
    sequence number, keys and correlation id), logged between the batch's arrival and the
    message, if the log group still has them."""
    from botocore.exceptions import ClientError

    info = json.loads(message["Body"])["DDBStreamBatchInfo"]
    first, last = int(info["startSequenceNumber"]), int(info["endSequenceNumber"])
    start = _epoch_ms(info.get("approximateArrivalOfFirstRecord")) or 0
    end = int((message.get("Attributes") or {}).get("SentTimestamp") or 0) or None
    request: dict[str, Any] = {"logGroupName": log_group, "filterPattern": "ERROR",
                               "startTime": max(0, start - 60_000)}  # fmt: skip
    if end:
        request["endTime"] = end + 60_000
    try:
        pages = logs.get_paginator("filter_log_events").paginate(**request)
        lines = [event["message"] for page in pages for event in page.get("events", [])]
    except ClientError:
        return
    for line in lines:
        try:
            logged = json.loads(line)
            sequence = int(logged["sequence_number"])
        except (ValueError, KeyError, TypeError):
            continue
        if logged.get("level") == "ERROR" and first <= sequence <= last and logged.get("pk"):
            image = {"correlation_id": logged.get("correlation_id")}
            _add_item(failure, str(logged["pk"]), str(logged["sk"]), image,
                      f"{logged.get('event_name')}, from the function's log")  # fmt: skip


def _epoch_ms(moment: Any) -> int | None:
    """Lambda's arrival times: ISO 8601 (AWS) or epoch seconds (the local router)."""
    if isinstance(moment, int | float):
        return int(moment * 1000)
    if isinstance(moment, str) and moment:
        from datetime import datetime

        return int(datetime.fromisoformat(moment.replace("Z", "+00:00")).timestamp() * 1000)
    return None


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


def _add_item(failure: Failure, pk: str, sk: str, image: dict[str, Any], event: str) -> None:
    """The item a failed record is about, if the stage acts on it, and what an operator reads of it."""
    key = keys.parse(pk, sk)
    if key.kind not in DISPATCHED_KINDS or {"pk": pk, "sk": sk} in failure.keys:
        return
    failure.keys.append({"pk": pk, "sk": sk})
    correlation = f" [correlation {image['correlation_id']}]" if image.get("correlation_id") else ""
    if key.kind == "comment":
        on = f" on article {image['slug']}" if image.get("slug") else ""
        failure.concerns.append(f"comment {key.name}{on} ({image.get('status', event)}){correlation}")
    elif key.kind in ("vocabulary", "merge"):
        failure.concerns.append(f"tag {key.name} ({key.kind}){correlation}")
    elif key.kind == "author_profile":
        failure.concerns.append(f"author {key.name} (profile){correlation}")
    else:
        failure.concerns.append(f"article {key.name} ({sk}, {event}){correlation}")


def _failure(stage: str, message: dict[str, Any]) -> Failure:
    sent = (message.get("Attributes") or {}).get("SentTimestamp")
    if sent:
        from datetime import UTC, datetime

        sent = datetime.fromtimestamp(int(sent) / 1000, UTC).isoformat(timespec="seconds")
    return Failure(stage, message["MessageId"], message["ReceiptHandle"], sent)


def describe(failure: Failure) -> list[str]:
    """A failure as lines for an operator."""
    lines = [f"  message {failure.message_id} (sent {failure.sent_at or '?'}): {failure.names}"]
    if failure.expired and failure.keys:
        lines.append("    the stream no longer holds these records (it keeps 24 hours); the function's")
        lines.append("    ERROR log lines name them:")
    elif failure.expired:
        lines.append("    the stream no longer holds these records (it keeps 24 hours), so the items are")
        lines.append("    not known here; the function's ERROR log lines name each failed record (pk, sk,")
        lines.append(f"    correlation_id); replay them: kabar ops replay {failure.stage} --slug SLUG ...")
    lines += [f"    - {line}" for line in failure.concerns]
    if not failure.concerns and not failure.expired:
        lines.append("    - nothing this stage acts on")
    return lines
