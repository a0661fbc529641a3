"""Scheduled publishing through the real template on moto: PublishFunction makes each scheduled
article's one-time schedule on moto's EventBridge Scheduler; the schedule is fired as the local
stack fires it (kabar_infra.local.schedules) or its release sent again as Scheduler's duplicate,
late or outdated deliveries would be; the documents and items are checked after each."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from kabar.releases import Release, parse_release
from kabar.table import keys
from kabar_infra.local.schedules import LocalScheduler
from tests.support.app import App, article_file

WIB = timezone(timedelta(hours=7))
LEAD = 6  # seconds ahead: long enough for the upload to be processed before its time
SLUG = "banjir-susulan-terjang-garut-selatan"
OTHER = "banjir-bandang-landa-garut-selatan"
TEXT = (
    "Banjir bandang kembali melanda Garut selatan setelah hujan deras semalaman. Sungai Cikaso meluap "
    "dan merendam ratusan rumah warga di Kecamatan Pameungpeuk. BPBD Garut mengerahkan perahu karet "
    "untuk mengevakuasi warga, sementara posko pengungsian didirikan di balai desa.\n"
)


def story(title: str, **fields: Any) -> bytes:
    return article_file(
        title=title, category="Berita Daerah", tags=["Garut", "Banjir Bandang"], body=TEXT, **fields
    )


def ahead(seconds: float) -> datetime:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).replace(microsecond=0)


def wib(moment: datetime) -> str:
    return moment.astimezone(WIB).isoformat()


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def text(app: App, key: str) -> str:
    try:
        return str(app.s3.get_object(Bucket=app.site_bucket, Key=key)["Body"].read().decode())
    except app.s3.exceptions.NoSuchKey:
        return ""


def where(app: App, slug: str) -> set[str]:
    """Every public place that names the article: its document, lists, feeds, sitemaps, and the
    related list of the other article."""
    documents = {
        "article": f"v1/articles/{slug}.json",
        "latest": "v1/latest.json",
        "tag": "v1/tags/garut.json",
        "category": "v1/categories/berita-daerah.json",
        "feed": "v1/feed.xml",
        "json feed": "v1/feed.json",
        "tag feed": "v1/tags/garut/feed.xml",
        "category feed": "v1/categories/berita-daerah/feed.xml",
        "news sitemap": "news-sitemap.xml",
        "related of the other": f"v1/articles/{OTHER}.json",
    }
    found = {
        name
        for name, key in documents.items()
        if f"/{slug}" in text(app, key) or f'"{slug}"' in text(app, key)
    }
    sitemaps = [key for key in app.site_keys() if key.startswith("sitemap-")]
    if any(slug in text(app, key) for key in sitemaps):
        found.add("sitemap")
    return found


EVERYWHERE = {
    "article",
    "latest",
    "tag",
    "category",
    "feed",
    "json feed",
    "tag feed",
    "category feed",
    "news sitemap",
    "related of the other",
    "sitemap",
}


def schedule(app: App, slug: str) -> dict[str, Any] | None:
    client = app.session.client("scheduler")
    try:
        return dict(client.get_schedule(Name=slug, GroupName=app.stack.ref("ReleaseScheduleGroup")))
    except client.exceptions.ResourceNotFoundException:
        return None


def deliver(app: App, body: str) -> None:
    """A release as Scheduler delivers it (again): to the schedule's target, PublishQueue."""
    app.session.client("sqs").send_message(QueueUrl=app.stack.ref("PublishQueue"), MessageBody=body)
    app.router.drain()


def versions(app: App, slug: str) -> list[tuple[str, int, str]]:
    """The article's current item and history entries: (kind, version, status), in key order."""
    found = []
    for item in app.table_items():
        key = keys.parse(item["pk"]["S"], item["sk"]["S"])
        if key.name == slug and key.kind in ("article", "version"):
            found.append((key.kind, int(item["version"]["N"]), item["status"]["S"]))
    return found


def sleep_until(moment: datetime) -> None:
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()))


def test_nothing_is_public_until_the_release_and_then_everything_is_once(app: App) -> None:
    app.upload("b.md", story("Banjir Bandang Landa Garut Selatan"))
    due = ahead(LEAD)
    upload_id = app.upload("a.md", story("Banjir Susulan Terjang Garut Selatan", published_at=wib(due)))
    status = app.status(upload_id)
    assert (status["state"], status["article"]["status"], status["article"]["version"]) == (
        "scheduled",
        "scheduled",
        1,
    )
    assert status["release_at"] == utc(due) and status["release_at_given"] == wib(due)
    assert where(app, SLUG) == set()
    made = schedule(app, SLUG)
    assert made is not None and made["ScheduleExpression"] == f"at({due:%Y-%m-%dT%H:%M:%S})"
    target, env = made["Target"], app.environments["PublishFunction"]
    assert target["Arn"] == app.stack.attributes["PublishQueue"]["Arn"] == env["RELEASE_TARGET_ARN"]
    assert target["DeadLetterConfig"]["Arn"] == app.stack.attributes["ReleaseDeadLetterQueue"]["Arn"]
    assert target["RetryPolicy"] == {
        "MaximumRetryAttempts": int(env["RELEASE_RETRY_ATTEMPTS"]),
        "MaximumEventAgeInSeconds": int(env["RELEASE_MAX_EVENT_AGE"]),
    }
    assert made["ActionAfterCompletion"] == "DELETE"
    assert parse_release(target["Input"]) == Release(SLUG, 1, due)
    code, page = app.api("GET", "/scheduled")
    assert code == 200 and [
        (e["slug"], e["kind"], e["zone"], e["release_at_local"], e["overdue"]) for e in page["articles"]
    ] == [(SLUG, "scheduled", "WIB", wib(due), False)]

    # Scheduler fires within the minute, so perhaps early; and it may deliver twice.
    assert LocalScheduler(app.template, app.stack, app.session).fire(SLUG) == [SLUG]
    app.router.drain()
    assert schedule(app, SLUG) is None  # fired: deleted, as its ActionAfterCompletion says
    deliver(app, target["Input"])
    assert where(app, SLUG) == set() and versions(app, SLUG) == [
        ("article", 1, "scheduled"),
        ("version", 1, "scheduled"),
    ]
    sleep_until(due + timedelta(seconds=1))
    app.router.drain()  # both early releases, come back at their time: one publishes, one finds it done
    assert where(app, SLUG) == EVERYWHERE
    assert versions(app, SLUG) == [
        ("article", 2, "published"),
        ("version", 1, "scheduled"),
        ("version", 2, "published"),
    ]
    document = app.document(f"v1/articles/{SLUG}.json")
    assert document is not None and datetime.fromisoformat(document["published_at"]) == due
    assert OTHER in [entry["slug"] for entry in document["related"]]
    status = app.status(upload_id)
    assert (status["state"], status["article"]["version"], status["article"]["status"]) == (
        "published",
        2,
        "published",
    )
    assert status["released_at"] is not None and status["live"] is True
    assert app.api("GET", "/scheduled")[1]["articles"] == []

    before, documents = app.table_items(), {key: text(app, key) for key in app.site_keys()}
    deliver(app, target["Input"])  # a late duplicate
    assert app.table_items() == before and {key: text(app, key) for key in app.site_keys()} == documents


def test_an_edit_reschedules_and_the_first_time_brings_nothing(app: App) -> None:
    first = app.upload("a.md", story("Banjir Susulan Terjang Garut Selatan", published_at=wib(ahead(LEAD))))
    first_release = (schedule(app, SLUG) or {})["Target"]["Input"]
    later = ahead(3600)
    second = app.upload(
        "a.md",
        story("Banjir Susulan Terjang Garut Selatan", slug=SLUG, published_at=wib(later), lead="Diperbarui."),
    )
    assert app.status(first)["state"] == "superseded" and app.status(first)["superseded_by"] == second
    assert app.status(second)["state"] == "scheduled"
    assert parse_release((schedule(app, SLUG) or {})["Target"]["Input"]) == Release(SLUG, 2, later)
    before = app.table_items()
    deliver(app, first_release)  # the first version's time comes (its schedule fired before the edit)
    assert app.table_items() == before and where(app, SLUG) == set()

    # Its time brought to the past: published at once, and its schedule gone.
    third = app.upload(
        "a.md", story("Banjir Susulan Terjang Garut Selatan", slug=SLUG, published_at=wib(ahead(-600)))
    )
    assert app.status(third)["state"] == "published" and app.status(second)["state"] == "superseded"
    assert schedule(app, SLUG) is None
    assert {"article", "latest", "feed", "news sitemap", "sitemap"} <= where(app, SLUG)


def test_a_draft_or_an_editors_cancel_stops_the_schedule_and_keeps_the_article(app: App) -> None:
    first = app.upload("a.md", story("Banjir Susulan Terjang Garut Selatan", published_at=wib(ahead(3600))))
    release = (schedule(app, SLUG) or {})["Target"]["Input"]
    app.upload(
        "a.md",
        story(
            "Banjir Susulan Terjang Garut Selatan", slug=SLUG, status="draft", published_at=wib(ahead(3600))
        ),
    )
    assert schedule(app, SLUG) is None and app.status(first)["state"] == "superseded"
    deliver(app, release)
    assert where(app, SLUG) == set() and versions(app, SLUG)[0] == ("article", 2, "draft")

    other = "hujan-deras-guyur-garut"
    upload_id = app.upload(
        "c.md", article_file(title="Hujan Deras Guyur Garut", published_at=wib(ahead(3600)))
    )
    release = (schedule(app, other) or {})["Target"]["Input"]
    code, cancelled = app.api("DELETE", f"/scheduled/{other}")
    assert code == 200 and cancelled == {
        "slug": other,
        "version": 2,
        "status": "draft",
        "cancelled_by": "editor1",
    }
    assert schedule(app, other) is None and app.api("GET", "/scheduled")[1]["articles"] == []
    status = app.status(upload_id)
    assert (status["state"], status["superseded_by"], status["article"]["status"]) == (
        "cancelled",
        "editor1",
        "draft",
    )
    assert app.api("DELETE", f"/scheduled/{other}")[0] == 409
    assert app.api("DELETE", "/scheduled/tidak-ada")[0] == 404
    assert app.api("GET", "/scheduled", groups="moderators")[0] == 403
    deliver(app, release)
    assert where(app, other) == set() and versions(app, other)[0] == ("article", 2, "draft")


def test_a_late_release_keeps_its_time_and_an_embargo_keeps_the_byline(app: App) -> None:
    due, byline = ahead(LEAD), ahead(-86400)
    app.upload("a.md", story("Banjir Susulan Terjang Garut Selatan", published_at=wib(due)))
    embargoed = "laporan-bpbd-garut"
    app.upload(
        "e.md", article_file(title="Laporan BPBD Garut", published_at=wib(byline), embargo_until=wib(due))
    )
    page = app.api("GET", "/scheduled")[1]["articles"]
    assert [(e["slug"], e["kind"]) for e in page] == sorted([(SLUG, "scheduled"), (embargoed, "embargoed")])
    assert {e["published_at"] for e in page if e["slug"] == embargoed} == {utc(byline)}
    sleep_until(due + timedelta(seconds=2))  # both a little late (an outage would make it hours)
    scheduler = LocalScheduler(app.template, app.stack, app.session)
    assert set(scheduler.tick()) == {SLUG, embargoed, "kabar-local-sitemapsschedule"}  # (that: at start)
    app.router.drain()
    released = app.document(f"v1/articles/{SLUG}.json")
    held = app.document(f"v1/articles/{embargoed}.json")
    assert released is not None and held is not None
    assert datetime.fromisoformat(released["published_at"]) == due  # as scheduled, not when released
    assert datetime.fromisoformat(released["updated_at"]) > datetime.fromisoformat(released["published_at"])
    assert datetime.fromisoformat(held["published_at"]) == byline
    latest = app.document("v1/latest.json")
    assert latest is not None and [a["slug"] for a in latest["articles"]] == [SLUG, embargoed]


def test_a_release_scheduler_cannot_deliver_is_set_aside_listed_and_replayed(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    from kabar_infra.cli import scheduled

    due = ahead(LEAD)
    app.upload("a.md", story("Banjir Susulan Terjang Garut Selatan", published_at=wib(due)))
    client, group = app.session.client("scheduler"), app.stack.ref("ReleaseScheduleGroup")
    made = client.get_schedule(Name=SLUG, GroupName=group)
    # Its target refuses it (a queue that is not there), and no retries are left.
    broken = {
        **made["Target"],
        "Arn": made["Target"]["Arn"] + "-gone",
        "RetryPolicy": {"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 60},
    }
    client.update_schedule(
        Name=SLUG,
        GroupName=group,
        ScheduleExpression=made["ScheduleExpression"],
        FlexibleTimeWindow={"Mode": "OFF"},
        Target=broken,
        State="ENABLED",
        ActionAfterCompletion="DELETE",
    )
    assert LocalScheduler(app.template, app.stack, app.session).fire(SLUG) == [SLUG]
    app.router.drain()
    assert where(app, SLUG) == set()

    args = type("Args", (), {"json": False, "replay": False})()
    assert scheduled.run_failed(args, app.ops_target()) == 0
    listed = capsys.readouterr().out
    assert "releases (ReleaseDeadLetterQueue): 1 messages" in listed
    assert f"release of {SLUG} version 1" in listed and "AWS.SimpleQueueService.NonExistentQueue" in listed
    assert "still waits for this release (replay it)" in listed
    sleep_until(due + timedelta(seconds=1))
    args.replay = True
    assert scheduled.run_failed(args, app.ops_target()) == 0
    assert "moved 1 messages to PublishQueue" in capsys.readouterr().out
    app.router.drain()
    assert where(app, SLUG) >= {"article", "latest", "feed", "news sitemap"}
