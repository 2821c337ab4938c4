"""End to end in Chromium: offers drawn into images are read (OCR) and judged like any other text.

An email whose hero banner says 30% while the site says 25% gives one messaging.conflict naming
the email, quoting what was read and boxing the words on its screenshot; the same email with a
banner that agrees gives nothing; a saved screen without a hierarchy gives its text. The banners
are drawn here with Pillow, small, so each is read in a fraction of a second.
"""

from __future__ import annotations

import json
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from onevoice.capture.ocr import find_tessdata
from onevoice.engine import Engine, RunSettings
from onevoice.facts import Capture
from onevoice.loader import load_journeys
from onevoice.outcome import RunResult
from onevoice.report import write_report
from static_server import serve_folder

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_tessdata() is None, reason="no Tesseract model (make setup installs it)"),
]

SITE = """<!doctype html><html><head><title>Quillory</title></head><body>
<h1>Spring sale</h1><p>Save 25% this weekend.</p><p>Every notebook, every colour.</p></body></html>"""
EMAIL = """<!doctype html><html><body style="margin:0">
<table width="600" cellpadding="0" cellspacing="0"><tr><td>
<img src="{hero}" width="600" height="200" alt="Spring sale" style="display:block">
</td></tr><tr><td style="padding:24px;font:16px sans-serif">Hello, our notebooks are waiting for you.</td></tr>
</table></body></html>"""
JOURNEY = """
name: Spring sale
base_url: {url}
touchpoints:
  - {{id: home, url: /}}
  - {{id: sale-email, channel: email, email: {{source: file, path: {email}}}}}
messages:
  - {{id: offer, text: "Save 25% this weekend"}}
"""


def hero(text: str) -> PILImage.Image:
    """A hero banner: white words on a dark gradient, as brands draw them."""
    image = PILImage.new("RGB", (600, 200))
    draw = ImageDraw.Draw(image)
    for x in range(600):
        draw.line((x, 0, x, 200), fill=(20 + x // 12, 40, 110 + x // 8))
    draw.text((40, 76), text, fill="white", font=ImageFont.truetype("DejaVuSans-Bold.ttf", 36))
    return image


def run(tmp_path: Path, banner_text: str):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(SITE, encoding="utf-8")
    hero(banner_text).save(tmp_path / "hero.png")  # beside the email: inlined, as a cid: part would be
    with serve_folder(site) as url:
        (tmp_path / "sale.html").write_text(EMAIL.format(hero="hero.png"), encoding="utf-8")
        (tmp_path / "sale.yaml").write_text(JOURNEY.format(url=url, email="sale.html"), encoding="utf-8")
        journeys, problems = load_journeys([str(tmp_path / "sale.yaml")], {})
        assert problems == []
        with Engine(tmp_path / "report") as engine:
            (result,) = engine.run(journeys)
    return result


def test_a_hero_banner_that_says_30_percent_conflicts_with_the_sites_25(tmp_path):
    result = run(tmp_path, "Save 30% this weekend")
    email = next(capture for capture in result.captures if capture.touchpoint == "sale-email")
    (read,) = [block for block in email.texts if block.from_image]
    assert read.text == "Save 30% this weekend" and read.confidence >= 0.85
    x, y, width, height = read.box  # the words, in the email's page coordinates
    assert 30 <= x <= 50 and 65 <= y <= 95 and 350 <= width <= 520 and 25 <= height <= 50
    (conflict,) = [finding for finding in result.findings if finding.rule == "messaging.conflict"]
    assert conflict.touchpoints == ("sale-email",)
    assert conflict.message == "'percent: weekend' differs: sale-email says 30% (read from the image); message 'offer' says 25%"
    image_side, page_side = conflict.evidence
    assert image_side.touchpoint == "sale-email" and image_side.from_image and image_side.box == read.box
    assert "Save 30% this weekend" in image_side.text
    assert page_side.touchpoint == "home" and not page_side.from_image
    assert [f.rule for f in result.findings if f.rule.startswith("messaging")] == ["messaging.conflict"]

    write_report(RunResult(started=datetime.now(timezone.utc), journeys=(result,)), tmp_path / "report")
    findings = json.loads((tmp_path / "report" / "findings.json").read_text(encoding="utf-8"))
    (entry,) = [f for j in findings["journeys"] for f in j["findings"] if f["rule"] == "messaging.conflict"]
    assert entry["evidence"][0]["from_image"] is True and "from_image" not in entry["evidence"][1]
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "read from the image" in html
    (messages,) = [m for m in result.matrices if m.id == "messages"]
    assert messages.cells["offer"]["sale-email"].detail == "'25%' -> '30%'; read from the image"


def test_a_hero_banner_that_agrees_gives_nothing(tmp_path):
    result = run(tmp_path, "Save 25% this weekend")
    email = next(capture for capture in result.captures if capture.touchpoint == "sale-email")
    assert [block.text for block in email.texts if block.from_image] == ["Save 25% this weekend"]
    assert [f for f in result.findings if f.check == "messaging"] == []


def only_capture(journey: Path) -> Capture:
    """The one capture of the one-touchpoint journey in `journey`, run in a fresh engine."""
    journeys, problems = load_journeys([str(journey)], {})
    assert problems == []
    with Engine(journey.parent / "report") as engine:
        (result,) = engine.run(journeys)
    (capture,) = result.captures
    return capture


def test_a_saved_screen_without_a_hierarchy_gives_its_text(tmp_path):
    screen = PILImage.new("RGB", (540, 960), "white")
    draw = ImageDraw.Draw(screen)
    draw.rectangle((0, 0, 540, 120), fill="#1f4fd8")
    draw.text((32, 40), "Quillory", fill="white", font=ImageFont.truetype("DejaVuSans-Bold.ttf", 40))
    draw.text((32, 300), "Save 25% this weekend", fill="#111111", font=ImageFont.truetype("DejaVuSans.ttf", 34))
    screen.save(tmp_path / "offer.png")
    (tmp_path / "app.yaml").write_text(
        textwrap.dedent(
            """
            name: App offer
            touchpoints:
              - {id: app-offer, channel: app, app: {source: files, screenshot: offer.png}}
            """
        ),
        encoding="utf-8",
    )
    capture = only_capture(tmp_path / "app.yaml")
    assert capture.error is None
    assert [(block.text, block.from_image) for block in capture.texts] == [
        ("Quillory", True),
        ("Save 25% this weekend", True),
    ]
    offer = capture.texts[1]
    assert 25 <= offer.box[0] <= 40 and 295 <= offer.box[1] <= 315  # screenshot pixels


def test_an_image_node_of_a_screen_with_a_hierarchy_is_read_too(tmp_path):
    screen = PILImage.new("RGB", (540, 960), "white")
    ImageDraw.Draw(screen).text((20, 40), "Welcome", fill="#111111", font=ImageFont.truetype("DejaVuSans.ttf", 30))
    screen.paste(hero("Save 25% today").crop((0, 0, 540, 200)), (0, 300))
    screen.save(tmp_path / "home.png")
    (tmp_path / "home.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><hierarchy rotation="0">'
        '<node index="0" text="" class="android.widget.FrameLayout" package="shop" content-desc="" bounds="[0,0][540,960]">'
        '<node index="0" text="Welcome" class="android.widget.TextView" package="shop" content-desc="" bounds="[20,40][300,80]"/>'
        '<node index="1" text="" class="android.widget.ImageView" package="shop" content-desc="" resource-id="shop:id/banner" '
        'bounds="[0,300][540,500]"/></node></hierarchy>',
        encoding="utf-8",
    )
    (tmp_path / "app.yaml").write_text(
        "name: App\ntouchpoints:\n  - {id: app-home, channel: app, app: {source: files, screenshot: home.png, hierarchy: home.xml}}\n",
        encoding="utf-8",
    )
    capture = only_capture(tmp_path / "app.yaml")
    assert [(block.text, block.from_image) for block in capture.texts] == [("Welcome", False), ("Save 25% today", True)]
    assert 300 <= capture.texts[1].box[1] <= 400  # screenshot pixels
