"""A whole run: journeys in, report folder out. One pipeline with two faces: `onevoice run`
(`execute`) and the pytest plugin both run in a `RunSession` (onevoice.runsession) and capture
with `Engine`s.

With `workers` > 0 the journeys are shared among that many processes, each with its own
browser (like pytest-xdist's `-n`); all write screenshots into one staging folder, and
one SMTP catcher spools mail for all of them.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import queue
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Sequence
from datetime import datetime, timezone
from multiprocessing import util as mp_util
from pathlib import Path

from onevoice.facts import Capture
from onevoice.errors import EmailError
from onevoice.model import LoadedJourney
from onevoice.progress import Progress
from onevoice.outcome import JourneyResult, RunResult
from onevoice.engine import Engine, RunSettings
from onevoice.runsession import RunSession, smtp_touchpoints
from onevoice.shard import ShardInfo


WORKER_CORES = 2  # a worker process earns its own browser when it has about two cores to itself
WORKER_MEMORY = 1 << 30  # bytes a worker takes: Python, its Chromium, four pages at once


def auto_workers(cores: int, available_memory: int, journeys: int) -> int:
    """`-n auto`: worker processes for this machine, 0 (run in this process) unless at least two fit.

    One process already keeps its browser's pages busy on two cores (`RunSettings.concurrency`
    captures at once), so a worker needs about two cores and a gigabyte to be worth its start-up;
    with fewer than two such workers the run stays in this process (on a 2-core machine `-n 2`
    measured 1.24x slower than `-n 0`)."""
    workers = min(cores // WORKER_CORES, available_memory // WORKER_MEMORY, journeys)
    return workers if workers >= 2 else 0


def machine_capacity() -> tuple[int, int]:
    """(cores this process may use, bytes of memory available now)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    quota = Path("/sys/fs/cgroup/cpu.max")  # a container's CPU limit (cgroup v2), when there is one
    if quota.is_file():
        limit, _, period = quota.read_text().partition(" ")
        if limit != "max" and period.strip():
            cores = max(1, min(cores, int(limit) // int(period)))
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        meminfo = Path("/proc/meminfo")
        if meminfo.is_file():  # MemAvailable counts the page cache that can be dropped; free pages do not
            for line in meminfo.read_text().splitlines():
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
    except (ValueError, OSError):
        available = WORKER_MEMORY * cores
    return cores, available


def _without_smtp(journeys: list[LoadedJourney], error: EmailError) -> tuple[list[LoadedJourney], list[str]]:
    """The journeys that need no SMTP catcher, and a problem (printed) for each of the others."""
    runnable, problems = [], []
    for journey in journeys:
        if awaiting := smtp_touchpoints(journey):
            problems.append(f"{journey.file}: not run: {error} (touchpoint {', '.join(awaiting)} awaits mail over SMTP)")
            print(problems[-1], file=sys.stderr)
        else:
            runnable.append(journey)
    return runnable, problems


def execute(
    journeys: list[LoadedJourney],
    report: Path,
    *,
    workers: int = 0,
    settings: RunSettings | None = None,
    progress: Progress | None = None,
    shard: ShardInfo | None = None,
    history: Path | None = None,
    problems: Sequence[str] = (),
) -> RunResult:
    """Capture and judge `journeys`, write the report into `report` atomically, return the results.
    `shard`: which part of a sharded suite `journeys` are, recorded in the report; `history`: a
    history database to record the run in, whose trends the report then shows; `problems`: why
    other journey files did not load (the run then exits 2)."""
    settings = settings or RunSettings()
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    with RunSession(report, shown_as=report.as_posix(), history=history) as session:
        if settings.spool is None:
            try:
                if session.receive_mail_for(journeys):
                    settings = dataclasses.replace(settings, spool=session.spool)
            except EmailError as error:  # the journeys that await mail by SMTP cannot run; the others can
                journeys, unrunnable = _without_smtp(journeys, error)
                problems = (*problems, *unrunnable)
        if workers > 0 and len(journeys) > 1:
            results = _in_workers(journeys, session.staging, settings, progress, workers)
        else:
            with Engine(session.staging, settings, progress) as engine:
                results = engine.run(journeys)
        if progress:
            progress.finish()
        run = RunResult(
            started=started, seconds=round(time.monotonic() - clock, 3), journeys=tuple(results), shard=shard,
            problems=tuple(problems),
        )
        return session.finish(run)


# --- worker processes -------------------------------------------------------------------

_worker_engine: Engine | None = None


class _QueueProgress(Progress):
    """A worker's progress: events go to the parent, which prints them."""

    def __init__(self, events: queue.Queue) -> None:
        self.events = events

    def touchpoint_done(self, journey: str, capture: Capture) -> None:
        self.events.put(("touchpoint", journey, capture.model_dump_json()))

    def journey_done(self, result: JourneyResult) -> None:
        self.events.put(("journey", result.model_dump_json()))


def _start_worker(artifacts: Path, settings: RunSettings, events: queue.Queue | None) -> None:
    global _worker_engine
    _worker_engine = Engine(artifacts, settings, _QueueProgress(events) if events is not None else None).__enter__()
    mp_util.Finalize(None, _worker_engine.close, exitpriority=10)


def _run_in_worker(journey: LoadedJourney) -> str:
    return _worker_engine.run([journey])[0].model_dump_json()


def _forward(events: queue.Queue, progress: Progress) -> None:
    while (event := events.get()) is not None:
        if event[0] == "touchpoint":
            progress.touchpoint_done(event[1], Capture.model_validate_json(event[2]))
        else:
            progress.journey_done(JourneyResult.model_validate_json(event[1]))


def _in_workers(
    journeys: list[LoadedJourney], artifacts: Path, settings: RunSettings, progress: Progress | None, workers: int
) -> list[JourneyResult]:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        events = manager.Queue() if progress else None
        forwarder = threading.Thread(target=_forward, args=(events, progress), daemon=True) if progress else None
        if forwarder:
            forwarder.start()
        pool_size = min(workers, len(journeys))
        try:
            with ProcessPoolExecutor(pool_size, context, _start_worker, (artifacts, settings, events)) as pool:
                results = [JourneyResult.model_validate_json(text) for text in pool.map(_run_in_worker, journeys)]
        finally:  # also when a worker raised (no browser): the forwarder stops before the queue goes
            if forwarder:
                events.put(None)
                forwarder.join()
    return results
