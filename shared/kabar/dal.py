"""Data access for the content table. This module owns every key format.

Single-table layout (``pk`` / ``sk``, all strings):

=============================  ===================  ==================================
item                           pk                   sk
=============================  ===================  ==================================
upload request and status      ``UPLOAD#<id>``      ``UPLOAD``
article, current version       ``ARTICLE#<slug>``   ``CURRENT``
article, one history entry     ``ARTICLE#<slug>``   ``VERSION#<000001>``
article, version on the CDN    ``ARTICLE#<slug>``   ``RENDERED``
=============================  ===================  ==================================

GSI ``gsi1`` lists published articles newest first: ``gsi1pk = "LATEST"``,
``gsi1sk = "<published_at, UTC>#<slug>"``; drafts carry no gsi1 keys. The
index projects only ``summary``, so list pages read small items. A month's
page is a ``begins_with`` query on the sort key; no request path scans.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from kabar import aws
from kabar.errors import Conflict
from kabar.models import Article, ArticleRef, FieldError, Upload, UploadState

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

GSI1 = "gsi1"
LATEST_PARTITION = "LATEST"
TYPE_ARTICLE = "article"
TYPE_ARTICLE_VERSION = "article_version"
TYPE_RENDERED = "rendered"
TYPE_UPLOAD = "upload"


class AlreadyProcessed(Exception):
    """The upload was already published or rejected (a replayed event)."""


def upload_key(upload_id: str) -> dict[str, str]:
    return {"pk": f"UPLOAD#{upload_id}", "sk": "UPLOAD"}


def article_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "CURRENT"}


def version_key(slug: str, version: int) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": f"VERSION#{version:06d}"}


def rendered_key(slug: str) -> dict[str, str]:
    return {"pk": f"ARTICLE#{slug}", "sk": "RENDERED"}


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


def _serializer() -> Any:
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer()


def _deserializer() -> Any:
    from boto3.dynamodb.types import TypeDeserializer

    return TypeDeserializer()


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """A plain dict (JSON types) as a DynamoDB item; ``None`` values are left out."""
    serializer = _serializer()
    return {k: serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item (or stream image) as a plain dict, numbers as ``int``."""
    deserializer = _deserializer()
    plain: dict[str, Any] = _plain({k: deserializer.deserialize(v) for k, v in item.items()})
    return plain


def _plain(value: Any) -> Any:
    from decimal import Decimal

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

    def get_articles(self, slugs: Iterable[str]) -> dict[str, Article]:
        """The current versions of these articles (those that exist), by slug."""
        keys = [to_item(article_key(slug)) for slug in dict.fromkeys(slugs)]
        found: dict[str, Article] = {}
        while keys:
            batch, keys = keys[:100], keys[100:]
            request: dict[str, Any] = {self.table_name: {"Keys": batch, "ConsistentRead": True}}
            while request:
                response = self.client.batch_get_item(RequestItems=request)
                for item in response["Responses"].get(self.table_name, []):
                    article = Article.model_validate(from_item(item))
                    found[article.slug] = article
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

    def latest_summaries(self, limit: int) -> list[dict[str, Any]]:
        """The newest published articles' summaries, newest first."""
        response = self.client.query(
            TableName=self.table_name,
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :pk",
            ExpressionAttributeValues={":pk": {"S": LATEST_PARTITION}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [from_item(item)["summary"] for item in response["Items"]]

    def month_summaries(self, month: str) -> list[dict[str, Any]]:
        """Every published article of one month (UTC), newest first."""
        return [
            item["summary"]
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :pk AND begins_with(gsi1sk, :month)",
                ExpressionAttributeValues={
                    ":pk": {"S": LATEST_PARTITION},
                    ":month": {"S": month},
                },
                ScanIndexForward=False,
            )
        ]

    def neighbour_month(self, month: str, *, older: bool) -> str | None:
        """The nearest month before (or after) ``month`` that has a published article."""
        if older:
            condition, bound, forward = "gsi1sk < :bound", month, False
        else:
            condition, bound, forward = "gsi1sk >= :bound", next_month(month), True
        response = self.client.query(
            TableName=self.table_name,
            IndexName=GSI1,
            KeyConditionExpression=f"gsi1pk = :pk AND {condition}",
            ExpressionAttributeValues={":pk": {"S": LATEST_PARTITION}, ":bound": {"S": bound}},
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
