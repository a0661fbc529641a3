"""One reader of the table's stream for every stage: typed changes to each stage's own queue.

DynamoDB Streams throttles a shard read by more than two processes at once, and every stage
(tagging, related, render, and those later issues add) would be one more. DispatchFunction is
the stream's only consumer: it reads each record once into a typed change
(:func:`kabar.events.table_change`), and sends it to the queue of every stage that acts on it
(:data:`ROUTES`). Each stage reads its queue with its own batch size, concurrency, retries and
dead-letter queue, and reports its own partial batch failures; a stage that fails never holds
the others back, and a new stage is a queue and a route, not a reader.

A message is the change itself, a few hundred bytes whatever the item's size: the keys and
positions a stage needs, the correlation id and what names the record in logs. Stages work
from the table's current state, so a message delivered twice, late or out of order converges
on the same documents (the stream's order per item is not needed, which is why the queues are
standard, not FIFO: docs/architecture.md, "One reader per stream shard").

A stage also takes a replay event (:mod:`kabar.table.replay`): the named items as they are now,
read into the same changes (:func:`stage_changes`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kabar.events import (
    ArticleChanged,
    AuthorChanged,
    CommentChanged,
    RelatedChanged,
    Scheduled,
    TableChange,
    TagMerged,
    TagsChanged,
    UnlistContinued,
    table_change,
)

TAGGING, RELATED, RENDER, ANNOUNCE = "tagging", "related", "render", "announce"
STAGES = (TAGGING, RELATED, RENDER, ANNOUNCE)
FORMAT = 1  # the message format's version, in every message
SEND_BATCH = 10  # messages per SendMessageBatch, SQS's most
# What the template's schedules send RenderQueue (their Input: {"format": 1, "change": "scheduled",
# "task": ...}); no table change, so DispatchFunction never sends one.
SCHEDULED_TASKS = frozenset({"sitemaps"})


class BadMessage(ValueError):
    """A stage queue's message that is not a change this version can read."""


def routes(change: TableChange) -> tuple[str, ...]:
    """The stages that act on a change (what each stage's FilterCriteria chose before)."""
    if isinstance(change, ArticleChanged):  # its tags; its document and lists; its webhooks
        return (TAGGING, RENDER, ANNOUNCE) if change.announce else (TAGGING, RENDER)
    if isinstance(change, TagsChanged):
        return (RELATED, RENDER)  # its related lists; its tag pages and document
    if isinstance(change, CommentChanged) and change.approved:
        return (RENDER, ANNOUNCE)
    if isinstance(change, RelatedChanged | CommentChanged | AuthorChanged):
        return (RENDER,)
    if isinstance(change, TagMerged):
        # A merged tag: its articles move (tagging) and its page points to the target (render);
        # a merge's progress item only brings tagging the next chunk.
        return (TAGGING,) if change.progress else (TAGGING, RENDER)
    if isinstance(change, UnlistContinued):
        return (RELATED,)
    return ()


@dataclass
class Queued:
    """One change a stage got: from its queue (``id`` the SQS message id) or from a replay."""

    id: str
    change: TableChange | None  # None: the message could not be read (``error`` says why)
    correlation_id: str | None = None
    about: dict[str, Any] = field(default_factory=dict)  # what names it in logs
    error: str = ""


# ---------------------------------------------------------------------------------- wire format


def encode(change: TableChange, correlation_id: str | None, about: dict[str, Any]) -> str:
    """A change as a stage queue's message body (JSON)."""
    body: dict[str, Any] = {"format": FORMAT, "correlation_id": correlation_id, "record": about}
    if isinstance(change, ArticleChanged):
        body.update(change="article", slug=change.slug, positions=sorted(change.positions),
                    republished=change.republished, relink=change.relink, version=change.version,
                    announce=change.announce)  # fmt: skip
    elif isinstance(change, TagsChanged):
        positions = {name: sorted(found) for name, found in sorted(change.list_positions.items())}
        body.update(change="tags", slug=change.slug, list_positions=positions)
    elif isinstance(change, RelatedChanged):
        body.update(change="related", slug=change.slug)
    elif isinstance(change, TagMerged):
        body.update(change="tag_merged", tag=change.tag, progress=change.progress)
    elif isinstance(change, UnlistContinued):
        body.update(change="unlist", slug=change.slug)
    elif isinstance(change, CommentChanged):
        body.update(change="comment", slug=change.slug, pages=sorted(change.pages),
                    count_changed=change.count_changed, approved=change.approved)  # fmt: skip
    elif isinstance(change, AuthorChanged):
        body.update(change="author", author=change.author)
    elif isinstance(change, Scheduled):
        body.update(change="scheduled", task=change.task)
    else:
        raise BadMessage(f"no stage acts on {type(change).__name__}")
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def decode(body: str) -> tuple[TableChange, str | None, dict[str, Any]]:
    """A stage queue's message: the change, its correlation id and what names its record."""
    try:
        message = json.loads(body)
        if not isinstance(message, dict) or message.get("format") != FORMAT:
            raise BadMessage(f"not a change message of format {FORMAT}")
        change = _change(message)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadMessage(f"unreadable change message ({type(exc).__name__}: {exc})") from None
    about = message.get("record")
    correlation_id = message.get("correlation_id")
    return change, str(correlation_id) if correlation_id else None, about if isinstance(about, dict) else {}


def _change(message: dict[str, Any]) -> TableChange:
    kind = message["change"]
    if kind == "article":
        positions = frozenset(map(str, message["positions"]))
        again, relink = bool(message["republished"]), bool(message["relink"])
        announce = message.get("announce")
        return ArticleChanged(_text(message, "slug"), positions, republished=again, relink=relink,
                              version=int(message.get("version") or 0),
                              announce=str(announce) if announce else None)  # fmt: skip
    if kind == "tags":
        known = {str(name): frozenset(map(str, found)) for name, found in message["list_positions"].items()}
        return TagsChanged(_text(message, "slug"), known=known)
    if kind == "related":
        return RelatedChanged(_text(message, "slug"))
    if kind == "tag_merged":
        return TagMerged(_text(message, "tag"), progress=bool(message["progress"]))
    if kind == "unlist":
        return UnlistContinued(_text(message, "slug"))
    if kind == "author":
        return AuthorChanged(_text(message, "author"))
    if kind == "comment":
        approved = message.get("approved")
        return CommentChanged(_text(message, "slug"), frozenset(int(page) for page in message["pages"]),
                              count_changed=bool(message["count_changed"]),
                              approved=str(approved) if approved else None)  # fmt: skip
    if kind == "scheduled":
        task = _text(message, "task")
        if task not in SCHEDULED_TASKS:
            raise BadMessage(f"unknown scheduled task {task!r}")
        return Scheduled(task)
    raise BadMessage(f"unknown change {kind!r}")


def _text(message: dict[str, Any], name: str) -> str:
    value = message[name]
    if not isinstance(value, str) or not value:
        raise BadMessage(f"{name} must be a non-empty string")
    return value


# ---------------------------------------------------------------------------------- the stream's side

# Sends one stage's message bodies (at most SEND_BATCH); the indexes of those not accepted.
Send = Callable[[str, list[str]], set[int]]


@dataclass
class Dispatched:
    failed: set[str] = field(default_factory=set)  # sequence numbers to retry
    unreadable: set[str] = field(default_factory=set)  # ... of which these could not be read
    sent: dict[str, int] = field(default_factory=dict)  # messages sent, by stage


def dispatch(
    records: list[dict[str, Any]],
    send: Send,
    facts: dict[str, tuple[str | None, dict[str, Any]]] | None = None,
) -> Dispatched:
    """Send each stream record's change to the stages that act on it, in batches per stage.
    ``facts``: the records' correlation ids and facts by sequence number, when the caller has
    them already (``observability.stream_facts``).

    A record fails (for the stream to retry it, then its on-failure destination) when it cannot
    be read or a stage's queue did not take its message; the stages that did take it get it
    again on the retry, which they absorb (they are idempotent)."""
    from kabar.observability import stream_record

    outgoing: dict[str, list[tuple[str, str]]] = {}
    result, facts = Dispatched(), facts or {}
    for record in records:
        known = facts.get(str((record.get("dynamodb") or {}).get("SequenceNumber")))
        correlation_id, about = known or stream_record(record)
        sequence = str(about["sequence_number"])
        try:
            change = table_change(record)
            stages = routes(change)
            body = encode(change, correlation_id, about) if stages else ""  # one body for every stage
        except (KeyError, TypeError, ValueError):
            result.unreadable.add(sequence)
            continue
        for stage in stages:
            outgoing.setdefault(stage, []).append((sequence, body))
    result.failed |= result.unreadable
    for stage, messages in outgoing.items():
        for start in range(0, len(messages), SEND_BATCH):
            chunk = messages[start : start + SEND_BATCH]
            refused = send(stage, [body for _, body in chunk])
            result.failed |= {chunk[index][0] for index in refused}
            result.sent[stage] = result.sent.get(stage, 0) + len(chunk) - len(refused)
    return result


# ---------------------------------------------------------------------------------- the stages' side


def stage_changes(event: dict[str, Any], stage: str, table: Any) -> list[Queued]:
    """What a stage's invocation brings: its queue's messages, or a replay event's items (as
    they are now) that the stage acts on."""
    from kabar.table.replay import REPLAY, stream_event

    if REPLAY in event:
        return [queued for queued in map(_replayed, stream_event(event, table)["Records"])
                if queued.change is None or stage in routes(queued.change)]  # fmt: skip
    records = event.get("Records")
    if not isinstance(records, list):
        raise ValueError("not a batch event: it has no list of Records")
    return [_message(record) for record in records]


def _message(record: dict[str, Any]) -> Queued:
    message_id = str(record["messageId"])
    try:
        change, correlation_id, about = decode(str(record.get("body", "")))
    except BadMessage as exc:
        return Queued(message_id, None, None, {"message_id": message_id}, str(exc))
    return Queued(message_id, change, correlation_id, {**about, "message_id": message_id})


def _replayed(record: dict[str, Any]) -> Queued:
    from kabar.observability import stream_record

    correlation_id, about = stream_record(record)
    sequence = str(about["sequence_number"])
    try:
        change = table_change(record)
    except (KeyError, TypeError, ValueError) as exc:
        return Queued(sequence, None, correlation_id, about, f"unreadable item ({type(exc).__name__})")
    return Queued(sequence, change, correlation_id, about)


def batch_response(failed: list[str]) -> dict[str, Any]:
    return {"batchItemFailures": [{"itemIdentifier": identifier} for identifier in failed]}
