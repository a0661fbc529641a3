"""Comments: the comments, their commenters' and networks' history, duplicates, and each
article's counters (approved comments, approval numbers).

Markers expire through the table's TTL (``expires_at``, epoch seconds): a duplicate marker after
:data:`DUPLICATE_SECONDS`, a network's record a day after its last comment, a comment in spam or
the trash after the site's purge days (set when it gets there, removed when it leaves)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kabar.errors import CommentRefused, Conflict
from kabar.models import Comment, CommentHistory
from kabar.table import keys
from kabar.table.base import CONDITION_FAILED, Table
from kabar.table.codec import decode_cursor, encode_cursor, to_item

TYPE_COMMENT = "comment"
TYPE_COMMENTER = "commenter"
TYPE_NETWORK = "network"
TYPE_DUPLICATE = "comment_duplicate"
TYPE_COMMENT_COUNTER = "comment_counter"
DUPLICATE_SECONDS = 30 * 86400  # the same comment again on the same article: refused for 30 days
NETWORK_SECONDS = 86400


def _index_keys(comment: Comment) -> dict[str, str]:
    """gsi1 keys: an approved comment by its approval number on the article (pages of
    comments.json); any other by creation time in its status's list (the moderation queue)."""
    if comment.approved:
        assert comment.seq is not None
        return {"gsi1pk": keys.comments_list("approved", comment.slug),
                "gsi1sk": keys.approved_position(comment.seq)}  # fmt: skip
    return {"gsi1pk": keys.comments_list(comment.status),
            "gsi1sk": keys.queue_position(comment.created_at, comment.id)}  # fmt: skip


def _values(comment: Comment) -> dict[str, Any]:
    return {**keys.comment(comment.id), "type": TYPE_COMMENT, **comment.to_json(exclude_none=True),
            **_index_keys(comment), "summary": comment.public_view()}  # fmt: skip


class CommentStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, comment_id: str) -> Comment | None:
        item = self.table.get(keys.comment(comment_id))
        return Comment.from_json(item) if item else None

    def history(
        self, *, email_hashes: Sequence[str], network_hashes: Sequence[str], duplicates: Sequence[str]
    ) -> CommentHistory:
        """What the intake's history rules read, in one request, under every key it tries (the
        current key's hashes first): the commenter (approved count, last comment), the network
        (last comment), whether the comment was made."""
        commenters = [keys.commenter(h)["pk"] for h in email_hashes]
        networks = [keys.network(h)["pk"] for h in network_hashes]
        wanted = [*map(keys.commenter, email_hashes), *map(keys.network, network_hashes),
                  *map(keys.duplicate, duplicates), keys.spam_names()]  # fmt: skip
        items = self.table.batch_get(wanted, projection=("pk", "approved", "last_at", "times", "v", "names"))
        found = {item["pk"]: item for item in items}
        seen = [found[pk] for pk in commenters if pk in found]
        earlier = [int(found[pk].get("approved", 0)) for pk in commenters[1:] if pk in found]
        times = [time for pk in networks if pk in found for time in _network_times(found[pk])]
        return CommentHistory(
            approved=int(found.get(commenters[0], {}).get("approved", 0)),
            last_at=max((float(i["last_at"]) for i in seen if "last_at" in i), default=None),
            duplicate=any(keys.duplicate(d)["pk"] in found for d in duplicates),
            carried=0 if commenters[0] in found else next(iter(earlier), 0),
            network=tuple(sorted(times)),
            network_version=int(found.get(networks[0], {}).get("v", 0)),
            spam_names=frozenset(found.get(keys.spam_names()["pk"], {}).get("names", ())),
        )

    def next_seq(self, slug: str) -> int:
        """The next approval number on an article (numbers a failed write took stay unused)."""
        attributes = self.table.update(
            keys.comment_counter(slug),
            UpdateExpression="SET #type = :type, slug = :slug ADD seq :one",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=to_item({":type": TYPE_COMMENT_COUNTER, ":slug": slug, ":one": 1}),
            ReturnValues="UPDATED_NEW",
        )
        return int(attributes["seq"])

    def counters(self, slug: str) -> tuple[int, int]:
        """An article's approved comments now, and the highest approval number given."""
        item = self.table.get(keys.comment_counter(slug)) or {}
        return int(item.get("count", 0)), int(item.get("seq", 0))

    def public_by_seq(self, slug: str, first: int, last: int) -> list[dict[str, Any]]:
        """The public view of an article's approved comments numbered ``first`` to ``last``
        (each with its number, ``seq``), in approval order."""
        items = self.table.query(
            IndexName=keys.GSI1,
            KeyConditionExpression="gsi1pk = :pk AND gsi1sk BETWEEN :first AND :last",
            ExpressionAttributeValues=to_item({
                ":pk": keys.comments_list("approved", slug),
                ":first": keys.approved_position(first), ":last": keys.approved_position(last),
            }),
            ProjectionExpression="gsi1sk, summary",
        )  # fmt: skip
        return [{**item["summary"], "seq": int(item["gsi1sk"])} for item in items]

    def in_status(self, status: str, *, limit: int, cursor: str | None) -> tuple[list[Comment], str | None]:
        """One page of the comments of a status (not ``approved``), oldest first, and the cursor
        of the next page (None: the last page). BadCursor for a cursor this list did not give."""
        request: dict[str, Any] = {
            "IndexName": keys.GSI1, "Limit": limit, "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": to_item({":pk": keys.comments_list(status)}),
        }  # fmt: skip
        if cursor:
            request["ExclusiveStartKey"] = to_item(decode_cursor(cursor, keys.comments_list(status)))
        items, last = self.table.query_page(**request)
        ids = [keys.parse(item["pk"], item["sk"]).name for item in items]
        stored = self.table.batch_get(map(keys.comment, ids))
        found = {item["id"]: Comment.from_json(item) for item in stored}
        return [found[comment_id] for comment_id in ids if comment_id in found], encode_cursor(last)

    def add(
        self,
        comment: Comment,
        *,
        duplicate: str,
        now: float,
        flood_seconds: int,
        carried: int = 0,
        network: tuple[float, ...] = (),
        network_version: int = 0,
        expires_at: int | None = None,
    ) -> None:
        """Store a new comment, unless it repeats one, follows its author's too soon, or its
        network's record changed since it was read.

        One transaction: the duplicate marker (new), the commenter's last comment time (older
        than ``flood_seconds``), the network's latest comment times (``network``, this one's
        included), conditional on the version read (``network_version``), the comment (with
        ``expires_at`` when it goes to spam), and for an approved comment (which carries its
        ``seq``) the article's and the commenter's approved counts; ``carried`` approved comments
        (from the previous key's record) are added to the commenter's. Raises
        CommentRefused("duplicate"), then ("flood"), then ("network": read it again and retry).
        """
        cutoff = now - flood_seconds
        stamp = {"ConditionExpression": "attribute_not_exists(last_at) OR last_at <= :cutoff",
                 "ExpressionAttributeNames": {"#type": "type"}}  # fmt: skip
        marker = {**keys.duplicate(duplicate), "type": TYPE_DUPLICATE, "comment": comment.id,
                  "expires_at": int(now) + DUPLICATE_SECONDS}  # fmt: skip
        stored = {**_values(comment), **({"expires_at": expires_at} if expires_at else {})}
        counted = carried + (1 if comment.approved else 0)
        approved = {":counted": counted} if counted else {}
        count_approved = " ADD approved :counted" if counted else ""
        items: list[Any] = [
            self.table.put_op(marker, ConditionExpression="attribute_not_exists(pk)"),
            self.table.update_op(
                keys.commenter(comment.email_hash),
                UpdateExpression="SET #type = :type, last_at = :now" + count_approved,
                ExpressionAttributeValues=to_item({":type": TYPE_COMMENTER, ":now": now, ":cutoff": cutoff,
                                                   **approved}), **stamp,
            ),
            self._network_op(comment.network_hash, network, network_version, now),
            self.table.put_op(stored, ConditionExpression="attribute_not_exists(pk)"),
        ]  # fmt: skip
        if comment.approved:
            items.append(self._count_comment(comment.slug, 1))

        def refused(reasons: list[str | None]) -> Exception:
            if reasons[:1] == [CONDITION_FAILED]:
                return CommentRefused("duplicate")
            if reasons[1:2] == [CONDITION_FAILED]:
                return CommentRefused("flood")
            if reasons[2:3] == [CONDITION_FAILED]:
                return CommentRefused("network")
            return Conflict(f"comment {comment.id}: {reasons}")

        self.table.transact(items, refused)

    def change(self, before: Comment, after: Comment, *, expires_at: int | None = None) -> None:
        """Replace a comment read as ``before`` with ``after`` (new status, or edited fields);
        ``expires_at`` when it is in spam or the trash (the table's TTL purges it then).

        Conditional on the stored status and revision being those read (Conflict when
        another change came first). Moving into or out of ``approved`` counts the
        article's and the commenter's approved comments in the same transaction.
        """
        read = before.revision or 0
        values = {
            **_values(after),
            "revision": read + 1,
            **({"expires_at": expires_at} if expires_at else {}),
        }
        items: list[Any] = [self.table.put_op(
            values,
            ConditionExpression="#status = :status AND "
            "(attribute_not_exists(revision) OR revision = :revision)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_item({":status": before.status, ":revision": read}),
        )]  # fmt: skip
        if before.approved != after.approved:
            delta = 1 if after.approved else -1
            items += [self._count_comment(after.slug, delta), self._count_commenter(after.email_hash, delta)]
        message = f"comment {after.id} changed meanwhile: read it again and retry"
        self.table.transact(items, lambda reasons: Conflict(message))

    def _network_op(
        self, network_hash: str, times: tuple[float, ...], version: int, now: float
    ) -> dict[str, Any]:
        """The network's latest comment times, conditional on the version read (0: no record yet)."""
        return self.table.update_op(
            keys.network(network_hash),
            UpdateExpression="SET #type = :type, times = :times, v = :next, expires_at = :expires",
            ConditionExpression="v = :v" if version else "attribute_not_exists(v)",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=to_item({
                ":type": TYPE_NETWORK, ":times": list(times), ":next": version + 1,
                ":expires": int(now) + NETWORK_SECONDS, **({":v": version} if version else {}),
            }),
        )  # fmt: skip

    def _count_comment(self, slug: str, delta: int) -> dict[str, Any]:
        return self.table.update_op(
            keys.comment_counter(slug), UpdateExpression="SET #type = :type, slug = :slug ADD #count :delta",
            ExpressionAttributeNames={"#type": "type", "#count": "count"},
            ExpressionAttributeValues=to_item({":type": TYPE_COMMENT_COUNTER, ":slug": slug,
                                               ":delta": delta}),
        )  # fmt: skip

    def _count_commenter(self, email_hash: str, delta: int) -> dict[str, Any]:
        return self.table.update_op(
            keys.commenter(email_hash), UpdateExpression="SET #type = :type ADD approved :delta",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=to_item({":type": TYPE_COMMENTER, ":delta": delta}),
        )  # fmt: skip


def _network_times(item: dict[str, Any]) -> list[float]:
    """A network record's latest comment times (a record written before these were kept: its one)."""
    if "times" in item:
        return [float(time) for time in item["times"]]
    return [float(item["last_at"])] if "last_at" in item else []
