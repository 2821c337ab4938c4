"""Run history (`--history FILE`): every run recorded in a SQLite database, read back as trends.

A run records its journeys, touchpoints (durations, attempts) and findings (group, state), and
its exit status, in one transaction. Shards and merges may write to one file at once: SQLite
lets one writer in at a time (write-ahead log, a transaction taken for writing from its start,
a generous busy timeout), so no run is lost. Record either each shard or their merge, not both,
or a night counts twice.

After recording a run, each journey's trend and labels are read back (onevoice/trends.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from onevoice.errors import LoadError
from onevoice.findings import finding_id
from onevoice.outcome import RunResult
from onevoice.trends import PRESENT, WINDOW, FixedGroup, JourneyHistory, PastRun, TrendPoint, group_of, label_groups

BUSY_TIMEOUT_MS = 120_000  # how long a writer waits for another to finish

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    seconds REAL NOT NULL,
    exit_code INTEGER NOT NULL,
    shard TEXT,              -- "I/N" for a shard's run, NULL for a whole or merged one
    suite TEXT               -- the shard's suite fingerprint
);
CREATE TABLE IF NOT EXISTS journeys (
    run INTEGER NOT NULL REFERENCES runs(id),
    file TEXT NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    status TEXT NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (run, file)
);
CREATE TABLE IF NOT EXISTS touchpoints (
    run INTEGER NOT NULL REFERENCES runs(id),
    file TEXT NOT NULL,
    touchpoint TEXT NOT NULL,
    channel TEXT NOT NULL,
    device TEXT NOT NULL,
    error TEXT,
    attempts INTEGER NOT NULL,
    seconds REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
    run INTEGER NOT NULL REFERENCES runs(id),
    file TEXT NOT NULL,
    id TEXT NOT NULL,
    grp TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    state TEXT NOT NULL,
    touchpoints TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS journeys_by_file ON journeys (file, run);
CREATE INDEX IF NOT EXISTS findings_by_run ON findings (run, file);
"""


class HistoryError(LoadError):
    """The history file cannot be opened or is not a onevoice history."""


class History:
    """`with History(path) as history:` records runs and reads trends; the file is made when absent."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._create_schema()
        except sqlite3.DatabaseError as error:
            raise HistoryError(f"{path}: not a onevoice history database ({error})") from None

    def _create_schema(self) -> None:
        with self._writing():
            for statement in filter(str.strip, SCHEMA.split(";")):
                self._db.execute(statement)

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._db.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the write lock from its start (no upgrade deadlock)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def record(self, run: RunResult) -> int:
        """Store `run`; its number in the history."""
        shard = f"{run.shard.index}/{run.shard.total}" if run.shard else None
        with self._writing() as db:
            number = db.execute(
                "INSERT INTO runs (started, seconds, exit_code, shard, suite) VALUES (?, ?, ?, ?, ?)",
                (run.started.isoformat(), run.seconds, run.exit_code, shard, run.shard.suite if run.shard else None),
            ).lastrowid
            for journey in run.journeys:
                db.execute(
                    "INSERT INTO journeys VALUES (?, ?, ?, ?, ?, ?)",
                    (number, journey.file, journey.name, journey.slug, journey.status, journey.seconds),
                )
                db.executemany(
                    "INSERT INTO touchpoints VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (number, journey.file, c.touchpoint, c.channel, c.device, c.error, c.attempts, c.seconds)
                        for c in journey.captures
                    ],
                )
                db.executemany(
                    "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (number, journey.file, finding_id(journey.slug, f), group_of(journey.slug, f), f.rule,
                         f.severity, f.state, ",".join(f.touchpoints), f.subject, f.message)
                        for f in journey.findings
                    ],
                )
        return number

    def journey_history(self, file: str, run: int) -> JourneyHistory:
        """The trend and labels of the journey in `file` as of run `run` (which must record it)."""
        rows = self._db.execute(
            "SELECT j.run, r.started FROM journeys j JOIN runs r ON r.id = j.run"
            " WHERE j.file = ? AND j.run <= ? ORDER BY j.run DESC LIMIT ?",
            (file, run, WINDOW),
        ).fetchall()[::-1]
        numbers = [number for number, _ in rows]
        marks = ",".join("?" * len(numbers))
        found = self._db.execute(
            f"SELECT run, grp, rule, subject, touchpoints, state FROM findings WHERE file = ? AND run IN ({marks})",
            (file, *numbers),
        ).fetchall()
        present: dict[int, set[str]] = {number: set() for number in numbers}
        counts: dict[int, dict[str, set[str]]] = {number: {"new": set(), "accepted": set()} for number in numbers}
        described: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        for number, group, rule, subject, touchpoints, state in found:
            if state in PRESENT:
                present[number].add(group)
                counts[number][state].add(group)
                described[group] = (rule, subject, tuple(touchpoints.split(",")))
        runs = [PastRun(number, started, frozenset(present[number])) for number, started in rows]
        labels, gone = label_groups(runs)
        return JourneyHistory(
            run=run,
            trend=tuple(
                TrendPoint(run=number, started=started, new=len(counts[number]["new"]), accepted=len(counts[number]["accepted"]))
                for number, started in rows
            ),
            labels=labels,
            fixed=tuple(
                FixedGroup(group=group, rule=described[group][0], subject=described[group][1],
                           touchpoints=described[group][2], since=since, since_started=started, flaky=flaky)
                for group, (since, started, flaky) in gone.items()
            ),
        )

    def last_runs(self, count: int) -> list[tuple]:
        """(run, started, shard, journeys, touchpoints, new, accepted, retries, exit status, seconds), newest first."""
        return self._db.execute(
            """SELECT r.id, r.started, r.shard,
                      (SELECT COUNT(*) FROM journeys j WHERE j.run = r.id),
                      (SELECT COUNT(*) FROM touchpoints t WHERE t.run = r.id),
                      (SELECT COUNT(*) FROM findings f WHERE f.run = r.id AND f.state = 'new'),
                      (SELECT COUNT(*) FROM findings f WHERE f.run = r.id AND f.state = 'accepted'),
                      (SELECT COALESCE(SUM(t.attempts - 1), 0) FROM touchpoints t WHERE t.run = r.id),
                      r.exit_code, r.seconds
               FROM runs r ORDER BY r.id DESC LIMIT ?""",
            (count,),
        ).fetchall()

    def flakiest(self, count: int) -> list[tuple[int, int, int, str, str, str, str]]:
        """Finding groups that came and went most often over their journeys' last runs:
        (flips, runs present, runs of the journey, journey file, rule, subject, touchpoints)."""
        files = [file for (file,) in self._db.execute("SELECT DISTINCT file FROM journeys")]
        ranked = []
        for file in files:
            last = max(number for (number,) in self._db.execute("SELECT run FROM journeys WHERE file = ?", (file,)))
            history = self.journey_history(file, last)
            numbers = [point.run for point in history.trend]
            marks = ",".join("?" * len(numbers))
            rows = self._db.execute(
                f"SELECT run, grp, rule, subject, touchpoints FROM findings"
                f" WHERE file = ? AND run IN ({marks}) AND state IN ('new', 'accepted')",
                (file, *numbers),
            ).fetchall()
            runs_of: dict[str, set[int]] = {}
            about: dict[str, tuple[str, str, str]] = {}
            for number, group, rule, subject, touchpoints in rows:
                runs_of.setdefault(group, set()).add(number)
                about[group] = (rule, subject, touchpoints)
            for group, seen in runs_of.items():
                presence = [number in seen for number in numbers]
                flips = sum(a != b for a, b in zip(presence, presence[1:]))
                if flips >= 2:
                    ranked.append((flips, len(seen), len(numbers), file, *about[group]))
        return sorted(ranked, key=lambda row: (-row[0], -row[1], row[3], row[4], row[5]))[:count]


def record_run(path: Path, run: RunResult) -> RunResult:
    """Record `run` in the history at `path`; the run with each journey's trend and labels."""
    with History(path) as history:
        number = history.record(run)
        journeys = tuple(
            journey.model_copy(update={"history": history.journey_history(journey.file, number)}) for journey in run.journeys
        )
    return run.model_copy(update={"journeys": journeys})
