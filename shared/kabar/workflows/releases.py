"""Scheduled publishing: when an article goes public, its release when that time comes, and an
editor's cancellation.

An article asked to be published (``status: published``, the default) whose ``published_at`` or
``embargo_until`` is still ahead is stored ``scheduled``: a version like any other, in no public
list, with its time (``release_at``, the later of the two). Its schedule (kabar.releases) sends
the release at that time; the release stores the next version, ``published``, as an upload at
that moment would (``updated_at`` then, ``published_at`` as scheduled even when the release comes
late), and everything downstream reacts to that version. A release names the version it was
scheduled as: one for a version that is no longer current, or no longer scheduled, changes
nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Protocol

from kabar.errors import Conflict, NotFound, Stale
from kabar.models import Article, FieldError
from kabar.observability import logger, metric
from kabar.releases import Release

MAX_AHEAD = timedelta(days=366)  # farther ahead is taken for a mistyped year
MAX_DELAY = 900  # SQS's longest message delay: a release that comes early waits at most this long
LATE = timedelta(minutes=5)  # a release this late is logged as a warning (and listed as overdue)
ZONES = {timedelta(hours=7): "WIB", timedelta(hours=8): "WITA", timedelta(hours=9): "WIT"}


class CurrentArticles(Protocol):
    def get(self, slug: str) -> Article | None: ...


class ReleaseWrites(Protocol):
    def release(self, scheduled: Article, released: Article, now: datetime) -> None: ...
    def cancel(self, scheduled: Article, draft: Article, by: str) -> None: ...


class ScheduleDeletes(Protocol):
    def delete(self, slug: str) -> bool: ...


class ReleaseSchedules(ScheduleDeletes, Protocol):
    def put(self, release: Release) -> None: ...


def release_time(
    published_at: datetime | None, embargo_until: datetime | None, now: datetime
) -> tuple[datetime, datetime] | None:
    """When an article asked to be published goes public, and that time as given (with its
    offset), if that is still ahead (the later of ``published_at`` and ``embargo_until``);
    None when it goes public now."""
    given = [moment for moment in (published_at, embargo_until) if moment is not None]
    if not given:
        return None
    latest = max(given)
    return (latest.astimezone(UTC), latest) if latest > now else None


def too_far_ahead(
    published_at: datetime | None, embargo_until: datetime | None, now: datetime
) -> list[FieldError]:
    """A reason for each time more than a year ahead (a year mistyped, most likely)."""
    return [
        FieldError(field=name, message=f"is more than a year ahead ({moment.isoformat()}): check the year")
        for name, moment in (("published_at", published_at), ("embargo_until", embargo_until))
        if moment is not None and moment - now > MAX_AHEAD
    ]


def release(
    due: Release,
    *,
    articles: CurrentArticles,
    writes: ReleaseWrites,
    wait: Callable[[Release, int], None],
    now: datetime | None = None,
) -> str:
    """Release the scheduled version a schedule names: ``released``; ``outdated`` when that
    version is no longer current and scheduled (nothing written); ``early`` when it came before
    its time (sent back with ``wait(release, seconds)``, to come again then)."""
    now = now or datetime.now(UTC)
    current = articles.get(due.slug)
    if current is None or current.status != "scheduled" or current.version != due.version:
        logger.info("release outdated: nothing to do", extra={
            "slug": due.slug, "version": due.version, "current_version": current and current.version,
            "status": current and current.status})  # fmt: skip
        metric("ReleasesOutdated")
        return "outdated"
    release_at = current.release_at or current.published_at
    if release_at > now:
        wait(due, min(MAX_DELAY, math.ceil((release_at - now).total_seconds())))
        logger.info("release early: waits", extra={"slug": due.slug, "release_at": release_at.isoformat()})
        return "early"
    released = current.replace(version=current.version + 1, status="published", updated_at=now)
    try:
        writes.release(current, released, now)
    except Stale:
        logger.info("release outdated: changed meanwhile", extra={"slug": due.slug, "version": due.version})
        metric("ReleasesOutdated")
        return "outdated"
    late = now - release_at
    (logger.warning if late > LATE else logger.info)("scheduled article released", extra={
        "slug": due.slug, "version": released.version, "release_at": release_at.isoformat(),
        "late_seconds": round(late.total_seconds())})  # fmt: skip
    metric("ArticlesReleased")
    return "released"


def cancel(
    slug: str,
    by: str,
    *,
    articles: CurrentArticles,
    writes: ReleaseWrites,
    schedules: ScheduleDeletes,
    now: datetime | None = None,
) -> Article:
    """Cancel an article's schedule (an editor's ``DELETE /scheduled/{slug}``): the scheduled
    version is kept as the next version, a draft, and its schedule deleted. NotFound without
    such an article, Conflict when it is not scheduled."""
    now = now or datetime.now(UTC)
    current = articles.get(slug)
    if current is None:
        raise NotFound(f"no article {slug!r}")
    if current.status != "scheduled":
        raise Conflict(f"article {slug!r} is not scheduled (it is {current.status})")
    draft = current.replace(version=current.version + 1, status="draft", updated_at=now, release_at=None)
    try:
        writes.cancel(current, draft, by)
    except Stale:
        raise Conflict(f"article {slug!r} changed meanwhile: read it again") from None
    try:
        schedules.delete(slug)
    except Exception:  # the schedule fires later, finds the version gone and changes nothing
        logger.exception("schedule of a cancelled article not deleted", extra={"slug": slug})
    logger.info("schedule cancelled", extra={"slug": slug, "version": draft.version, "by": by})
    metric("SchedulesCancelled")
    return draft


def site_time(moment: datetime, offset: timedelta) -> str:
    """A moment in the site's time, ISO 8601 with its offset (``2026-12-04T10:00:00+07:00``)."""
    return moment.astimezone(timezone(offset)).isoformat()


def zone_name(offset: timedelta) -> str:
    """Indonesia's name for a UTC offset (WIB, WITA, WIT), or the offset itself."""
    if offset in ZONES:
        return ZONES[offset]
    total = int(offset.total_seconds()) // 60
    return f"UTC{'+' if total >= 0 else '-'}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def scheduled_view(entry: Any, offset: timedelta, now: datetime) -> dict[str, Any]:
    """One scheduled article as editors see it: its times in UTC and the site's zone, and whether
    its release is overdue (its time passed and it is still scheduled: a schedule that failed)."""
    release_at: datetime = entry.release_at
    return {
        "slug": entry.slug, "title": entry.title, "version": entry.version, "upload_id": entry.upload_id,
        "kind": "embargoed" if entry.embargo_until is not None and entry.embargo_until >= release_at
        else "scheduled",
        "release_at": _utc(release_at),
        "release_at_local": site_time(release_at, offset), "zone": zone_name(offset),
        "published_at": _utc(entry.published_at),
        "embargo_until": _utc(entry.embargo_until) if entry.embargo_until else None,
        "overdue": now - release_at > LATE,
    }  # fmt: skip


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
