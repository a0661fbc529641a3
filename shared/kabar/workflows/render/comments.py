"""An article's comment pages: 50 approved comments a page in approval order, threaded within it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kabar.documents import (
    CACHE_LIST,
    COMMENTS_PAGE_SIZE,
    CommentsDocument,
    PublicComment,
    ReplyTo,
    article_path,
    comments_page_of,
    comments_page_path,
    comments_path,
)
from kabar.workflows.render.sources import Comments, Output


def write_pages(
    slug: str, pages: Iterable[int], *, counters: tuple[int, int], comments: Comments, out: Output
) -> None:
    """Rewrite the given pages of an article's comments, and its newest page (comments.json)."""
    count, seq = counters
    newest = comments_page_of(seq) if seq else 0
    for page in sorted({*pages, newest} - {0}):
        first = (page - 1) * COMMENTS_PAGE_SIZE + 1
        shown = comments.public_by_seq(slug, first, page * COMMENTS_PAGE_SIZE)
        document = CommentsDocument(
            slug=slug, article=article_path(slug), page=page, pages=None, count=None,
            comments=threads(shown), older=comments_page_path(slug, page - 1) if page > 1 else None,
        )  # fmt: skip
        out.put(comments_page_path(slug, page), document, CACHE_LIST)
        if page == newest:
            newest_document = document.replace(pages=newest, count=count)
            out.put(comments_path(slug), newest_document, CACHE_LIST)


def every_page(seq: int) -> range:
    """Every page of an article whose last approval number is ``seq``."""
    return range(1, comments_page_of(seq) + 1) if seq else range(0)


def remove_pages(slug: str, seq: int, out: Output) -> None:
    """Take an article's comment pages off the site (it was unpublished); the comments stay."""
    if not seq or comments_path(slug) in out.deleted:
        return
    out.delete(comments_path(slug))
    for page in every_page(seq):
        out.delete(comments_page_path(slug, page))


def threads(comments: list[dict[str, Any]]) -> list[PublicComment]:
    """One page's comments (public views in approval order, with ``seq``) as threads.

    A reply whose parent is on the page sits in the parent's ``replies``; one whose
    parent is not (an older page, or no longer public) starts a thread of its own
    with ``reply_to``.
    """
    nodes: dict[str, PublicComment] = {}
    roots: list[PublicComment] = []
    for comment in sorted(comments, key=lambda c: int(c["seq"])):
        parent = comment.get("parent")
        on_page = parent is not None and parent in nodes
        node = PublicComment(
            id=comment["id"], name=comment["name"], website=comment.get("website"),
            content_html=comment["content_html"], created_at=comment["created_at"],
            depth=int(comment.get("depth") or 0), parent=parent,
            reply_to=ReplyTo(id=parent, name=comment.get("parent_name")) if parent and not on_page else None,
            replies=[],
        )  # fmt: skip
        nodes[node.id] = node
        if parent and on_page:
            nodes[parent].replies.append(node)
        else:
            roots.append(node)
    return roots
