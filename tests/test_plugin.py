"""`pytest journeys/`: journeys as test items, check families as sub-results, the onevoice report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from journeysite import write_journey, write_site

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.browser

DESKTOP_AND_MOBILE = """\
  - {id: home-desktop, url: index.html}
  - {id: home-mobile, device: iPhone 13, url: index.html}
"""
MISSING_PROMISE = "messages:\n  - {id: promise, text: Free delivery on every order}\n"


@pytest.fixture
def site(tmp_path, serve):
    return serve(write_site(tmp_path / "site"))


def test_each_journey_is_an_item_and_each_check_family_a_sub_result(pytester, site):
    write_journey(pytester.path / "journeys" / "good.yaml", site, DESKTOP_AND_MOBILE, name="Good journey")
    write_journey(pytester.path / "journeys" / "bad.yaml", site, DESKTOP_AND_MOBILE, MISSING_PROMISE, name="Bad one")

    result = pytester.runpytest_subprocess("journeys", "-v", "--junitxml=junit.xml", "--onevoice-report=out")

    # the failed messaging sub-result counts as a failure beside its journey
    assert result.parseoutcomes() == {"failed": 2, "passed": 1, "subtests": 5}
    result.stdout.fnmatch_lines(
        [
            "*journeys/bad.yaml::Bad one SUBFAILED*messaging*",
            "*journeys/good.yaml::Good journey SUBPASSED*messaging*",
            "*messaging.missing [[]home-desktop, home-mobile[]] *'promise' on 2 touchpoints*Free delivery*",
            "*onevoice report: *out/index.html*",
        ]
    )
    findings = json.loads((pytester.path / "out" / "findings.json").read_text())
    assert sorted(j["name"] for j in findings["journeys"]) == ["Bad one", "Good journey"]
    cases = {case.get("name") for case in ET.parse(pytester.path / "junit.xml").getroot().iter("testcase")}
    assert {"Good journey", "Bad one"} <= cases


def test_tags_are_markers_and_k_selects_by_journey_name(pytester, site):
    write_journey(pytester.path / "a.yaml", site, DESKTOP_AND_MOBILE, "tags: [nightly]\n", name="Alpha")
    write_journey(pytester.path / "b.yaml", site, DESKTOP_AND_MOBILE, name="Beta")

    nightly = pytester.runpytest_subprocess(".", "-m", "nightly", "--strict-markers", "--onevoice-report=out")
    nightly.assert_outcomes(passed=1, deselected=1)
    beta = pytester.runpytest_subprocess(".", "-k", "Beta", "--onevoice-report=out", "-v")
    beta.assert_outcomes(passed=1, deselected=1)
    beta.stdout.fnmatch_lines(["*b.yaml::Beta PASSED*"])


def test_xdist_workers_share_one_report(pytester, site):
    for name in ("one", "two", "three"):
        write_journey(pytester.path / f"{name}.yaml", site, DESKTOP_AND_MOBILE, name=name)

    result = pytester.runpytest_subprocess(".", "-n", "2", "--onevoice-report=out")

    result.assert_outcomes(passed=3)
    journeys = json.loads((pytester.path / "out" / "findings.json").read_text())["journeys"]
    assert sorted(j["name"] for j in journeys) == ["one", "three", "two"]
    assert all((pytester.path / "out" / t["screenshot"]).is_file() for j in journeys for t in j["touchpoints"])
    assert not list(pytester.path.glob(".out.staging-*"))


def test_a_journey_file_that_does_not_load_fails_with_file_and_line(pytester, site):
    write_journey(pytester.path / "typo.yaml", site, "  - {id: home, device: iPhone 99, url: /}\n")

    result = pytester.runpytest_subprocess("typo.yaml")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*typo.yaml:4: touchpoints[[]0[]].device: unknown device 'iPhone 99'*"])
    assert not (pytester.path / "reports").exists()  # nothing ran, so no report replaces the last one


def test_a_shard_option_runs_one_part_and_records_it_in_the_report(pytester, site):
    write_journey(pytester.path / "big.yaml", site, DESKTOP_AND_MOBILE + "  - {id: offer, url: offer.html}\n", name="big")
    for name in ("one", "two"):
        write_journey(pytester.path / f"{name}.yaml", site, DESKTOP_AND_MOBILE, name=name)

    first = pytester.runpytest_subprocess(".", "--onevoice-shard=1/2", "--onevoice-report=one")
    second = pytester.runpytest_subprocess(".", "--onevoice-shard=2/2", "-n", "2", "--onevoice-report=two")

    first.assert_outcomes(passed=1, deselected=2)  # the three-touchpoint journey balances the two others
    second.assert_outcomes(passed=2)
    documents = [json.loads((pytester.path / folder / "findings.json").read_text()) for folder in ("one", "two")]
    assert [[j["name"] for j in d["journeys"]] for d in documents] == [["big"], ["one", "two"]]
    shards = [d["shard"] for d in documents]
    assert [(s["index"], s["total"]) for s in shards] == [(1, 2), (2, 2)]
    assert shards[0]["suite"] == shards[1]["suite"] and shards[0]["journeys"] == ["big.yaml", "one.yaml", "two.yaml"]
    bad = pytester.runpytest_subprocess(".", "--onevoice-shard=3/2")
    bad.stderr.fnmatch_lines(["*--onevoice-shard 3/2: I must be from 1 to N*"])
