"""Configuration read from the environment once per cold start.

Handlers call :func:`get_settings`; logic receives values, never reads the
environment itself. Nothing here runs at import time, so tests can set the
environment before the first call and clear the cache between tests.

A plain dataclass, not a pydantic model: every function reads its settings on its
first invocation, and building a pydantic validator for some thirty constrained
fields cost each cold start more than all of Kabar's own code in most functions
(docs/benchmarks.md, "Cold start"). The rules are few (a number within bounds, one
of a few words), and a bad value is refused naming the variable and what it
should be, every bad variable at once.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kabar.urls import SiteUrls


def _setting(env: str, default: Any, low: float | None = None, high: float | None = None,
             choices: tuple[str, ...] = ()) -> Any:  # fmt: skip
    """A setting read from the environment variable ``env``: its default, and its rule."""
    return field(default=default, metadata={"env": env, "low": low, "high": high, "choices": choices})


class SettingsError(ValueError):
    """One or more environment variables hold a value Kabar cannot use (each one named)."""


@dataclass(frozen=True)
class Settings:
    """Every setting a Kabar function reads, with its environment variable name."""

    table_name: str = _setting("TABLE_NAME", "")
    incoming_bucket: str = _setting("INCOMING_BUCKET", "")
    site_bucket: str = _setting("SITE_BUCKET", "")
    distribution_id: str = _setting("DISTRIBUTION_ID", "")
    invalidation_queue_url: str = _setting("INVALIDATION_QUEUE_URL", "")
    # The stage queues DispatchFunction sends the table's changes to (kabar.dispatch).
    tagging_queue_url: str = _setting("TAGGING_QUEUE_URL", "")
    related_queue_url: str = _setting("RELATED_QUEUE_URL", "")
    render_queue_url: str = _setting("RENDER_QUEUE_URL", "")
    announce_queue_url: str = _setting("ANNOUNCE_QUEUE_URL", "")
    # Webhooks (kabar.workflows.webhooks): their deliveries' queue, the master secret their
    # secrets derive from, the seconds before each retry (then the delivery is dead), a try's
    # timeout, the dead deliveries in a row that turn a subscription off, and whether
    # http://127.0.0.1 targets are allowed (the local stack only).
    webhook_queue_url: str = _setting("WEBHOOK_QUEUE_URL", "")
    webhook_secret_arn: str = _setting("WEBHOOK_SECRET_ARN", "")
    webhook_retry_seconds: str = _setting("WEBHOOK_RETRY_SECONDS", "5,300,1800,7200,18000,36000")
    webhook_timeout: float = _setting("WEBHOOK_TIMEOUT", 5.0, low=1, high=15)
    webhook_disable_after: int = _setting("WEBHOOK_DISABLE_AFTER", 5, low=1, high=100)
    webhook_allow_local: str = _setting("WEBHOOK_ALLOW_LOCAL", "false", choices=("false", "true"))
    # Auto-posting (kabar.social): the Facebook Page and Telegram channel (empty: none), their
    # APIs' base URLs, the secret holding their tokens, and the post's text.
    facebook_page_id: str = _setting("FACEBOOK_PAGE_ID", "")
    facebook_graph_url: str = _setting("FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v21.0")
    telegram_chat_id: str = _setting("TELEGRAM_CHAT_ID", "")
    telegram_api_url: str = _setting("TELEGRAM_API_URL", "https://api.telegram.org")
    social_secret_arn: str = _setting("SOCIAL_SECRET_ARN", "")
    social_message: str = _setting("SOCIAL_MESSAGE", "{title}\\n\\n{lead}")
    cdn_url: str = _setting("CDN_URL", "")
    site_name: str = _setting("SITE_NAME", "Kabar")
    site_language: str = _setting("SITE_LANGUAGE", "id")
    # The site's public addresses (kabar.urls): its pages' base URL (empty: the CDN's), the
    # patterns of its article, category, tag and author pages, its logo, and its clock.
    site_url: str = _setting("SITE_URL", "")
    article_url_pattern: str = _setting("ARTICLE_URL_PATTERN", "/{yyyy}/{mm}/{dd}/{slug}/")
    category_url_pattern: str = _setting("CATEGORY_URL_PATTERN", "/category/{category}/")
    tag_url_pattern: str = _setting("TAG_URL_PATTERN", "/tag/{tag}/")
    author_url_pattern: str = _setting("AUTHOR_URL_PATTERN", "/author/{author}/")
    site_logo_url: str = _setting("SITE_LOGO_URL", "")
    site_utc_offset: str = _setting("SITE_UTC_OFFSET", "+07:00")
    # "true": each feed entry carries the article's whole body HTML (RSS content:encoded, JSON
    # Feed content_html), not only its lead.
    feed_full_text: str = _setting("FEED_FULL_TEXT", "false", choices=("false", "true"))
    editors_group: str = _setting("EDITORS_GROUP", "editors")
    moderators_group: str = _setting("MODERATORS_GROUP", "moderators")
    admins_group: str = _setting("ADMINS_GROUP", "admins")
    # Articles in each list document: the newest page (latest.json, a tag's page) and older pages.
    page_size: int = _setting("PAGE_SIZE", 50, low=2, high=100)
    tags_listed: int = _setting("TAGS_LISTED", 200, low=1, high=1000)
    upload_max_bytes: int = _setting("UPLOAD_MAX_BYTES", 1_048_576, low=1)
    upload_expires_seconds: int = _setting("UPLOAD_EXPIRES_SECONDS", 300, low=30)
    # Photos (kabar.workflows.images): the largest file taken, the widths made, and how long an
    # article waits for the images uploaded with it before it is rejected naming them.
    image_max_bytes: int = _setting("IMAGE_MAX_BYTES", 20_971_520, low=1)
    image_widths: str = _setting("IMAGE_WIDTHS", "320,640,960,1280,1920")
    image_wait_seconds: int = _setting("IMAGE_WAIT_SECONDS", 600, low=10, high=86_400)
    publish_queue_url: str = _setting("PUBLISH_QUEUE_URL", "")
    # Scheduled articles (kabar.releases): the EventBridge Scheduler group their one-time
    # schedules go in, what a schedule sends (PublishQueue's ARN, as the role it assumes), where
    # an undeliverable release goes, and how long Scheduler keeps retrying one.
    release_group: str = _setting("RELEASE_SCHEDULE_GROUP", "")
    release_target_arn: str = _setting("RELEASE_TARGET_ARN", "")
    release_role_arn: str = _setting("RELEASE_ROLE_ARN", "")
    release_dead_letter_arn: str = _setting("RELEASE_DEAD_LETTER_ARN", "")
    release_retry_attempts: int = _setting("RELEASE_RETRY_ATTEMPTS", 185, low=0, high=185)
    release_max_event_age: int = _setting("RELEASE_MAX_EVENT_AGE", 86_400, low=60, high=86_400)
    images_queue_url: str = _setting("IMAGES_QUEUE_URL", "")  # a rebuild's next steps
    max_tags: int = _setting("MAX_TAGS", 8, low=1, high=30)
    # "publish": suggestions outside the vocabulary are public at once; "review": they wait.
    suggested_tags: str = _setting("SUGGESTED_TAGS", "publish", choices=("publish", "review"))
    related_count: int = _setting("RELATED_COUNT", 5, low=0, high=20)
    related_min_score: float = _setting("RELATED_MIN_SCORE", 0.06, low=0, high=2)  # kabar.text.relatedness
    # Automatic inline "read also" links when the editor gives none (0: none).
    read_also_auto: int = _setting("READ_ALSO_AUTO", 2, low=0, high=10)
    comment_secret_arn: str = _setting("COMMENT_SECRET_ARN", "")
    comments_close_days: int = _setting("COMMENTS_CLOSE_DAYS", 0, low=0)  # 0: never
    comment_max_depth: int = _setting("COMMENT_MAX_DEPTH", 3, low=0, high=10)
    comment_flood_seconds: int = _setting("COMMENT_FLOOD_SECONDS", 15, low=0)
    comment_network_limit: int = _setting("COMMENT_NETWORK_LIMIT", 6, low=1)  # comments a minute, one network
    comment_purge_days: int = _setting("COMMENT_PURGE_DAYS", 30, low=1)  # spam and trash, then deleted
    # Comma-separated words and phrases; empty: the defaults in kabar.text.comment_rules.
    comment_disallowed: str = _setting("COMMENT_DISALLOWED_WORDS", "")
    comment_moderation: str = _setting("COMMENT_MODERATION_WORDS", "")
    # Origins (comma-separated) whose pages may post comments from a browser; "*": any site.
    comment_origins: str = _setting("COMMENT_ORIGINS", "*")

    @property
    def urls(self) -> SiteUrls:
        """The site's addresses (the patterns checked when the settings are read)."""
        from kabar.urls import SiteUrls, utc_offset

        return SiteUrls(
            base=self.site_url or self.cdn_url, article_pattern=self.article_url_pattern,
            category_pattern=self.category_url_pattern, tag_pattern=self.tag_url_pattern,
            author_pattern=self.author_url_pattern, offset=utc_offset(self.site_utc_offset),
        )  # fmt: skip

    @property
    def widths(self) -> tuple[int, ...]:
        """The image widths setting as numbers (checked when the settings are read)."""
        return _widths(self.image_widths)

    def stage_queue(self, stage: str) -> str:
        """The queue URL of a stage (``tagging``, ``related``, ``render``)."""
        url = str(getattr(self, f"{stage}_queue_url", ""))
        if not url:
            raise ValueError(f"no queue for the {stage} stage: {stage.upper()}_QUEUE_URL is not set")
        return url

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """The settings ``environ`` gives (a variable not set: its default); SettingsError naming
        every variable whose value is not usable."""
        values: dict[str, Any] = {}
        problems = []
        for spec in fields(cls):
            rule, raw = spec.metadata, environ.get(spec.metadata["env"])
            if raw is None:
                continue
            try:
                values[spec.name] = _read(raw, spec.default, rule)
            except ValueError as exc:
                problems.append(f"{rule['env']}={raw!r}: {exc}")
        try:
            _widths(values.get("image_widths", cls.image_widths))
        except ValueError as exc:
            problems.append(f"IMAGE_WIDTHS={environ.get('IMAGE_WIDTHS')!r}: {exc}")
        problems += _site_problems(environ)
        if problems:
            raise SettingsError("invalid settings: " + "; ".join(problems))
        return cls(**values)


def _read(raw: str, default: Any, rule: Mapping[str, Any]) -> Any:
    """``raw`` as the type of the setting's default, within its rule."""
    if isinstance(default, str):
        if rule["choices"] and raw not in rule["choices"]:
            raise ValueError("must be one of " + ", ".join(repr(choice) for choice in rule["choices"]))
        return raw
    kind = "a whole number" if isinstance(default, int) else "a number"
    try:
        value = int(raw) if isinstance(default, int) else float(raw)
    except ValueError:
        raise ValueError(f"must be {kind}") from None
    low, high = rule["low"], rule["high"]
    if math.isnan(value) or (low is not None and value < low) or (high is not None and value > high):
        bounds = [
            f"at least {low:g}" if low is not None else "",
            f"at most {high:g}" if high is not None else "",
        ]
        raise ValueError(f"must be {kind} " + " and ".join(b for b in bounds if b))
    return value


def _widths(raw: str) -> tuple[int, ...]:
    """ "320,640" as (320, 640): one to ten widths, each 16 to 4096 pixels."""
    try:
        found = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}))
    except ValueError:
        raise ValueError("must be comma-separated whole numbers, e.g. 320,640,1280") from None
    if not 1 <= len(found) <= 10 or not all(16 <= width <= 4096 for width in found):
        raise ValueError("must be one to ten widths, each 16 to 4096 pixels")
    return found


def _site_problems(environ: Mapping[str, str]) -> list[str]:
    """What is wrong with the site's address settings that are set."""
    from kabar.urls import pattern_problem, utc_offset

    problems = []
    for kind in ("article", "category", "tag", "author"):
        name = f"{kind.upper()}_URL_PATTERN"
        if name in environ and (problem := pattern_problem(kind, environ[name])):
            problems.append(f"{name}={environ[name]!r}: {problem}")
    for name in ("SITE_URL", "SITE_LOGO_URL"):
        value = environ.get(name, "")
        if value and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", value):
            problems.append(f"{name}={value!r}: must be an http(s) URL, e.g. https://www.example.id")
    if "SITE_UTC_OFFSET" in environ:
        try:
            utc_offset(environ["SITE_UTC_OFFSET"])
        except ValueError as exc:
            problems.append(f"SITE_UTC_OFFSET={environ['SITE_UTC_OFFSET']!r}: {exc}")
    return problems


@cache
def get_settings() -> Settings:
    """The settings of this execution environment (read once, then cached)."""
    return Settings.from_environment(os.environ)
