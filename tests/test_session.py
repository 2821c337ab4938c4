"""The run session both faces share: a catcher only for journeys that await SMTP mail, one report
put in place at the end, nothing left behind (no browser: the run's results are given)."""

from __future__ import annotations

import asyncio
import smtplib
import socket
from datetime import datetime, timezone
from pathlib import Path

import pytest

from onevoice.email.sources import from_spool
from onevoice.errors import EmailError
from onevoice.model import EmailMatch, Journey, LoadedJourney
from onevoice.outcome import JourneyResult, RunResult
from onevoice.runsession import RunSession, uses_smtp


def journey(*touchpoints: dict) -> LoadedJourney:
    model = Journey.model_validate({"name": "j", "touchpoints": list(touchpoints)})
    return LoadedJourney(journey=model, brand=None, file="j.yaml", path=Path("j.yaml"), slug="j", messages=(), urls={})


WEB = {"id": "home", "url": "http://127.0.0.1:9/"}
SMTP = {"id": "mail", "channel": "email", "email": {"source": "smtp"}}
FILE = {"id": "saved", "channel": "email", "email": {"source": "file", "path": "x.eml"}}


def test_only_a_journey_awaiting_smtp_mail_starts_the_catcher(tmp_path, monkeypatch):
    monkeypatch.setenv("ONEVOICE_SMTP_PORT", "0")
    assert not uses_smtp([journey(WEB, FILE)]) and uses_smtp([journey(WEB), journey(WEB, SMTP)])
    with RunSession(tmp_path / "report", shown_as="report") as session:
        assert session.receive_mail_for([journey(WEB, FILE)]) is False
        assert session._spool is None  # nothing made that is not needed
        assert session.receive_mail_for([journey(WEB, SMTP)]) is True
        with smtplib.SMTP("127.0.0.1", session._catcher.port, timeout=30) as client:
            client.sendmail("shop@x.test", ["qa@x.test"], "Subject: Welcome\r\n\r\nHello")
        assert len(list(session.spool.iterdir())) == 1
        spool = session.spool
    assert not spool.exists()


def test_a_catcher_that_cannot_start_fails_whoever_then_waits_on_its_spool_at_once(tmp_path, monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as taken, RunSession(tmp_path / "report", shown_as="report") as session:
        monkeypatch.setenv("ONEVOICE_SMTP_PORT", str(taken.getsockname()[1]))
        with pytest.raises(EmailError, match="the port is in use"):
            session.receive_mail_for([journey(WEB, SMTP)])
        assert session.receive_mail_for([journey(WEB, SMTP)]) is False  # refused once: not tried again

        waiting = from_spool(session.spool, EmailMatch(subject="Welcome"), timeout=60)  # as a pytest worker would
        with pytest.raises(EmailError, match="^the SMTP catcher cannot listen on 127.0.0.1:.*the port is in use"):
            asyncio.run(asyncio.wait_for(waiting, timeout=30))


def test_finish_puts_the_report_in_place_of_the_last_one(tmp_path):
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "old.txt").write_text("last night")
    run = RunResult(started=datetime(2026, 11, 23, 2, tzinfo=timezone.utc), journeys=(JourneyResult(name="j", file="j.yaml", slug="j"),))
    with RunSession(tmp_path / "report", shown_as="report") as session:
        session.finish(run)
    assert session.written == (tmp_path / "report").resolve()
    assert sorted(path.name for path in (tmp_path / "report").iterdir()) == ["findings.json", "index.html", "junit.xml"]
    assert [path.name for path in tmp_path.iterdir()] == ["report"]  # no staging folder left
