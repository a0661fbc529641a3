"""The image library: one item per image (``keys.image``), written by ImagesFunction, read by
PublishFunction (an article naming a library image) and RenderFunction (an article's images);
and its reverse index (``keys.image_user``): the articles that use an image, written with each
article version (:func:`image_changes`), read when a rebuild re-renders them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kabar.images.records import LibraryImage
from kabar.models import Article
from kabar.table import keys
from kabar.table.base import Table

TYPE_IMAGE = "image"
TYPE_IMAGE_USER = "image_user"


def used_images(article: Article | None) -> set[str]:
    """The library images a version uses while published (a draft is on no page)."""
    if article is None or article.status != "published":
        return set()
    return {use.id for use in [article.image, *article.images] if use}


def image_changes(table: Table, previous: Article | None, article: Article) -> list[dict[str, Any]]:
    """The transaction items that bring ``article``'s reverse-index entries from ``previous``'s
    images to its own: a put per image it starts using, a delete per image it stopped using."""
    was, now = used_images(previous), used_images(article)
    entry = {"type": TYPE_IMAGE_USER, "slug": article.slug}
    items = [
        table.put_op({**keys.image_user(image_id, article.slug), **entry, "image": image_id})
        for image_id in sorted(now - was)
    ]
    return items + [table.delete_op(keys.image_user(image, article.slug)) for image in sorted(was - now)]


class ImageStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, image_id: str) -> LibraryImage | None:
        item = self.table.get(keys.image(image_id))
        return LibraryImage.from_json(item) if item else None

    def get_many(self, image_ids: Iterable[str]) -> dict[str, LibraryImage]:
        """The library images among these ids (one batch get; read ahead while rendering)."""
        wanted = list(dict.fromkeys(image_ids))
        if not wanted:
            return {}
        found: dict[str, LibraryImage] = {}
        unread = []
        for image_id in wanted:  # what rendering read ahead with the articles' items
            ahead, item = self.table.read_ahead(keys.image(image_id))
            if not ahead:
                unread.append(image_id)
            elif item:
                found[image_id] = LibraryImage.from_json(item)
        for item in self.table.batch_get(map(keys.image, unread)) if unread else ():
            found[str(item["id"])] = LibraryImage.from_json(item)
        return found

    def put(self, image: LibraryImage) -> None:
        """Store (or replace, with more variants) an image: the same bytes always make the same
        image, so a replay writes what is there already."""
        self.table.put({
            **keys.image(image.id), "type": TYPE_IMAGE, **image.to_json(exclude_none=True),
            "gsi1pk": keys.IMAGES, "gsi1sk": keys.library_position(image.created_at, image.id),
        })  # fmt: skip

    def mark_rendered(self, image_id: str, widths: list[int]) -> None:
        """Record that the articles using the image were rendered again for ``widths``."""
        numbers = {"L": [{"N": str(width)} for width in widths]}
        self.table.update(keys.image(image_id), UpdateExpression="SET rendered_widths = :widths",
                          ConditionExpression="attribute_exists(pk)",
                          ExpressionAttributeValues={":widths": numbers})  # fmt: skip

    def library(self, after: str | None, limit: int) -> tuple[list[str], str | None]:
        """One page of the library's ids, oldest first, after the position ``after`` (a cursor from
        the page before; gsi1 holds the keys alone); and the next page's cursor (None: no more)."""
        condition = "gsi1pk = :pk AND gsi1sk > :after" if after else "gsi1pk = :pk"
        values = {":pk": {"S": keys.IMAGES}, **({":after": {"S": after}} if after else {})}
        items, last = self.table.query_page(IndexName=keys.GSI1, KeyConditionExpression=condition,
                                            ExpressionAttributeValues=values, Limit=limit)  # fmt: skip
        return [keys.parse(item["pk"], item["sk"]).name for item in items], str(
            last["gsi1sk"]
        ) if last else None

    def users(self, image_id: str, after: str | None, limit: int) -> tuple[list[str], str | None]:
        """Up to ``limit`` articles that use the image, by slug after ``after``; and the slug the
        next page starts after (None: no more)."""
        start = keys.image_user(image_id, after)["sk"] if after else keys.USED_BY
        values = {":pk": {"S": keys.image_partition(image_id)}, ":from": {"S": start}}
        condition = "pk = :pk AND sk > :from" if after else "pk = :pk AND begins_with(sk, :from)"
        request = {"KeyConditionExpression": condition, "ExpressionAttributeValues": values}
        items, last = self.table.query_page(**request, Limit=limit, ConsistentRead=True)
        slugs = [str(item["slug"]) for item in items if str(item["sk"]).startswith(keys.USED_BY)]
        return slugs, slugs[-1] if last and slugs else None
