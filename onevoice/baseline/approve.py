"""Accepting a report's findings into the baseline files beside its journeys (`onevoice approve`,
and the Accept buttons of `onevoice review`, which call the same function).

Accepting a whole journey makes its baseline what the report saw: its new findings join, the
ones reported fixed leave, and its facts become the report's (a touchpoint that was not captured
keeps its old facts). Accepting single findings only adds them; the facts are recorded if the
baseline is new. The report's journey files are found as the run named them, so run this
where the run started.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from onevoice.baseline.store import (
    BaselineError,
    accepted,
    baseline_path,
    facts_of,
    read_baseline,
    render_baseline,
)
from onevoice.errors import LoadError
from onevoice.model import AcceptedFinding, Baseline
from onevoice.files import write_atomic
from onevoice.findings import finding_id, identity
from onevoice.report.findings_json import FindingRecord, FindingsDocument, FindingsError, JourneyRecord, read_findings
from onevoice.report.json_output import finding_from_entry


class ApprovalError(LoadError):
    """Nothing could be accepted: a missing report, an unknown finding, a broken baseline file."""


@dataclass(frozen=True)
class Approval:
    """What accepting did to one journey's baseline file."""

    journey: str
    baseline: Path
    added: int
    kept: int
    dropped: int  # fixed findings (or ones on touchpoints the journey no longer has) taken out

    def __str__(self) -> str:
        return (
            f"{self.baseline}: {self.added} finding(s) accepted, {self.kept} kept, {self.dropped} dropped"
            f" ({self.journey})"
        )


def read_report(report: Path) -> FindingsDocument:
    """The report's findings.json."""
    path = report / "findings.json"
    try:
        return read_findings(path)
    except FileNotFoundError:
        raise ApprovalError(f"{path}: no such file; run `onevoice run --report {report}` first") from None
    except FindingsError as error:
        raise ApprovalError(str(error)) from None


def approve(report: Path, *, findings: Collection[str] = (), journeys: Collection[str] = ()) -> list[Approval]:
    """Accept findings of `report` into baseline files: those with the ids in `findings` (a group's
    id: each of its new records), else every finding of the journeys named in `journeys` (slug or
    file), else of every journey."""
    records = read_report(report).journeys
    unknown = set(findings) - {key for record in records for f in record.findings for key in (f.id, f.group)}
    if unknown:
        raise ApprovalError(f"no finding {', '.join(sorted(unknown))} in {report / 'findings.json'} (ids are shown beside each finding)")
    known = {name for record in records for name in (record.slug, record.file)}
    if set(journeys) - known:
        raise ApprovalError(f"no journey {', '.join(sorted(set(journeys) - known))} in {report / 'findings.json'}")
    approvals = []
    for record in records:
        if findings:
            chosen = [f for f in record.findings if f.id in findings or (f.group in findings and f.state == "new")]
            if chosen:
                approvals.append(_accept_findings(record, chosen))
        elif not journeys or record.slug in journeys or record.file in journeys:
            approvals.append(_accept_journey(record))
    return approvals


def _journey_file(record: JourneyRecord) -> Path:
    file = Path(record.file)
    if not file.is_file():
        raise ApprovalError(
            f"journey file {record.file} (named in findings.json) not found from {Path.cwd().name}/: "
            "run onevoice approve in the folder the run started in"
        )
    return file


def _current(path: Path) -> Baseline | None:
    if not path.is_file():
        return None
    try:
        return read_baseline(path, path.as_posix())
    except BaselineError as error:
        raise ApprovalError(str(error)) from None


def _merged(entries: list[AcceptedFinding], reported: list[FindingRecord]) -> tuple[list[AcceptedFinding], int]:
    """`entries` plus the reported findings not among them yet; and how many were added."""
    merged = {identity(entry): entry for entry in entries}
    for entry in reported:
        finding = finding_from_entry(entry)
        merged.setdefault(identity(finding), accepted(finding))
    return list(merged.values()), len(merged) - len(entries)


def _accept_findings(record: JourneyRecord, chosen: list[FindingRecord]) -> Approval:
    fixed = [entry.id for entry in chosen if entry.state == "fixed"]
    if fixed:
        raise ApprovalError(f"finding {', '.join(fixed)} is fixed: there is nothing to accept")
    file = _journey_file(record)
    path = baseline_path(file)
    current = _current(path)
    entries, added = _merged(list(current.findings) if current else [], [f for f in chosen if f.state == "new"])
    facts = current.facts if current else facts_of(record.matrices)
    _write(path, Baseline(journey=record.name, findings=tuple(entries), facts=facts), file)
    return Approval(record.name, path, added, len(entries) - added, 0)


def _accept_journey(record: JourneyRecord) -> Approval:
    file = _journey_file(record)
    path = baseline_path(file)
    current = _current(path)
    reported = record.findings
    touchpoints = {tp.id for tp in record.touchpoints}
    gone = {f.id for f in reported if f.state == "fixed"}
    previous = list(current.findings) if current else []
    kept = [e for e in previous if finding_id(record.slug, e) not in gone and set(e.touchpoints) <= touchpoints]
    entries, added = _merged(kept, [f for f in reported if f.state == "new"])
    facts = facts_of(record.matrices)
    not_captured = {tp.id for tp in record.touchpoints if tp.error}
    for matrix, rows in (current.facts if current else {}).items():
        for row, cells in rows.items():
            for touchpoint in not_captured & cells.keys():
                facts.setdefault(matrix, {}).setdefault(row, {})[touchpoint] = cells[touchpoint]
    _write(path, Baseline(journey=record.name, findings=tuple(entries), facts=facts), file)
    return Approval(record.name, path, added, len(kept), len(previous) - len(kept))


def _write(path: Path, baseline: Baseline, journey_file: Path) -> None:
    write_atomic(path, render_baseline(baseline, journey_file.as_posix()))
