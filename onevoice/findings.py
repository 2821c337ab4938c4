"""What checks produce: findings (docs/outputs.md, docs/rules.md) and the fact tables the report draws;
a finding's identity (what a baseline matches it by) and a fact that changed since the baseline."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from onevoice.colors import Color
from onevoice.facts import Box
from onevoice.model import AcceptedFinding, Severity

State = Literal["new", "accepted", "fixed"]
CellStatus = Literal["ok", "reworded", "missing", "other", "broken", "hidden", "error", "info"]


class Evidence(BaseModel):
    """Where a reviewer should look: a touchpoint, and an element on it when there is one."""

    model_config = ConfigDict(frozen=True)

    touchpoint: str
    selector: str | None = None
    box: Box | None = None
    text: str | None = None  # what was found there, for the report's caption
    from_image: bool = False  # the text was read from an image (OCR), not from the document
    color: Color | None = None  # the colour the element shows, when the finding is about its colour


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
    group: str | None = None  # shared by the records of one cause: same rule, same subject (docs/rules.md)


def identity(finding: Finding | AcceptedFinding) -> tuple[str, str, str]:
    """What matches a finding with a baseline entry of the same journey: rule, touchpoints, subject."""
    return (finding.rule, ",".join(sorted(finding.touchpoints)), finding.subject)


def finding_id(journey: str, finding: Finding | AcceptedFinding) -> str:
    """A short stable id of a finding's identity (journey slug, rule, touchpoints, subject)."""
    return _short_id(journey, *identity(finding))


def group_id(journey: str, rule: str, subject: str) -> str:
    """A short stable id of one cause in a journey: its rule and subject."""
    return _short_id(journey, rule, subject)


def _short_id(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:10]


def per_touchpoint(findings: Iterable[Finding], journey: str) -> tuple[Finding, ...]:
    """One record per touchpoint a finding names, each carrying the group of its rule and subject.

    Baselines and `allow` then match touchpoint by touchpoint: a touchpoint that newly joins a
    cause is new while the others stay accepted.
    """
    return tuple(
        finding.model_copy(
            update={"touchpoints": (touchpoint,), "group": group_id(journey, finding.rule, finding.subject)}
        )
        for finding in findings
        for touchpoint in finding.touchpoints or ("",)
    )


def one_per_cause(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The items a reviewer reads: the records of one group in one state merged into one finding.

    The merged finding names every touchpoint, keeps every piece of evidence, and says how many
    touchpoints share the cause; a group of one record is that record.
    """
    merged: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        merged.setdefault((finding.group or str(id(finding)), finding.state), []).append(finding)
    return tuple(_merged(records) if len(records) > 1 else records[0] for records in merged.values())


def _merged(records: list[Finding]) -> Finding:
    first = records[0]
    touchpoints = tuple(dict.fromkeys(tp for record in records for tp in record.touchpoints))
    return first.model_copy(
        update={
            "touchpoints": touchpoints,
            "severity": "error" if any(r.severity == "error" for r in records) else first.severity,
            "message": f"{first.rule} '{first.subject}' on {len(touchpoints)} touchpoints "
            f"({', '.join(touchpoints)}); on {touchpoints[0]}: {first.message}",
            "actual": first.actual if all(r.actual == first.actual for r in records) else {
                tp: r.actual for r in records for tp in r.touchpoints
            },
            "evidence": tuple(dict.fromkeys(item for record in records for item in record.evidence)),
        }
    )


class Cell(BaseModel):
    """One touchpoint's entry in a fact table."""

    model_config = ConfigDict(frozen=True)

    status: CellStatus
    value: str | None = None  # the text, account, colour ... found on the touchpoint
    detail: str | None = None  # e.g. a distance, or the reworded text
    image: str | None = None  # a crop to show (relative to the artifact folder)
    swatch: Color | None = None  # the colour the cell is about, drawn beside its value


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


class FactChange(BaseModel):
    """A fact-table cell that differs from the baseline: the tagline on mobile, an account, a logo hash."""

    model_config = ConfigDict(frozen=True)

    matrix: str  # the fact table's id, e.g. "social"
    row: str  # e.g. "instagram"
    touchpoint: str
    before: str | None  # None: the baseline had no such cell
    after: str | None  # None: this run has no such cell


class CheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    findings: tuple[Finding, ...] = ()
    matrices: tuple[Matrix, ...] = ()
