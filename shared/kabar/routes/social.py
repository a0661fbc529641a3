"""UploadsFunction's social route: ``POST /social/{slug}/repost``, an editor asking for a published
article to be posted to the site's Facebook Page and Telegram channel again (kabar.social)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from kabar.api import EDITORS, FORBIDDEN, Resolver, answers, json_response
from kabar.rest import Answer
from kabar.routing import Path, Route
from kabar.slugs import SLUG_PATTERN

REPOST = Route(
    "POST", "/social/{slug}/repost", "Post a published article to the social targets again (editors)",
    security=EDITORS, path_params={"slug": Path(SLUG_PATTERN, "The article's slug")},
    responses=answers(200, "SocialReposted", "Queued for each target that is on",
                      FORBIDDEN | {404: "No such article", 409: "Not published, or no social target"}),
)  # fmt: skip


def bind_social(app: Resolver, editor: Callable[[], str]) -> None:
    from functools import partial

    from kabar import aws
    from kabar.deps import social_subscriptions, stores
    from kabar.settings import get_settings
    from kabar.workflows import announcements

    @app.bind(REPOST)
    def repost(slug: str) -> Answer:
        editor()
        social_subscriptions()
        send = partial(aws.send_messages, get_settings().webhook_queue_url)
        done = announcements.repost(slug, stores().articles.get(slug), store=stores().webhooks,
                               url_of=get_settings().urls.of, send=send, now=datetime.now(UTC))  # fmt: skip
        return json_response(200, done)
