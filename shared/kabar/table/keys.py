"""Every key format of the content table, and the parser that reads keys back.

This is the only module that knows how keys are spelt (a test greps the tree).
Single-table layout (``pk`` / ``sk``, all strings):

=============================  ===================  ==================================
item                           pk                   sk
=============================  ===================  ==================================
upload request and status      ``UPLOAD#<id>``      ``UPLOAD``
image in the library           ``IMAGE#<id>``       ``IMAGE``
<slug> uses the image          ``IMAGE#<id>``       ``USEDBY#<slug>``
article, current version       ``ARTICLE#<slug>``   ``CURRENT``
article, one history entry     ``ARTICLE#<slug>``   ``VERSION#<000001>``
article, version on the CDN    ``ARTICLE#<slug>``   ``RENDERED``
article's tags (computed)      ``ARTICLE#<slug>``   ``TAGS``
article in a tag               ``ARTICLE#<slug>``   ``TAG#<tag>``
article in its category        ``ARTICLE#<slug>``   ``CATEGORY``
article in an author's list    ``ARTICLE#<slug>``   ``AUTHOR#<author>``
article in a profile term's    ``ARTICLE#<slug>``   ``TERM#<stem>``
list (related candidates)
article's related list         ``ARTICLE#<slug>``   ``RELATED``
<source>'s list names <slug>   ``ARTICLE#<slug>``   ``LISTEDBY#<source>``
<source> links to <slug>       ``ARTICLE#<slug>``   ``NAMEDBY#<created>#<source>``
unlisting progress             ``ARTICLE#<slug>``   ``UNLIST``
article's comment counters     ``ARTICLE#<slug>``   ``COMMENTS``
a comment                      ``COMMENT#<id>``     ``COMMENT``
a commenter (keyed email hash) ``COMMENTER#<hash>`` ``COMMENTER``
a network (keyed hash)         ``NETWORK#<hash>``   ``NETWORK``
a comment already made         ``DUPLICATE#<hash>`` ``DUPLICATE``
the learned spam names         ``SPAMNAMES``        ``SPAMNAMES``
one learned spam name          ``SPAMNAME#<name>``  ``SPAMNAME``
a page of a list               ``PAGES#<list>``     ``<upper bound>`` (``~``: newest)
tag's article count            ``TAG#<tag>``        ``STATS``
category's article count       ``CATEGORY#<slug>``  ``STATS``
author's article count         ``AUTHOR#<author>``  ``STATS``
author's profile (editors')    ``AUTHOR#<author>``  ``PROFILE``
tag in the vocabulary          ``TAG#<tag>``        ``VOCAB``
merge of a tag, progress       ``TAG#<tag>``        ``MERGE``
vocabulary alias               ``ALIAS#<key>``      ``ALIAS``
a form offered as a tag's      ``TAG#<tag>``        ``OFFER#<key>``
alias (editors decide)
a webhook subscription         ``WEBHOOK#<id>``     ``WEBHOOK``
an event's delivery to it      ``WEBHOOK#<id>``     ``DELIVERY#<webhook-id>``
one attempt, in its log        ``WEBHOOK#<id>``     ``ATTEMPT#<time>#<webhook-id>#<n>``
=============================  ===================  ==================================

The gsi1 lists (``LATEST``, ``TAG#<tag>``, ``CATEGORY#<category>``, ``SCHEDULED``, ``WEBHOOKS``, ...)
and gsi2 (tags by count) are described in docs/architecture.md ("The table"), and each below.
template.yaml's FilterCriteria spell a few of these prefixes too (a
template test checks they match :data:`PREFIXES`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, NamedTuple

from kabar.listnames import SITEMAP_LIST, list_kind

Key = dict[str, str]
GSI1 = "gsi1"
GSI2 = "gsi2"
LATEST = "LATEST"
TAGS = "TAGS"
VOCABULARY = "VOCAB"

# What a key names: the article's items by their sort key, and every other partition.
ItemKind = Literal[
    "upload", "article", "version", "rendered", "tags", "membership", "term", "category", "authorship",
    "related", "author_stats", "author_profile", "listed_by", "named_by", "unlist", "comment_counter",
    "comment", "commenter", "network", "duplicate", "tag_stats", "vocabulary", "merge", "alias",
    "alias_offer", "page", "spam_names", "spam_name", "image", "image_user", "webhook", "webhook_delivery",
    "webhook_attempt", "unknown",
]  # fmt: skip

# pk prefix -> the sort key of that partition's single item, and its kind.
_SINGLE = {
    "UPLOAD#": ("UPLOAD", "upload"), "IMAGE#": ("IMAGE", "image"), "COMMENT#": ("COMMENT", "comment"),
    "COMMENTER#": ("COMMENTER", "commenter"), "NETWORK#": ("NETWORK", "network"),
    "DUPLICATE#": ("DUPLICATE", "duplicate"), "ALIAS#": ("ALIAS", "alias"),
    "SPAMNAME#": ("SPAMNAME", "spam_name"), "SPAMNAMES": ("SPAMNAMES", "spam_names"),
}  # fmt: skip
_ARTICLE_ITEMS = {
    "CURRENT": "article", "RENDERED": "rendered", "TAGS": "tags", "CATEGORY": "category",
    "RELATED": "related", "UNLIST": "unlist", "COMMENTS": "comment_counter",
}  # fmt: skip
_TAG_ITEMS = {"STATS": "tag_stats", "VOCAB": "vocabulary", "MERGE": "merge"}
ARTICLE, TAG, VERSION, LISTED_BY, NAMED_BY, CATEGORY, COMMENTS, TERM, AUTHOR = (
    "ARTICLE#", "TAG#", "VERSION#", "LISTEDBY#", "NAMEDBY#", "CATEGORY#", "COMMENTS#", "TERM#", "AUTHOR#",
)  # fmt: skip
_AUTHOR_ITEMS = {"STATS": "author_stats", "PROFILE": "author_profile"}
PAGES = "PAGES#"
IMAGE, USED_BY = "IMAGE#", "USEDBY#"
IMAGES = "IMAGES"  # gsi1: the image library, oldest first
SCHEDULED = "SCHEDULED"  # gsi1: the scheduled articles, soonest first by <release time, UTC>#<slug>
WEBHOOK, DELIVERY, ATTEMPT, DEAD = "WEBHOOK#", "DELIVERY#", "ATTEMPT#", "DEAD#"
WEBHOOKS = "WEBHOOKS"  # gsi1: the webhook subscriptions, by id
CATEGORIES = "CATEGORIES"  # gsi1: the categories with their counts, by slug
SITEMAP_PAGES = "SITEMAP"  # the pages of kabar.listnames.SITEMAP_LIST
OFFER = "OFFER#"
ALIAS_OFFERS = "OFFERS"  # gsi1: the alias offers waiting for an editor, by tag and key
# The upper bound of a list's newest page: after every position (which start with a year).
OPEN_PAGE = "~"
PREFIXES = (ARTICLE, TAG, AUTHOR, PAGES, WEBHOOK, *_SINGLE)


class ItemKey(NamedTuple):
    """A key read back: what the item is, whose it is (slug, tag, id or hash) and, for an
    article's membership or reverse-index entry, the other name (tag or source article)."""

    kind: ItemKind
    name: str
    other: str | None = None


def parse(pk: str, sk: str) -> ItemKey:
    """The meaning of a ``pk``/``sk`` pair (kind ``unknown`` for a key Kabar never writes)."""
    if pk.startswith(ARTICLE):
        slug = pk.removeprefix(ARTICLE)
        if sk.startswith(NAMED_BY) and "#" in sk.removeprefix(NAMED_BY):
            return ItemKey("named_by", slug, sk.removeprefix(NAMED_BY).split("#", 1)[1])
        for prefix, kind in (
            (TAG, "membership"),
            (TERM, "term"),
            (AUTHOR, "authorship"),
            (LISTED_BY, "listed_by"),
            (VERSION, "version"),
        ):
            if sk.startswith(prefix):
                return ItemKey(kind, slug, sk.removeprefix(prefix))  # type: ignore[arg-type]
        return ItemKey(_ARTICLE_ITEMS.get(sk, "unknown"), slug)  # type: ignore[arg-type]
    if pk.startswith(PAGES):
        return ItemKey("page", pk.removeprefix(PAGES), sk)
    if pk.startswith(TAG):
        if sk.startswith(OFFER):
            return ItemKey("alias_offer", pk.removeprefix(TAG), sk.removeprefix(OFFER))
        return ItemKey(_TAG_ITEMS.get(sk, "unknown"), pk.removeprefix(TAG))  # type: ignore[arg-type]
    if pk.startswith(AUTHOR):
        return ItemKey(_AUTHOR_ITEMS.get(sk, "unknown"), pk.removeprefix(AUTHOR))  # type: ignore[arg-type]
    if pk.startswith(WEBHOOK):
        return _webhook_key(pk.removeprefix(WEBHOOK), sk)
    if pk.startswith(IMAGE) and sk.startswith(USED_BY):
        return ItemKey("image_user", pk.removeprefix(IMAGE), sk.removeprefix(USED_BY))
    for prefix, (single_sk, kind) in _SINGLE.items():
        if pk.startswith(prefix) and sk == single_sk:
            return ItemKey(kind, pk.removeprefix(prefix))  # type: ignore[arg-type]
    return ItemKey("unknown", pk)


def _webhook_key(subscription: str, sk: str) -> ItemKey:
    for prefix, kind in ((DELIVERY, "webhook_delivery"), (ATTEMPT, "webhook_attempt")):
        if sk.startswith(prefix):
            return ItemKey(kind, subscription, sk.removeprefix(prefix))  # type: ignore[arg-type]
    return ItemKey("webhook" if sk == "WEBHOOK" else "unknown", subscription)


def webhook(subscription: str) -> Key:  # a subscription (gsi1 WEBHOOKS)
    return {"pk": f"{WEBHOOK}{subscription}", "sk": "WEBHOOK"}


def webhook_delivery(subscription: str, message_id: str) -> Key:  # gsi1 DEAD#<subscription> once dead
    return {"pk": f"{WEBHOOK}{subscription}", "sk": f"{DELIVERY}{message_id}"}


def webhook_attempt(subscription: str, at: datetime, message_id: str, number: int) -> Key:  # the log
    return {"pk": f"{WEBHOOK}{subscription}", "sk": f"{ATTEMPT}{utc_stamp(at)}#{message_id}#{number:03d}"}


def dead_deliveries(subscription: str) -> str:  # the gsi1 list: a subscription's dead letters
    return f"{DEAD}{subscription}"


def _article(slug: str, sk: str) -> Key:
    return {"pk": f"{ARTICLE}{slug}", "sk": sk}


def upload(upload_id: str) -> Key:
    return {"pk": f"UPLOAD#{upload_id}", "sk": "UPLOAD"}


def image(image_id: str) -> Key:
    """An image in the library (its id: the original's SHA-256, 32 hex digits)."""
    return {"pk": f"{IMAGE}{image_id}", "sk": "IMAGE"}


def image_user(image_id: str, slug: str) -> Key:
    """The reverse index of images: article ``slug`` uses the image (featured or in its body)."""
    return {"pk": f"{IMAGE}{image_id}", "sk": f"{USED_BY}{slug}"}


def image_partition(image_id: str) -> str:
    return f"{IMAGE}{image_id}"


def article(slug: str) -> Key:
    return _article(slug, "CURRENT")


def version(slug: str, number: int) -> Key:
    return _article(slug, f"{VERSION}{number:06d}")


def rendered(slug: str) -> Key:
    return _article(slug, "RENDERED")


def article_tags(slug: str) -> Key:
    return _article(slug, "TAGS")


def membership(slug: str, tag: str) -> Key:
    return _article(slug, f"{TAG}{tag}")


def term_membership(slug: str, term: str) -> Key:
    """An article's entry in one of its profile terms' lists (related-article candidates by text)."""
    return _article(slug, f"{TERM}{term}")


def category_membership(slug: str) -> Key:
    return _article(slug, "CATEGORY")


def authorship(slug: str, author: str) -> Key:
    """An article's entry in one of its authors' lists."""
    return _article(slug, f"{AUTHOR}{author}")


def related(slug: str) -> Key:
    return _article(slug, "RELATED")


def listed_by(slug: str, source: str) -> Key:
    """The reverse index: ``source``'s related list names ``slug``."""
    return _article(slug, f"{LISTED_BY}{source}")


def named_by(target: str, source: str, source_created_at: datetime) -> Key:
    """The reverse index of editors' links: ``source`` (read-also or pinned related) names
    ``target``. Sorted by the source's creation time (it never changes), so a query newest
    first finds the most recently written articles that name ``target``."""
    return _article(target, f"{NAMED_BY}{utc_stamp(source_created_at)}#{source}")


def unlist_progress(slug: str) -> Key:
    return _article(slug, "UNLIST")


def comment_counter(slug: str) -> Key:
    return _article(slug, "COMMENTS")


def comment(comment_id: str) -> Key:
    return {"pk": f"COMMENT#{comment_id}", "sk": "COMMENT"}


def commenter(email_hash: str) -> Key:
    return {"pk": f"COMMENTER#{email_hash}", "sk": "COMMENTER"}


def network(network_hash: str) -> Key:
    return {"pk": f"NETWORK#{network_hash}", "sk": "NETWORK"}


def duplicate(digest: str) -> Key:
    return {"pk": f"DUPLICATE#{digest}", "sk": "DUPLICATE"}


def spam_names() -> Key:
    return {"pk": "SPAMNAMES", "sk": "SPAMNAMES"}


def spam_name(name: str) -> Key:
    return {"pk": f"SPAMNAME#{name}", "sk": "SPAMNAME"}


def category_stats(category: str) -> Key:
    """A category's article count (and name), listed in gsi1 ``CATEGORIES``."""
    return {"pk": f"{CATEGORY}{category}", "sk": "STATS"}


def author_stats(author: str) -> Key:
    """An author's article count (and the name the newest byline gave)."""
    return {"pk": f"{AUTHOR}{author}", "sk": "STATS"}


def author_profile(author: str) -> Key:
    """What editors say of an author (``PUT /authors/{slug}``)."""
    return {"pk": f"{AUTHOR}{author}", "sk": "PROFILE"}


def tag_stats(tag: str) -> Key:
    return {"pk": f"{TAG}{tag}", "sk": "STATS"}


def vocabulary(tag: str) -> Key:
    return {"pk": f"{TAG}{tag}", "sk": "VOCAB"}


def merge_progress(tag: str) -> Key:
    return {"pk": f"{TAG}{tag}", "sk": "MERGE"}


def alias(match_key: str) -> Key:
    return {"pk": f"ALIAS#{match_key}", "sk": "ALIAS"}


def alias_offer(tag: str, match_key: str) -> Key:
    return {"pk": f"{TAG}{tag}", "sk": f"{OFFER}{match_key}"}


def article_partition(slug: str) -> str:
    return f"{ARTICLE}{slug}"


def tag_list(tag: str) -> str:
    return f"{TAG}{tag}"


def list_partition(name: str | None) -> str:
    """The gsi1 partition holding the articles of the list ``name``."""
    kind, slug = list_kind(name)
    if kind == "tag":
        return tag_list(slug)
    if kind == "author":
        return author_list(slug)
    return category_list(slug) if kind == "category" else LATEST


def list_pages(name: str | None) -> str:
    """What the pages of the list ``name`` are kept under (``page_bound``, ``pages_of``): its gsi1
    partition, but the sitemaps' own for the sitemaps (the same articles as ``LATEST``)."""
    return SITEMAP_PAGES if name == SITEMAP_LIST else list_partition(name)


def term_list(term: str) -> str:
    return f"{TERM}{term}"


def category_list(category: str) -> str:
    return f"{CATEGORY}{category}"


def author_list(author: str) -> str:
    return f"{AUTHOR}{author}"


def comments_list(status: str, slug: str | None = None) -> str:
    """A comment's list in gsi1: an article's approved ones, or every comment of a status."""
    return f"{COMMENTS}{slug}" if status == "approved" and slug else f"{COMMENTS}{status}"


def approved_position(seq: int) -> str:
    """An approved comment's sort key: its approval number, zero-padded."""
    return f"{seq:09d}"


def library_position(created_at: datetime, image_id: str) -> str:
    """An image's sort key in the library (gsi1 ``IMAGES``): oldest first by when it was stored."""
    return f"{utc_stamp(created_at)}#{image_id}"


def queue_position(created_at: str, comment_id: str) -> str:
    return f"{created_at}#{comment_id}"


def utc_stamp(moment: datetime) -> str:
    """A sortable UTC timestamp (the order of gsi1 sort keys)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def listing_position(published_at: datetime, slug: str) -> str:
    """An article's sort key in a list: newest first by publish time, then slug."""
    return f"{utc_stamp(published_at)}#{slug}"


def parse_listing_position(position: str) -> tuple[datetime, str]:
    """A list sort key read back: the publish time (aware, UTC) and the slug."""
    stamp, slug = position.split("#", 1)
    return datetime.fromisoformat(stamp), slug


def month_of_position(position: str) -> str:
    """The ``YYYY-MM`` (UTC) of a list sort key."""
    return position[:7]


def page_bound(partition: str, upper: str) -> Key:
    """A page of a list (``partition``: ``list_pages``): the item keyed by the page's upper bound (the
    position of the next newer page's oldest article, or OPEN_PAGE for the newest page)."""
    return {"pk": f"{PAGES}{partition}", "sk": upper}


def pages_of(partition: str) -> str:
    return f"{PAGES}{partition}"


def partition_of_pages(pk: str) -> str:
    """What a page item's ``pk`` holds the pages of (``pages_of`` read back)."""
    return pk.removeprefix(PAGES)
