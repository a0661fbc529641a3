"""Configuration read from the environment once per cold start.

Handlers call :func:`get_settings`; logic receives values, never reads the
environment itself. Nothing here runs at import time, so tests can set the
environment before the first call and clear the cache between tests.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    """Every setting a Kabar function reads, with its environment variable name."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, defer_build=True)  # built by get_settings

    table_name: Annotated[str, Field(alias="TABLE_NAME")] = ""
    incoming_bucket: Annotated[str, Field(alias="INCOMING_BUCKET")] = ""
    site_bucket: Annotated[str, Field(alias="SITE_BUCKET")] = ""
    distribution_id: Annotated[str, Field(alias="DISTRIBUTION_ID")] = ""
    invalidation_queue_url: Annotated[str, Field(alias="INVALIDATION_QUEUE_URL")] = ""
    # The stage queues DispatchFunction sends the table's changes to (kabar.dispatch).
    tagging_queue_url: Annotated[str, Field(alias="TAGGING_QUEUE_URL")] = ""
    related_queue_url: Annotated[str, Field(alias="RELATED_QUEUE_URL")] = ""
    render_queue_url: Annotated[str, Field(alias="RENDER_QUEUE_URL")] = ""
    cdn_url: Annotated[str, Field(alias="CDN_URL")] = ""
    site_name: Annotated[str, Field(alias="SITE_NAME")] = "Kabar"
    site_language: Annotated[str, Field(alias="SITE_LANGUAGE")] = "id"
    editors_group: Annotated[str, Field(alias="EDITORS_GROUP")] = "editors"
    moderators_group: Annotated[str, Field(alias="MODERATORS_GROUP")] = "moderators"
    # Articles in each list document: the newest page (latest.json, a tag's page) and older pages.
    page_size: Annotated[int, Field(alias="PAGE_SIZE", ge=2, le=100)] = 50
    tags_listed: Annotated[int, Field(alias="TAGS_LISTED", ge=1, le=1000)] = 200
    upload_max_bytes: Annotated[int, Field(alias="UPLOAD_MAX_BYTES", ge=1)] = 1_048_576
    upload_expires_seconds: Annotated[int, Field(alias="UPLOAD_EXPIRES_SECONDS", ge=30)] = 300
    max_tags: Annotated[int, Field(alias="MAX_TAGS", ge=1, le=30)] = 8
    # "publish": suggestions outside the vocabulary are public at once; "review": they wait.
    suggested_tags: Annotated[Literal["publish", "review"], Field(alias="SUGGESTED_TAGS")] = "publish"
    related_count: Annotated[int, Field(alias="RELATED_COUNT", ge=0, le=20)] = 5
    related_min_score: Annotated[float, Field(alias="RELATED_MIN_SCORE", ge=0, le=2)] = 0.15
    # Automatic inline "read also" links when the editor gives none (0: none).
    read_also_auto: Annotated[int, Field(alias="READ_ALSO_AUTO", ge=0, le=10)] = 2
    comment_secret_arn: Annotated[str, Field(alias="COMMENT_SECRET_ARN")] = ""
    comments_close_days: Annotated[int, Field(alias="COMMENTS_CLOSE_DAYS", ge=0)] = 0  # 0: never
    comment_max_depth: Annotated[int, Field(alias="COMMENT_MAX_DEPTH", ge=0, le=10)] = 3
    comment_flood_seconds: Annotated[int, Field(alias="COMMENT_FLOOD_SECONDS", ge=0)] = 15
    # Comma-separated words and phrases; empty: the defaults in kabar.text.comment_rules.
    comment_disallowed: Annotated[str, Field(alias="COMMENT_DISALLOWED_WORDS")] = ""
    comment_moderation: Annotated[str, Field(alias="COMMENT_MODERATION_WORDS")] = ""
    # Origins (comma-separated) whose pages may post comments from a browser; "*": any site.
    comment_origins: Annotated[str, Field(alias="COMMENT_ORIGINS")] = "*"

    def stage_queue(self, stage: str) -> str:
        """The queue URL of a stage (``tagging``, ``related``, ``render``)."""
        url = str(getattr(self, f"{stage}_queue_url", ""))
        if not url:
            raise ValueError(f"no queue for the {stage} stage: {stage.upper()}_QUEUE_URL is not set")
        return url


@cache
def get_settings() -> Settings:
    """The settings of this execution environment (read once, then cached)."""
    names = {field.alias for field in Settings.model_fields.values() if field.alias}
    return Settings.model_validate({name: os.environ[name] for name in names if name in os.environ})
