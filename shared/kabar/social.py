"""Auto-posting a newly published article to the site's Facebook Page (Graph API ``/{page-id}/feed``
with the article's canonical link) and Telegram channel (Bot API ``sendMessage``).

Each configured target is a subscription like a webhook's (``social_facebook``,
``social_telegram``: kabar.workflows.webhooks), to ``article.published`` only, whose delivery id is
made of the article alone: an article is posted once per target, on its first publish (a
scheduled one when it goes live), never on an update or a publish after a draft, and again only
when an editor asks (``POST /social/{slug}/repost``). Retries, the log, dead letters and replay
are the webhooks'. A target whose token is refused (Graph's error 190, Telegram's 401, or no
permission to post) is turned off with that reason at once instead of failing for ever; an
admin puts a new token in the social secret and replays its dead letters.

The API base URLs are settings, so tests and the local stack point them at a local server.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from kabar.outbound import Answer, post

FACEBOOK, TELEGRAM = "facebook", "telegram"
SUBSCRIPTION_IDS = {FACEBOOK: "social_facebook", TELEGRAM: "social_telegram"}
FIELDS = ("title", "subtitle", "lead", "url", "category")
TELEGRAM_LIMIT = 4096  # characters of a message


@dataclass(frozen=True)
class Target:
    kind: str
    endpoint: str  # where it posts (for a Telegram bot, without its token)
    chat: str  # the Page's id, or the channel (@name or id)


def targets(facebook_page: str, facebook_url: str, telegram_chat: str, telegram_url: str) -> list[Target]:
    """The configured targets: a Facebook Page when its id is set, a Telegram channel when its chat is."""
    found = []
    if facebook_page:
        found.append(Target(FACEBOOK, f"{facebook_url.rstrip('/')}/{facebook_page}/feed", facebook_page))
    if telegram_chat:
        found.append(Target(TELEGRAM, f"{telegram_url.rstrip('/')}/bot<token>/sendMessage", telegram_chat))
    return found


def delivery_id(slug: str) -> str:
    """A social delivery's id: the article's alone (so it is posted once per target)."""
    digest = hashlib.sha256(f"social\n{slug}".encode()).digest()
    return "msg_" + base64.b32encode(digest).decode().rstrip("=").lower()[:26]


def message(template: str, data: dict[str, Any]) -> str:
    """The post's text: ``template`` with {title}, {subtitle}, {lead}, {url} and {category} (the
    category's name) filled from the article; any other brace is left as written."""
    category = data.get("category")
    values = {name: str(data.get(name) or "") for name in FIELDS}
    values["category"] = str(category.get("name", "")) if isinstance(category, dict) else ""
    text = template.replace("\\n", "\n")
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()


def publish(target: Target, token: str, data: dict[str, Any], template: str, *, timeout: float,
            allow_local: bool) -> tuple[Answer, str | None]:  # fmt: skip
    """Post the article to the target once: what came back, and why the target must be turned
    off (its token refused) when that is what came back."""
    text = message(template, data)
    if target.kind == FACEBOOK:
        body = {"message": text, "link": data.get("url", ""), "access_token": token}
        answer = post(
            target.endpoint, json.dumps(body).encode(), {}, timeout=timeout, allow_local=allow_local
        )
        return _without_token(answer, token), _facebook_refusal(answer)
    full = text if data.get("url", "") in text else f"{text}\n\n{data.get('url', '')}".strip()
    body = {"chat_id": target.chat, "text": full[:TELEGRAM_LIMIT]}
    url = target.endpoint.replace("<token>", token)
    answer = post(url, json.dumps(body).encode(), {}, timeout=timeout, allow_local=allow_local)
    return _without_token(answer, token), _telegram_refusal(answer)


def _without_token(answer: Answer, token: str) -> Answer:
    """The answer with the token taken out of anything that would be logged."""
    if not token:
        return answer
    return Answer(answer.status, answer.latency_ms, answer.body.replace(token, "<token>"),
                  answer.error.replace(token, "<token>"))  # fmt: skip


def _json(answer: Answer) -> dict[str, Any]:
    try:
        found = json.loads(answer.body)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _facebook_refusal(answer: Answer) -> str | None:
    error = _json(answer).get("error")
    if not isinstance(error, dict):
        return None
    code = error.get("code")
    if code in {190, 10} or (isinstance(code, int) and 200 <= code < 300):  # the token; a permission
        said = str(error.get("message", ""))[:200]
        return (f"Facebook refused the Page token (error {code}: {said}); put a new Page access token in "
                "the social secret, then replay this target's dead letters")  # fmt: skip
    return None


def _telegram_refusal(answer: Answer) -> str | None:
    if answer.status in (401, 403, 404):
        said = str(_json(answer).get("description", f"HTTP {answer.status}"))[:200]
        return (f"Telegram refused the bot ({said}): check the bot token in the social secret and that the "
                "bot may post to the channel, then replay this target's dead letters")  # fmt: skip
    return None
