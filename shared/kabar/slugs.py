"""Slugs: the stable, URL-safe names of articles, categories, tags and authors."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_SLUG_LENGTH = 80
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SLUG = re.compile(SLUG_PATTERN)


def is_slug(value: str) -> bool:
    """Whether ``value`` is a slug as Kabar makes them (lower-case a-z, 0-9, single hyphens, at most 80)."""
    return len(value) <= MAX_SLUG_LENGTH and bool(_SLUG.match(value))


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary.

    >>> slugify("ISIS Kocar-kacir Hadapi Serangan Suriah, Rusia, dan Hizbullah")
    'isis-kocar-kacir-hadapi-serangan-suriah-rusia-dan-hizbullah'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_ALNUM.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug.strip("-")
