"""Text in XML documents (feeds, sitemaps): escaped, and without the characters XML cannot
carry at all (editors' text has none: the upload refuses them; this is the last guard)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: str) -> str:
    """``value`` as an element's content."""
    return escape(_NOT_XML.sub("", value))


def attr(value: str) -> str:
    """``value`` as an attribute's value, quotes included."""
    return quoteattr(_NOT_XML.sub("", value))
