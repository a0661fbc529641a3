"""Lists (every article's, a tag's, a category's, an author's, the tags, the categories), the
site's own documents and the error page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kabar.documents.articles import ArticleSummary, AuthorLink, CategoryLink, TagLink
from kabar.documents.base import PublicDocument
from kabar.record import described


@dataclass(kw_only=True)
class LatestDocument(PublicDocument):
    """``v1/latest.json``: the newest page of every published article, newest first."""

    kind: Literal["latest"] = "latest"
    articles: list[ArticleSummary] = described("The newest page: at most PageSize (50) articles")
    more: str | None = described(
        'The next older page ("Show More"), from which each page\'s `older` link leads back'
    )


@dataclass(kw_only=True)
class PageDocument(PublicDocument):
    """An older page of a list, newest first: ``v1/latest/pages/<n>.json`` (every article),
    ``v1/tags/<tag>/pages/<n>.json`` (a tag's), ``v1/categories/<slug>/pages/<n>.json`` or
    ``v1/authors/<slug>/pages/<n>.json``.
    Pages are numbered as they are made, not by position; following ``older`` from the newest
    page reaches every article exactly once."""

    kind: Literal["page"] = "page"
    number: int
    tag: TagLink | None = described(default=None, description="The tag, on a tag's page")
    category: CategoryLink | None = described(default=None, description="The category, on a category's page")
    author: AuthorLink | None = described(default=None, description="The author, on an author's page")
    articles: list[ArticleSummary] = described("At most PageSize (50) articles")
    older: str | None = described('The next older page ("Show More"); none on the oldest')


@dataclass(kw_only=True)
class TagDocument(PublicDocument):
    """``v1/tags/<tag>.json``: a tag's newest articles ("Show More": ``more``)."""

    kind: Literal["tag"] = "tag"
    slug: str
    name: str
    path: str
    count: int = described("How many published articles have the tag")
    articles: list[ArticleSummary] = described("The tag's newest page: at most PageSize (50) articles")
    more: str | None = described('The next older page of the tag ("Show More")')


@dataclass(kw_only=True)
class TagMergedDocument(PublicDocument):
    """``v1/tags/<old>.json`` once a tag was merged: where its articles are now."""

    kind: Literal["tag_merged"] = "tag_merged"
    slug: str
    merged_into: TagLink


@dataclass(kw_only=True)
class TagCount(PublicDocument):
    name: str
    slug: str
    path: str
    count: int


@dataclass(kw_only=True)
class TagsDocument(PublicDocument):
    """``v1/tags.json``: the most used tags with published articles (TagsListed, 200), most used
    first; a tag's own page holds its articles whatever its rank."""

    kind: Literal["tags"] = "tags"
    tags: list[TagCount]


@dataclass(kw_only=True)
class CategoryDocument(PublicDocument):
    """``v1/categories/<slug>.json``: a category's newest articles ("Show More": ``more``)."""

    kind: Literal["category"] = "category"
    slug: str
    name: str
    path: str
    url: str = described("The category's page on the site (CategoryUrlPattern)")
    count: int = described("How many published articles are in the category")
    articles: list[ArticleSummary] = described("The category's newest page: at most PageSize (50) articles")
    more: str | None = described('The next older page of the category ("Show More")')
    feeds: FeedLinks = described("The category's feeds: its newest 50 articles")


@dataclass(kw_only=True)
class CategoryCount(PublicDocument):
    name: str
    slug: str
    path: str
    url: str
    count: int


@dataclass(kw_only=True)
class CategoriesDocument(PublicDocument):
    """``v1/categories.json``: every category with published articles, by slug (a newsroom has
    tens of them; at most CATEGORIES_LISTED)."""

    kind: Literal["categories"] = "categories"
    categories: list[CategoryCount]


@dataclass(kw_only=True)
class AuthorProfile(PublicDocument):
    """What editors say of an author (``PUT /authors/{slug}``)."""

    name: str = described("The name the author's page shows")
    bio: str | None = described("A short biography (plain text)")
    url: str | None = described("The author's own page elsewhere (https), e.g. a profile")
    image: str | None = described("A portrait's address (https)")


@dataclass(kw_only=True)
class AuthorDocument(PublicDocument):
    """``v1/authors/<slug>.json``: an author's newest articles ("Show More": ``more``) and, when
    editors gave one, the author's profile."""

    kind: Literal["author"] = "author"
    slug: str
    name: str = described("The profile's name, or else the name the newest byline gave")
    path: str
    url: str = described("The author's page on the site (AuthorUrlPattern)")
    count: int = described("How many published articles the author has")
    profile: AuthorProfile | None = described("What editors say of the author (null: nothing yet)")
    articles: list[ArticleSummary] = described("The author's newest page: at most PageSize (50) articles")
    more: str | None = described('The next older page of the author ("Show More")')
    feeds: FeedLinks = described("The author's feeds: their newest 50 articles")


@dataclass(kw_only=True)
class FeedLinks(PublicDocument):
    """Where a list's feeds are: RSS 2.0 (application/rss+xml) and JSON Feed 1.1 (application/feed+json)."""

    rss: str
    json: str


@dataclass(kw_only=True)
class SiteDocument(PublicDocument):
    """``v1/site.json``: what a site needs to find everything else."""

    kind: Literal["site"] = "site"
    name: str
    url: str = described("The site's home page (SiteUrl, or the CDN's address)")
    language: str
    latest: str
    tags: str
    schemas: dict[str, str]
    categories: str
    feeds: FeedLinks = described("The site's feeds: its newest 50 articles")
    tag_feeds: FeedLinks = described("A tag's feeds, {tag} standing for its slug")
    category_feeds: FeedLinks = described("A category's feeds, {category} standing for its slug")
    authors: str = described("An author's document, {author} standing for their slug")
    author_feeds: FeedLinks = described("An author's feeds, {author} standing for their slug")
    sitemap: str = described("The sitemap index (sitemaps.org), naming every sitemap of articles")
    news_sitemap: str = described("The Google News sitemap: the articles of the last two days")
    robots: str = described("robots.txt, naming the sitemap index and the news sitemap")


@dataclass(kw_only=True)
class ErrorDocument(PublicDocument):
    """``v1/errors/<status>.json``: what a reader gets for a missing document."""

    kind: Literal["error"] = "error"
    status: int
    message: str = described("Shown to readers, in the site's language")
