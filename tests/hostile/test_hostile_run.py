"""One touchpoint's crash or hang costs that touchpoint, never the run: the others are captured
and judged, the report is written, and the run exits 3 (a touchpoint could not be captured)."""

from __future__ import annotations

import json

import pytest

from journeysite import write_journey, write_site
from onevoice.capture.web import CaptureSettings
from onevoice.cli import main
from onevoice.engine import Engine, RunSettings
from onevoice.loader import load_journey
from onevoice.model import Touchpoint

pytestmark = pytest.mark.browser

TWO_PAGES = """\
  - {id: home, url: index.html}
  - {id: offer, url: offer.html}
"""


def touchpoints(report) -> dict[str, dict]:
    journey = json.loads((report / "findings.json").read_text())["journeys"][0]
    return {tp["id"]: tp for tp in journey["touchpoints"]}


def test_an_unexpected_exception_in_one_capture_is_an_error_on_that_touchpoint(tmp_path, serve, monkeypatch):
    import onevoice.capture.page as page

    real = page.extract_page

    def crash_on_offer(html, base_url=None):
        if "offer" in (base_url or ""):
            raise KeyError("a bug in extraction")
        return real(html, base_url)

    monkeypatch.setattr(page, "extract_page", crash_on_offer)
    journey = write_journey(tmp_path / "j.yaml", serve(write_site(tmp_path / "site")), TWO_PAGES)
    report = tmp_path / "report"

    assert main(["run", str(journey), "--report", str(report)]) == 3

    captured = touchpoints(report)
    assert captured["home"]["error"] is None and (report / captured["home"]["screenshot"]).is_file()
    error = captured["offer"]["error"]
    assert error.startswith("onevoice failed on this touchpoint: KeyError: 'a bug in extraction' (test_hostile_run.py:")


def test_a_page_whose_script_never_lets_it_settle_is_given_up_at_its_time_limit(tmp_path, serve):
    site = write_site(tmp_path / "site")
    (site / "busy.html").write_text(
        "<h1>Busy</h1><script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 50));</script>"
    )
    journey = write_journey(tmp_path / "j.yaml", serve(site), "  - {id: home, url: index.html}\n  - {id: busy, url: busy.html}\n")
    settings = RunSettings(capture=CaptureSettings(timeout=5, retries=0, snapshot=10))

    with Engine(tmp_path / "artifacts", settings) as engine:
        [result] = engine.run([load_journey(journey)])

    captured = {capture.touchpoint: capture for capture in result.captures}
    assert captured["home"].ok and captured["home"].screenshot
    assert captured["busy"].error.startswith("the capture did not finish within 15 s (--timeout 5 for the navigation")
    assert result.status == "error"


def test_a_touchpoints_time_limit_covers_every_attempt_step_and_the_email_wait():
    settings = CaptureSettings(timeout=10, retries=1, snapshot=60)
    page = Touchpoint(id="page", url="/")
    with_steps = Touchpoint(id="steps", url="/", steps=[{"click": "a"}, {"wait_for": "text=Done"}])
    email = Touchpoint(id="mail", channel="email", email={"source": "smtp", "timeout": "45s"})
    assert settings.limit(page) == (10 + 60) * 2  # navigation and snapshot, two attempts
    assert settings.limit(with_steps) == (3 * 10 + 60) * 2
    assert settings.limit(email) == 45 + 10 + 60
