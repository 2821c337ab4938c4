"""Judging: every enabled check through the registry, crash isolation, `allow` entries."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel

from onevoice.facts import Capture
from onevoice.findings import CheckResult, Finding
from onevoice.judge import judge
from onevoice.model import Journey, LoadedJourney
from onevoice.registry import NoOptions, registered_checks


class Odd(BaseModel):
    model_config = {"extra": "forbid"}
    label: str = "odd"


class FlagsEveryTouchpoint:
    name: ClassVar[str] = "flags"
    rules: ClassVar[dict[str, str]] = {"flags.seen": "always"}
    Options: ClassVar[type[BaseModel]] = Odd

    def run(self, context) -> CheckResult:
        return CheckResult(
            findings=tuple(
                Finding(check="flags", rule="flags.seen", severity="error", touchpoints=(tp,),
                        subject=context.options.label, message=f"{tp} seen")
                for tp in context.ok_captures()
            )
        )


class Crashes:
    name: ClassVar[str] = "crashes"
    rules: ClassVar[dict[str, str]] = {}
    Options: ClassVar[type[BaseModel]] = NoOptions

    def run(self, context) -> CheckResult:
        raise ZeroDivisionError("division by zero")


def loaded(**journey) -> LoadedJourney:
    model = Journey.model_validate(
        {"name": "j", "touchpoints": [{"id": "a", "url": "http://x/"}, {"id": "b", "url": "http://x/"}], **journey}
    )
    return LoadedJourney(journey=model, brand=None, file="j.yaml", path=Path("j.yaml"), slug="j", messages=(), urls={})


CAPTURES = {
    "a": Capture(touchpoint="a", channel="web", device="Desktop Chrome"),
    "b": Capture(touchpoint="b", channel="web", device="Desktop Chrome", error="could not open"),
}
CHECKS = {"flags": FlagsEveryTouchpoint, "crashes": Crashes}


def test_a_crashing_check_is_reported_and_the_others_still_judge():
    judgement = judge(loaded(), CAPTURES, Path("."), CHECKS)
    assert judgement.checks == ("flags", "crashes")
    assert [f.touchpoints for f in judgement.findings] == [("a",)]  # the failed capture is not judged
    assert judgement.check_errors["crashes"].startswith("ZeroDivisionError: division by zero (test_judge.py:")


def test_checks_set_to_false_do_not_run_and_a_mapping_is_their_options():
    judgement = judge(loaded(checks={"crashes": False, "flags": {"label": "custom"}}), CAPTURES, Path("."), CHECKS)
    assert judgement.checks == ("flags",) and judgement.check_errors == {}
    assert judgement.findings[0].subject == "custom"


def test_allow_entries_accept_matching_findings_with_their_reason():
    allow = [
        {"rule": "flags.seen", "touchpoint": "b", "reason": "not this one"},
        {"rule": "flags.seen", "touchpoint": "a", "subject": "odd", "reason": "known and fine"},
    ]
    (finding,) = judge(loaded(allow=allow), CAPTURES, Path("."), CHECKS).findings
    assert finding.state == "accepted" and finding.reason == "known and fine"
    (other,) = judge(loaded(allow=[{"rule": "flags.other", "reason": "x"}]), CAPTURES, Path("."), CHECKS).findings
    assert other.state == "new" and other.reason is None


def test_the_built_in_families_are_registered_through_entry_points():
    checks = registered_checks()
    assert {"messaging", "brand", "social"} <= set(checks)
    for check in checks.values():
        assert all(rule.startswith(f"{check.name}.") for rule in check.rules)
