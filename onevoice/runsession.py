"""The run session both faces share (`onevoice run` and the pytest plugin): the staging folder a
report is built in, the SMTP catcher when a journey awaits mail, the report put in place at the end.

It imports the catcher, the history and the report writer when it first needs them: a pytest
session of a project without journeys (under xdist too) makes a session and loads none of them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from onevoice.errors import EmailError
from onevoice.report.folder import StagingFolder

if TYPE_CHECKING:
    from onevoice.email.catcher import SmtpCatcher
    from onevoice.model import LoadedJourney
    from onevoice.outcome import RunResult


def smtp_touchpoints(journey: LoadedJourney) -> list[str]:
    """The ids of the journey's touchpoints that await mail at onevoice's own SMTP catcher."""
    return [tp.id for tp in journey.journey.touchpoints if tp.email is not None and tp.email.source == "smtp"]


def uses_smtp(journeys: Iterable[LoadedJourney]) -> bool:
    """Whether a journey awaits an email through onevoice's own SMTP catcher."""
    return any(smtp_touchpoints(journey) for journey in journeys)


class RunSession:
    """What surrounds a run, for both faces: the staging folder its report is built in, the SMTP
    catcher when a journey awaits mail, and at the end the report written (and the run recorded in
    the history) and put in place of the last one. Each part is made when first needed."""

    def __init__(self, report: Path, *, shown_as: str, history: Path | None = None) -> None:
        self.report = report
        self.shown_as = shown_as  # the folder as the user named it, for the commands the report shows
        self.history = history
        self.written: Path | None = None  # the report folder, once finished
        self._staging: StagingFolder | None = None
        self._spool: Path | None = None
        self._catcher: SmtpCatcher | None = None
        self._mail_refused = False  # the catcher could not start: it is not tried again

    @property
    def staging(self) -> Path:
        """The folder the report is built in."""
        if self._staging is None:
            self._staging = StagingFolder(self.report)
        return self._staging.path

    @property
    def spool(self) -> Path:
        """Where the SMTP catcher spools mail."""
        if self._spool is None:
            self._spool = Path(tempfile.mkdtemp(prefix="onevoice-mail-"))
        return self._spool

    def receive_mail_for(self, journeys: Iterable[LoadedJourney]) -> bool:
        """Start the SMTP catcher (once) if one of `journeys` awaits mail by SMTP; whether it runs.
        One that cannot start (its port taken) raises EmailError, once: its reason is left in the
        spool, where whoever then waits for mail fails at once with it, and it is not tried again."""
        if self._catcher is None and not self._mail_refused and uses_smtp(journeys):
            from onevoice.email.catcher import SmtpCatcher, mark_not_running

            catcher = SmtpCatcher(self.spool)
            try:
                catcher.start()  # no catcher counts as running until this returns
            except EmailError as error:
                self._mail_refused = True
                mark_not_running(self.spool, str(error))
                raise
            self._catcher = catcher
        return self._catcher is not None

    def finish(self, run: RunResult) -> RunResult:
        """Record `run` in the history (when there is one), write its report and put it in place."""
        from onevoice.history import record_run
        from onevoice.report import write_report

        if self.history is not None:
            run = record_run(self.history, run)
        write_report(run, self.staging, shown_as=self.shown_as)
        self.written = self._staging.commit()
        return run

    def close(self) -> None:
        if self._catcher is not None:
            self._catcher.stop()
            self._catcher = None
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None
        if self._staging is not None:
            self._staging.__exit__(None, None, None)

    def __enter__(self) -> RunSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
