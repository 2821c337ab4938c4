"""`--history FILE`: runs recorded in SQLite (also by concurrent writers), trends and labels in
findings.json and the report, `onevoice history` (no browser, except the report test)."""

from __future__ import annotations

import json
import multiprocessing
import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from onevoice.facts import Capture
from onevoice.cli import main
from onevoice.findings import Finding
from onevoice.history import History, HistoryError, record_run
from onevoice.report import write_report
from onevoice.report.findings_json import FindingsDocument
from onevoice.report.json_output import findings_document, run_from_document
from onevoice.outcome import JourneyResult, RunResult
from onevoice.trends import PastRun, label_groups

START = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)


def past(*nights: str) -> list[PastRun]:
    """One run per string, oldest first; each letter a finding group present that night."""
    return [PastRun(number, f"2026-11-{number:02}", frozenset(groups)) for number, groups in enumerate(nights, start=1)]


def test_labels_say_new_failing_flaky_and_fixed_since():
    labels, fixed = label_groups(past("ab", "abd", "bd", "bc", "bc"))
    assert {group: (label.kind, label.runs, label.seen, label.window) for group, label in labels.items()} == {
        "b": ("failing", 5, 5, 5),
        "c": ("failing", 2, 2, 5),
    }
    assert fixed == {"a": (3, "2026-11-03", False), "d": (4, "2026-11-04", False)}
    labels, fixed = label_groups(past("x", "", "x", "y", "xy"))
    assert labels["x"].kind == "flaky" and labels["x"].text == "flaky: in 3 of the last 5 runs"
    assert labels["y"].text == "failing for 2 runs"
    labels, fixed = label_groups(past("x", "", "x", "z"))
    assert labels["z"].text == "new tonight" and fixed == {"x": (4, "2026-11-04", True)}


def finding(subject: str, state: str = "new") -> Finding:
    return Finding(check="social", rule="social.missing", severity="error", touchpoints=("home",), subject=subject,
                   message=f"home links to no {subject} account", state=state)


def night(number: int, subjects: str, accepted: str = "", file: str = "suite/a.yaml") -> RunResult:
    journey = JourneyResult(
        name="Journey a", file=file, slug=Path(file).stem, checks=("social",),
        findings=tuple([finding(s) for s in subjects] + [finding(s, "accepted") for s in accepted]),
        captures=(Capture(touchpoint="home", channel="web", device="Desktop Chrome", attempts=2, seconds=1.5),),
    )
    return RunResult(started=START + timedelta(days=number), seconds=3.0, journeys=(journey,))


def test_a_recorded_run_carries_its_trend_and_labels_into_findings_json_and_back(tmp_path):
    database = tmp_path / "history.sqlite"
    for number, subjects in enumerate(("fx", "f", "fx", "fy"), start=1):
        run = record_run(database, night(number, subjects, accepted="k"))

    history = run.journeys[0].history
    assert history.run == 4 and [(p.run, p.new, p.accepted) for p in history.trend] == [(1, 2, 1), (2, 1, 1), (3, 2, 1), (4, 2, 1)]
    document = findings_document(run).json_data()
    labels = {f["subject"]: f["history"]["text"] for f in document["journeys"][0]["findings"]}
    assert labels == {"f": "failing for 4 runs", "y": "new tonight", "k": "failing for 4 runs"}
    (fixed,) = document["journeys"][0]["history"]["fixed"]
    assert (fixed["subject"], fixed["since"], fixed["flaky"]) == ("x", 4, True)
    assert findings_document(run_from_document(FindingsDocument.model_validate(json.loads(json.dumps(document))))).json_data() == document


def test_the_report_draws_the_trend_as_inline_svg_and_labels_findings(tmp_path):
    database = tmp_path / "history.sqlite"
    for number, subjects in enumerate(("fx", "f", "fy"), start=1):
        run = record_run(database, night(number, subjects))
    page = write_report(run, tmp_path / "report").read_text()

    assert page.count('class="trend__new"') == 3 and '<svg class="trend__chart"' in page
    assert "run 3 (2026-11-04 02:00): 2 new, 0 accepted" in page
    assert '<span class="history history--new" title="from the run history">new tonight</span>' in page
    assert "fixed since run 2" in page  # x was seen in run 1 only
    assert "<script src" not in page and "@font-face" not in page


def test_the_history_keeps_every_table_a_nightly_needs(tmp_path):
    database = tmp_path / "history.sqlite"
    record_run(database, night(1, "f"))
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT file, status FROM journeys").fetchall() == [("suite/a.yaml", "failed")]
        assert db.execute("SELECT touchpoint, attempts, seconds FROM touchpoints").fetchall() == [("home", 2, 1.5)]
        assert db.execute("SELECT rule, state, subject FROM findings").fetchall() == [("social.missing", "new", "f")]
        assert db.execute("SELECT exit_code, seconds FROM runs").fetchall() == [(1, 3.0)]


def _record_many(database: str, writer: int, count: int) -> None:
    for number in range(count):
        with History(Path(database)) as history:
            history.record(night(number, "fx"[: 1 + number % 2], file=f"suite/w{writer}.yaml"))


def test_concurrent_writers_lose_no_run(tmp_path):
    database = tmp_path / "history.sqlite"
    writers, each = 6, 8
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_record_many, args=(str(database), writer, each)) for writer in range(writers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [process.exitcode for process in processes] == [0] * writers
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM runs").fetchone() == (writers * each, writers * each)
        per_writer = dict(db.execute("SELECT file, COUNT(*) FROM journeys GROUP BY file").fetchall())
        assert per_writer == {f"suite/w{writer}.yaml": each for writer in range(writers)}
        assert db.execute("SELECT COUNT(*) FROM findings").fetchone() == (writers * (each // 2 * 1 + each // 2 * 2),)


def test_the_history_command_prints_the_last_runs_and_the_flakiest_findings(tmp_path, capsys):
    database = tmp_path / "history.sqlite"
    for number, subjects in enumerate(("fx", "f", "fx", "f", "fx"), start=1):
        record_run(database, night(number, subjects))

    assert main(["history", str(database), "--runs", "3"]) == 0

    out = capsys.readouterr().out
    assert "last 3 runs of" in out
    assert re.findall(r"^ +(\d+) +2026-11-\d\dT", out, re.M) == ["5", "4", "3"]
    assert "4 flips, in 3 of 5 runs: suite/a.yaml: social.missing x [home]" in out


def test_a_missing_or_broken_history_is_one_line_exit_2(tmp_path, capsys):
    assert main(["history", str(tmp_path / "none.sqlite")]) == 2
    assert "none.sqlite: no such history" in capsys.readouterr().err
    (tmp_path / "junk.sqlite").write_text("not a database " * 100)
    with pytest.raises(HistoryError, match="junk.sqlite: not a onevoice history database"):
        History(tmp_path / "junk.sqlite")


@pytest.mark.browser
def test_the_trend_renders_in_chromium_under_the_reports_policy(tmp_path, loop, browser):
    database = tmp_path / "history.sqlite"
    for number, subjects in enumerate(("fx", "f", "fy"), start=1):
        run = record_run(database, night(number, subjects, accepted="k"))
    page_file = write_report(run, tmp_path / "report")
    problems: list[str] = []

    async def measure():
        page = await browser.new_page()
        page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
        await page.goto(page_file.as_uri())
        bars = await page.evaluate(
            """() => [...document.querySelectorAll(".trend__chart rect.trend__new, .trend__chart rect.trend__accepted")]
                 .map((r) => [r.getBoundingClientRect().height, getComputedStyle(r).fill])"""
        )
        await page.close()
        return bars

    bars = loop.run(measure())
    assert len(bars) == 6 and all(height > 0 and fill.startswith("rgb") for height, fill in bars)
    assert problems == []
