"""junit.xml: for each journey a "capture" case and one case per check family (docs/outputs.md).

New error findings fail their family's case, counted and listed one per cause (a rule and
subject on several touchpoints is one); new warnings, accepted and fixed findings are
listed in its system-out; a check that crashed is an <error>. The facts changed since the
baseline are listed in the journey's (the test suite's) system-out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from onevoice.findings import FactChange, Finding
from onevoice.files import write_atomic
from onevoice.report.json_output import finding_order, iso_utc
from onevoice.outcome import JourneyResult, RunResult

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (ElementTree escapes the rest)."""
    return _NOT_XML.sub("\ufffd", text)


def check_families(journey: JourneyResult) -> tuple[str, ...]:
    """The families that ran, then any other family that reported something, without repeats."""
    named = [*journey.checks, *(f.check for f in sorted(journey.findings, key=finding_order)), *sorted(journey.check_errors)]
    return tuple(dict.fromkeys(named))


def finding_line(finding: Finding) -> str:
    line = f"{finding.rule} [{', '.join(finding.touchpoints)}] {finding.message}"
    if finding.reason:
        line += f" (reason: {finding.reason})"
    return line


def change_line(change: FactChange) -> str:
    """One fact changed since the baseline, as CI logs show it."""
    before = "(none)" if change.before is None else change.before
    after = "(none)" if change.after is None else change.after
    return f"changed since baseline: {change.matrix} {change.row} on {change.touchpoint}: {before} -> {after}"


def junit_tree(run: RunResult) -> ET.ElementTree:
    root = ET.Element("testsuites", name="onevoice", time=f"{run.seconds:.3f}")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for journey in run.journeys:
        suite = _journey_suite(journey, iso_utc(run.started))
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(run: RunResult, folder: Path) -> Path:
    buffer = ET.tostring(junit_tree(run).getroot(), encoding="unicode", xml_declaration=False)
    return write_atomic(folder / "junit.xml", '<?xml version="1.0" encoding="utf-8"?>\n' + buffer + "\n")


def _journey_suite(journey: JourneyResult, timestamp: str) -> ET.Element:
    suite = ET.Element("testsuite", name=xml_text(journey.name), timestamp=timestamp, time=f"{journey.seconds:.3f}")
    cases = [_capture_case(journey), *(_family_case(journey, family) for family in check_families(journey))]
    suite.extend(cases)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(case.find("failure") is not None for case in cases)))
    suite.set("errors", str(sum(case.find("error") is not None for case in cases)))
    if journey.changes:
        lines = [f"{len(journey.changes)} fact(s) changed since {journey.baseline or 'the baseline'}", *map(change_line, journey.changes)]
        ET.SubElement(suite, "system-out").text = xml_text("\n".join(lines))
    return suite


def _case(journey: JourneyResult, part: str, seconds: float) -> ET.Element:
    return ET.Element(
        "testcase", classname=xml_text(journey.file), name=xml_text(f"{journey.name} :: {part}"), time=f"{seconds:.3f}"
    )


def _capture_case(journey: JourneyResult) -> ET.Element:
    case = _case(journey, "capture", sum(capture.seconds for capture in journey.captures))
    failed = journey.failed_captures
    if failed:
        failure = ET.SubElement(case, "failure", type="capture", message=f"{len(failed)} touchpoint(s) not captured")
        failure.text = xml_text(
            "\n".join(f"{capture.touchpoint} ({capture.device}, {capture.url or capture.channel}): {capture.error}" for capture in failed)
        )
    return case


def _family_case(journey: JourneyResult, family: str) -> ET.Element:
    case = _case(journey, family, 0.0)
    findings = sorted((f for f in journey.items if f.check == family), key=finding_order)
    failing = [f for f in findings if f.state == "new" and f.severity == "error"]
    if failing:
        failure = ET.SubElement(case, "failure", type=family, message=f"{len(failing)} new error finding(s)")
        failure.text = xml_text("\n".join(finding_line(f) for f in failing))
    if family in journey.check_errors:
        error = ET.SubElement(case, "error", type=family, message=f"the {family} check failed")
        error.text = xml_text(journey.check_errors[family])
    reported = [
        f"{label} {finding_line(f)}"
        for label, state, severity in (("warning", "new", "warning"), ("accepted", "accepted", None), ("fixed", "fixed", None))
        for f in findings
        if f.state == state and (severity is None or f.severity == severity)
    ]
    if reported:
        ET.SubElement(case, "system-out").text = xml_text("\n".join(reported))
    return case
