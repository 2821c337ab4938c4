"""The SMTP catcher's port already in use: the journeys that await mail over SMTP are not run (CLI)
or fail (pytest) and say why in one line naming the port and ONEVOICE_SMTP_PORT; the other journeys
run and are reported."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from journeysite import write_journey, write_site
from onevoice.cli import main

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.browser

MAIL = """\
  - {id: home, url: index.html}
  - id: welcome
    channel: email
    email: {source: smtp, match: {subject: Welcome}, timeout: 2s}
"""


@pytest.fixture
def taken_port(monkeypatch) -> Iterator[int]:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        monkeypatch.setenv("ONEVOICE_SMTP_PORT", str(port))
        yield port


def test_a_taken_smtp_port_stops_the_journeys_that_need_it_and_no_other(tmp_path, serve, taken_port, capsys):
    base = serve(write_site(tmp_path / "site"))
    write_journey(tmp_path / "journeys" / "mail.yaml", base, MAIL)
    write_journey(tmp_path / "journeys" / "pages.yaml", base, "  - {id: home, url: index.html}\n")
    report = tmp_path / "report"

    assert main(["run", str(tmp_path / "journeys"), "--report", str(report)]) == 2

    said = capsys.readouterr().err
    line = next(line for line in said.splitlines() if "mail.yaml" in line)
    assert f"127.0.0.1:{taken_port}: the port is in use; set ONEVOICE_SMTP_PORT to a free port" in line
    assert line.endswith("(touchpoint welcome awaits mail over SMTP)") and "Traceback" not in said
    document = json.loads((report / "findings.json").read_text())
    assert [journey["name"] for journey in document["journeys"]] == ["pages"]
    assert document["journeys"][0]["status"] == "passed"


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_under_pytest_only_the_journeys_that_await_smtp_mail_fail(pytester, serve, taken_port, workers):
    base = serve(write_site(pytester.path / "site"))
    write_journey(pytester.path / "journeys" / "mail.yaml", base, MAIL)
    write_journey(pytester.path / "journeys" / "pages.yaml", base, "  - {id: home, url: index.html}\n")

    result = pytester.runpytest_subprocess("journeys", *workers, "--onevoice-report=out")

    result.assert_outcomes(failed=1, passed=1)
    said = f"*127.0.0.1:{taken_port}: the port is in use; set ONEVOICE_SMTP_PORT to a free port*"
    result.stdout.fnmatch_lines([f"onevoice: {said}the journeys that await mail over SMTP fail, the others run"])
    result.stdout.fnmatch_lines([f"not captured: welcome: {said}"])
    assert "Traceback" not in result.stdout.str()
