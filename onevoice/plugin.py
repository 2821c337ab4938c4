"""The pytest plugin (entry point `pytest11`): `pytest journeys/` runs journeys as test items.

Each journey file is one item (its tags become markers, `-k` selects by name); each check
family is reported as a sub-result. The onevoice report (index.html, findings.json,
junit.xml) is written once, by the controlling process, when the session ends; with
pytest-xdist the workers capture into the controller's staging folder and send their
results back through the test reports, and read mail from the controller's SMTP catcher.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest

from onevoice import defaults
from onevoice.errors import EmailError, OnevoiceError

if TYPE_CHECKING:  # imported where used: a project without journeys loads none of it
    from onevoice.model import LoadedJourney
    from onevoice.outcome import JourneyResult
    from onevoice.runsession import RunSession
    from onevoice.shard import ShardInfo

RESULT_PROPERTY = "onevoice_result"
SHARD_PROPERTY = "onevoice_shard"
STAGING_KEY = "onevoice_staging"
SPOOL_KEY = "onevoice_spool"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("onevoice", "onevoice customer journeys")
    group.addoption("--onevoice-report", metavar="DIR", default=defaults.REPORT_DIR, help=f"report folder (default {defaults.REPORT_DIR})")
    group.addoption("--onevoice-retries", type=int, default=defaults.RETRIES, metavar="N", help="retries of a touchpoint failing transiently")
    group.addoption("--onevoice-timeout", type=float, default=defaults.TIMEOUT, metavar="SECONDS", help="for each navigation and step")
    group.addoption("--onevoice-concurrency", type=int, default=defaults.CONCURRENCY, metavar="N", help="touchpoints captured at once per process")
    group.addoption("--onevoice-history", metavar="FILE", help="record the run in this history database (SQLite); the report shows trends")
    group.addoption("--onevoice-shard", metavar="I/N", help="run only the I-th of N parts of the journeys (the split of `onevoice run --shard`)")
    parser.addini(
        "onevoice_journeys",
        type="linelist",
        default=[defaults.JOURNEY_DIR],
        help="folders (relative to the rootdir) whose YAML journeys are test items; paths given on the command line count too",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    asked = _asked_for(parent.config, file_path)
    if not asked:
        return None  # the project's own YAML: not even read
    from onevoice.loader import is_journey_file

    if is_journey_file(file_path, unreadable_counts=asked == "journeys"):
        return JourneyFile.from_parent(parent, path=file_path)
    return None


def journey_roots(config: pytest.Config) -> JourneyRoots:
    """Where journeys are collected: the `onevoice_journeys` folders and the files given on the
    command line, where any YAML is a journey; and the folders given on the command line, where
    a YAML file is one when it says so (not pytest's `testpaths` or the current folder, which a
    plain `pytest` walks)."""
    folders = [config.rootpath / folder for folder in config.getini("onevoice_journeys")]
    given = []
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        arguments = [config.invocation_params.dir / arg.split("::")[0] for arg in config.args]
        folders += [path for path in arguments if path.is_file()]
        given = [path for path in arguments if not path.is_file()]
    return JourneyRoots(tuple(path.resolve() for path in folders), tuple(path.resolve() for path in given))


@dataclass(frozen=True)
class JourneyRoots:
    journeys: tuple[Path, ...]  # every YAML file here is taken for a journey
    given: tuple[Path, ...]  # folders given on the command line: YAML files here may be other projects'


def _asked_for(config: pytest.Config, path: Path) -> Literal["journeys", "given", None]:
    if _roots_key not in config.stash:
        config.stash[_roots_key] = journey_roots(config)
    roots, resolved = config.stash[_roots_key], path.resolve()
    if any(resolved == root or resolved.is_relative_to(root) for root in roots.journeys):
        return "journeys"
    if any(resolved.is_relative_to(root) for root in roots.given):
        return "given"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Screenshot folders are named after the journey file; two files of one name get their paths.
    With `--onevoice-shard I/N`, the journeys of the other parts are deselected.

    Every xdist worker collects every item, so each process reaches the same names and parts.
    """
    journeys = [item for item in items if isinstance(item, JourneyItem)]
    taken = Counter(item.journey.slug for item in journeys)
    for item in journeys:
        if taken[item.journey.slug] > 1:
            from onevoice.loader import slugify

            relative = item.path.relative_to(item.config.rootpath) if item.path.is_relative_to(item.config.rootpath) else item.path
            slug = slugify(relative.with_suffix("").as_posix().replace("/", "-"))
            item.journey = item.journey.model_copy(update={"slug": slug})
    if config.getoption("onevoice_shard"):
        _keep_shard(config, items)


def _keep_shard(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the journey items of the other parts; remember what this part's report records."""
    from onevoice.shard import Shard, ShardInfo, select_shard, suite_fingerprint

    option = config.getoption("onevoice_shard")
    try:
        shard = Shard.parse(option)
    except ValueError as error:
        raise pytest.UsageError(f"--onevoice-shard {error}") from None
    suite = sorted(
        (item for item in items if isinstance(item, (JourneyItem, BrokenJourneyItem))), key=lambda item: _journey_file(item)
    )
    weights = [(_journey_file(item), len(item.journey.journey.touchpoints) if isinstance(item, JourneyItem) else 0) for item in suite]
    kept = {id(suite[position]) for position in select_shard(weights, shard)}
    config.stash[_shard_key] = ShardInfo(
        index=shard.index,
        total=shard.total,
        suite=suite_fingerprint([(file, item.path) for (file, _), item in zip(weights, suite)]),
        journeys=tuple(file for file, _ in weights),
    )
    dropped = [item for item in suite if id(item) not in kept]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        gone = {id(item) for item in dropped}
        items[:] = [item for item in items if id(item) not in gone]


def _display_path(config: pytest.Config, path: Path) -> str:
    """A journey file as the report names it: relative to the rootdir when it is inside."""
    return path.relative_to(config.rootpath).as_posix() if path.is_relative_to(config.rootpath) else str(path)


def _journey_file(item: pytest.Item) -> str:
    """The journey file as findings.json names it."""
    return item.journey.file if isinstance(item, JourneyItem) else _display_path(item.config, item.path)


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("RUN_ID", defaults.run_id())
    if _is_xdist_worker(config):
        staging, spool = Path(config.workerinput[STAGING_KEY]), Path(config.workerinput[SPOOL_KEY])
        config.stash[_process_key] = ProcessState(lambda: staging, lambda: spool, config)
        return
    controller = ReportController(config)
    config.stash[_controller_key] = controller
    config.stash[_process_key] = ProcessState(controller.staging_path, controller.spool_path, config)
    config.pluginmanager.register(controller, "onevoice-report")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(XdistHooks(controller), "onevoice-xdist")


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_process_key, None)
    if state is not None:
        state.close()
    controller = config.stash.get(_controller_key, None)
    if controller is not None:
        controller.close()
        config.pluginmanager.unregister(controller)


class ProcessState:
    """This process's engine (one browser), started by the first journey that runs."""

    def __init__(self, staging: Callable[[], Path], spool: Callable[[], Path], config: pytest.Config) -> None:
        self.staging = staging
        self.spool = spool
        self.config = config
        self._engine = None

    def engine(self):
        if self._engine is None:
            from onevoice.capture.web import CaptureSettings
            from onevoice.engine import Engine, RunSettings

            settings = RunSettings(
                capture=CaptureSettings(
                    timeout=self.config.getoption("onevoice_timeout"), retries=self.config.getoption("onevoice_retries")
                ),
                concurrency=self.config.getoption("onevoice_concurrency"),
                spool=self.spool(),
            )
            self._engine = Engine(self.staging(), settings).__enter__()
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


class ReportController:
    """Lives in the controlling process: owns the run session (staging folder, SMTP catcher), writes the report."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._session: RunSession | None = None
        self.results: list[JourneyResult] = []
        self.shard: ShardInfo | None = None
        self.started = datetime.now(timezone.utc)

    @property
    def session(self) -> RunSession:
        """The run session, made when first needed: a test run with no journey imports no engine."""
        if self._session is None:
            from onevoice.runsession import RunSession

            report = Path(self.config.getoption("onevoice_report"))
            history = self.config.getoption("onevoice_history")
            invoked = Path(self.config.invocation_params.dir)
            self._session = RunSession(
                report if report.is_absolute() else invoked / report,
                shown_as=self.config.getoption("onevoice_report"),
                history=invoked / history if history else None,
            )
        return self._session

    def staging_path(self) -> Path:
        """The folder the report is built in; made when first needed, so plain test runs leave none."""
        return self.session.staging

    def spool_path(self) -> Path:
        """Where the session's SMTP catcher spools mail; made when first needed."""
        return self.session.spool

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.receive_mail_for([item.journey for item in session.items if isinstance(item, JourneyItem)])

    def receive_mail_for(self, journeys: Iterable[LoadedJourney]) -> None:
        """Start the session's SMTP catcher if a journey awaits mail. One it cannot start (its port
        taken) is said in one line, and only the journeys that await mail over SMTP fail, with it."""
        journeys = list(journeys)
        if not journeys:
            return
        try:
            self.session.receive_mail_for(journeys)
        except EmailError as error:  # said once: the session does not try again
            line = f"onevoice: {error}; the journeys that await mail over SMTP fail, the others run"
            terminal = self.config.pluginmanager.get_plugin("terminalreporter")
            if terminal is not None:
                terminal.write_line(line)
            else:
                print(line, file=sys.stderr)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" or isinstance(report, pytest.SubtestReport):
            return
        for name, value in report.user_properties:
            if name == RESULT_PROPERTY:
                from onevoice.outcome import JourneyResult

                self.results.append(JourneyResult.model_validate_json(value))
            elif name == SHARD_PROPERTY and self.shard is None:
                from onevoice.shard import ShardInfo

                self.shard = ShardInfo.model_validate_json(value)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        shard = self.shard or self.config.stash.get(_shard_key, None)
        if not self.results and shard is None:
            return  # a shard that drew no journey still writes its (empty) report, for `onevoice merge`
        from onevoice.outcome import RunResult

        run = RunResult(
            started=self.started,
            seconds=round((datetime.now(timezone.utc) - self.started).total_seconds(), 3),
            journeys=tuple(sorted(self.results, key=lambda r: r.file)),
            shard=shard,
        )
        # the engine of this process must be done writing before the folder moves
        self.config.stash[_process_key].close()
        self.session.finish(run)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self._session is not None and self._session.written is not None:
            terminalreporter.write_sep("-", f"onevoice report: {self.session.written / 'index.html'}")

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


def loaded_journeys(files: Iterable[Path]) -> Iterator[LoadedJourney]:
    """The journeys of `files` that load (the others fail as test items, with their problems)."""
    from onevoice.loader import JourneyLoadError, load_journey

    for file in files:
        try:
            yield load_journey(file)
        except JourneyLoadError:
            continue


class XdistHooks:
    def __init__(self, controller: ReportController) -> None:
        self.controller = controller
        self.checked: set[Path] = set()  # journey files whose mail needs are known (every worker collects all)

    def pytest_configure_node(self, node) -> None:
        node.workerinput[STAGING_KEY] = str(self.controller.staging_path())
        node.workerinput[SPOOL_KEY] = str(self.controller.spool_path())

    def pytest_xdist_node_collection_finished(self, node, ids: list[str]) -> None:
        """Workers collect; the controller learns their journey files from the collected ids."""
        root = self.controller.config.rootpath
        files = {root / node_id.split("::")[0] for node_id in ids if "::" in node_id} - self.checked
        self.checked |= files
        if journey_files := [file for file in files if file.suffix in (".yaml", ".yml")]:
            self.controller.receive_mail_for(loaded_journeys(journey_files))


_process_key = pytest.StashKey[ProcessState]()
_roots_key = pytest.StashKey[JourneyRoots]()
_controller_key = pytest.StashKey[ReportController]()
_shard_key = pytest.StashKey["ShardInfo"]()


class JourneyFile(pytest.File):
    def collect(self):
        from onevoice.loader import JourneyLoadError, load_journey

        display = _display_path(self.config, self.path)
        try:
            journey = load_journey(self.path, display)
        except JourneyLoadError as exc:
            yield BrokenJourneyItem.from_parent(self, name=self.path.name, error=exc)
            return
        item = JourneyItem.from_parent(self, name=journey.shown_name, journey=journey)
        for tag in journey.journey.tags:
            self.config.addinivalue_line("markers", f"{tag}: onevoice journey tag")
            item.add_marker(tag)
        yield item


class JourneyFailed(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class BrokenJourneyItem(pytest.Item):
    """A journey file that does not load: it fails with the loader's `file:line:` problems."""

    def __init__(self, *, error: Exception, **kwargs) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise JourneyFailed("\n".join(str(problem) for problem in self.error.problems))

    def repr_failure(self, excinfo, style=None):
        return excinfo.value.text if isinstance(excinfo.value, JourneyFailed) else super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"journey file: {self.name}"


class JourneyItem(pytest.Item):
    def __init__(self, *, journey, **kwargs) -> None:
        super().__init__(**kwargs)
        self.journey = journey

    def runtest(self) -> None:
        state = self.config.stash[_process_key]
        result = state.engine().run([self.journey])[0]
        for family, text in family_failures(result).items():
            report_family(self, family, text)
        self.user_properties.append((RESULT_PROPERTY, result.model_dump_json()))
        shard = self.config.stash.get(_shard_key, None)
        if shard is not None:  # with xdist, the controller learns the part from its workers
            self.user_properties.append((SHARD_PROPERTY, shard.model_dump_json()))
        problems = failure_text(result)
        if problems:
            raise JourneyFailed(problems)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, OnevoiceError):  # e.g. no browser: one line, as the CLI says it
            return f"onevoice: {excinfo.value}"
        return excinfo.value.text if isinstance(excinfo.value, JourneyFailed) else super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"journey: {self.name}"


def family_failures(result: JourneyResult) -> dict[str, str | None]:
    """Per check family that ran: the failure text of its new error findings, or None."""
    failures: dict[str, str | None] = {}
    for family in result.checks:
        lines = [
            f"{f.rule} [{', '.join(f.touchpoints)}] {f.message}"
            for f in result.new_errors
            if f.check == family
        ]
        if family in result.check_errors:
            lines.append(f"check crashed: {result.check_errors[family]}")
        failures[family] = "\n".join(lines) or None
    return failures


def failure_text(result: JourneyResult) -> str:
    """Why the journey item fails: new error findings, touchpoints not captured, checks that crashed."""
    lines = [f"{f.rule} [{', '.join(f.touchpoints)}] {f.message}" for f in result.new_errors]
    lines += [f"not captured: {c.touchpoint}: {c.error}" for c in result.failed_captures]
    lines += [f"check {name} crashed: {error}" for name, error in sorted(result.check_errors.items())]
    return "\n".join(lines)


def report_family(item: JourneyItem, family: str, failure: str | None) -> None:
    """Log one check family's outcome as a pytest sub-result (pytest >= 9 subtests)."""
    try:
        from _pytest.subtests import SubtestContext
    except ImportError:  # pytest 8: the journey item's own failure lists every family
        return

    def outcome() -> None:
        if failure:
            raise JourneyFailed(failure)

    call = pytest.CallInfo.from_call(outcome, when="call")
    report = item.ihook.pytest_runtest_makereport(item=item, call=call)
    sub_report = pytest.SubtestReport._new(report, SubtestContext(msg=family, kwargs={}), None, None)
    capture = item.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # the terminal's progress line, not the item's output
        item.ihook.pytest_runtest_logreport(report=sub_report)
