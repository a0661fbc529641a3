"""Markdown to sanitized HTML. Imported by PublishFunction only (markdown, nh3).

Python-Markdown passes raw HTML through, so the sanitizer is the boundary:
an allowlist of tags, attributes and URL schemes. Nothing executable
survives: no script or style, no event handler attributes, no javascript:
or data: URLs.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
        "sub", "sup", "small", "mark", "blockquote", "q", "cite", "code", "pre", "ul", "ol",
        "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "table", "thead", "tbody",
        "tr", "th", "td", "abbr", "span",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def render_markdown(body: str) -> str:
    """The body's Markdown as HTML that is safe to embed in a page."""
    html = markdown.markdown(body, extensions=["extra", "sane_lists"], output_format="html")
    return sanitize_html(html)


def sanitize_html(html: str) -> str:
    """Keep only allowlisted tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
