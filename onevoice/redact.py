"""Secrets stay out of outputs: values a journey took from the environment are shown as `${NAME}`.

The loader records which `${VAR}` expansions came from the environment (`Secrets`); whatever
onevoice hands to people or files (findings.json, junit.xml, the report, the console) passes
through `Secrets.redact` first. A value is also found percent-encoded, as it sits inside a URL
(`https://user:p%40ss@host/`) or a GET form's query (`?token=a+b`).

Not redacted: `RUN_ID` (a run's id, which onevoice makes), variables named in
`ONEVOICE_PUBLIC_VARS` (comma-separated, e.g. a staging URL the report should link), and values
shorter than `MIN_SECRET_LENGTH` (hiding them would hide every such string in the report).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

from pydantic import BaseModel

PUBLIC_VARS_VARIABLE = "ONEVOICE_PUBLIC_VARS"
ALWAYS_PUBLIC = frozenset({"RUN_ID"})
MIN_SECRET_LENGTH = 4

Model = TypeVar("Model", bound=BaseModel)


def public_names(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """The variables whose values may be shown: RUN_ID and those listed in ONEVOICE_PUBLIC_VARS."""
    listed = (os.environ if environ is None else environ).get(PUBLIC_VARS_VARIABLE, "")
    return ALWAYS_PUBLIC | {name.strip() for name in listed.split(",") if name.strip()}


def _spellings(value: str) -> set[str]:
    """`value` as written, and as URLs and form queries percent-encode it."""
    return {
        value,
        quote(value, safe=""),
        quote(value, safe="/"),
        quote(value, safe="!$&'()*+,;=:@/~"),  # what may stay as it is in a URL's user info and path
        quote_plus(value),
        quote_plus(value, safe="*"),  # browsers leave * unencoded in form data
    }


class Secrets:
    """Environment values to hide, each shown as the `${NAME}` it came from."""

    def __init__(self, values: Mapping[str, str] = ()) -> None:
        """`values`: variable name -> the value it had (only the ones to hide)."""
        replacements: dict[str, str] = {}
        for name, value in dict(values).items():
            for spelling in _spellings(value):
                replacements.setdefault(spelling, f"${{{name}}}")
        self.names = tuple(sorted(dict(values)))
        self._replacements = replacements
        # One pass, longest first: a value containing another is replaced whole, and a `${NAME}`
        # put in is never searched again (a secret "TOKEN" does not rewrite "${API_TOKEN}").
        spellings = sorted(replacements, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, spellings))) if spellings else None

    def __bool__(self) -> bool:
        return bool(self._replacements)

    def __repr__(self) -> str:  # never the values
        return f"Secrets({', '.join(self.names)})"

    def text(self, text: str) -> str:
        """`text` with every secret value replaced by its `${NAME}`."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda found: self._replacements[found.group()], text)

    def redact(self, value: Any) -> Any:
        """`value` (a string, a pydantic model, or lists/tuples/dicts of them) with secrets replaced."""
        if not self._replacements:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, BaseModel):
            return type(value).model_validate(self.redact(value.model_dump(mode="json")))
        if isinstance(value, dict):
            return {self.redact(key): self.redact(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.redact(item) for item in value)
        return value


def secrets_from(used: Mapping[str, str], public: frozenset[str]) -> dict[str, str]:
    """Of the variables a journey took from the environment (`used`: name -> value), those to hide
    (`public`: the names that may be shown, see `public_names`)."""
    return {name: value for name, value in used.items() if name not in public and len(value) >= MIN_SECRET_LENGTH}
