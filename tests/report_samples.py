"""Hand-built runs for the report tests: real PNG screenshots drawn with Pillow, findings on known boxes.

No tests here; test_report_*.py modules import `sample_run` and `crowd_run`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from PIL import Image, ImageDraw

from onevoice.colors import Rgb
from onevoice.facts import Capture, EmailInfo
from onevoice.findings import Cell, Evidence, Finding, Matrix
from onevoice.model import Brand
from onevoice.outcome import JourneyResult, RunResult

STARTED = datetime(2026, 11, 23, 2, 0, 0, tzinfo=timezone.utc)
EVIDENCE_COLOR = (20, 90, 220)  # every evidence box is painted this colour on its screenshot
SCREEN_SIZES = {"home-desktop": (1440, 2400), "home-mobile": (390, 1800), "welcome-email": (600, 1500)}
BOXES = {
    "tagline": ("home-mobile", (20.0, 300.0, 350.0, 80.0)),
    "instagram": ("welcome-email", (0.0, 1280.0, 600.0, 220.0)),
    "cta-color": ("home-desktop", (600.0, 900.0, 240.0, 60.0)),
    "accepted-footer": ("home-desktop", (0.0, 2200.0, 1440.0, 200.0)),
}


def draw_screen(path: Path, size: tuple[int, int], boxes: list[tuple[float, float, float, float]]) -> str:
    """A grey page with a header bar, and `boxes` painted in EVIDENCE_COLOR; returns the path as given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (236, 238, 242))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 80), fill=(31, 79, 216))
    for x, y, width, height in boxes:
        draw.rectangle((x, y, x + width - 1, y + height - 1), fill=EVIDENCE_COLOR)
    image.save(path)
    return str(path)


def sample_run(folder: Path, text: str = "Launch campaigns your customers love") -> RunResult:
    """A failed journey (new, accepted and fixed findings, a touchpoint not captured, fact tables) and a passed one.

    `text` is used as captured text everywhere a page could inject markup: headline, message, error.
    """
    for touchpoint, size in SCREEN_SIZES.items():
        boxes = [box for tp, box in BOXES.values() if tp == touchpoint]
        draw_screen(folder / "screens" / "spring-sale" / f"{touchpoint}.png", size, boxes)
    draw_screen(folder / "screens" / "spring-sale" / "logo-desktop.png", (160, 48), [])
    draw_screen(folder / "screens" / "plain" / "about.png", (1280, 900), [])
    captures = (
        Capture(touchpoint="home-desktop", channel="web", device="Desktop Chrome", url="http://127.0.0.1:8765/",
                screenshot="screens/spring-sale/home-desktop.png", page_size=SCREEN_SIZES["home-desktop"]),
        Capture(touchpoint="home-mobile", channel="web", device="iPhone 13", url="http://127.0.0.1:8765/",
                screenshot="screens/spring-sale/home-mobile.png"),
        Capture(touchpoint="welcome-email", channel="email", device="Email 600px",
                screenshot="screens/spring-sale/welcome-email.png",
                email=EmailInfo(subject=f"Welcome! {text}", preheader="Your 20% off code inside")),
        Capture(touchpoint="signup", channel="web", device="Desktop Chrome", url="http://127.0.0.1:8765/signup",
                error=f"net::ERR_CONNECTION_REFUSED at http://127.0.0.1:8765/signup {text}"),
    )
    findings = (
        Finding(check="messaging", rule="messaging.mismatch", severity="error", touchpoints=("home-mobile",),
                subject="tagline", message=f"home-mobile rewords the tagline: {text}",
                expected="Launch campaigns your customers love", actual="Launch campaigns customers adore",
                evidence=(Evidence(touchpoint="home-mobile", selector="h1", box=BOXES["tagline"][1], text=text),)),
        Finding(check="social", rule="social.missing", severity="error", touchpoints=("welcome-email",),
                subject="instagram", message="welcome-email links to no instagram account",
                expected="https://www.instagram.com/northwind",
                evidence=(Evidence(touchpoint="welcome-email", selector="footer", box=BOXES["instagram"][1]),)),
        Finding(check="brand", rule="brand.color", severity="warning", touchpoints=("home-desktop",),
                subject="cta", message="the primary button is #E03131, off the palette", expected="#1F4FD8",
                actual="#E03131", evidence=(Evidence(touchpoint="home-desktop", selector="a.btn-primary",
                                                     box=BOXES["cta-color"][1], color=Rgb.parse("#E03131")),)),
        Finding(check="social", rule="social.missing", severity="error", touchpoints=("home-desktop",),
                subject="youtube", message="home-desktop links to no youtube account", state="accepted",
                reason="the footer is being redesigned",
                evidence=(Evidence(touchpoint="home-desktop", selector="footer", box=BOXES["accepted-footer"][1]),)),
        Finding(check="brand", rule="brand.logo_missing", severity="error", touchpoints=("home-mobile",),
                subject="logo", message="home-mobile shows no logo", state="fixed"),
    )
    columns = ("home-desktop", "home-mobile", "welcome-email")
    matrices = (
        Matrix(id="messages", title="Messages", rows=("tagline",), columns=columns,
               expected={"tagline": "Launch campaigns your customers love"},
               cells={"tagline": {"home-desktop": Cell(status="ok", value="Launch campaigns your customers love"),
                                  "home-mobile": Cell(status="reworded", value="Launch campaigns customers adore"),
                                  "welcome-email": Cell(status="missing")}}),
        Matrix(id="colors", title="Colours", rows=("cta",), columns=columns, expected={"cta": "#1F4FD8"},
               cells={"cta": {"home-desktop": Cell(status="other", value="#E03131", swatch=Rgb.parse("#E03131"), detail="ΔE 41.2"),
                              "home-mobile": Cell(status="ok", value="#1F4FD8", swatch=Rgb.parse("#1F4FD8"))}}),
        Matrix(id="logo", title="Logo", rows=("logo",), columns=columns,
               cells={"logo": {"home-desktop": Cell(status="ok", image="screens/spring-sale/logo-desktop.png",
                                                    detail="distance 3")}}),
    )
    failed = JourneyResult(
        name=f"Spring sale {text}", file="journeys/spring-sale.yaml", slug="spring-sale", tags=("nightly",),
        brand=Brand(name="Northwind", colors={"primary": "#1F4FD8", "accent": "#FFB400"}, fonts=("Inter",)),
        captures=captures, findings=findings, matrices=matrices, checks=("brand", "messaging", "social"), seconds=12.5,
    )
    passed = JourneyResult(
        name="About page", file="journeys/about.yaml", slug="plain", checks=("brand", "messaging", "social"),
        captures=(Capture(touchpoint="about", channel="web", device="Desktop Chrome", url="http://127.0.0.1:8765/about",
                          screenshot="screens/plain/about.png"),),
    )
    return RunResult(started=STARTED, seconds=20.25, journeys=(failed, passed))


def crowd_run(folder: Path, touchpoints: int) -> RunResult:
    """One journey per 10 touchpoints, each touchpoint with a small screenshot and one finding."""
    journeys = []
    for j in range(0, touchpoints, 10):
        slug = f"crowd-{j // 10}"
        captures, findings = [], []
        for t in range(j, min(j + 10, touchpoints)):
            touchpoint = f"page-{t}"
            draw_screen(folder / "screens" / slug / f"{touchpoint}.png", (200, 300), [(10, 10, 50, 20)])
            captures.append(Capture(touchpoint=touchpoint, channel="web", device="Desktop Chrome",
                                    screenshot=f"screens/{slug}/{touchpoint}.png"))
            findings.append(Finding(check="social", rule="social.missing" if t % 2 else "social.broken",
                                    severity="error" if t % 3 else "warning", touchpoints=(touchpoint,),
                                    subject="facebook", message=f"{touchpoint} has no facebook link",
                                    evidence=(Evidence(touchpoint=touchpoint, box=(10, 10, 50, 20)),)))
        journeys.append(JourneyResult(name=f"Crowd {j // 10}", file=f"journeys/{slug}.yaml", slug=slug,
                                      captures=tuple(captures), findings=tuple(findings), checks=("social",)))
    return RunResult(started=STARTED, seconds=1.0, journeys=tuple(journeys))
