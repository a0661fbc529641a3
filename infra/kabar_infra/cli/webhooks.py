"""``kabar webhooks ...``: webhook subscriptions, for admins (the local stack's admin, or
``--username`` of a user in the ``admins`` group).

``kabar webhooks add URL --event article.published [--event ...] [--description TEXT]`` subscribes
a URL and prints its signing secret (``whsec_...``) this once; ``list``; ``remove ID``; ``log ID``
prints its latest attempts (status, latency, error) and its dead letters; ``replay ID [--delivery
MSG_ID]`` sends one delivery again, or every dead one, with the same webhook-id.
"""

from __future__ import annotations

import json
from typing import Any

EVENTS = ("article.published", "article.updated", "article.unpublished", "comment.approved")


def add_commands(commands: Any) -> None:
    webhooks = commands.add_parser("webhooks", help="webhook subscriptions (admins): add, list, log, replay")
    actions = webhooks.add_subparsers(dest="webhooks_command", required=True)
    add = actions.add_parser("add", help="subscribe a URL to events; prints its signing secret once")
    add.add_argument("url")
    add.add_argument("--event", action="append", choices=EVENTS, required=True, dest="events")
    add.add_argument("--description", default="")
    actions.add_parser("list", help="every subscription")
    remove = actions.add_parser("remove", help="remove a subscription")
    remove.add_argument("id")
    log = actions.add_parser("log", help="a subscription's latest attempts and dead letters")
    log.add_argument("id")
    log.add_argument("--limit", type=int, default=50)
    replay = actions.add_parser("replay", help="send a delivery again, or every dead one")
    replay.add_argument("id")
    replay.add_argument("--delivery", help="one delivery's id (msg_...); default: every dead one")


def _line(webhook: dict[str, Any]) -> str:
    off = f" (off: {webhook['disabled_reason']})" if webhook["status"] != "active" else ""
    return f"{webhook['id']}  {webhook['url']}  {', '.join(webhook['events'])}{off}"


def run_remote(args: Any, client: Any) -> int:
    command = args.webhooks_command
    if command == "add":
        answer = client.call("POST", "/webhooks", {"url": args.url, "events": args.events,
                                                   "description": args.description})  # fmt: skip
        print(
            json.dumps(answer) if args.json else f"{_line(answer)}\nsecret (shown once): {answer['secret']}"
        )
    elif command == "list":
        answer = client.call("GET", "/webhooks")
        print(json.dumps(answer) if args.json else "\n".join(map(_line, answer["webhooks"])) or "no webhooks")
    elif command == "remove":
        answer = client.call("DELETE", f"/webhooks/{args.id}")
        print(json.dumps(answer) if args.json else f"removed {args.id}")
    elif command == "log":
        answer = client.call("GET", f"/webhooks/{args.id}/log?limit={args.limit}")
        if args.json:
            print(json.dumps(answer))
            return 0
        lines = [_line(answer["webhook"])]
        for a in answer["attempts"]:
            error = f"  {a['error']}" if a["error"] else ""
            lines.append(f"  {a['at']}  {a['delivery']} #{a['attempt']} {a['type']}: {a['status'] or '-'} "
                         f"in {a['latency_ms']} ms{error}")  # fmt: skip
        lines += [f"  dead: {delivery}" for delivery in answer["dead"]]
        print("\n".join(lines))
    else:
        body = {"delivery": args.delivery} if args.delivery else {}
        answer = client.call("POST", f"/webhooks/{args.id}/replay", body)
        print(
            json.dumps(answer)
            if args.json
            else f"replayed {len(answer['replayed'])}: {' '.join(answer['replayed'])}"
        )
    return 0
