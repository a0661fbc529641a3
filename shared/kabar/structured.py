"""An article's structured data: the JSON-LD a page embeds as is (schema.org NewsArticle and a
BreadcrumbList in one ``@graph``), built from the article's document (pure: no AWS).

What Google documents for Article rich results: no property is required; recommended are
``author`` (each a Person with ``name`` and ``url``, the author's page on the site; an article
without a byline names the newsroom, an Organization), ``datePublished`` and
``dateModified`` (ISO 8601 with the offset), ``headline`` (Google shows at most 110
characters: longer ones are cut at a word), and ``image`` (several aspect ratios, 16:9, 4:3 and
1:1, at least 1,200 px wide: the crops ImagesFunction makes). The rest is schema.org's
NewsArticle: ``publisher`` (a NewsMediaOrganization with its logo), ``articleSection``,
``keywords``, ``dateline``, ``mainEntityOfPage``, ``inLanguage`` and a ``correction`` per
correction the editors noted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kabar.documents import ArticleDocument
from kabar.record import iso
from kabar.urls import SiteUrls, joined

HEADLINE_MAX = 110
DESCRIPTION_MAX = 300
CROP_ORDER = ("16x9", "4x3", "1x1")


@dataclass(frozen=True)
class Publisher:
    """The site as the structured data names it."""

    name: str
    urls: SiteUrls
    language: str
    logo_url: str = ""
    media_url: str = "/"  # the CDN's address: the images' paths are made absolute with it


def structured_data(document: ArticleDocument, publisher: Publisher) -> dict[str, Any]:
    """The JSON-LD of an article's page."""
    return {"@context": "https://schema.org",
            "@graph": [news_article(document, publisher), breadcrumbs(document, publisher)]}  # fmt: skip


def news_article(document: ArticleDocument, publisher: Publisher) -> dict[str, Any]:
    found: dict[str, Any] = {
        "@type": "NewsArticle",
        "@id": document.url + "#article",
        "url": document.url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": document.url},
        "headline": headline(document.title),
        "alternativeHeadline": document.subtitle,
        "description": _cut(document.lead, DESCRIPTION_MAX) if document.lead else None,
        "image": _images(document, publisher.media_url),
        "datePublished": iso(document.published_at),
        "dateModified": iso(modified(document)),
        "author": _authors(document, publisher),
        "publisher": _organization(publisher),
        "articleSection": document.category.name if document.category else None,
        "keywords": [tag.name for tag in document.tags] or None,
        "dateline": document.dateline.place,
        "inLanguage": publisher.language,
        "isAccessibleForFree": True,
        "correction": [
            {"@type": "CorrectionComment", "text": entry.text, "datePublished": iso(entry.at)}
            for entry in document.corrections
        ] or None,
    }  # fmt: skip
    return {name: value for name, value in found.items() if value is not None}


def breadcrumbs(document: ArticleDocument, publisher: Publisher) -> dict[str, Any]:
    """Home, the category's page (when it has one), the article."""
    trail = [(publisher.name, publisher.urls.home())]
    if document.category:
        trail.append((document.category.name, publisher.urls.category(document.category.slug)))
    trail.append((headline(document.title), document.url))
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": number, "name": name, "item": url}
        for number, (name, url) in enumerate(trail, start=1)
    ]}  # fmt: skip


def headline(title: str) -> str:
    """The title as a headline Google shows whole: at most 110 characters, cut at a word."""
    return _cut(title, HEADLINE_MAX)


def modified(document: ArticleDocument) -> datetime:
    """When the article last changed: its update, or a later correction."""
    return max([document.updated_at, *(entry.at for entry in document.corrections)])


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    cut = room.rsplit(" ", 1)[0] if " " in room.strip() else room
    return cut.rstrip(" ,.;:-") + "…"


def _images(document: ArticleDocument, media_url: str) -> list[str] | None:
    image = document.image
    if image is None:
        return None
    crops = {crop.ratio: crop.path for crop in image.crops}
    paths = [crops[ratio] for ratio in CROP_ORDER if ratio in crops] or [image.src]
    return [joined(media_url, path) for path in paths]


def _authors(document: ArticleDocument, publisher: Publisher) -> list[dict[str, Any]]:
    """The byline's authors, each a Person with their page on the site, or else the newsroom itself
    (Google takes an Organization as author)."""
    if document.authors:
        return [{"@type": "Person", "name": author.name, "url": publisher.urls.author(author.slug)}
                for author in document.authors]  # fmt: skip
    if document.author:
        return [{"@type": "Person", "name": document.author}]
    return [{"@type": "Organization", "name": publisher.name, "url": publisher.urls.home()}]


def _organization(publisher: Publisher) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "NewsMediaOrganization", "name": publisher.name,
                             "url": publisher.urls.home()}  # fmt: skip
    if publisher.logo_url:
        found["logo"] = {"@type": "ImageObject", "url": publisher.logo_url}
    return found
