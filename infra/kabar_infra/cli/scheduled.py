"""``kabar scheduled``: what goes public later, and the schedules that failed.

``kabar scheduled`` lists the scheduled and embargoed articles, soonest first, with their times
in the site's zone (WIB by default) and in UTC (``GET /scheduled``); an article whose time passed
while it is still scheduled is marked OVERDUE: its schedule failed. ``kabar scheduled cancel SLUG``
cancels one (``DELETE /scheduled/{slug}``): the article is kept as a draft. ``kabar scheduled
--failed`` lists the releases EventBridge Scheduler could not deliver (ReleaseDeadLetterQueue),
with the article each concerns; ``--replay`` sends them to PublishQueue again, where a release
that still applies publishes its article and one that no longer does changes nothing. Like
``kabar ops``, ``--failed`` works on the local stack or, with ``--stack NAME``, a deployed one.
"""

from __future__ import annotations

import json
from typing import Any


def add_commands(commands: Any) -> None:
    scheduled = commands.add_parser("scheduled", help="scheduled and embargoed articles; failed schedules")
    scheduled.add_argument("--failed", action="store_true", help="the releases Scheduler could not deliver")
    scheduled.add_argument(
        "--replay", action="store_true", help="with --failed: send them to PublishQueue again"
    )
    scheduled.add_argument(
        "--stack", help="with --failed: a deployed stack's name (default: the local stack)"
    )
    scheduled.add_argument("--limit", type=int, default=100, help="list at most this many (default 100)")
    actions = scheduled.add_subparsers(dest="scheduled_command")
    cancel = actions.add_parser("cancel", help="cancel an article's schedule (it is kept as a draft)")
    cancel.add_argument("slug")


def line(entry: dict[str, Any]) -> str:
    """One scheduled article: its time in the site's zone and in UTC, slug, version, kind, title."""
    local = entry["release_at_local"].replace("T", " ")[:16]
    utc = entry["release_at"].replace("T", " ")[:16]
    overdue = "  OVERDUE (its schedule failed: kabar scheduled --failed)" if entry["overdue"] else ""
    return (f"{local} {entry['zone']} ({utc} UTC)  {entry['slug']} v{entry['version']}  "
            f"{entry['kind']}: {entry['title']}{overdue}")  # fmt: skip


def run_remote(args: Any, client: Any) -> int:
    if args.scheduled_command == "cancel":
        answer = client.cancel_scheduled(args.slug)
        print(json.dumps(answer) if args.json else
              f"cancelled {args.slug}: kept as draft version {answer['version']} (not public)")  # fmt: skip
        return 0
    entries = client.scheduled(args.limit)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False))
        return 0
    print("\n".join(map(line, entries)) if entries else "nothing is scheduled")
    return 0


def run_failed(args: Any, target: Any = None) -> int:
    """``--failed`` (and ``--replay``): the release dead-letter queue, on AWS itself."""
    from kabar_infra.cli import ops
    from kabar_infra.cli.failures import describe

    target = target or ops.target_of(args)
    found = ops.failures(target, "releases")
    if args.json and not args.replay:
        print(
            json.dumps(
                [{"message_id": f.message_id, "names": f.names, "concerns": f.concerns} for f in found]
            )
        )
        return 0
    print(f"releases (ReleaseDeadLetterQueue): {len(found) or 'no'} messages")
    for failure in found:
        print("\n".join(describe(failure)))
    if args.replay:
        print(ops.replay_dead_letters(target, "releases"))
    return 0
