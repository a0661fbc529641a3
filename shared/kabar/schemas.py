"""JSON Schemas of the public documents, generated from their models."""

from __future__ import annotations

from typing import Any

from pydantic import RootModel

from kabar.documents import API_VERSION, DOCUMENT_MODELS


class SchemaDocument(RootModel[dict[str, Any]]):
    """A JSON Schema, served as a document of its own."""


def document_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one document kind."""
    schema = DOCUMENT_MODELS[kind].model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{API_VERSION}/schemas/{kind}.json",
        **schema,
    }
