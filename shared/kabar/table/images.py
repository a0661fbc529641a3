"""The image library: one item per image (``keys.image``), written by ImagesFunction, read by
PublishFunction (an article naming a library image) and RenderFunction (an article's images)."""

from __future__ import annotations

from collections.abc import Iterable

from kabar.images.records import LibraryImage
from kabar.table import keys
from kabar.table.base import Table

TYPE_IMAGE = "image"


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
        self.table.put({**keys.image(image.id), "type": TYPE_IMAGE, **image.to_json(exclude_none=True)})
