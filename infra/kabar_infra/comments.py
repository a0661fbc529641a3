"""``kabar comments classify IN.jsonl``: the intake's content rules on past comments, no AWS.

Reads lines of ``{id, name, email, website?, content, honeypot?}`` and writes lines
of ``{id, verdict, reasons}`` with :func:`kabar.comments.classify_content`, the
rules CommentsFunction applies before it looks at any history: ``spam`` (a
filled honeypot, a disallowed word), ``pending`` (too many links, a moderation
word), or ``approved`` when the content rules pass (at intake a first-time
commenter still waits for a moderator; that rule needs history this command
does not have). ``--disallowed`` and ``--moderation`` files (one word or phrase
per line) try other word lists.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

from kabar.comments import DEFAULT_DISALLOWED, DEFAULT_MODERATION, classify_content
from kabar_infra.lines import opened, read_jsonl


def _words(path: Path | None, default: tuple[str, ...]) -> list[str]:
    if path is None:
        return list(default)
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def classify(handle: IO[str], out: IO[str], disallowed: list[str], moderation: list[str]) -> int:
    count = 0
    for _, item in read_jsonl(handle, "content"):
        found = classify_content(
            name=str(item.get("name", "")), content=item["content"], website=item.get("website"),
            honeypot=item.get("honeypot"), disallowed=disallowed, moderation=moderation,
        )  # fmt: skip
        record = {"id": item["id"], "verdict": found.verdict or "approved", "reasons": found.reasons}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def add_commands(commands: Any) -> None:
    comments = commands.add_parser("comments", help="comment tools")
    comment_commands = comments.add_subparsers(dest="comments_command", required=True)
    run = comment_commands.add_parser(
        "classify", help="the intake's content rules on lines of {id, name, email, website?, content}"
    )
    run.add_argument("input", help="a JSON Lines file, or - for standard input")
    run.add_argument("--disallowed", type=Path, help="disallowed words, one per line (spam)")
    run.add_argument("--moderation", type=Path, help="moderation words, one per line (pending)")


def run(args: Any) -> int:
    disallowed = _words(args.disallowed, DEFAULT_DISALLOWED)
    moderation = _words(args.moderation, DEFAULT_MODERATION)
    with opened(args.input) as handle:
        classify(handle, sys.stdout, disallowed, moderation)
    return 0
