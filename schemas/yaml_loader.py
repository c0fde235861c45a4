"""Read a YAML record into plain values, remembering where each key stands.

PyYAML's own loaders coerce silently (``no`` becomes ``False``, ``1.10`` becomes ``1.1``),
keep the last of two equal keys and forget line numbers. This loader composes the node tree
with the C parser, then builds values itself:

- ``true``/``false`` are the only booleans; ``yes``, ``no``, ``on``, ``off`` stay text;
- dates stay text (``2025-07-23``), for :class:`schemas.dates.PartialDate` to read;
- a key written twice, a non-text key, an anchor or alias, or a custom tag is an error;
- every mapping key and sequence item gets a (line, column) mark, 1-based;
- lists, nesting and integers are bounded (``schemas/limits.py``), and sexagesimal numbers
  (``1:30``, which YAML 1.1 reads as 90) are refused, so no document costs much to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from schemas.limits import MAX_INTEGER_DIGITS, MAX_LIST_ITEMS, MAX_NESTING

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_CONSTRUCT = yaml.constructor.SafeConstructor()

Path = tuple[str | int, ...]
Mark = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")


class YamlProblem(Exception):
    """A YAML document that cannot be read, with the 1-based position of the problem."""

    def __init__(self, message: str, line: int, column: int, field: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.field = field


@dataclass
class Document:
    """A loaded YAML document: its values and the position of every key and item."""

    data: Any
    marks: dict[Path, Mark]

    def mark(self, path: Path) -> Mark:
        """Position of the deepest part of ``path`` that exists in the document."""
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return found
        return (1, 1)


def _position(node: Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self) -> None:
        self.marks: dict[Path, Mark] = {}
        self.seen: set[int] = set()

    def build(self, node: Node, path: Path) -> Any:
        if id(node) in self.seen:
            raise YamlProblem("anchors and aliases are not allowed in records", *_position(node))
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if len(path) >= MAX_NESTING:
            raise YamlProblem(
                f"lists and mappings nested more than {MAX_NESTING} deep", *_position(node)
            )
        if isinstance(node, SequenceNode):
            self.expect_tag(node, _SEQ)
            if len(node.value) > MAX_LIST_ITEMS:
                raise YamlProblem(
                    f"a list of {len(node.value):,} items; at most {MAX_LIST_ITEMS}",
                    *_position(node),
                    field=path,
                )
            items = []
            for index, item in enumerate(node.value):
                self.marks[(*path, index)] = _position(item)
                items.append(self.build(item, (*path, index)))
            return items
        if isinstance(node, MappingNode):
            self.expect_tag(node, _MAP)
            return self.mapping(node, path)
        raise YamlProblem("unsupported YAML node", *_position(node))  # pragma: no cover

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        if len(node.value) > MAX_LIST_ITEMS:
            raise YamlProblem(
                f"a mapping of {len(node.value):,} keys; at most {MAX_LIST_ITEMS}",
                *_position(node),
                field=path,
            )
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    "merge keys (<<) are not allowed in records", *_position(key_node)
                )
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem("a key must be text, not a list or mapping", *_position(key_node))
            if key_node.tag != _STR:
                raise YamlProblem(f"key {key_node.value!r} must be text", *_position(key_node))
            key = key_node.value
            where = _position(key_node)
            if key in first_seen:
                line, _ = first_seen[key]
                raise YamlProblem(
                    f"duplicate key {key!r} (first written on line {line})",
                    *where,
                    field=(*path, key),
                )
            first_seen[key] = where
            self.marks[(*path, key)] = where
            result[key] = self.build(value_node, (*path, key))
        return result

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            return node.value
        if tag == _BOOL:
            # YAML 1.1 reads yes/no/on/off as booleans; only true/false are, here.
            if node.value in ("true", "false"):
                return node.value == "true"
            return node.value
        if tag in (_INT, _FLOAT):
            if _SEXAGESIMAL.fullmatch(node.value):
                raise YamlProblem(
                    f"{node.value!r} reads as a sexagesimal number; quote it if it is text",
                    *_position(node),
                )
            digits = sum(char.isdigit() for char in node.value)
            if digits > MAX_INTEGER_DIGITS:
                raise YamlProblem(
                    f"a number of {digits:,} digits; at most {MAX_INTEGER_DIGITS}",
                    *_position(node),
                )
            if tag == _INT:
                return _CONSTRUCT.construct_yaml_int(node)
            return _CONSTRUCT.construct_yaml_float(node)
        if tag == _NULL:
            return None
        raise YamlProblem(f"YAML tag {tag!r} is not allowed in records", *_position(node))

    @staticmethod
    def expect_tag(node: Node, tag: str) -> None:
        if node.tag != tag:
            raise YamlProblem(f"YAML tag {node.tag!r} is not allowed in records", *_position(node))


def load_yaml(text: str) -> Document:
    """Parse one YAML document into plain values and marks; raise :class:`YamlProblem`."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlProblem(f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", 1, 1) from None
    if node is None:
        raise YamlProblem("the file is empty", 1, 1)
    builder = _Builder()
    builder.marks[()] = _position(node)
    data = builder.build(node, ())
    return Document(data, builder.marks)
