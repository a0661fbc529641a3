"""The site's learned spam names: gambling site names its moderators' "spam" taught it.

Two kinds of item. One holds every name as a string set (``names``), small enough that the
comment intake reads it in the BatchGetItem it makes anyway (:meth:`CommentStore.history`): at
:data:`MAX_NAMES` names of up to :data:`MAX_NAME` characters it stays under 40 KB. One per name
holds where it was learned (the comment, the moderator, when), for the moderators' list. Learning
and forgetting are idempotent: ``ADD`` and ``DELETE`` on the set, a name's item put only if new.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from kabar.observability import logger
from kabar.table import keys
from kabar.table.base import ConditionFailed, Table
from kabar.table.codec import to_item

TYPE_SPAM_NAMES = "spam_names"
TYPE_SPAM_NAME = "spam_name"
MAX_NAMES = 2000
MAX_NAME = 20


class SpamNameStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def names(self) -> frozenset[str]:
        item = self.table.get(keys.spam_names(), projection=("names",)) or {}
        return frozenset(item.get("names", ()))

    def learn(self, names: Iterable[str], *, comment_id: str, by: str, at: str) -> list[str]:
        """Learn ``names`` from a comment marked spam; the names that were new."""
        known = self.names()
        fresh = sorted({name for name in names if len(name) <= MAX_NAME} - known)
        room = MAX_NAMES - len(known)
        if len(fresh) > room:
            logger.warning("spam names full: not learned", extra={"names": fresh[room:], "limit": MAX_NAMES})
            fresh = fresh[: max(room, 0)]
        for name in fresh:
            with suppress(ConditionFailed):  # learned meanwhile (a replayed request, another moderator)
                self.table.put({**keys.spam_name(name), "type": TYPE_SPAM_NAME, "name": name,
                                "comment": comment_id, "by": by, "learned_at": at},
                               ConditionExpression="attribute_not_exists(pk)")  # fmt: skip
        if fresh:
            self.table.update(
                keys.spam_names(), UpdateExpression="SET #type = :type ADD #names :names",
                ExpressionAttributeNames={"#type": "type", "#names": "names"},
                ExpressionAttributeValues={**to_item({":type": TYPE_SPAM_NAMES}), ":names": {"SS": fresh}},
            )  # fmt: skip
        return fresh

    def forget(self, name: str) -> bool:
        """Forget a name; False when it was not known."""
        if name not in self.names():
            return False
        self.table.update(
            keys.spam_names(), UpdateExpression="DELETE #names :names",
            ExpressionAttributeNames={"#names": "names"},
            ExpressionAttributeValues={":names": {"SS": [name]}},
        )  # fmt: skip
        self.table.delete(keys.spam_name(name))
        return True

    def page(self, *, limit: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """Names in order after ``after``, each with where it was learned, and the last one's name
        when more follow."""
        ordered = sorted(name for name in self.names() if after is None or name > after)
        shown, more = ordered[:limit], len(ordered) > limit
        found = {item["name"]: item for item in self.table.batch_get(map(keys.spam_name, shown))}
        rows = [{"name": name, **{k: found.get(name, {}).get(k) for k in ("comment", "by", "learned_at")}}
                for name in shown]  # fmt: skip
        return rows, (shown[-1] if more and shown else None)
