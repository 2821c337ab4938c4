"""`onevoice run / validate / schema` end to end: real journeys, a real browser, real outputs, exit codes."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET

import pytest

from journeysite import write_journey, write_site
from onevoice.cli import main

pytestmark = pytest.mark.browser

DESKTOP_AND_MOBILE = """\
  - {id: home-desktop, url: index.html}
  - {id: home-mobile, device: iPhone 13, url: index.html}
"""


@pytest.fixture(autouse=True)
def run_id(monkeypatch):
    monkeypatch.setenv("RUN_ID", "test-run")


def run(*args: str) -> int:
    return main(["run", *args])


def findings_json(report):
    return json.loads((report / "findings.json").read_text())


def test_a_consistent_journey_passes_and_writes_every_output(tmp_path, serve, capsys):
    base = serve(write_site(tmp_path / "site"))
    journey = write_journey(tmp_path / "journeys" / "home.yaml", base, DESKTOP_AND_MOBILE)
    report = tmp_path / "report"

    assert run(str(journey), "--report", str(report)) == 0

    document = findings_json(report)
    (result,) = document["journeys"]
    assert result["status"] == "passed" and result["file"] == str(journey)
    assert [f for f in result["findings"] if f["state"] == "new"] == []
    for touchpoint in result["touchpoints"]:
        assert touchpoint["error"] is None and (report / touchpoint["screenshot"]).stat().st_size > 0
    suites = ET.parse(report / "junit.xml").getroot()
    assert suites.iter("testcase") and not list(suites.iter("failure"))
    out = capsys.readouterr()
    assert "1 passed" in out.out and str(report / "index.html") in out.out
    assert "home-mobile (iPhone 13)" in out.err  # progress lines, plain when not a terminal


def test_a_new_error_finding_fails_the_run(tmp_path, serve, capsys):
    base = serve(write_site(tmp_path / "site"))
    messages = "messages:\n  - {id: promise, text: Free delivery on every order}\n"
    journey = write_journey(tmp_path / "home.yaml", base, DESKTOP_AND_MOBILE, messages)
    report = tmp_path / "report"

    assert run(str(journey), "--report", str(report)) == 1

    (result,) = findings_json(report)["journeys"]
    missing = {(f["rule"], tuple(f["touchpoints"])) for f in result["findings"]}
    assert missing == {("messaging.missing", ("home-desktop",)), ("messaging.missing", ("home-mobile",))}
    assert "messaging.missing" in capsys.readouterr().out


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_touchpoints_that_cannot_be_captured_are_reported_and_the_rest_still_runs(
    tmp_path, serve, silent_address, capsys
):
    base = serve(write_site(tmp_path / "site"))
    broken = f"""\
  - {{id: fine, url: index.html}}
  - {{id: unreachable, url: "http://127.0.0.1:{closed_port()}/"}}
  - {{id: not-found, url: no-such-page.html}}
  - id: step-never-matches
    url: index.html
    steps:
      - click: "#no-such-button"
  - {{id: hangs, url: "http://{silent_address}/"}}
"""
    write_journey(tmp_path / "journeys" / "broken.yaml", base, broken)
    write_journey(tmp_path / "journeys" / "healthy.yaml", base, DESKTOP_AND_MOBILE)
    report = tmp_path / "report"

    code = run(str(tmp_path / "journeys"), "--report", str(report), "--timeout", "2", "--retries", "0")

    assert code == 3
    journeys = {j["name"]: j for j in findings_json(report)["journeys"]}
    assert journeys["healthy"]["status"] == "passed"
    errors = {t["id"]: t["error"] for t in journeys["broken"]["touchpoints"]}
    assert errors["fine"] is None
    assert "could not open" in errors["unreachable"] and "ERR_CONNECTION_REFUSED" in errors["unreachable"]
    assert "HTTP 404" in errors["not-found"]
    assert "step 1 (click '#no-such-button')" in errors["step-never-matches"]
    assert "could not open" in errors["hangs"] and "Timeout" in errors["hangs"]
    assert journeys["broken"]["status"] == "error"
    assert "not captured: hangs" in capsys.readouterr().out


def test_a_journey_that_does_not_load_exits_2_and_the_others_are_still_run(tmp_path, serve, capsys):
    base = serve(write_site(tmp_path / "site"))
    write_journey(tmp_path / "journeys" / "good.yaml", base, DESKTOP_AND_MOBILE)
    write_journey(tmp_path / "journeys" / "typo.yaml", base, "  - {id: home, device: iPhone 99, url: /}\n")
    report = tmp_path / "report"

    assert run(str(tmp_path / "journeys"), "--report", str(report)) == 2

    err = capsys.readouterr().err
    assert f"{tmp_path / 'journeys' / 'typo.yaml'}:4: touchpoints[0].device: unknown device 'iPhone 99'" in err
    assert [j["name"] for j in findings_json(report)["journeys"]] == ["good"]


def test_k_selects_journeys_by_name_or_tag(tmp_path, serve):
    base = serve(write_site(tmp_path / "site"))
    tagged = "tags: [nightly]\n"
    write_journey(tmp_path / "journeys" / "a.yaml", base, "  - {id: home, url: index.html}\n", tagged, name="Alpha")
    write_journey(tmp_path / "journeys" / "b.yaml", base, "  - {id: home, url: index.html}\n", name="Beta")
    for expression, names in (("nightly", ["Alpha"]), ("beta", ["Beta"]), ("not nightly and not beta", None)):
        report = tmp_path / f"report-{len(expression)}"
        code = run(str(tmp_path / "journeys"), "--report", str(report), "-k", expression)
        if names is None:
            assert code == 2 and not report.exists()
        else:
            assert code == 0 and [j["name"] for j in findings_json(report)["journeys"]] == names


def test_worker_processes_run_journeys_in_parallel_into_one_report(tmp_path, serve, capsys):
    base = serve(write_site(tmp_path / "site"))
    for name in ("one", "two", "three"):
        write_journey(tmp_path / "journeys" / f"{name}.yaml", base, DESKTOP_AND_MOBILE)
    report = tmp_path / "report"

    assert run(str(tmp_path / "journeys"), "--report", str(report), "-n", "2") == 0

    journeys = findings_json(report)["journeys"]
    assert sorted(j["name"] for j in journeys) == ["one", "three", "two"]
    shots = [report / t["screenshot"] for j in journeys for t in j["touchpoints"]]
    assert len(shots) == 6 and all(shot.is_file() for shot in shots)
    assert capsys.readouterr().err.count(" ok") == 6  # every worker's progress reached the parent


def test_a_failed_run_leaves_the_last_good_report_in_place(tmp_path, serve, monkeypatch):
    base = serve(write_site(tmp_path / "site"))
    journey = write_journey(tmp_path / "home.yaml", base, DESKTOP_AND_MOBILE)
    report = tmp_path / "report"
    assert run(str(journey), "--report", str(report)) == 0
    before = (report / "findings.json").read_bytes()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("onevoice.report.write_report", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        run(str(journey), "--report", str(report))
    assert (report / "findings.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []


def test_validate_loads_without_a_browser_and_names_the_problem(tmp_path, capsys):
    good = write_journey(tmp_path / "good.yaml", "http://127.0.0.1:9/", DESKTOP_AND_MOBILE)
    assert main(["validate", str(good)]) == 0
    assert "ok: " in capsys.readouterr().out

    bad = write_journey(tmp_path / "bad.yaml", "http://127.0.0.1:9/", "  - {id: home, url: /, colour: red}\n")
    assert main(["validate", str(bad)]) == 2
    assert f"{bad}:4: touchpoints[0].colour" in capsys.readouterr().err


def test_schema_prints_a_json_schema_for_journeys_and_brands(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "$schema" in schema and "touchpoints" in json.dumps(schema) and "color_tolerance" in json.dumps(schema)
