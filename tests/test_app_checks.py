"""Every check on app screens, through the loader, the saved-screen capture and the checks, without a device.

Each check has a case that must fire (tests/data/app/app-slips: another logo, a button off the
palette, another offer, no Instagram, a "Continue with Facebook" sign-in button) and a look-alike
that must not (app-consistent: the brand's declared white logo in its dark app bar, the palette's
amber button, the declared offer, "Follow us on Instagram @northwind"). Fonts are not measured.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from onevoice.capture.app.capture import capture_saved_screen
from onevoice.judge import judge
from onevoice.loader import load_journey

DATA = Path(__file__).parent / "data"
JOURNEY = f"""
name: App screens
brand:
  name: Northwind
  logo: [{DATA / "logos" / "logo.png"}, {DATA / "app" / "brand" / "logo-white.png"}]
  colors: {{primary: "#1F4FD8", accent: "#FFB400", ink: "#111827"}}
  fonts: [Inter]
  social: {{instagram: "https://www.instagram.com/northwind"}}
touchpoints:
  - id: consistent
    channel: app
    device: Pixel 7
    app: {{source: files, screenshot: {DATA / "app" / "app-consistent.png"}, hierarchy: {DATA / "app" / "app-consistent.xml"}}}
  - id: slips
    channel: app
    device: Pixel 7
    app: {{source: files, screenshot: {DATA / "app" / "app-slips.png"}, hierarchy: {DATA / "app" / "app-slips.xml"}}}
messages:
  - {{id: offer, text: "20% off your first order"}}
"""


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("app-checks")
    (folder / "journey.yaml").write_text(JOURNEY, encoding="utf-8")
    journey = load_journey(folder / "journey.yaml", devices=())
    artifacts = folder / "report"
    captures = {
        tp.id: capture_saved_screen(tp, artifacts=artifacts, folder=journey.slug) for tp in journey.journey.touchpoints
    }
    assert all(capture.ok for capture in captures.values()), [c.error for c in captures.values()]
    judgement = judge(journey, captures, artifacts)
    assert judgement.check_errors == {}
    return judgement


def found(judgement, touchpoint: str) -> set[tuple[str, str]]:
    return {(f.rule, f.subject) for f in judgement.findings if touchpoint in f.touchpoints}


def test_a_consistent_app_screen_gives_no_finding(judged):
    assert found(judged, "consistent") == set()


def test_the_declared_white_logo_in_a_dark_app_bar_matches_and_another_logo_does_not(judged):
    logo = next(m for m in judged.matrices if m.id == "logo")
    assert logo.cells["logo"]["consistent"].status == "ok"
    assert logo.cells["logo"]["slips"].status == "other"
    assert ("brand.logo_mismatch", "logo") in found(judged, "slips")


def test_an_off_palette_button_is_a_brand_colour_finding(judged):
    colors = {subject for rule, subject in found(judged, "slips") if rule == "brand.color"}
    assert colors == {"cta #e03131"}  # the pixels of the button, exactly


def test_fonts_are_not_measured_on_app_screens(judged):
    fonts = next(m for m in judged.matrices if m.id == "fonts")
    assert fonts.rows == ("not measured",)
    assert {cell.value for cell in fonts.cells["not measured"].values()} == {"not measured"}
    assert not [f for f in judged.findings if f.rule == "brand.font"]


def test_another_offer_is_a_messaging_finding(judged):
    messaging = {rule for rule, _ in found(judged, "slips") if rule.startswith("messaging.")}
    assert messaging == {"messaging.conflict"}  # 20% against 15%: one cause, one finding


def test_a_sign_in_button_naming_facebook_is_not_a_social_link(judged):
    assert ("social.missing", "instagram") in found(judged, "slips")
    social = next(m for m in judged.matrices if m.id == "social")
    assert "facebook" not in social.rows
    assert social.cells["instagram"]["consistent"].status == "ok"


def test_an_app_screen_without_a_logo_is_not_logo_missing(tmp_path):
    path = tmp_path / "journey.yaml"
    path.write_text(f"""
name: An app screen with no logo
brand: {{name: Northwind, logo: [{DATA / "logos" / "logo.png"}]}}
touchpoints:
  - id: alert
    channel: app
    app: {{source: files, screenshot: {DATA / "app" / "ios-alert.png"}, hierarchy: {DATA / "app" / "ios-alert.xml"}}}
""", encoding="utf-8")
    journey = load_journey(path, devices=())
    (touchpoint,) = journey.journey.touchpoints
    captures = {"alert": capture_saved_screen(touchpoint, artifacts=tmp_path / "report", folder="j")}
    judgement = judge(journey, captures, tmp_path / "report")
    assert not [f for f in judgement.findings if f.rule == "brand.logo_missing"]
    logo = next(m for m in judgement.matrices if m.id == "logo")
    assert logo.cells["logo"]["alert"].status == "info"
