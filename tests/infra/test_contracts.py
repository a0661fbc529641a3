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

    from kabar.documents import ArticleDocument, Dateline

    document = ArticleDocument(
        slug="a", path="v1/articles/a.json", version=1, title="A", subtitle=None, lead=None,
        category=None, dateline=Dateline(place=None, outlet="Kabar"), author=None, editors=[],
        sources=[], credit_line=None, tags=[], published_at="2026-11-24T09:00:00+07:00",  # type: ignore[arg-type]
        updated_at="2026-11-24T09:00:00+07:00", body_html="<p>a</p>", read_also=[], related=[],  # type: ignore[arg-type]
    )  # fmt: skip
    jsonschema.validate(document.model_dump(mode="json"), document_schema("article"))
