"""Baseline files: the findings a team accepted and the facts seen then, kept beside each journey.

`spring-sale.yaml` has its baseline in `spring-sale.baseline.yaml` (reviewable in a pull request:
plain YAML, stable ordering, no screenshots). `read_baseline` reports a broken or hand-edited file
as `file:line: path: what (fix)`; `render_baseline` writes the same value back byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

import yaml
from pydantic import ValidationError

from onevoice.errors import LoadError
from onevoice.findings import Finding, Matrix
from onevoice.model import AcceptedFinding, Baseline
from onevoice.yamlsource import YamlSyntaxError, item_path, key_path, load_yaml, nearest_line

BASELINE_SUFFIX = ".baseline"
Facts = dict[str, dict[str, dict[str, str]]]  # matrix id -> row -> touchpoint -> value
REWRITE_HINT = "fix it, or delete the file and run `onevoice approve` again"


@dataclass(frozen=True)
class BaselineProblem:
    line: int | None
    path: str  # dotted YAML path; "" for the whole file
    message: str


class BaselineError(LoadError):
    """A baseline file that cannot be read, with every problem found in it."""

    def __init__(self, file: str, problems: Iterable[BaselineProblem]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__("\n".join(_located(file, problem) for problem in self.problems))


def _located(file: str, problem: BaselineProblem) -> str:
    where = f"{file}:{problem.line}" if problem.line else file
    return f"{where}: {problem.path}: {problem.message}" if problem.path else f"{where}: {problem.message}"


def baseline_path(journey: PurePath) -> PurePath:
    """`journeys/spring-sale.yaml` -> `journeys/spring-sale.baseline.yaml` (same kind of path)."""
    return journey.with_name(journey.stem + BASELINE_SUFFIX + journey.suffix)


def is_baseline_file(path: PurePath) -> bool:
    return PurePath(path.stem).suffix == BASELINE_SUFFIX


def finding_id(journey: str, finding: Finding | AcceptedFinding) -> str:
    """A short stable id of a finding's identity (journey slug, rule, touchpoints, subject)."""
    return hashlib.sha256("\0".join((journey, *identity(finding))).encode("utf-8")).hexdigest()[:10]


def identity(finding: Finding | AcceptedFinding) -> tuple[str, str, str]:
    """What matches a finding with a baseline entry of the same journey: rule, touchpoints, subject."""
    return (finding.rule, ",".join(sorted(finding.touchpoints)), finding.subject)


def as_finding(entry: AcceptedFinding, state: str) -> Finding:
    """A baseline entry as a finding in `state` (a fixed one is reported from the baseline)."""
    return Finding(**entry.model_dump(), state=state)


def accepted(finding: Finding) -> AcceptedFinding:
    """A new finding as a baseline keeps it: its identity and message (touchpoints sorted)."""
    kept = finding.model_dump(include={"check", "rule", "severity", "subject", "message"})
    return AcceptedFinding(**kept, touchpoints=tuple(sorted(finding.touchpoints)))


def cell_fact(status: str, value: str | None) -> str:
    """What a fact-table cell says, as a baseline keeps it: its value, or `(status)` when it has none."""
    return value if value is not None else f"({status})"


def facts_of(matrices: Iterable[Matrix]) -> Facts:
    """The facts of a run's fact tables, sorted by matrix, row and touchpoint."""
    facts: Facts = {}
    for matrix in sorted(matrices, key=lambda m: m.id):
        rows = {
            row: {tp: cell_fact(cell.status, cell.value) for tp, cell in sorted(matrix.cells[row].items())}
            for row in sorted(matrix.cells)
        }
        facts[matrix.id] = {row: cells for row, cells in rows.items() if cells}
    return facts


# ---------------------------------------------------------------- reading


def read_baseline(path: Path, file: str | None = None) -> Baseline:
    """The baseline in `path` (shown as `file`); raises BaselineError naming each problem's line."""
    file = file or str(path)
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as error:
        raise BaselineError(file, [BaselineProblem(error.line, "", f"{error.problem} ({REWRITE_HINT})")]) from error
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(file, [BaselineProblem(None, "", f"cannot read the baseline: {error}")]) from error
    problems = [
        BaselineProblem(duplicate.line, duplicate.path, f"key given twice (first at line {duplicate.first_line}); {REWRITE_HINT}")
        for duplicate in document.duplicate_keys
    ]
    if not isinstance(document.data, dict):
        found = "nothing" if document.data is None else f"a {type(document.data).__name__}"
        problems.append(BaselineProblem(1, "", f"a baseline is a mapping with journey, findings and facts; this file holds {found} ({REWRITE_HINT})"))
        raise BaselineError(file, problems)
    try:
        baseline = Baseline.model_validate(document.data)
    except ValidationError as error:
        for raw in error.errors():
            dotted = _dotted(raw["loc"])
            problems.append(BaselineProblem(nearest_line(document.lines, dotted), dotted, f"{_what(raw)} ({REWRITE_HINT})"))
        raise BaselineError(file, sorted(problems, key=lambda p: p.line or 0)) from error
    if problems:
        raise BaselineError(file, problems)
    return baseline


def _dotted(loc: Iterable[str | int]) -> str:
    dotted = ""
    for part in loc:
        if isinstance(part, int):
            dotted = item_path(dotted, part)
        elif not part.startswith("[") and part != "[key]":
            dotted = key_path(dotted, part)
    return dotted


def _what(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required key missing"
    if kind == "extra_forbidden":
        return "unknown key"
    given = repr(error.get("input"))
    return f"{error['msg'].lower()}, got {given if len(given) <= 60 else given[:57] + '...'}"


# ---------------------------------------------------------------- writing


def render_baseline(baseline: Baseline, journey_file: str) -> str:
    """The baseline as YAML with a stable order: findings by identity, facts by matrix, row, touchpoint."""
    entries = sorted(baseline.findings, key=lambda e: (e.rule, e.touchpoints, e.subject))
    data = {
        "journey": baseline.journey,
        "findings": [entry.model_dump(exclude_none=True) | {"touchpoints": list(entry.touchpoints)} for entry in entries],
        "facts": {
            matrix: {row: dict(sorted(cells.items())) for row, cells in sorted(rows.items())}
            for matrix, rows in sorted(baseline.facts.items())
        },
    }
    header = (
        f"# The onevoice baseline of {PurePath(journey_file).name}: its accepted findings and the facts seen then.\n"
        "# Written by `onevoice approve` and `onevoice review`; a finding here is reported as accepted, not failed.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)
