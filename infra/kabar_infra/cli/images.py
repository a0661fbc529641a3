"""``kabar images rebuild``: every stored image given the variants of today's widths setting.

After the ``ImageWidths`` parameter changes (``sam deploy --parameter-overrides
ImageWidths=...``), this pages
through the image library (gsi1 ``IMAGES``, oldest first; a Query, never a Scan) and queues
the images on ImagesQueue, :data:`~kabar.workflows.image_rebuild.IMAGES_PER_MESSAGE` to a
message. ImagesFunction makes the variants each lacks from its kept original and renders the
articles using it again (:mod:`kabar.workflows.image_rebuild`); an image that has them all is
read and left alone, so a second run costs reads only.

Bounded and resumable: one page (``--page``, 100 images) is read and queued at a time, and
the position after it is saved in a state file (per stack, under XDG_STATE_HOME) before the
next page is read. Stopped (Ctrl-C, a lost connection, ``--limit``), the next run goes on from
there; ``--restart`` starts from the oldest image again. ``--wait`` waits until ImagesQueue is
empty. Failures wait in ImagesDeadLetterQueue (``kabar ops failures --stage images``).

Like ``kabar ops``, it works on the local stack (which starts empty, its images made for the
template's widths: a run there finds nothing to make) or, with ``--stack NAME``, on a deployed stack
with the caller's AWS credentials (dynamodb:Query on the table's gsi1, sqs:SendMessage and
sqs:GetQueueAttributes on ImagesQueue, cloudformation:DescribeStackResources).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kabar.workflows.image_rebuild import IMAGES_PER_MESSAGE, rebuild_message
from kabar_infra.cli.ops import Target, target_of

PAGE = 100  # images read and queued per step: one Query, ten SendMessageBatch calls at most


def add_commands(commands: Any) -> None:
    images = commands.add_parser("images", help="the image library: its variants made again for the widths")
    images.add_argument("--stack", help="a deployed stack's name (default: the local stack)")
    sub = images.add_subparsers(dest="images_command", required=True)
    rebuild = sub.add_parser("rebuild", help=(
        "make the variants today's widths setting asks for, for every stored image, and render the "
        "articles using them again (bounded; resumable: a run goes on where one stopped)"))  # fmt: skip
    rebuild.add_argument("--restart", action="store_true", help="start again from the oldest image")
    rebuild.add_argument("--limit", type=int, help="queue at most this many images now (run again to go on)")
    rebuild.add_argument("--page", type=int, default=PAGE, help=f"images per step (default {PAGE})")
    rebuild.add_argument("--wait", action="store_true", help="then wait until ImagesFunction is done")
    rebuild.add_argument("--timeout", type=float, default=600.0, help="seconds --wait waits at most")


def state_file(target: Target, stack: str | None) -> Path:
    """Where a rebuild's position is kept: one file per stack (the local stack's by its table)."""
    home = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    name = stack or "local-" + hashlib.sha256(target.resources["ContentTable"].encode()).hexdigest()[:12]
    return home / "kabar" / f"images-rebuild-{name}.json"


def pages(target: Target, start: str | None, page: int) -> Iterator[tuple[list[str], str | None]]:
    """The library a page at a time after ``start``: the ids, and the position after them."""
    library = target.stores.images
    while True:
        found, after = library.library(start, page)
        yield found, after
        if after is None:
            return
        start = after


def rebuild(
    target: Target, state: Path, *, restart: bool = False, limit: int | None = None, page: int = PAGE,
    say: Callable[[str], None] = print,
) -> tuple[int, bool]:  # fmt: skip
    """Queue the library's images, from where the last run stopped; (images queued, finished)."""
    saved = {} if restart or not state.exists() else json.loads(state.read_text(encoding="utf-8"))
    start, queued = saved.get("after"), 0
    if start:
        say(f"going on after {start} ({saved.get('queued', 0)} images queued before; --restart starts over)")
    for ids, after in pages(target, start, max(1, min(page, 1000 if limit is None else limit))):
        _queue(target, ids)
        queued += len(ids)
        if after is None:
            state.unlink(missing_ok=True)
            return queued, True
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(json.dumps({"after": after, "queued": saved.get("queued", 0) + queued}), "utf-8")
        if limit is not None and queued >= limit:
            return queued, False
    return queued, True


def _queue(target: Target, ids: list[str]) -> None:
    """The images on ImagesQueue, IMAGES_PER_MESSAGE to a message, ten messages to a request."""
    from kabar.aws import send_messages

    per = IMAGES_PER_MESSAGE
    bodies = [rebuild_message(ids[start : start + per]) for start in range(0, len(ids), per)]
    send_messages(target.resources["ImagesQueue"], bodies, target.client("sqs"))


def wait_until_done(target: Target, timeout: float, clock: Callable[[], float] = time.monotonic) -> bool:
    """Whether ImagesQueue, then RenderQueue (the articles' documents) emptied (nothing waiting,
    nothing being processed) within ``timeout``."""
    sqs, deadline = target.client("sqs"), clock() + timeout
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    for queue in ("ImagesQueue", "RenderQueue"):
        while True:
            found = sqs.get_queue_attributes(QueueUrl=target.resources[queue], AttributeNames=names)
            if not any(int(found["Attributes"].get(name, 0)) for name in names):
                break
            if clock() >= deadline:
                return False
            time.sleep(1.0)
    return True


def run(args: Any, target: Target | None = None) -> int:
    target = target or target_of(args)
    state = state_file(target, args.stack)
    queued, finished = rebuild(target, state, restart=args.restart, limit=args.limit, page=args.page)
    more = "the whole library is queued" if finished else f"run again to go on (position in {state})"
    print(f"queued {queued} images for ImagesFunction; {more}")
    if args.wait:
        if not wait_until_done(target, args.timeout):
            print(f"kabar: ImagesQueue or RenderQueue still has messages after {args.timeout:.0f} s")
            return 2
        print("done: variants made, documents rendered (failures: kabar ops failures --stage images)")
    return 0
