"""The results of a run, as the reports see them (docs/outputs.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from onevoice.facts import Capture
from onevoice.errors import EXIT_CAPTURE_ERROR, EXIT_LOAD_ERROR, EXIT_NEW_FINDINGS
from onevoice.findings import FactChange, Finding, Matrix, one_per_cause
from onevoice.model import Brand
from onevoice.shard import ShardInfo
from onevoice.trends import JourneyHistory

JourneyStatus = Literal["passed", "failed", "error"]


class JourneyResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    file: str  # as given on the command line
    slug: str  # its folder under screens/
    tags: tuple[str, ...] = ()
    brand: Brand | None = None
    brand_logos: tuple[str, ...] = ()  # reference logos copied beside the report (relative paths)
    captures: tuple[Capture, ...] = ()
    findings: tuple[Finding, ...] = ()
    matrices: tuple[Matrix, ...] = ()
    check_errors: dict[str, str] = {}  # check name -> what went wrong inside it
    checks: tuple[str, ...] = ()  # the check families that ran, in order (junit lists each)
    baseline: str | None = None  # the baseline file compared with (shown as the journey's file is), if any
    changes: tuple[FactChange, ...] = ()  # facts that differ from the baseline
    seconds: float = 0.0
    history: JourneyHistory | None = None  # its trend and finding labels, when the run was recorded

    @property
    def items(self) -> tuple[Finding, ...]:
        """The findings as reviewers count them: one per cause and state (`one_per_cause`)."""
        return one_per_cause(self.findings)

    @property
    def new_errors(self) -> tuple[Finding, ...]:
        """The new error-severity items, one per cause: what fails the journey."""
        return tuple(f for f in self.items if f.state == "new" and f.severity == "error")

    @property
    def failed_captures(self) -> tuple[Capture, ...]:
        return tuple(c for c in self.captures if not c.ok)

    @property
    def status(self) -> JourneyStatus:
        if self.new_errors:
            return "failed"
        if self.failed_captures or self.check_errors:
            return "error"
        return "passed"


class RunResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    started: datetime
    seconds: float = 0.0
    journeys: tuple[JourneyResult, ...] = ()
    shard: ShardInfo | None = None  # set when this run is one part of a sharded suite
    problems: tuple[str, ...] = ()  # why journey files did not load (they did not run)

    @property
    def exit_code(self) -> int:
        """docs/commands.md: 2 a journey file did not load, 1 a new error finding, 3 a touchpoint
        not captured, else 0."""
        if self.problems:
            return EXIT_LOAD_ERROR
        if any(j.status == "failed" for j in self.journeys):
            return EXIT_NEW_FINDINGS
        if any(j.status == "error" for j in self.journeys):
            return EXIT_CAPTURE_ERROR
        return 0
