"""Rendering: the site bucket as a projection of the table.

Every document is rebuilt from the table's current state, never from the event
that announced the change, so replays and out-of-order records converge on the
same documents. :meth:`Renderer.apply` carries out a :class:`RenderPlan` and
says which records' work failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from kabar.documents import CACHE_ARTICLE, article_path
from kabar.observability import logger
from kabar.record import iso
from kabar.workflows.render.articles import article_document
from kabar.workflows.render.comments import every_page, remove_pages, write_pages
from kabar.workflows.render.lists import ListRenderer
from kabar.workflows.render.plan import REFERRERS_PER_CHANGE, RenderPlan
from kabar.workflows.render.sources import Output, Site, SiteSettings, Sources

T = TypeVar("T")


class Renderer:
    """Builds and writes public documents from the content table (one per invocation)."""

    def __init__(self, sources: Sources, site: Site, settings: SiteSettings) -> None:
        self.sources = sources
        self.settings = settings
        self.out = Output(site)
        self.lists = ListRenderer(sources, settings, self.out)
        # What this invocation already read of an article.
        self._counters: dict[str, tuple[int, int]] = {}
        self._published: dict[str, bool] = {}

    def apply(self, plan: RenderPlan) -> set[str]:
        """Render everything the plan asks for; the records whose work failed (to retry)."""
        failed: set[str] = set()
        self.add_referrers(plan, failed)
        # Each article's items in one request rather than four, and what they link to in one more.
        with self.sources.articles.reading_ahead(list(plan.articles), linked=True):
            for slug, records in plan.articles.items():
                # Only an article's own change (its positions, in the plan already) changes
                # what lists show of it: its tags, related list, comments or links do not.
                self._run(f"article {slug}", records, failed, partial(self.render_article, slug))
        for slug, work in sorted(plan.comments.items()):
            render = partial(self.render_comments, slug, work.pages, every=work.every)
            self._run(f"comments of {slug}", work.records, failed, render)
        if plan.has_lists:
            render_lists = partial(self.lists.render, plan.positions, plan.list_positions)
            self._run("lists", plan.list_records, failed, render_lists)
        if plan.hourly:
            self._run("hourly sitemaps", plan.hourly, failed, self.lists.search.render_hourly)
        # Long-cached documents written but not queued for invalidation would stay stale at
        # the edge for a day: all of it again. (The invalidation itself retries on its own.)
        self._run("invalidation", plan.records(), failed, self.out.invalidate)
        self.log(failed)
        return failed

    def add_referrers(self, plan: RenderPlan, failed: set[str]) -> None:
        """Add to the plan the articles that name each article that appeared or went (at most
        REFERRERS_PER_CHANGE each, the most recently created), for the records that asked."""
        for slug, records in sorted(plan.referrers.items()):
            # One more than the bound, to know (and log) when some are left for their next render.
            naming = partial(self.sources.links.named_by, slug, REFERRERS_PER_CHANGE + 1)
            found = self._run(f"articles naming {slug}", records, failed, naming) or []
            if len(found) > REFERRERS_PER_CHANGE:
                logger.info("more articles name it than one change renders",
                            extra={"slug": slug, "rendered": REFERRERS_PER_CHANGE})  # fmt: skip
            for source in found[:REFERRERS_PER_CHANGE]:
                for record in records:
                    plan.article(source, record)

    @staticmethod
    def _run(what: str, records: set[str], failed: set[str], work: Callable[[], T]) -> T | None:
        """Do one piece of work; when it raises, its records are failed (and retried)."""
        try:
            return work()
        except Exception:
            logger.exception("render failed", extra={"work": what, "records": sorted(records)})
            failed |= records
            return None

    def render_article(self, slug: str) -> frozenset[str]:
        """Write (or remove) one article's document; returns the list position it is at now."""
        article = self.sources.articles.get(slug)
        path = article_path(slug)
        self._published[slug] = article is not None and article.status == "published"
        if article is None or article.status != "published":
            self.out.delete(path, CACHE_ARTICLE)
            self.remove_comments(slug)
            if article is not None:
                self.sources.articles.mark_rendered(slug, article.version, article.status)
            return frozenset()
        document = article_document(article, self.sources, self.settings, self.comment_counters(slug))
        self.out.put(path, document, CACHE_ARTICLE)
        self.out.bodies[slug] = (iso(document.updated_at), document.body_html)
        self.sources.articles.mark_rendered(slug, article.version, article.status)
        return frozenset({self.sources.lists.position(article.published_at, slug)})

    def render_comments(self, slug: str, pages: Iterable[int], *, every: bool = False) -> None:
        """Rewrite the given pages of an article's comments and its newest page (comments.json).

        Approving a comment touches only the newest page; editing or removing one also
        its own page; ``every`` page when the article is published again. The comments
        of an article that is not published are not public.
        """
        if slug not in self._published:
            facts = self.sources.articles.facts(slug)
            self._published[slug] = facts is not None and facts.published
        if not self._published[slug]:
            self.remove_comments(slug)
            return
        counters = self.comment_counters(slug)
        if every:
            pages = every_page(counters[1])
        write_pages(slug, pages, counters=counters, comments=self.sources.comments, out=self.out)

    def comment_counters(self, slug: str) -> tuple[int, int]:
        """An article's comment count and last approval number, read once per invocation."""
        if slug not in self._counters:
            self._counters[slug] = self.sources.comments.counters(slug)
        return self._counters[slug]

    def remove_comments(self, slug: str) -> None:
        remove_pages(slug, self.comment_counters(slug)[1], self.out)

    def log(self, failed: set[str]) -> None:
        out = self.out
        logger.info("rendered", extra={"written": len(out.written), "deleted": len(out.deleted),
                                       "invalidated": out.invalidated, "failed": len(failed)})  # fmt: skip
