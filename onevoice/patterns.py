"""Text patterns in journeys (`email.match`, `follow.link`): plain text, or a regular expression
written `/like this/`, always case-insensitive. A pattern that does not compile is a load error."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator


def is_regex(pattern: str) -> bool:
    """Whether `pattern` is written `/like this/`."""
    return len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/")


@lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern[str] | None:
    """The regular expression of a `/regex/` pattern (case-insensitive); None for plain text.

    Raises `re.error` when it does not compile."""
    return re.compile(pattern[1:-1], re.IGNORECASE) if is_regex(pattern) else None


def _valid(pattern: str) -> str:
    try:
        compiled(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern} is not a valid regular expression ({exc}); fix it, or drop the slashes to match the text") from None
    return pattern


TextPattern = Annotated[str, AfterValidator(_valid)]
"""A journey field holding a pattern: checked when the journey loads."""
