"""kabar.workflows.vocabulary against in-memory stores: aliases claimed and released, bulk loads, merges."""

from __future__ import annotations

import copy

import pytest

from kabar.errors import Conflict, InvalidRequest, NotFound
from kabar.models import VocabularyEntry
from kabar.workflows.tagging import tag_article
from kabar.workflows.vocabulary import (
    TagEntry,
    bulk_request,
    list_tags,
    merge_tag,
    put_tag,
    put_tags,
)
from kabar.workflows.vocabulary_forms import MergeRequest, TagRequest
from tests.support.memory import MemoryStores, article


def put(stores: MemoryStores, slug: str, name: str, *aliases: str, status: str = "active") -> TagEntry:
    request = TagRequest.model_validate({"name": name, "aliases": list(aliases), "status": status})
    return put_tag(slug, request, vocabulary=stores.vocabulary)


def test_a_tag_claims_the_match_keys_of_its_name_and_aliases() -> None:
    stores = MemoryStores.new()
    entry = put(stores, "lebanon", "Lebanon", "Libanon", "Lebanonnya")
    assert entry == TagEntry(
        slug="lebanon", name="Lebanon", aliases=["Libanon", "Lebanonnya"], status="active"
    )
    assert stores.vocabulary.get("lebanon") == VocabularyEntry(
        "lebanon", "Lebanon", aliases=("Libanon", "Lebanonnya")
    )
    # "Lebanonnya" matches as "lebanon": two names, two keys.
    assert stores.vocabulary.aliases == {"lebanon": "lebanon", "libanon": "lebanon"}
    assert stores.vocabulary.lookup(["libanon", "suriah"]) == {"libanon": stores.vocabulary.get("lebanon")}


def test_an_alias_dropped_is_released_for_another_tag() -> None:
    stores = MemoryStores.new()
    put(stores, "lebanon", "Lebanon", "Libanon")
    put(stores, "lebanon", "Lebanon")
    assert stores.vocabulary.aliases == {"lebanon": "lebanon"}
    put(stores, "libanon", "Libanon")
    assert stores.vocabulary.alias_owners(["lebanon", "libanon"]) == {
        "lebanon": "lebanon",
        "libanon": "libanon",
    }


def test_an_alias_of_another_tag_is_a_conflict_naming_its_owner_and_nothing_is_stored() -> None:
    stores = MemoryStores.new()
    put(stores, "lebanon", "Lebanon", "Libanon")
    before = copy.deepcopy(stores)
    with pytest.raises(Conflict) as refused:
        put(stores, "libanon-lama", "Libanon Lama", "Libanon", "Lebanon")
    assert str(refused.value) == "tag 'libanon-lama': 'lebanon' belongs to tag 'lebanon', " + (
        "'libanon' belongs to tag 'lebanon'"
    )
    assert stores == before
    assert list_tags(vocabulary=stores.vocabulary) == [
        TagEntry.of(VocabularyEntry("lebanon", "Lebanon", aliases=("Libanon",)))
    ]


def test_a_slug_that_is_not_one_is_refused() -> None:
    stores = MemoryStores.new()
    with pytest.raises(InvalidRequest) as refused:
        put(stores, "Bukan Slug", "X")
    assert refused.value.errors == [{"field": "slug", "message": "lower-case letters, digits and hyphens"}]
    assert stores == MemoryStores.new()


def test_a_bulk_load_is_checked_whole_and_every_error_named_before_anything_is_stored() -> None:
    stores = MemoryStores.new()
    body = {
        "tags": [
            {"name": "Suriah", "aliases": ["Syria"]},
            {"name": ""},
            {"name": "X", "status": "merged"},
            {"name": "Y", "colour": "red"},
        ]
    }
    with pytest.raises(InvalidRequest) as refused:
        put_tags(bulk_request(body), vocabulary=stores.vocabulary)
    assert refused.value.message == "the tags are not valid; nothing was stored"
    assert [error["field"] for error in refused.value.errors] == [
        "tags.1.name",
        "tags.2.status",
        "tags.3.colour",
    ]
    with pytest.raises(InvalidRequest) as twice:
        put_tags(
            bulk_request({"tags": [{"name": "A"}, {"name": "B", "slug": "c"}, {"name": "a"}, {"name": "C"}]}),
            vocabulary=stores.vocabulary,
        )
    assert twice.value.errors == [
        {"field": "tags", "message": "'a' appears more than once"},
        {"field": "tags", "message": "'c' appears more than once"},
    ]
    assert stores == MemoryStores.new()


def test_a_bulk_load_stores_each_tag_in_order() -> None:
    stores = MemoryStores.new()
    stored = put_tags(
        bulk_request(
            {"tags": [{"name": "Suriah", "aliases": ["Syria"]}, {"name": "Rusia", "slug": "rusia-raya"}]}
        ),
        vocabulary=stores.vocabulary,
    )
    assert [(t.slug, t.name, t.aliases) for t in stored] == [
        ("suriah", "Suriah", ["Syria"]),
        ("rusia-raya", "Rusia", []),
    ]
    assert [t.slug for t in list_tags(vocabulary=stores.vocabulary)] == ["rusia-raya", "suriah"]
    assert stores.vocabulary.aliases == {"rusia": "rusia-raya", "suriah": "suriah", "syria": "suriah"}


def test_a_merged_tag_keeps_its_aliases_which_lead_to_the_target() -> None:
    stores = MemoryStores.new()
    put(stores, "hizbullah", "Hizbullah")
    put(stores, "hizbulah", "Hizbulah", "Hezbollah")
    entry = merge_tag(
        "hizbulah", MergeRequest(into="hizbullah"), vocabulary=stores.vocabulary, tags=stores.tags
    )
    assert entry == TagEntry(
        slug="hizbulah", name="Hizbulah", aliases=["Hezbollah"], status="merged", merged_into="hizbullah"
    )
    assert stores.vocabulary.get("hizbulah") == VocabularyEntry(
        "hizbulah", "Hizbulah", status="merged", merged_into="hizbullah", aliases=("Hezbollah",)
    )
    assert stores.vocabulary.alias_owners(["hizbulah", "hezbollah"]) == {
        "hizbulah": "hizbulah",
        "hezbollah": "hizbulah",
    }


def test_a_tag_only_articles_have_is_merged_under_the_name_they_gave_it() -> None:
    stores = MemoryStores.new()
    put(stores, "gaza", "Gaza")
    stores.put_article(article("berita", tags=["Jalur Gaza"]))
    tag_article(
        "berita",
        articles=stores.articles,
        tags=stores.tags,
        vocabulary=stores.vocabulary,
        max_tags=8,
        publish_suggestions=False,
    )
    assert stores.vocabulary.get("jalur-gaza") is None
    entry = merge_tag("jalur-gaza", MergeRequest(into="gaza"), vocabulary=stores.vocabulary, tags=stores.tags)
    assert (entry.name, entry.status, entry.merged_into, entry.aliases) == (
        "Jalur Gaza",
        "merged",
        "gaza",
        [],
    )
    assert stores.vocabulary.aliases["jalur-gaza"] == "jalur-gaza"  # its name now leads to it, and on to gaza


@pytest.mark.parametrize(
    ("slug", "into", "field", "message"),
    [
        ("gaza", "gaza", "into", "is the tag itself"),
        ("gaza", "natal", "into", "'natal' is not an active tag of the vocabulary"),
        ("gaza", "tidak-ada", "into", "'tidak-ada' is not an active tag of the vocabulary"),
        ("Bukan Slug", "gaza", "slug", "lower-case letters, digits and hyphens"),
    ],
)
def test_a_merge_it_cannot_make_names_what_is_wrong(slug: str, into: str, field: str, message: str) -> None:
    stores = MemoryStores.new()
    put(stores, "gaza", "Gaza")
    put(stores, "natal", "Natal", status="blocked")
    before = copy.deepcopy(stores)
    with pytest.raises(InvalidRequest) as refused:
        merge_tag(slug, MergeRequest(into=into), vocabulary=stores.vocabulary, tags=stores.tags)
    assert refused.value.errors == [{"field": field, "message": message}]
    assert stores == before


def test_a_tag_neither_in_the_vocabulary_nor_on_an_article_is_not_found() -> None:
    stores = MemoryStores.new()
    put(stores, "gaza", "Gaza")
    with pytest.raises(NotFound, match="no tag 'tidak-ada'"):
        merge_tag("tidak-ada", MergeRequest(into="gaza"), vocabulary=stores.vocabulary, tags=stores.tags)
    assert [t.slug for t in list_tags(vocabulary=stores.vocabulary)] == ["gaza"]
