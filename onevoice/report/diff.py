"""A word-level diff of a declared text and the text found, for the report's <ins>/<del> marks.

Words are aligned on their normalised form (case, typographic quotes and the punctuation at
their edges folded, as messages are compared), so "filled," and "Filled" are the same word;
the parts show the original words, those of the found text where both agree.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Literal

from onevoice.textmatch import normalize, words

DiffKind = Literal["same", "del", "ins"]
DiffPart = tuple[DiffKind, str]


def comparison_key(word: str) -> str:
    """The form a word is aligned on: its normalised words, or the normalised word itself when it is all punctuation."""
    return " ".join(words(word)) or normalize(word)


def word_diff(expected: str, found: str) -> tuple[DiffPart, ...]:
    """The words of `expected` and `found` as runs kept, deleted (only expected) and inserted (only found)."""
    old, new = expected.split(), found.split()
    matcher = SequenceMatcher(a=[comparison_key(w) for w in old], b=[comparison_key(w) for w in new], autojunk=False)
    parts: list[DiffPart] = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append(("same", " ".join(new[new_start:new_end])))
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
