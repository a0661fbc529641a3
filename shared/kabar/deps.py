"""The objects handlers work with, built once per execution environment.

Their modules are imported on first use, not with this one: a handler imports ``stores`` at
module level, and its cold start should pay only for what its first request touches.
"""

from __future__ import annotations

import contextlib
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from kabar import aws
from kabar.settings import get_settings

if TYPE_CHECKING:
    from kabar.keyring import Keyring
    from kabar.outbound import Answer
    from kabar.releases import Schedules
    from kabar.site import SiteBucket
    from kabar.social import Target
    from kabar.table import Stores
    from kabar.webhooks import Subscription
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


@cache
def social_targets() -> tuple[Target, ...]:
    """The configured Facebook Page and Telegram channel (kabar.social)."""
    from kabar.social import targets

    s = get_settings()
    return tuple(targets(s.facebook_page_id, s.facebook_graph_url, s.telegram_chat_id, s.telegram_api_url))


def social_post(subscription: Subscription, data: dict[str, Any]) -> tuple[Answer, str | None]:
    """Post an article to the social target this subscription stands for, with its token."""
    import json

    from kabar.outbound import Answer
    from kabar.social import publish

    s, policy = get_settings(), webhook_policy()
    target = next((t for t in social_targets() if t.kind == subscription.kind), None)
    tokens = json.loads(aws.secret(s.social_secret_arn)[1]) if s.social_secret_arn else {}
    token = str(tokens.get(subscription.kind) or "") if isinstance(tokens, dict) else ""
    if target is None or not token:
        why = f"no {subscription.kind} target or token (the social secret's {subscription.kind!r}) is set"
        return Answer(None, 0, error=why), f"{why}: set it, then replay this target's dead letters"
    return publish(
        target, token, data, s.social_message, timeout=policy.timeout, allow_local=policy.allow_local
    )


@cache
def social_subscriptions() -> bool:
    """Each configured social target as a subscription (made once, if it is not there yet)."""
    from datetime import UTC, datetime

    from kabar.social import SUBSCRIPTION_IDS
    from kabar.table.base import ConditionFailed
    from kabar.webhooks import ARTICLE_PUBLISHED, Subscription

    for target in social_targets():
        made = Subscription(id=SUBSCRIPTION_IDS[target.kind], kind=target.kind, url=target.endpoint,
                            events=[ARTICLE_PUBLISHED], description=f"{target.kind} {target.chat}",
                            created_at=datetime.now(UTC), created_by="settings")  # fmt: skip
        if stores().webhooks.get(made.id) is None:
            with contextlib.suppress(ConditionFailed):
                stores().webhooks.create(made)
    return True


def reset() -> None:
    """Forget settings, clients and everything built from them (tests change all three)."""
    stores.cache_clear()
    site_bucket.cache_clear()
    release_schedules.cache_clear()
    webhook_policy.cache_clear()
    social_targets.cache_clear()
    social_subscriptions.cache_clear()
    _keyring.cache_clear()
    get_settings.cache_clear()
    aws.reset_clients()
