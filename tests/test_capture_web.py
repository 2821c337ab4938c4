"""Web capture in a real Chromium against real pages served from 127.0.0.1."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image as PILImage

from onevoice.capture.web import CaptureSettings, capture_web
from onevoice.facts import Capture
from onevoice.model import Touchpoint
from static_server import PageHandler, QuietHandler, serve_folder, serve_handler

PAGES = Path(__file__).parent / "data" / "pages"
FAST = CaptureSettings(timeout=1, retries=0)


class _Handler(QuietHandler):
    """Static files, plus /flaky (503 on its first request only) and /slow (answers after 3 s)."""

    flaky_seen: set[str]

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.startswith("/flaky"):
            if self.path not in self.flaky_seen:
                self.flaky_seen.add(self.path)
                self.send_error(503, "Try again")
                return
            self.path = "/pages/form.html"
        if self.path.startswith("/slow"):
            time.sleep(3)
            self.path = "/pages/form.html"
        super().do_GET()


@pytest.fixture(scope="module")
def site(corpus: Path, tmp_path_factory) -> Iterator[str]:
    """A server whose root holds /pages (tests/data/pages) and /corpus (the shared corpus)."""
    root = tmp_path_factory.mktemp("site")
    (root / "pages").symlink_to(PAGES.resolve(), target_is_directory=True)
    (root / "corpus").symlink_to(corpus.resolve(), target_is_directory=True)
    with serve_folder(root, type("Handler", (_Handler,), {"flaky_seen": set()})) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def devices(playwright) -> dict[str, dict]:
    return dict(playwright.devices)


@pytest.fixture
def capture(loop, browser, devices, tmp_path):
    def run(touchpoint: Touchpoint, url: str, settings: CaptureSettings = CaptureSettings()) -> Capture:
        coroutine = capture_web(
            browser, touchpoint, url, devices=devices, artifacts=tmp_path, folder="journey", settings=settings
        )
        return loop.run(coroutine, timeout=60)

    run.artifacts = tmp_path  # type: ignore[attr-defined]
    return run


def _touchpoint(**fields) -> Touchpoint:
    return Touchpoint(**{"id": "page", "url": "/", **fields})


@pytest.mark.parametrize("device, width", [("Desktop Chrome", 1280), ("iPhone 13", 390)])
def test_corpus_page_at_desktop_and_mobile(capture, site, device, width):
    result = capture(_touchpoint(device=device), f"{site}/corpus/email-sendgrid-paste-welcome/welcome.html")

    assert result.error is None and result.attempts == 1
    assert result.viewport is not None and result.viewport[0] == width
    assert result.screenshot == "screens/journey/page.png"
    with PILImage.open(capture.artifacts / result.screenshot) as png:
        assert png.size == result.page_size
    assert result.page_size[0] == width
    heading = next(block for block in result.texts if block.role == "heading")
    assert heading.text == "Welcome, Jason!"
    assert heading.box is not None and heading.box[2] > 0 and heading.box[0] + heading.box[2] <= width
    assert heading.font == "Source Sans Pro" and heading.color == "#000000" and heading.background == "#ffffff"
    cta = next(block for block in result.texts if block.role == "cta")
    assert cta.text == "Do Something Sweet" and cta.background == "#1a82e2"
    logo = next(image for image in result.images if image.logo_hint)
    assert logo.loaded and logo.link == "https://sendgrid.com"
    assert logo.crop == "screens/journey/page-logo-1.png"
    with PILImage.open(capture.artifacts / logo.crop) as crop:
        assert crop.size == (round(logo.box[2]), round(logo.box[3]))
    preheader = next(block for block in result.texts if block.text.startswith("A preheader is"))
    assert not preheader.visible


def test_hidden_text_is_kept_and_marked_hidden(capture, site):
    result = capture(_touchpoint(), f"{site}/pages/visibility.html")

    assert result.error is None
    by_text = {block.text: block for block in result.texts}
    assert by_text["Visible headline"].visible and by_text["Visible headline"].font == "Helvetica Neue"
    assert by_text["Save 20% on your first order"].visible
    for hidden in ("display none", "visibility", "opacity", "screen reader text", "off screen", "a collapsed box"):
        block = next(block for text, block in by_text.items() if text.endswith(hidden))
        assert not block.visible, block
    offer = next(link for link in result.links if link.text == "Claim offer")
    assert offer.button and offer.href == f"{site}/offer" and offer.background == "#1f4fd8"
    assert by_text["Claim offer"].role == "cta" and by_text["Claim offer"].color == "#ffffff"


def test_masked_element_is_absent_and_blacked_out(capture, site):
    result = capture(_touchpoint(mask=(".cookie-banner",)), f"{site}/pages/visibility.html")

    assert result.error is None
    assert not any("cookies" in block.text for block in result.texts)
    with PILImage.open(capture.artifacts / result.screenshot) as png:
        rgb = png.convert("RGB")
        # the banner is fixed to the bottom of the first viewport, 80 px tall and green when unmasked
        assert rgb.getpixel((rgb.width // 2, result.viewport[1] - 40)) == (0, 0, 0)
        assert (0, 255, 0) not in {colour for _, colour in rgb.getcolors(maxcolors=1 << 16) or []}


SECRET_PAGE = """<!doctype html><html><head><style>body {{ margin: 0; }}</style></head><body>
<h1 style="margin: 300px 20px 0">A form</h1>{field}</body></html>"""
FIELD_STYLE = "position: absolute; top: 40px; left: 40px; width: 200px; height: 60px; border: 0; background: #ff0000"
SECRET_FIELDS = {
    "password": f'<input type="password" value="hunter2" style="{FIELD_STYLE}">',
    "password-in-shadow-root": '<div id="host"></div><script>document.getElementById("host").attachShadow({mode: "open"})'
    f""".innerHTML = '<input type="password" value="hunter2" style="{FIELD_STYLE}">';</script>""",
    "text": f'<input type="text" value="not a secret" style="{FIELD_STYLE}">',
}


class _SecretFields(PageHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.answer(200, SECRET_PAGE.format(field=SECRET_FIELDS[self.path.strip("/")]).encode())


@pytest.mark.parametrize("field, colour", [("password", (0, 0, 0)), ("password-in-shadow-root", (0, 0, 0)), ("text", (255, 0, 0))])
def test_password_fields_are_blacked_out_wherever_they_are(capture, field, colour):
    with serve_handler(_SecretFields) as url:
        result = capture(_touchpoint(), url + field)

    assert result.error is None
    with PILImage.open(capture.artifacts / result.screenshot) as png:
        assert png.convert("RGB").getpixel((140, 70)) == colour  # the middle of the field


def test_unmasked_banner_is_captured(capture, site):
    result = capture(_touchpoint(), f"{site}/pages/visibility.html")

    assert any(block.text == "Accept our cookies" and block.visible for block in result.texts)


def test_the_page_is_closed_before_its_facts_are_worked_out(capture, site, browser, monkeypatch):
    """Chromium's part of a capture ends with the annotation: extraction, text in images and logo
    crops run with the page's context closed (a context kept open meanwhile costs Chromium CPU)."""
    from onevoice.capture import web

    open_contexts = []

    async def counting(shot, artifacts):
        open_contexts.append(len(browser.contexts))
        return await shot_capture(shot, artifacts)

    shot_capture = web.shot_capture
    monkeypatch.setattr(web, "shot_capture", counting)
    result = capture(_touchpoint(), f"{site}/pages/form.html")

    assert result.error is None and result.texts
    assert open_contexts == [0]


def test_lazy_images_load_during_scroll_through(capture, site):
    result = capture(_touchpoint(), f"{site}/pages/lazy.html")

    assert result.error is None
    with PILImage.open(capture.artifacts / result.screenshot) as png:
        rgb = png.convert("RGB")
        for image_id, colour in (("scripted", (255, 0, 0)), ("native", (0, 0, 255))):
            image = next(image for image in result.images if image.selector == f"#{image_id}")
            assert image.loaded and image.src and image.src.endswith(".svg")
            x, y, width, height = image.box
            assert y > 4000
            assert rgb.getpixel((int(x + width / 2), int(y + height / 2))) == colour


def test_steps_fill_click_and_wait(capture, site):
    steps = [
        {"fill": {"selector": "#email", "value": "qa@example.test"}},
        {"click": "button[type=submit]"},
        {"wait_for": "text=Check your inbox"},
    ]
    result = capture(_touchpoint(steps=steps), f"{site}/pages/form.html")

    assert result.error is None
    assert any(block.text == "Check your inbox, qa@example.test" and block.visible for block in result.texts)


def test_step_whose_selector_never_appears(capture, site):
    steps = [{"click": "button[type=submit]"}, {"wait_for": "#never-there"}]
    result = capture(_touchpoint(steps=steps), f"{site}/pages/form.html", FAST)

    assert result.error is not None
    assert result.error.startswith("step 2 (wait_for '#never-there') failed:") and "Timeout" in result.error
    assert "\n" not in result.error
    assert result.screenshot and any(block.text == "Join the list" for block in result.texts)
    assert result.attempts == 1


def test_unreachable_url_is_retried_and_reported(capture):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    result = capture(_touchpoint(), url, CaptureSettings(timeout=5, retries=1))

    assert result.error is not None and "ERR_CONNECTION_REFUSED" in result.error and url in result.error
    assert result.attempts == 2
    assert result.screenshot is None and result.texts == ()
    assert result.seconds > 0


def test_http_error_status(capture, site):
    result = capture(_touchpoint(), f"{site}/pages/missing.html", FAST)

    assert result.error is not None and "HTTP 404" in result.error
    assert result.attempts == 1  # a 404 does not go away by asking again
    assert result.screenshot is not None  # the error page itself is captured for the reviewer


def test_navigation_timeout(capture, site):
    result = capture(_touchpoint(), f"{site}/slow", CaptureSettings(timeout=0.5, retries=0))

    assert result.error is not None and "Timeout" in result.error
    assert "\n" not in result.error and result.attempts == 1


def test_transient_failure_is_retried(capture, site):
    result = capture(_touchpoint(), f"{site}/flaky", CaptureSettings(timeout=5, retries=1))

    assert result.error is None
    assert result.attempts == 2
    assert any(block.text == "Join the list" for block in result.texts)
