"""YAML front matter, read within limits (PyYAML's safe loader, bounded).

PyYAML composes nested lists and mappings by recursion (a few KB of ``[`` raise RecursionError),
expands aliases (``*a``) to shared objects that validation then walks once per use (a few lines
of anchors make billions), converts an integer of any length (past 4,300 digits Python refuses
with a ValueError) and keeps the last of two equal keys. :func:`load` refuses each with a YAML
error saying what and on which line. Imported by :mod:`kabar.authoring` only (PublishFunction).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode

from kabar.strictjson import MAX_NUMBER


class _Loader(yaml.SafeLoader):
    max_depth = 8
    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            problem = f"an alias (*{event.anchor}) is not read in front matter: write the value out"
            raise ComposerError(None, None, problem, mark)
        self.depth += 1
        try:
            if self.depth > self.max_depth:
                raise ComposerError(None, None, f"nests deeper than {self.max_depth} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """A value PyYAML's constructors fail on with a Python error (``2026-02-31``, ``!!int abc``)
        is a YAML error on its line, like any other."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, ArithmeticError, AttributeError, TypeError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            shown = node.value if isinstance(node, ScalarNode) else f"this {kind}"
            why = f": {exc}" if isinstance(exc, ValueError | ArithmeticError) else ""
            problem = f"{str(shown)[:40]!r} is not a valid {kind}{why}"
            raise ConstructorError(None, None, problem, node.start_mark) from exc

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value in seen:
                    problem = f"the key {key_node.value!r} appears twice"
                    raise ConstructorError(None, None, problem, key_node.start_mark)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _bounded(construct: Any) -> Any:
    def number(loader: yaml.SafeLoader, node: ScalarNode) -> Any:
        if len(node.value) > MAX_NUMBER:
            problem = (
                f"a number of {len(node.value)} characters (at most {MAX_NUMBER}); quote it if it is text"
            )
            raise ConstructorError(None, None, problem, node.start_mark)
        return construct(loader, node)

    return number


_Loader.add_constructor("tag:yaml.org,2002:int", _bounded(yaml.SafeLoader.construct_yaml_int))
_Loader.add_constructor("tag:yaml.org,2002:float", _bounded(yaml.SafeLoader.construct_yaml_float))


def load(text: str, *, max_depth: int = 8) -> Any:
    """The YAML document in ``text``; a ``yaml.YAMLError`` naming the problem and its line."""
    loader = _Loader(text)
    loader.max_depth = max_depth
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
