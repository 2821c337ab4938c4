"""Problems of input files as `file:line: path: what (fix)`, and pydantic's errors said that way.

Journey files, brand profiles and baselines report what is wrong with them as `LoadProblem`s,
raised together in a `ProblemsError`; `read_mapping` reads one such file and says what stops it
being read. `explain(error, data, model)` turns a pydantic
ValidationError of `data` into (dotted YAML path, what) pairs in the user's words: "unknown key
(did you mean 'rule'?)", "expected a mapping, got 'x'", the union members pydantic tried
collapsed into one line. The caller places each at its line (yamlsource.nearest_line) and adds
its own fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from onevoice.colors import HEX_COLOR
from onevoice.errors import LoadError
from onevoice.model import TOUCHPOINT_ID
from onevoice.yamlsource import YamlDocument, YamlSyntaxError, item_path, key_path, load_yaml


@dataclass(frozen=True)
class LoadProblem:
    """One thing wrong with a journey, brand profile or baseline file, where it is, and how to fix it."""

    file: str  # as given on the command line (or relative to it, for a brand profile or baseline)
    line: int | None
    path: str  # dotted YAML path, e.g. touchpoints[2].device; "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ProblemsError(LoadError):
    """A file (with the files it names) that cannot be loaded, with every problem found in it."""

    def __init__(self, problems: Sequence[LoadProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = tuple(problems)


def read_mapping(path: Path, file: str, expected: str) -> tuple[YamlDocument | None, list[LoadProblem]]:
    """The YAML document in `path` (shown as `file`) and the problems of reading it: unreadable, a
    syntax error, keys given twice, or not a mapping (`expected` says what the file must be, as
    "a journey is a YAML mapping of keys"). The document is None when it holds no mapping to use."""
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as error:
        return None, [LoadProblem(file, error.line, "", f"{error.problem} (column {error.column})")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [LoadProblem(file, None, "", f"cannot read the file: {error}")]
    problems = [
        LoadProblem(file, twice.line, twice.path, f"key given twice (first at line {twice.first_line}); the last one would silently win")
        for twice in document.duplicate_keys
    ]
    if not isinstance(document.data, dict):
        found = "nothing" if document.data is None else f"a {type(document.data).__name__}"
        return None, [*problems, LoadProblem(file, 1, "", f"{expected}; this file holds {found}")]
    return document, problems


def suggestion(given: object, choices: Iterable[str], what: str = "") -> str:
    """` (did you mean 'x'?)`, or the choices when few and none is close."""
    choices = sorted(set(choices))
    by_folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(str(given).casefold(), list(by_folded), n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{by_folded[close[0]]}'?)"
    if choices and len(choices) <= 12:
        return f" ({what or 'one of'}: {', '.join(choices)})"
    return ""


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------- pydantic errors

_KIND_OF_TYPE_ERROR = {
    "string_type": "a string",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dict_type": "a mapping",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "tuple_type": "a list",
    "list_type": "a list",
}
_PATTERN_MEANING = {
    TOUCHPOINT_ID: "an id uses only lowercase letters, digits and '-'",
    HEX_COLOR: "a colour is written #RRGGBB or #RGB",
}
_KEY = "[key]"  # pydantic's last `loc` part when a mapping's key (not its value) is invalid


@dataclass(frozen=True)
class _Error:
    path: tuple[Any, ...]  # keys and indexes through the data, union member names left out
    dotted: str  # the same path as yamlsource writes it
    union_site: tuple[Any, ...] | None  # where a union member was tried, if any
    kind: str
    message: str


def _data_path(loc: tuple[str | int, ...], data: Any, kind: str) -> tuple[tuple[Any, ...], str, tuple | None]:
    """Split pydantic's `loc` into the path through the data (also dotted) and the site of a union, if one was tried."""
    path: list[Any] = []
    dotted = ""
    site = None
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict) and part in node or (last and kind == "missing" and isinstance(node, dict)):
            path.append(part)
            dotted = key_path(dotted, part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            dotted = item_path(dotted, part)
            node = node[part]
        elif part == _KEY:
            break  # the key just walked is the one at fault
        elif site is None:  # a union member's name, e.g. 'str' or 'Viewport'
            site = tuple(path)
    return tuple(path), dotted, site


def _annotation_step(annotation: Any, part: str | int) -> Any:
    """The type found at `part` inside `annotation` (a model, union, tuple or dict), or None."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        members = get_args(annotation)
        named = [member for member in members if getattr(member, "__name__", None) == part]
        if named:  # pydantic names the union member it tried
            return named[0]
        for member in members:
            found = _annotation_step(member, part)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    if origin in (tuple, list) and isinstance(part, int):
        return get_args(annotation)[0]
    if origin is dict and isinstance(part, str):
        return get_args(annotation)[1]
    return None


def _keys_allowed_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys the mapping at `loc` (pydantic's, union members included) may hold."""
    annotation: Any = model
    for part in loc:
        annotation = _annotation_step(annotation, part)
    if get_origin(annotation) in (Union, UnionType):
        annotation = next((m for m in get_args(annotation) if isinstance(m, type) and issubclass(m, BaseModel)), None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [info.alias or name for name, info in annotation.model_fields.items()]
    return []


def _describe(error: dict, model: type[BaseModel]) -> str:
    kind, given, context = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "required key missing"
    if kind == "extra_forbidden":
        return "unknown key" + suggestion(error["loc"][-1], _keys_allowed_at(model, error["loc"][:-1]), "allowed")
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind == "string_pattern_mismatch":
        pattern = context.get("pattern", "")
        return f"{_short(given)}: " + _PATTERN_MEANING.get(pattern, f"should match {pattern}")
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        return f"{_short(given)} is not allowed" + suggestion(given, allowed, "use one of")
    if kind in _KIND_OF_TYPE_ERROR:
        return f"expected {_KIND_OF_TYPE_ERROR[kind]}, got {_short(given)}"
    return str(error["msg"])


def explain(error: ValidationError, data: Any, model: type[BaseModel]) -> list[tuple[str, str]]:
    """(dotted path, what is wrong) for each error of validating `data` as `model`, the union
    members tried and rejected collapsed into one."""
    errors = []
    for raw in error.errors():
        path, dotted, site = _data_path(tuple(raw["loc"]), data, raw["type"])
        errors.append(_Error(path, dotted, site, raw["type"], _describe(raw, model)))
    kept: list[_Error] = []
    collapsed_sites: set[tuple] = set()
    for current in errors:
        if current.kind in ("too_short", "too_long") and any(_inside(other.path, current.path) for other in errors):
            continue  # a list whose items failed: the items say why
        if _rejects_shape(current):
            members = [other for other in errors if other.union_site == current.union_site]
            if not all(_rejects_shape(other) for other in members):
                continue  # a member of the union accepted the shape: its errors are the real ones
            if current.union_site in collapsed_sites:
                continue
            collapsed_sites.add(current.union_site)
            shapes = " or ".join(dict.fromkeys(_KIND_OF_TYPE_ERROR[other.kind] for other in members))
            current = replace(current, message=f"expected {shapes}, got {_short(_at(data, current.path))}")
        kept.append(current)
    return [(error.dotted, error.message) for error in kept]


def _inside(path: tuple[Any, ...], outer: tuple[Any, ...]) -> bool:
    return len(path) > len(outer) and path[: len(outer)] == outer


def _rejects_shape(error: _Error) -> bool:
    """A union member that refused the input's type (a string where a mapping was given, ...)."""
    return error.union_site is not None and error.path == error.union_site and error.kind in _KIND_OF_TYPE_ERROR


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data
