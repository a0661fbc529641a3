"""Comments: how what a commenter submits is made safe, and the content rules.

Pure logic: no AWS, no environment. CommentsFunction and ``kabar comments
classify`` run this same code. The rules that need history (duplicates, floods,
earlier approved comments) live in :mod:`kabar.workflows.comments`; these are the
ones that read only the comment itself, in the order the intake applies them:

1. a filled honeypot, a disallowed word, or strong evidence of an online-gambling promotion
   (:mod:`kabar.text.promotion`, read through :mod:`kabar.text.disguise`) -> ``spam``
   (accepted, never shown);
2. weaker evidence of a promotion, :data:`MAX_LINKS` or more links, or a moderation word ->
   ``pending``;
3. otherwise no verdict here: history decides (``pending`` for a first-time
   commenter, ``approved`` for one with earlier approved comments).

Gambling is left to the promotion rules, which weigh a word by what is around it: a word list
that made "judi online" or "togel" spam would mark readers who write against gambling spam.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

from kabar.errors import InvalidRequest, PayloadTooLarge
from kabar.text.plain import CONTROL as _CONTROL
from kabar.text.plain import TAG as _TAG

Verdict = Literal["approved", "pending", "spam"]
Status = Literal["approved", "pending", "spam", "trash"]
MAX_CONTENT = 5000  # characters; longer is 413
MAX_LINKS = 2
EMAIL = re.compile(
    r"^[^@\s<>\"']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"\b[a-z0-9-]{2,63}\.(?:com|net|org|info|biz|id|co|io|ru|cn|xyz|top|ly)\b(?:/\S*)?", re.I
)

# Defaults; each site sets its own lists (template parameters).
DEFAULT_DISALLOWED = ("viagra", "bitcoin doubler")
# Self-promotion. Not "subscribe" or "promo" alone: readers write "auto subscribe" and talk of a
# shop's "promo" every day.
DEFAULT_MODERATION = (
    "check out", "my channel", "my video", "visit my", "follow me", "click here", "free money",
    "subscribe my", "subscribe channel saya", "channel saya", "channel aku", "mampir ke channel",
    "whatsapp", "wa.me", "hubungi kami",
)  # fmt: skip


def check_object(body: Any) -> None:
    """A comment body must be an object; an oversized content is 413 before any other check."""
    if not isinstance(body, dict):
        raise InvalidRequest(
            "the body must be a JSON object", [{"field": "body", "message": "not an object"}]
        )
    content = body.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        raise PayloadTooLarge("content", f"is longer than {MAX_CONTENT} characters")


def stamp(now: datetime) -> str:
    """A comment's times: UTC, to the second."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def plain(text: str) -> str:
    """Text with markup removed: no tags (an unclosed one runs to the end), no control, zero-width
    or direction-changing characters; entities are read first, so ``&lt;b&gt;`` is a tag too."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", html.unescape(text))
    while (stripped := _TAG.sub("", text)) != text:  # "<<b>img ...>" is a tag once "<b>" goes
        text = stripped
    return re.sub(r"\n{3,}", "\n\n", text)


def to_html(text: str) -> str:
    """Plain text as minimal, safe HTML: paragraphs, line breaks, links (nofollow, ugc).

    Everything is escaped first; the only markup is what this function writes.
    """
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        escaped = html.escape(block, quote=True)
        linked = _URL.sub(_link, escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return "".join(paragraphs)


def _link(match: re.Match[str]) -> str:
    shown = match.group(0)
    target = shown if shown.lower().startswith("http") else "https://" + shown
    return f'<a href="{target}" rel="nofollow ugc noopener" target="_blank">{shown}</a>'


def links(text: str, website: str | None = None) -> int:
    """How many links a comment carries (addresses and bare domains in the text)."""
    found = {m.group(0).lower() for m in _URL.finditer(text)}
    found |= {m.group(0).lower() for m in _BARE_DOMAIN.finditer(_URL.sub(" ", text))}
    return len(found)


def _normalised(text: str) -> str:
    """Lower case, no accents, runs of other characters as one space (dots kept: "wa.me")."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return _OTHER.sub(" ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


_OTHER = re.compile(r"[^a-z0-9.]+")


@lru_cache(maxsize=256)
def _phrase(word: str) -> re.Pattern[str] | None:
    phrase = _normalised(word)
    return re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])") if phrase else None


def _contains(normalised: str, words: Iterable[str]) -> list[str]:
    """The words and phrases of ``words`` that ``normalised`` (:func:`_normalised`) holds as whole words."""
    return [word for word in words if (pattern := _phrase(word)) is not None and pattern.search(normalised)]


@dataclass(frozen=True)
class ContentVerdict:
    """What the content rules say: a verdict (None: history decides) and every reason."""

    verdict: Verdict | None
    reasons: list[str] = field(default_factory=list)


def classify_content(
    *,
    name: str,
    content: str,
    website: str | None = None,
    honeypot: str | None = None,
    disallowed: Iterable[str] = DEFAULT_DISALLOWED,
    moderation: Iterable[str] = DEFAULT_MODERATION,
    max_links: int = MAX_LINKS,
    learned: Iterable[str] = (),
) -> ContentVerdict:
    """The rules that need no history, in order; the first that decides wins, all reasons kept.
    ``learned``: the site's spam names, learned from its moderators."""
    from kabar.text.promotion import promotion_evidence  # the intake's and the CLI's, not moderation's

    text = f"{name}\n{content}\n{website or ''}"
    reasons = []
    if honeypot and honeypot.strip():
        reasons.append("honeypot filled")
    normalised = _normalised(text)  # once, for both word lists
    reasons += [f"disallowed word: {word}" for word in _contains(normalised, disallowed)]
    promotion = promotion_evidence(content, name, learned)
    if reasons or promotion.verdict == "spam":
        return ContentVerdict("spam", reasons + (promotion.reasons if promotion.verdict else []))
    if promotion.verdict == "pending":
        reasons += promotion.reasons
    count = links(content)
    if count >= max_links:
        reasons.append(f"{count} links")
    reasons += [f"moderation word: {word}" for word in _contains(normalised, moderation)]
    if reasons:
        return ContentVerdict("pending", reasons)
    return ContentVerdict(None, [])
