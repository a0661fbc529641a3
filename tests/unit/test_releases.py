"""Scheduled publishing's pure parts: when an article goes public, the release message and the
schedule's name and expression, and what a release or a cancellation does with the current
version (against in-memory articles; the table's transactions are tested on moto in
tests/integration/test_scheduled_publishing.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kabar.errors import Conflict, NotFound, Stale
from kabar.models import Article
from kabar.releases import NAME_LENGTH, Release, at_expression, parse_release, schedule_name
from kabar.submissions import check_article
from kabar.workflows import releases
from kabar.workflows.releases import release_time, scheduled_view, too_far_ahead, zone_name
from tests.support.memory import article

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


def test_the_later_of_published_at_and_embargo_until_decides_and_only_when_ahead() -> None:
    ten_wib = datetime(2026, 12, 4, 10, 0, tzinfo=WIB)  # 03:00 UTC, an hour ahead
    assert release_time(ten_wib, None, NOW) == (datetime(2026, 12, 4, 3, 0, tzinfo=UTC), ten_wib)
    assert release_time(NOW - timedelta(days=1), ten_wib, NOW) == (ten_wib.astimezone(UTC), ten_wib)
    assert release_time(ten_wib + timedelta(hours=1), ten_wib, NOW)[0] == ten_wib.astimezone(UTC) + timedelta(
        hours=1
    )  # type: ignore[index]
    assert release_time(NOW - timedelta(minutes=1), None, NOW) is None
    assert release_time(NOW, None, NOW) is None  # its time is now: published at once
    assert release_time(None, None, NOW) is None


def test_a_time_more_than_a_year_ahead_is_refused_naming_its_field() -> None:
    far = NOW + timedelta(days=400)
    reasons = too_far_ahead(far, far, NOW)
    assert [r.field for r in reasons] == ["published_at", "embargo_until"]
    assert "more than a year ahead" in reasons[0].message
    assert too_far_ahead(NOW + timedelta(days=300), None, NOW) == []


def test_embargo_until_needs_an_offset_like_published_at() -> None:
    _, errors = check_article({"title": "Judul", "body": "Isi.", "embargo_until": "2026-12-04T10:00:00"})
    assert [e.field for e in errors] == ["embargo_until"]
    submission, errors = check_article(
        {"title": "Judul", "body": "Isi.", "embargo_until": "2026-12-04T10:00:00+07:00"}
    )
    assert errors == [] and submission is not None
    assert submission.embargo_until == datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    _, errors = check_article({"title": "Judul", "body": "Isi.", "status": "scheduled"})
    assert [e.field for e in errors] == ["status"]  # scheduled is what Kabar makes of a time ahead


def test_a_release_message_round_trips_and_a_broken_one_is_refused() -> None:
    due = Release("banjir-garut", 3, datetime(2026, 12, 4, 10, 0, tzinfo=WIB))
    read = parse_release(due.body())
    assert read == Release("banjir-garut", 3, datetime(2026, 12, 4, 3, 0, tzinfo=UTC))
    assert json.loads(due.body())["release"]["at"] == "2026-12-04T03:00:00+00:00"
    assert parse_release('{"Records": []}') is None  # an S3 notification
    assert parse_release("not json") is None
    with pytest.raises(ValueError, match="slug, version and at"):
        parse_release('{"release": {"slug": "a"}}')


def test_schedule_names_fit_schedulers_limit_and_stay_apart() -> None:
    short, long = "banjir-garut", "a" * 70 + "-satu"
    assert schedule_name(short) == short
    assert len(schedule_name(long)) == NAME_LENGTH and schedule_name(long) != schedule_name(long + "x")
    assert at_expression(datetime(2026, 12, 4, 10, 0, 30, tzinfo=WIB)) == "at(2026-12-04T03:00:30)"


class Current:
    def __init__(self, *found: Article) -> None:
        self.found = {a.slug: a for a in found}

    def get(self, slug: str) -> Article | None:
        return self.found.get(slug)


class Writes:
    """What a release or cancel would store (the table's ReleaseStore on moto is tested apart)."""

    def __init__(self, stale: bool = False) -> None:
        self.stale, self.released, self.cancelled = stale, [], []  # type: ignore[var-annotated]

    def release(self, scheduled: Article, released: Article, now: datetime) -> None:
        if self.stale:
            raise Stale(scheduled.slug)
        self.released.append((scheduled.version, released))

    def cancel(self, scheduled: Article, draft: Article, by: str) -> None:
        if self.stale:
            raise Stale(scheduled.slug)
        self.cancelled.append((scheduled.version, draft, by))


def scheduled(at: datetime, version: int = 2) -> Article:
    return article("banjir-garut", version=version, status="scheduled", published_at=at, release_at=at,
                   updated_at=at - timedelta(hours=1))  # fmt: skip


def test_a_release_publishes_the_next_version_keeping_the_scheduled_time_even_when_late() -> None:
    due = NOW - timedelta(hours=2)  # two hours late (an outage)
    writes, waited = Writes(), []
    outcome = releases.release(Release("banjir-garut", 2, due), articles=Current(scheduled(due)),
                               writes=writes, wait=lambda r, s: waited.append(s), now=NOW)  # fmt: skip
    assert outcome == "released" and waited == []
    ((from_version, released),) = writes.released
    assert (from_version, released.version, released.status) == (2, 3, "published")
    assert released.published_at == due and released.updated_at == NOW


def test_an_outdated_or_raced_release_changes_nothing() -> None:
    due = NOW - timedelta(minutes=1)
    for current in (scheduled(due, version=3), scheduled(due).replace(status="published"),
                    scheduled(due).replace(status="draft")):  # fmt: skip
        writes = Writes()
        outcome = releases.release(Release("banjir-garut", 2, due), articles=Current(current), writes=writes,
                                   wait=lambda r, s: None, now=NOW)  # fmt: skip
        assert outcome == "outdated" and writes.released == []
    gone = releases.release(Release("gone", 1, due), articles=Current(), writes=Writes(),
                            wait=lambda r, s: None, now=NOW)  # fmt: skip
    raced = releases.release(Release("banjir-garut", 2, due), articles=Current(scheduled(due)),
                             writes=Writes(stale=True), wait=lambda r, s: None, now=NOW)  # fmt: skip
    assert gone == raced == "outdated"


def test_an_early_release_waits_until_its_time_at_most_fifteen_minutes_at_a_time() -> None:
    waited: list[tuple[int, int]] = []
    for ahead in (timedelta(seconds=41.2), timedelta(hours=2)):
        writes = Writes()
        outcome = releases.release(Release("banjir-garut", 2, NOW + ahead),
                                   articles=Current(scheduled(NOW + ahead)), writes=writes,
                                   wait=lambda r, s: waited.append((r.version, s)), now=NOW)  # fmt: skip
        assert outcome == "early" and writes.released == []
    assert waited == [(2, 42), (2, 900)]


class Deletes:
    def __init__(self, fails: bool = False) -> None:
        self.fails, self.deleted = fails, []  # type: ignore[var-annotated]

    def delete(self, slug: str) -> bool:
        if self.fails:
            raise RuntimeError("Scheduler is down")
        self.deleted.append(slug)
        return True


def test_a_cancel_keeps_the_article_as_a_draft_and_deletes_its_schedule() -> None:
    writes, schedules = Writes(), Deletes()
    draft = releases.cancel("banjir-garut", "editor1", articles=Current(scheduled(NOW + timedelta(hours=1))),
                            writes=writes, schedules=schedules, now=NOW)  # fmt: skip
    assert (draft.version, draft.status, draft.release_at, draft.updated_at) == (3, "draft", None, NOW)
    assert writes.cancelled == [(2, draft, "editor1")] and schedules.deleted == ["banjir-garut"]
    # A schedule that cannot be deleted is left to fire: it finds a draft and changes nothing.
    assert releases.cancel("banjir-garut", "editor1", articles=Current(scheduled(NOW)), writes=Writes(),
                           schedules=Deletes(fails=True), now=NOW).status == "draft"  # fmt: skip


def test_only_a_scheduled_article_can_be_cancelled() -> None:
    with pytest.raises(NotFound):
        releases.cancel("gone", "editor1", articles=Current(), writes=Writes(), schedules=Deletes())
    with pytest.raises(Conflict, match="not scheduled"):
        releases.cancel("banjir-garut", "e", articles=Current(scheduled(NOW).replace(status="published")),
                        writes=Writes(), schedules=Deletes())  # fmt: skip
    with pytest.raises(Conflict, match="changed meanwhile"):
        releases.cancel("banjir-garut", "e", articles=Current(scheduled(NOW)), writes=Writes(stale=True),
                        schedules=Deletes())  # fmt: skip


def test_editors_see_the_time_in_the_sites_zone_and_utc_and_what_is_overdue() -> None:
    from kabar.table.releases import ScheduledArticle

    passed = NOW - timedelta(minutes=6)
    entry = ScheduledArticle(slug="a", title="A", version=1, upload_id="u", release_at=passed,
                             published_at=NOW - timedelta(days=1), embargo_until=passed)  # fmt: skip
    view = scheduled_view(entry, timedelta(hours=8), NOW)
    assert (
        view["release_at"] == "2026-12-04T01:54:00Z"
        and view["release_at_local"] == "2026-12-04T09:54:00+08:00"
    )
    assert (view["zone"], view["kind"], view["overdue"]) == ("WITA", "embargoed", True)
    assert (
        scheduled_view(entry.replace(embargo_until=None), timedelta(hours=7), NOW - timedelta(minutes=7))[
            "overdue"
        ]
        is False
    )
    assert zone_name(timedelta(hours=9)) == "WIT" and zone_name(timedelta(hours=-3)) == "UTC-03:00"
