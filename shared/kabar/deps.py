"""The objects handlers work with, built once per execution environment."""

from __future__ import annotations

from functools import cache

from kabar import aws
from kabar.dal import ContentTable
from kabar.settings import get_settings
from kabar.site import SiteBucket


@cache
def content_table() -> ContentTable:
    return ContentTable(get_settings().table_name)


@cache
def site_bucket() -> SiteBucket:
    settings = get_settings()
    return SiteBucket(settings.site_bucket, settings.distribution_id)


def reset() -> None:
    """Forget settings, clients and everything built from them (tests change all three)."""
    content_table.cache_clear()
    site_bucket.cache_clear()
    get_settings.cache_clear()
    aws.reset_clients()
