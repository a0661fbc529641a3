"""``kabar social repost SLUG``: post a published article to the site's Facebook Page and Telegram
channel again, as it is now (``POST /social/{slug}/repost``; an article is posted once on its first
publish, never on an update). The targets' logs: ``kabar webhooks log social_facebook`` (admins)."""

from __future__ import annotations

import json
from typing import Any


def add_commands(commands: Any) -> None:
    social = commands.add_parser(
        "social", help="the Facebook Page and Telegram channel: post an article again"
    )
    actions = social.add_subparsers(dest="social_command", required=True)
    repost = actions.add_parser("repost", help="post a published article to every social target again")
    repost.add_argument("slug")


def run_remote(args: Any, client: Any) -> int:
    answer = client.call("POST", f"/social/{args.slug}/repost")
    if args.json:
        print(json.dumps(answer))
        return 0
    for target in answer["targets"]:
        state = "queued" if target["queued"] else f"not sent: {target['kind']} is off (kabar webhooks list)"
        print(f"{args.slug} to {target['kind']}: {state}")
    return 0
