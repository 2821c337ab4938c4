"""write_report on a hand-built run: findings.json, junit.xml and index.html parsed for their content."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from onevoice.findings import Cell, Evidence, FactChange, Finding, Matrix
from onevoice.report import write_report
from onevoice.report.findings_json import read_findings
from onevoice.report.junit import write_junit
from onevoice.report.html import inline_hash
from report_samples import BOXES, EVIDENCE_COLOR, sample_run

XSS = "<img src=x onerror=alert(1)>"
SPEC_TOUCHPOINT_KEYS = ["id", "channel", "device", "url", "screenshot", "error"]
SPEC_FINDING_KEYS = ["check", "rule", "severity", "touchpoints", "message", "expected", "actual", "evidence", "state", "reason"]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    assert write_report(sample_run(folder, text=XSS), folder) == folder / "index.html"
    return folder


def test_findings_json_has_the_spec_shape(report):
    document = json.loads((report / "findings.json").read_text(encoding="utf-8"))
    assert document["onevoice"] == "1" and document["started"] == "2026-11-23T02:00:00Z"
    failed, passed = document["journeys"]
    assert (failed["name"], failed["file"], failed["status"]) == (f"Spring sale {XSS}", "journeys/spring-sale.yaml", "failed")
    assert passed["status"] == "passed" and passed["findings"] == []
    for touchpoint in failed["touchpoints"]:
        assert list(touchpoint)[:6] == SPEC_TOUCHPOINT_KEYS
    assert [t["id"] for t in failed["touchpoints"]] == ["home-desktop", "home-mobile", "welcome-email", "signup"]
    assert failed["touchpoints"][3]["error"].startswith("net::ERR_CONNECTION_REFUSED")
    for finding in failed["findings"]:
        assert list(finding)[:10] == SPEC_FINDING_KEYS
    missing = next(f for f in failed["findings"] if f["subject"] == "instagram")
    assert missing["evidence"][0]["touchpoint"] == "welcome-email"
    assert missing["evidence"][0]["box"] == [0, 1280, 600, 220]
    assert (missing["expected"], missing["actual"], missing["state"], missing["reason"]) == (
        "https://www.instagram.com/northwind", None, "new", None)
    accepted = next(f for f in failed["findings"] if f["state"] == "accepted")
    assert accepted["reason"] == "the footer is being redesigned"
    assert [f["rule"] for f in failed["findings"]] == [
        "brand.color", "brand.logo_missing", "messaging.mismatch", "social.missing", "social.missing"]



def test_findings_json_is_its_typed_model_written_out(report):
    path = report / "findings.json"
    document = read_findings(path)
    assert document.to_json() == path.read_text(encoding="utf-8")
    emails = [tp.id for tp in document.journeys[0].touchpoints if tp.subject is not None]
    assert emails == ["welcome-email"]  # the others have no subject key in the file at all
    assert all("subject" not in tp for tp in json.loads(path.read_text())["journeys"][0]["touchpoints"] if tp["id"] != "welcome-email")

def test_evidence_crops_cut_the_evidence_out_of_its_screenshot(report):
    document = json.loads((report / "findings.json").read_text(encoding="utf-8"))
    crops = {
        (e["touchpoint"], tuple(e["box"])): e["crop"]
        for f in document["journeys"][0]["findings"] for e in f["evidence"] if e["box"]
    }
    assert len(crops) == len(BOXES)
    for (touchpoint, box), crop in crops.items():
        assert crop.startswith("screens/spring-sale/evidence/")
        with Image.open(report / crop) as image:
            centre = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
            assert centre == EVIDENCE_COLOR, (touchpoint, box)
            assert image.width <= 720 and image.height <= 480


def test_junit_has_a_capture_case_and_one_case_per_check_family(report):
    root = ET.parse(report / "junit.xml").getroot()
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "8", "3")
    cases = {case.get("name"): case for case in root.iter("testcase")}
    name = f"Spring sale {XSS}"
    assert sorted(cases) == sorted(
        [f"{journey} :: {part}" for journey in (name, "About page") for part in ("capture", "brand", "messaging", "social")])
    assert all(case.get("classname") == "journeys/spring-sale.yaml" for n, case in cases.items() if n.startswith("Spring"))
    capture = cases[f"{name} :: capture"].find("failure")
    assert capture is not None and "signup" in capture.text and "ERR_CONNECTION_REFUSED" in capture.text
    social = cases[f"{name} :: social"]
    assert "social.missing [welcome-email] welcome-email links to no instagram account" in social.find("failure").text
    assert "accepted social.missing [home-desktop]" in social.find("system-out").text
    assert "the footer is being redesigned" in social.find("system-out").text
    brand = cases[f"{name} :: brand"]
    assert brand.find("failure") is None and "warning brand.color" in brand.find("system-out").text
    assert all(case.find("failure") is None for n, case in cases.items() if n.startswith("About page"))


def test_junit_reports_a_crashed_check_as_an_error(tmp_path):
    run = sample_run(tmp_path)
    crashed = run.journeys[1].model_copy(update={"check_errors": {"brand": "KeyError: 'logo' in brand.py:40"}})
    write_report(run.model_copy(update={"journeys": (run.journeys[0], crashed)}), tmp_path)
    root = ET.parse(tmp_path / "junit.xml").getroot()
    case = next(c for c in root.iter("testcase") if c.get("name") == "About page :: brand")
    assert "KeyError" in case.find("error").text


def test_junit_lists_the_facts_changed_since_the_baseline_in_the_journeys_system_out(tmp_path):
    run = sample_run(tmp_path)
    changes = (FactChange(matrix="social", row="instagram", touchpoint="welcome-email",
                          before="https://www.instagram.com/northwind", after=None),
               FactChange(matrix="messages", row="tagline", touchpoint="home-mobile", before=None, after=XSS))
    changed = run.journeys[0].model_copy(update={"baseline": "journeys/spring-sale.baseline.yaml", "changes": changes})
    write_junit(run.model_copy(update={"journeys": (changed, run.journeys[1])}), tmp_path)
    suites = ET.parse(tmp_path / "junit.xml").getroot().findall("testsuite")
    assert suites[0].find("system-out").text.splitlines() == [
        "2 fact(s) changed since journeys/spring-sale.baseline.yaml",
        "changed since baseline: social instagram on welcome-email: https://www.instagram.com/northwind -> (none)",
        f"changed since baseline: messages tagline on home-mobile: (none) -> {XSS}",
    ]
    assert suites[1].find("system-out") is None


def test_index_html_csp_allows_exactly_its_inline_script_and_style(report):
    soup = BeautifulSoup((report / "index.html").read_text(encoding="utf-8"), "html.parser")
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    scripts, styles = soup.find_all("script"), soup.find_all("style")
    assert len(scripts) == 1 and len(styles) == 1
    assert f"script-src {inline_hash(scripts[0].string)}" in policy
    assert f"style-src {inline_hash(styles[0].string)}" in policy
    assert "unsafe-inline" not in policy and "default-src 'none'" in policy
    assert not soup.find_all(attrs={"style": True})
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", str(soup.find("head")))


def test_index_html_shows_findings_screens_and_fact_tables(report):
    soup = BeautifulSoup((report / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text(strip=True) == "2 new errors in 1 of 2 journeys"
    journey = soup.find("section", class_="journey")
    new = journey.find("div", class_="findings").find_all("article", class_="finding")
    assert [a["data-rule"] for a in new] == ["messaging.mismatch", "social.missing", "brand.color"]
    accepted = journey.find("details", class_="apart--accepted")
    assert "the footer is being redesigned" in accepted.get_text()
    assert journey.find("details", class_="apart--fixed").find("article")["data-rule"] == "brand.logo_missing"
    shots = {figure["data-touchpoint"]: figure for figure in journey.find_all("figure", class_="shot")}
    assert list(shots) == ["home-desktop", "home-mobile", "welcome-email", "signup"]
    assert "iPhone 13" in shots["home-mobile"].get_text() and "Subject:" in shots["welcome-email"].get_text()
    assert "Not captured" in shots["signup"].get_text()
    for figure in list(shots.values())[:3]:
        image = figure.find("img")
        assert image["loading"] == "lazy" and (report / image["src"]).is_file()
    svg = shots["home-mobile"].find("svg")
    assert svg["viewbox"] == "0 0 390 1800"
    rect = svg.find("rect")
    assert [float(rect[k]) for k in ("x", "y", "width", "height")] == list(BOXES["tagline"][1])
    messages = journey.find("section", attrs={"data-matrix": "messages"})
    reworded = messages.find("td", class_="cell--reworded")
    assert [d.get_text() for d in reworded.find_all("del")] == ["your", "love"]
    assert [i.get_text() for i in reworded.find_all("ins")] == ["adore"]
    assert messages.find("td", class_="cell--missing")
    logo = journey.find("section", attrs={"data-matrix": "logo"}).find("img")
    assert logo["src"] == "screens/spring-sale/logo-desktop.png"
    for image in soup.find_all("img"):
        assert (report / image["src"]).is_file(), image["src"]


def test_captured_text_stays_text(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("img", src="x")
    assert XSS in soup.get_text()
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 4  # journey name, message, error, subject


def swatches(element) -> list[str]:
    """The colours of the swatches drawn inside `element`, in page order."""
    return [svg.find("rect")["fill"] for svg in element.find_all("svg", class_="swatch")]


def test_a_swatch_is_drawn_only_for_a_value_handed_as_a_colour(tmp_path):
    run = sample_run(tmp_path)
    code = Finding(check="messaging", rule="messaging.conflict", severity="error", touchpoints=("welcome-email",),
                   subject="promo code", message="welcome-email says #cafe12, the others #c0ffee", expected="#c0ffee",
                   actual="#cafe12", evidence=(Evidence(touchpoint="welcome-email", box=(0.0, 1280.0, 600.0, 220.0),
                                                        text="#cafe12"),))
    claims = Matrix(id="claims", title="Claims", rows=("#cafe12",), columns=("welcome-email",),
                    expected={"#cafe12": "#c0ffee"}, cells={"#cafe12": {"welcome-email": Cell(status="other", value="#cafe12")}})
    changes = (FactChange(matrix="colors", row="cta", touchpoint="home-desktop", before=None, after="call to action"),
               FactChange(matrix="claims", row="#cafe12", touchpoint="welcome-email", before="#c0ffee", after="#cafe12"))
    journey = run.journeys[0]
    journey = journey.model_copy(update={"findings": (*journey.findings, code), "matrices": (*journey.matrices, claims),
                                         "baseline": "journeys/spring-sale.baseline.yaml", "changes": changes})
    write_report(run.model_copy(update={"journeys": (journey, run.journeys[1])}), tmp_path)
    soup = BeautifulSoup((tmp_path / "index.html").read_text(encoding="utf-8"), "html.parser")

    color = soup.find("article", attrs={"data-rule": "brand.color"})
    values = color.find("dl", class_="finding__values")
    assert swatches(values) == ["#1f4fd8", "#e03131"]  # expected (the palette), found
    assert swatches(color.find(class_="finding__evidence")) == ["#e03131"]
    colours = soup.find("section", attrs={"data-matrix": "colors"})
    assert swatches(colours.find("tbody")) == ["#1f4fd8", "#e03131", "#1f4fd8"]  # expected, then each cell
    assert swatches(soup.find("article", attrs={"data-rule": "messaging.conflict"})) == []
    assert swatches(soup.find("section", attrs={"data-matrix": "claims"})) == []
    changed = soup.find("table", class_="changes").find_all("tr")[1:]
    assert [swatches(row) for row in changed] == [["#e03131"], []]  # the colour row's first colour; the code none


def test_evidence_on_touchpoints_the_finding_does_not_name_is_drawn_as_reference(tmp_path):
    run = sample_run(tmp_path)
    conflict = Finding(check="messaging", rule="messaging.conflict", severity="error", touchpoints=("welcome-email",),
                       subject="percent", message="welcome-email says 25%, the others 20%", expected="20%", actual="25%",
                       evidence=(Evidence(touchpoint="welcome-email", box=(0.0, 1280.0, 600.0, 220.0), text="25%"),
                                 Evidence(touchpoint="home-desktop", box=(600.0, 900.0, 240.0, 60.0), text="20%")))
    journey = run.journeys[0].model_copy(update={"findings": (*run.journeys[0].findings, conflict)})
    write_report(run.model_copy(update={"journeys": (journey, run.journeys[1])}), tmp_path)
    soup = BeautifulSoup((tmp_path / "index.html").read_text(encoding="utf-8"), "html.parser")
    card = soup.find("article", attrs={"data-rule": "messaging.conflict"})
    number = card.find(class_="finding__number").get_text()

    def box_on(touchpoint):
        figure = soup.find("figure", attrs={"data-touchpoint": touchpoint})
        return next(g for g in figure.find_all("g", class_="box") if g["data-finding"] == card["id"])

    wrong, reference = box_on("welcome-email"), box_on("home-desktop")
    assert "box--reference" not in wrong["class"] and wrong.find("text").get_text() == number
    assert "box--reference" in reference["class"] and reference.find("text").get_text() == f"{number} ref"
    assert "reference" in reference.find("title").get_text()
    captions = {button.find("b").get_text(): button for button in card.find_all("button", class_="evidence")}
    assert "evidence--reference" in captions["home-desktop"]["class"] and "reference" in captions["home-desktop"].get_text()
    assert "evidence--reference" not in captions["welcome-email"]["class"]
    legend = soup.find(class_="legend")
    assert legend.find("g", class_="box--reference") and "reference" in legend.get_text()
    accepted = soup.find("article", attrs={"data-state": "accepted"})
    accepted_boxes = [g for g in soup.select(".shot__boxes .box") if g["data-finding"] == accepted["id"]]
    assert accepted_boxes and all("is-filtered" in g["class"] for g in accepted_boxes)  # until its section is opened
    assert not any("is-filtered" in g["class"] for g in soup.select(".shot__boxes .box") if g["data-state"] == "new")


def test_approve_commands_wrap_only_between_their_options(report):
    soup = BeautifulSoup((report / "index.html").read_text(encoding="utf-8"), "html.parser")
    finding = soup.find("article", class_="finding--new")
    command = finding.find("span", class_="accept__command").code
    assert command.get_text() == f"onevoice approve --report DIR --finding {finding['data-id']}"
    assert [part.get_text() for part in command.find_all("span", class_="nowrap")] == [
        "onevoice approve", "--report DIR", f"--finding {finding['data-id']}"]
