"""Related lists, their reverse index (which lists name an article), and the candidates to score."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kabar.errors import Conflict
from kabar.models import Candidate, RelatedList
from kabar.table import keys
from kabar.table.base import Table
from kabar.table.codec import to_item

TYPE_RELATED = "related"
TYPE_LISTED_BY = "listed_by"
TYPE_UNLIST_PROGRESS = "unlist_progress"
TRANSACTION_ITEMS = 100  # DynamoDB's limit for one TransactWriteItems


def _listed(related: RelatedList | None) -> set[str]:
    """The articles a related list names (each has a reverse-index entry)."""
    if related is None:
        return set()
    return {entry.slug for entry in related.auto} | set(related.pinned)


def _revision_condition(previous: RelatedList | None) -> dict[str, Any]:
    if previous is None:
        return {"ConditionExpression": "attribute_not_exists(pk)"}
    return {
        "ConditionExpression": "revision = :revision",
        "ExpressionAttributeValues": {":revision": {"N": str(previous.revision)}},
    }


class RelatedListStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def candidates(
        self, tags: Iterable[str], category: str | None, per_list: int, terms: Iterable[str] = ()
    ) -> list[Candidate]:
        """The newest ``per_list`` articles of each tag's list, the category's and each term's, one
        query each. An article in several lists comes once per list.
        """
        lists = [keys.tag_list(tag) for tag in tags] + ([keys.category_list(category)] if category else [])
        lists += [keys.term_list(term) for term in terms]
        found = []
        for partition in lists:
            for item in self.table.newest(partition, per_list, projection="gsi1sk, profile"):
                moment, slug = keys.parse_listing_position(str(item["gsi1sk"]))
                profile = item.get("profile", {})
                found.append(Candidate(slug=slug, terms=profile.get("terms", {}),
                                       tags=tuple(profile.get("tags", ())), category=profile.get("category"),
                                       published_at=moment))  # fmt: skip
        return found

    def get(self, slug: str) -> RelatedList | None:
        item = self.table.get(keys.related(slug))
        return RelatedList.from_json(item) if item else None

    def get_many(self, slugs: Iterable[str]) -> dict[str, RelatedList]:
        lists = [RelatedList.from_json(item) for item in self.table.batch_get(map(keys.related, slugs))]
        return {related.slug: related for related in lists}

    def store(self, related: RelatedList, previous: RelatedList | None) -> None:
        """Store a related list and its reverse-index entries at once.

        Conditional on the revision read (``previous``): a concurrent change makes
        this a Conflict, and the caller's event is retried on fresh state.
        """
        self.store_all([(related, previous)])

    def store_all(self, changes: Sequence[tuple[RelatedList, RelatedList | None]]) -> None:
        """Store several related lists (each with the revision it was read at) and their
        reverse-index entries in one transaction: all or none, one request. Past
        :data:`TRANSACTION_ITEMS` items the lists go in several, in order (the last list last).
        A list changed meanwhile fails them all: a Conflict naming it.
        """
        batch: list[tuple[str, Any]] = []  # (the list's slug, one of its items)
        for related, previous in changes:
            values = {**keys.related(related.slug), "type": TYPE_RELATED, **related.to_json()}
            items = [self.table.put_op(values, **_revision_condition(previous))]
            items += self._listed_by_changes(related.slug, _listed(previous), _listed(related))
            if batch and len(batch) + len(items) > TRANSACTION_ITEMS:
                self._transact_lists(batch)
                batch = []
            batch += [(related.slug, item) for item in items]
        if batch:
            self._transact_lists(batch)

    def _transact_lists(self, batch: list[tuple[str, Any]]) -> None:
        def refused(reasons: list[str | None]) -> Conflict:
            codes = zip(batch, reasons, strict=False)  # (a cancellation without reasons names every list)
            failed = sorted({slug for (slug, _), code in codes if code not in (None, "None")})
            named = ", ".join(failed) or ", ".join(sorted({slug for slug, _ in batch}))
            return Conflict(f"related list of {named} changed meanwhile: {reasons}")

        self.table.transact([item for _, item in batch], refused)

    def delete(self, previous: RelatedList) -> None:
        """Remove an article's related list (it is no longer published) and its reverse entries."""
        items = [self.table.delete_op(keys.related(previous.slug), **_revision_condition(previous))]
        items += self._listed_by_changes(previous.slug, _listed(previous), set())
        self._transact(items, f"related list of {previous.slug}")

    def _listed_by_changes(self, source: str, was: set[str], now: set[str]) -> list[Any]:
        items = []
        for target in sorted(now - was):
            entry = {
                **keys.listed_by(target, source),
                "type": TYPE_LISTED_BY,
                "slug": target,
                "source": source,
            }
            items.append(self.table.put_op(entry))
        items += [self.table.delete_op(keys.listed_by(target, source)) for target in sorted(was - now)]
        return items

    def _transact(self, items: list[Any], what: str) -> None:
        self.table.transact(items, lambda reasons: Conflict(f"{what} changed meanwhile: {reasons}"))

    def listed_by(self, slug: str, *, after: str | None, limit: int) -> list[str]:
        """Up to ``limit`` articles whose related lists name ``slug``, by slug, after ``after``."""
        request: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.article_partition(slug)}, ":prefix": {"S": keys.LISTED_BY},
            },
            "Limit": limit, "ConsistentRead": True,
        }  # fmt: skip
        if after:
            request["ExclusiveStartKey"] = to_item(keys.listed_by(slug, after))
        items, _ = self.table.query_page(**request)
        return [str(keys.parse(item["pk"], item["sk"]).other) for item in items]

    def record_unlist_progress(self, slug: str, after: str) -> None:
        """Note where unlisting ``slug`` got to; the stream hands on the next chunk."""
        self.table.update(
            keys.unlist_progress(slug),
            UpdateExpression="SET #type = :type, #after = :after ADD rounds :one",
            ExpressionAttributeNames={"#type": "type", "#after": "after"},
            ExpressionAttributeValues=to_item({":type": TYPE_UNLIST_PROGRESS, ":after": after, ":one": 1}),
        )

    def unlist_progress(self, slug: str) -> str | None:
        item = self.table.get(keys.unlist_progress(slug))
        return str(item["after"]) if item else None
