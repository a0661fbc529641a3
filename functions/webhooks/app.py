"""WebhooksFunction: the admins' webhook API (POST, GET, DELETE /webhooks; a subscription's log and
dead letters; replay). Deliveries are AnnounceFunction's."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from kabar.api import caller_in_group, resolver
from kabar.observability import correlate, logger, request_id
from kabar.routes.webhooks import bind_webhooks
from kabar.settings import get_settings


def current_admin() -> str:
    return caller_in_group(app, get_settings().admins_group, "this API")


app = resolver(guard=current_admin)
bind_webhooks(app, current_admin)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    correlate(request_id(event))
    return app.resolve(event, context)
