"""Baseline files: the findings a team accepted and the facts seen then, kept beside each journey.

`spring-sale.yaml` has its baseline in `spring-sale.baseline.yaml` (reviewable in a pull request:
plain YAML, stable ordering, no screenshots). `read_baseline` reports a broken or hand-edited file
as `file:line: path: what (fix)`; `render_baseline` writes the same value back byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePath

import yaml
from pydantic import ValidationError

from onevoice.findings import Finding, Matrix
from onevoice.model import AcceptedFinding, Baseline
from onevoice.problems import LoadProblem, ProblemsError, explain, read_mapping
from onevoice.yamlsource import nearest_line

BASELINE_SUFFIX = ".baseline"
Facts = dict[str, dict[str, dict[str, str]]]  # matrix id -> row -> touchpoint -> value
REWRITE_HINT = "fix it, or delete the file and run `onevoice approve` again"


class BaselineError(ProblemsError):
    """A baseline file that cannot be read, with every problem found in it."""


def baseline_path(journey: PurePath) -> PurePath:
    """`journeys/spring-sale.yaml` -> `journeys/spring-sale.baseline.yaml` (same kind of path)."""
    return journey.with_name(journey.stem + BASELINE_SUFFIX + journey.suffix)


def is_baseline_file(path: PurePath) -> bool:
    return PurePath(path.stem).suffix == BASELINE_SUFFIX


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
    document, problems = read_mapping(path, file, "a baseline is a mapping with journey, findings and facts")
    if document is not None:
        try:
            baseline = Baseline.model_validate(document.data)
        except ValidationError as error:
            problems += [
                LoadProblem(file, nearest_line(document.lines, where), where, what)
                for where, what in explain(error, document.data, Baseline)
            ]
    if problems:
        hinted = (replace(problem, message=f"{problem.message} ({REWRITE_HINT})") for problem in problems)
        raise BaselineError(sorted(hinted, key=lambda problem: problem.line or 0))
    return baseline


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
