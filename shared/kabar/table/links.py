"""The reverse index of editors' links: which articles name an article in ``read_also`` or
``related`` (pinned), so that they are rendered again when it is published or taken down.

PublishFunction writes the entries with each new article version (in the same transaction,
:func:`link_changes`); RenderFunction reads them (:meth:`LinkStore.named_by`).
"""

from __future__ import annotations

from typing import Any

from kabar.models import Article
from kabar.table import keys
from kabar.table.base import Table

TYPE_NAMED_BY = "named_by"


def named_targets(article: Article | None) -> set[str]:
    """The articles a version links to by name, while it is published (a draft links nowhere)."""
    if article is None or article.status != "published":
        return set()
    return {*article.read_also, *article.related} - {article.slug}


def link_changes(table: Table, previous: Article | None, article: Article) -> list[dict[str, Any]]:
    """The transaction items that bring ``article``'s entries from ``previous``'s names to its own.

    The entries' key carries the article's creation time, which every version keeps, so
    ``previous``'s entries are found by the same key. At most 20 puts (10 read-also, 10 pinned)
    and 20 deletes.
    """
    was, now = named_targets(previous), named_targets(article)
    items = []
    for target in sorted(now - was):
        entry = {**keys.named_by(target, article.slug, article.created_at), "type": TYPE_NAMED_BY,
                 "slug": target, "source": article.slug}  # fmt: skip
        items.append(table.put_op(entry))
    created = previous.created_at if previous is not None else article.created_at
    items += [table.delete_op(keys.named_by(target, article.slug, created)) for target in sorted(was - now)]
    return items


class LinkStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def named_by(self, slug: str, limit: int) -> list[str]:
        """Up to ``limit`` published articles that name ``slug``, the most recently created first
        (one Query of ``slug``'s partition)."""
        items, _ = self.table.query_page(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.article_partition(slug)},
                ":prefix": {"S": keys.NAMED_BY},
            },
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )
        return [str(keys.parse(item["pk"], item["sk"]).other) for item in items]
