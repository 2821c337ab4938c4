"""YAML that remembers where things are: the line of every mapping key and sequence item.

`load_yaml(text)` returns the data as `yaml.safe_load` would, plus `lines`, keyed by dotted
paths such as `touchpoints[2].device`, so errors found later can name `file:line`. A file that
would exhaust the stack or memory (nesting deeper than MAX_DEPTH, an alias bomb expanding past
MAX_VALUES) is refused early with YamlLimitError, at the line where the limit was hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from onevoice.errors import LoadError

_DEFAULT_MAP = "tag:yaml.org,2002:map"
_DEFAULT_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class DuplicateKey:
    path: str
    line: int
    first_line: int


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    lines: dict[str, int]  # dotted path -> 1-based line; "" is the document itself
    duplicate_keys: tuple[DuplicateKey, ...] = ()


MAX_DEPTH = 100  # levels of nested mappings and lists; a journey needs fewer than ten
MAX_VALUES = 100_000  # values built from one file, each alias counted again for all it repeats


class YamlSyntaxError(LoadError):
    """Malformed YAML, at the parser's 1-based line and column."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.line = line
        self.column = column
        self.message = message

    @property
    def problem(self) -> str:
        return f"malformed YAML: {self.message}"


class YamlLimitError(YamlSyntaxError):
    """YAML that would take too much stack or memory to load (an alias bomb, absurd nesting): which limit, where."""

    @property
    def problem(self) -> str:
        return self.message


class _LimitExceeded(yaml.MarkedYAMLError):
    pass


def key_path(path: str, key: object) -> str:
    """`touchpoints[2]` + `device` -> `touchpoints[2].device`."""
    return f"{path}.{key}" if path else str(key)


def item_path(path: str, index: int) -> str:
    """`touchpoints` + 2 -> `touchpoints[2]`."""
    return f"{path}[{index}]"


def parent_path(path: str) -> str:
    """`touchpoints[2].device` -> `touchpoints[2]` -> `touchpoints` -> ``."""
    return re.sub(r"(\.?[^.\[\]]+|\[\d+\])$", "", path)


def nearest_line(lines: dict[str, int], path: str) -> int | None:
    """The line of `path`, or of its nearest enclosing key (the document's first line at worst)."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = parent_path(path)


_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep (mappings and lists, aliases included): onevoice reads no deeper"


class LineKeepingLoader(yaml.SafeLoader):
    """A SafeLoader that records, by dotted path, the line of each mapping key and sequence item."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[str, int] = {}
        self.duplicate_keys: list[DuplicateKey] = []
        self._open_nodes: set[int] = set()
        self._depth = 0
        self._values = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        """As SafeLoader composes, refusing nesting deeper than MAX_DEPTH before it exhausts the stack."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitExceeded(problem=_TOO_DEEP, problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _count(self, values: int, node: yaml.Node) -> None:
        self._values += values
        if self._values > MAX_VALUES:
            raise _LimitExceeded(
                problem=f"expands to more than {MAX_VALUES:,} values (each *alias repeats all that its &anchor "
                "holds, and aliases of aliases multiply): onevoice stops reading there; write the values out "
                "or use fewer aliases",
                problem_mark=node.start_mark,
            )

    def construct_at(self, node: yaml.Node, path: str) -> Any:
        if id(node) in self._open_nodes:
            raise yaml.constructor.ConstructorError(None, None, "found a recursive alias", node.start_mark)
        if len(self._open_nodes) >= MAX_DEPTH:  # aliases of aliases nest deeper than the text does
            raise _LimitExceeded(problem=_TOO_DEEP, problem_mark=node.start_mark)
        self._count(1, node)
        self._open_nodes.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode) and node.tag == _DEFAULT_MAP:
                return self._mapping_at(node, path)
            if isinstance(node, yaml.SequenceNode) and node.tag == _DEFAULT_SEQ:
                return self._sequence_at(node, path)
            return self.construct_object(node, deep=True)
        finally:
            self._open_nodes.discard(id(node))

    def _mapping_at(self, node: yaml.MappingNode, path: str) -> dict:
        written_here = {id(key_node) for key_node, _ in node.value}
        self.flatten_mapping(node)  # resolves `<<: *anchor` merge keys, as SafeLoader does
        result: dict = {}
        first_lines: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool, type(None))):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
                )
            child = key_path(path, key)
            line = key_node.start_mark.line + 1
            if id(key_node) in written_here:  # a key merged in from an anchor may be overridden
                if key in first_lines:
                    self.duplicate_keys.append(DuplicateKey(child, line, first_lines[key]))
                else:
                    first_lines[key] = line
            self.lines[child] = line
            result[key] = self.construct_at(value_node, child)
        return result

    def _sequence_at(self, node: yaml.SequenceNode, path: str) -> list:
        items = []
        for index, item_node in enumerate(node.value):
            child = item_path(path, index)
            self.lines[child] = item_node.start_mark.line + 1
            items.append(self.construct_at(item_node, child))
        return items


# YAML 1.2 booleans: only true/false. YAML 1.1 also reads on/off/yes/no as booleans, which would
# turn the key `on:` of a message into True; pydantic still accepts "yes"/"off" for a bool field.
LineKeepingLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LineKeepingLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> YamlDocument:
    """Parse one YAML document, keeping lines; raises YamlSyntaxError with the parser's position."""
    try:
        loader = LineKeepingLoader(text)
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        raise YamlSyntaxError(line, column, f"unacceptable character #x{error.character:04x}") from error
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {})
        loader.lines[""] = node.start_mark.line + 1
        data = loader.construct_at(node, "")
        return YamlDocument(data, dict(loader.lines), tuple(loader.duplicate_keys))
    except _LimitExceeded as error:
        mark = error.problem_mark
        raise YamlLimitError(mark.line + 1, mark.column + 1, error.problem) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = ", ".join(part for part in (error.context, error.problem) if part) or "malformed YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, column, message) from error
    finally:
        loader.dispose()
