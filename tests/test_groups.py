"""One cause, one item (SPEC.md section 6): records per touchpoint tied by a group, counted once."""

from __future__ import annotations

from datetime import datetime, timezone

from onevoice.baseline.drift import compare
from onevoice.findings import Evidence, Finding, one_per_cause, per_touchpoint
from onevoice.model import AcceptedFinding, Baseline
from onevoice.progress import summary
from onevoice.report.html import summary as report_summary
from onevoice.report.junit import junit_tree
from onevoice.outcome import JourneyResult, RunResult

PAGES = ("home-desktop", "home-mobile", "about-desktop", "about-mobile", "faq-desktop", "faq-mobile")


def missing(platform: str, touchpoint: str) -> Finding:
    return Finding(
        check="social", rule="social.missing", severity="error", touchpoints=(touchpoint,), subject=platform,
        message=f"{touchpoint} links to no {platform} account", evidence=(Evidence(touchpoint=touchpoint, selector="footer"),),
    )  # fmt: skip


def footer_without_x_and_facebook() -> tuple[Finding, ...]:
    return per_touchpoint([missing(platform, tp) for platform in ("x", "facebook") for tp in PAGES], "site")


def test_records_stay_per_touchpoint_and_share_the_group_of_their_rule_and_subject() -> None:
    records = footer_without_x_and_facebook()
    assert len(records) == 12 and all(len(r.touchpoints) == 1 for r in records)
    assert len({r.group for r in records}) == 2
    assert {r.group for r in records if r.subject == "x"} != {r.group for r in records if r.subject == "facebook"}
    # a finding naming two touchpoints becomes two records of one group
    conflict = Finding(check="messaging", rule="messaging.conflict", severity="error", touchpoints=("a", "b"),
                       subject="percent: first order", message="differs")  # fmt: skip
    split = per_touchpoint([conflict], "site")
    assert [r.touchpoints for r in split] == [("a",), ("b",)] and split[0].group == split[1].group


def test_a_footer_missing_two_links_on_six_pages_is_two_items() -> None:
    items = one_per_cause(footer_without_x_and_facebook())
    assert [(i.subject, i.touchpoints) for i in items] == [("x", PAGES), ("facebook", PAGES)]
    x = items[0]
    assert x.message.startswith("social.missing 'x' on 6 touchpoints (home-desktop, home-mobile,")
    assert len(x.evidence) == 6


def test_the_same_rule_on_another_subject_or_one_touchpoint_is_its_own_item() -> None:
    records = per_touchpoint([missing("x", "home-desktop"), missing("instagram", "home-mobile")], "site")
    items = one_per_cause(records)
    assert items == records  # a group of one is its record, message untouched


def journey(records: tuple[Finding, ...]) -> JourneyResult:
    return JourneyResult(name="Site", file="journeys/site.yaml", slug="site", checks=("social",), findings=records)


def test_console_summary_report_counts_and_junit_count_groups() -> None:
    run = RunResult(started=datetime.now(timezone.utc), journeys=(journey(footer_without_x_and_facebook()),))
    text = summary(run, None)
    assert "social.missing       error   x on 6 touchpoints: home-desktop, home-mobile, about-desktop, about-mobile, ..." in text
    assert text.count("social.missing") == 2
    counts = report_summary(run)
    assert counts["new_errors"] == 2 and dict(counts["by_rule"])["social.missing"]["error"] == 2
    failure = junit_tree(run).getroot().find(".//testcase[@name='Site :: social']/failure")
    assert failure.get("message") == "2 new error finding(s)" and len(failure.text.splitlines()) == 2


def test_baselines_stay_per_touchpoint_a_touchpoint_newly_joining_a_group_is_new() -> None:
    accepted = [AcceptedFinding(check="social", rule="social.missing", touchpoints=(tp,), subject="x")
                for tp in PAGES[:5]]  # fmt: skip
    records = per_touchpoint([missing("x", tp) for tp in PAGES], "site")
    drift = compare(records, [], Baseline(findings=tuple(accepted)), captured=PAGES, checks_ran={"social"}, source="b")
    states = {f.touchpoints[0]: f.state for f in drift.findings}
    assert states == {**{tp: "accepted" for tp in PAGES[:5]}, "faq-mobile": "new"}
    items = one_per_cause(drift.findings)
    assert [(i.state, len(i.touchpoints)) for i in items] == [("accepted", 5), ("new", 1)]


def test_an_older_baseline_entry_naming_several_touchpoints_accepts_each_record() -> None:
    entry = AcceptedFinding(check="social", rule="social.missing", touchpoints=("home-desktop", "home-mobile"), subject="x")
    records = per_touchpoint([missing("x", tp) for tp in PAGES[:2]], "site")
    drift = compare(records, [], Baseline(findings=(entry,)), captured=PAGES, checks_ran={"social"}, source="b")
    assert [f.state for f in drift.findings] == ["accepted", "accepted"]
