"""Sitemaps checked as search engines read them: each document validated against the XML Schema
of its kind (tests/support/xsd), and read back into what it lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

XSD = Path(__file__).parent / "xsd"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
_URLSET = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsd:import namespace="{NS["s"]}" schemaLocation="{(XSD / "sitemap.xsd").as_uri()}"/>
  <xsd:import namespace="{NS["news"]}" schemaLocation="{(XSD / "sitemap-news.xsd").as_uri()}"/>
</xsd:schema>"""
_schemas: dict[str, etree.XMLSchema] = {}


def _schema(kind: str) -> etree.XMLSchema:
    if kind not in _schemas:
        if kind == "index":
            _schemas[kind] = etree.XMLSchema(etree.parse(str(XSD / "siteindex.xsd")))
        else:
            _schemas[kind] = etree.XMLSchema(etree.fromstring(_URLSET.encode()))
    return _schemas[kind]


def _valid(body: bytes, kind: str) -> Any:
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), body[:60]
    assert len(body) < 50 * 1024 * 1024, "a sitemap must be under 50 MB"
    root = etree.fromstring(body)
    schema = _schema(kind)
    assert schema.validate(root), f"not a valid {kind}: {schema.error_log}"
    return root


def sitemap_urls(body: bytes) -> dict[str, str]:
    """A valid sitemap's URLs, each with its lastmod."""
    root = _valid(body, "urlset")
    urls = root.findall("s:url", NS)
    assert len(urls) <= 50_000
    return {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS) for u in urls}


def index_sitemaps(body: bytes) -> dict[str, str | None]:
    """A valid sitemap index's sitemaps, each with its lastmod."""
    root = _valid(body, "index")
    return {s.findtext("s:loc", namespaces=NS): s.findtext("s:lastmod", namespaces=NS)
            for s in root.findall("s:sitemap", NS)}  # fmt: skip


def news_entries(body: bytes) -> dict[str, dict[str, Any] | None]:
    """A valid news sitemap's URLs, each with its news tags (None: a URL without them)."""
    root = _valid(body, "urlset")
    urls = root.findall("s:url", NS)
    assert 1 <= len(urls) <= 1000
    found: dict[str, dict[str, Any] | None] = {}
    for url in urls:
        news = url.find("news:news", NS)
        loc = url.findtext("s:loc", namespaces=NS)
        found[loc] = (
            None
            if news is None
            else {
                "name": news.findtext("news:publication/news:name", namespaces=NS),
                "language": news.findtext("news:publication/news:language", namespaces=NS),
                "publication_date": news.findtext("news:publication_date", namespaces=NS),
                "title": news.findtext("news:title", namespaces=NS),
            }
        )
    return found
