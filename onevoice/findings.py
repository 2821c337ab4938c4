"""What checks produce: findings (SPEC.md sections 5 and 6) and the fact tables the report draws."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from onevoice.facts import Box
from onevoice.model import Severity

State = Literal["new", "accepted", "fixed"]
CellStatus = Literal["ok", "reworded", "missing", "other", "broken", "hidden", "error", "info"]


class Evidence(BaseModel):
    """Where a reviewer should look: a touchpoint, and an element on it when there is one."""

    model_config = ConfigDict(frozen=True)

    touchpoint: str
    selector: str | None = None
    box: Box | None = None
    text: str | None = None  # what was found there, for the report's caption


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    check: str
    rule: str
    severity: Severity
    touchpoints: tuple[str, ...]  # the touchpoints that are wrong
    subject: str  # message id, platform, element: with journey, rule and touchpoint, the identity
    message: str  # for people; never part of the identity
    expected: Any = None
    actual: Any = None
    evidence: tuple[Evidence, ...] = ()
    state: State = "new"
    reason: str | None = None


class Cell(BaseModel):
    """One touchpoint's entry in a fact table."""

    model_config = ConfigDict(frozen=True)

    status: CellStatus
    value: str | None = None  # the text, account, colour ... found on the touchpoint
    detail: str | None = None  # e.g. a distance, or the reworded text
    image: str | None = None  # a crop to show (relative to the artifact folder)
    swatch: str | None = None  # a colour to show, #rrggbb


class Matrix(BaseModel):
    """A fact table: rows (messages, platforms, logo, colours) x touchpoints.

    The report draws every matrix; baselines remember cell values so that a changed
    fact is reported even when no rule fires.
    """

    model_config = ConfigDict(frozen=True)

    id: str  # stable, e.g. "messages", "claims", "social", "logo", "colors"
    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]  # touchpoint ids
    expected: dict[str, str | None] = {}  # row -> the declared value, when there is one
    cells: dict[str, dict[str, Cell]] = {}  # row -> touchpoint -> cell; absent: not applicable


class CheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    findings: tuple[Finding, ...] = ()
    matrices: tuple[Matrix, ...] = ()
