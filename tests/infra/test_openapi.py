"""docs/openapi.yaml is what the API functions' resolvers generate (``make openapi``), and the
answers the functions give are the ones it describes."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
import yaml

from kabar_infra.openapi import build, render
from kabar_infra.template import ROOT
from tests.support.app import App, article_file

DOC = ROOT / "docs" / "openapi.yaml"
STALE = "docs/openapi.yaml is not what the resolvers say: run `make openapi`"
API_FUNCTIONS = ["uploads", "vocabulary", "comments", "moderation"]


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return build()


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return yaml.safe_load(DOC.read_text())  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, item in document["paths"].items() for method, op in item.items()}


def test_the_document_is_valid_openapi_3_1(committed: dict[str, Any]) -> None:
    from openapi_spec_validator import validate

    assert committed["openapi"].startswith("3.1.")
    validate(committed)  # every $ref resolves, every schema is JSON Schema 2020-12


def test_routes_and_methods_are_the_resolvers(generated: dict[str, Any], committed: dict[str, Any]) -> None:
    assert sorted(operations(committed)) == sorted(operations(generated)), STALE


@pytest.mark.parametrize("aspect", ["parameters", "requestBody", "responses", "security"])
def test_each_route_is_documented_as_declared(
    generated: dict[str, Any], committed: dict[str, Any], aspect: str
) -> None:
    """Parameters (name, in, required, schema), request bodies, statuses and their schemas, security."""
    documented = operations(committed)
    for key, operation in operations(generated).items():
        assert documented[key].get(aspect) == operation.get(aspect), f"{key} {aspect}: {STALE}"


def test_the_schemas_are_the_models(generated: dict[str, Any], committed: dict[str, Any]) -> None:
    names = sorted(committed["components"]["schemas"])
    assert names == sorted(generated["components"]["schemas"]), STALE
    for name in names:
        assert committed["components"]["schemas"][name] == generated["components"]["schemas"][name], name
    assert committed["components"]["securitySchemes"] == generated["components"]["securitySchemes"]


def test_the_file_is_exactly_what_make_openapi_writes(generated: dict[str, Any]) -> None:
    assert DOC.read_text() == render(generated), STALE


def test_it_says_what_the_hand_written_one_said(committed: dict[str, Any]) -> None:
    """Refusals, Retry-After, the public intake and its preflight, the error schema."""
    ops = operations(committed)
    for (method, path), operation in ops.items():
        answers = operation["responses"]
        if operation["security"]:
            assert {"401", "403"} <= set(answers), (method, path)
            assert operation["security"] in ([{"editors": []}], [{"moderators": []}], [{"admins": []}]), (
                method,
                path,
            )
            moderated = path.startswith(("/comments", "/spam-names"))
            assert (operation["security"] == [{"moderators": []}]) == moderated, path
        elif method != "options":
            assert path == "/articles/{slug}/comments"
    intake = ops[("post", "/articles/{slug}/comments")]["responses"]
    assert {"201", "400", "403", "404", "409", "413", "429"} <= set(intake)
    assert intake["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    assert ops[("options", "/articles/{slug}/comments")]["responses"]["204"]
    assert {"404", "409", "413"} <= set(ops[("put", "/comments/{comment_id}")]["responses"])
    message = committed["components"]["schemas"]["Message"]
    assert message["required"] == ["message"] and set(message["properties"]) == {"message", "errors"}
    # Powertools documents its 422; kabar.api answers a request that is not valid with 400.
    assert not [key for key, operation in ops.items() if "422" in operation["responses"]]


@pytest.mark.parametrize("folder", API_FUNCTIONS)
def test_no_handler_imports_what_generates_the_document(folder: str) -> None:
    handler = ROOT / "functions" / folder / "app.py"
    code = (
        "import importlib.util, json, sys\n"
        f"s = importlib.util.spec_from_file_location('app', {str(handler)!r})\n"
        "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(json.loads(result.stdout))
    assert not {name for name in modules if name == "kabar_infra" or name.startswith("kabar_infra.")}
    assert "yaml" not in modules  # the document's writer


def check(document: dict[str, Any], app: App, asked: tuple[str, str], status: int, answer: Any) -> None:
    """``answer`` is what the document says ``method path`` answers with ``status``."""
    method, path = asked
    import jsonschema

    from kabar_infra.local.api import match, routes

    route, _, _ = match(routes(app.template), method, path.partition("?")[0])
    assert route is not None
    documented = document["paths"][route.resource][method.lower()]["responses"]
    assert str(status) in documented, f"{method} {path} answered {status}, which is not documented"
    schema = documented[str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(answer, {**schema, "components": document["components"]})


def test_real_answers_are_the_documented_ones(app: App, committed: dict[str, Any]) -> None:
    def ask(method: str, path: str, body: Any = None, groups: str | None = "editors", want: int = 200) -> Any:
        status, answer = app.api(method, path, body, groups=groups, user="ani")
        assert status == want, (method, path, answer)
        check(committed, app, (method, path), status, answer)
        return answer

    upload = app.upload("a.md", article_file(title="Banjir Rendam Kampung", body="Air naik.\n"))
    ask("GET", f"/uploads/{upload}")
    ask("POST", "/uploads", {"filename": "b.md"}, want=201)
    ask("POST", "/uploads", {"nama": "b.md"}, want=400)
    ask("GET", "/uploads/" + "0" * 32, want=404)
    ask("GET", "/tags", groups="moderators", want=403)
    ask("PUT", "/tags/lebanon", {"name": "Lebanon", "aliases": ["Libanon"]})
    ask("PUT", "/tags", {"tags": [{"name": "Suriah"}]})
    ask("PUT", "/tags/libanon", {"name": "Libanon"}, want=409)
    ask("GET", "/tags")
    ask("POST", "/tags/suriah/merge", {"into": "lebanon"}, want=202)
    ask("POST", "/tags/tidak-ada/merge", {"into": "lebanon"}, want=404)
    comment = {"name": "Ani", "email": "ani@example.id", "content": "Semoga cepat surut."}
    intake = "/articles/banjir-rendam-kampung/comments"
    taken = ask("POST", intake, comment, groups=None, want=201)
    ask("POST", intake, comment, groups=None, want=409)
    ask("POST", intake, {**comment, "content": "Lagi."}, groups=None, want=429)
    ask("POST", intake, {**comment, "content": "x" * 5001}, groups=None, want=413)
    ask("POST", "/articles/tidak-ada/comments", comment, groups=None, want=404)
    ask("GET", "/comments?status=pending", groups="moderators")
    ask("GET", "/comments?limit=abc", groups="moderators", want=400)
    ask("PUT", f"/comments/{taken['id']}", {"website": "https://ani.example.id"}, groups="moderators")
    ask("POST", f"/comments/{taken['id']}/approve", groups="moderators")
    ask("POST", "/comments/tidakada00/spam", groups="moderators", want=404)
