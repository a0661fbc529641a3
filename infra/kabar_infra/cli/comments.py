"""``kabar comments ...``: moderation through the API, and the intake's rules on files.

``kabar comments pending`` lists a moderation queue (``--status spam|trash``),
oldest first; ``kabar comments approve|spam|trash ID...`` moderates;
``kabar comments edit ID --content ...`` corrects a comment. They sign in as the
local stack's moderator (``.kabar/local.json``), or as ``--username`` on a
deployed stack (a user in the ``moderators`` group).

``kabar comments names`` lists the spam names the site learned from its moderators (a comment
marked spam teaches it the gambling site names in it); ``--remove NAME...`` forgets them.

``kabar comments classify IN.jsonl`` needs no AWS: the intake's content rules on past comments
(``--stack-names`` fetches the learned names from the stack, which needs a sign-in).

Reads lines of ``{id, name, email, website?, content, honeypot?}`` and writes lines
of ``{id, verdict, reasons}`` with :func:`kabar.text.comment_rules.classify_content`, the
rules CommentsFunction applies before it looks at any history: ``spam`` (a
filled honeypot, a disallowed word, strong evidence of a gambling promotion),
``pending`` (weaker evidence, too many links, a moderation word), or ``approved``
when the content rules pass (at intake a first-time commenter still waits for a
moderator; that rule needs history this command does not have). ``--disallowed``
and ``--moderation`` files (one word or phrase per line) try other word lists;
``--names`` a file of spam names (one per line), as a site learns them from its
moderators.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

from kabar.text.comment_rules import DEFAULT_DISALLOWED, DEFAULT_MODERATION, classify_content
from kabar_infra.cli.lines import opened, read_jsonl


def _words(path: Path | None, default: tuple[str, ...]) -> list[str]:
    if path is None:
        return list(default)
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def classify(handle: IO[str], out: IO[str], disallowed: list[str], moderation: list[str],
             names: tuple[str, ...] = ()) -> int:  # fmt: skip
    count = 0
    for _, item in read_jsonl(handle, "content"):
        found = classify_content(
            name=str(item.get("name", "")), content=item["content"], website=item.get("website"),
            honeypot=item.get("honeypot"), disallowed=disallowed, moderation=moderation, learned=names,
        )  # fmt: skip
        record = {"id": item["id"], "verdict": found.verdict or "approved", "reasons": found.reasons}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


LOCAL_COMMANDS = {"classify"}


def add_commands(commands: Any) -> None:
    comments = commands.add_parser("comments", help="comment moderation and tools")
    comment_commands = comments.add_subparsers(dest="comments_command", required=True)
    pending = comment_commands.add_parser("pending", help="a moderation queue, oldest first")
    pending.add_argument("--status", default="pending", choices=["pending", "spam", "trash"])
    pending.add_argument("--limit", type=int, default=25)
    pending.add_argument("--cursor", help="the 'next' cursor a previous page printed")
    for action, what in [("approve", "publish"), ("spam", "mark as spam"), ("trash", "move to the trash")]:
        moderate = comment_commands.add_parser(action, help=f"{what}: comment ids")
        moderate.add_argument("ids", nargs="+")
    edit = comment_commands.add_parser("edit", help="correct a comment's name, website or content")
    edit.add_argument("id")
    edit.add_argument("--name")
    edit.add_argument("--website", help="an http(s) address; '' removes it")
    edit.add_argument("--content")
    run = comment_commands.add_parser(
        "classify", help="the intake's content rules on lines of {id, name, email, website?, content}"
    )
    run.add_argument("input", help="a JSON Lines file, or - for standard input")
    run.add_argument("--disallowed", type=Path, help="disallowed words, one per line (spam)")
    run.add_argument("--moderation", type=Path, help="moderation words, one per line (pending)")
    run.add_argument("--names", type=Path, help="learned spam names, one per line (each holds a comment)")
    run.add_argument("--stack-names", action="store_true", help="the stack's learned spam names (signs in)")
    names = comment_commands.add_parser("names", help="the spam names the site learned from moderators")
    names.add_argument("--remove", nargs="+", metavar="NAME", help="forget these names")


def run(args: Any, client: Any = None) -> int:
    """``classify``; with ``client`` (``--stack-names``), the stack's learned names too."""
    disallowed = _words(args.disallowed, DEFAULT_DISALLOWED)
    moderation = _words(args.moderation, DEFAULT_MODERATION)
    names = {word.lower() for word in _words(args.names, ())}
    if client is not None:
        names |= {row["name"] for row in client.spam_names()}
    with opened(args.input) as handle:
        classify(handle, sys.stdout, disallowed, moderation, tuple(sorted(names)))
    return 0


def run_remote(args: Any, client: Any) -> int:
    """The moderation commands, through the API."""
    command = args.comments_command
    if command == "classify":  # --stack-names: the files' errors as on the files alone
        try:
            return run(args, client)
        except (ValueError, OSError) as exc:
            print(f"kabar: {exc}", file=sys.stderr)
            return 2
    if command == "names":
        return _names(args, client)
    if command == "pending":
        page = client.comments(args.status, args.limit, args.cursor)
        if args.json:
            print(json.dumps(page, indent=2, ensure_ascii=False))
            return 0
        for comment in page["comments"]:
            text = " ".join(comment["content"].split())
            print(f"{comment['id']}  {comment['slug']}  {comment['name']}  ({'; '.join(comment['reasons'])})")
            print(f"    {text[:150]}{'...' if len(text) > 150 else ''}")
        if not page["comments"]:
            print(f"no {args.status} comments")
        if page["next"]:
            print(f"more: kabar comments pending --status {args.status} --cursor {page['next']}")
        return 0
    if command == "edit":
        changes = {
            key: getattr(args, key)
            for key in ("name", "website", "content")
            if getattr(args, key) is not None
        }
        if changes.get("website") == "":
            changes["website"] = None
        done = client.edit_comment(args.id, changes)
        print(json.dumps(done, indent=2, ensure_ascii=False) if args.json else _done(args.id, "edited", done))
        return 0
    for comment_id in args.ids:
        done = client.moderate(comment_id, command)
        print(
            json.dumps(done, ensure_ascii=False)
            if args.json
            else _done(comment_id, done["comment"]["status"], done)
        )
    return 0


def _names(args: Any, client: Any) -> int:
    if args.remove:
        for name in args.remove:
            done = client.forget_spam_name(name)
            print(
                json.dumps(done)
                if args.json
                else f"{done['name']}: {'removed' if done['removed'] else 'not learned'}"
            )
        return 0
    rows = client.spam_names()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        print(f"{row['name']}  (from comment {row['comment']}, by {row['by']}, {row['learned_at']})")
    if not rows:
        print("no learned spam names")
    return 0


def _done(comment_id: str, what: str, done: dict[str, Any]) -> str:
    return f"{comment_id}: {what}" + ("" if done["changed"] else " (already)")
