"""The nightly story on the real demo: a run, an approval, a drift in the site that the next run
shows as exactly that (new findings and changed facts), and the fix that shows as fixed."""

from __future__ import annotations

import re

import pytest
from demo_runs import DRIFTED, DemoWorkspace, card_ids, findings_json, identities

from onevoice.cli import main

pytestmark = pytest.mark.browser
DRIFTED_TOUCHPOINTS = ("home-desktop", "home-mobile", "offer-landing")  # the pages with the footer's links


def test_a_nightly_run_approved_then_drifting_then_fixed(repo_root, tmp_path, loop, browser):
    """One story, one test (each demo run takes seconds; pytest-xdist would repeat a shared fixture)."""
    workspace = DemoWorkspace(repo_root, tmp_path)
    story: dict = {"workspace": workspace, "first": workspace.run("first")}
    check_without_a_baseline_every_finding_is_new_and_fails(story)
    assert main(["approve", "--report", str(workspace.reports / "first")]) == 0
    story["approved"] = workspace.baseline.read_bytes()
    check_approve_writes_a_reviewable_baseline_beside_the_journey(story)
    story["drifted"] = workspace.run("drifted", DRIFTED)
    check_the_second_run_shows_exactly_the_drift_as_new(story)
    check_the_static_report_shows_since_baseline_first_with_accept_commands(story, loop, browser)
    assert main(["approve", "--report", str(workspace.reports / "drifted")]) == 0
    check_approving_the_same_report_again_changes_nothing(story)
    story["fixed"] = workspace.run("fixed")
    check_undoing_the_drift_shows_those_findings_as_fixed_and_passes(story)


def check_without_a_baseline_every_finding_is_new_and_fails(story):
    first = findings_json(story["workspace"].reports / "first")
    assert story["first"].exit_code == 1 and first["baseline"] is None and first["changes"] == []
    states = {f["state"] for f in first["findings"]}
    assert states == {"new", "accepted"}  # accepted: the journey's own `allow` entry
    assert all(f["reason"] for f in first["findings"] if f["state"] == "accepted")
    ids = [f["id"] for f in first["findings"]]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[0-9a-f]{10}", i) for i in ids)


def check_approve_writes_a_reviewable_baseline_beside_the_journey(story):
    workspace, text = story["workspace"], story["approved"].decode("utf-8")
    first = findings_json(workspace.reports / "first")
    new = identities(first, "new")
    assert text.count("- check: ") == len(new)  # allow-accepted findings stay with their allow entry
    assert "screens/" not in text  # no screenshots, nor paths to them
    for rule, touchpoints, subject in new:
        assert f"rule: {rule}" in text and subject in text
    assert "instagram:\n" in text and "https://www.instagram.com/quillory\n" in text  # facts: social accounts
    assert re.search(r"logo:\n\s+logo:\n(?:\s+[a-z-]+: \S+\n)*\s+home-desktop: [0-9a-f]{16}", text)  # facts: logo hashes


def check_the_second_run_shows_exactly_the_drift_as_new(story):
    drifted = findings_json(story["workspace"].reports / "drifted")
    first = findings_json(story["workspace"].reports / "first")
    assert story["drifted"].exit_code == 1
    assert drifted["baseline"].endswith("quillory-welcome.baseline.yaml")
    new = identities(drifted, "new")
    assert {(rule, subject) for rule, _, subject in new} == {("social.mismatch", "instagram")}
    assert {tp for _, touchpoints, _ in new for tp in touchpoints} >= set(DRIFTED_TOUCHPOINTS)
    assert identities(drifted, "accepted") == identities(first, "new") | identities(first, "accepted")
    assert identities(drifted, "fixed") == set()
    changes = {(c["matrix"], c["row"], c["touchpoint"], c["before"], c["after"]) for c in drifted["changes"]}
    assert changes == {
        ("social", "instagram", tp, "https://www.instagram.com/quillory", "https://www.instagram.com/quillory_shop")
        for tp in DRIFTED_TOUCHPOINTS
    }
    baselined = [f for f in drifted["findings"] if f["state"] == "accepted" and "baseline" in f["reason"]]
    assert baselined and all("quillory-welcome.baseline.yaml" in f["reason"] for f in baselined)


def check_undoing_the_drift_shows_those_findings_as_fixed_and_passes(story):
    workspace = story["workspace"]
    drifted, fixed = findings_json(workspace.reports / "drifted"), findings_json(workspace.reports / "fixed")
    assert identities(fixed, "fixed") == identities(drifted, "new")
    assert identities(fixed, "new") == set()
    assert story["fixed"].exit_code == 0 and fixed["status"] == "passed"
    assert {(c["touchpoint"], c["after"]) for c in fixed["changes"]} == {
        (tp, "https://www.instagram.com/quillory") for tp in DRIFTED_TOUCHPOINTS
    }
    junit = (workspace.reports / "fixed" / "junit.xml").read_text(encoding="utf-8")
    assert "<failure" not in junit and "fixed social.mismatch" in junit


def check_approving_the_same_report_again_changes_nothing(story):
    workspace = story["workspace"]
    before = workspace.baseline.read_bytes()
    assert main(["approve", "--report", str(workspace.reports / "drifted")]) == 0
    assert workspace.baseline.read_bytes() == before


def check_the_static_report_shows_since_baseline_first_with_accept_commands(story, loop, browser):
    report = story["workspace"].reports / "drifted"
    drifted = findings_json(report)

    async def read(browser):
        page = await browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        await page.goto(report.joinpath("index.html").as_uri())
        journey = page.locator(".journey").first
        first_block = await journey.locator(":scope > section, :scope > div, :scope > p").first.get_attribute("class")
        since = journey.locator(".since")
        seen = {
            "first": first_block,
            "summary": await since.locator(".since__summary").inner_text(),
            "new": await since.locator(".since__list--new li").all_inner_texts(),
            "changes": await since.locator(".changes tbody tr").all_inner_texts(),
            "commands": await page.locator(".finding--new .accept__command").all_inner_texts(),
            "buttons": await page.locator(".accept__button:visible").count(),
        }
        await page.close()
        return seen, requests

    seen, requests = loop.run(read(browser))
    assert seen["first"] == "since"
    cards = card_ids(drifted, "new")  # one per cause: the footer's changed link on three pages is one
    assert f"{len(cards)} new, 0 fixed, 3 changed facts" in seen["summary"]
    assert len(seen["new"]) == len(cards) and all("social.mismatch" in line for line in seen["new"])
    assert len(seen["changes"]) == 3 and all("quillory_shop" in row for row in seen["changes"])
    commands = {re.search(r"--finding (\w+)", command).group(1) for command in seen["commands"]}
    assert commands == cards
    assert all(f"onevoice approve --report {report.as_posix()} --finding" in command for command in seen["commands"])
    assert seen["buttons"] == 0  # read-only from disk
    assert all(url.startswith("file://") for url in requests)
