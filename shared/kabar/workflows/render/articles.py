"""An article's document: the article, its tags, related articles, read-also links, comments."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from kabar.documents import (
    ArticleDocument,
    ArticleSummary,
    AuthorLink,
    CategoryLink,
    CommentsInfo,
    CorrectionNotice,
    Dateline,
    ReadAlsoLink,
    RelatedLink,
    TagLink,
    article_path,
    author_path,
    comments_path,
    tag_path,
)
from kabar.images.markup import article_image, picture
from kabar.models import Article, RelatedList
from kabar.structured import Publisher, structured_data
from kabar.text.relatedness import spread
from kabar.workflows.article_images import expand
from kabar.workflows.render.sources import SiteSettings, Sources


def article_document(
    article: Article, sources: Sources, settings: SiteSettings, counters: tuple[int, int]
) -> ArticleDocument:
    """The document of a published article; ``counters``: its comment count and last number."""
    tagged = sources.tags.get(article.slug)
    # The tags TaggingFunction computed for this version, or, until then, the editor's.
    tags = tagged.tags if tagged and tagged.version == article.version else article.tags
    stored = sources.related.get(article.slug)
    listed = [*stored.pinned, *(entry.slug for entry in stored.auto)] if stored else []
    # One read for every linked article: only published ones are linked.
    summaries = sources.articles.summaries([*article.read_also, *listed])
    related = _related_links(listed, summaries, stored, settings)
    count, seq = counters
    comments = CommentsInfo(
        count=count, path=comments_path(article.slug) if seq else None, open=article.comments == "open",
        closes_at=(article.published_at + timedelta(days=settings.comments_close_days)
                   if settings.comments_close_days else None),
    )  # fmt: skip
    codes = [*article.editors, *article.sources]
    category = (
        CategoryLink(name=article.category.name, slug=article.category.slug) if article.category else None
    )
    images = sources.articles.images([use.id for use in [article.image, *article.images] if use])
    featured = article.image
    image = article_image(featured, images[featured.id]) if featured and featured.id in images else None

    def body_image(kind: str, index: int) -> str:
        use = article.images[index] if index < len(article.images) else None
        return picture(use, images.get(use.id), settings.media_url, figure=kind == "figure") if use else ""

    url = settings.urls.article(article.slug, article.published_at, category.slug if category else None)
    document = ArticleDocument(
        slug=article.slug, path=article_path(article.slug), url=url, version=article.version,
        title=article.title,
        subtitle=article.subtitle, lead=article.lead, category=category,
        dateline=Dateline(place=article.dateline, outlet=settings.site_name), author=article.author,
        authors=[AuthorLink(name=a.name, slug=a.slug, path=author_path(a.slug)) for a in article.bylines()],
        editors=article.editors, sources=article.sources,
        credit_line=f"({'/'.join(codes)})" if codes else None,
        tags=[TagLink(name=tag.name, slug=tag.slug, path=tag_path(tag.slug)) for tag in tags],
        published_at=article.published_at, updated_at=article.updated_at,
        body_html=expand(article.body_html, body_image), image=image,
        read_also=_read_also(article, summaries, related, settings), related=related,
        comments=comments, corrections=[CorrectionNotice(at=c.at, text=c.text) for c in article.corrections],
        structured_data={},
    )  # fmt: skip
    publisher = Publisher(name=settings.site_name, urls=settings.urls, language=settings.language,
                          logo_url=settings.logo_url, media_url=settings.media_url)  # fmt: skip
    document.structured_data = structured_data(document, publisher)
    return document


def _related_links(
    listed: list[str],
    summaries: dict[str, ArticleSummary],
    stored: RelatedList | None,
    settings: SiteSettings,
) -> list[RelatedLink]:
    return [
        RelatedLink(
            slug=slug, title=summaries[slug].title, path=article_path(slug),
            url=settings.urls.of(summaries[slug]), lead=summaries[slug].lead,
            category=summaries[slug].category, published_at=summaries[slug].published_at,
            pinned=stored is not None and slug in stored.pinned,
        )
        for slug in dict.fromkeys(listed) if slug in summaries
    ]  # fmt: skip


def _read_also(
    article: Article, summaries: dict[str, ArticleSummary], related: list[RelatedLink], settings: SiteSettings
) -> list[ReadAlsoLink]:
    """The editor's read-also links, or else the best related ones, spread through the body."""
    paragraphs = article.body_html.count("</p>")
    if article.read_also:
        chosen = [(slug, summaries[slug].title, settings.urls.of(summaries[slug]))
                  for slug in article.read_also if slug in summaries]  # fmt: skip
        positions = spread(len(chosen), paragraphs, keep_all=True)
        origin: Literal["editor", "related"] = "editor"
    else:
        chosen = [(link.slug, link.title, link.url) for link in related[: settings.read_also_auto]]
        positions = spread(len(chosen), paragraphs)
        origin = "related"
    return [
        ReadAlsoLink(
            slug=slug, title=title, path=article_path(slug), url=url, after_paragraph=after, origin=origin
        )
        for (slug, title, url), after in zip(chosen, positions, strict=False)
    ]
