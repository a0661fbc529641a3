"""A batch of table changes as the work it asks of RenderFunction (pure: no AWS).

Documents are rebuilt from the table as it is now, so each article is rendered
once per batch however many of its records arrive, and each list once. Every
piece of work remembers the records that asked for it: when it fails, exactly
those records are reported as failed and come back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kabar.events import (
    ArticleChanged,
    AuthorChanged,
    CommentChanged,
    RelatedChanged,
    Scheduled,
    TableChange,
    TagMerged,
    TagsChanged,
)
from kabar.listnames import author_list_name

# Articles that name an article (read-also, pinned related) rendered again when it is published
# or taken down, per change: like the related lists' FAN_OUT, a publish changes at most this
# many other documents however many articles exist. The most recently created ones come first.
REFERRERS_PER_CHANGE = 10


@dataclass
class CommentWork:
    pages: set[int] = field(default_factory=set)
    every: bool = False  # the article was published again: every page
    records: set[str] = field(default_factory=set)


@dataclass
class RenderPlan:
    """What to render: articles, their comment pages, the lists' pages (all and per tag: the
    positions an article was and is at), and the articles that name an article that appeared
    or went (found by the renderer)."""

    articles: dict[str, set[str]] = field(default_factory=dict)  # slug -> records that asked
    referrers: dict[str, set[str]] = field(default_factory=dict)  # named slug -> records that asked
    comments: dict[str, CommentWork] = field(default_factory=dict)
    positions: set[str] = field(default_factory=set)
    list_positions: dict[str, set[str]] = field(default_factory=dict)
    list_records: set[str] = field(default_factory=set)
    hourly: set[str] = field(default_factory=set)  # the schedule's records: the sitemaps' hourly work

    def article(self, slug: str, record: str) -> None:
        self.articles.setdefault(slug, set()).add(record)

    def articles_naming(self, slug: str, record: str) -> None:
        self.referrers.setdefault(slug, set()).add(record)

    def comment_pages(self, slug: str, record: str, pages: Iterable[int] = (), every: bool = False) -> None:
        work = self.comments.setdefault(slug, CommentWork())
        work.pages.update(pages)
        work.every = work.every or every
        work.records.add(record)

    def listed(
        self,
        records: Iterable[str],
        positions: Iterable[str] = (),
        tags: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """Positions in the list of every article, and in tags' lists, whose pages to render for
        ``records`` (a tag with none: only its newest page)."""
        self.positions.update(positions)
        for tag, list_positions in (tags or {}).items():
            self.list_positions.setdefault(tag, set()).update(list_positions)
        self.list_records.update(records)

    def records(self) -> set[str]:
        """Every record that asked for any of this work."""
        asked = set(self.list_records | self.hourly).union(*self.articles.values(), *self.referrers.values())
        return asked.union(*(work.records for work in self.comments.values()))

    @property
    def has_lists(self) -> bool:
        return bool(self.positions or self.list_positions)


def plan(changes: Iterable[tuple[str, TableChange]]) -> RenderPlan:
    """The work a batch of ``(record id, change)`` asks for."""
    work = RenderPlan()
    for record, change in changes:
        if isinstance(change, Scheduled) and change.task == "sitemaps":
            work.hourly.add(record)
        elif isinstance(change, CommentChanged):
            work.comment_pages(change.slug, record, change.pages)
            if change.count_changed:
                work.article(change.slug, record)  # its document states the count
        elif isinstance(change, RelatedChanged):
            work.article(change.slug, record)  # its related list changed
        elif isinstance(change, AuthorChanged):  # the author's document shows the profile
            work.listed([record], tags={author_list_name(change.author): ()})
        elif isinstance(change, TagMerged) and not change.progress:
            # A tag was merged: its page becomes a pointer once its articles have moved.
            work.listed([record], tags={change.tag: ()})
        elif isinstance(change, TagsChanged):
            work.listed([record], tags=change.list_positions)
            work.article(change.slug, record)
        elif isinstance(change, ArticleChanged):
            if change.republished:
                work.comment_pages(change.slug, record, every=True)
            if change.relink:
                work.articles_naming(change.slug, record)
            work.listed([record], change.positions)
            work.article(change.slug, record)
    return work
