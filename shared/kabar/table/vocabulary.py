"""The tag vocabulary: entries by slug, and aliases by match key (every name that leads to a tag)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kabar.errors import Conflict
from kabar.models import VocabularyEntry
from kabar.table import keys
from kabar.table.base import CONDITION_FAILED, Table

TYPE_VOCABULARY = "tag_vocabulary"
TYPE_ALIAS = "tag_alias"


def _entry(item: dict[str, Any]) -> VocabularyEntry:
    return VocabularyEntry(
        slug=str(item["slug"]), name=str(item["name"]), status=item.get("status", "active"),
        merged_into=item.get("merged_into"), aliases=tuple(item.get("aliases", [])),
    )  # fmt: skip


class VocabularyStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, slug: str) -> VocabularyEntry | None:
        item = self.table.get(keys.vocabulary(slug))
        return _entry(item) if item else None

    def put(self, entry: VocabularyEntry, *, alias_keys: list[str], removed_keys: Iterable[str]) -> None:
        """Store a vocabulary tag, claim its aliases' match keys and release ``removed_keys``.

        A key that belongs to another tag is a Conflict naming both. All of it happens
        at once, or not at all.
        """
        values = {**keys.vocabulary(entry.slug), "type": TYPE_VOCABULARY, "slug": entry.slug,
                  "name": entry.name, "status": entry.status, "merged_into": entry.merged_into,
                  "aliases": list(entry.aliases), "gsi1pk": keys.VOCABULARY,
                  "gsi1sk": entry.slug}  # fmt: skip
        mine = {"ExpressionAttributeValues": {":tag": {"S": entry.slug}}}
        items: list[Any] = [self.table.put_op(values)]
        for key in alias_keys:
            alias = {**keys.alias(key), "type": TYPE_ALIAS, "key": key, "tag": entry.slug}
            condition = "attribute_not_exists(pk) OR tag = :tag"
            items.append(self.table.put_op(alias, ConditionExpression=condition, **mine))
        for key in removed_keys:
            items.append(self.table.delete_op(keys.alias(key), ConditionExpression="tag = :tag", **mine))

        def refused(reasons: list[str | None]) -> Exception:
            taken = [alias_keys[i - 1] for i, code in enumerate(reasons)
                     if code == CONDITION_FAILED and 1 <= i <= len(alias_keys)]  # fmt: skip
            owners = self.alias_owners(taken)
            named = ", ".join(f"{key!r} belongs to tag {owners.get(key, '?')!r}" for key in taken)
            return Conflict(f"tag {entry.slug!r}: {named or reasons}")

        self.table.transact(items, refused)

    def alias_owners(self, match_keys: Iterable[str]) -> dict[str, str]:
        """The tag each of these match keys leads to, by key (keys no tag claims are left out)."""
        aliases = self.table.batch_get(keys.alias(key) for key in match_keys if key)
        return {str(alias["key"]): str(alias["tag"]) for alias in aliases}

    def all(self) -> list[VocabularyEntry]:
        """Every vocabulary tag, by slug."""
        return [_entry({**item, "slug": item["gsi1sk"]}) for item in self.table.in_list(keys.VOCABULARY)]

    # the tagger's Vocabulary (kabar.text.tag_suggestion) ---------------------------------

    def lookup(self, match_keys: Iterable[str]) -> dict[str, VocabularyEntry]:
        """The entries whose name or alias has one of these match keys, by key."""
        owners = self.alias_owners(match_keys)
        targets = self.entries(set(owners.values()))
        return {key: targets[tag] for key, tag in owners.items() if tag in targets}

    def entries(self, slugs: Iterable[str]) -> dict[str, VocabularyEntry]:
        """The entries of these canonical slugs (to follow merges)."""
        return {str(item["slug"]): _entry(item) for item in self.table.batch_get(map(keys.vocabulary, slugs))}
