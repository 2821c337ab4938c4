"""A report folder written atomically: a run builds it beside the old one and swaps at the end,
so a crashed run never leaves a half report in place of the last good one.

The folders a run works in beside the report carry the run's host and process id, so the next
run can tell a crashed run's leftovers (removed, or put back when they hold the last good report)
from those of a run still going (left alone, also on another machine sharing the folder)."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import tempfile
from pathlib import Path

KINDS = ("staging", "old")  # the report being built; the last one, retired while the new one moves in


class StagingFolder:
    """`with StagingFolder(report) as staging:` ... `staging.commit()` puts it in place of `report`.

    `path` is made by the first write into it (or by `commit`): a run that writes nothing, such as
    a pytest session of a project without journeys, leaves nothing beside the report."""

    def __init__(self, report: Path) -> None:
        self.report = report.resolve()
        clear_abandoned(self.report)
        self.path = self.report.parent / f"{_prefix(self.report, 'staging')}{_owner()}{secrets.token_hex(6)}"
        self._committed = False

    def commit(self) -> Path:
        self.path.mkdir(parents=True, exist_ok=True)  # an empty report (a shard that drew no journey) too
        retired = None
        if self.report.exists():
            retired = Path(tempfile.mkdtemp(prefix=_prefix(self.report, "old") + _owner(), dir=self.report.parent))
            os.replace(self.report, retired / "report")
        os.replace(self.path, self.report)
        self._committed = True
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
        return self.report

    def __enter__(self) -> StagingFolder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._committed:
            shutil.rmtree(self.path, ignore_errors=True)


def clear_abandoned(report: Path) -> list[Path]:
    """Remove the working folders that crashed runs left beside `report` (this host's, whose process
    is gone); a retired last report is put back if no report took its place. Returns those removed."""
    removed = []
    for kind in KINDS:
        for folder in sorted(report.parent.glob(glob.escape(_prefix(report, kind)) + "*")):  # 'r[1]', 'r*' as named
            owner = folder.name.removeprefix(_prefix(report, kind)).rsplit("-", 2)
            if len(owner) != 3 or owner[0] != socket.gethostname() or not owner[1].isdigit() or _running(int(owner[1])):
                continue
            if kind == "old" and (folder / "report").is_dir() and not report.exists():
                os.replace(folder / "report", report)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _prefix(report: Path, kind: str) -> str:
    return f".{report.name}.{kind}-"


def _owner() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True
