"""Run progress and the closing summary."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from onevoice.facts import Capture
from onevoice.files import write_atomic
from onevoice.findings import FactChange, Finding
from onevoice.progress import Progress, summary
from onevoice.report.folder import StagingFolder
from onevoice.outcome import JourneyResult, RunResult

OK = Capture(touchpoint="home", channel="web", device="iPhone 13", seconds=1.25)
BROKEN = Capture(touchpoint="mail", channel="email", device="Email 600px", error="no email arrived", attempts=2)


def test_plain_progress_prints_one_line_per_event_for_ci_logs():
    stream = io.StringIO()
    progress = Progress(2, stream=stream, live=False)
    progress.touchpoint_done("Spring", OK)
    progress.touchpoint_done("Spring", BROKEN)
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("[1/2] Spring > home (iPhone 13) 1.2s ok")
    assert lines[1].endswith("[2/2] Spring > mail (Email 600px) 0.0s ERROR no email arrived (attempt 2)")
    assert "\r" not in stream.getvalue()


def test_live_progress_redraws_a_bar_below_the_event_lines():
    stream = io.StringIO()
    progress = Progress(4, stream=stream, live=True)
    progress.touchpoint_done("Spring", OK)
    text = stream.getvalue()
    assert "Spring > home" in text and "[#######.....................] 1/4 touchpoints" in text
    assert text.count("\r\x1b[2K") >= 2


def test_summary_lists_new_findings_one_per_cause_and_the_report():
    finding = Finding(check="social", rule="social.missing", severity="error", touchpoints=("mail",),
                      subject="instagram", message="no instagram")
    accepted = finding.model_copy(update={"subject": "x", "state": "accepted", "reason": "known"})
    fixed = finding.model_copy(update={"subject": "facebook", "state": "fixed"})
    change = FactChange(matrix="social", row="x", touchpoint="mail", before="x.com/a", after="x.com/b")
    journey = JourneyResult(name="Spring", file="journeys/spring.yaml", slug="spring",
                            captures=(OK, BROKEN), findings=(finding, accepted, fixed), changes=(change,))
    run = RunResult(started=datetime.now(timezone.utc), seconds=3.5, journeys=(journey,))
    text = summary(run, Path("reports/latest/index.html"))
    assert text.splitlines()[0] == "onevoice: 1 journeys in 3.5s: 1 failed"
    assert "social.missing       error   instagram on mail" in text
    assert "not captured: mail: no email arrived" in text and "1 accepted, 1 fixed findings" in text
    assert "changed since baseline: social x on mail: x.com/a -> x.com/b" in text
    assert text.endswith("report: reports/latest/index.html")


def test_a_staging_folder_replaces_the_report_only_on_commit(tmp_path):
    report = tmp_path / "latest"
    report.mkdir()
    (report / "old.txt").write_text("last good")
    with StagingFolder(report) as staging:
        write_atomic(staging.path / "new.txt", "half")
    assert (report / "old.txt").exists() and not staging.path.exists()  # no commit: nothing replaced
    with StagingFolder(report) as staging:
        write_atomic(staging.path / "new.txt", "done")
        staging.commit()
    assert sorted(p.name for p in report.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest"]


def test_a_staging_folder_is_made_by_the_first_write_into_it(tmp_path):
    report = tmp_path / "reports" / "latest"
    with StagingFolder(report) as staging:
        assert not (tmp_path / "reports").exists()  # nothing written, nothing made
    assert list(tmp_path.iterdir()) == []
    with StagingFolder(report) as staging:
        write_atomic(staging.path / "screens" / "home.png", b"png")
        assert staging.path.is_dir() and staging.path.parent == report.parent
    with StagingFolder(report) as staging:
        staging.commit()  # an empty report is still a report
    assert report.is_dir() and list(report.iterdir()) == []
