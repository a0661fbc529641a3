"""The content table's stores, held in memory: what the workflows' protocols ask for, and nothing else.

Each class does what its store in :mod:`kabar.table` does, conditions included: an
upload leaves ``pending`` exactly once (AlreadyProcessed), article versions follow
one another (Conflict), older tags never replace newer ones (Stale), related lists
and comments are written on the revision read (Conflict), an alias belongs to one
tag (Conflict naming its owner), a repeated or too early comment is refused
(CommentRefused). A write that is refused changes nothing. Lists (gsi1 in the
table) are kept by the same partitions and sort keys the table uses, so every list
is newest first by publish time and a month is the sort keys that begin with it.

Stores hand out copies and keep copies, as the table does: changing what a store
returned never changes the store. Every store is a dataclass, so ``copy.deepcopy``
of :class:`MemoryStores` is a snapshot a test can compare with (``==``) afterwards.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from kabar.documents import ArticleSummary, AuthorProfile
from kabar.errors import AlreadyProcessed, CommentRefused, Conflict, Stale, TagMergedMeanwhile
from kabar.images.records import LibraryImage
from kabar.models import (
    Article,
    ArticleFacts,
    ArticleTags,
    AuthorRef,
    Candidate,
    Category,
    Comment,
    CommentHistory,
    IgnoredFile,
    RelatedList,
    ScoredTag,
    TagCount,
    TagRef,
    Upload,
    UploadState,
    VocabularyEntry,
    list_terms,
)
from kabar.paging import PageBound
from kabar.record import Record
from kabar.site import document_bytes
from kabar.slugs import slugify
from kabar.table import keys
from kabar.table.base import ConditionFailed
from kabar.table.codec import decode_cursor as _decode_cursor
from kabar.table.codec import encode_cursor as _encode_cursor
from kabar.table.links import named_targets
from kabar.workflows.render.sources import Sources

T = TypeVar("T")

# Lists (gsi1) ------------------------------------------------------------------------


@dataclass
class Listed:
    """One article in one list (an item with gsi1 keys): the list, the article's sort key in it
    (:func:`kabar.table.keys.listing_position`), the summary the list shows and, in a tag's or
    category's list, the profile related-article scoring reads."""

    partition: str
    position: str
    summary: ArticleSummary
    profile: dict[str, Any] = field(default_factory=dict)


@dataclass
class MemoryLists:
    """kabar.table.lists.ListStore, and the index beneath it: every list entry by the table key
    of the item that makes it (an article's current version is in ``latest``; its memberships,
    which TagStore writes, in its tags' and its category's lists)."""

    items: dict[tuple[str, str], Listed] = field(default_factory=dict)
    pages: dict[str, dict[str, PageBound]] = field(default_factory=dict)  # list -> upper bound -> page
    written: dict[tuple[str, str], datetime] = field(default_factory=dict)  # when each page was committed

    def put(self, key: keys.Key, listed: Listed) -> None:
        self.items[(key["pk"], key["sk"])] = _copy(listed)

    def remove(self, key: keys.Key) -> None:
        self.items.pop((key["pk"], key["sk"]), None)

    def members(self, partition: str) -> list[Listed]:
        """A list's entries, oldest first (ascending sort key), as copies."""
        found = [listed for listed in self.items.values() if listed.partition == partition]
        return [_copy(listed) for listed in sorted(found, key=lambda listed: listed.position)]

    def newest(self, limit: int, name: str | None = None) -> list[ArticleSummary]:
        return [listed.summary for listed in reversed(self.members(keys.list_partition(name)))][:limit]

    def since(self, lower: str, limit: int, *, before: str | None = None) -> list[ArticleSummary]:
        newest = reversed(self.members(keys.LATEST))
        inside = [m for m in newest if m.position >= lower and (before is None or m.position < before)]
        return [listed.summary for listed in inside][:limit]

    # pages, as kabar.table.lists.ListStore keeps them ------------------------------------

    @staticmethod
    def position(published_at: datetime, slug: str) -> str:
        return keys.listing_position(published_at, slug)

    def _bounds(self, name: str | None) -> dict[str, PageBound]:
        return self.pages.setdefault(keys.list_pages(name), {})

    def page_of(self, name: str | None, position: str) -> PageBound | None:
        above = sorted(upper for upper in self._bounds(name) if upper > position)
        return self._bounds(name)[above[0]] if above else None

    def newest_page(self, name: str | None) -> PageBound:
        return self._bounds(name).get(keys.OPEN_PAGE) or PageBound(upper=keys.OPEN_PAGE)

    def page(self, name: str | None, upper: str) -> PageBound | None:
        return self._bounds(name).get(upper)

    def entries(self, name: str | None, page: PageBound) -> list[tuple[str, ArticleSummary]]:
        members = self.members(keys.list_partition(name))
        inside = [m for m in members if m.position >= page.lower and (page.newest or m.position < page.upper)]
        return [(listed.position, listed.summary) for listed in reversed(inside)]

    def commit(self, name: str | None, *, put: Iterable[PageBound] = (), delete: Iterable[PageBound] = (),
               seq: tuple[int, int] | None = None) -> None:  # fmt: skip
        """All or nothing; Conflict when a page is not at the version read (as the transaction)."""
        bounds, put, delete = self._bounds(name), list(put), list(delete)
        stored = {upper: bound.version for upper, bound in bounds.items()}
        stale = [b for b in put if stored.get(b.upper, 0) != b.version - 1]
        stale += [b for b in delete if stored.get(b.upper) != b.version]
        newest = bounds.get(keys.OPEN_PAGE)
        if seq is not None and (newest is None or newest.seq != seq[0]):
            stale.append(PageBound(upper=keys.OPEN_PAGE))
        if stale:
            raise Conflict(f"pages {[b.upper for b in stale]} not as read")
        for bound in delete:
            del bounds[bound.upper]
        for bound in put:
            bounds[bound.upper] = bound
            self.written[(keys.list_pages(name), bound.upper)] = datetime.now(UTC)
        if seq is not None and newest is not None and not any(b.upper == keys.OPEN_PAGE for b in put):
            bounds[keys.OPEN_PAGE] = replace(bounds[keys.OPEN_PAGE], seq=seq[1])

    def every_page(self, name: str | None) -> list[tuple[PageBound, datetime | None]]:
        pages = self._bounds(name)
        return [(pages[upper], self.written.get((keys.list_pages(name), upper))) for upper in sorted(pages)]

    def versions(self, name: str | None, uppers: Iterable[str]) -> dict[str, int]:
        bounds = self._bounds(name)
        return {upper: bounds[upper].version for upper in uppers if upper in bounds}

    def versions_of(self, uppers: Mapping[str | None, Iterable[str]]) -> dict[tuple[str | None, str], int]:
        return {(name, upper): version for name, listed in uppers.items()
                for upper, version in self.versions(name, listed).items()}  # fmt: skip


# Uploads and articles ----------------------------------------------------------------


@dataclass
class MemoryUploads:
    """kabar.table.uploads.UploadStore."""

    uploads: dict[str, Upload] = field(default_factory=dict)

    def create(self, upload: Upload) -> None:
        if upload.upload_id in self.uploads:
            raise ConditionFailed(upload.upload_id)  # as the table's put: its id must be new
        self.uploads[upload.upload_id] = _copy(upload)

    def get(self, upload_id: str) -> Upload | None:
        return _copy(self.uploads.get(upload_id))

    def finishable(self, upload_id: str) -> bool:
        """The condition that moves an upload out of ``pending`` (or ``expired``) exactly once."""
        stored = self.uploads.get(upload_id)
        return stored is None or stored.state.awaits_file

    def finish(self, upload: Upload) -> None:
        if not self.finishable(upload.upload_id):
            raise AlreadyProcessed(upload.upload_id)
        self.uploads[upload.upload_id] = _copy(upload)

    def expire(self, upload_id: str) -> Upload | None:
        stored = self.uploads.get(upload_id)
        if stored is None or stored.state is not UploadState.PENDING:
            return None
        self.uploads[upload_id] = stored.replace(state=UploadState.EXPIRED)
        return _copy(self.uploads[upload_id])

    def wait(self, upload: Upload, awaited: list[str]) -> bool:
        stored = self.uploads.get(upload.upload_id)
        if stored is None or not stored.state.awaits_file:
            return False
        if any(stored.files[name].state != "pending" for name in awaited):
            return False
        self.uploads[upload.upload_id] = _copy(upload.replace(files=stored.files))
        return True

    def give_up(self, upload: Upload) -> Upload | None:
        stored = self.uploads.get(upload.upload_id)
        if stored is None or stored.state is not UploadState.WAITING:
            return None
        self.uploads[upload.upload_id] = stored.replace(state=upload.state, processed_at=upload.processed_at,
                                                        errors=upload.errors)  # fmt: skip
        return _copy(self.uploads[upload.upload_id])

    def ignore(self, upload_id: str, file: IgnoredFile, keep: int) -> Upload | None:
        stored = self.uploads.get(upload_id)
        if stored is None or len(stored.ignored_files) >= keep:
            return None
        if file.sha256 in {noted.sha256 for noted in stored.ignored_files}:
            return None
        self.uploads[upload_id] = stored.replace(ignored_files=[*stored.ignored_files, file])
        return _copy(self.uploads[upload_id])


@dataclass
class MemoryLinks:
    """kabar.table.links.LinkStore: the reverse index of editors' links, by the table's keys."""

    entries: dict[tuple[str, str], str] = field(default_factory=dict)  # (pk, sk) -> source

    def change(self, previous: Article | None, article: Article) -> None:
        was, now = named_targets(previous), named_targets(article)
        created = previous.created_at if previous is not None else article.created_at
        for target in was - now:
            key = keys.named_by(target, article.slug, created)
            self.entries.pop((key["pk"], key["sk"]), None)
        for target in now - was:
            key = keys.named_by(target, article.slug, article.created_at)
            self.entries[(key["pk"], key["sk"])] = article.slug

    def named_by(self, slug: str, limit: int) -> list[str]:
        partition = keys.article_partition(slug)
        found = sorted((key for key in self.entries if key[0] == partition), reverse=True)
        return [self.entries[key] for key in found[:limit]]


@dataclass
class MemoryArticles:
    """kabar.table.articles.ArticleStore: the current versions, their history, what the CDN serves."""

    uploads: MemoryUploads
    lists: MemoryLists
    links: MemoryLinks = field(default_factory=MemoryLinks)
    current: dict[str, Article] = field(default_factory=dict)
    history: dict[tuple[str, int], Article] = field(default_factory=dict)
    rendered: dict[str, tuple[int, str]] = field(default_factory=dict)
    library: dict[str, LibraryImage] = field(default_factory=dict)  # kabar.table.images.ImageStore's items

    def images(self, image_ids: Iterable[str]) -> dict[str, LibraryImage]:
        return {image: self.library[image] for image in image_ids if image in self.library}

    def reading_ahead(self, slugs: Iterable[str], *, linked: bool = False) -> AbstractContextManager[None]:
        """Nothing to read ahead: memory answers each read at once."""
        return nullcontext()

    def get(self, slug: str) -> Article | None:
        return _copy(self.current.get(slug))

    def facts(self, slug: str) -> ArticleFacts | None:
        article = self.current.get(slug)
        return ArticleFacts.from_json(article.to_json()) if article else None

    def states(self, slugs: Iterable[str]) -> dict[str, str]:
        return {slug: self.current[slug].status for slug in slugs if slug in self.current}

    def summaries(self, slugs: Iterable[str]) -> dict[str, ArticleSummary]:
        found = (self.current.get(slug) for slug in slugs)
        return {a.slug: a.summary() for a in found if a is not None and a.status == "published"}

    def publish(self, upload: Upload, article: Article, previous: Article | None = None) -> None:
        """The upload's outcome, the new current version, its history entry and the reverse index
        of its links: all or nothing."""
        if not self.uploads.finishable(upload.upload_id):
            raise AlreadyProcessed(upload.upload_id)
        stored = self.current.get(article.slug)
        follows = article.version - 1 if article.version > 1 else None  # the version it replaces
        if (stored.version if stored else None) != follows or (article.slug, article.version) in self.history:
            raise Conflict(f"article {article.slug} changed meanwhile")
        self.uploads.finish(upload)
        self.links.change(previous, article)
        self.current[article.slug] = _copy(article)
        self.history[(article.slug, article.version)] = _copy(article)
        if article.status == "published":
            position = keys.listing_position(article.published_at, article.slug)
            self.lists.put(keys.article(article.slug), Listed(keys.LATEST, position, article.summary()))
        else:
            self.lists.remove(keys.article(article.slug))  # a draft carries no list keys

    def versions(self, slug: str) -> list[int]:
        return sorted(number for stored, number in self.history if stored == slug)

    def mark_rendered(self, slug: str, version: int, status: str) -> None:
        """Never backwards: a newer version rendered already keeps its mark."""
        if slug not in self.rendered or self.rendered[slug][0] <= version:
            self.rendered[slug] = (version, status)

    def rendered_version(self, slug: str) -> tuple[int, str] | None:
        return self.rendered.get(slug)


# Tags, vocabulary ----------------------------------------------------------------------


@dataclass
class MergeProgress:
    moved: int = 0
    rounds: int = 0


@dataclass
class MemoryTags:
    """kabar.table.tags.TagStore: each article's computed tags, its memberships, the tags' counts."""

    lists: MemoryLists
    vocabulary: MemoryVocabulary | None = None  # for the check that a joined tag is not merged
    tagged: dict[str, ArticleTags] = field(default_factory=dict)
    stats: dict[str, TagCount] = field(default_factory=dict)
    category_stats: dict[str, TagCount] = field(default_factory=dict)
    author_stats: dict[str, TagCount] = field(default_factory=dict)
    merges: dict[str, MergeProgress] = field(default_factory=dict)

    def reading_counts_ahead(
        self, tags: Iterable[str], categories: Iterable[str] = (), authors: Iterable[str] = ()
    ) -> AbstractContextManager[None]:
        """Nothing to read ahead: memory answers each read at once."""
        return nullcontext()

    def get(self, slug: str) -> ArticleTags | None:
        return _copy(self.tagged.get(slug))

    def store(
        self,
        tagged: ArticleTags,
        *,
        previous: ArticleTags | None,
        summary: ArticleSummary | None,
        published_at: datetime | None,
        category: Category | None = None,
        authors: list[AuthorRef] | None = None,
    ) -> None:
        """As TagStore.store: Stale unless newer (or, for a re-tag of the same version, unless the
        revision read is the one stored); memberships only while published (``summary``)."""
        stored = self.tagged.get(tagged.slug)
        if previous is not None and previous.version == tagged.version:
            current = stored is not None and (stored.version, stored.revision) == (
                tagged.version,
                previous.revision,
            )
        else:
            current = stored is None or stored.version < tagged.version
        if not current:
            raise Stale(f"tags of {tagged.slug} v{tagged.version}")
        was = {t.slug: t for t in previous.tags} if previous and previous.status == "published" else {}
        now = {t.slug: t for t in tagged.tags} if summary is not None else {}
        entries = self.vocabulary.tags if self.vocabulary is not None else {}
        moved = [s for s in now if s not in was and s in entries and entries[s].status == "merged"]
        if moved:
            raise TagMergedMeanwhile(f"tags of {tagged.slug}: {', '.join(moved)} merged meanwhile")
        self.tagged[tagged.slug] = _copy(tagged)
        position = keys.listing_position(published_at, tagged.slug) if published_at else ""
        profile = {
            "terms": dict(tagged.terms),
            "tags": list(now),
            **({"category": category.slug} if category else {}),
        }
        for slug, tag in now.items():
            assert summary is not None
            self.lists.put(
                keys.membership(tagged.slug, slug), Listed(keys.tag_list(slug), position, summary, profile)
            )
            if slug not in was:
                self._count(tag, +1)
        in_list = category if summary is not None and category and published_at is not None else None
        if in_list is not None:
            listed = Listed(keys.category_list(in_list.slug), position, summary, profile)
            self.lists.put(keys.category_membership(tagged.slug), listed)
        else:
            self.lists.remove(keys.category_membership(tagged.slug))
        self._category_counts(
            previous.category if previous and previous.status == "published" else None, in_list
        )
        for slug, tag in was.items():
            if slug not in now:
                self.lists.remove(keys.membership(tagged.slug, slug))
                self._count(tag, -1)
        listed_authors = (authors or []) if summary is not None and published_at is not None else []
        self._authors(tagged.slug, previous, listed_authors, lambda author: Listed(
            keys.author_list(author), position, summary, profile))  # type: ignore[arg-type]  # fmt: skip
        terms_was = set(list_terms(previous.terms)) if previous and previous.status == "published" else set()
        terms_now = list_terms(tagged.terms) if summary is not None and published_at is not None else []
        for term in terms_now:
            assert summary is not None
            listed = Listed(keys.term_list(term), position, summary, profile)
            self.lists.put(keys.term_membership(tagged.slug, term), listed)
        for term in sorted(terms_was - set(terms_now)):
            self.lists.remove(keys.term_membership(tagged.slug, term))

    def _authors(
        self, slug: str, previous: ArticleTags | None, now: list[AuthorRef], listed: Callable[[str], Listed]
    ) -> None:
        """The article in its authors' lists while published; their counts move as it joins or leaves."""
        was = set(previous.authors) if previous and previous.status == "published" else set()
        for author in now:
            self.lists.put(keys.authorship(slug, author.slug), listed(author.slug))
            count = self.author_stats[author.slug].count if author.slug in self.author_stats else 0
            self.author_stats[author.slug] = TagCount(slug=author.slug, name=author.name,
                                                      count=count + (author.slug not in was))  # fmt: skip
        for gone in sorted(was - {author.slug for author in now}):
            self.lists.remove(keys.authorship(slug, gone))
            old = self.author_stats[gone]
            self.author_stats[gone] = replace(old, count=old.count - 1)

    def author_count(self, author: str) -> TagCount | None:
        return self.author_stats.get(author)

    def _category_counts(self, left: str | None, joined: Category | None) -> None:
        if left == (joined.slug if joined else None):
            return
        if left:
            old = self.category_stats[left]
            self.category_stats[left] = replace(old, count=old.count - 1)
        if joined is not None:
            count = self.category_stats[joined.slug].count if joined.slug in self.category_stats else 0
            self.category_stats[joined.slug] = TagCount(slug=joined.slug, name=joined.name, count=count + 1)

    def _count(self, tag: ScoredTag, delta: int) -> None:
        """The tag's count moves by ``delta``; its name is the one last given."""
        count = self.stats[tag.slug].count if tag.slug in self.stats else 0
        self.stats[tag.slug] = TagCount(slug=tag.slug, name=tag.name, count=count + delta)

    def member_slugs(self, tag: str, limit: int) -> list[str]:
        newest = reversed(self.lists.members(keys.tag_list(tag)))
        return [keys.parse_listing_position(listed.position)[1] for listed in newest][:limit]

    def record_merge_progress(self, tag: str, moved: int) -> None:
        progress = self.merges.setdefault(tag, MergeProgress())
        progress.moved += moved
        progress.rounds += 1

    def counts(self) -> list[TagCount]:
        return [self.stats[slug] for slug in sorted(self.stats)]

    def count(self, tag: str) -> TagCount | None:
        return self.stats.get(tag)

    def category_count(self, category: str) -> TagCount | None:
        return self.category_stats.get(category)

    def categories(self, limit: int) -> list[TagCount]:
        found = [self.category_stats[slug] for slug in sorted(self.category_stats)][:limit]
        return [category for category in found if category.count > 0]

    def most_used(self, limit: int) -> list[TagCount]:
        used = sorted((t for t in self.stats.values() if t.count > 0), key=lambda t: (-t.count, t.slug))
        return used[:limit]

    def article_counts(self, tags: Iterable[str]) -> dict[str, int]:
        return {tag: self.stats[tag].count for tag in tags if tag in self.stats}


@dataclass
class MemoryVocabulary:
    """kabar.table.vocabulary.VocabularyStore: kabar.workflows.vocabulary.Vocabulary, and the
    tagger's lookup / entries (kabar.text.tag_suggestion.Vocabulary)."""

    tags: dict[str, VocabularyEntry] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # match key -> the tag it leads to

    def get(self, slug: str) -> VocabularyEntry | None:
        return self.tags.get(slug)

    def put(self, entry: VocabularyEntry, *, alias_keys: list[str], removed_keys: Iterable[str]) -> None:
        """All at once or not at all; a key another tag holds is a Conflict naming both."""
        removed = list(removed_keys)
        taken = [key for key in alias_keys if self.aliases.get(key, entry.slug) != entry.slug]
        not_mine = [key for key in removed if self.aliases.get(key) != entry.slug]
        if taken or not_mine:
            named = ", ".join(f"{key!r} belongs to tag {self.aliases[key]!r}" for key in taken)
            failed = {*taken, *not_mine}
            reasons = [None] + [
                "ConditionalCheckFailed" if k in failed else None for k in alias_keys + removed
            ]
            raise Conflict(f"tag {entry.slug!r}: {named or reasons}")
        self.tags[entry.slug] = entry
        self.aliases.update(dict.fromkeys(alias_keys, entry.slug))
        for key in removed:
            del self.aliases[key]

    def alias_owners(self, match_keys: Iterable[str]) -> dict[str, str]:
        return {key: self.aliases[key] for key in match_keys if key in self.aliases}

    def all(self) -> list[VocabularyEntry]:
        return [self.tags[slug] for slug in sorted(self.tags)]

    def lookup(self, match_keys: Iterable[str]) -> dict[str, VocabularyEntry]:
        owners = self.alias_owners(match_keys)
        return {key: self.tags[tag] for key, tag in owners.items() if tag in self.tags}

    def entries(self, slugs: Iterable[str]) -> dict[str, VocabularyEntry]:
        return {slug: self.tags[slug] for slug in slugs if slug in self.tags}


# Related lists -------------------------------------------------------------------------


@dataclass
class UnlistProgress:
    after: str
    rounds: int = 0


def _listed(related: RelatedList | None) -> set[str]:
    return set() if related is None else {entry.slug for entry in related.auto} | set(related.pinned)


@dataclass
class MemoryRelatedLists:
    """kabar.table.related.RelatedListStore: related lists, their reverse index, the candidates."""

    lists: MemoryLists
    related: dict[str, RelatedList] = field(default_factory=dict)
    named_by: set[tuple[str, str]] = field(default_factory=set)  # (target, source): source's list names it
    unlisting: dict[str, UnlistProgress] = field(default_factory=dict)

    def candidates(
        self, tags: Iterable[str], category: str | None, per_list: int, terms: Iterable[str] = ()
    ) -> list[Candidate]:
        partitions = [keys.tag_list(tag) for tag in tags] + (
            [keys.category_list(category)] if category else []
        )
        partitions += [keys.term_list(term) for term in terms]
        found = []
        for partition in partitions:
            for listed in list(reversed(self.lists.members(partition)))[:per_list]:
                moment, slug = keys.parse_listing_position(listed.position)
                profile = listed.profile
                found.append(
                    Candidate(
                        slug=slug,
                        terms=profile.get("terms", {}),
                        tags=tuple(profile.get("tags", ())),
                        category=profile.get("category"),
                        published_at=moment,
                    )
                )
        return found

    def get(self, slug: str) -> RelatedList | None:
        return _copy(self.related.get(slug))

    def get_many(self, slugs: Iterable[str]) -> dict[str, RelatedList]:
        return {slug: _copy(self.related[slug]) for slug in slugs if slug in self.related}

    def _check(self, slug: str, previous: RelatedList | None) -> None:
        """Written on the revision read: a list that changed meanwhile (or appeared) is a Conflict."""
        stored = self.related.get(slug)
        if (stored.revision if stored else None) != (previous.revision if previous else None):
            raise Conflict(f"related list of {slug} changed meanwhile")

    def store(self, related: RelatedList, previous: RelatedList | None) -> None:
        self._check(related.slug, previous)
        self.related[related.slug] = _copy(related)
        self._reindex(related.slug, _listed(previous), _listed(related))

    def store_all(self, changes: Sequence[tuple[RelatedList, RelatedList | None]]) -> None:
        for related, previous in changes:  # all or none, as one transaction
            self._check(related.slug, previous)
        for related, previous in changes:
            self.store(related, previous)

    def delete(self, previous: RelatedList) -> None:
        self._check(previous.slug, previous)
        del self.related[previous.slug]
        self._reindex(previous.slug, _listed(previous), set())

    def _reindex(self, source: str, was: set[str], now: set[str]) -> None:
        self.named_by |= {(target, source) for target in now - was}
        self.named_by -= {(target, source) for target in was - now}

    def listed_by(self, slug: str, *, after: str | None, limit: int) -> list[str]:
        sources = sorted(source for target, source in self.named_by if target == slug)
        return [source for source in sources if after is None or source > after][:limit]

    def record_unlist_progress(self, slug: str, after: str) -> None:
        progress = self.unlisting.setdefault(slug, UnlistProgress(after))
        progress.after = after
        progress.rounds += 1

    def unlist_progress(self, slug: str) -> str | None:
        return self.unlisting[slug].after if slug in self.unlisting else None


# Comments ----------------------------------------------------------------------------


@dataclass
class Seen:
    """A commenter's or a network's history: approved comments (commenters), the last comment's
    time (commenters), the latest comments' times and the record's version (networks)."""

    approved: int = 0
    last_at: float | None = None
    times: tuple[float, ...] = ()
    version: int = 0


@dataclass
class Counters:
    """An article's approved comments now, and the highest approval number given."""

    count: int = 0
    seq: int = 0


@dataclass
class MemoryComments:
    """kabar.table.comments.CommentStore."""

    comments: dict[str, Comment] = field(default_factory=dict)
    commenters: dict[str, Seen] = field(default_factory=dict)
    networks: dict[str, Seen] = field(default_factory=dict)
    duplicates: dict[str, str] = field(default_factory=dict)  # digest -> the comment that made it
    articles: dict[str, Counters] = field(default_factory=dict)
    expires: dict[str, int] = field(default_factory=dict)  # comment id -> when the table's TTL purges it
    spam_names: set[str] = field(default_factory=set)  # the learned names the history read gives

    def get(self, comment_id: str) -> Comment | None:
        return _copy(self.comments.get(comment_id))

    def history(
        self, *, email_hashes: Sequence[str], network_hashes: Sequence[str], duplicates: Sequence[str]
    ) -> CommentHistory:
        commenters = [self.commenters.get(h) for h in email_hashes]
        networks = [self.networks.get(h) for h in network_hashes]
        times = [s.last_at for s in commenters if s is not None and s.last_at is not None]
        earlier = [s.approved for s in commenters[1:] if s is not None]
        return CommentHistory(
            approved=commenters[0].approved if commenters[0] else 0,
            last_at=max(times, default=None),
            duplicate=any(d in self.duplicates for d in duplicates),
            carried=0 if commenters[0] else next(iter(earlier), 0),
            network=tuple(sorted(t for n in networks if n is not None for t in n.times)),
            network_version=networks[0].version if networks[0] else 0,
            spam_names=frozenset(self.spam_names),
        )

    def next_seq(self, slug: str) -> int:
        counters = self.articles.setdefault(slug, Counters())
        counters.seq += 1
        return counters.seq

    def counters(self, slug: str) -> tuple[int, int]:
        counters = self.articles.get(slug, Counters())
        return counters.count, counters.seq

    def public_by_seq(self, slug: str, first: int, last: int) -> list[dict[str, Any]]:
        shown = [
            c
            for c in self.comments.values()
            if c.slug == slug and c.approved and c.seq is not None and first <= c.seq <= last
        ]
        return [{**c.public_view(), "seq": c.seq} for c in sorted(shown, key=lambda c: c.seq or 0)]

    def in_status(self, status: str, *, limit: int, cursor: str | None) -> tuple[list[Comment], str | None]:
        """One page, oldest first. As DynamoDB does, a full page gives a cursor even when nothing
        follows (the next page is then empty)."""
        partition = keys.comments_list(status)
        after = _decode_cursor(cursor, partition)["gsi1sk"] if cursor else ""
        queued = sorted(
            (keys.queue_position(c.created_at, c.id), c) for c in self.comments.values() if c.status == status
        )
        page = [(position, c) for position, c in queued if position > after][:limit]
        if len(page) < limit:
            return [_copy(c) for _, c in page], None
        position, last = page[-1]
        key = {**keys.comment(last.id), "gsi1pk": partition, "gsi1sk": position}
        return [_copy(c) for _, c in page], _encode_cursor(key)

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
        if duplicate in self.duplicates:
            raise CommentRefused("duplicate")
        commenter = self.commenters.get(comment.email_hash)
        if (
            commenter is not None
            and commenter.last_at is not None
            and commenter.last_at > now - flood_seconds
        ):
            raise CommentRefused("flood")
        if self.networks.get(comment.network_hash, Seen()).version != network_version:
            raise CommentRefused("network")
        if comment.id in self.comments:
            raise Conflict(f"comment {comment.id} exists")
        self.duplicates[duplicate] = comment.id
        commenter = self.commenters.setdefault(comment.email_hash, Seen())
        commenter.last_at = now
        commenter.approved += carried
        self.networks[comment.network_hash] = Seen(times=network, version=network_version + 1)
        self.comments[comment.id] = _copy(comment)
        if expires_at:
            self.expires[comment.id] = expires_at
        if comment.approved:
            commenter.approved += 1
            self.articles.setdefault(comment.slug, Counters()).count += 1

    def change(self, before: Comment, after: Comment, *, expires_at: int | None = None) -> None:
        """On the status and revision read; in or out of ``approved`` moves both counts."""
        read = before.revision or 0
        stored = self.comments.get(after.id)
        if stored is None or stored.status != before.status or stored.revision not in (None, read):
            raise Conflict(f"comment {after.id} changed meanwhile: read it again and retry")
        self.comments[after.id] = copy.deepcopy(after.replace(revision=read + 1))
        self.expires.pop(after.id, None)
        if expires_at:
            self.expires[after.id] = expires_at
        if before.approved != after.approved:
            delta = 1 if after.approved else -1
            self.articles.setdefault(after.slug, Counters()).count += delta
            self.commenters.setdefault(after.email_hash, Seen()).approved += delta


# The site ----------------------------------------------------------------------------


@dataclass
class MemorySite:
    """The site bucket and its CDN (kabar.workflows.render.sources.Site): each document as the
    JSON the CDN would serve, its Cache-Control, and every invalidation sent.

    ``failing`` paths raise on put and delete; ``invalidation_fails`` makes queueing the
    invalidation raise.
    """

    documents: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # not JSON: body, Content-Type
    cache_control: dict[str, str] = field(default_factory=dict)
    invalidations: list[list[str]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    invalidation_fails: bool = False
    reads: list[str] = field(default_factory=list)  # every get, in order

    def _refuse(self, path: str) -> None:
        if path in self.failing:
            raise OSError(f"the site refused {path}")

    def get(self, path: str) -> bytes | None:
        self.reads.append(path)
        if path in self.files:
            return self.files[path][0]
        return json.dumps(self.documents[path]).encode() if path in self.documents else None

    def put(self, path: str, document: Record, cache_control: str) -> None:
        self._refuse(path)
        self.documents[path] = json.loads(document_bytes(document))
        self.cache_control[path] = cache_control

    def put_bytes(self, path: str, body: bytes, content_type: str, cache_control: str) -> None:
        self._refuse(path)
        self.files[path] = (body, content_type)
        self.cache_control[path] = cache_control

    def delete(self, path: str) -> None:
        self._refuse(path)
        self.documents.pop(path, None)
        self.files.pop(path, None)
        self.cache_control.pop(path, None)

    def request_invalidation(self, paths: Iterable[str]) -> int:
        """As SiteBucket with a queue (and InvalidateFunction behind it): every path once, from ``/``."""
        if self.invalidation_fails:
            raise OSError("the invalidation queue refused the message")
        unique = sorted({"/" + path.lstrip("/") for path in paths})
        if unique:
            self.invalidations.append(unique)
        return len(unique)


# Every store over one "table" --------------------------------------------------------


@dataclass
class MemoryStores:
    """Every store, sharing state where the table's items do (an upload's outcome is written with
    the article; articles and memberships are the lists)."""

    uploads: MemoryUploads
    articles: MemoryArticles
    tags: MemoryTags
    vocabulary: MemoryVocabulary
    related: MemoryRelatedLists
    comments: MemoryComments
    lists: MemoryLists
    links: MemoryLinks
    authors: MemoryAuthors = field(default_factory=lambda: MemoryAuthors())  # noqa: PLW0108 (defined below)

    @classmethod
    def new(cls) -> MemoryStores:
        lists, uploads, links, vocabulary = MemoryLists(), MemoryUploads(), MemoryLinks(), MemoryVocabulary()
        return cls(
            uploads=uploads,
            articles=MemoryArticles(uploads, lists, links),
            tags=MemoryTags(lists, vocabulary),
            vocabulary=vocabulary,
            related=MemoryRelatedLists(lists),
            comments=MemoryComments(),
            lists=lists,
            links=links,
        )

    def put_article(self, article: Article) -> Article:
        """Store an article version as PublishFunction does (with its upload's outcome)."""
        return put_article(self.articles, article)

    def sources(self) -> Sources:
        """What rendering reads."""
        return Sources(
            articles=self.articles,
            tags=self.tags,
            related=self.related,
            comments=self.comments,
            lists=self.lists,
            vocabulary=self.vocabulary,
            links=self.links,
            authors=self.authors,
        )


@dataclass
class MemoryAuthors:
    """kabar.table.authors.AuthorStore: the authors' profiles."""

    profiles: dict[str, AuthorProfile] = field(default_factory=dict)

    def profile(self, slug: str) -> AuthorProfile | None:
        return self.profiles.get(slug)

    def put_profile(self, slug: str, profile: AuthorProfile, editor: str) -> None:
        self.profiles[slug] = profile


class Publishes(Protocol):
    def get(self, slug: str) -> Article | None: ...
    def publish(self, upload: Upload, article: Article, previous: Article | None = None) -> None: ...


def put_article(articles: Publishes, article: Article) -> Article:
    """Store an article version as PublishFunction does, with its upload's outcome (through a
    MemoryArticles, or the table's ArticleStore), replacing the current version's links."""
    previous = articles.get(article.slug)
    upload = Upload(
        upload_id=article.upload_id,
        state=UploadState.PUBLISHED,
        filename=f"{article.slug}.md",
        content_type="text/markdown",
        key=f"uploads/{article.upload_id}/{article.slug}.md",
        created_at=article.updated_at,
        created_by="editor1",
        processed_at=article.updated_at,
    )
    articles.publish(upload, article, previous=previous)
    return article


PUBLISHED_AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def tag(stores: Any, slug: str, *, publish: bool = False, force: bool = False) -> ArticleTags | None:
    """TaggingFunction's work on ``slug`` (8 tags at most), over any stores: these, or the table's."""
    from kabar.workflows.tagging import tag_article

    return tag_article(
        slug,
        articles=stores.articles,
        tags=stores.tags,
        vocabulary=stores.vocabulary,
        max_tags=8,
        publish_suggestions=publish,
        force=force,
    )


def article(slug: str, *, version: int = 1, **fields: Any) -> Article:
    """An article version as PublishFunction builds it: ``fields`` over plain defaults (a title
    made of the slug, one paragraph, published at :data:`PUBLISHED_AT`); ``tags`` and
    ``category`` by name."""
    tags = [TagRef(name=name, slug=slugify(name)) for name in fields.pop("tags", [])]
    category = fields.pop("category", None)
    moment = fields.pop("published_at", PUBLISHED_AT)
    values = {
        "status": "published",
        "title": slug.replace("-", " ").title(),
        "body_html": "<p>Berita singkat.</p>",
        "created_at": moment,
        "updated_at": moment,
        "content_hash": f"{slug}-{version}",
        "upload_id": f"{slug}-{version}",
        **fields,
    }
    return Article(
        slug=slug,
        version=version,
        tags=tags,
        published_at=moment,
        category=Category(name=category, slug=slugify(category)) if category else None,
        **values,
    )


def _copy(value: T) -> T:
    """A copy that shares nothing with ``value`` (None stays None)."""
    return copy.deepcopy(value)


if TYPE_CHECKING:  # `mypy tests/support/memory.py` checks each store against the protocols it stands for
    from kabar.text import tag_suggestion
    from kabar.workflows import comments, moderation, publish, related, tagging, uploads, vocabulary
    from kabar.workflows.render import sources

    def _conforms(s: MemoryStores, site: MemorySite) -> None:
        _publish_uploads: publish.Uploads = s.uploads
        _publish_articles: publish.Articles = s.articles
        _uploads: uploads.Uploads = s.uploads
        _rendered: uploads.Rendered = s.articles
        _tagging_articles: tagging.Articles = s.articles
        _tagging_tags: tagging.Tags = s.tags
        _tagging_vocabulary: tagging.TaggingVocabulary = s.vocabulary
        _tagger_vocabulary: tag_suggestion.Vocabulary = s.vocabulary
        _vocabulary: vocabulary.Vocabulary = s.vocabulary
        _tag_counts: vocabulary.TagCounts = s.tags
        _related_facts: related.Facts = s.articles
        _related_tags: related.Tags = s.tags
        _related_lists: related.RelatedLists = s.related
        _intake_facts: comments.Facts = s.articles
        _intake_comments: comments.Comments = s.comments
        _moderation: moderation.Comments = s.comments
        _site: sources.Site = site  # (the render sources: MemoryStores.sources)


@dataclass
class MemorySpamNames:
    """kabar.table.spam_names.SpamNameStore; ``comments`` (when given) read the names as the intake does."""

    learned: dict[str, dict[str, Any]] = field(default_factory=dict)
    comments: MemoryComments | None = None

    def learn(self, names: Iterable[str], *, comment_id: str, by: str, at: str) -> list[str]:
        fresh = sorted(set(names) - set(self.learned))
        for name in fresh:
            self.learned[name] = {"name": name, "comment": comment_id, "by": by, "learned_at": at}
        self._share()
        return fresh

    def forget(self, name: str) -> bool:
        found = self.learned.pop(name, None) is not None
        self._share()
        return found

    def page(self, *, limit: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]:
        ordered = [self.learned[name] for name in sorted(self.learned) if after is None or name > after]
        more = len(ordered) > limit
        return ordered[:limit], (ordered[limit - 1]["name"] if more else None)

    def _share(self) -> None:
        if self.comments is not None:
            self.comments.spam_names = set(self.learned)
