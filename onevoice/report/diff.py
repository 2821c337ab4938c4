"""A word-level diff of a declared text and the text found, for the report's <ins>/<del> marks."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Literal

DiffKind = Literal["same", "del", "ins"]
DiffPart = tuple[DiffKind, str]


def word_diff(expected: str, found: str) -> tuple[DiffPart, ...]:
    """The words of `expected` and `found` as runs kept, deleted (only expected) and inserted (only found)."""
    old, new = expected.split(), found.split()
    parts: list[DiffPart] = []
    for operation, old_start, old_end, new_start, new_end in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if operation == "equal":
            parts.append(("same", " ".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            parts.append(("del", " ".join(old[old_start:old_end])))
        if new_end > new_start:
            parts.append(("ins", " ".join(new[new_start:new_end])))
    return tuple(parts)


def shared_word_diff(expected: str, found: str) -> tuple[DiffPart, ...]:
    """`word_diff` when the texts share a word, else () (a diff of two unrelated values only adds noise)."""
    parts = word_diff(expected, found)
    return parts if any(kind == "same" for kind, _ in parts) else ()
