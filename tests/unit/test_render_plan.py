"""Stream records as typed changes (kabar.events.table_change), and the render plan a batch makes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from kabar.events import (
    ArticleChanged,
    CommentChanged,
    RelatedChanged,
    TagMerged,
    TagsChanged,
    Unhandled,
    UnlistContinued,
    table_change,
    table_changes,
)
from kabar.table import keys
from kabar.table.codec import to_item
from kabar.workflows.render.plan import CommentWork, RenderPlan, plan
from tests.support.records import (
    NOVEMBER,
    OCTOBER,
    article_image,
    at,
    comment_image,
    record,
    tags_image,
)

ARTICLE = keys.article("gempa")
COMMENT_ID = "20261124T090000000000Zab12cd34"
COMMENT = keys.comment(COMMENT_ID)
PUBLISHED, UNPUBLISHED = "article.published", "article.unpublished"


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [
        # First published, published again, taken down: the articles naming it show or drop it.
        (
            None,
            article_image("gempa"),
            ArticleChanged("gempa", frozenset({at("2026-11")}), relink=True, version=1, announce=PUBLISHED),
        ),
        (
            article_image("gempa", published_at=OCTOBER),
            article_image("gempa"),
            ArticleChanged("gempa", frozenset({at("2026-10"), at("2026-11")}), version=1),
        ),
        (
            article_image("gempa", "draft"),
            article_image("gempa"),
            ArticleChanged(
                "gempa",
                frozenset({at("2026-11")}),
                republished=True,
                relink=True,
                version=1,
                announce=PUBLISHED,
            ),
        ),
        (
            article_image("gempa"),
            article_image("gempa", "draft"),
            ArticleChanged("gempa", frozenset({at("2026-11")}), relink=True, version=1, announce=UNPUBLISHED),
        ),
        (None, article_image("gempa", "draft"), ArticleChanged("gempa", frozenset(), version=1)),
        # Placed by UTC time: 05:00 on 1 December in Jakarta is 22:00 on 30 November.
        (
            None,
            article_image(
                "gempa", published_at=datetime(2026, 12, 1, 5, 0, tzinfo=timezone(timedelta(hours=7)))
            ),
            ArticleChanged(
                "gempa", frozenset({"2026-11-30T22:00:00Z#gempa"}), relink=True, version=1, announce=PUBLISHED
            ),
        ),
    ],
)
def test_an_article_record_names_the_positions_it_was_and_is_listed_at(
    old: dict[str, Any] | None, new: dict[str, Any] | None, change: ArticleChanged
) -> None:
    assert table_change(record("1", ARTICLE, old, new)) == change


def test_a_tags_record_gives_each_tags_positions_while_published() -> None:
    key = keys.article_tags("gempa")
    moved = table_change(
        record(
            "1",
            key,
            tags_image("gempa", "published", "2026-10", "garut", "gempa"),
            tags_image("gempa", "published", "2026-11", "gempa", "cianjur"),
        )
    )
    assert isinstance(moved, TagsChanged) and moved.slug == "gempa" and len(moved.images) == 2
    assert moved.list_positions == {"garut": {at("2026-10")}, "gempa": {at("2026-10"), at("2026-11")},
                                 "cianjur": {at("2026-11")}}  # fmt: skip
    drafted = table_change(
        record(
            "2",
            key,
            tags_image("gempa", "published", "2026-11", "gempa"),
            tags_image("gempa", "draft", None, "gempa"),
        )
    )
    assert isinstance(drafted, TagsChanged) and drafted.list_positions == {"gempa": {at("2026-11")}}
    never = table_change(record("3", key, None, tags_image("gempa", "draft", None, "gempa")))
    assert isinstance(never, TagsChanged) and never.list_positions == {}


@pytest.mark.parametrize(
    ("key", "change"),
    [
        (keys.related("gempa"), RelatedChanged("gempa")),
        (keys.vocabulary("garut"), Unhandled(*keys.vocabulary("garut").values())),  # not merged
        (keys.merge_progress("garut"), TagMerged("garut", progress=True)),
        (keys.unlist_progress("gempa"), UnlistContinued("gempa")),
        (keys.upload("0" * 32), Unhandled(*keys.upload("0" * 32).values())),
        (keys.membership("gempa", "garut"), Unhandled(*keys.membership("gempa", "garut").values())),
        (keys.listed_by("gempa", "banjir"), Unhandled(*keys.listed_by("gempa", "banjir").values())),
        (
            keys.named_by("gempa", "banjir", NOVEMBER),
            Unhandled(*keys.named_by("gempa", "banjir", NOVEMBER).values()),
        ),
        (keys.tag_stats("garut"), Unhandled(*keys.tag_stats("garut").values())),
    ],
)
def test_every_other_kind_of_record(key: keys.Key, change: Any) -> None:
    assert table_change(record("1", key, None, {"type": "x"})) == change


def test_a_tag_is_a_merge_only_once_merged_and_an_unlisting_only_while_it_goes_on() -> None:
    merged = record("1", keys.vocabulary("garut"), {"status": "active"}, {"status": "merged"})
    assert table_change(merged) == TagMerged("garut")
    removed = record("2", keys.unlist_progress("gempa"), {"type": "x"}, None)
    assert table_change(removed) == Unhandled(*keys.unlist_progress("gempa").values())


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [
        (
            comment_image("pending"),
            comment_image("approved", 1),
            CommentChanged("gempa", frozenset({1}), True, approved=COMMENT_ID),
        ),
        (
            comment_image("approved", 51),
            comment_image("approved", 51),
            CommentChanged("gempa", frozenset({2}), False),
        ),
        (
            comment_image("approved", 50),
            comment_image("spam", 50),
            CommentChanged("gempa", frozenset({1}), True),
        ),
        (
            None,
            comment_image("approved", 101),
            CommentChanged("gempa", frozenset({3}), True, approved=COMMENT_ID),
        ),
        (comment_image("pending"), comment_image("spam"), Unhandled(COMMENT["pk"], COMMENT["sk"])),
        (None, comment_image("pending"), Unhandled(COMMENT["pk"], COMMENT["sk"])),
    ],
)
def test_a_comment_record_matters_while_the_comment_is_or_was_public(
    old: dict[str, Any] | None, new: dict[str, Any] | None, change: Any
) -> None:
    assert table_change(record("1", COMMENT, old, new)) == change


def test_records_that_cannot_be_read_are_named_by_sequence_number() -> None:
    no_keys = {"eventID": "1", "dynamodb": {"SequenceNumber": "1"}}
    good = record("2", keys.related("gempa"), None, {"type": "related"})
    no_sort_key = {
        "eventID": "3",
        "dynamodb": {"SequenceNumber": "3", "Keys": {"pk": to_item(ARTICLE)["pk"]}},
    }
    changes, unreadable = table_changes([no_keys, good, no_sort_key])
    assert (changes, unreadable) == ([("2", RelatedChanged("gempa"))], {"1", "3"})


def test_a_tags_record_whose_image_cannot_be_read_fails_alone() -> None:
    bad = record("1", keys.article_tags("gempa"), None, {"slug": "gempa", "version": "not a number"})
    good = record(
        "2", keys.article_tags("banjir"), None, tags_image("banjir", "published", "2026-11", "jakarta")
    )
    changes, unreadable = table_changes([bad, good])
    assert unreadable == {"1"}
    assert [(sequence, change.slug) for sequence, change in changes] == [("2", "banjir")]


# The plan -----------------------------------------------------------------------------


def test_an_article_is_rendered_once_however_many_of_its_records_arrive() -> None:
    work = plan(
        [
            ("1", ArticleChanged("gempa", frozenset({"2026-11"}))),
            ("2", TagsChanged("gempa", (tags_image("gempa", "published", "2026-11", "garut"),))),
            ("3", RelatedChanged("gempa")),
            ("4", RelatedChanged("banjir")),
        ]
    )
    assert work.articles == {"gempa": {"1", "2", "3"}, "banjir": {"4"}}
    assert (work.positions, work.list_positions, work.list_records) == (
        {"2026-11"},
        {"garut": {at("2026-11")}},
        {"1", "2"},
    )
    assert work.comments == {} and work.has_lists and work.records() == {"1", "2", "3", "4"}


def test_lists_gather_every_position_and_tag_of_the_batch() -> None:
    work = plan(
        [
            ("1", ArticleChanged("gempa", frozenset({"2026-10", "2026-11"}))),
            ("2", ArticleChanged("banjir", frozenset({"2026-09"}))),
            (
                "3",
                TagsChanged(
                    "gempa",
                    (
                        tags_image("gempa", "published", "2026-10", "garut"),
                        tags_image("gempa", "published", "2026-11", "garut", "cianjur"),
                    ),
                ),
            ),
            ("4", TagMerged("jalur-gaza")),
            ("5", TagMerged("jalur-gaza", progress=True)),  # more articles to move: nothing to render yet
            ("6", UnlistContinued("gempa")),
            ("7", Unhandled("x", "y")),
        ]
    )
    assert work.positions == {"2026-09", "2026-10", "2026-11"}  # as the records gave them
    assert work.list_positions == {"garut": {at("2026-10"), at("2026-11")}, "cianjur": {at("2026-11")},
                                  "jalur-gaza": set()}  # fmt: skip
    assert work.list_records == {"1", "2", "3", "4"}
    assert work.records() == {"1", "2", "3", "4"}  # 5, 6 and 7 ask for nothing


def test_comment_pages_are_gathered_per_article_and_a_count_change_re_renders_the_article() -> None:
    work = plan(
        [
            ("1", CommentChanged("gempa", frozenset({1}), count_changed=True)),
            ("2", CommentChanged("gempa", frozenset({2}), count_changed=False)),
            ("3", CommentChanged("banjir", frozenset({4}), count_changed=False)),
        ]
    )
    assert work.comments == {
        "gempa": CommentWork(pages={1, 2}, every=False, records={"1", "2"}),
        "banjir": CommentWork(pages={4}, every=False, records={"3"}),
    }
    assert work.articles == {"gempa": {"1"}}  # its document states the count
    assert not work.has_lists and work.records() == {"1", "2", "3"}


def test_an_article_published_again_renders_every_comment_page() -> None:
    work = plan(
        [
            ("1", ArticleChanged("gempa", frozenset({"2026-11"}), republished=True)),
            ("2", CommentChanged("gempa", frozenset({3}), count_changed=False)),
        ]
    )
    assert work.comments == {"gempa": CommentWork(pages={3}, every=True, records={"1", "2"})}
    assert work.articles == {"gempa": {"1"}} and work.list_records == {"1"}


def test_a_whole_batch_from_records_to_plan() -> None:
    records = [
        record("10", ARTICLE, article_image("gempa", published_at=OCTOBER), article_image("gempa")),
        record(
            "11",
            keys.article_tags("gempa"),
            tags_image("gempa", "published", "2026-10", "garut"),
            tags_image("gempa", "published", "2026-11", "garut"),
        ),
        record("12", COMMENT, comment_image("pending"), comment_image("approved", 1)),
        record("13", keys.upload("0" * 32), None, {"type": "upload"}),
    ]
    changes, unreadable = table_changes(records)
    work = plan(changes)
    assert unreadable == set()
    assert work == RenderPlan(
        articles={"gempa": {"10", "11", "12"}},
        comments={"gempa": CommentWork(pages={1}, every=False, records={"12"})},
        positions={at("2026-10"), at("2026-11")},
        list_positions={"garut": {at("2026-10"), at("2026-11")}},
        list_records={"10", "11"},
    )


def test_an_article_that_appears_or_goes_asks_for_the_articles_that_name_it() -> None:
    work = plan(
        [
            ("1", ArticleChanged("gempa", frozenset({"2026-11"}), relink=True)),
            ("2", ArticleChanged("gempa", frozenset({"2026-11"}))),  # an update: its links stay
            ("3", ArticleChanged("banjir", frozenset(), relink=True)),  # taken down
            ("4", ArticleChanged("cabai", frozenset({"2026-11"}))),
        ]
    )
    assert work.referrers == {"gempa": {"1"}, "banjir": {"3"}}
    assert work.articles == {"gempa": {"1", "2"}, "banjir": {"3"}, "cabai": {"4"}}
    assert work.records() == {"1", "2", "3", "4"}
