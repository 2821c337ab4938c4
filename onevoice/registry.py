"""The check plugin interface and the registry that finds checks through entry points.

A check family is a class registered in the entry-point group `onevoice.checks`:

    [project.entry-points."onevoice.checks"]
    messaging = "checks.messaging:MessagingCheck"

It has a `name`, the `rules` it can raise (rule id -> when), an `Options` pydantic
model for its mapping under `checks:` in a journey, and `run(context)`, a pure
function of the captures. Checks never touch the browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from onevoice.facts import Capture
from onevoice.errors import CheckLoadError
from onevoice.findings import CheckResult
from onevoice.model import Brand, Journey, Message

ENTRY_POINT_GROUP = "onevoice.checks"


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at."""

    journey: Journey
    brand: Brand | None
    messages: tuple[Message, ...]  # brand and journey messages merged by id
    captures: dict[str, Capture]  # touchpoint id -> capture, in journey order, failed ones included
    options: BaseModel = field(default_factory=NoOptions)
    artifacts: Path = Path(".")  # where capture paths (screenshots, crops) resolve

    def ok_captures(self) -> dict[str, Capture]:
        """The captures that succeeded: the only ones a check can judge."""
        return {tp: capture for tp, capture in self.captures.items() if capture.ok}


@runtime_checkable
class Check(Protocol):
    name: ClassVar[str]
    rules: ClassVar[dict[str, str]]
    Options: ClassVar[type[BaseModel]]

    def run(self, context: CheckContext) -> CheckResult: ...


@lru_cache(maxsize=1)
def registered_checks() -> dict[str, type[Check]]:
    """Every check family installed, by name, in a stable order."""
    found: dict[str, type[Check]] = {}
    origin: dict[str, str] = {}  # check name -> the entry point that registered it
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            check = entry.load()
        except Exception as exc:  # a broken third-party plugin must say which one it is
            raise CheckLoadError(f"check plugin '{entry.name}' ({entry.value}) failed to load: {exc}") from exc
        for attribute in ("name", "rules", "Options", "run"):
            if not hasattr(check, attribute):
                raise CheckLoadError(f"check plugin '{entry.name}' ({entry.value}) has no '{attribute}'")
        if check.name in found and found[check.name] is not check:
            raise CheckLoadError(
                f"two check plugins are named '{check.name}': {origin[check.name]} and {entry.value}; "
                "uninstall one, or rename its check"
            )
        found[check.name] = check
        origin[check.name] = entry.value
    return found
