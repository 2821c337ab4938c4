"""Judging a journey's captures: run every enabled check, mark allowed findings, compare with the baseline.

Pure apart from the checks reading capture images from `artifacts`: no browser here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from onevoice.baseline.store import baseline_path
from onevoice.facts import Capture
from onevoice.baseline.drift import compare
from onevoice.redact import Secrets
from onevoice.errors import unexpected
from onevoice.findings import FactChange, Finding, Matrix, per_touchpoint
from onevoice.model import Allow, LoadedJourney
from onevoice.registry import Check, CheckContext, registered_checks


@dataclass(frozen=True)
class Judgement:
    checks: tuple[str, ...]  # the check families that ran
    findings: tuple[Finding, ...]
    matrices: tuple[Matrix, ...]
    check_errors: dict[str, str]  # check name -> what went wrong inside it
    changes: tuple[FactChange, ...] = ()  # facts that differ from the baseline


def enabled_checks(journey: LoadedJourney, checks: dict[str, type[Check]]) -> dict[str, tuple[type[Check], dict]]:
    """The checks a journey runs, with their raw options: all registered unless set to false."""
    enabled = {}
    for name, check in checks.items():
        setting = journey.journey.checks.get(name, True)
        if setting is False:
            continue
        enabled[name] = (check, setting if isinstance(setting, dict) else {})
    return enabled


def judge(
    journey: LoadedJourney,
    captures: dict[str, Capture],
    artifacts: Path,
    checks: dict[str, type[Check]] | None = None,
) -> Judgement:
    """Findings and fact tables of every enabled check; a check that crashes is reported, not fatal.
    Findings become one record per touchpoint, grouped by cause (`per_touchpoint`). With a baseline,
    its findings are accepted, those gone are added as fixed, and changed facts listed."""
    findings: list[Finding] = []
    matrices: list[Matrix] = []
    errors: dict[str, str] = {}
    enabled = enabled_checks(journey, checks or registered_checks())
    for name, (check, options) in enabled.items():
        try:
            context = CheckContext(
                journey=journey.journey,
                brand=journey.brand,
                messages=journey.messages,
                captures=captures,
                options=check.Options.model_validate(options),
                artifacts=artifacts,
            )
            result = check().run(context)
            found, tables = list(result.findings), list(result.matrices)
        except Exception as exc:  # one broken check never loses the others' results
            errors[name] = unexpected(exc)
            continue
        findings.extend(found)
        matrices.extend(tables)
    findings = apply_allow(list(per_touchpoint(findings, journey.slug)), journey.journey.allow)
    if journey.baseline is None:
        return Judgement(tuple(enabled), tuple(findings), tuple(matrices), errors)
    # The baseline was written from outputs, where environment values show as ${VAR}: compare like with like.
    secrets = Secrets(journey.secrets)
    drift = compare(
        secrets.redact(findings),
        secrets.redact(matrices),
        journey.baseline,
        captured=[tp for tp, capture in captures.items() if capture.ok],
        checks_ran=set(enabled) - set(errors),
        source=baseline_path(Path(journey.file)).as_posix(),
    )
    return Judgement(tuple(enabled), per_touchpoint(drift.findings, journey.slug), tuple(matrices), errors, drift.changes)


def allows(entry: Allow, finding: Finding) -> bool:
    return (
        entry.rule == finding.rule
        and (entry.touchpoint is None or entry.touchpoint in finding.touchpoints)
        and (entry.subject is None or entry.subject == finding.subject)
    )


def apply_allow(findings: list[Finding], entries: tuple[Allow, ...]) -> list[Finding]:
    """Findings matched by an `allow` entry become accepted, with its reason."""
    marked = []
    for finding in findings:
        entry = next((e for e in entries if allows(e, finding)), None)
        if entry is not None:
            finding = finding.model_copy(update={"state": "accepted", "reason": entry.reason})
        marked.append(finding)
    return marked
