"""``kabar tags ...``: the tag vocabulary, and tag tools that run the functions' own code.

``kabar tags load FILE`` stores a vocabulary file through the API (``PUT /tags``);
``kabar tags list`` prints the vocabulary; ``kabar tags merge OLD INTO`` merges a tag;
``kabar tags aliases`` lists the forms articles gave tags' names (offered as aliases, waiting
for an editor), and ``--accept TAG ALIAS`` / ``--reject TAG ALIAS`` decides one
(``GET /tags/aliases``, ``POST /tags/{slug}/aliases``).

``kabar tags suggest IN.jsonl`` reads lines of ``{id, title, lead?, body, tags?}``
and writes lines of ``{id, tags: [{name, slug, score, origin, variants?}]}`` with
``kabar.text.tag_suggestion.suggest_tags``, the code TaggingFunction runs (``variants``: the
other forms the article gave the name, which TaggingFunction offers as aliases).

A vocabulary file (``--vocabulary``) is JSON or YAML: a list of
``{name, slug?, aliases?, status?, merged_into?}``, status ``active``
(default), ``blocked`` or ``merged``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

from kabar.models import VocabularyEntry
from kabar.slugs import slugify
from kabar.text.tag_suggestion import DEFAULT_MAX_TAGS, MemoryVocabulary, suggest_tags
from kabar_infra.cli.lines import InputError, opened, read_jsonl


def read_vocabulary(path: Path) -> list[tuple[VocabularyEntry, list[str]]]:
    """Vocabulary entries and their aliases from a JSON or YAML file."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid JSON or YAML: {exc}") from exc
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a list of tags")
    entries = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise InputError(f"{path}: entry {index} needs a name")
        slug = item.get("slug") or slugify(item["name"])
        status = item.get("status", "active")
        if status not in ("active", "blocked", "merged"):
            raise InputError(f"{path}: entry {index} ({slug}): status must be active, blocked or merged")
        if status == "merged" and not item.get("merged_into"):
            raise InputError(f"{path}: entry {index} ({slug}): a merged tag needs merged_into")
        aliases = [str(alias) for alias in item.get("aliases", [])]
        entries.append(
            (VocabularyEntry(slug, item["name"].strip(), status, item.get("merged_into")), aliases)
        )
    return entries


def memory_vocabulary(path: Path | None) -> MemoryVocabulary:
    vocabulary = MemoryVocabulary()
    for entry, aliases in read_vocabulary(path) if path else []:
        vocabulary.add(entry, aliases)
    return vocabulary


def suggest(handle: IO[str], out: IO[str], vocabulary: MemoryVocabulary, max_tags: int) -> int:
    count = 0
    for _, item in read_jsonl(handle, "title"):
        tags = suggest_tags(
            item["title"], item.get("lead"), item.get("body", ""),
            editor_tags=item.get("tags", []), vocabulary=vocabulary, max_tags=max_tags,
        )  # fmt: skip
        found = [{"name": t.name, "slug": t.slug, "score": t.score, "origin": t.origin}
                 | ({"variants": list(t.variants)} if t.variants else {}) for t in tags]  # fmt: skip
        record = {"id": item["id"], "tags": found}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def vocabulary_payload(path: Path) -> list[dict[str, Any]]:
    """A vocabulary file as the API's bulk request entries (merges are not loaded this way)."""
    payload = []
    for entry, aliases in read_vocabulary(path):
        if entry.status == "merged":
            raise InputError(f"{path}: {entry.slug}: merges are not loaded from files")
        payload.append({"slug": entry.slug, "name": entry.name, "aliases": aliases, "status": entry.status})
    return payload


def add_commands(commands: Any) -> None:
    tags = commands.add_parser("tags", help="the tag vocabulary, and tag suggestions for files")
    tag_commands = tags.add_subparsers(dest="tags_command", required=True)
    load = tag_commands.add_parser("load", help="store a vocabulary file (JSON or YAML) through the API")
    load.add_argument("file", type=Path)
    tag_commands.add_parser("list", help="print the vocabulary")
    merge = tag_commands.add_parser("merge", help="merge a tag into another; its articles move there")
    merge.add_argument("tag")
    merge.add_argument("into")
    aliases = tag_commands.add_parser(
        "aliases", help="the forms articles gave tags' names, offered as aliases; accept or reject one"
    )
    decision = aliases.add_mutually_exclusive_group()
    decision.add_argument(
        "--accept", nargs=2, metavar=("TAG", "ALIAS"), help="the vocabulary learns the alias"
    )
    decision.add_argument("--reject", nargs=2, metavar=("TAG", "ALIAS"), help="never offered again")
    run = tag_commands.add_parser("suggest", help="suggest tags for lines of {id, title, lead?, body, tags?}")
    run.add_argument("input", type=Path, help="a JSON Lines file, or - for standard input")
    run.add_argument("--vocabulary", type=Path, help="a vocabulary file (JSON or YAML list of tags)")
    run.add_argument("--max-tags", type=int, default=DEFAULT_MAX_TAGS)


def run_remote(args: Any, client: Any) -> int:
    """The subcommands that talk to the API."""
    if args.tags_command == "merge":
        merged = client.merge_tag(args.tag, args.into)
        print(f"merged {merged['slug']} into {merged['merged_into']}; its articles are moving")
        return 0
    if args.tags_command == "aliases":
        return _aliases(args, client)
    if args.tags_command == "load":
        stored = client.load_tags(vocabulary_payload(args.file))
        print(f"stored {len(stored)} tags")
        return 0
    for tag in client.list_tags():
        aliases = f"  (also: {', '.join(tag['aliases'])})" if tag["aliases"] else ""
        status = "" if tag["status"] == "active" else f"  [{tag['status']}]"
        print(f"{tag['slug']:<30} {tag['name']}{aliases}{status}")
    return 0


def _aliases(args: Any, client: Any) -> int:
    chosen = args.accept or args.reject
    if chosen:
        decided = client.decide_alias(chosen[0], chosen[1], "accept" if args.accept else "reject")
        print(f"{decided['status']}: {decided['alias']!r} for {decided['tag']}")
        return 0
    for offer in client.alias_offers():
        seen = f"in {len(offer['articles'])} articles"
        print(f"{offer['tag']:<30} {offer['alias']}  (for {offer['name']!r}, {seen})")
    return 0


def run(args: Any) -> int:
    vocabulary = memory_vocabulary(args.vocabulary)
    with opened(str(args.input)) as handle:
        suggest(handle, sys.stdout, vocabulary, args.max_tags)
    return 0
