"""A list's pages on moto (the table's page items, gsi1, the site bucket): 120 articles in pages of
50, "Show More" from the newest page, an unpublish that rewrites only its own page and the newest,
and two renders of one list racing (each interleaving forced, so each can be seen to lose)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from kabar.site import SiteBucket
from kabar.table import Stores
from kabar.table.base import Table
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings, Sources
from kabar_infra.provision import Stack
from tests.support.rendering import published, walk

START = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
SETTINGS = SiteSettings(site_name="Kabar", language="id", page_size=50)


@pytest.fixture
def table(stack: Stack) -> Stores:
    return Stores.over(Table(stack.ref("ContentTable"), boto3.client("dynamodb", region_name=stack.region)))


def sources(stores: Any, lists: Any = None) -> Sources:
    return Sources(articles=stores.articles, tags=stores.tags, related=stores.related,
                   comments=stores.comments, lists=lists or stores.lists, vocabulary=stores.vocabulary,
                   links=stores.links, authors=stores.authors)  # fmt: skip


def renderer(stack: Stack, stores: Any, lists: Any = None) -> Renderer:
    return Renderer(sources(stores, lists), SiteBucket(stack.ref("SiteBucket")), SETTINGS)


def document(stack: Stack) -> Callable[[str], dict[str, Any] | None]:
    s3 = boto3.client("s3", region_name=stack.region)

    def read(path: str) -> dict[str, Any] | None:
        try:
            return json.loads(s3.get_object(Bucket=stack.ref("SiteBucket"), Key=path)["Body"].read())  # type: ignore[no-any-return]
        except s3.exceptions.NoSuchKey:
            return None

    return read


def changes_of(stores: Any, numbers: range, **fields: Any) -> Iterator[tuple[str, Any]]:
    for number in numbers:
        moment = START + timedelta(hours=number)
        yield from published(stores, f"berita-{number:03d}", published_at=moment, tags=["Banjir"], **fields)


def test_120_articles_in_pages_of_50_and_an_unpublish_touches_only_its_page(
    stack: Stack, table: Stores
) -> None:
    for first in range(0, 120, 10):  # as stream batches of ten publishes
        assert renderer(stack, table).apply(plan(list(changes_of(table, range(first, first + 10))))) == set()
    read = document(stack)
    slugs = [f"berita-{number:03d}" for number in range(120)][::-1]
    for start in ("v1/latest.json", "v1/tags/banjir.json"):
        walked = walk(read, start)
        assert [slug for _, listed in walked for slug in listed] == slugs, start
        assert max(len(listed) for _, listed in walked) <= 50 and len(walked) >= 3
    assert read("v1/tags/banjir.json")["count"] == 120  # type: ignore[index]

    before = walk(read, "v1/latest.json")
    holder = next(path for path, listed in before if "berita-010" in listed)
    assert holder != "v1/latest.json"
    gone = published(table, "berita-010", version=2, status="draft", published_at=START + timedelta(hours=10),
                     tags=["Banjir"])  # fmt: skip
    rendering = renderer(stack, table)
    assert rendering.apply(plan(gone)) == set()
    written = {path for path in rendering.out.written if not path.startswith("v1/articles/")}
    tag_holder = next(path for path, listed in walk(read, "v1/tags/banjir.json") if "berita-011" in listed)
    feeds = {"v1/feed.xml", "v1/feed.json", "v1/tags/banjir/feed.xml", "v1/tags/banjir/feed.json"}
    search = {"sitemap-newest.xml", "news-sitemap.xml"}  # 120 articles: all in the newest sitemap
    assert written == {holder, "v1/latest.json", tag_holder, "v1/tags/banjir.json", "v1/tags.json", *feeds,
                       *search}  # fmt: skip
    assert [slug for _, listed in walk(read, "v1/latest.json") for slug in listed] == [
        slug for slug in slugs if slug != "berita-010"
    ]


class Interleaved:
    """The list store, with another render run once at a chosen moment of this one."""

    def __init__(self, lists: Any, moment: str, other: Callable[[], None], tag: str | None = None) -> None:
        self.lists, self.moment, self.other, self.done = lists, moment, other, False
        self.tag = tag  # only at that moment of this list (None: the first list that gets there)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.lists, name)
        if name != self.moment:
            return method

        def interleaved(*args: Any, **kwargs: Any) -> Any:
            answer = method(*args, **kwargs)
            if not self.done and (self.tag is None or (args and args[0] == self.tag)):
                self.done = True
                self.other()  # runs between this read and what this render does with it
            return answer

        return interleaved


@pytest.mark.parametrize(
    ("moment", "existing", "tag"),
    [("entries", 30, None), ("commit", 30, None), ("entries", 48, None), ("commit", 30, "banjir")],
)
def test_two_renders_of_one_list_at_once_lose_no_article_and_list_none_twice(
    stack: Stack, table: Stores, moment: str, existing: int, tag: str | None
) -> None:
    """Five articles are published and rendered in the middle of another render of the same
    list: ``entries``, after it read the page (its commit then loses, and it starts again);
    ``commit``, after it committed but before it wrote the document (the other's document
    lands first; the check after the write sees the newer commit, and it renders again). With
    48 articles, both renders split the newest page, and only one split can be stored. A tag's
    list is checked after every tag was written, in one request: the same race there ends the
    same way."""
    for first in range(0, existing, 6):
        assert renderer(stack, table).apply(plan(list(changes_of(table, range(first, first + 6))))) == set()
    mine = list(changes_of(table, range(existing, existing + 5)))

    def other() -> None:
        theirs = changes_of(table, range(existing + 5, existing + 10))
        assert renderer(stack, table).apply(plan(list(theirs))) == set()

    racing = Interleaved(table.lists, moment, other, tag)
    assert renderer(stack, table, racing).apply(plan(mine)) == set()
    assert racing.done
    for start in ("v1/latest.json", "v1/tags/banjir.json"):
        walked = walk(document(stack), start)
        listed = [slug for _, slugs in walked for slug in slugs]
        assert listed == [f"berita-{number:03d}" for number in range(existing + 10)][::-1], start
        assert max(len(slugs) for _, slugs in walked) <= 50
