"""End to end in Chromium: the bundled demo journey against the demo site and a real SMTP catcher.

One run (a module fixture) of journeys/quillory-welcome.yaml, copied without any baseline so
that the findings are the demo's planted slips and nothing else; the tests read its results and
the report folder it wrote (SPEC.md section 5).
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from onevoice.demo import DemoSite
from onevoice.email import SmtpCatcher
from onevoice.session import execute
from onevoice.findings import Finding
from onevoice.loader import load_journeys
from onevoice.outcome import JourneyResult
from onevoice.engine import RunSettings

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class DemoRun:
    result: JourneyResult
    report: Path


@pytest.fixture(scope="module")
def demo(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    root = tmp_path_factory.mktemp("demo")
    journeys = root / "journeys"
    shutil.copytree(repo_root / "journeys", journeys, ignore=shutil.ignore_patterns("*.baseline.yaml"))
    spool = root / "mail"
    spool.mkdir()
    with SmtpCatcher(spool, port=0) as catcher, DemoSite(smtp_port=catcher.port) as site:
        loaded, problems = load_journeys([str(journeys / "quillory-welcome.yaml")], {"DEMO_URL": site.url, "ONEVOICE_PUBLIC_VARS": "DEMO_URL"})
        assert problems == []
        run = execute(loaded, root / "report", settings=RunSettings(spool=spool))
    (result,) = run.journeys
    return DemoRun(result, root / "report")


def the(demo: DemoRun, rule: str, touchpoint: str, subject: str) -> Finding:
    (finding,) = [
        f for f in demo.result.findings if (f.rule, f.touchpoints, f.subject) == (rule, (touchpoint,), subject)
    ]
    return finding


def test_exactly_the_planted_findings(demo: DemoRun) -> None:
    assert [c.touchpoint for c in demo.result.captures if not c.ok] == []
    new = {(f.rule, tp, f.subject) for f in demo.result.findings if f.state == "new" for tp in f.touchpoints}
    assert new == {
        ("messaging.mismatch", "home-mobile", "tagline"),  # the mobile hero cuts the tagline
        ("messaging.conflict", "welcome-email", "percent: first order"),  # the email says 25%, not 20%
        ("social.missing", "welcome-email", "instagram"),  # the email footer has no Instagram
        ("social.mismatch", "welcome-email", "x"),  # ... and links the old Twitter handle
        ("brand.logo_mismatch", "home-mobile", "logo"),  # the mobile header shows the old badge
        ("brand.logo_mismatch", "offer-landing", "logo"),
        ("brand.color", "offer-landing", "cta #2f9e6b"),  # the offer page's green call to action
        ("social.mismatch", "app-offer", "instagram"),  # the app's offer screen tags another Instagram account
    }
    accepted = {(f.rule, tp, f.subject, f.reason) for f in demo.result.findings if f.state == "accepted" for tp in f.touchpoints}
    reason = "the sign-up page carries no footer by design, to keep people on the form"
    assert accepted == {("social.missing", "signup", platform, reason) for platform in ("facebook", "x", "linkedin", "instagram")}
    assert {f.state for f in demo.result.findings} == {"new", "accepted"}
    assert demo.result.check_errors == {}


def test_the_offer_landing_capture_is_the_page_after_the_tracking_redirect(demo: DemoRun) -> None:
    captures = {c.touchpoint: c for c in demo.result.captures}
    followed = urlsplit(captures["offer-landing"].url)  # the email's link is /r?u=/offer
    assert (followed.path, followed.query) == ("/offer", "")
    assert urlsplit(captures["signup"].url).path == "/signup"


def test_each_finding_points_at_the_element_that_is_wrong(demo: DemoRun) -> None:
    mismatch = the(demo, "messaging.mismatch", "home-mobile", "tagline").evidence[0]
    assert mismatch.selector.endswith("h1") and mismatch.text == "Notebooks made to be filled"
    conflict = the(demo, "messaging.conflict", "welcome-email", "percent: first order").evidence
    # Each side quotes the sentence that states its value, so the claim reads in context.
    assert (conflict[0].touchpoint, conflict[0].text) == ("welcome-email", "25% off your first order")
    cta = the(demo, "brand.color", "offer-landing", "cta #2f9e6b").evidence[0]
    assert cta.text == "call to action #2f9e6b: Claim my discount"  # the element type judged, its colour, its text
    for touchpoint in ("home-mobile", "offer-landing"):
        logo = the(demo, "brand.logo_mismatch", touchpoint, "logo").evidence[0]
        assert logo.selector.startswith("body > header") and logo.selector.endswith("img:nth-of-type(2)")
    old_handle = the(demo, "social.mismatch", "welcome-email", "x").evidence[0]
    assert old_handle.text == "https://x.com/quillory_hq" and old_handle.box is not None
    # The missing Instagram: the email's own row of social links first, then where it is linked.
    row, *elsewhere = the(demo, "social.missing", "welcome-email", "instagram").evidence
    assert (row.touchpoint, row.text) == ("welcome-email", "no instagram link among these")
    assert row.box is not None and row.box[1] <= old_handle.box[1] < row.box[1] + row.box[3]
    assert [e.text for e in elsewhere] == ["linked here"] and elsewhere[0].touchpoint != "welcome-email"


def findings_json(report: Path) -> dict[str, Any]:
    return json.loads((report / "findings.json").read_text(encoding="utf-8"))


def test_findings_json_has_the_shape_of_spec_section_5(demo: DemoRun) -> None:
    document = findings_json(demo.report)
    assert document["onevoice"] == "1" and document["started"].endswith("Z")
    (journey,) = document["journeys"]
    assert journey["name"] == "Quillory sign-up, welcome email and first-order offer"
    assert journey["file"].endswith("quillory-welcome.yaml") and journey["status"] == "failed"
    assert [tp["id"] for tp in journey["touchpoints"]] == [
        "home-desktop", "home-mobile", "signup", "welcome-email", "offer-landing", "app-home", "app-offer"
    ]
    for touchpoint in journey["touchpoints"]:
        assert {"id", "channel", "device", "url", "screenshot", "error"} <= set(touchpoint)
        assert touchpoint["error"] is None
    assert len(journey["findings"]) == len(demo.result.findings)
    for finding in journey["findings"]:
        keys = {"check", "rule", "severity", "touchpoints", "message", "expected", "actual", "evidence", "state", "reason"}
        assert keys <= set(finding)
        assert finding["rule"].startswith(finding["check"] + ".")
        assert all({"touchpoint", "selector", "box"} <= set(evidence) for evidence in finding["evidence"])


def test_the_report_folder_holds_every_output_and_every_image(demo: DemoRun) -> None:
    report = demo.report
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "Quillory sign-up, welcome email and first-order offer" in html
    suites = ElementTree.parse(report / "junit.xml").getroot()
    cases = {case.get("name").rsplit(" :: ", 1)[-1]: case for case in suites.iter("testcase")}
    assert {"messaging", "brand", "social"} <= set(cases)
    assert all(cases[family].find("failure") is not None for family in ("messaging", "brand", "social"))
    (journey,) = findings_json(report)["journeys"]
    images = [tp["screenshot"] for tp in journey["touchpoints"]]
    images += [e["crop"] for f in journey["findings"] for e in f["evidence"] if e.get("crop")]
    assert len(images) > len(journey["touchpoints"])
    assert [image for image in images if not (report / image).is_file()] == []
    assert all(image in html for image in images[: len(journey["touchpoints"])])
