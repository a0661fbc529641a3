"""kabar.workflows.comments (intake) and kabar.workflows.moderation against in-memory stores."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from kabar.errors import (
    CommentRefused,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
)
from kabar.keyring import Keyring
from kabar.models import Comment, CommentHistory
from kabar.workflows.comments import (
    DUPLICATE_MESSAGE,
    MAX_BODY,
    PUBLISHED_MESSAGE,
    WAITING_MESSAGE,
    IntakeRules,
    read_submission,
    submit,
)
from kabar.workflows.moderation import edit, forget_spam_name, moderate, queue, read_edit, spam_names
from tests.support.memory import MemoryComments, MemorySpamNames, MemoryStores, Seen, article
from tests.support.styles import styled

SLUG = "banjir-rendam-kampung-melayu"
KEYS = Keyring.single(b"kunci-rahasia")
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ANI = {"name": "Ani", "email": "Ani@Example.co.id", "content": "Semoga warga cepat pulih."}
ANI_HASH = KEYS.current.hash("ani@example.co.id")
EVERY_COMMENT = IntakeRules(flood_seconds=0)  # floods are another test's business


def site(**fields: Any) -> MemoryStores:
    stores = MemoryStores.new()
    stores.put_article(article(SLUG, **fields))
    return stores


def post(
    stores: MemoryStores,
    body: Any,
    *,
    slug: str = SLUG,
    ip: str = "203.0.113.7",
    now: datetime = NOW,
    rules: IntakeRules | None = None,
    comments: MemoryComments | None = None,
) -> dict[str, Any]:
    return submit(
        slug,
        read_submission(body, raw_size=len(json.dumps(body).encode())),
        source_ip=ip,
        articles=stores.articles,
        comments=comments or stores.comments,
        keys=KEYS,
        rules=rules or IntakeRules(),
        now=now,
    )


def stored(stores: MemoryStores, comment_id: str) -> Comment:
    comment = stores.comments.get(comment_id)
    assert comment is not None
    return comment


def approved(stores: MemoryStores, body: dict[str, Any], now: datetime = NOW) -> str:
    """A comment posted and approved by a moderator; its id."""
    comment_id = str(post(stores, body, now=now, rules=EVERY_COMMENT)["id"])
    moderate(stores.comments, comment_id, "approve", by="mod", now=now)
    return comment_id


# Intake -------------------------------------------------------------------------------


def test_a_first_comment_waits_and_keeps_email_and_address_only_as_keyed_hashes() -> None:
    stores = site()
    answer = post(stores, ANI)
    assert answer == {"id": answer["id"], "status": "awaiting moderation", "message": WAITING_MESSAGE}
    assert stored(stores, answer["id"]) == Comment(
        id=answer["id"],
        slug=SLUG,
        name="Ani",
        content="Semoga warga cepat pulih.",
        content_html="<p>Semoga warga cepat pulih.</p>",
        status="pending",
        reasons=["first-time commenter"],
        created_at="2026-11-24T09:00:00Z",
        email_hash=ANI_HASH,
        network_hash=KEYS.current.hash("203.0.113.0/24"),
    )
    assert answer["id"].startswith("20261124T090000000000Z")
    assert stores.comments.commenters == {ANI_HASH: Seen(approved=0, last_at=NOW.timestamp())}
    assert stores.comments.counters(SLUG) == (0, 0)


@pytest.mark.parametrize("fields", [{"status": "draft"}, None])
def test_no_published_article_is_404(fields: dict[str, Any] | None) -> None:
    stores = site(**fields) if fields else MemoryStores.new()
    with pytest.raises(NotFound, match=f"no published article '{SLUG}'"):
        post(stores, ANI)
    assert stores.comments == MemoryComments()


def test_comments_closed_on_the_article_or_by_age_are_403() -> None:
    with pytest.raises(Forbidden, match="closed"):
        post(site(comments="closed"), ANI)
    stores = site()  # published 2026-11-20 03:00 UTC
    rules = IntakeRules(close_days=4)
    post(stores, ANI, now=datetime(2026, 11, 24, 3, 0, tzinfo=UTC), rules=rules)  # four days: still open
    with pytest.raises(Forbidden):
        post(stores, {**ANI, "content": "Lain."}, now=datetime(2026, 11, 24, 3, 1, tzinfo=UTC), rules=rules)


def test_a_reply_needs_a_published_parent_on_the_same_article_within_the_depth() -> None:
    stores = site()
    stores.put_article(article("lain"))
    waiting = str(post(stores, ANI, rules=EVERY_COMMENT)["id"])
    elsewhere = str(post(stores, {**ANI, "email": "b@example.id"}, slug="lain", rules=EVERY_COMMENT)["id"])
    moderate(stores.comments, elsewhere, "approve", by="mod", now=NOW)
    for parent in (waiting, elsewhere, "20261124T000000Z00000000"):
        with pytest.raises(InvalidRequest) as refused:
            post(stores, {**ANI, "email": "c@example.id", "parent": parent}, rules=EVERY_COMMENT)
        assert refused.value.errors == [
            {"field": "parent", "message": f"no published comment {parent!r} on this article"}
        ]

    parent = approved(stores, {"name": "Budi", "email": "budi@example.id", "content": "Akar."})
    for depth in (1, 2, 3):
        parent = approved(
            stores,
            {
                "name": f"Balas {depth}",
                "email": f"{depth}@example.id",
                "content": f"Balasan {depth}.",
                "parent": parent,
            },
        )
        reply = stored(stores, parent)
        assert (reply.depth, reply.parent_name) == (depth, "Budi" if depth == 1 else f"Balas {depth - 1}")
    with pytest.raises(InvalidRequest) as too_deep:
        post(stores, {**ANI, "email": "d@example.id", "parent": parent}, rules=EVERY_COMMENT)
    assert too_deep.value.errors == [{"field": "parent", "message": "replies nest at most 3 deep"}]


def test_the_same_comment_again_is_409_before_it_is_a_flood_and_nothing_is_written() -> None:
    stores = site()
    post(stores, ANI)
    before = copy.deepcopy(stores)
    again = {**ANI, "email": "ANI@example.co.id", "content": "  semoga WARGA  cepat pulih. "}
    with pytest.raises(Conflict, match=DUPLICATE_MESSAGE):
        post(stores, again, now=NOW + timedelta(seconds=1))  # also a flood: the duplicate is named
    with pytest.raises(Conflict, match=DUPLICATE_MESSAGE):
        post(stores, again, now=NOW + timedelta(days=1), ip="198.51.100.1")
    assert stores == before
    stores.put_article(article("lain"))  # the same words on another article are another comment
    assert post(stores, ANI, slug="lain", now=NOW + timedelta(days=1))["status"] == "awaiting moderation"


def test_the_same_email_too_soon_is_429_with_the_seconds_left() -> None:
    stores = site()
    post(stores, ANI)
    before = copy.deepcopy(stores)
    with pytest.raises(TooManyRequests) as flood:  # the same commenter from elsewhere
        post(stores, {**ANI, "content": "Isi lain."}, ip="198.51.100.1", now=NOW + timedelta(seconds=5.5))
    assert (str(flood.value), flood.value.retry_after) == ("one comment every 15 seconds: please wait", 10)
    assert stores == before
    answer = post(stores, {**ANI, "content": "Isi lain."}, ip="198.51.100.1", now=NOW + timedelta(seconds=15))
    assert answer["status"] == "awaiting moderation"


def test_readers_behind_one_address_are_a_rate_not_a_lockout() -> None:
    """A mobile carrier's shared address: different readers seconds apart are all taken, until the
    network's comments in the last minute reach the limit; the next waits until the oldest is a
    minute old."""
    stores = site()
    for n in range(6):
        reader = {**ANI, "email": f"pembaca{n}@example.id", "content": f"Komentar {n}."}
        assert post(stores, reader, ip="203.0.113.7", now=NOW + timedelta(seconds=3 * n))
    before = copy.deepcopy(stores)
    seventh = {**ANI, "email": "pembaca7@example.id", "content": "Komentar 7."}
    with pytest.raises(TooManyRequests) as busy:
        post(stores, seventh, ip="203.0.113.99", now=NOW + timedelta(seconds=20))  # the same /24
    assert str(busy.value) == "more than 6 comments a minute from your network: please wait"
    assert busy.value.retry_after == 40  # the first of the six is a minute old at 60 s
    assert stores == before
    assert post(stores, seventh, ip="203.0.113.99", now=NOW + timedelta(seconds=60.5))
    other = {**ANI, "email": "jauh@example.id", "content": "Dari jauh."}
    assert post(stores, other, ip="198.51.100.1", now=NOW + timedelta(seconds=21))  # another network
    assert post(stores, {**other, "email": "x@example.id"}, ip="203.0.113.8", now=NOW + timedelta(seconds=61),
                rules=IntakeRules(network_limit=10))  # a site may allow more  # fmt: skip


def test_a_network_record_written_meanwhile_is_read_again() -> None:
    """Two readers of one network at once: the second write finds the network's record changed,
    reads it again and is taken, counted after the first."""
    stores = site()
    raced = RacedNetwork(stores.comments)
    post(stores, ANI, comments=raced)
    assert raced.refusals == 1 and len(stores.comments.networks) == 1
    (record,) = stores.comments.networks.values()
    assert len(record.times) == 2 and record.version == 2


def test_networks_are_counted_by_ipv6_slash_48() -> None:
    stores = site()
    rules = IntakeRules(network_limit=1)
    post(stores, ANI, ip="2001:db8:1:2::5", rules=rules)
    with pytest.raises(TooManyRequests):
        post(
            stores, {**ANI, "email": "d@example.id", "content": "Juga."}, ip="2001:db8:1:ffff::9", rules=rules
        )
    assert post(
        stores, {**ANI, "email": "e@example.id", "content": "Dari jauh."}, ip="2001:db8:2::9", rules=rules
    )


def test_a_body_too_large_is_413_before_anything_else() -> None:
    with pytest.raises(PayloadTooLarge) as too_large:
        submit(
            SLUG,
            read_submission(ANI, raw_size=MAX_BODY + 1),
            source_ip="203.0.113.7",
            articles=MemoryStores.new().articles,
            comments=MemoryComments(),
            keys=KEYS,
            rules=IntakeRules(),
            now=NOW,
        )
    assert too_large.value.field == "body"
    with pytest.raises(PayloadTooLarge) as content:
        post(MemoryStores.new(), {**ANI, "content": "x" * 5001})
    assert (content.value.field, content.value.message) == ("content", "is longer than 5000 characters")
    with pytest.raises(InvalidRequest) as invalid:
        post(MemoryStores.new(), {"content": "x"})  # before the article is looked for (no 404)
    required = {"message": "Field required"}
    assert invalid.value.errors == [{"field": "name", **required}, {"field": "email", **required}]
    with pytest.raises(InvalidRequest) as not_object:
        post(MemoryStores.new(), ["not", "an", "object"])
    assert not_object.value.errors == [{"field": "body", "message": "not an object"}]


def test_spam_is_accepted_but_stored_as_spam_and_links_wait() -> None:
    stores = site()
    spam = post(stores, {**ANI, "honeypot": "http://spam.example"}, rules=EVERY_COMMENT)
    assert spam["status"] == "awaiting moderation"
    assert (stored(stores, spam["id"]).status, stored(stores, spam["id"]).reasons) == (
        "spam",
        ["honeypot filled"],
    )
    links = post(
        stores,
        {**ANI, "email": "b@example.id", "content": "Lihat http://a.com dan http://b.com"},
        rules=EVERY_COMMENT,
    )
    assert (stored(stores, links["id"]).status, stored(stores, links["id"]).reasons) == (
        "pending",
        ["2 links"],
    )


def test_a_returning_commenter_is_published_at_once_with_the_next_approval_number() -> None:
    stores = site()
    approved(stores, ANI)
    answer = post(
        stores,
        {"name": "Ani S.", "email": "ani@example.co.id", "content": "Lagi."},
        now=NOW + timedelta(minutes=1),
    )
    assert answer == {"id": answer["id"], "status": "published", "message": PUBLISHED_MESSAGE}
    comment = stored(stores, answer["id"])
    assert (comment.status, comment.reasons, comment.seq) == ("approved", ["earlier comments approved"], 2)
    assert stores.comments.counters(SLUG) == (2, 2)
    assert stores.comments.commenters[ANI_HASH].approved == 2
    other = post(
        stores, {**ANI, "email": "eko@example.id", "content": "Baru."}, now=NOW + timedelta(minutes=2)
    )
    assert other["status"] == "awaiting moderation"


class RacedNetwork:
    """The comments, where another reader of the same network comments between this one's first
    read and its write."""

    def __init__(self, comments: MemoryComments) -> None:
        self.comments, self.refusals, self.raced = comments, 0, False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.comments, name)

    def history(self, **hashes: Any) -> CommentHistory:
        found = self.comments.history(**hashes)
        if not self.raced:
            self.raced = True
            self.comments.networks[hashes["network_hashes"][0]] = Seen(
                times=(NOW.timestamp() - 1,), version=1
            )
        return found

    def add(self, comment: Comment, **written: Any) -> None:
        try:
            self.comments.add(comment, **written)
        except CommentRefused as refused:
            self.refusals += refused.reason == "network"
            raise


class CleanHistory(MemoryComments):
    """Answers every history read as a first comment: two requests that raced past the read."""

    def history(self, **hashes: Any) -> CommentHistory:
        return CommentHistory(approved=0, last_at=None, duplicate=False)


def test_requests_that_raced_past_the_read_are_refused_by_the_write() -> None:
    stores = site()
    racing = CleanHistory()
    post(stores, ANI, comments=racing)
    before = copy.deepcopy(racing)
    with pytest.raises(Conflict, match=DUPLICATE_MESSAGE):
        post(stores, ANI, comments=racing)
    with pytest.raises(TooManyRequests) as flood:
        post(stores, {**ANI, "content": "Lain."}, comments=racing, now=NOW + timedelta(seconds=3))
    assert flood.value.retry_after == 15  # the write does not say how long: the whole window
    assert racing == before


# Moderation ---------------------------------------------------------------------------


def test_approving_numbers_the_comment_counts_it_and_makes_its_author_returning() -> None:
    stores = site()
    comment_id = str(post(stores, ANI)["id"])
    done = moderate(stores.comments, comment_id, "approve", by="mod", now=NOW + timedelta(hours=1))
    comment = stored(stores, comment_id)
    assert done == {"comment": comment.moderator_view(), "changed": True}
    assert (comment.status, comment.seq, comment.revision) == ("approved", 1, 1)
    assert (comment.moderated_by, comment.moderated_at) == ("mod", "2026-11-24T10:00:00Z")
    assert not {"email_hash", "network_hash"} & set(done["comment"])
    assert stores.comments.counters(SLUG) == (1, 1)
    assert stores.comments.commenters[ANI_HASH].approved == 1
    before = copy.deepcopy(stores)
    assert moderate(stores.comments, comment_id, "approve", by="mod2", now=NOW)["changed"] is False
    assert stores == before


def test_spam_or_trash_takes_a_comment_down_and_it_keeps_its_number_when_it_comes_back() -> None:
    stores = site()
    first = approved(stores, ANI)
    second = approved(stores, {**ANI, "email": "b@example.id", "content": "Dua."})
    assert moderate(stores.comments, first, "spam", by="mod", now=NOW)["comment"]["status"] == "spam"
    assert stores.comments.counters(SLUG) == (1, 2)
    assert stores.comments.commenters[ANI_HASH].approved == 0
    moderate(stores.comments, first, "trash", by="mod", now=NOW)
    assert stores.comments.counters(SLUG) == (1, 2)  # spam to trash: neither is public
    moderate(stores.comments, first, "approve", by="mod", now=NOW)
    assert (stored(stores, first).seq, stored(stores, first).revision) == (1, 4)
    assert stores.comments.counters(SLUG) == (2, 2)
    assert [c["seq"] for c in stores.comments.public_by_seq(SLUG, 1, 50)] == [1, 2]
    assert stores.comments.public_by_seq(SLUG, 2, 2)[0]["id"] == second


def test_spam_and_trash_are_purged_after_the_purge_days_unless_they_come_back() -> None:
    stores = site()
    comment_id = approved(stores, ANI)
    moderate(stores.comments, comment_id, "spam", by="mod", now=NOW, purge_days=7)
    assert stores.comments.expires[comment_id] == int(NOW.timestamp()) + 7 * 86400
    later = NOW + timedelta(days=2)
    moderate(stores.comments, comment_id, "trash", by="mod", now=later, purge_days=7)
    assert stores.comments.expires[comment_id] == int(later.timestamp()) + 7 * 86400  # from the trash on
    moderate(stores.comments, comment_id, "approve", by="mod", now=later)
    assert comment_id not in stores.comments.expires  # public again: kept
    spam = post(stores, {**ANI, "email": "s@example.id", "content": "Beli viagra murah"}, rules=EVERY_COMMENT)
    assert stored(stores, spam["id"]).status == "spam"
    assert stores.comments.expires[spam["id"]] == int(NOW.timestamp()) + 30 * 86400  # spam at intake too


def test_marking_spam_teaches_the_site_names_in_it_once() -> None:
    stores = site()
    names = MemorySpamNames(comments=stores.comments)
    promo = {**ANI, "content": f"Mantap bang, main di BADAK88 dan {styled('bold', 'KOTAWIN')} yuk"}
    comment_id = str(post(stores, promo, rules=EVERY_COMMENT)["id"])
    done = moderate(stores.comments, comment_id, "spam", by="mod", now=NOW, names=names)
    assert done["learned"] == ["badak88", "kotawin"]
    assert names.learned["badak88"] == {"name": "badak88", "comment": comment_id, "by": "mod",
                                        "learned_at": "2026-11-24T09:00:00Z"}  # fmt: skip
    again = moderate(stores.comments, comment_id, "spam", by="mod2", now=NOW, names=names)
    assert (again["changed"], again["learned"]) == (False, [])  # learned once
    later = post(stores, {**ANI, "email": "lain@example.id", "content": "Cobain badak 88 deh"},
                 ip="198.51.100.9", rules=EVERY_COMMENT)  # fmt: skip
    assert stored(stores, later["id"]).reasons[-1] == "learned spam name: badak88"
    assert "learned" not in moderate(stores.comments, later["id"], "approve", by="mod", now=NOW, names=names)
    assert "learned" not in moderate(stores.comments, later["id"], "trash", by="mod", now=NOW, names=names)


def test_moderators_list_and_forget_learned_names() -> None:
    names = MemorySpamNames()
    names.learn(["badak88", "kotawin", "raja303"], comment_id="c1", by="mod", at="2026-11-24T09:00:00Z")
    first = spam_names(names, limit=2, cursor=None)
    assert [row["name"] for row in first["names"]] == ["badak88", "kotawin"] and first["next"] == "kotawin"
    assert [row["name"] for row in spam_names(names, limit=2, cursor="kotawin")["names"]] == ["raja303"]
    assert forget_spam_name(names, "KOTAWIN", by="mod") == {"name": "kotawin", "removed": True}
    assert forget_spam_name(names, "kotawin", by="mod") == {"name": "kotawin", "removed": False}
    with pytest.raises(InvalidRequest):
        spam_names(names, limit=0, cursor=None)


def reads_once(monkeypatch: pytest.MonkeyPatch, comments: MemoryComments, value: Comment) -> None:
    """The next ``get`` answers ``value``: what a moderator read before another one changed it."""
    get = comments.get

    def stale(comment_id: str) -> Comment | None:
        monkeypatch.setattr(comments, "get", get)
        return value

    monkeypatch.setattr(comments, "get", stale)


def test_two_moderators_approving_at_once_change_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    stores = site()
    comment_id = str(post(stores, ANI)["id"])
    pending = stored(stores, comment_id)
    moderate(stores.comments, comment_id, "approve", by="mod", now=NOW)
    reads_once(monkeypatch, stores.comments, pending)
    done = moderate(stores.comments, comment_id, "approve", by="mod2", now=NOW)
    assert done == {"comment": stored(stores, comment_id).moderator_view(), "changed": False}
    assert stored(stores, comment_id).moderated_by == "mod"
    assert stores.comments.counters(SLUG) == (1, 2)  # the loser's approval number stays unused


def test_a_change_that_lost_to_a_different_one_is_a_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    stores = site()
    comment_id = str(post(stores, ANI)["id"])
    pending = stored(stores, comment_id)
    moderate(stores.comments, comment_id, "trash", by="mod", now=NOW)
    reads_once(monkeypatch, stores.comments, pending)
    with pytest.raises(Conflict, match="read it again and retry"):
        moderate(stores.comments, comment_id, "spam", by="mod2", now=NOW)
    assert stored(stores, comment_id).status == "trash"
    reads_once(monkeypatch, stores.comments, pending)
    with pytest.raises(Conflict):
        edit(stores.comments, comment_id, read_edit({"name": "Ani S."}), by="mod2", now=NOW)


@pytest.mark.parametrize("comment_id", ["20261124T000000Z00000000", "../etc", ""])
def test_an_unknown_comment_is_not_found(comment_id: str) -> None:
    stores = site()
    with pytest.raises(NotFound):
        moderate(stores.comments, comment_id, "approve", by="mod", now=NOW)
    with pytest.raises(NotFound):
        edit(stores.comments, comment_id, read_edit({"name": "X"}), by="mod", now=NOW)


def test_an_edit_changes_the_fields_given_and_the_same_edit_again_changes_nothing() -> None:
    stores = site()
    comment_id = approved(stores, {**ANI, "website": "https://ani.example.id"})
    done = edit(
        stores.comments,
        comment_id,
        read_edit({"content": "Semoga  warga <b>pulih</b>.", "website": None}),
        by="mod2",
        now=NOW + timedelta(minutes=5),
    )
    comment = stored(stores, comment_id)
    assert done == {"comment": comment.moderator_view(), "changed": True}
    assert (comment.content, comment.content_html, comment.website) == (
        "Semoga  warga pulih.",
        "<p>Semoga  warga pulih.</p>",
        None,
    )
    assert (comment.edited_by, comment.edited_at, comment.revision) == ("mod2", "2026-11-24T09:05:00Z", 2)
    assert stores.comments.public_by_seq(SLUG, 1, 1)[0]["content_html"] == "<p>Semoga  warga pulih.</p>"
    assert stores.comments.counters(SLUG) == (1, 1)
    before = copy.deepcopy(stores)
    again = edit(
        stores.comments, comment_id, read_edit({"content": "Semoga  warga pulih."}), by="mod3", now=NOW
    )
    assert again == {"comment": comment.moderator_view(), "changed": False}
    assert stores == before


def test_an_edit_with_nothing_to_change_or_a_bad_field_is_refused() -> None:
    stores = site()
    comment_id = str(post(stores, ANI)["id"])
    with pytest.raises(InvalidRequest) as nothing:
        edit(stores.comments, comment_id, read_edit({}), by="mod", now=NOW)
    assert nothing.value.errors == [{"field": "body", "message": "give name, website or content"}]
    with pytest.raises(ValidationError) as bad:
        edit(
            stores.comments, comment_id, read_edit({"content": "<b></b>", "colour": "red"}), by="mod", now=NOW
        )
    assert {str(e["loc"][0]) for e in bad.value.errors()} == {"content", "colour"}
    assert stored(stores, comment_id).revision is None


def test_the_queue_is_oldest_first_a_page_at_a_time() -> None:
    stores = site()
    ids = [
        str(
            post(
                stores,
                {**ANI, "email": f"{n}@example.id", "content": f"Nomor {n}."},
                now=NOW + timedelta(seconds=n),
                rules=EVERY_COMMENT,
            )["id"]
        )
        for n in range(3)
    ]
    spam = post(stores, {**ANI, "honeypot": "x"}, now=NOW + timedelta(seconds=3), rules=EVERY_COMMENT)["id"]
    page = queue(stores.comments, "pending", limit=2, cursor=None)
    assert [c["id"] for c in page["comments"]] == ids[:2] and page["status"] == "pending"
    assert page["comments"][0] == stored(stores, ids[0]).moderator_view()
    rest = queue(stores.comments, "pending", limit=2, cursor=page["next"])
    assert ([c["id"] for c in rest["comments"]], rest["next"]) == (ids[2:], None)
    assert [c["id"] for c in queue(stores.comments, "spam", limit=10, cursor=None)["comments"]] == [spam]
    moderate(stores.comments, ids[0], "approve", by="mod", now=NOW)
    assert [c["id"] for c in queue(stores.comments, "pending", limit=10, cursor=None)["comments"]] == ids[1:]


@pytest.mark.parametrize(
    ("status", "limit", "cursor", "field"),
    [
        ("approved", 10, None, "status"),
        ("pending", 0, None, "limit"),
        ("pending", 101, None, "limit"),
        ("pending", 10, "bm9wZQ", "cursor"),
        ("pending", 10, "%%%", "cursor"),
        ("spam", 10, "pending", "cursor"),
    ],
)
def test_a_queue_request_it_cannot_answer_names_the_field(
    status: str, limit: int, cursor: str | None, field: str
) -> None:
    stores = site()
    for n in range(3):
        post(stores, {**ANI, "email": f"{n}@example.id", "content": f"Nomor {n}."}, rules=EVERY_COMMENT)
    if cursor == "pending":  # a cursor the pending queue gave, used for another queue
        cursor = queue(stores.comments, "pending", limit=1, cursor=None)["next"]
        assert cursor is not None
    with pytest.raises(InvalidRequest) as refused:
        queue(stores.comments, status, limit=limit, cursor=cursor)
    assert [error["field"] for error in refused.value.errors] == [field]
    if field == "cursor":
        assert refused.value.errors[0]["message"] == (
            "is not a cursor this list gave (use the 'next' value of the previous page)"
        )
