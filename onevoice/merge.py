"""`onevoice merge DIR... --report OUT`: the reports of the shards of one suite as one report.

Each shard's findings.json holds what its report shows and which part of which suite it ran
(`shard`: index, total, the suite's fingerprint and journey files). Merging checks that the
shards are every part of one suite, once, from one onevoice version; then it takes the journeys
in the suite's order, copies the screenshots beside them (hard links where the file system
allows) and writes the report, findings.json and junit.xml as one machine would have. States and
groups were settled on the shards against the same baselines, so they carry over as they are.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from onevoice.errors import LoadError
from onevoice.history import record_run
from onevoice.report import write_report
from onevoice.report.findings_json import FindingsError, read_findings
from onevoice.report.json_output import onevoice_version, run_from_document
from onevoice.report.folder import StagingFolder
from onevoice.outcome import JourneyResult, RunResult


class MergeError(LoadError):
    """The shard reports cannot be merged: one line saying which and why, and the fix."""


@dataclass(frozen=True)
class ShardReport:
    folder: Path
    version: str
    run: RunResult

    @property
    def part(self) -> str:
        return f"{self.run.shard.index}/{self.run.shard.total}"


def read_shard(folder: Path) -> ShardReport:
    """The shard report in `folder`; MergeError when there is none, or it is not a shard's."""
    path = folder / "findings.json"
    try:
        document = read_findings(path)
    except FileNotFoundError:
        raise MergeError(f"{path}: no such file; give the report folder of each `onevoice run --shard I/N`") from None
    except FindingsError as error:
        raise MergeError(str(error)) from None
    if document.shard is None:
        raise MergeError(f"{path}: not the report of a shard; run each part with `onevoice run --shard I/N`")
    return ShardReport(folder, document.version, run_from_document(document))


def check_shards(shards: Sequence[ShardReport]) -> None:
    """MergeError unless `shards` are every part of one suite, each once, from one onevoice."""
    if not shards:
        raise MergeError("no shard report given")
    first = shards[0]
    own = onevoice_version()
    for shard in shards:
        if shard.version != own:
            raise MergeError(
                f"{shard.folder}: written by onevoice {shard.version}, this is onevoice {own}; "
                "run every shard and the merge with the same onevoice"
            )
        info = shard.run.shard
        if info.suite != first.run.shard.suite or info.total != first.run.shard.total:
            raise MergeError(
                f"{shard.folder}: shard {shard.part} of another set of journeys than {first.folder} "
                f"(shard {first.part}); run every shard on the same journey files"
            )
    seen: dict[int, ShardReport] = {}
    for shard in shards:
        index = shard.run.shard.index
        if index in seen:
            raise MergeError(f"{seen[index].folder} and {shard.folder} are both shard {shard.part}; give each shard once")
        seen[index] = shard
    missing = [index for index in range(1, first.run.shard.total + 1) if index not in seen]
    if missing:
        parts = ", ".join(f"{index}/{first.run.shard.total}" for index in missing)
        raise MergeError(f"shard {parts} missing: give the report folder of every shard ({len(shards)} of {first.run.shard.total} given)")


def merged_run(shards: Sequence[ShardReport]) -> RunResult:
    """One run of the suite from its checked shards: its journeys in the suite's order."""
    check_shards(shards)
    suite = shards[0].run.shard.journeys
    by_file: dict[str, JourneyResult] = {}
    for shard in shards:
        for journey in shard.run.journeys:
            if journey.file in by_file or journey.file not in suite:
                raise MergeError(f"{shard.folder}: journey {journey.file} is not its shard's alone; run the shards again")
            by_file[journey.file] = journey
    absent = [file for file in suite if file not in by_file]
    if absent:
        raise MergeError(f"journey {', '.join(absent[:5])} is in no shard report; run the shards again")
    return RunResult(
        started=min(shard.run.started for shard in shards),
        seconds=max(shard.run.seconds for shard in shards),  # the shards ran side by side
        journeys=tuple(by_file[file] for file in suite),
        problems=tuple(dict.fromkeys(problem for shard in shards for problem in shard.run.problems)),
    )


def merge(folders: Sequence[Path], report: Path, history: Path | None = None) -> RunResult:
    """Merge the shard reports in `folders` into `report` (written atomically); return the merged run.
    `history`: a history database to record the merged run in (its trends then replace the shards')."""
    shards = [read_shard(folder) for folder in folders]
    run = merged_run(shards)
    if history is not None:
        run = record_run(history, run)
    with StagingFolder(report) as staging:
        for shard in shards:
            screens = shard.folder / "screens"
            if screens.is_dir():
                shutil.copytree(screens, staging.path / "screens", copy_function=_link_or_copy, dirs_exist_ok=True)
        write_report(run, staging.path, shown_as=report.as_posix())
        staging.commit()
    return run


def _link_or_copy(source: str, target: str) -> None:
    """A hard link (the merged report stays whole when the shard folders go), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
