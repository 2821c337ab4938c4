"""The SMTP catcher's port already in use: the journeys that await mail over SMTP are not run and
say why in one line naming the port and ONEVOICE_SMTP_PORT; the other journeys run and are reported."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from journeysite import write_journey, write_site
from onevoice.cli import main

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
