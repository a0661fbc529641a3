"""``kabar images rebuild`` in ImagesFunction: stored images given the variants of today's widths
setting, made from their kept originals, and the articles that use them rendered again.

The command pages through the library (gsi1 ``IMAGES``) and queues a :func:`rebuild_message`
per page chunk on ImagesQueue; ImagesFunction takes each (:func:`rebuild`): an image that has
every variant the setting asks for is left as it is (one read), any other gets the missing ones
(:func:`kabar.workflows.images.complete`; the variants it had stay, since pages and caches may
name them). For each image that changed, the articles using it (the reverse index
``keys.image_user``, :data:`USERS_PER_MESSAGE` per step) get an article change on RenderQueue:
RenderFunction renders their documents from the library as it is now, so the new widths reach
``image.srcset`` and the body's ``<picture>``. More users than a step holds continue in a
:func:`rerender_message` of their own, so every invocation's work is bounded.

Each message is idempotent: run twice, it finds the variants made and renders the same documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

from kabar.images.records import IMAGE_ID, LibraryImage
from kabar.observability import logger, metric
from kabar.workflows.images import CENTRE, Images, WriteFile, complete

T = TypeVar("T")
KIND = "kabar"  # the body's key naming a message of ours (an S3 notification has "Records")
REBUILD, RERENDER = "images.rebuild", "images.rerender"
IMAGES_PER_MESSAGE = 10  # a message's images: a few seconds each when variants are made
USERS_PER_MESSAGE = 100  # articles rendered again per step (ten SendMessageBatch calls)


class ImageUsers(Protocol):
    def users(self, image_id: str, after: str | None, limit: int) -> tuple[list[str], str | None]: ...


class Library(Images, ImageUsers, Protocol):
    def mark_rendered(self, image_id: str, widths: list[int]) -> None: ...


class BadRebuildMessage(ValueError):
    """A message that names itself ours but is no rebuild this version can read."""


@dataclass(frozen=True)
class RebuildRequest:
    kind: str
    images: tuple[str, ...] = ()  # REBUILD: the images to complete
    image: str = ""  # RERENDER: the image whose users to render again ...
    after: str | None = None  # ... after this slug


@dataclass(frozen=True)
class Effects:
    """What a step reads and writes: the library, the originals, the site bucket, the queues."""

    library: Library
    read_original: Callable[[str, str | None], bytes]  # (key, version id) in the incoming bucket
    write_file: WriteFile
    widths: tuple[int, ...]
    send_images: Callable[[list[str]], None]  # ImagesQueue: the next steps
    send_render: Callable[[list[str]], None]  # RenderQueue: article changes


def run(request: RebuildRequest, effects: Effects) -> None:
    """One message's step."""
    if request.kind == REBUILD:
        read = effects.read_original
        rebuild(request.images, library=effects.library,
                read_original=lambda image: read(image.original_key, image.original_version),
                write_file=effects.write_file, widths=effects.widths,
                rerender_later=lambda body: effects.send_images([body]))  # fmt: skip
        return
    rerender(request.image, request.after, users=effects.library,
             render=lambda slugs: effects.send_render(render_messages(slugs, request.image)),
             continue_with=lambda body: effects.send_images([body]))  # fmt: skip


def rebuild_message(image_ids: Iterable[str]) -> str:
    return json.dumps({KIND: REBUILD, "images": list(image_ids)})


def rerender_message(image_id: str, after: str | None) -> str:
    return json.dumps({KIND: RERENDER, "image": image_id, "after": after})


def read_message(body: str, notification: Callable[[str], list[T]]) -> tuple[RebuildRequest | None, list[T]]:
    """An ImagesQueue message: a rebuild step, or (read by ``notification``) the objects of an
    S3 notification."""
    found = json.loads(body or "null")
    if isinstance(found, dict) and KIND in found:
        return read_request(found), []
    return None, notification(body)


def read_request(body: dict[str, Any]) -> RebuildRequest:
    """A rebuild or rerender message, checked (BadRebuildMessage saying what is wrong)."""
    kind = body.get(KIND)
    if kind == REBUILD:
        found = body.get("images")
        if not isinstance(found, list) or not found or len(found) > IMAGES_PER_MESSAGE:
            raise BadRebuildMessage(f"images must list 1 to {IMAGES_PER_MESSAGE} image ids")
        if not all(isinstance(one, str) and IMAGE_ID.match(one) for one in found):
            raise BadRebuildMessage("images must be image ids (32 hex digits)")
        return RebuildRequest(REBUILD, images=tuple(found))
    if kind == RERENDER:
        image, after = body.get("image"), body.get("after")
        if not isinstance(image, str) or not IMAGE_ID.match(image):
            raise BadRebuildMessage("image must be an image id (32 hex digits)")
        if after is not None and not (isinstance(after, str) and after):
            raise BadRebuildMessage("after must be a slug or null")
        return RebuildRequest(RERENDER, image=image, after=after)
    raise BadRebuildMessage(f"unknown message {kind!r}: {REBUILD} or {RERENDER}")


def rebuild(
    image_ids: Iterable[str],
    *,
    library: Library,
    read_original: Callable[[LibraryImage], bytes],
    write_file: WriteFile,
    widths: Iterable[int],
    rerender_later: Callable[[str], None],
) -> list[str]:
    """Give each image the variants ``widths`` asks for, and queue the rendering of the articles
    using it (:func:`rerender_message`) unless they were rendered for these widths already; the
    ids of the images that got new variants."""
    changed, widths = [], sorted(set(widths))
    for image_id in image_ids:
        found = library.get(image_id)
        if found is None:
            logger.warning("image to rebuild is not in the library", extra={"image": image_id})
            continue
        focus = next((v.focus for v in found.variants if v.focus), None) or CENTRE
        made = complete(found, partial(read_original, found), focus, images=library, write_file=write_file,
                        widths=widths)  # fmt: skip
        added = len(made.variants) - len(found.variants)
        if added:
            changed.append(image_id)
            metric("ImagesRebuilt")
        behind = made.rendered_widths != widths
        if behind:  # after the variants are stored: the articles' documents then name them
            rerender_later(rerender_message(image_id, None))
            library.mark_rendered(image_id, widths)
        logger.info("image rebuilt", extra={"image": image_id, "variants_added": added, "rerender": behind})
    return changed


def rerender(
    image_id: str,
    after: str | None,
    *,
    users: ImageUsers,
    render: Callable[[list[str]], None],
    continue_with: Callable[[str], None],
) -> int:
    """One step of rendering again the articles that use an image: up to
    :data:`USERS_PER_MESSAGE` of them, and the next step queued when there are more."""
    slugs, next_after = users.users(image_id, after, USERS_PER_MESSAGE)
    if slugs:
        render(slugs)
    if next_after:
        continue_with(rerender_message(image_id, next_after))
    logger.info("image's articles rendered again", extra={"image": image_id, "articles": len(slugs),
                                                          "more": next_after is not None})  # fmt: skip
    return len(slugs)


def render_messages(slugs: Iterable[str], image_id: str) -> list[str]:
    """RenderQueue messages asking for these articles' documents again (an article change at no
    list position: the document alone), in the format DispatchFunction sends."""
    from kabar.dispatch import encode
    from kabar.events import ArticleChanged

    about = {"image": image_id, "source": "kabar images rebuild"}
    return [encode(ArticleChanged(slug, frozenset()), None, about) for slug in slugs]
