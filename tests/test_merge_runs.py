"""Sharded runs merged with `onevoice merge` equal one unsharded run: the demo journeys and a
generated suite, captured for real in Chromium."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from demo_runs import DemoWorkspace
from journeysite import write_journey, write_site
from onevoice.cli import main
from onevoice.merge import merge
from onevoice.shard import Shard

pytestmark = pytest.mark.browser
TIMINGS = {"started", "seconds", "attempts"}
# each run of the demo serves its site anew, and its welcome email gets a new Message-ID
LOOPBACK_PORT = re.compile(r"127\.0\.0\.1:\d+")
MESSAGE_ID = re.compile(r"mid:[^\"]+")


def comparable(report: Path) -> tuple[Any, bytes, list[str]]:
    """A report's findings.json and junit.xml without timings, and the images its page shows."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: strip(item) for key, item in value.items() if key not in TIMINGS}
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    text = (report / "findings.json").read_text(encoding="utf-8")
    text = MESSAGE_ID.sub("mid:ID", LOOPBACK_PORT.sub("127.0.0.1:PORT", text))
    document = strip(json.loads(text))
    junit = ET.parse(report / "junit.xml").getroot()
    for element in junit.iter():
        for attribute in ("time", "timestamp"):
            element.attrib.pop(attribute, None)
    page = (report / "index.html").read_text(encoding="utf-8")
    images = sorted(set(re.findall(r'(?:src|href)="(screens/[^"]+)"', page)))
    return document, ET.tostring(junit), images


def assert_same_report(merged: Path, unsharded: Path) -> None:
    merged_view, unsharded_view = comparable(merged), comparable(unsharded)
    assert merged_view[0] == unsharded_view[0]
    assert merged_view[1] == unsharded_view[1]
    assert merged_view[2] == unsharded_view[2] and merged_view[2]
    assert all((merged / image).is_file() for image in merged_view[2])  # self-contained: the images are inside


def test_the_demo_journeys_merged_from_two_shards_equal_one_run(repo_root, tmp_path):
    workspace = DemoWorkspace(repo_root, tmp_path)
    whole = workspace.run("whole")
    parts = [workspace.run(f"part{index}", shard=Shard(index=index, total=2)) for index in (1, 2)]

    merged = merge([workspace.reports / "part1", workspace.reports / "part2"], workspace.reports / "merged")

    assert sorted(len(part.journeys) for part in parts) == [0, 1]  # one journey: one shard is empty, and still merges
    assert merged.exit_code == whole.exit_code == 1
    assert_same_report(workspace.reports / "merged", workspace.reports / "whole")


SUITE = {
    "checkout": ("  - {id: home-desktop, url: index.html}\n  - {id: home-mobile, device: iPhone 13, url: index.html}\n"
                 "  - {id: offer, url: offer.html}\n", "messages:\n  - {id: promise, text: Free delivery on every order}\n"),
    "launch": ("  - {id: home, url: index.html}\n  - {id: offer-mobile, device: iPhone 13, url: offer.html}\n",
               "messages:\n  - {id: sale, text: Half price today, severity: warning}\n"),
    "known": ("  - {id: home, url: index.html}\n  - {id: offer, url: offer.html}\n",
              "messages:\n  - {id: promise, text: Free delivery on every order}\n"
              "allow:\n  - {rule: messaging.missing, touchpoint: home, reason: not launched yet}\n"),
    "plain": ("  - {id: home, url: index.html}\n", ""),
}


def test_a_generated_suite_merged_from_three_shards_equals_one_run_and_approves(tmp_path, serve, monkeypatch, capsys):
    monkeypatch.setenv("RUN_ID", "merge-test")
    monkeypatch.chdir(tmp_path)
    base = serve(write_site(tmp_path / "site"))
    for name, (touchpoints, extra) in SUITE.items():
        write_journey(tmp_path / "suite" / f"{name}.yaml", base, touchpoints, extra)

    assert main(["run", "suite", "--report", "whole"]) == 1
    for index in (1, 2, 3):
        main(["run", "suite", "--report", f"part{index}", "--shard", f"{index}/3"])
    status = main(["merge", "part1", "part2", "part3", "--report", "merged"])

    assert status == 1
    assert_same_report(tmp_path / "merged", tmp_path / "whole")
    states = {f["state"] for j in json.loads(Path("merged/findings.json").read_text())["journeys"] for f in j["findings"]}
    assert {"new", "accepted"} <= states
    assert "onevoice: 4 journeys" in capsys.readouterr().out

    assert main(["approve", "--report", "merged", "--journey", "checkout"]) == 0
    assert Path("suite/checkout.baseline.yaml").is_file()
