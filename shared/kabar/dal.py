"""Data access for the content table. This module owns every key format.

Single-table layout (``pk`` / ``sk``, all strings):

=============================  ===================  ==================================
item                           pk                   sk
=============================  ===================  ==================================
upload request and status      ``UPLOAD#<id>``      ``UPLOAD``
article, current version       ``ARTICLE#<slug>``   ``CURRENT``
article, one history entry     ``ARTICLE#<slug>``   ``VERSION#<000001>``
article, version on the CDN    ``ARTICLE#<slug>``   ``RENDERED``
article's tags (computed)      ``ARTICLE#<slug>``   ``TAGS``
article in a tag               ``ARTICLE#<slug>``   ``TAG#<tag>``
article in its category        ``ARTICLE#<slug>``   ``CATEGORY``
article's related list         ``ARTICLE#<slug>``   ``RELATED``
<source>'s list names <slug>   ``ARTICLE#<slug>``   ``LISTEDBY#<source>``
unlisting progress             ``ARTICLE#<slug>``   ``UNLIST``
article's comment counters     ``ARTICLE#<slug>``   ``COMMENTS``
a comment                      ``COMMENT#<id>``     ``COMMENT``
a commenter (keyed email hash) ``COMMENTER#<hash>`` ``COMMENTER``
a network (keyed hash)         ``NETWORK#<hash>``   ``NETWORK``
a comment already made         ``DUPLICATE#<hash>`` ``DUPLICATE``
tag's article count            ``TAG#<tag>``        ``STATS``
tag in the vocabulary          ``TAG#<tag>``        ``VOCAB``
merge of a tag, progress        ``TAG#<tag>``        ``MERGE``
vocabulary alias               ``ALIAS#<key>``      ``ALIAS``
=============================  ===================  ==================================

GSI ``gsi1`` holds every list, newest first: ``gsi1pk = "LATEST"`` for
published articles and ``"TAG#<tag>"`` for a tag's memberships, both with
``gsi1sk = "<published_at, UTC>#<slug>"``; ``gsi1pk = "TAGS"`` (sort key: the
tag slug) lists tags with their counts; ``"CATEGORY#<category>"`` lists a
category's articles like a tag's. ``"COMMENTS#<slug>"`` holds an article's
approved comments by approval sequence (``gsi1sk`` zero-padded), and
``"COMMENTS#pending"`` (``spam``, ``trash``) the other comments oldest first
(``<created_at>#<id>``). Drafts carry no gsi1 keys. The index projects
only ``summary``, ``profile`` (what related-article scoring compares), ``name``,
``count`` and the vocabulary fields, so list pages read small items. A month's
page is a ``begins_with`` query on the sort key; no request path scans.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from kabar import aws
from kabar.errors import Conflict
from kabar.models import (
    Article,
    ArticleRef,
    ArticleTags,
    FieldError,
    RelatedList,
    ScoredTag,
    Upload,
    UploadState,
)
from kabar.text.comment_rules import public_view
from kabar.text.tag_suggestion import VocabularyEntry, match_key

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from kabar.text.relatedness import Profile

GSI1 = "gsi1"
LATEST_PARTITION = "LATEST"
TAGS_PARTITION = "TAGS"
VOCABULARY_PARTITION = "VOCAB"
TYPE_ARTICLE = "article"
TYPE_ARTICLE_VERSION = "article_version"
TYPE_RENDERED = "rendered"
TYPE_UPLOAD = "upload"
TYPE_ARTICLE_TAGS = "article_tags"
TYPE_MEMBERSHIP = "tag_membership"
TYPE_TAG_STATS = "tag_stats"
TYPE_VOCABULARY = "tag_vocabulary"
TYPE_ALIAS = "tag_alias"
TYPE_MERGE_PROGRESS = "tag_merge_progress"
TYPE_CATEGORY_MEMBERSHIP = "category_membership"
TYPE_RELATED = "related"
TYPE_LISTED_BY = "listed_by"
TYPE_UNLIST_PROGRESS = "unlist_progress"
TYPE_COMMENT = "comment"
TYPE_COMMENTER = "commenter"
TYPE_NETWORK = "network"
TYPE_DUPLICATE = "comment_duplicate"
TYPE_COMMENT_COUNTER = "comment_counter"


class AlreadyProcessed(Exception):
    """The upload was already published or rejected (a replayed event)."""


class CommentRefused(Exception):
    """A comment the table refused: ``duplicate``, or ``flood`` (too soon after the last)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CommentHistory:
    """A commenter's approved comments, the latest comment from them or their network
    (epoch seconds), and whether this very comment was made before."""

    approved: int
    last_at: float | None
    duplicate: bool


class Stale(Exception):
    """Work computed from an older version than the one stored: dropped."""


def upload_key(upload_id: str) -> dict[str, str]:
    return {"pk": f"UPLOAD#{upload_id}", "sk": "UPLOAD"}


def article_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "CURRENT"}


def version_key(slug: str, version: int) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": f"VERSION#{version:06d}"}


def rendered_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "RENDERED"}


def article_tags_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "TAGS"}


def membership_key(slug: str, tag: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": f"TAG#{tag}"}


def tag_stats_key(tag: str) -> dict[str, str]:
    return {"pk": f"TAG#{tag}", "sk": "STATS"}


def vocabulary_key(tag: str) -> dict[str, str]:
    return {"pk": f"TAG#{tag}", "sk": "VOCAB"}


def merge_progress_key(tag: str) -> dict[str, str]:
    return {"pk": f"TAG#{tag}", "sk": "MERGE"}


def alias_key(match_key: str) -> dict[str, str]:
    return {"pk": f"ALIAS#{match_key}", "sk": "ALIAS"}


def category_membership_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "CATEGORY"}


def related_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "RELATED"}


def listed_by_key(slug: str, source: str) -> dict[str, str]:
    """The reverse index: ``source``'s related list names ``slug``."""
    return {"pk": f"ARTICLE#{slug}", "sk": f"LISTEDBY#{source}"}


def unlist_progress_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "UNLIST"}


def comment_key(comment_id: str) -> dict[str, str]:
    return {"pk": f"COMMENT#{comment_id}", "sk": "COMMENT"}


def commenter_key(email_hash: str) -> dict[str, str]:
    return {"pk": f"COMMENTER#{email_hash}", "sk": "COMMENTER"}


def network_key(network_hash: str) -> dict[str, str]:
    return {"pk": f"NETWORK#{network_hash}", "sk": "NETWORK"}


def duplicate_key(digest: str) -> dict[str, str]:
    return {"pk": f"DUPLICATE#{digest}", "sk": "DUPLICATE"}


def comment_counter_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "COMMENTS"}


def comments_partition(status: str, slug: str | None = None) -> str:
    """A comment's list in gsi1: an article's approved ones, or every comment of a status."""
    return f"COMMENTS#{slug}" if status == "approved" and slug else f"COMMENTS#{status}"


def comment_index_keys(comment: dict[str, Any]) -> dict[str, str]:
    """gsi1 keys: an approved comment by its approval sequence on the article (pages of
    comments.json); any other by creation time in its status's list (the moderation queue)."""
    if comment["status"] == "approved":
        return {
            "gsi1pk": comments_partition("approved", comment["slug"]),
            "gsi1sk": f"{int(comment['seq']):09d}",
        }
    return {
        "gsi1pk": comments_partition(comment["status"]),
        "gsi1sk": f"{comment['created_at']}#{comment['id']}",
    }


def tag_partition(tag: str) -> str:
    return f"TAG#{tag}"


def category_partition(category: str) -> str:
    return f"CATEGORY#{category}"


def utc_stamp(moment: datetime) -> str:
    """A sortable UTC timestamp (the order of gsi1 sort keys)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def month_of(moment: datetime) -> str:
    """The archive month (UTC) an article published at ``moment`` belongs to."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def content_hash(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


@cache
def _serializer() -> Any:
    # boto3 loads on first use (a cold start that never touches the table never pays for it),
    # and once: these run for every item on every path.
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer()


@cache
def _deserializer() -> Any:
    from boto3.dynamodb.types import TypeDeserializer

    return TypeDeserializer()


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """A plain dict (JSON types) as a DynamoDB item; ``None`` values are left out."""
    serializer = _serializer()
    return {k: serializer.serialize(_decimals(v)) for k, v in values.items() if v is not None}


def _decimals(value: Any) -> Any:
    """Floats as Decimals (DynamoDB's number type), through lists and maps."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item (or stream image) as a plain dict, numbers as ``int``."""
    deserializer = _deserializer()
    plain: dict[str, Any] = _plain({k: deserializer.deserialize(v) for k, v in item.items()})
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def article_summary(article: Article, path: str) -> dict[str, Any]:
    """The part of an article that lists show (projected into gsi1)."""
    return {
        "slug": article.slug,
        "path": path,
        "title": article.title,
        "subtitle": article.subtitle,
        "lead": article.lead,
        "category": article.category.model_dump() if article.category else None,
        "published_at": article.published_at.isoformat(),
        "updated_at": article.updated_at.isoformat(),
    }


class ContentTable:
    """Every read and write Kabar makes to the content table."""

    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self.table_name = table_name
        self._client = client

    @property
    def client(self) -> DynamoDBClient:
        if self._client is None:
            self._client = aws.dynamodb()
        return self._client

    # uploads -----------------------------------------------------------------

    def create_upload(self, upload: Upload) -> None:
        """Record a new upload request (its id must be new)."""
        values = {**upload_key(upload.upload_id), "type": TYPE_UPLOAD}
        values.update(upload.model_dump(mode="json", exclude_none=True))
        self.client.put_item(
            TableName=self.table_name,
            Item=to_item(values),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get_upload(self, upload_id: str) -> Upload | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(upload_key(upload_id)), ConsistentRead=True
        )
        if "Item" not in response:
            return None
        return Upload.model_validate(from_item(response["Item"]))

    def _finish_upload(self, upload: Upload) -> dict[str, Any]:
        """The conditional update that moves an upload out of ``pending`` exactly once."""
        values = upload.model_dump(mode="json", exclude_none=True)
        values.pop("upload_id")
        names = {f"#{name}": name for name in values}
        serializer = _serializer()
        update = {
            "TableName": self.table_name,
            "Key": to_item(upload_key(upload.upload_id)),
            "UpdateExpression": "SET #type = :type, " + ", ".join(f"#{name} = :{name}" for name in values),
            "ConditionExpression": "attribute_not_exists(pk) OR #state = :pending",
            "ExpressionAttributeNames": {**names, "#type": "type"},
            "ExpressionAttributeValues": {
                **{f":{name}": serializer.serialize(value) for name, value in values.items()},
                ":type": serializer.serialize(TYPE_UPLOAD),
                ":pending": serializer.serialize(UploadState.PENDING.value),
            },
        }
        return update

    def finish_upload(self, upload: Upload) -> None:
        """Store a rejected (or unchanged) upload's outcome; a replay raises AlreadyProcessed."""
        try:
            self.client.update_item(**self._finish_upload(upload))
        except self.client.exceptions.ConditionalCheckFailedException as exc:
            raise AlreadyProcessed(upload.upload_id) from exc

    # articles ----------------------------------------------------------------

    def get_article(self, slug: str) -> Article | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(article_key(slug)), ConsistentRead=True
        )
        if "Item" not in response:
            return None
        return Article.model_validate(from_item(response["Item"]))

    def get_article_facts(self, slug: str) -> dict[str, Any] | None:
        """An article's status, version, publish time, category and related-list choices (no body)."""
        names = (
            "slug",
            "status",
            "version",
            "published_at",
            "category",
            "related",
            "exclude_related",
            "comments",
        )
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(article_key(slug)), ConsistentRead=True,
            ProjectionExpression=", ".join(f"#{n}" for n in names),
            ExpressionAttributeNames={f"#{n}": n for n in names},
        )  # fmt: skip
        return from_item(response["Item"]) if "Item" in response else None

    def get_article_states(self, slugs: Iterable[str]) -> dict[str, str]:
        """The status (draft or published) of each of these articles that exists, by slug."""
        items = self._batch_get(map(article_key, slugs), projection=("slug", "status"))
        return {str(item["slug"]): str(item["status"]) for item in items}

    def get_summaries(self, slugs: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The list summaries of these articles that are published, by slug (no bodies read)."""
        items = self._batch_get(map(article_key, slugs), projection=("slug", "status", "summary"))
        return {str(item["slug"]): item["summary"] for item in items if item["status"] == "published"}

    def _batch_get(
        self, keys: Iterable[dict[str, str]], projection: Iterable[str] = ()
    ) -> list[dict[str, Any]]:
        """The items that exist among these keys (any order), 100 keys a request."""
        unique = list({(key["pk"], key["sk"]): key for key in keys}.values())
        found: list[dict[str, Any]] = []
        names = {f"#{name}": name for name in projection}
        while unique:
            batch, unique = unique[:100], unique[100:]
            request: dict[str, Any] = {
                self.table_name: {"Keys": [to_item(key) for key in batch], "ConsistentRead": True}
            }
            if names:
                request[self.table_name]["ProjectionExpression"] = ", ".join(names)
                request[self.table_name]["ExpressionAttributeNames"] = names
            while request:
                response = self.client.batch_get_item(RequestItems=request)
                found.extend(from_item(item) for item in response["Responses"].get(self.table_name, []))
                request = response.get("UnprocessedKeys") or {}
        return found

    def publish_article(self, upload: Upload, article: Article, summary: dict[str, Any]) -> None:
        """Store a new article version, its history entry and the upload's outcome at once.

        Raises AlreadyProcessed when the upload was handled before (a replayed
        event), Conflict when another write changed the article meanwhile.
        """
        values: dict[str, Any] = {**article_key(article.slug), "type": TYPE_ARTICLE}
        values.update(article.model_dump(mode="json", exclude_none=True))
        values["summary"] = {k: v for k, v in summary.items() if v is not None}
        if article.status == "published":
            values["gsi1pk"] = LATEST_PARTITION
            values["gsi1sk"] = f"{utc_stamp(article.published_at)}#{article.slug}"
        history = {**values, **version_key(article.slug, article.version)}
        history["type"] = TYPE_ARTICLE_VERSION
        for attribute in ("gsi1pk", "gsi1sk"):
            history.pop(attribute, None)
        if article.version == 1:
            current_condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            current_condition = {
                "ConditionExpression": "#version = :previous",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {":previous": {"N": str(article.version - 1)}},
            }
        finish = self._finish_upload(upload)
        finish.pop("TableName")
        try:
            items: list[Any] = [
                {"Update": {"TableName": self.table_name, **finish}},
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": to_item(values),
                        **current_condition,
                    }
                },
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": to_item(history),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise AlreadyProcessed(upload.upload_id) from exc
            raise Conflict(f"article {article.slug} changed meanwhile: {reasons}") from exc

    def article_versions(self, slug: str) -> list[int]:
        """Every stored version number of an article, oldest first."""
        versions: list[int] = []
        for item in self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": f"ARTICLE#{slug}"},
                ":prefix": {"S": "VERSION#"},
            },
            ProjectionExpression="version",
        ):
            versions.append(int(item["version"]))
        return versions

    # tags --------------------------------------------------------------------

    def get_article_tags(self, slug: str) -> ArticleTags | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(article_tags_key(slug)), ConsistentRead=True
        )
        if "Item" not in response:
            return None
        return ArticleTags.model_validate(from_item(response["Item"]))

    def store_tagging(
        self,
        tagged: ArticleTags,
        *,
        previous: ArticleTags | None,
        summary: dict[str, Any] | None,
        published_at: datetime | None,
        category: str | None = None,
    ) -> None:
        """Store an article's tags, its memberships and the tags' counts in one transaction.

        Memberships (in each tag, and in the category) exist only while the article
        is published (``summary`` given); each carries the summary lists show and
        the profile related-article scoring compares. Raises Stale when a version
        at least as new was stored already.
        """
        was = {t.slug: t for t in previous.tags} if previous and previous.status == "published" else {}
        now = {t.slug: t for t in tagged.tags} if summary is not None else {}
        items: list[Any] = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": to_item(
                        {**article_tags_key(tagged.slug), "type": TYPE_ARTICLE_TAGS,
                         **tagged.model_dump(mode="json", exclude_none=True)}
                    ),
                    **self._tags_condition(tagged, previous),
                }
            }
        ]  # fmt: skip
        listed = {k: v for k, v in summary.items() if v is not None} if summary is not None else {}
        profile = {"terms": tagged.terms, "tags": list(now), **({"category": category} if category else {})}
        for slug, tag in now.items():
            assert published_at is not None
            membership = {
                **membership_key(tagged.slug, slug), "type": TYPE_MEMBERSHIP, "slug": tagged.slug,
                "tag": slug, "gsi1pk": tag_partition(slug),
                "gsi1sk": f"{utc_stamp(published_at)}#{tagged.slug}", "summary": listed, "profile": profile,
            }  # fmt: skip
            items.append({"Put": {"TableName": self.table_name, "Item": to_item(membership)}})
            if slug not in was:
                items.append(self._count_update(tag, +1))
        if summary is not None and category and published_at is not None:
            in_category = {
                **category_membership_key(tagged.slug), "type": TYPE_CATEGORY_MEMBERSHIP,
                "slug": tagged.slug, "gsi1pk": category_partition(category),
                "gsi1sk": f"{utc_stamp(published_at)}#{tagged.slug}", "summary": listed, "profile": profile,
            }  # fmt: skip
            items.append({"Put": {"TableName": self.table_name, "Item": to_item(in_category)}})
        else:
            items.append({"Delete": {"TableName": self.table_name,
                                     "Key": to_item(category_membership_key(tagged.slug))}})  # fmt: skip
        for slug, tag in was.items():
            if slug not in now:
                items.append(
                    {
                        "Delete": {
                            "TableName": self.table_name,
                            "Key": to_item(membership_key(tagged.slug, slug)),
                        }
                    }
                )
                items.append(self._count_update(tag, -1))
        try:
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise Stale(f"tags of {tagged.slug} v{tagged.version}") from exc
            raise Conflict(f"tags of {tagged.slug}: {reasons}") from exc

    @staticmethod
    def _tags_condition(tagged: ArticleTags, previous: ArticleTags | None) -> dict[str, Any]:
        """Newer versions replace older ones; a re-tag of the same version needs the revision it read."""
        if previous is not None and previous.version == tagged.version:
            return {
                "ConditionExpression": "version = :version AND revision = :revision",
                "ExpressionAttributeValues": to_item(
                    {":version": tagged.version, ":revision": previous.revision}
                ),
            }
        return {
            "ConditionExpression": "attribute_not_exists(pk) OR version < :version",
            "ExpressionAttributeValues": {":version": {"N": str(tagged.version)}},
        }

    def tag_member_slugs(self, tag: str, limit: int) -> list[str]:
        """Up to ``limit`` of a tag's articles (newest first)."""
        response = self.client.query(
            TableName=self.table_name,
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": {"S": tag_partition(tag)}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [str(from_item(item)["gsi1sk"]).split("#", 1)[1] for item in response["Items"]]

    def record_merge_progress(self, tag: str, moved: int) -> None:
        """Note that a merge moved ``moved`` more articles; the stream hands on the next chunk."""
        self.client.update_item(
            TableName=self.table_name,
            Key=to_item(merge_progress_key(tag)),
            UpdateExpression="SET #type = :type ADD moved :moved, rounds :one",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=to_item({":type": TYPE_MERGE_PROGRESS, ":moved": moved, ":one": 1}),
        )

    def get_vocabulary_entry(self, tag: str) -> dict[str, Any] | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(vocabulary_key(tag)), ConsistentRead=True
        )
        return from_item(response["Item"]) if "Item" in response else None

    def _count_update(self, tag: ScoredTag, delta: int) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": to_item(tag_stats_key(tag.slug)),
                "UpdateExpression": "SET #type = :type, #slug = :slug, #name = :name, gsi1pk = :pk, "
                "gsi1sk = :slug ADD #count :delta",
                "ExpressionAttributeNames": {f"#{n}": n for n in ("type", "slug", "name", "count")},
                "ExpressionAttributeValues": to_item(
                    {":type": TYPE_TAG_STATS, ":slug": tag.slug, ":name": tag.name,
                     ":pk": TAGS_PARTITION, ":delta": delta}
                ),
            }
        }  # fmt: skip

    def tag_counts(self) -> list[dict[str, Any]]:
        """Every tag that ever had an article: slug, name and current count (by slug)."""
        return [
            {"slug": item["gsi1sk"], "name": item.get("name", item["gsi1sk"]), "count": int(item["count"])}
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :pk",
                ExpressionAttributeValues={":pk": {"S": TAGS_PARTITION}},
            )
        ]

    def tag_count(self, tag: str) -> tuple[str, int] | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(tag_stats_key(tag)), ConsistentRead=True
        )
        if "Item" not in response:
            return None
        item = from_item(response["Item"])
        return str(item.get("name", tag)), int(item["count"])

    # related articles ----------------------------------------------------------

    def related_candidates(self, partitions: Iterable[str], per_list: int) -> list[Profile]:
        """The newest ``per_list`` articles of each list (a tag's, a category's), one query each.

        An article in several lists comes once per list.
        """
        # Only RelatedFunction compares profiles: the other functions never load the scorer.
        from kabar.text.relatedness import Profile

        found = []
        for partition in partitions:
            response = self.client.query(
                TableName=self.table_name,
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :pk",
                ExpressionAttributeValues={":pk": {"S": partition}},
                ScanIndexForward=False,
                Limit=per_list,
                ProjectionExpression="gsi1sk, profile",
            )
            for item in map(from_item, response["Items"]):
                stamp, slug = str(item["gsi1sk"]).split("#", 1)
                profile = item.get("profile", {})
                moment = datetime.fromisoformat(stamp)  # "...Z": aware, UTC
                found.append(Profile.of(slug, profile.get("terms", {}), profile.get("tags", ()),
                                        profile.get("category"), moment))  # fmt: skip
        return found

    def tag_article_counts(self, tags: Iterable[str]) -> dict[str, int]:
        """How many published articles each of these tags has (tags never used are left out)."""
        items = self._batch_get(map(tag_stats_key, tags), projection=("slug", "count"))
        return {str(item["slug"]): int(item["count"]) for item in items}

    def get_related(self, slug: str) -> RelatedList | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(related_key(slug)), ConsistentRead=True
        )
        return RelatedList.model_validate(from_item(response["Item"])) if "Item" in response else None

    def get_related_lists(self, slugs: Iterable[str]) -> dict[str, RelatedList]:
        lists = [RelatedList.model_validate(item) for item in self._batch_get(map(related_key, slugs))]
        return {related.slug: related for related in lists}

    def store_related(self, related: RelatedList, previous: RelatedList | None) -> None:
        """Store a related list and its reverse-index entries at once.

        Conditional on the revision read (``previous``): a concurrent change makes
        this a Conflict, and the caller's event is retried on fresh state.
        """
        values = {**related_key(related.slug), "type": TYPE_RELATED, **related.model_dump(mode="json")}
        items: list[Any] = [{"Put": {"TableName": self.table_name, "Item": to_item(values),
                                     **self._revision_condition(previous)}}]  # fmt: skip
        items += self._listed_by_changes(related.slug, _listed(previous), _listed(related))
        self._transact(items, f"related list of {related.slug}")

    def delete_related(self, previous: RelatedList) -> None:
        """Remove an article's related list (it is no longer published) and its reverse entries."""
        key = to_item(related_key(previous.slug))
        items: list[Any] = [{"Delete": {"TableName": self.table_name, "Key": key,
                                        **self._revision_condition(previous)}}]  # fmt: skip
        items += self._listed_by_changes(previous.slug, _listed(previous), set())
        self._transact(items, f"related list of {previous.slug}")

    def _listed_by_changes(self, source: str, was: set[str], now: set[str]) -> list[Any]:
        items: list[Any] = []
        for target in sorted(now - was):
            entry = {
                **listed_by_key(target, source),
                "type": TYPE_LISTED_BY,
                "slug": target,
                "source": source,
            }
            items.append({"Put": {"TableName": self.table_name, "Item": to_item(entry)}})
        for target in sorted(was - now):
            items.append(
                {"Delete": {"TableName": self.table_name, "Key": to_item(listed_by_key(target, source))}}
            )
        return items

    @staticmethod
    def _revision_condition(previous: RelatedList | None) -> dict[str, Any]:
        if previous is None:
            return {"ConditionExpression": "attribute_not_exists(pk)"}
        return {
            "ConditionExpression": "revision = :revision",
            "ExpressionAttributeValues": {":revision": {"N": str(previous.revision)}},
        }

    def _transact(self, items: list[Any], what: str) -> None:
        try:
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            raise Conflict(f"{what} changed meanwhile: {reasons}") from exc

    def listed_by(self, slug: str, *, after: str | None, limit: int) -> list[str]:
        """Up to ``limit`` articles whose related lists name ``slug``, by slug, after ``after``."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": f"ARTICLE#{slug}"}, ":prefix": {"S": "LISTEDBY#"}},
            "Limit": limit,
            "ConsistentRead": True,
        }
        if after:
            request["ExclusiveStartKey"] = to_item(listed_by_key(slug, after))
        return [
            str(item["sk"]["S"]).removeprefix("LISTEDBY#") for item in self.client.query(**request)["Items"]
        ]

    def record_unlist_progress(self, slug: str, after: str) -> None:
        """Note where unlisting ``slug`` got to; the stream hands on the next chunk."""
        self.client.update_item(
            TableName=self.table_name,
            Key=to_item(unlist_progress_key(slug)),
            UpdateExpression="SET #type = :type, #after = :after ADD rounds :one",
            ExpressionAttributeNames={"#type": "type", "#after": "after"},
            ExpressionAttributeValues=to_item({":type": TYPE_UNLIST_PROGRESS, ":after": after, ":one": 1}),
        )

    def get_unlist_progress(self, slug: str) -> str | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(unlist_progress_key(slug)), ConsistentRead=True
        )
        return str(from_item(response["Item"])["after"]) if "Item" in response else None

    # comments ------------------------------------------------------------------

    def get_comment(self, comment_id: str) -> dict[str, Any] | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(comment_key(comment_id)), ConsistentRead=True
        )
        return from_item(response["Item"]) if "Item" in response else None

    def comment_history(self, *, email_hash: str, network_hash: str, duplicate: str) -> CommentHistory:
        """What the intake's history rules read, in one request: the commenter (approved
        count, last comment), the network (last comment), whether the comment was made."""
        keys = {"commenter": commenter_key(email_hash), "network": network_key(network_hash),
                "duplicate": duplicate_key(duplicate)}  # fmt: skip
        found = {
            item["pk"]: item
            for item in self._batch_get(keys.values(), projection=("pk", "approved", "last_at"))
        }
        commenter = found.get(keys["commenter"]["pk"], {})
        network = found.get(keys["network"]["pk"], {})
        return CommentHistory(
            approved=int(commenter.get("approved", 0)),
            last_at=max((float(i["last_at"]) for i in (commenter, network) if "last_at" in i), default=None),
            duplicate=keys["duplicate"]["pk"] in found,
        )

    def next_comment_seq(self, slug: str) -> int:
        """The next approval sequence number on an article (numbers a failed write took stay unused)."""
        response = self.client.update_item(
            TableName=self.table_name, Key=to_item(comment_counter_key(slug)),
            UpdateExpression="SET #type = :type, slug = :slug ADD seq :one",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=to_item({":type": TYPE_COMMENT_COUNTER, ":slug": slug, ":one": 1}),
            ReturnValues="UPDATED_NEW",
        )  # fmt: skip
        return int(from_item(response["Attributes"])["seq"])

    def comment_counters(self, slug: str) -> tuple[int, int]:
        """An article's approved comments now, and the highest approval sequence number given."""
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(comment_counter_key(slug)), ConsistentRead=True
        )
        item = from_item(response.get("Item", {}))
        return int(item.get("count", 0)), int(item.get("seq", 0))

    def comments_by_seq(self, slug: str, first: int, last: int) -> list[dict[str, Any]]:
        """The public view of an article's approved comments numbered ``first`` to ``last``."""
        items = self._query(
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :pk AND gsi1sk BETWEEN :first AND :last",
            ExpressionAttributeValues=to_item({":pk": comments_partition("approved", slug),
                                               ":first": f"{first:09d}", ":last": f"{last:09d}"}),
            ProjectionExpression="gsi1sk, summary",
        )  # fmt: skip
        return [{**item["summary"], "seq": int(item["gsi1sk"])} for item in items]

    def comments_in(
        self, status: str, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of the comments of a status (not ``approved``), oldest first, and where the
        next page starts (None: the last page). Whole items: moderators see reasons and the article."""
        request: dict[str, Any] = {
            "TableName": self.table_name, "IndexName": GSI1, "Limit": limit,
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": to_item({":pk": comments_partition(status)}),
        }  # fmt: skip
        if after:
            request["ExclusiveStartKey"] = to_item(after)
        response = self.client.query(**request)
        ids = [str(from_item(item)["pk"]).removeprefix("COMMENT#") for item in response["Items"]]
        found = {item["id"]: item for item in self._batch_get(map(comment_key, ids))}
        ordered = [found[comment_id] for comment_id in ids if comment_id in found]
        last = response.get("LastEvaluatedKey")
        return ordered, from_item(last) if last else None

    def add_comment(
        self, comment: dict[str, Any], *, duplicate: str, network_hash: str, now: float, flood_seconds: int
    ) -> None:
        """Store a new comment, unless it repeats one or follows its author's or network's too soon.

        One transaction: the duplicate marker (new), the commenter's and the network's
        last comment time (older than ``flood_seconds``), the comment, and for an
        approved comment (which carries its ``seq``) the article's and the commenter's
        approved counts. Raises CommentRefused("duplicate") before CommentRefused("flood").
        """
        cutoff = now - flood_seconds
        approved = comment["status"] == "approved"
        stamp = {
            "ConditionExpression": "attribute_not_exists(last_at) OR last_at <= :cutoff",
            "ExpressionAttributeNames": {"#type": "type"},
        }
        values = {
            **comment_key(comment["id"]),
            "type": TYPE_COMMENT,
            **comment,
            **comment_index_keys(comment),
        }
        values["summary"] = public_view(comment)
        marker = {**duplicate_key(duplicate), "type": TYPE_DUPLICATE, "comment": comment["id"]}
        commenter_values = {":type": TYPE_COMMENTER, ":now": now, ":cutoff": cutoff} | (
            {":one": 1} if approved else {}
        )
        items: list[Any] = [
            {"Put": {"TableName": self.table_name, "Item": to_item(marker),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Update": {"TableName": self.table_name, "Key": to_item(commenter_key(comment["email_hash"])),
                        "UpdateExpression": "SET #type = :type, last_at = :now"
                                            + (" ADD approved :one" if approved else ""),
                        **stamp, "ExpressionAttributeValues": to_item(commenter_values)}},
            {"Update": {"TableName": self.table_name, "Key": to_item(network_key(network_hash)),
                        "UpdateExpression": "SET #type = :type, last_at = :now", **stamp,
                        "ExpressionAttributeValues": to_item({":type": TYPE_NETWORK, ":now": now,
                                                              ":cutoff": cutoff})}},
            {"Put": {"TableName": self.table_name, "Item": to_item(values),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
        ]  # fmt: skip
        if approved:
            items.append(self._count_comment(comment["slug"], 1))
        try:
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            if reasons[:1] == ["ConditionalCheckFailed"]:
                raise CommentRefused("duplicate") from exc
            if "ConditionalCheckFailed" in reasons[1:3]:
                raise CommentRefused("flood") from exc
            raise Conflict(f"comment {comment['id']}: {reasons}") from exc

    def _count_comment(self, slug: str, delta: int) -> dict[str, Any]:
        return {"Update": {
            "TableName": self.table_name, "Key": to_item(comment_counter_key(slug)),
            "UpdateExpression": "SET #type = :type, slug = :slug ADD #count :delta",
            "ExpressionAttributeNames": {"#type": "type", "#count": "count"},
            "ExpressionAttributeValues": to_item({":type": TYPE_COMMENT_COUNTER, ":slug": slug,
                                                  ":delta": delta}),
        }}  # fmt: skip

    def _count_commenter(self, email_hash: str, delta: int) -> dict[str, Any]:
        return {"Update": {
            "TableName": self.table_name, "Key": to_item(commenter_key(email_hash)),
            "UpdateExpression": "SET #type = :type ADD approved :delta",
            "ExpressionAttributeNames": {"#type": "type"},
            "ExpressionAttributeValues": to_item({":type": TYPE_COMMENTER, ":delta": delta}),
        }}  # fmt: skip

    def change_comment(self, before: dict[str, Any], after: dict[str, Any]) -> None:
        """Replace a comment read as ``before`` with ``after`` (new status, or edited fields).

        Conditional on the stored status and revision being those read (Conflict when
        another change came first). Moving into or out of ``approved`` counts the
        article's and the commenter's approved comments in the same transaction.
        """
        values = {**after, "type": TYPE_COMMENT, **comment_key(after["id"]), **comment_index_keys(after),
                  "summary": public_view(after), "revision": int(before.get("revision", 0)) + 1}  # fmt: skip
        items: list[Any] = [{"Put": {
            "TableName": self.table_name, "Item": to_item(values),
            "ConditionExpression":
                "#status = :status AND (attribute_not_exists(revision) OR revision = :revision)",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item({":status": before["status"],
                                                  ":revision": int(before.get("revision", 0))}),
        }}]  # fmt: skip
        was, now = before["status"] == "approved", after["status"] == "approved"
        if was != now:
            delta = 1 if now else -1
            items += [
                self._count_comment(after["slug"], delta),
                self._count_commenter(after["email_hash"], delta),
            ]
        try:
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as exc:
            raise Conflict(f"comment {after['id']} changed meanwhile: read it again and retry") from exc

    # vocabulary ----------------------------------------------------------------

    def put_vocabulary_entry(self, entry: VocabularyEntry, aliases: Iterable[str] = ()) -> None:
        """Store a vocabulary tag and its aliases (its name is always one of them).

        An alias that belongs to another tag is a Conflict naming both; aliases the
        tag no longer lists are removed. All of it happens at once, or not at all.
        """
        aliases = list(aliases)
        keys = sorted({match_key(name) for name in (entry.name, *aliases)} - {""})
        previous = self.client.get_item(
            TableName=self.table_name, Key=to_item(vocabulary_key(entry.slug)), ConsistentRead=True
        ).get("Item")
        old_keys = set()
        if previous:
            old = from_item(previous)
            old_keys = {match_key(name) for name in (old["name"], *old.get("aliases", []))} - {""}
        values = {**vocabulary_key(entry.slug), "type": TYPE_VOCABULARY, "slug": entry.slug,
                  "name": entry.name, "status": entry.status, "merged_into": entry.merged_into,
                  "aliases": aliases, "gsi1pk": VOCABULARY_PARTITION, "gsi1sk": entry.slug}  # fmt: skip
        items: list[Any] = [{"Put": {"TableName": self.table_name, "Item": to_item(values)}}]
        for key in keys:
            alias = {**alias_key(key), "type": TYPE_ALIAS, "key": key, "tag": entry.slug}
            items.append({"Put": {
                "TableName": self.table_name, "Item": to_item(alias),
                "ConditionExpression": "attribute_not_exists(pk) OR tag = :tag",
                "ExpressionAttributeValues": {":tag": {"S": entry.slug}},
            }})  # fmt: skip
        for key in sorted(old_keys - set(keys)):
            items.append({"Delete": {
                "TableName": self.table_name, "Key": to_item(alias_key(key)),
                "ConditionExpression": "tag = :tag", "ExpressionAttributeValues": {":tag": {"S": entry.slug}},
            }})  # fmt: skip
        try:
            self.client.transact_write_items(TransactItems=items)
        except self.client.exceptions.TransactionCanceledException as exc:
            reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
            taken = [keys[i - 1] for i, code in enumerate(reasons) if code == "ConditionalCheckFailed"
                     and 1 <= i <= len(keys)]  # fmt: skip
            owners = {str(a["key"]): str(a["tag"]) for a in self._batch_get(map(alias_key, taken))}
            names = ", ".join(f"{key!r} belongs to tag {owners.get(key, '?')!r}" for key in taken)
            raise Conflict(f"tag {entry.slug!r}: {names or reasons}") from exc

    def vocabulary_entries(self) -> list[dict[str, Any]]:
        """Every vocabulary tag, by slug."""
        return [
            {"slug": item["gsi1sk"], "name": item["name"], "aliases": item.get("aliases", []),
             "status": item.get("status", "active"), "merged_into": item.get("merged_into")}
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :pk",
                ExpressionAttributeValues={":pk": {"S": VOCABULARY_PARTITION}},
            )
        ]  # fmt: skip

    def vocabulary(self) -> TableVocabulary:
        return TableVocabulary(self)

    # rendering ---------------------------------------------------------------

    def mark_rendered(self, slug: str, version: int, status: str) -> None:
        """Record which version of an article the CDN now serves (never goes backwards)."""
        # A newer version rendered already fails the condition: nothing to record then.
        with contextlib.suppress(self.client.exceptions.ConditionalCheckFailedException):
            self.client.put_item(
                TableName=self.table_name,
                Item=to_item(
                    {
                        **rendered_key(slug),
                        "type": TYPE_RENDERED,
                        "version": version,
                        "status": status,
                    }
                ),
                ConditionExpression="attribute_not_exists(pk) OR version <= :version",
                ExpressionAttributeValues={":version": {"N": str(version)}},
            )

    def rendered_version(self, slug: str) -> tuple[int, str] | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(rendered_key(slug)), ConsistentRead=True
        )
        if "Item" not in response:
            return None
        item = from_item(response["Item"])
        return int(item["version"]), str(item["status"])

    def latest_summaries(self, limit: int, partition: str = LATEST_PARTITION) -> list[dict[str, Any]]:
        """The newest summaries of a list (all published articles, or a tag's), newest first."""
        response = self.client.query(
            TableName=self.table_name,
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": {"S": partition}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [from_item(item)["summary"] for item in response["Items"]]

    def month_summaries(self, month: str, partition: str = LATEST_PARTITION) -> list[dict[str, Any]]:
        """Every summary of one month (UTC) of a list, newest first."""
        return [
            item["summary"]
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :pk AND begins_with(gsi1sk, :month)",
                ExpressionAttributeValues={
                    ":pk": {"S": partition},
                    ":month": {"S": month},
                },
                ScanIndexForward=False,
            )
        ]

    def neighbour_month(self, month: str, *, older: bool, partition: str = LATEST_PARTITION) -> str | None:
        """The nearest month before (or after) ``month`` in which the list has an article."""
        if older:
            condition, bound, forward = "gsi1sk < :bound", month, False
        else:
            condition, bound, forward = "gsi1sk >= :bound", next_month(month), True
        response = self.client.query(
            TableName=self.table_name,
            IndexName=GSI1,
            KeyConditionExpression=f"gsi1pk = :pk AND {condition}",
            ExpressionAttributeValues={":pk": {"S": partition}, ":bound": {"S": bound}},
            ScanIndexForward=forward,
            Limit=1,
            ProjectionExpression="gsi1sk",
        )
        items = response["Items"]
        return items[0]["gsi1sk"]["S"][:7] if items else None

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        request = {"TableName": self.table_name, **kwargs}
        while True:
            response = self.client.query(**request)
            for item in response["Items"]:
                yield from_item(item)
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


class TableVocabulary:
    """The tag vocabulary as stored in the table: aliases by match key, entries by slug."""

    def __init__(self, table: ContentTable) -> None:
        self.table = table

    def lookup(self, keys: Iterable[str]) -> dict[str, VocabularyEntry]:
        aliases = self.table._batch_get(alias_key(key) for key in keys if key)
        targets = self.entries({str(alias["tag"]) for alias in aliases})
        return {str(alias["key"]): targets[str(alias["tag"])] for alias in aliases if alias["tag"] in targets}

    def entries(self, slugs: Iterable[str]) -> dict[str, VocabularyEntry]:
        items = self.table._batch_get(vocabulary_key(slug) for slug in slugs)
        return {
            str(item["slug"]): VocabularyEntry(
                slug=str(item["slug"]), name=str(item["name"]), status=item.get("status", "active"),
                merged_into=item.get("merged_into"),
            )
            for item in items
        }  # fmt: skip


def _listed(related: RelatedList | None) -> set[str]:
    """The articles a related list names (each has a reverse-index entry)."""
    if related is None:
        return set()
    return {entry.slug for entry in related.auto} | set(related.pinned)


def article_ref(article: Article, path: str, cdn_url: str) -> ArticleRef:
    return ArticleRef(
        slug=article.slug,
        version=article.version,
        status=article.status,
        path=path,
        url=f"{cdn_url.rstrip('/')}/{path}" if cdn_url else None,
    )


__all__ = [
    "AlreadyProcessed",
    "ContentTable",
    "FieldError",
    "article_ref",
    "article_summary",
    "content_hash",
    "from_item",
    "month_of",
    "to_item",
]
