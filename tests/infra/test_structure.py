"""The shape of the code base: file, function and handler sizes, and what tests may import.

Read from the tree (functions with ast): no source file over 400 lines, no function over 60, no
handler module over 60 (wiring only), tests import helpers from tests.support only, and each layer
imports only what it may.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from kabar_infra.template import ROOT

SOURCE_DIRS = ("shared", "functions", "infra")
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_HANDLER_FILE_LINES = 60  # functions/*/app.py: wiring only; the work is in kabar.workflows


def source_files() -> list[Path]:
    files = sorted(path for folder in SOURCE_DIRS for path in (ROOT / folder).rglob("*.py"))
    assert files, f"no .py files under {SOURCE_DIRS} in {ROOT}"
    return files


def lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def where(path: Path, line: int | None = None) -> str:
    name = str(path.relative_to(ROOT))
    return name if line is None else f"{name}:{line}"


def report(offenders: list[tuple[int, str]], what: str) -> str:
    """Every offender, largest first: 'file[:line] ... N lines'."""
    rows = [f"  {name} ({length} lines)" for length, name in sorted(offenders, key=lambda o: (-o[0], o[1]))]
    return f"{len(offenders)} {what}:\n" + "\n".join(rows)


Function = ast.FunctionDef | ast.AsyncFunctionDef


def functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, Function]]:
    """Every function and method, nested ones too, with its qualified name."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield f"{prefix}{node.name}", node
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")
        else:
            yield from functions(node, prefix)


def test_no_source_file_is_over_400_lines() -> None:
    offenders = [(lines(path), where(path)) for path in source_files() if lines(path) > MAX_FILE_LINES]
    assert not offenders, report(offenders, f"files over {MAX_FILE_LINES} lines")


def test_no_function_is_over_60_lines() -> None:
    offenders = []
    for path in source_files():
        for name, node in functions(ast.parse(path.read_text(), filename=str(path))):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                offenders.append((length, f"{where(path, node.lineno)} {name}"))
    assert not offenders, report(offenders, f"functions over {MAX_FUNCTION_LINES} lines")


def test_no_handler_file_is_over_60_lines() -> None:
    handlers = sorted((ROOT / "functions").glob("*/app.py"))
    assert handlers, "no functions/*/app.py"
    offenders = [(lines(path), where(path)) for path in handlers if lines(path) > MAX_HANDLER_FILE_LINES]
    assert not offenders, report(offenders, f"handler files over {MAX_HANDLER_FILE_LINES} lines")


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """The modules a file imports (line, dotted name), relative imports resolved."""
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # "from tests import x" may import the module tests.x.
            yield from ((node.lineno, f"{module}.{alias.name}") for alias in node.names)


def test_tests_import_only_tests_support() -> None:
    test_files = sorted((ROOT / "tests").rglob("*.py"))
    assert any(path.name.startswith("test_") for path in test_files)
    offenders = [
        f"  {where(path, line)} imports {module}"
        for path in test_files
        for line, module in imported_modules(path)
        if module.split(".")[0] == "tests" and module.split(".")[:2] != ["tests", "support"]
    ]
    assert not offenders, "tests import helpers from tests.support only:\n" + "\n".join(offenders)


LAYERS = {
    # package: what it must not import (the direction data and knowledge flow)
    "shared/kabar/table": ("kabar.text", "kabar.workflows", "kabar.api", "kabar.deps"),
    "shared/kabar/text": ("kabar.table", "kabar.workflows", "kabar.aws", "kabar.deps", "boto3"),
    "shared/kabar/workflows": ("kabar.table", "kabar.deps", "kabar.aws", "boto3"),
}


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_each_layer_imports_only_what_it_may(package: str) -> None:
    forbidden = LAYERS[package]
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, package
    offenders = [
        f"  {where(path, line)} imports {module}"
        for path in files
        for line, module in imported_modules(path)
        if any(module == name or module.startswith(name + ".") for name in forbidden)
    ]
    assert not offenders, f"{package} may not import {', '.join(forbidden)}:\n" + "\n".join(offenders)
