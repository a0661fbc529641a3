"""The objects handlers work with, built once per execution environment.

Their modules are imported on first use, not with this one: a handler imports ``stores`` at
module level, and its cold start should pay only for what its first request touches.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

from kabar import aws
from kabar.settings import get_settings

if TYPE_CHECKING:
    from kabar.keyring import Keyring
    from kabar.releases import Schedules
    from kabar.site import SiteBucket
    from kabar.table import Stores
    from kabar.workflows.webhooks import Policy


@cache
def stores() -> Stores:
    """Every store over the content table (the client is created on first request)."""
    from kabar.table import Stores
    from kabar.table.base import Table

    return Stores.over(Table(get_settings().table_name))


@lru_cache(maxsize=4)
def _keyring(version: str, value: str) -> Keyring:
    from kabar.keyring import Keyring

    return Keyring.parse(value)


def comment_keys() -> Keyring:
    """The comment secret's keyring: read again every minute, parsed again when its version changes."""
    return _keyring(*aws.secret(get_settings().comment_secret_arn))


@cache
def site_bucket() -> SiteBucket:
    from kabar.site import SiteBucket

    settings = get_settings()
    return SiteBucket(settings.site_bucket, settings.invalidation_queue_url)


@cache
def release_schedules() -> Schedules | None:
    """The stack's release schedules; None where no schedule group is set (nothing can be scheduled)."""
    from kabar.releases import Schedules

    s = get_settings()
    if not s.release_group:
        return None
    return Schedules(s.release_group, s.release_target_arn, s.release_role_arn, s.release_dead_letter_arn,
                     s.release_retry_attempts, s.release_max_event_age)  # fmt: skip


@cache
def webhook_policy() -> Policy:
    """How webhook deliveries are tried, from the settings."""
    from kabar.workflows.webhooks import Policy, retry_schedule

    s = get_settings()
    return Policy(retry_schedule(s.webhook_retry_seconds), s.webhook_timeout, s.webhook_disable_after,
                  s.webhook_allow_local == "true")  # fmt: skip


def webhook_secret(subscription_id: str) -> str:
    """A subscription's signing secret (from the master secret, read again every minute)."""
    from kabar.webhooks import subscription_secret

    return subscription_secret(aws.secret(get_settings().webhook_secret_arn)[1], subscription_id)


def reset() -> None:
    """Forget settings, clients and everything built from them (tests change all three)."""
    stores.cache_clear()
    site_bucket.cache_clear()
    release_schedules.cache_clear()
    webhook_policy.cache_clear()
    _keyring.cache_clear()
    get_settings.cache_clear()
    aws.reset_clients()
