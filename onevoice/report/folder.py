"""A report folder written atomically: a run builds it beside the old one and swaps at the end,
so a crashed run never leaves a half report in place of the last good one."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class StagingFolder:
    """`with StagingFolder(report) as staging:` ... `staging.commit()` puts it in place of `report`."""

    def __init__(self, report: Path) -> None:
        self.report = report.resolve()
        self.report.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.report.name}.staging-", dir=self.report.parent))
        self._committed = False

    def commit(self) -> Path:
        retired = None
        if self.report.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{self.report.name}.old-", dir=self.report.parent))
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
