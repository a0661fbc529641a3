"""The in-memory stores (tests.support.memory) read back what the table's stores do.

The same workflow calls run against the real stores on moto and against the memory
stores; everything read back afterwards must be equal. This keeps the unit tests'
stand-ins honest. (One known difference is left out on purpose: a moderation-queue
page that comes back exactly full gives a cursor to an empty page in memory, as
DynamoDB does, and none on moto.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from kabar.errors import Conflict, TagMergedMeanwhile
from kabar.events import ArticleChanged, TableChange, TagsChanged
from kabar.keyring import Keyring
from kabar.models import ArticleTags, ScoredTag, Upload, UploadState
from kabar.table import Stores
from kabar.table.base import Table
from kabar.workflows import related
from kabar.workflows.comments import IntakeRules, read_submission, submit
from kabar.workflows.moderation import edit, moderate, queue, read_edit
from kabar.workflows.publish import process_upload
from kabar.workflows.related import continue_unlist, relate
from kabar.workflows.render.plan import plan
from kabar.workflows.render.renderer import Renderer
from kabar.workflows.render.sources import SiteSettings, Sources
from kabar.workflows.tagging import continue_merge, tag_article
from kabar.workflows.uploads import upload_status
from kabar.workflows.vocabulary import merge_tag, put_tag
from kabar.workflows.vocabulary_forms import MergeRequest, TagRequest
from kabar_infra.provision import Stack
from tests.support.memory import MemorySite, MemoryStores, article, put_article, tag

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
FLOOD = ["Banjir", "Kali Ciliwung", "Kampung Melayu"]
STORY = {
    "banjir-rendam-rumah": (
        "Banjir Rendam Ribuan Rumah di Kampung Melayu",
        10,
        "Banjir merendam ribuan rumah setelah Kali Ciliwung meluap. Warga mengungsi.",
    ),
    "pengungsi-banjir-sakit": (
        "Pengungsi Banjir Ciliwung Terserang Penyakit",
        11,
        "Pengungsi banjir di Kampung Melayu sakit. Air Kali Ciliwung kotor.",
    ),
    "air-ciliwung-surut": (
        "Air Ciliwung Surut, Warga Bersihkan Rumah",
        12,
        "Banjir surut dari Kampung Melayu dan warga membersihkan lumpur.",
    ),
    "banjir-kiriman-ancam": (
        "Banjir Kiriman Ancam Kampung Melayu",
        19,
        "Warga bantaran Kali Ciliwung waspada banjir kiriman dari Bogor.",
    ),
}
LATER = "banjir-kiriman-ancam"


@pytest.fixture
def both(stack: Stack) -> tuple[Any, MemoryStores]:
    client = boto3.client("dynamodb", region_name=stack.region)
    return Stores.over(Table(stack.ref("ContentTable"), client)), MemoryStores.new()


def sources(stores: Any) -> Sources:
    return Sources(
        articles=stores.articles,
        tags=stores.tags,
        related=stores.related,
        comments=stores.comments,
        lists=stores.lists,
        vocabulary=stores.vocabulary,
        links=stores.links,
        authors=stores.authors,
    )


def publish(stores: Any, slug: str, version: int = 1, **fields: Any) -> None:
    put_article(stores.articles, article(slug, version=version, **fields))
    tag(stores, slug)


def story(stores: Any, slug: str, version: int = 1, **fields: Any) -> Any:
    title, day, text = STORY[slug]
    publish(
        stores,
        slug,
        version,
        title=title,
        body_html=f"<p>{text}</p>",
        tags=FLOOD,
        category="Nasional",
        published_at=datetime(2026, 11, day, 3, 0, tzinfo=UTC),
        **fields,
    )
    return relate(slug, articles=stores.articles, tags=stores.tags, lists=stores.related)


def reads(stores: Any, slugs: list[str]) -> dict[str, Any]:
    """Everything the workflows can read of articles, tags, lists and related lists."""
    found: dict[str, Any] = {
        slug: (
            stores.articles.get(slug),
            stores.articles.facts(slug),
            stores.tags.get(slug),
            stores.related.get(slug),
            stores.related.listed_by(slug, after=None, limit=50),
            stores.related.unlist_progress(slug),
            stores.links.named_by(slug, 50),
        )
        for slug in slugs
    }
    found["states"] = stores.articles.states([*slugs, "nothing"])
    found["summaries"] = stores.articles.summaries([*slugs, "nothing"])
    # (most_used with a limit that cuts between equal counts may keep either: see test_the_most_used_tags)
    found["counts"] = (stores.tags.counts(), stores.tags.article_counts(["banjir", "timnas", "nothing"]),
                       stores.tags.most_used(100))  # fmt: skip
    for listed in (None, "banjir", "kali-ciliwung"):
        newest = stores.lists.newest_page(listed)
        found[f"list of {listed}"] = (
            stores.lists.newest(3, listed),
            newest,
            stores.lists.entries(listed, newest),
            stores.lists.page_of(listed, "2026-11-15T00:00:00Z#x"),
        )
    found["members"] = stores.tags.member_slugs("banjir", 2)
    found["candidates"] = stores.related.candidates(["banjir", "timnas"], "nasional", 2)
    return found


def test_related_lists_tags_and_lists(
    both: tuple[Any, MemoryStores], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(related, "UNLIST_CHUNK", 1)
    slugs = [*STORY, "timnas", "menyemat"]
    seen = []
    for stores in both:
        reports = [story(stores, slug) for slug in STORY]
        publish(
            stores,
            "timnas",
            title="Timnas Menang",
            tags=["Timnas"],
            category="Olahraga",
            published_at=OCTOBER,
        )
        reports.append(relate("timnas", articles=stores.articles, tags=stores.tags, lists=stores.related))
        title, _, text = STORY[LATER]
        publish(
            stores,
            "menyemat",
            title=title,
            body_html=f"<p>{text}</p>",
            tags=FLOOD,
            related=[LATER],
            published_at=DECEMBER,
        )
        reports.append(relate("menyemat", articles=stores.articles, tags=stores.tags, lists=stores.related))
        before = reads(stores, slugs)
        reports.append(story(stores, LATER, version=2, status="draft"))
        unlisted = [continue_unlist(LATER, articles=stores.articles, lists=stores.related) for _ in range(5)]
        seen.append((reports, before, unlisted, reads(stores, slugs)))
    assert seen[0] == seen[1]
    reports, before, unlisted, after = seen[1]
    assert set(reports[3].updated) == set(STORY) - {LATER} and unlisted[0] and unlisted[-1] == []
    assert before[LATER][3] is not None and after[LATER][3] is None


def test_the_lists_an_article_joins_and_its_own_are_written_all_or_none(
    both: tuple[Any, MemoryStores], monkeypatch: pytest.MonkeyPatch
) -> None:
    older = [slug for slug in STORY if slug != LATER]
    seen = []
    for stores in both:
        for slug in older:
            story(stores, slug)
        get_many = stores.related.get_many

        def another_writer_meanwhile(slugs: Any, stores: Any = stores, get_many: Any = get_many) -> Any:
            read = get_many(slugs)
            monkeypatch.setattr(stores.related, "get_many", get_many)
            other = stores.related.get(older[0])
            stores.related.store(other.replace(revision=other.revision + 1), other)
            return read

        monkeypatch.setattr(stores.related, "get_many", another_writer_meanwhile)
        with pytest.raises(Conflict, match=f"related list of {older[0]} changed meanwhile"):
            story(stores, LATER)
        seen.append(reads(stores, [*STORY]))
        assert all(LATER not in [e.slug for e in stores.related.get(slug).auto] for slug in older)
        assert stores.related.get(LATER) is None
        assert stores.related.listed_by(LATER, after=None, limit=9) == []
        report = relate(LATER, articles=stores.articles, tags=stores.tags, lists=stores.related)
        assert set(report.updated) == set(older)
    assert seen[0] == seen[1]


def test_the_vocabulary_and_a_merge(both: tuple[Any, MemoryStores]) -> None:
    seen = []
    for stores in both:
        put_tag("lebanon", TagRequest(name="Lebanon", aliases=["Libanon"]), vocabulary=stores.vocabulary)
        with pytest.raises(Conflict) as refused:
            put_tag("x", TagRequest(name="X", aliases=["Libanon", "Lebanon"]), vocabulary=stores.vocabulary)
        put_tag("lebanon", TagRequest(name="Lebanon"), vocabulary=stores.vocabulary)
        put_tag("gaza", TagRequest(name="Gaza"), vocabulary=stores.vocabulary)
        for number in range(5):
            publish(
                stores,
                f"gaza-{number}",
                title=f"Berita Nomor {number}",
                tags=["Jalur Gaza"],
                published_at=NOW + timedelta(days=number),
            )
        merge_tag("jalur-gaza", MergeRequest(into="gaza"), vocabulary=stores.vocabulary, tags=stores.tags)
        moved = [
            continue_merge(
                "jalur-gaza",
                articles=stores.articles,
                tags=stores.tags,
                vocabulary=stores.vocabulary,
                max_tags=8,
                publish_suggestions=False,
                chunk=2,
            )
            for _ in range(4)
        ]
        vocabulary = stores.vocabulary
        seen.append(
            (
                str(refused.value),
                vocabulary.all(),
                vocabulary.get("jalur-gaza"),
                vocabulary.alias_owners(["lebanon", "libanon", "gaza", "jalur-gaza", "x"]),
                vocabulary.lookup(["libanon", "jalur-gaza"]),
                vocabulary.entries(["gaza", "nothing"]),
                moved,
                stores.tags.counts(),
                stores.tags.member_slugs("gaza", 10),
                [stores.tags.get(f"gaza-{n}") for n in range(5)],
            )
        )
    assert seen[0] == seen[1]
    assert seen[1][6] == [2, 2, 1, 0] and "belongs to tag 'lebanon'" in seen[1][0]


class MergedWhileReading:
    """The tagger's vocabulary, which merges ``tag`` into ``into`` just after the first lookup
    answers: the tags computed from that answer are out of date by the time they are written."""

    def __init__(self, stores: Any, tag: str, into: str) -> None:
        self.stores, self.tag, self.into, self.merged = stores, tag, into, False

    def lookup(self, match_keys: Any) -> Any:
        found = self.stores.vocabulary.lookup(match_keys)
        if not self.merged:
            self.merged = True
            merge_tag(self.tag, MergeRequest(into=self.into), vocabulary=self.stores.vocabulary,
                      tags=self.stores.tags)  # fmt: skip
        return found

    def entries(self, slugs: Any) -> Any:
        return self.stores.vocabulary.entries(slugs)


def test_a_tag_merged_while_an_article_is_tagged_never_keeps_it(both: tuple[Any, MemoryStores]) -> None:
    """The merge's mover lists the merged tag's members once; an article tagged with the old
    vocabulary and written after that would stay under the merged tag for good."""
    seen = []
    for stores in both:
        put_tag("gaza", TagRequest(name="Gaza"), vocabulary=stores.vocabulary)
        put_tag("palestina", TagRequest(name="Palestina"), vocabulary=stores.vocabulary)
        put_article(stores.articles, article("warga-bertahan", title="Warga Bertahan", tags=["Palestina"]))
        racing = MergedWhileReading(stores, "palestina", "gaza")
        tagged = tag_article("warga-bertahan", articles=stores.articles, tags=stores.tags, vocabulary=racing,
                             max_tags=8, publish_suggestions=False)  # fmt: skip
        assert racing.merged
        # Written straight to the store, tags read before the merge are refused, naming the tag.
        old_tag = ScoredTag(name="Palestina", slug="palestina", score=1.0, origin="editor")
        late = ArticleTags(slug="warga-bertahan", version=2, status="published", published_at=NOW,
                           tags=[old_tag])  # fmt: skip
        summary = article("warga-bertahan").summary()
        with pytest.raises(TagMergedMeanwhile, match="palestina merged meanwhile"):
            stores.tags.store(late, previous=tagged, summary=summary, published_at=NOW)
        seen.append((tagged, stores.tags.get("warga-bertahan"), stores.tags.member_slugs("gaza", 10),
                     stores.tags.member_slugs("palestina", 10)))  # fmt: skip
    assert seen[0] == seen[1]
    tagged, stored, in_gaza, in_palestina = seen[1]
    assert tagged == stored and tagged is not None and [t.slug for t in tagged.tags] == ["gaza"]
    assert (in_gaza, in_palestina) == (["warga-bertahan"], [])


def test_the_most_used_tags(both: tuple[Any, MemoryStores]) -> None:
    seen = []
    for stores in both:
        for number, tags in enumerate([["Banjir", "Bogor"], ["Banjir", "Bogor"], ["Banjir", "Depok"]]):
            publish(stores, f"banjir-{number}", title=f"Banjir {number}", tags=tags)
        publish(stores, "banjir-2", version=2, title="Banjir 2", tags=["Banjir"])  # Depok: no article left
        seen.append((stores.tags.most_used(1), stores.tags.most_used(2), stores.tags.most_used(10)))
    assert seen[0] == seen[1]
    assert [(t.slug, t.count) for t in seen[1][2]] == [("banjir", 3), ("bogor", 2)]
    assert seen[1][0] == seen[1][2][:1] and seen[1][1] == seen[1][2]


def test_uploads_and_publishing(both: tuple[Any, MemoryStores]) -> None:
    texts = [
        b"---\ntitle: Harga Beras Naik\nread_also: [tidak-ada]\n---\nSatu.\n",
        b"---\nsubtitle: Tanpa judul\nstatus: maybe\n---\nDua.\n",
        b"---\ntitle: Harga Beras Naik Lagi\nslug: harga-beras-naik\n---\nTiga.\n",
        b"---\ntitle: Harga Beras Naik Lagi\nslug: harga-beras-naik\n---\nTiga.\n",
    ]
    ids = [f"{number:032x}" for number in range(len(texts))]
    files = {f"uploads/{upload_id}/a.md": text for upload_id, text in zip(ids, texts, strict=True)}
    seen = []
    for stores in both:
        for key in files:
            stores.uploads.create(
                Upload(
                    upload_id=key.split("/")[1],
                    state=UploadState.PENDING,
                    filename="a.md",
                    content_type="text/markdown",
                    key=key,
                    created_at=NOW,
                    created_by="editor1",
                )
            )
        outcomes = [
            process_upload(
                key,
                10,
                uploads=stores.uploads,
                articles=stores.articles,
                read_object=files.__getitem__,
                max_bytes=1000,
                now=NOW,
            )
            for key in [*files, next(iter(files))]
        ]
        first = next(iter(files))  # its ticket used again, twice with the same other file
        again = {first: b"---\ntitle: Lain Lagi\n---\nEmpat.\n"}.__getitem__
        for _ in range(2):
            outcomes.append(process_upload(first, 10, uploads=stores.uploads, articles=stores.articles,
                                           read_object=again, max_bytes=1000, now=NOW))  # fmt: skip
        stores.uploads.create(Upload(upload_id="f" * 32, state=UploadState.PENDING, filename="a.md",
                                     content_type="text/markdown", key=f"uploads/{'f' * 32}/a.md",
                                     created_at=NOW, created_by="editor1", expires_at=NOW))  # fmt: skip
        stores.articles.mark_rendered("harga-beras-naik", 2, "published")
        stores.articles.mark_rendered("harga-beras-naik", 1, "published")
        statuses = [
            upload_status(upload_id, uploads=stores.uploads, articles=stores.articles, now=DECEMBER)
            for upload_id in [*ids, "f" * 32, "f" * 32]
        ]
        seen.append(
            (
                outcomes,
                statuses,
                stores.links.named_by("tidak-ada", 10),
                stores.articles.get("harga-beras-naik"),
                stores.articles.versions("harga-beras-naik"),
                stores.articles.rendered_version("harga-beras-naik"),
                stores.lists.newest(5),
            )
        )
    assert seen[0] == seen[1]
    assert [status.live for status in seen[1][1]] == [True, False, True, True, False, False]
    assert [status.state.value for status in seen[1][1]][-1] == "expired"
    assert len(seen[1][0][-1].ignored_files) == 1 and seen[1][2] == []


def take(stores: Any, ids: list[str], number: int, **fields: Any) -> Any:
    """A comment taken (its index in ``ids``), or the name of the refusal."""
    body = {"name": f"P{number}", "email": f"{number % 3}@example.id", "content": f"K {number}.", **fields}
    try:
        taken = submit(
            "gempa",
            read_submission(body, raw_size=10),
            source_ip="203.0.113.7",
            articles=stores.articles,
            comments=stores.comments,
            keys=Keyring.single(b"k"),
            rules=IntakeRules(flood_seconds=60),
            now=NOW + timedelta(minutes=number),
        )
    except Exception as refused:
        return type(refused).__name__
    ids.append(taken["id"])
    return {**taken, "id": len(ids) - 1}


def test_a_version_read_ahead_as_rendered_already_is_not_written_again(
    both: tuple[Any, MemoryStores], monkeypatch: pytest.MonkeyPatch
) -> None:
    stores = both[0]  # the table's store: what it asks DynamoDB for
    stores.articles.mark_rendered("gempa", 2, "published")
    puts: list[dict[str, Any]] = []
    put = stores.articles.table.put
    monkeypatch.setattr(stores.articles.table, "put", lambda item, **kw: puts.append(item) or put(item, **kw))
    with stores.articles.reading_ahead(["gempa"]):
        stores.articles.mark_rendered("gempa", 2, "published")  # rendered again for its related list
        stores.articles.mark_rendered("gempa", 1, "published")  # an older one: never recorded
    assert puts == []
    with stores.articles.reading_ahead(["gempa"]):
        stores.articles.mark_rendered("gempa", 2, "draft")
    stores.articles.mark_rendered("gempa", 2, "draft")  # not read ahead: the write, refused or not
    assert [item["status"] for item in puts] == ["draft", "draft"]
    assert stores.articles.rendered_version("gempa") == (2, "draft")


def test_comments_and_moderation(both: tuple[Any, MemoryStores]) -> None:
    seen = []
    for stores in both:
        put_article(stores.articles, article("gempa"))
        ids: list[str] = []
        answers = [take(stores, ids, 0), take(stores, ids, 0, content="Lagi.")]
        moderate(stores.comments, ids[0], "approve", by="mod", now=NOW)
        answers += [take(stores, ids, n) for n in range(1, 7)] + [take(stores, ids, 7, parent=ids[0])]
        moderate(stores.comments, ids[1], "spam", by="mod", now=NOW)
        edit(stores.comments, ids[0], read_edit({"content": "K nol.", "website": None}), by="mod", now=NOW)
        pages, cursor = [], None
        for _ in range(5):  # pages of 3: the last one is not full (see the module's docstring)
            page = queue(stores.comments, "pending", limit=3, cursor=cursor)
            pages.append([ids.index(c["id"]) for c in page["comments"]])
            cursor = page["next"]
            if cursor is None:
                break
        anonymous = [c.replace(id="", parent=None) for c in map(stores.comments.get, ids) if c]
        public = [{**c, "id": "", "parent": None} for c in stores.comments.public_by_seq("gempa", 1, 50)]
        first = stores.comments.get(ids[0])
        assert first is not None
        history = stores.comments.history(
            email_hashes=[first.email_hash], network_hashes=[first.network_hash], duplicates=["nothing"]
        )
        seen.append((answers, pages, anonymous, public, stores.comments.counters("gempa"), history))
    assert seen[0] == seen[1]
    assert seen[1][1] == [[2, 4, 5], [7]] and seen[1][0][1] == "TooManyRequests"


def test_rendering(both: tuple[Any, MemoryStores]) -> None:
    seen = []
    for stores in both:
        site = MemorySite()
        changes: list[tuple[str, TableChange]] = []
        for slug in STORY:
            story(stores, slug)
            tagged = stores.tags.get(slug)
            assert tagged is not None
            changes += [
                (f"{slug}-a", ArticleChanged(slug, frozenset({"2026-11"}))),
                (f"{slug}-t", TagsChanged(slug, (tagged.to_json(),))),
            ]
        settings = SiteSettings(site_name="Kabar", language="id", page_size=2)
        failed = Renderer(sources(stores), site, settings).apply(plan(changes))
        seen.append((failed, site.documents, site.invalidations))
    assert seen[0] == seen[1]
    assert seen[1][0] == set() and len(seen[1][1]["v1/latest.json"]["articles"]) == 2
    assert seen[1][1]["v1/articles/banjir-rendam-rumah.json"]["related"]
