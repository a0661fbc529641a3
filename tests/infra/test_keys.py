"""The table's key formats live in one module: kabar.table.keys.

Everything else builds keys with its functions and reads them back with its
parser; template.yaml's FilterCriteria spell a few keys too, so they are checked
against the same module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kabar.table import keys
from kabar_infra.template import Template, filter_patterns

ROOT = Path(__file__).parents[2]
KEYS_MODULE = ROOT / "shared" / "kabar" / "table" / "keys.py"
# Every "<NAME>#" a key starts with (partition and sort-key prefixes, gsi1 partitions).
KEY_PREFIXES = sorted(
    {
        *keys.PREFIXES,
        keys.VERSION,
        keys.LISTED_BY,
        keys.NAMED_BY,
        keys.CATEGORY,
        keys.COMMENTS,
        keys.TERM,
        keys.OFFER,
    }
)
SPELLED = re.compile("|".join(re.escape(prefix) for prefix in KEY_PREFIXES))

BUILT = {
    "upload": keys.upload("0f" * 16),
    "article": keys.article("gempa"),
    "version": keys.version("gempa", 3),
    "rendered": keys.rendered("gempa"),
    "tags": keys.article_tags("gempa"),
    "membership": keys.membership("gempa", "garut"),
    "category": keys.category_membership("gempa"),
    "related": keys.related("gempa"),
    "listed_by": keys.listed_by("gempa", "banjir"),
    "named_by": keys.named_by("gempa", "banjir", datetime(2026, 11, 20, 3, 0, tzinfo=UTC)),
    "unlist": keys.unlist_progress("gempa"),
    "comment_counter": keys.comment_counter("gempa"),
    "comment": keys.comment("20261125T032700123456Zab12cd34"),
    "commenter": keys.commenter("ab"),
    "network": keys.network("cd"),
    "duplicate": keys.duplicate("ef"),
    "tag_stats": keys.tag_stats("garut"),
    "vocabulary": keys.vocabulary("garut"),
    "merge": keys.merge_progress("garut"),
    "alias": keys.alias("garut"),
    "term": keys.term_membership("gempa", "gempa"),
    "alias_offer": keys.alias_offer("kpk", "komisi-pemberantasan-korupsi"),
    "image": keys.image("466b276c04ea214f183f81e5def85967"),
    "image_user": keys.image_user("466b276c04ea214f183f81e5def85967", "gempa"),
    "authorship": keys.authorship("gempa", "ani-siregar"),
    "author_stats": keys.author_stats("ani-siregar"),
    "author_profile": keys.author_profile("ani-siregar"),
}


def python_files() -> Iterator[Path]:
    for folder in ("shared", "functions", "infra", "benchmarks", "tests"):
        yield from (ROOT / folder).rglob("*.py")


def test_no_module_but_keys_spells_a_key_format() -> None:
    offenders = []
    for path in python_files():
        if path == KEYS_MODULE or ".aws-sam" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if SPELLED.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "key formats belong in kabar.table.keys:\n" + "\n".join(offenders)


def test_the_guard_sees_a_spelled_key() -> None:
    # The check above is only worth something if it recognises what it looks for.
    article, listed_by = keys.ARTICLE, keys.LISTED_BY  # spelled here only through the module
    assert SPELLED.search(f'pk = f"{article}{{slug}}"') and SPELLED.search(f"sk.startswith('{listed_by}')")
    assert not SPELLED.search("ARTICLE_PATH = 'v1/articles'")


@pytest.mark.parametrize("kind", sorted(BUILT))
def test_every_key_reads_back_as_what_it_names(kind: str) -> None:
    key = BUILT[kind]
    parsed = keys.parse(key["pk"], key["sk"])
    assert parsed.kind == kind
    assert parsed.name in key["pk"]
    if kind in ("membership", "term", "alias_offer", "listed_by", "named_by", "version", "image_user",
                "authorship"):  # fmt: skip
        assert parsed.other is not None and key["sk"].endswith(parsed.other)


def test_keys_kabar_never_writes_are_unknown() -> None:
    assert keys.parse(keys.article_partition("gempa"), "SOMETHING").kind == "unknown"
    assert keys.parse("ELSE#x", "ELSE").kind == "unknown"
    assert keys.parse(keys.upload("x")["pk"], "NOT-UPLOAD").kind == "unknown"


def test_listing_positions_sort_by_time_and_read_back() -> None:
    from datetime import timedelta, timezone

    jakarta = timezone(timedelta(hours=7))
    early = keys.listing_position(datetime(2026, 11, 30, 23, 0, tzinfo=UTC), "b")
    late = keys.listing_position(datetime(2026, 12, 1, 7, 30, tzinfo=jakarta), "a")  # 00:30 UTC
    assert early < late
    assert keys.parse_listing_position(late) == (datetime(2026, 12, 1, 0, 30, tzinfo=UTC), "a")
    assert keys.month_of_position(late) == "2026-12"


def _pattern_keys(pattern: Any) -> Iterator[tuple[str, Any]]:
    """The (attribute, condition) pairs of a FilterCriteria pattern's Keys."""
    for attribute in ("pk", "sk"):
        for condition in pattern.get("dynamodb", {}).get("Keys", {}).get(attribute, {}).get("S", []):
            yield attribute, condition


def test_the_templates_filters_spell_keys_as_the_keys_module_does(template: Template) -> None:
    sort_keys = {key["sk"] for key in BUILT.values()}
    seen = 0
    for spec in template.functions():
        for event in spec.events:
            for pattern in filter_patterns(event):
                for attribute, condition in _pattern_keys(pattern):
                    seen += 1
                    if attribute == "pk":
                        assert condition["prefix"] in keys.PREFIXES, (spec.logical_id, condition)
                    else:
                        assert condition in sort_keys, (spec.logical_id, condition)
    assert seen >= 8  # every stream consumer filters on keys
