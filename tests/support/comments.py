"""Comment requests as a reader's browser sends them (POST /articles/{slug}/comments), and what is stored."""

from __future__ import annotations

import json
from typing import Any

from tests.support.app import App

SLUG = "banjir-rendam-kampung-melayu"  # the article "Banjir Rendam Kampung Melayu" the comment tests upload


def post(
    app: App, body: Any, slug: str = SLUG, ip: str = "203.0.113.7"
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """A reader's comment from ``ip`` (no sign-in): status, JSON body and response headers."""
    from kabar_infra.local.api import match, proxy_event, routes

    path = f"/articles/{slug}/comments"
    route, params, _ = match(routes(app.template), "POST", path)
    assert route is not None and not route.authorized  # public
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    event = proxy_event(route, method="POST", path=path, path_parameters=params,
                        headers={"Content-Type": "application/json"}, query={}, body=raw, claims=None,
                        source_ip=ip)  # fmt: skip
    response = app.invoke(route.function, event)
    headers = {**(response.get("headers") or {}),
               **{k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items()}}  # fmt: skip
    return response["statusCode"], json.loads(response["body"]), headers


def stored(app: App) -> list[dict[str, Any]]:
    """Every comment in the table, as the code reads it back."""
    from kabar.table.codec import from_item

    return [from_item(i) for i in app.table_items() if i["sk"]["S"] == "COMMENT"]
