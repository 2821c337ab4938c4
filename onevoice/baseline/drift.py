"""A run against its baseline: which findings are new, accepted or fixed, and which facts changed.

Pure: findings and fact tables in, findings with their `state` and the changed facts out.
Only what this run could see is compared: a touchpoint that was not captured, or a check that
did not run, neither fixes a finding nor changes a fact.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from onevoice.baseline.store import as_finding, facts_of
from onevoice.findings import FactChange, Finding, Matrix, identity
from onevoice.model import Baseline


@dataclass(frozen=True)
class Drift:
    findings: tuple[Finding, ...]  # this run's, states set, then the fixed ones from the baseline
    changes: tuple[FactChange, ...]


def compare(
    findings: Iterable[Finding],
    matrices: Iterable[Matrix],
    baseline: Baseline,
    *,
    captured: Collection[str],
    checks_ran: Collection[str],
    source: str,
) -> Drift:
    """Mark findings in the baseline accepted (an `allow` reason already given wins), add the
    baseline's findings not seen again as fixed, and list the facts that changed.

    `captured`: the touchpoints captured in this run; `checks_ran`: the check families that ran
    without crashing; `source`: how to name the baseline file in a reason.
    """
    findings = tuple(findings)
    entries = {  # per touchpoint, as findings are recorded (an older baseline may name several in one entry)
        identity(single): single
        for entry in baseline.findings
        for single in (entry.model_copy(update={"touchpoints": (tp,)}) for tp in entry.touchpoints)
    }
    marked = []
    for finding in findings:
        entry = entries.get(identity(finding))
        if entry is not None and finding.state == "new":
            finding = finding.model_copy(update={"state": "accepted", "reason": entry.reason or f"in the baseline {source}"})
        marked.append(finding)
    seen = {identity(finding) for finding in findings}
    fixed = tuple(
        as_finding(entry, "fixed")
        for key, entry in entries.items()
        if key not in seen and entry.check in checks_ran and set(entry.touchpoints) <= set(captured)
    )
    return Drift((*marked, *fixed), fact_changes(baseline.facts, facts_of(matrices), captured))


def fact_changes(before: dict, after: dict, captured: Collection[str]) -> tuple[FactChange, ...]:
    """Cells that differ, in the fact tables both sides have, for touchpoints the baseline knows
    and this run captured (a touchpoint or a check added since the baseline is not a change)."""
    changes = []
    for matrix in sorted(before.keys() & after.keys()):
        old, new = before[matrix], after[matrix]
        known = {tp for cells in old.values() for tp in cells} & set(captured)
        for row in sorted(old.keys() | new.keys()):
            for touchpoint in sorted(known):
                was, now = old.get(row, {}).get(touchpoint), new.get(row, {}).get(touchpoint)
                if was != now:
                    changes.append(FactChange(matrix=matrix, row=row, touchpoint=touchpoint, before=was, after=now))
    return tuple(changes)
