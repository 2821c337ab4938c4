"""findings.json: the machine-readable results, exactly SPEC.md section 5's shape plus a few extra fields.

It holds everything the report shows, so a run can be read back from it (`run_from_document`):
`onevoice merge` rebuilds one run from the findings.json of its shards and writes the report anew.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from onevoice.baseline.store import finding_id
from onevoice.facts import Box, Capture, EmailInfo
from onevoice.baseline.drift import FactChange
from onevoice.findings import Evidence, Finding, Matrix
from onevoice.model import Brand
from onevoice.trends import GroupLabel, JourneyHistory, group_of
from onevoice.report.crops import ReportImages
from onevoice.files import write_atomic
from onevoice.outcome import JourneyResult, RunResult

FORMAT_VERSION = "1"


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


def findings_document(run: RunResult, images: ReportImages | None = None) -> dict[str, Any]:
    images = images or ReportImages()
    document = {
        "onevoice": FORMAT_VERSION,
        "version": onevoice_version(),
        "started": iso_utc(run.started),
        "seconds": round(run.seconds, 3),
        "exit_code": run.exit_code,
    }
    if run.shard is not None:
        document["shard"] = run.shard.model_dump(mode="json")
    document["problems"] = list(run.problems)
    document["journeys"] = [_journey(journey, images) for journey in run.journeys]
    return document


def write_findings_json(run: RunResult, folder: Path, images: ReportImages | None = None) -> Path:
    text = json.dumps(findings_document(run, images), indent=2, ensure_ascii=False) + "\n"
    return write_atomic(folder / "findings.json", text)


def _journey(journey: JourneyResult, images: ReportImages) -> dict[str, Any]:
    return {
        "name": journey.name,
        "file": journey.file,
        "status": journey.status,
        "touchpoints": [_touchpoint(capture) for capture in journey.captures],
        "findings": [_finding(finding, journey, images) for finding in sorted(journey.findings, key=finding_order)],
        "slug": journey.slug,
        "tags": list(journey.tags),
        "seconds": round(journey.seconds, 3),
        "checks": list(journey.checks),
        "check_errors": dict(sorted(journey.check_errors.items())),
        "matrices": [matrix.model_dump(mode="json") for matrix in journey.matrices],
        "baseline": journey.baseline,
        "changes": [change.model_dump(mode="json") for change in journey.changes],
        "brand": journey.brand.model_dump(mode="json") if journey.brand else None,
        "brand_logos": list(journey.brand_logos),
        "history": journey.history.model_dump(mode="json", exclude={"labels"}) if journey.history else None,
    }


def _touchpoint(capture: Capture) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": capture.touchpoint,
        "channel": capture.channel,
        "device": capture.device,
        "url": capture.url,
        "screenshot": capture.screenshot,
        "error": capture.error,
        "attempts": capture.attempts,
        "seconds": round(capture.seconds, 3),
    }
    if capture.email is not None:
        entry["subject"] = capture.email.subject
        entry["preheader"] = capture.email.preheader
    return entry


def _finding(finding: Finding, journey: JourneyResult, images: ReportImages) -> dict[str, Any]:
    plain = finding.model_dump(mode="json")
    slug = journey.slug
    label = journey.history.label(slug, finding) if journey.history else None
    return {
        "check": finding.check,
        "rule": finding.rule,
        "severity": finding.severity,
        "touchpoints": list(finding.touchpoints),
        "message": finding.message,
        "expected": plain["expected"],
        "actual": plain["actual"],
        "evidence": [
            {
                "touchpoint": evidence.touchpoint,
                "selector": evidence.selector,
                "box": _box(evidence.box),
                "text": evidence.text,
                "crop": images.crop_of(slug, evidence.touchpoint, evidence.box),
            }
            for evidence in finding.evidence
        ],
        "state": finding.state,
        "reason": finding.reason,
        "subject": finding.subject,
        "id": finding_id(slug, finding),
        "history": label.model_dump(mode="json") | {"text": label.text} if label else None,
    }


def _box(box: Box | None) -> list[float] | None:
    if box is None:
        return None
    return [int(value) if float(value).is_integer() else round(value, 1) for value in box]


# --- reading it back ---------------------------------------------------------------------


def run_from_document(document: dict[str, Any]) -> RunResult:
    """The run a findings.json describes (what its report shows; not the captured facts).
    Raises ValueError (pydantic's ValidationError among them) when it is not one."""
    return RunResult(
        started=document["started"],
        seconds=document.get("seconds", 0.0),
        journeys=tuple(journey_from_record(record) for record in document["journeys"]),
        shard=document.get("shard"),
        problems=tuple(document.get("problems", ())),
    )


def journey_from_record(record: dict[str, Any]) -> JourneyResult:
    findings = [(finding_from_entry(entry), entry.get("history")) for entry in record["findings"]]
    history = None
    if record.get("history"):
        labels = {group_of(record["slug"], finding): GroupLabel.model_validate(label) for finding, label in findings if label}
        history = JourneyHistory.model_validate(record["history"] | {"labels": labels})
    return JourneyResult(
        name=record["name"],
        file=record["file"],
        slug=record["slug"],
        tags=tuple(record.get("tags", ())),
        brand=Brand.model_validate(record["brand"]) if record.get("brand") else None,
        brand_logos=tuple(record.get("brand_logos", ())),
        captures=tuple(_capture_from_entry(entry) for entry in record["touchpoints"]),
        findings=tuple(finding for finding, _ in findings),
        matrices=tuple(Matrix.model_validate(matrix) for matrix in record.get("matrices", ())),
        check_errors=record.get("check_errors", {}),
        checks=tuple(record.get("checks", ())),
        baseline=record.get("baseline"),
        changes=tuple(FactChange.model_validate(change) for change in record.get("changes", ())),
        seconds=record.get("seconds", 0.0),
        history=history,
    )


def finding_from_entry(entry: dict[str, Any]) -> Finding:
    """A finding of findings.json as the checks made it (its crops and id are the report's)."""
    evidence = [{key: item[key] for key in Evidence.model_fields if key in item} for item in entry.get("evidence", ())]
    return Finding.model_validate({key: entry[key] for key in Finding.model_fields if key in entry} | {"evidence": evidence})


def _capture_from_entry(entry: dict[str, Any]) -> Capture:
    email = EmailInfo(subject=entry.get("subject", ""), preheader=entry.get("preheader", "")) if "subject" in entry else None
    return Capture(
        touchpoint=entry["id"],
        channel=entry["channel"],
        device=entry["device"],
        url=entry.get("url"),
        screenshot=entry.get("screenshot"),
        error=entry.get("error"),
        attempts=entry.get("attempts", 1),
        seconds=entry.get("seconds", 0.0),
        email=email,
    )
