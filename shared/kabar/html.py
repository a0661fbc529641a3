"""Markdown to sanitized HTML. Imported by PublishFunction only (markdown, nh3).

Python-Markdown passes raw HTML through, so the sanitizer is the boundary:
an allowlist of tags, attributes and URL schemes. Nothing executable
survives: no script or style, no event handler attributes, no javascript:
or data: URLs.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import markdown
import nh3

# Python-Markdown scans from each "[" to its "]" (or to the end of the paragraph when there is none),
# and from each "](" to its ")": 20,000 unclosed "[" cost a minute. Past this many characters
# scanned (an estimate, :func:`link_work`) a body is refused before it is rendered.
MAX_LINK_WORK = 1_000_000
# CPU seconds one body may take to render, whatever makes it slow (the function's timeout is 30 s).
MAX_RENDER_SECONDS = 5.0
_LINK_TOKEN = re.compile(r"\\.|[\[\]()]", re.DOTALL)
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")

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


class TooMuchWork(Exception):
    """Rendering the body would take more than :data:`MAX_RENDER_SECONDS` (or recurse too deep)."""


@lru_cache(maxsize=1)  # publishing checks the body renders, then stores it: rendered once
def render_markdown(body: str) -> str:
    """The body's Markdown as HTML that is safe to embed in a page; TooMuchWork past the budget."""
    try:
        with _cpu_budget(MAX_RENDER_SECONDS):
            html = markdown.markdown(body, extensions=["extra", "sane_lists"], output_format="html")
    except RecursionError as exc:
        raise TooMuchWork("nests too deeply (lists, quotes or tags) to be rendered") from exc
    return sanitize_html(html)


def link_work(body: str) -> tuple[int, int]:
    """About how many characters the link patterns scan in ``body``, and the line where the
    paragraph that costs most starts: each "[" to its "]" (the paragraph's end when unclosed), each
    "](" to its ")". Escaped brackets cost nothing."""
    total, worst, worst_line, line = 0, 0, 1, 1
    start = 0
    for separator in [*_PARAGRAPHS.finditer(body), None]:
        end = separator.start() if separator else len(body)
        cost = _paragraph_work(body, start, end)
        total += cost
        if cost > worst:
            worst, worst_line = cost, line
        if separator is None:
            break
        line += body.count("\n", start, separator.end())
        start = separator.end()
    return total, worst_line


def _paragraph_work(body: str, start: int, end: int) -> int:
    cost, brackets, parens = 0, [], []  # open positions; parens: (position, opens a link)
    link_paren = False
    for match in _LINK_TOKEN.finditer(body, start, end):
        char, at = match.group(), match.start()
        if char == "[":
            brackets.append(at)
        elif char == "]":
            if brackets:
                cost += at - brackets.pop()
            link_paren = match.end() < end and body[match.end()] == "("
        elif char == "(":
            parens.append((at, link_paren))
            link_paren = False
        elif char == ")" and parens:
            opened, is_link = parens.pop()
            cost += at - opened if is_link else 0
    return cost + sum(end - at for at in brackets) + sum(end - at for at, is_link in parens if is_link)


@contextmanager
def _cpu_budget(seconds: float) -> Iterator[None]:
    """TooMuchWork once the process has spent ``seconds`` of CPU inside the block (a virtual
    timer: only the main thread can take the signal; elsewhere the block runs unbounded)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGVTALRM"):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise TooMuchWork(f"takes more than {seconds:g} s to render")

    previous = signal.signal(signal.SIGVTALRM, stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


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
