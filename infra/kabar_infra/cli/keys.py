"""``kabar ops rotate-comment-key``: a new HMAC key for commenters' hashes, keeping the previous one.

Reads the comment secret (its keyring, :mod:`kabar.keyring`), puts a new version whose
current key is new (the next id: ``k1`` -> ``k2``) and whose previous key is the one it
replaces, tried until ``--window-days`` from now. CommentsFunction reads the new
version within a minute; during the window, a commenter known under the previous key
is still recognised and moves to the new key when they comment. A rotation while a
window is still open would forget the key it holds, so it is refused without
``--force``. Nothing prints a key.

The secret is the local stack's (``.kabar/local.json``), ``--secret-id`` (ARN or name),
or ``kabar ops --stack NAME rotate-comment-key`` (the deployed stack's ``CommentSecret``,
through CloudFormation).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kabar.keyring import Keyring

DEFAULT_WINDOW_DAYS = 90


class RotationRefused(Exception):
    pass


def add_commands(ops_commands: Any) -> None:
    rotate = ops_commands.add_parser(
        "rotate-comment-key", help="a new comment HMAC key, keeping the previous one"
    )
    rotate.add_argument("--window-days", type=int, default=DEFAULT_WINDOW_DAYS,
                        help=f"days the previous key is tried (default {DEFAULT_WINDOW_DAYS})")  # fmt: skip
    rotate.add_argument("--secret-id", help="the comment secret's ARN or name (deployed stack)")
    rotate.add_argument(
        "--force", action="store_true", help="rotate even while the previous key's window is open"
    )


def rotate(secrets: Any, secret_id: str, *, window: timedelta, now: datetime, force: bool = False) -> Keyring:
    """Put the rotated keyring as the secret's new current version; the keyring put."""
    keyring = Keyring.parse(secrets.get_secret_value(SecretId=secret_id)["SecretString"])
    if keyring.in_window(now) and not force and keyring.previous and keyring.previous_until:
        raise RotationRefused(
            f"key {keyring.previous.id} is still tried until {_stamp(keyring.previous_until)}: rotating now "
            "would forget it and every commenter only it knows (--force to rotate anyway)"
        )
    if window <= timedelta(0):
        raise RotationRefused("--window-days must be at least 1")
    new = secrets.get_random_password(PasswordLength=64, ExcludePunctuation=True)["RandomPassword"]
    rotated = keyring.rotated(str(new).encode(), now=now, window=window)
    secrets.put_secret_value(
        SecretId=secret_id, SecretString=rotated.to_json(), ClientRequestToken=str(uuid.uuid4())
    )
    return rotated


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(args: Any, client: Callable[[str], Any], local_secret: str | None) -> int:
    """The command: which secret (``client(service)`` makes AWS clients), the rotation, one line
    saying what happened."""
    secret_id = args.secret_id
    if args.stack:
        resource = client("cloudformation").describe_stack_resource(
            StackName=args.stack, LogicalResourceId="CommentSecret")  # fmt: skip
        secret_id = resource["StackResourceDetail"]["PhysicalResourceId"]
    secret_id = secret_id or local_secret
    if not secret_id:
        raise RotationRefused("which secret? give --stack or --secret-id for a deployed stack")
    now = datetime.now(UTC)
    try:
        rotated = rotate(client("secretsmanager"), secret_id,
                         window=timedelta(days=args.window_days), now=now, force=args.force)  # fmt: skip
    except ValueError as exc:  # KeyringError: the secret holds no keyring
        raise RotationRefused(str(exc)) from exc
    assert rotated.previous is not None and rotated.previous_until is not None
    print(f"comment key rotated: {rotated.current.id} is current; {rotated.previous.id} is still tried "
          f"until {_stamp(rotated.previous_until)}")  # fmt: skip
    return 0
