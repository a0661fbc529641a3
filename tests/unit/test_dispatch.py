"""DispatchFunction's side (kabar.dispatch): stream records -> typed changes -> each stage's
messages, and the stages' side: messages (or a replay's items) -> the same changes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kabar.dispatch import (
    ANNOUNCE,
    RELATED,
    RENDER,
    SEND_BATCH,
    TAGGING,
    BadMessage,
    decode,
    dispatch,
    encode,
    routes,
    stage_changes,
)
from kabar.documents import comments_page_of
from kabar.events import (
    ArticleChanged,
    CommentChanged,
    RelatedChanged,
    TableChange,
    TagMerged,
    TagsChanged,
    Unhandled,
    UnlistContinued,
)
from kabar.table import keys
from tests.support.records import article_image, at, comment_image, record, tags_image

ABOUT = {"sequence_number": "7", "event_name": "MODIFY", **keys.article("gempa")}
CHANGES: list[tuple[TableChange, tuple[str, ...]]] = [
    (ArticleChanged("gempa", frozenset({at("2026-11")}), republished=True, relink=True), (TAGGING, RENDER)),
    (TagsChanged("gempa", known={"garut": frozenset({at("2026-10"), at("2026-11")})}), (RELATED, RENDER)),
    (RelatedChanged("gempa"), (RENDER,)),
    (TagMerged("hizbulah"), (TAGGING, RENDER)),
    (TagMerged("hizbulah", progress=True), (TAGGING,)),
    (UnlistContinued("gempa"), (RELATED,)),
    (CommentChanged("gempa", frozenset({0, 2}), count_changed=True), (RENDER,)),
    (Unhandled(*keys.upload("x").values()), ()),
]


@pytest.mark.parametrize(("change", "stages"), CHANGES)
def test_each_change_goes_to_the_stages_that_act_on_it_and_reads_back_the_same(
    change: TableChange, stages: tuple[str, ...]
) -> None:
    assert routes(change) == stages
    if not stages:
        with pytest.raises(BadMessage):
            encode(change, None, ABOUT)
        return
    body = encode(change, "upload-1", ABOUT)
    assert len(body.encode()) < 1000  # a change, not the item: whatever the article's size
    back, correlation_id, about = decode(body)
    assert (correlation_id, about) == ("upload-1", ABOUT)
    if isinstance(change, TagsChanged):
        assert isinstance(back, TagsChanged) and back.slug == change.slug
        assert back.list_positions == change.list_positions
    else:
        assert back == change


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("not json", "unreadable"),
        ("[1, 2]", "format"),
        ('{"format": 99, "change": "article"}', "format"),
        ('{"format": 1, "change": "gossip", "slug": "x"}', "gossip"),
        ('{"format": 1, "change": "related"}', "slug"),
        ('{"format": 1, "change": "related", "slug": ""}', "slug"),
        (
            '{"format": 1, "change": "comment", "slug": "x", "pages": ["a"], "count_changed": true}',
            "ValueError",
        ),
    ],
)
def test_a_message_that_is_not_a_change_says_why(body: str, says: str) -> None:
    with pytest.raises(BadMessage, match=says):
        decode(body)


class Queues:
    """Where dispatch's messages went (the batches per stage), refusing some on request."""

    def __init__(self, refuse: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.sent: dict[str, list[list[dict[str, Any]]]] = {}
        self.refuse = refuse  # slugs whose messages a queue does not take

    def __call__(self, stage: str, bodies: list[str]) -> set[int]:
        messages = [json.loads(body) for body in bodies]
        self.sent.setdefault(stage, []).append(messages)
        return {i for i, message in enumerate(messages) if message.get("slug") in self.refuse}


def test_one_record_reaches_every_stage_that_acts_on_it_in_batches_of_ten() -> None:
    records = [record(str(n), keys.article(f"a{n}"), None, article_image(f"a{n}")) for n in range(1, 24)]
    records.append(
        record("30", keys.article_tags("a1"), None, tags_image("a1", "published", "2026-11", "garut"))
    )
    records.append(record("31", keys.upload("x" * 32), None, {"state": "pending"}))  # no stage's
    queues = Queues()
    result = dispatch(records, queues)
    # Each new article is announced (webhooks) too; its tags are not.
    assert result.failed == set() and result.sent == {TAGGING: 23, RENDER: 24, RELATED: 1, ANNOUNCE: 23}
    assert [len(batch) for batch in queues.sent[TAGGING]] == [SEND_BATCH, SEND_BATCH, 3]
    tags = queues.sent[RELATED][0][0]
    assert tags["change"] == "tags" and tags["list_positions"] == {"garut": [at("2026-11", "a1")]}
    assert tags["record"]["sequence_number"] == "30" and tags["record"]["sk"] == "TAGS"


def test_a_record_fails_when_it_cannot_be_read_or_a_queue_refuses_it() -> None:
    good = record("1", keys.article("baik"), None, article_image("baik"))
    refused = record("2", keys.article("ditolak"), None, article_image("ditolak"))
    bad_tags = record("3", keys.article_tags("rusak"), None, {"status": "published", "tags": "not a list"})
    result = dispatch([good, refused, bad_tags], Queues(refuse={"ditolak"}))
    assert result.failed == {"2", "3"} and result.unreadable == {"3"}
    assert result.sent == {TAGGING: 1, RENDER: 1, ANNOUNCE: 1}


def test_a_stage_reads_its_messages_and_names_the_unreadable_ones() -> None:
    body = encode(RelatedChanged("gempa"), "c-1", ABOUT)
    event = {"Records": [{"messageId": "m1", "body": body}, {"messageId": "m2", "body": "{}"}]}
    first, second = stage_changes(event, RENDER, table=None)
    assert (first.id, first.change, first.correlation_id) == ("m1", RelatedChanged("gempa"), "c-1")
    assert first.about == {**ABOUT, "message_id": "m1"}
    assert (second.id, second.change) == ("m2", None) and "format" in second.error
    with pytest.raises(ValueError, match="Records"):
        stage_changes({"detail": {}}, RENDER, table=None)


def test_a_comment_record_goes_to_render_only_while_public_and_is_announced_when_approved() -> None:
    key = keys.comment("20261124T090000000000Zab12cd34")
    approved = record("1", key, comment_image("pending"), comment_image("approved", seq=3))
    pending = record("2", key, None, comment_image("pending"))
    queues = Queues()
    assert dispatch([approved, pending], queues).sent == {RENDER: 1, ANNOUNCE: 1}
    assert queues.sent[ANNOUNCE][0][0]["approved"] == "20261124T090000000000Zab12cd34"
    (message,) = queues.sent[RENDER][0]
    assert (message["change"], message["pages"], message["count_changed"]) == (
        "comment",
        [comments_page_of(3)],
        True,
    )
