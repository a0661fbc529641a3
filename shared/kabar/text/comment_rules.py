"""Comments: what a commenter may submit, how it is made safe, and the content rules.

Pure logic: no AWS, no environment. CommentsFunction and ``kabar comments
classify`` run this same code. The rules that need history (duplicates, floods,
earlier approved comments) live in :mod:`kabar.workflows.comments`; these are the
ones that read only the comment itself, in the order the intake applies them:

1. a filled honeypot, or a disallowed word -> ``spam`` (accepted, never shown);
2. :data:`MAX_LINKS` or more links, or a moderation word -> ``pending``;
3. otherwise no verdict here: history decides (``pending`` for a first-time
   commenter, ``approved`` for one with earlier approved comments).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kabar.errors import InvalidRequest, PayloadTooLarge
from kabar.text.plain import CONTROL as _CONTROL
from kabar.text.plain import TAG as _TAG

Verdict = Literal["approved", "pending", "spam"]
Status = Literal["approved", "pending", "spam", "trash"]
MAX_CONTENT = 5000  # characters; longer is 413
MAX_LINKS = 2
_EMAIL = re.compile(
    r"^[^@\s<>\"']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$"
)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"\b[a-z0-9-]{2,63}\.(?:com|net|org|info|biz|id|co|io|ru|cn|xyz|top|ly)\b(?:/\S*)?", re.I
)

# Defaults; each site sets its own lists (template parameters).
DEFAULT_DISALLOWED = (
    "viagra",
    "casino online",
    "judi online",
    "slot gacor",
    "togel",
    "pinjol",
    "bitcoin doubler",
)
DEFAULT_MODERATION = (
    "subscribe", "check out", "my channel", "my video", "visit my", "follow me", "click here",
    "free money", "promo", "diskon", "whatsapp", "wa.me", "hubungi kami",
)  # fmt: skip

PlainText = Annotated[str, StringConstraints(strip_whitespace=True)]
PARENT = "The id of the published comment this replies to"
HONEYPOT = "Map the form's hidden trap field here; people leave it empty"
LONGER = "Longer is 413"


class CommentSubmission(BaseModel):
    """The body of ``POST /articles/{slug}/comments``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    name: Annotated[PlainText, Field(min_length=1, max_length=80)]
    email: Annotated[PlainText, Field(min_length=3, max_length=254, description="Never published")]
    website: Annotated[PlainText | None, Field(max_length=200, description="http:// or https://")] = None
    content: Annotated[str, Field(min_length=1, max_length=MAX_CONTENT, description=LONGER)]
    parent: Annotated[
        str | None,
        Field(pattern=r"^[0-9A-Za-z]{8,40}$", description="The id of the published comment this replies to"),
    ] = None
    honeypot: Annotated[
        str | None,
        Field(max_length=500, description="Map the form's hidden trap field here; people leave it empty"),
    ] = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = _CONTROL.sub("", value)
        if not _EMAIL.match(value):
            raise ValueError("is not an email address")
        return value

    _name = field_validator("name")(classmethod(lambda cls, value: _check_name(value)))
    _website = field_validator("website")(classmethod(lambda cls, value: _check_website(value)))
    _content = field_validator("content")(classmethod(lambda cls, value: _check_content(value)))


def _check_name(value: str | None) -> str | None:
    if value is None:
        return None
    value = plain(value).strip()
    if not value:
        raise ValueError("needs letters (markup is removed)")
    return value


def _check_website(value: str | None) -> str | None:
    value = _CONTROL.sub("", value or "")
    if not value:
        return None
    if not re.match(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// address")
    return value


def _check_content(value: str | None) -> str | None:
    if value is None:
        return None
    value = plain(value).strip()
    if not value:
        raise ValueError("is empty once markup is removed")
    return value


class CommentEdit(BaseModel):
    """The body of a moderator's ``PUT /comments/{id}``: the fields to change, checked as at intake."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    name: Annotated[PlainText | None, Field(min_length=1, max_length=80)] = None
    website: Annotated[PlainText | None, Field(max_length=200, description="null removes it")] = None
    content: Annotated[
        str | None, Field(min_length=1, max_length=MAX_CONTENT, description="Longer is 413")
    ] = None

    _name = field_validator("name")(classmethod(lambda cls, value: _check_name(value)))
    _website = field_validator("website")(classmethod(lambda cls, value: _check_website(value)))
    _content = field_validator("content")(classmethod(lambda cls, value: _check_content(value)))


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
    return re.sub(r"[^a-z0-9.]+", " ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


def _contains(text: str, words: Iterable[str]) -> list[str]:
    """The words and phrases of ``words`` that ``text`` contains as whole words."""
    normalised = _normalised(text)
    found = []
    for word in words:
        phrase = _normalised(word)
        if phrase and re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", normalised):
            found.append(word)
    return found


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
) -> ContentVerdict:
    """The rules that need no history, in order; the first that decides wins, all reasons kept."""
    text = f"{name}\n{content}\n{website or ''}"
    reasons = []
    if honeypot and honeypot.strip():
        reasons.append("honeypot filled")
    reasons += [f"disallowed word: {word}" for word in _contains(text, disallowed)]
    if reasons:
        return ContentVerdict("spam", reasons)
    count = links(content)
    if count >= max_links:
        reasons.append(f"{count} links")
    reasons += [f"moderation word: {word}" for word in _contains(text, moderation)]
    if reasons:
        return ContentVerdict("pending", reasons)
    return ContentVerdict(None, [])
