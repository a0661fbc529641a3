"""The table a publish meets at newsroom scale, small enough for moto (``make bench-publish``).

A publish reads and writes the same items whatever the corpus holds beyond what it can reach:
the newest page of each list the article joins (latest, its tags, the newest sitemap), the newest articles of its
tags (RelatedFunction's bounded candidates, their profiles and related lists), the most-used
tags (``tags.json``, one Query of gsi2), its own items and the articles it names. Nothing older
is read (older pages are immutable until one of their articles changes). So the seed holds,
for a corpus of ``articles`` published ``per_day`` a day over ``tags`` tags:

- the newest ``WINDOW`` articles, each as publishing left it: its current version, its tags
  (with the text profile related scoring compares), its memberships (tags and strongest stems),
  its related list;
- every list's pages over those articles (``paged``, as one-by-one publishing leaves them),
  as full as the whole list's would be and numbered as though the rest of the list were
  there: page numbers, the newest page's ``seq`` and the oldest seeded page's link to the
  next older one are offset by the pages the unseeded articles fill;
- the sitemaps' pages over the same articles (SITEMAP_SIZE), numbered likewise: a publish reads
  the newest sitemap's articles, and the news sitemap's from two days ago (the window holds
  NEWS_SIZE, the most it names);
- every tag's count (all ``tags`` of them, gsi2's sort key), summing to two tags an article;
- a category and an author for each article (CATEGORIES and AUTHORS of them, the hot ones on a
  quarter and a tenth of the articles), with their memberships, counts and pages, as the tags';

``benchmarks/publish_bench.py`` checks the equivalence at 10,000 articles: a full seed (every
article) and this one give the same counts for the same publish.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from kabar.listnames import SITEMAP_LIST
from kabar.sitemaps import SITEMAP_SIZE

# Newest articles seeded: more than any list's newest page, the newest sitemap (SITEMAP_SIZE plus
# half), the news sitemap (NEWS_SIZE) and related's reach.
WINDOW = 1000
PAGE_SIZE = 50  # the template's default PageSize
# The seed's newest article, three hours before the bench runs (the bench's publishes come one and
# two hours after it): the news sitemap names what was published in the last two days by the
# clock, so the seeded articles must be that recent for it to be measured at full size.
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
HOT = ("suriah", "aleppo")  # the new article's editor tags: among the most used, so the busiest lists
# A newsroom's sections and bylines; the new article is in the busiest of each (the first).
CATEGORIES = ["Berita Suriah", *(f"Rubrik {n:02d}" for n in range(1, 12))]
AUTHORS = ["Tim Redaksi", *(f"Wartawan {n:02d}" for n in range(1, 40))]
# Profile stems; the new article's strongest (aleppo, suriah, rebut) among them, so that its term lists
# are full (RelatedFunction reads the newest PER_LIST of each).
TERMS = ["serangan", "pasukan", "kota", "warga", "pemerintah", "harga", "banjir", "gempa", "pemilu",
         "sepak", "bola", "ekonomi", "rupiah", "jakarta", "bandung", "presiden", "menteri", "aleppo", "suriah",
         "rebut"]  # fmt: skip


@dataclass(frozen=True)
class Corpus:
    articles: int
    per_day: int
    tags: int
    window: int = WINDOW

    @property
    def seeded(self) -> int:
        return min(self.window, self.articles)


def tag_names(corpus: Corpus) -> list[str]:
    return [*HOT, *(f"topik-{n:06d}" for n in range(corpus.tags - len(HOT)))]


def tag_counts(corpus: Corpus) -> dict[str, int]:
    """Two tags an article: the hot two on a third and a fifth of them, the rest Zipf-like."""
    names = tag_names(corpus)
    counts = {HOT[0]: (corpus.articles + 2) // 3, HOT[1]: (corpus.articles + 4) // 5}  # as _article_tags
    rest = 2 * corpus.articles - sum(counts.values())
    weights = [1 / rank for rank in range(1, len(names) - 1)]
    total = sum(weights)
    counts.update({name: max(1, round(rest * w / total)) for name, w in zip(names[2:], weights, strict=True)})
    return counts


def _article_tags(corpus: Corpus, index: int, rng: random.Random) -> list[str]:
    names = tag_names(corpus)
    first = HOT[0] if index % 3 == 0 else names[2 + int(rng.paretovariate(1.0)) % max(1, len(names) - 2)]
    second = HOT[1] if index % 5 == 0 else names[2 + int(rng.paretovariate(1.2) * 3) % max(1, len(names) - 2)]
    return sorted({first, second})


def _category_of(index: int) -> str:
    """The article's category: the hot one on every fourth article, the others in turn."""
    return CATEGORIES[0] if index % 4 == 0 else CATEGORIES[1 + index % (len(CATEGORIES) - 1)]


def _author_of(index: int) -> str:
    """The article's byline: the hot author on every tenth article, the others in turn."""
    return AUTHORS[0] if index % 10 == 0 else AUTHORS[1 + index % (len(AUTHORS) - 1)]


def section_counts(corpus: Corpus) -> dict[str, int]:
    """Every category's and author's count over the whole corpus, by list name."""
    from collections import Counter

    from kabar.listnames import author_list_name, category_list_name
    from kabar.slugs import slugify

    named = {name: category_list_name(slugify(name)) for name in CATEGORIES}
    named |= {name: author_list_name(slugify(name)) for name in AUTHORS}
    counts: Counter[str] = Counter()
    for index in range(corpus.articles):
        counts[named[_category_of(index)]] += 1
        counts[named[_author_of(index)]] += 1
    return dict(counts)


def seed(app: Any, corpus: Corpus) -> None:
    """Write the seed straight into moto's table model (its own ``put_item`` and validation),
    the stream paused: loaded state is not events for the functions."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from kabar.table.codec import to_item

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][app.stack.region].get_table(app.stack.ref("ContentTable"))
    shard, table.stream_shard = table.stream_shard, None
    try:
        for values in items(corpus):
            table.put_item(to_item(values))
    finally:
        table.stream_shard = shard


def items(corpus: Corpus) -> list[dict[str, Any]]:
    """Every item of the seed, as plain values."""
    from kabar.models import (
        Article,
        ArticleTags,
        AuthorRef,
        Category,
        RelatedEntry,
        RelatedList,
        ScoredTag,
        list_terms,
    )
    from kabar.slugs import slugify
    from kabar.table import keys
    from kabar.table.articles import summary_values

    rng, step = random.Random(12), timedelta(days=1) / corpus.per_day
    out: list[dict[str, Any]] = []
    positions: dict[str | None, list[str]] = {None: []}
    slugs = [f"arsip-{index:07d}" for index in range(corpus.seeded)]
    for index, slug in enumerate(slugs):
        moment = NOW - step * (index + 1)
        category, author = _category_of(index), _author_of(index)
        byline = AuthorRef(name=author, slug=slugify(author))
        article = Article(slug=slug, version=1, status="published", title=f"Arsip nomor {index}",
                          lead="Berita lama untuk mengisi tabel.", published_at=moment, created_at=moment,
                          updated_at=moment, body_html="<p>Isi.</p>", content_hash=slug, upload_id="seed",
                          category=Category(name=category, slug=slugify(category)), author=author,
                          authors=[byline])  # fmt: skip
        summary, stamp = summary_values(article.summary()), keys.listing_position(moment, slug)
        tags = _article_tags(corpus, index, rng)
        terms = {term: round(rng.uniform(0.1, 1.0), 3) for term in rng.sample(TERMS, 6)}
        scored = [ScoredTag(name=tag.title(), slug=tag, score=0.9, origin="editor") for tag in tags]
        tagged = ArticleTags(slug=slug, version=1, status="published", published_at=moment, tags=scored,
                             terms=terms, category=slugify(category), authors=[byline.slug])  # fmt: skip
        out.append({**keys.article(slug), "type": "article", **article.to_json(exclude_none=True),
                    "summary": summary, "gsi1pk": keys.LATEST, "gsi1sk": stamp})  # fmt: skip
        out.append({**keys.article_tags(slug), "type": "article_tags", **tagged.to_json()})
        profile = {"terms": terms, "tags": tags, "category": slugify(category)}
        out += _sections(slug, slugify(category), byline.slug, {"gsi1sk": stamp, "summary": summary,
                                                                "profile": profile}, positions)  # fmt: skip
        positions[None].append(stamp)
        for tag in tags:
            positions.setdefault(tag, []).append(stamp)
            out.append({**keys.membership(slug, tag), "type": "tag_membership", "slug": slug, "tag": tag,
                        "gsi1pk": keys.tag_list(tag), "gsi1sk": stamp, "summary": summary,
                        "profile": profile})  # fmt: skip
        for term in list_terms(terms):
            out.append({**keys.term_membership(slug, term), "type": "term_membership", "slug": slug,
                        "gsi1pk": keys.term_list(term), "gsi1sk": stamp, "profile": profile})  # fmt: skip
        auto = [RelatedEntry(slug=other, score=0.5) for other in slugs[index + 1 : index + 6]]
        related = RelatedList(slug=slug, version=1, revision=1, auto=auto)
        out.append({**keys.related(slug), "type": "related", **related.to_json()})
    counts = tag_counts(corpus)
    for tag, count in counts.items():
        out.append({**keys.tag_stats(tag), "type": "tag_stats", "slug": tag, "name": tag.title(),
                    "count": count, "gsi1pk": keys.TAGS, "gsi1sk": tag, "gsi2pk": keys.TAGS})  # fmt: skip
    sections = section_counts(corpus)
    out += _section_stats(sections)
    listed = {None: corpus.articles, **counts, **sections}
    for tag, seeded in positions.items():
        out += _pages(tag, seeded, listed[tag])
    out += _pages(SITEMAP_LIST, positions[None], corpus.articles, SITEMAP_SIZE)
    return out


def _sections(
    slug: str, category: str, author: str, member: dict[str, Any], positions: dict[str | None, list[str]]
) -> list[dict[str, Any]]:
    """An article's memberships in its category's and its author's lists, as TagStore writes them."""
    from kabar.listnames import author_list_name, category_list_name
    from kabar.table import keys

    positions.setdefault(category_list_name(category), []).append(member["gsi1sk"])
    positions.setdefault(author_list_name(author), []).append(member["gsi1sk"])
    return [
        {**keys.category_membership(slug), "type": "category_membership", "slug": slug,
         "gsi1pk": keys.category_list(category), **member},
        {**keys.authorship(slug, author), "type": "authorship", "slug": slug, "author": author,
         "gsi1pk": keys.author_list(author), **member},
    ]  # fmt: skip


def _section_stats(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The categories' and authors' counts (``counts`` by list name), as TagStore keeps them."""
    from kabar.listnames import list_kind
    from kabar.slugs import slugify
    from kabar.table import keys

    names = {slugify(name): name for name in [*CATEGORIES, *AUTHORS]}
    out = []
    for list_name, count in counts.items():
        kind, slug = list_kind(list_name)
        if kind == "category":
            out.append({**keys.category_stats(slug), "type": "category_stats", "slug": slug, "name": names[slug],
                        "count": count, "gsi1pk": keys.CATEGORIES, "gsi1sk": slug})  # fmt: skip
        else:
            out.append({**keys.author_stats(slug), "type": "author_stats", "slug": slug, "name": names[slug],
                        "count": count})  # fmt: skip
    return out


def _pages(
    tag: str | None, positions: list[str], in_list: int, size: int = PAGE_SIZE
) -> list[dict[str, Any]]:
    """A list's pages over the seeded positions, numbered as though all ``in_list`` were there.

    The newest page holds as many articles as it would over the whole list: the oldest seeded
    positions are left out of the pages (they fall in the oldest seeded page's range, which
    no new publish reads) until their number and ``in_list`` are equal modulo half a page."""
    from dataclasses import asdict

    from kabar.table import keys
    from kabar.table.lists import TYPE_PAGE, ListStore
    from kabar.workflows.render.pages import paged

    half = (size + 1) // 2
    kept = sorted(positions)
    if in_list > len(kept) > size + half:
        kept = kept[(len(kept) - in_list) % half :]
    offset = max(0, in_list - len(kept)) // half
    bounds = paged(kept, size, ListStore.newest_page_of_nothing())
    shifted = []
    for bound in bounds:
        if bound.newest:
            shifted.append(replace(bound, older=bound.older + offset if bound.older or offset else 0,
                                   seq=bound.seq + offset))  # fmt: skip
        else:
            shifted.append(replace(bound, number=bound.number + offset, older=bound.older + offset
                                   if bound.older or offset else 0))  # fmt: skip
    out = []
    for bound in shifted:
        values = asdict(bound)
        upper = values.pop("upper")
        out.append({**keys.page_bound(keys.list_pages(tag), upper), "type": TYPE_PAGE, **values})
    return out
