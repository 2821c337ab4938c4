"""Working folders that a crashed run left beside its report are cleared by the next run; those of
runs still going, here or on another machine sharing the folder, are left alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from onevoice.files import write_atomic
from onevoice.report.folder import StagingFolder, clear_abandoned


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def leftover(parent, kind: str, host: str, pid: int) -> os.PathLike:
    folder = parent / f".latest.{kind}-{host}-{pid}-abc_12"
    (folder / "screens").mkdir(parents=True)
    (folder / "index.html").write_text("half a report")
    return folder


def test_a_crashed_runs_staging_folder_is_cleared_by_the_next_run(tmp_path):
    host, gone = socket.gethostname(), dead_pid()
    crashed = leftover(tmp_path, "staging", host, gone)
    running = leftover(tmp_path, "staging", host, os.getpid())
    elsewhere = leftover(tmp_path, "staging", "another-machine", gone)
    other_report = tmp_path / f".nightly.staging-{host}-{gone}-xyz_9"
    other_report.mkdir()

    with StagingFolder(tmp_path / "latest") as staging:
        write_atomic(staging.path / "index.html", "the new report")
        staging.commit()

    assert not crashed.exists()
    assert running.exists() and elsewhere.exists() and other_report.exists()
    assert (tmp_path / "latest" / "index.html").read_text() == "the new report"


def test_a_last_report_retired_by_a_crashed_run_is_put_back(tmp_path):
    retired = tmp_path / f".latest.old-{socket.gethostname()}-{dead_pid()}-abc_12"
    (retired / "report").mkdir(parents=True)
    (retired / "report" / "findings.json").write_text("{}")

    assert clear_abandoned(tmp_path / "latest") == [retired]

    assert (tmp_path / "latest" / "findings.json").read_text() == "{}"
    assert not retired.exists()


def test_a_report_named_with_glob_characters_clears_only_its_own_leftovers(tmp_path):
    host, gone = socket.gethostname(), dead_pid()
    own = tmp_path / f".r[1].staging-{host}-{gone}-abc_12"
    own.mkdir()
    another = tmp_path / f".rx.staging-{host}-{gone}-abc_12"  # 'r*' as a pattern would match it
    another.mkdir()

    assert clear_abandoned(tmp_path / "r[1]") == [own]
    assert clear_abandoned(tmp_path / "r*") == [] and another.exists()


def test_a_run_that_fails_removes_its_own_staging_folder(tmp_path):
    try:
        with StagingFolder(tmp_path / "latest"):
            raise RuntimeError("crash")
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []
