"""Rendering: the site bucket as a projection of the table.

Every document is rebuilt from the table's current state, never from the
event that announced the change, so replays and out-of-order records
converge on the same documents. Work per article is bounded: the article,
its month's archive page (and, when a month appears or empties, its two
neighbours and site.json), and latest.json.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, Protocol

from pydantic import BaseModel

from kabar.dal import LATEST_PARTITION, ContentTable, month_of, tag_partition
from kabar.documents import (
    CACHE_ARTICLE,
    CACHE_LIST,
    CACHE_SITE,
    DOCUMENT_MODELS,
    ArticleDocument,
    ArticleSummary,
    CategoryLink,
    CommentsDocument,
    CommentsInfo,
    Dateline,
    ErrorDocument,
    LatestDocument,
    MonthDocument,
    PublicComment,
    ReadAlsoLink,
    RelatedLink,
    ReplyTo,
    SiteDocument,
    TagCount,
    TagDocument,
    TagLink,
    TagMergedDocument,
    TagsDocument,
    article_path,
    comments_page_path,
    comments_path,
    error_path,
    latest_path,
    month_path,
    schema_path,
    site_path,
    tag_month_path,
    tag_path,
    tags_path,
)
from kabar.models import Article, ArticleTags
from kabar.text.comment_rules import PAGE_SIZE, page_of
from kabar.text.relatedness import spread

# Readers see this; the site's language is Indonesian.
NOT_FOUND_MESSAGE = "Halaman tidak ditemukan"


class Site(Protocol):
    def put(self, path: str, document: BaseModel, cache_control: str) -> None: ...
    def delete(self, path: str) -> None: ...
    def invalidate(self, paths: Iterable[str]) -> int: ...


@dataclass(frozen=True)
class Listing:
    """A list of articles: its gsi1 partition, newest page and month pages."""

    partition: str
    newest_path: str
    month_path: Callable[[str], str]
    tag: TagLink | None = None
    count: int = 0


LATEST = Listing(partition=LATEST_PARTITION, newest_path=latest_path(), month_path=month_path)


@dataclass(frozen=True)
class TagsChange:
    """An article's tags changed: the article, and each affected tag's months."""

    slug: str
    tag_months: dict[str, frozenset[str]]

    @classmethod
    def from_images(cls, old: dict[str, Any] | None, new: dict[str, Any] | None) -> TagsChange:
        tag_months: dict[str, set[str]] = {}
        slug = ""
        for image in (old, new):
            if not image:
                continue
            tagged = ArticleTags.model_validate(image)
            slug = tagged.slug
            if tagged.status == "published" and tagged.month:
                for tag in tagged.tags:
                    tag_months.setdefault(tag.slug, set()).add(tagged.month)
        return cls(slug=slug, tag_months={tag: frozenset(m) for tag, m in tag_months.items()})


@dataclass(frozen=True)
class ArticleChange:
    """An article item changed: its slug and the archive months it was and is listed in."""

    slug: str
    months: frozenset[str]

    @classmethod
    def from_images(cls, old: dict[str, Any] | None, new: dict[str, Any] | None) -> ArticleChange:
        images = [image for image in (old, new) if image]
        slug = str(images[0]["slug"])
        # gsi1sk starts with the UTC publish time, and only published articles have it.
        months = {str(image["gsi1sk"])[:7] for image in images if image.get("gsi1sk")}
        return cls(slug=slug, months=frozenset(months))


@dataclass
class RenderReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    invalidated: int = 0


class Renderer:
    """Builds and writes public documents from the content table."""

    def __init__(
        self,
        table: ContentTable,
        site: Site,
        *,
        site_name: str,
        language: str,
        latest_size: int,
        read_also_auto: int = 2,
        comments_close_days: int = 0,
    ) -> None:
        self.table = table
        self.site = site
        self.site_name = site_name
        self.language = language
        self.latest_size = latest_size
        self.read_also_auto = read_also_auto
        self.comments_close_days = comments_close_days
        # Per invocation (one Renderer each): what this batch already read of an article.
        self._counters: dict[str, tuple[int, int]] = {}
        self._published: dict[str, bool] = {}
        self.report = RenderReport()

    # one record ---------------------------------------------------------------

    def render_article(self, slug: str) -> frozenset[str]:
        """Write (or remove) one article's document; returns the months it is listed in now."""
        article = self.table.get_article(slug)
        path = article_path(slug)
        self._published[slug] = article is not None and article.status == "published"
        if article is None or article.status != "published":
            self._delete(path)
            self.remove_comments(slug)
            if article is not None:
                self.table.mark_rendered(slug, article.version, article.status)
            return frozenset()
        self._put(path, self.article_document(article), CACHE_ARTICLE)
        self.table.mark_rendered(slug, article.version, article.status)
        return frozenset({month_of(article.published_at)})

    def article_document(self, article: Article) -> ArticleDocument:
        tagged = self.table.get_article_tags(article.slug)
        # The tags TaggingFunction computed for this version, or, until then, the editor's.
        tags = tagged.tags if tagged and tagged.version == article.version else article.tags
        stored = self.table.get_related(article.slug)
        listed = [*stored.pinned, *(entry.slug for entry in stored.auto)] if stored else []
        # One read for every linked article: only published ones are linked.
        summaries = self.table.get_summaries([*article.read_also, *listed])
        related = [
            RelatedLink(
                slug=slug, title=summaries[slug]["title"], path=article_path(slug),
                lead=summaries[slug].get("lead"), category=summaries[slug].get("category"),
                published_at=summaries[slug]["published_at"],
                pinned=stored is not None and slug in stored.pinned,
            )
            for slug in dict.fromkeys(listed) if slug in summaries
        ]  # fmt: skip
        paragraphs = article.body_html.count("</p>")
        if article.read_also:
            chosen = [(slug, summaries[slug]["title"]) for slug in article.read_also if slug in summaries]
            positions = spread(len(chosen), paragraphs, keep_all=True)
            origin = "editor"
        else:
            chosen = [(link.slug, link.title) for link in related[: self.read_also_auto]]
            positions = spread(len(chosen), paragraphs)
            origin = "related"
        read_also = [
            ReadAlsoLink(
                slug=slug, title=title, path=article_path(slug), after_paragraph=after, origin=origin
            )
            for (slug, title), after in zip(chosen, positions, strict=False)
        ]
        count, seq = self.comment_counters(article.slug)
        comments = CommentsInfo(
            count=count, path=comments_path(article.slug) if seq else None, open=article.comments == "open",
            closes_at=(article.published_at + timedelta(days=self.comments_close_days)
                       if self.comments_close_days else None),
        )  # fmt: skip
        codes = [*article.editors, *article.sources]
        return ArticleDocument(
            slug=article.slug,
            path=article_path(article.slug),
            version=article.version,
            title=article.title,
            subtitle=article.subtitle,
            lead=article.lead,
            category=(
                CategoryLink(name=article.category.name, slug=article.category.slug)
                if article.category
                else None
            ),
            dateline=Dateline(place=article.dateline, outlet=self.site_name),
            author=article.author,
            editors=article.editors,
            sources=article.sources,
            credit_line=f"({'/'.join(codes)})" if codes else None,
            tags=[TagLink(name=tag.name, slug=tag.slug, path=tag_path(tag.slug)) for tag in tags],
            published_at=article.published_at,
            updated_at=article.updated_at,
            body_html=article.body_html,
            read_also=read_also,
            related=related,
            comments=comments,
        )

    # comments ---------------------------------------------------------------------

    def render_comments(self, slug: str, pages: Iterable[int], *, every: bool = False) -> None:
        """Rewrite the given pages of an article's comments, and its newest page (comments.json).

        Approving a comment touches only the newest page; editing or removing one also
        its own page; ``every`` page when the article is published again. The comments
        of an article that is not published are not public.
        """
        if slug not in self._published:
            facts = self.table.get_article_facts(slug)
            self._published[slug] = facts is not None and facts["status"] == "published"
        if not self._published[slug]:
            self.remove_comments(slug)
            return
        count, seq = self.comment_counters(slug)
        newest = page_of(seq) if seq else 0
        if every:
            pages = range(1, newest + 1)
        for page in sorted({*pages, newest} - {0}):
            first = (page - 1) * PAGE_SIZE + 1
            shown = self.table.comments_by_seq(slug, first, page * PAGE_SIZE)
            document = CommentsDocument(
                slug=slug, article=article_path(slug), page=page, pages=None, count=None,
                comments=threads(shown), older=comments_page_path(slug, page - 1) if page > 1 else None,
            )  # fmt: skip
            self._put(comments_page_path(slug, page), document, CACHE_LIST)
            if page == newest:
                newest_document = document.model_copy(update={"pages": newest, "count": count})
                self._put(comments_path(slug), newest_document, CACHE_LIST)

    def comment_counters(self, slug: str) -> tuple[int, int]:
        """An article's comment count and last approval number, read once per invocation."""
        if slug not in self._counters:
            self._counters[slug] = self.table.comment_counters(slug)
        return self._counters[slug]

    def remove_comments(self, slug: str) -> None:
        """Take an article's comment pages off the site (it was unpublished); the comments stay."""
        _, seq = self.comment_counters(slug)
        if not seq or comments_path(slug) in self.report.deleted:
            return
        self._delete(comments_path(slug))
        for page in range(1, page_of(seq) + 1):
            self._delete(comments_page_path(slug, page))

    # lists ------------------------------------------------------------------------

    def render_lists(self, months: Iterable[str], tags: Mapping[str, Iterable[str]] | None = None) -> None:
        """Rewrite the affected month pages and newest pages (once per batch).

        ``months``: months of the list of every article; ``tags``: months per tag.
        """
        tags = tags or {}
        if self._render_listing(LATEST, months):
            # The site's first article (or a new month): make sure site.json and its
            # companions exist. They never change with content, so this is rare and cheap.
            self.render_site()
        for slug, tag_months in sorted(tags.items()):
            self._render_listing(self._tag_listing(slug), tag_months)
        if tags:
            self.render_tags()

    def _tag_listing(self, slug: str) -> Listing:
        stats = self.table.tag_count(slug)
        name = stats[0] if stats else slug
        return Listing(
            partition=tag_partition(slug),
            newest_path=tag_path(slug),
            month_path=partial(tag_month_path, slug),
            tag=TagLink(name=name, slug=slug, path=tag_path(slug)),
            count=stats[1] if stats else 0,
        )

    def _render_listing(self, listing: Listing, months: Iterable[str]) -> bool:
        """A listing's months and newest page; whether a month appeared or emptied."""
        months_changed = False
        for month in sorted(set(months)):
            count = self.render_month(month, listing)
            if count <= 1:
                # The month may have just appeared or emptied: the next newer month's
                # "older" link must now point at it, or past it. (Usually there is none.)
                months_changed = True
                newer = self.table.neighbour_month(month, older=False, partition=listing.partition)
                if newer:
                    self.render_month(newer, listing)
        self.render_newest(listing)
        return months_changed

    def render_month(self, month: str, listing: Listing | None = None) -> int:
        listing = listing or LATEST
        summaries = self.table.month_summaries(month, listing.partition)
        path = listing.month_path(month)
        if not summaries:
            self._delete(path)
            return 0
        older = self.table.neighbour_month(month, older=True, partition=listing.partition)
        document = MonthDocument(
            month=month,
            tag=listing.tag,
            articles=[ArticleSummary.model_validate(summary) for summary in summaries],
            older=listing.month_path(older) if older else None,
        )
        self._put(path, document, CACHE_LIST)
        return len(summaries)

    def render_newest(self, listing: Listing) -> None:
        summaries = [
            ArticleSummary.model_validate(summary)
            for summary in self.table.latest_summaries(self.latest_size, listing.partition)
        ]
        more = listing.month_path(month_of(summaries[0].published_at)) if summaries else None
        if listing.tag is None:
            self._put(listing.newest_path, LatestDocument(articles=summaries, more=more), CACHE_LIST)
        elif not summaries:
            self._tag_without_articles(listing.tag)
        else:
            tag = listing.tag
            document = TagDocument(slug=tag.slug, name=tag.name, path=tag.path, count=listing.count,
                                   articles=summaries, more=more)  # fmt: skip
            self._put(listing.newest_path, document, CACHE_LIST)

    def _tag_without_articles(self, tag: TagLink) -> None:
        """A merged tag's page points to its target; any other empty tag has no page."""
        entry = self.table.get_vocabulary_entry(tag.slug)
        target = entry.get("merged_into") if entry and entry.get("status") == "merged" else None
        if not target:
            self._delete(tag.path)
            return
        stats = self.table.tag_count(str(target))
        link = TagLink(name=stats[0] if stats else str(target), slug=str(target), path=tag_path(str(target)))
        self._put(tag.path, TagMergedDocument(slug=tag.slug, merged_into=link), CACHE_LIST)

    def render_latest(self) -> None:
        self.render_newest(LATEST)

    def render_tags(self) -> None:
        counts = [tag for tag in self.table.tag_counts() if tag["count"] > 0]
        counts.sort(key=lambda tag: (-tag["count"], tag["slug"]))
        document = TagsDocument(
            tags=[TagCount(name=t["name"], slug=t["slug"], path=tag_path(t["slug"]), count=t["count"])
                  for t in counts]
        )  # fmt: skip
        self._put(tags_path(), document, CACHE_LIST)

    def render_site(self) -> None:
        """site.json, the error page and the schemas: what changes only with the site itself."""
        self._put(error_path(404), ErrorDocument(status=404, message=NOT_FOUND_MESSAGE), CACHE_SITE)
        self.render_schemas()
        document = SiteDocument(
            name=self.site_name,
            language=self.language,
            latest=latest_path(),
            tags=tags_path(),
            schemas={kind: schema_path(kind) for kind in DOCUMENT_MODELS},
        )
        self._put(site_path(), document, CACHE_SITE)

    def render_schemas(self) -> None:
        """Publish each document kind's JSON Schema beside the documents."""
        from kabar.schemas import SchemaDocument, document_schema

        for kind in DOCUMENT_MODELS:
            self._put(schema_path(kind), SchemaDocument(document_schema(kind)), CACHE_SITE)

    def invalidate(self) -> int:
        self.report.invalidated = self.site.invalidate([*self.report.written, *self.report.deleted])
        return self.report.invalidated

    def _put(self, path: str, document: BaseModel, cache_control: str) -> None:
        self.site.put(path, document, cache_control)
        self.report.written.append(path)

    def _delete(self, path: str) -> None:
        self.site.delete(path)
        self.report.deleted.append(path)


def threads(comments: list[dict[str, Any]]) -> list[PublicComment]:
    """One page's comments (public views in approval order) as threads.

    A reply whose parent is on the page sits in the parent's ``replies``; one whose
    parent is not (an older page, or no longer public) starts a thread of its own
    with ``reply_to``.
    """
    nodes: dict[str, PublicComment] = {}
    roots: list[PublicComment] = []
    for comment in sorted(comments, key=lambda c: int(c["seq"])):
        parent = comment.get("parent")
        on_page = parent is not None and parent in nodes
        node = PublicComment(
            id=comment["id"], name=comment["name"], website=comment.get("website"),
            content_html=comment["content_html"], created_at=comment["created_at"],
            depth=int(comment.get("depth") or 0), parent=parent,
            reply_to=ReplyTo(id=parent, name=comment.get("parent_name")) if parent and not on_page else None,
            replies=[],
        )  # fmt: skip
        nodes[node.id] = node
        if parent and on_page:
            nodes[parent].replies.append(node)
        else:
            roots.append(node)
    return roots
