"""Run progress for people: a live line on a terminal, plain lines in CI logs, then a summary."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from onevoice.facts import Capture
from onevoice.findings import Finding
from onevoice.outcome import JourneyResult, RunResult


class Progress:
    """Receives run events. Thread-safe; `live` redraws one status line instead of printing lines."""

    def __init__(self, total_touchpoints: int, stream: TextIO | None = None, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.total = total_touchpoints
        self.done = 0
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._status = ""

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self.started:5.1f}s"

    def _print(self, line: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K" + line + "\n" + self._status)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def _redraw(self) -> None:
        if not self.live:
            return
        width = 28
        filled = int(width * self.done / max(self.total, 1))
        self._status = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} touchpoints {self._elapsed()}"
        self.stream.write("\r\x1b[2K" + self._status)
        self.stream.flush()

    def touchpoint_done(self, journey: str, capture: Capture) -> None:
        with self._lock:
            self.done += 1
            outcome = "ok" if capture.ok else f"ERROR {capture.error}"
            retried = f" (attempt {capture.attempts})" if capture.attempts > 1 else ""
            notes = "".join(f"; {note}" for note in capture.notes)
            self._print(
                f"{self._elapsed()} [{self.done}/{self.total}] {journey} > {capture.touchpoint}"
                f" ({capture.device}) {capture.seconds:.1f}s {outcome}{retried}{notes}"
            )
            self._redraw()

    def journey_done(self, result: JourneyResult) -> None:
        with self._lock:
            new = sum(1 for f in result.items if f.state == "new")
            self._print(f"{self._elapsed()} journey {result.name!r}: {result.status.upper()} ({new} new findings)")
            self._redraw()

    def finish(self) -> None:
        if self.live:
            with self._lock:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()


def _touchpoints(finding: Finding, shown: int = 4) -> str:
    """`home-mobile`, or `6 touchpoints: a, b, c, d, ...` for one cause on several."""
    touchpoints = finding.touchpoints
    if len(touchpoints) == 1:
        return touchpoints[0]
    names = ", ".join(touchpoints[:shown]) + (", ..." if len(touchpoints) > shown else "")
    return f"{len(touchpoints)} touchpoints: {names}"


def summary(run: RunResult, report: Path | None) -> str:
    """The lines printed after a run: journeys, new findings one per cause, the report."""
    statuses = Counter(j.status for j in run.journeys)
    lines = [
        f"onevoice: {len(run.journeys)} journeys in {run.seconds:.1f}s: "
        + ", ".join(f"{statuses[s]} {s}" for s in ("passed", "failed", "error") if statuses[s])
    ]
    if run.problems:
        lines.append(f"  {len(run.problems)} journey file problems (not run)")
    for journey in run.journeys:
        items = journey.items
        new = sorted((f for f in items if f.state == "new"), key=lambda f: (f.rule, f.subject, f.touchpoints))
        accepted = sum(1 for f in items if f.state == "accepted")
        fixed = sum(1 for f in items if f.state == "fixed")
        if not (new or journey.failed_captures or journey.check_errors or accepted or fixed or journey.changes):
            continue
        lines.append(f"  {journey.name} ({journey.file}): {journey.status}")
        for finding in new:
            lines.append(f"    {finding.rule:<20} {finding.severity:<7} {finding.subject} on {_touchpoints(finding)}")
        for capture in journey.failed_captures:
            lines.append(f"    not captured: {capture.touchpoint}: {capture.error}")
        for check, error in sorted(journey.check_errors.items()):
            lines.append(f"    check {check} failed: {error}")
        for change in journey.changes:
            lines.append(
                f"    changed since baseline: {change.matrix} {change.row} on {change.touchpoint}:"
                f" {change.before or '(none)'} -> {change.after or '(none)'}"
            )
        if accepted or fixed:
            lines.append(f"    {accepted} accepted, {fixed} fixed findings")
    if report is not None:
        lines.append(f"report: {report}")
    return "\n".join(lines)
