"""findings.json: the machine-readable results, exactly docs/outputs.md's shape plus a few extra fields.

It holds everything the report shows, so a run can be read back from it (`run_from_document`):
`onevoice merge` rebuilds one run from the findings.json of its shards and writes the report anew.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from onevoice.facts import Box, Capture, EmailInfo
from onevoice.findings import Evidence, Finding, finding_id
from onevoice.trends import GroupLabel, JourneyHistory, group_of
from onevoice.report.crops import ReportImages
from onevoice.report.findings_json import (
    EvidenceRecord,
    FindingRecord,
    FindingsDocument,
    JourneyRecord,
    TouchpointRecord,
)
from onevoice.files import write_atomic
from onevoice.outcome import JourneyResult, RunResult


def iso_utc(moment: datetime) -> str:
    """`2026-11-23T02:00:00Z`; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def finding_order(finding: Finding) -> tuple[str, str, tuple[str, ...], str, str]:
    """A stable order that follows a finding's identity, never the order the checks ran in."""
    return (finding.check, finding.rule, finding.touchpoints, finding.subject, finding.state)


def onevoice_version() -> str:
    """The installed onevoice's version: shards of one suite must all come from the same."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("onevoice")
    except PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


def findings_document(run: RunResult, images: ReportImages | None = None) -> FindingsDocument:
    images = images or ReportImages()
    return FindingsDocument(
        version=onevoice_version(),
        started=iso_utc(run.started),
        seconds=round(run.seconds, 3),
        exit_code=run.exit_code,
        shard=run.shard,
        problems=list(run.problems),
        journeys=[_journey(journey, images) for journey in run.journeys],
    )


def write_findings_json(run: RunResult, folder: Path, images: ReportImages | None = None) -> Path:
    return write_atomic(folder / "findings.json", findings_document(run, images).to_json())


def _shared_fields(source: BaseModel, target: type[BaseModel]) -> dict[str, Any]:
    """The values of `source` that `target` holds under the same names: what a result and its
    findings.json record have in common, copied one way by the writer and back by the reader."""
    return {name: value for name, value in source if name in target.model_fields}


def _journey(journey: JourneyResult, images: ReportImages) -> JourneyRecord:
    return JourneyRecord(
        **_shared_fields(journey, JourneyRecord)
        | {
            "status": journey.status,
            "touchpoints": [_touchpoint(capture) for capture in journey.captures],
            "findings": [_finding(finding, journey, images) for finding in sorted(journey.findings, key=finding_order)],
            "seconds": round(journey.seconds, 3),
            "check_errors": dict(sorted(journey.check_errors.items())),
            "history": journey.history.model_dump(mode="json", exclude={"labels"}) if journey.history else None,
        }
    )


def _touchpoint(capture: Capture) -> TouchpointRecord:
    email = capture.email
    return TouchpointRecord(
        **_shared_fields(capture, TouchpointRecord)
        | {
            "id": capture.touchpoint,
            "notes": list(capture.notes) or None,
            "seconds": round(capture.seconds, 3),
            "subject": email.subject if email is not None else None,
            "preheader": email.preheader if email is not None else None,
        }
    )


def _finding(finding: Finding, journey: JourneyResult, images: ReportImages) -> FindingRecord:
    slug = journey.slug
    label = journey.history.label(slug, finding) if journey.history else None
    evidence = [
        EvidenceRecord(
            **_shared_fields(item, EvidenceRecord)
            | {"box": _box(item.box), "crop": images.crop_of(slug, item.touchpoint, item.box), "from_image": item.from_image or None}
        )
        for item in finding.evidence
    ]
    return FindingRecord(
        **_shared_fields(finding, FindingRecord)
        | {
            "evidence": evidence,
            "id": finding_id(slug, finding),
            "history": label.model_dump(mode="json") | {"text": label.text} if label else None,
        }
    )


def _box(box: Box | None) -> list[float] | None:
    if box is None:
        return None
    return [int(value) if float(value).is_integer() else round(value, 1) for value in box]


# --- reading it back ---------------------------------------------------------------------


def run_from_document(document: FindingsDocument) -> RunResult:
    """The run a findings.json describes (what its report shows; not the captured facts)."""
    return RunResult(
        started=document.started,
        seconds=document.seconds,
        journeys=tuple(journey_from_record(record) for record in document.journeys),
        shard=document.shard,
        problems=tuple(document.problems),
    )


def journey_from_record(record: JourneyRecord) -> JourneyResult:
    findings = [(finding_from_entry(entry), entry.history) for entry in record.findings]
    history = None
    if record.history:
        labels = {group_of(record.slug, finding): GroupLabel.model_validate(label) for finding, label in findings if label}
        history = JourneyHistory.model_validate(record.history | {"labels": labels})
    return JourneyResult(
        **_shared_fields(record, JourneyResult)
        | {
            "captures": tuple(_capture_from_entry(entry) for entry in record.touchpoints),
            "findings": tuple(finding for finding, _ in findings),
            "history": history,
        }
    )


def finding_from_entry(entry: FindingRecord) -> Finding:
    """A finding of findings.json as the checks made it (its crops and id are the report's)."""
    evidence = [Evidence(**_shared_fields(item, Evidence) | {"from_image": bool(item.from_image)}) for item in entry.evidence]
    return Finding(**_shared_fields(entry, Finding) | {"evidence": tuple(evidence)})


def _capture_from_entry(entry: TouchpointRecord) -> Capture:
    email = EmailInfo(subject=entry.subject, preheader=entry.preheader or "") if entry.subject is not None else None
    return Capture(**_shared_fields(entry, Capture) | {"touchpoint": entry.id, "notes": tuple(entry.notes or ()), "email": email})
