"""The tag vocabulary editors manage: canonical names, aliases, blocked tags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from kabar.errors import InvalidRequest, NotFound
from kabar.models import TagCount, VocabularyEntry
from kabar.record import Record
from kabar.routing import field_errors
from kabar.slugs import is_slug, slugify
from kabar.text.tag_suggestion import match_key

if TYPE_CHECKING:
    from kabar.workflows.vocabulary_forms import BulkRequest, MergeRequest, TagRequest


class Vocabulary(Protocol):
    def get(self, slug: str) -> VocabularyEntry | None: ...
    def put(self, entry: VocabularyEntry, *, alias_keys: list[str], removed_keys: Iterable[str]) -> None: ...
    def all(self) -> list[VocabularyEntry]: ...


class TagCounts(Protocol):
    def count(self, tag: str) -> TagCount | None: ...


@dataclass(kw_only=True)
class TagEntry(Record):
    """A vocabulary tag as stored."""

    slug: str
    name: str
    aliases: list[str]
    status: Literal["active", "blocked", "merged"]
    merged_into: str | None = None

    @classmethod
    def of(cls, entry: VocabularyEntry) -> TagEntry:
        return cls(slug=entry.slug, name=entry.name, aliases=list(entry.aliases), status=entry.status,
                   merged_into=entry.merged_into)  # fmt: skip


def tag_request(body: object) -> TagRequest:
    """The ``PUT /tags/{slug}`` body, validated."""
    from kabar.workflows.vocabulary_forms import TagRequest  # pydantic: only when a body is read

    return TagRequest.model_validate(body)


def merge_request(body: object) -> MergeRequest:
    """The ``POST /tags/{slug}/merge`` body, validated."""
    from kabar.workflows.vocabulary_forms import MergeRequest

    return MergeRequest.model_validate(body)


def _check_slug(slug: str) -> None:
    if not is_slug(slug):
        raise InvalidRequest(
            "not a tag slug", [{"field": "slug", "message": "lower-case letters, digits and hyphens"}]
        )


def _names_keys(entry: VocabularyEntry) -> set[str]:
    """The match keys of a tag's name and aliases: what leads to it."""
    return {match_key(name) for name in (entry.name, *entry.aliases)} - {""}


def store_entry(entry: VocabularyEntry, *, vocabulary: Vocabulary) -> None:
    """Store a tag and its aliases (its name is always one of them); aliases it no longer
    lists are released. Conflict when an alias belongs to another tag."""
    previous = vocabulary.get(entry.slug)
    wanted = _names_keys(entry)
    removed = _names_keys(previous) - wanted if previous else set()
    vocabulary.put(entry, alias_keys=sorted(wanted), removed_keys=sorted(removed))


def put_tag(slug: str, request: TagRequest, *, vocabulary: Vocabulary) -> TagEntry:
    """Create or replace one vocabulary tag. Conflict when an alias belongs to another tag."""
    _check_slug(slug)
    entry = VocabularyEntry(
        slug=slug, name=request.name, status=request.status, aliases=tuple(request.aliases)
    )
    store_entry(entry, vocabulary=vocabulary)
    return TagEntry.of(entry)


def bulk_request(body: object) -> BulkRequest:
    """The ``PUT /tags`` body, every entry validated (all errors at once, before anything is stored).

    A name is checked as ``PUT /tags/{slug}`` checks it; an entry without ``slug`` needs a name
    that makes one (a name like "日本" is a tag's with a slug given, in bulk as alone)."""
    from pydantic import ValidationError

    from kabar.workflows.vocabulary_forms import BulkRequest

    try:
        bulk = BulkRequest.model_validate(body)
    except ValidationError as exc:
        raise InvalidRequest("the tags are not valid; nothing was stored", field_errors(exc)) from exc
    missing = [
        {"field": f"tags.{index}.slug", "message": f"is needed: the name {tag.name!r} has no letters or "
         "digits a-z, 0-9 to make one of"}
        for index, tag in enumerate(bulk.tags) if tag.slug is None and not slugify(tag.name)
    ]  # fmt: skip
    if missing:
        raise InvalidRequest("the tags are not valid; nothing was stored", missing)
    return bulk


def put_tags(bulk: BulkRequest, *, vocabulary: Vocabulary) -> list[TagEntry]:
    """Store a validated bulk load in order; nothing at all when a tag is given twice."""
    slugs = [tag.slug or slugify(tag.name) for tag in bulk.tags]
    duplicates = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicates:
        raise InvalidRequest(
            "the same tag is given twice; nothing was stored",
            [{"field": "tags", "message": f"{slug!r} appears more than once"} for slug in sorted(duplicates)],
        )
    from kabar.workflows.vocabulary_forms import TagRequest

    request_fields = ("name", "aliases", "status")
    return [
        put_tag(slug, TagRequest(**tag.model_dump(include=set(request_fields))), vocabulary=vocabulary)
        for slug, tag in zip(slugs, bulk.tags, strict=True)
    ]


def merge_tag(slug: str, request: MergeRequest, *, vocabulary: Vocabulary, tags: TagCounts) -> TagEntry:
    """Mark ``slug`` merged into ``request.into``; TaggingFunction then moves its articles.

    The merged tag keeps its aliases, which now lead to the target; its page
    becomes a pointer to the target's.
    """
    _check_slug(slug)
    if request.into == slug:
        raise InvalidRequest(
            "a tag cannot be merged into itself", [{"field": "into", "message": "is the tag itself"}]
        )
    target = vocabulary.get(request.into)
    if target is None or target.status != "active":
        raise InvalidRequest(
            "the target must be an active vocabulary tag",
            [{"field": "into", "message": f"{request.into!r} is not an active tag of the vocabulary"}],
        )
    current = vocabulary.get(slug)
    stats = tags.count(slug)
    if current is None and stats is None:
        raise NotFound(f"no tag {slug!r}: neither in the vocabulary nor given to any article")
    name = current.name if current else (stats.name if stats else slug)
    aliases = current.aliases if current else ()
    merged = VocabularyEntry(slug=slug, name=name, status="merged", merged_into=request.into, aliases=aliases)
    store_entry(merged, vocabulary=vocabulary)
    return TagEntry.of(merged)


def list_tags(*, vocabulary: Vocabulary) -> list[TagEntry]:
    return [TagEntry.of(entry) for entry in vocabulary.all()]
