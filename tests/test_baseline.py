"""Baseline files (written in a stable order, read back with file:line errors) and the comparison
of a run's findings and facts with them. No browser: values built by hand, files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from onevoice.baseline.store import BaselineError, baseline_path, facts_of, is_baseline_file, read_baseline, render_baseline
from onevoice.cli import main
from onevoice.baseline.drift import compare
from onevoice.findings import Cell, FactChange, Finding, Matrix, finding_id
from onevoice.loader import JourneyLoadError, is_journey_file, load_journey, load_journeys
from onevoice.model import AcceptedFinding, Baseline

TOUCHPOINTS = ("home", "mobile", "email")
JOURNEY = """\
name: Spring sale
brand: {name: Northwind}
touchpoints:
  - {id: home, url: "http://127.0.0.1:9/"}
  - {id: mobile, url: "http://127.0.0.1:9/m"}
"""
GOOD = """\
journey: Spring sale
findings:
- check: social
  rule: social.missing
  severity: error
  touchpoints:
  - mobile
  subject: instagram
  message: mobile links to no instagram account
facts:
  social:
    instagram:
      home: https://www.instagram.com/northwind
"""


def finding(rule: str = "social.missing", touchpoints: tuple[str, ...] = ("email",), subject: str = "instagram", **more) -> Finding:
    return Finding(check=rule.split(".")[0], rule=rule, severity="error", touchpoints=touchpoints, subject=subject, message=f"{rule} {subject}", **more)


def social(**cells: str | None) -> Matrix:
    """The social fact table with one row, instagram: touchpoint -> account (None: missing)."""
    row = {tp: Cell(status="missing") if url is None else Cell(status="ok", value=url) for tp, url in cells.items()}
    return Matrix(id="social", title="Social accounts", rows=("instagram",), columns=TOUCHPOINTS, cells={"instagram": row})


def baseline_of(*findings: Finding, matrices: tuple[Matrix, ...] = ()) -> Baseline:
    entries = tuple(
        AcceptedFinding(check=f.check, rule=f.rule, touchpoints=f.touchpoints, subject=f.subject, message=f.message) for f in findings
    )
    return Baseline(journey="Spring sale", findings=entries, facts=facts_of(matrices))


def run_against(baseline: Baseline, findings, matrices=(), captured=TOUCHPOINTS, checks_ran=("social", "messaging", "brand")):
    return compare(findings, matrices, baseline, captured=captured, checks_ran=checks_ran, source="journeys/spring.baseline.yaml")


# ---------------------------------------------------------------- the file


def test_baseline_files_sit_beside_their_journey_and_are_never_journeys(tmp_path):
    assert baseline_path(Path("journeys/spring-sale.yaml")) == Path("journeys/spring-sale.baseline.yaml")
    assert is_baseline_file(Path("journeys/spring-sale.baseline.yml")) and not is_baseline_file(Path("journeys/spring-sale.yaml"))
    (tmp_path / "spring.yaml").write_text(JOURNEY)
    broken = tmp_path / "spring.baseline.yaml"
    broken.write_text("touchpoints: [\n")  # even one that does not parse is not taken for a journey
    assert not is_journey_file(broken)
    broken.unlink()
    journeys, problems = load_journeys([str(tmp_path)])
    assert [j.name for j in journeys] == ["Spring sale"] and not problems and journeys[0].baseline is None


def test_written_in_a_stable_order_and_read_back_unchanged(tmp_path):
    entries = [finding("social.missing", ("email", "mobile")), finding("brand.color", subject="cta #ff0000"), finding("social.mismatch", subject="x")]
    matrices = (social(mobile="https://www.instagram.com/northwind", home=None), social(email="https://www.instagram.com/nw"))
    one, other = baseline_of(*entries, matrices=matrices[:1]), baseline_of(*reversed(entries), matrices=matrices[:1])
    text = render_baseline(one, "journeys/spring.yaml")
    assert text == render_baseline(other, "journeys/spring.yaml")
    assert text.index("rule: brand.color") < text.index("rule: social.mismatch") < text.index("rule: social.missing")
    assert text.index("home: (missing)") < text.index("mobile: https://www.instagram.com/northwind")
    path = tmp_path / "spring.baseline.yaml"
    path.write_text(text)
    again = read_baseline(path)
    assert render_baseline(again, "journeys/spring.yaml") == text
    assert again.findings[2].touchpoints == ("email", "mobile") and again.facts == facts_of(matrices[:1])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("  subject: instagram\n", "  subject: [instagram\n"), "spring.baseline.yaml:9: malformed YAML"),
        (("  rule: social.missing\n", "  rulez: social.missing\n"), "spring.baseline.yaml:4: findings[0].rulez: unknown key (did you mean 'rule'?)"),
        (("  rule: social.missing\n", ""), "spring.baseline.yaml:3: findings[0].rule: required key missing"),
        (("  severity: error\n", "  severity: fatal\n"), "spring.baseline.yaml:5: findings[0].severity: 'fatal' is not allowed (use one of: error, warning)"),
        (("  severity: error\n", "  severity: eror\n"), "spring.baseline.yaml:5: findings[0].severity: 'eror' is not allowed (did you mean 'error'?)"),
        (("home: https://www.instagram.com/northwind", "home: 24"), "spring.baseline.yaml:13: facts.social.instagram.home: expected a string, got 24"),
        (("home: https://www.instagram.com/northwind", "7: https://www.instagram.com/northwind"), "spring.baseline.yaml:13: facts.social.instagram.7: expected a string, got 7"),
        (("journey: Spring sale\n", "journey: Spring sale\njourney: Autumn\n"), "spring.baseline.yaml:2: journey: key given twice (first at line 1)"),
        ((GOOD, "- just a list\n"), "spring.baseline.yaml:1: a baseline is a mapping"),
    ],
)
def test_a_corrupted_or_hand_edited_baseline_names_the_line_and_the_fix(tmp_path, edit, expected):
    path = tmp_path / "spring.baseline.yaml"
    path.write_text(GOOD.replace(*edit))
    with pytest.raises(BaselineError) as raised:
        read_baseline(path, "journeys/spring.baseline.yaml")
    message = str(raised.value)
    assert message.startswith("journeys/spring.baseline.yaml:") and "journeys/" + expected in message
    assert "run `onevoice approve` again" in message


def test_a_broken_baseline_is_a_load_error_of_its_journey(tmp_path, capsys):
    (tmp_path / "spring.yaml").write_text(JOURNEY)
    (tmp_path / "spring.baseline.yaml").write_text(GOOD.replace("  rule: social.missing\n", "  rulez: social.missing\n"))
    with pytest.raises(JourneyLoadError) as raised:
        load_journey(tmp_path / "spring.yaml", "journeys/spring.yaml")
    where = {(problem.file, problem.line, problem.path) for problem in raised.value.problems}
    assert where == {("journeys/spring.baseline.yaml", 3, "findings[0].rule"), ("journeys/spring.baseline.yaml", 4, "findings[0].rulez")}
    assert main(["validate", str(tmp_path)]) == 2
    assert "spring.baseline.yaml:4: findings[0].rulez: unknown key" in capsys.readouterr().err
    (tmp_path / "spring.baseline.yaml").write_text(GOOD)
    assert load_journey(tmp_path / "spring.yaml").baseline.findings[0].subject == "instagram"


# ---------------------------------------------------------------- findings against the baseline


def test_ids_follow_the_identity_never_the_message():
    one = finding(touchpoints=("mobile", "email"))
    assert finding_id("spring", one) == finding_id("spring", one.model_copy(update={"message": "reworded", "touchpoints": ("email", "mobile")}))
    assert len({finding_id("spring", one), finding_id("autumn", one), finding_id("spring", finding(subject="x"))}) == 3


def test_findings_are_new_accepted_or_fixed():
    known, gone = finding(), finding("social.mismatch", ("home",), "x")
    baseline = baseline_of(known, gone)
    fresh = finding("brand.logo_missing", ("mobile",), "logo")
    drift = run_against(baseline, [known.model_copy(update={"message": "worded differently now"}), fresh])
    states = {(f.rule, f.state) for f in drift.findings}
    assert states == {("social.missing", "accepted"), ("brand.logo_missing", "new"), ("social.mismatch", "fixed")}
    accepted = next(f for f in drift.findings if f.state == "accepted")
    assert accepted.reason == "in the baseline journeys/spring.baseline.yaml" and accepted.message == "worded differently now"
    assert next(f for f in drift.findings if f.state == "fixed").message == gone.message


def test_an_allow_reason_wins_over_the_baseline():
    allowed = finding(state="accepted", reason="the email has no footer by design")
    (result,) = run_against(baseline_of(finding()), [allowed]).findings
    assert (result.state, result.reason) == ("accepted", "the email has no footer by design")


def test_what_the_run_could_not_see_is_neither_fixed_nor_changed():
    on_email, crashed_check = finding(), finding("brand.color", ("home",), "cta #ff0000")
    before = social(home="https://www.instagram.com/northwind", email="https://www.instagram.com/northwind")
    baseline = baseline_of(on_email, crashed_check, matrices=(before,))
    after = social(home="https://www.instagram.com/northwind", email="https://www.instagram.com/other")
    drift = run_against(baseline, [], (after,), captured=("home", "mobile"), checks_ran=("social",))
    assert drift.findings == () and drift.changes == ()


def test_changed_facts_are_listed_even_when_no_rule_fires():
    before = social(home="https://www.instagram.com/northwind", mobile="https://www.instagram.com/northwind")
    colours = Matrix(id="colors", title="Colours", rows=("#1f4fd8",), columns=TOUCHPOINTS, cells={"#1f4fd8": {"home": Cell(status="ok", value="call to action")}})
    baseline = baseline_of(matrices=(before,))
    after = social(home="https://www.instagram.com/northwind-shop", mobile=None, email="https://www.instagram.com/northwind")
    drift = run_against(baseline, [], (after, colours))
    assert drift.changes == (
        FactChange(matrix="social", row="instagram", touchpoint="home", before="https://www.instagram.com/northwind", after="https://www.instagram.com/northwind-shop"),
        FactChange(matrix="social", row="instagram", touchpoint="mobile", before="https://www.instagram.com/northwind", after="(missing)"),
    )  # not email (new since the baseline), not colours (a table the baseline never had)
