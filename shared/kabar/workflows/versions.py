"""The article version an upload's submission becomes, and where a published upload went."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from kabar.html import render_markdown
from kabar.models import Article, ArticleRef, AuthorRef, Category, TagRef, byline_text
from kabar.slugs import slugify
from kabar.submissions import ArticleSubmission
from kabar.workflows.article_images import Resolution
from kabar.workflows.releases import release_time


def content_hash(submission: ArticleSubmission, slug: str, images: Resolution) -> str:
    """What tells a version from the one before: the submission's fields, and its images' ids."""
    fields = submission.to_json()
    fields["slug"] = slug
    for name in ("image", "embargo_until"):  # without one, the hash is what it always was
        if fields.get(name) is None:
            fields.pop(name, None)
    if not fields.get("corrections"):  # likewise without corrections
        fields.pop("corrections", None)
    if len(submission.author) < 2:  # and with one author or none, as when "author" was one name
        fields["author"] = submission.author[0] if submission.author else None
    used = [use.id for use in [images.featured, *images.body] if use is not None]
    if used:  # the same file name with other bytes is another image: another version
        fields["image_ids"] = used
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def build_article(
    submission: ArticleSubmission,
    slug: str,
    existing: Article | None,
    upload_id: str,
    now: datetime,
    *,
    images: Resolution | None = None,
) -> Article:
    """The stored article for a validated submission (the next version of ``existing``), with its
    images as resolved (``images``; none when not given)."""
    images = images or Resolution(body_html=render_markdown(submission.body))
    digest = content_hash(submission, slug, images)
    due = release_time(submission.published_at, submission.embargo_until, now)
    scheduled = submission.status == "published" and due is not None
    # Its byline's time: as given; or, going public later, then; or as it was; or now.
    published_at = (
        submission.published_at
        or (due[0] if scheduled and due else None)
        or (existing.published_at if existing else now)
    )
    tags: dict[str, TagRef] = {}
    for name in submission.tags:
        tags.setdefault(slugify(name), TagRef(name=name, slug=slugify(name)))
    return Article(
        slug=slug,
        version=existing.version + 1 if existing else 1,
        status="scheduled" if scheduled else submission.status,
        title=submission.title,
        subtitle=submission.subtitle,
        lead=submission.lead,
        category=(
            Category(name=submission.category, slug=slugify(submission.category))
            if submission.category
            else None
        ),
        dateline=submission.dateline,
        author=byline_text(submission.author),
        authors=[AuthorRef(name=name, slug=slugify(name)) for name in submission.author],
        editors=submission.editors,
        sources=submission.sources,
        tags=list(tags.values()),
        published_at=published_at,
        created_at=existing.created_at if existing else now,
        updated_at=now,
        body_html=images.body_html,
        read_also=list(dict.fromkeys(submission.read_also)),
        related=list(dict.fromkeys(submission.related)),
        exclude_related=list(dict.fromkeys(submission.exclude_related)),
        comments=submission.comments,
        content_hash=digest,
        upload_id=upload_id,
        image=images.featured,
        images=images.body,
        corrections=sorted(submission.corrections, key=lambda entry: entry.at),
        embargo_until=submission.embargo_until,
        release_at=due[0] if scheduled and due else None,
    )


def article_ref(article: Article, path: str, cdn_url: str) -> ArticleRef:
    """Where a published upload went (its document's URL once a CDN address is set)."""
    return ArticleRef(
        slug=article.slug,
        version=article.version,
        status=article.status,
        path=path,
        url=f"{cdn_url.rstrip('/')}/{path}" if cdn_url else None,
    )
