"""The published contracts (OpenAPI, JSON Schemas) say what the code does."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from kabar.documents import DOCUMENT_MODELS
from kabar.schemas import document_schema
from kabar_infra.local.api import routes
from kabar_infra.template import ROOT, Template

DOCS = ROOT / "docs"


def test_openapi_lists_exactly_the_template_routes(template: Template) -> None:
    spec = yaml.safe_load((DOCS / "openapi.yaml").read_text())
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    wired = {(route.method, route.resource) for route in routes(template)}
    assert documented == wired


def test_json_schemas_match_the_document_models() -> None:
    assert {path.stem for path in (DOCS / "schemas").glob("*.json")} == set(DOCUMENT_MODELS)
    for kind in DOCUMENT_MODELS:
        path = DOCS / "schemas" / f"{kind}.json"
        assert path.exists(), f"run `make schemas`: {path} is missing"
        assert json.loads(path.read_text()) == document_schema(kind), f"run `make schemas`: {path} is stale"


def test_sample_documents_validate_against_their_schemas(tmp_path: Path) -> None:
    import jsonschema

    from kabar.documents import ArticleDocument, CommentsInfo, Dateline
    from kabar.workflows.render.comments import threads

    document = ArticleDocument(
        slug="a", path="v1/articles/a.json", version=1, title="A", subtitle=None, lead=None,
        category=None, dateline=Dateline(place=None, outlet="Kabar"), author=None, authors=[], editors=[],
        sources=[], credit_line=None, tags=[], published_at="2026-11-24T09:00:00+07:00",  # type: ignore[arg-type]
        updated_at="2026-11-24T09:00:00+07:00", body_html="<p>a</p>", read_also=[], related=[],  # type: ignore[arg-type]
        comments=CommentsInfo(count=0, path=None, open=True, closes_at=None),
        url="https://kabar.example/2026/11/24/a/", corrections=[], structured_data={"@context": "https://schema.org"},
    )  # fmt: skip
    jsonschema.validate(document.to_json(), document_schema("article"))
    shown = [
        {"id": "c1", "seq": 1, "name": "Ani", "website": None, "content_html": "<p>x</p>",
         "created_at": "2026-11-24T09:00:00Z", "parent": None, "depth": 0},
        {"id": "c2", "seq": 2, "name": "Budi", "website": "https://b.id", "content_html": "<p>y</p>",
         "created_at": "2026-11-24T09:01:00Z", "parent": "c1", "parent_name": "Ani", "depth": 1},
        {"id": "c3", "seq": 3, "name": "Eko", "website": None, "content_html": "<p>z</p>",
         "created_at": "2026-11-24T09:02:00Z", "parent": "c0", "parent_name": "Dewi", "depth": 1},
    ]  # fmt: skip
    from kabar.documents import CommentsDocument

    page = CommentsDocument(slug="a", article="v1/articles/a.json", page=2, pages=2, count=3,
                            comments=threads(shown), older="v1/articles/a/comments/1.json")  # fmt: skip
    payload = page.to_json()
    jsonschema.validate(payload, document_schema("comments"))
    # Threaded within the page; a reply to a comment on another page starts its own thread.
    assert [c["id"] for c in payload["comments"]] == ["c1", "c3"]
    assert payload["comments"][0]["replies"][0]["id"] == "c2"
    assert payload["comments"][1]["reply_to"] == {"id": "c0", "name": "Dewi"}
