"""The outputs of a run (docs/outputs.md): index.html, findings.json, junit.xml and evidence crops."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onevoice.outcome import RunResult

__all__ = ["write_report"]


def write_report(run: RunResult, folder: Path, shown_as: str | None = None) -> Path:
    """Write the report into `folder`, which already holds the screenshots under screens/; return index.html.
    `shown_as`: the folder as the user named it (e.g. reports/latest), for the commands the page shows."""
    # Imported here, so that the package's light modules (report.folder) load without the writers.
    from onevoice.report.crops import prepare_images
    from onevoice.report.html import write_html
    from onevoice.report.json_output import write_findings_json
    from onevoice.report.junit import write_junit

    folder.mkdir(parents=True, exist_ok=True)
    images = prepare_images(run, folder)
    write_findings_json(run, folder, images)
    write_junit(run, folder)
    return write_html(run, folder, images, shown_as)
