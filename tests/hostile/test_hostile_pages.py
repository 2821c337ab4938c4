"""A page that answered is captured: one that never finishes loading, one that navigates away by
itself after load, one too tall for a screenshot. Errors that would answer the same again
(401, 403, a redirect loop) are not retried, and every error's hint matches its cause."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image as PILImage

from onevoice.capture.web import CaptureSettings, capture_web
from onevoice.capture.page import SCREENSHOT_PIXELS, screenshot_clip
from onevoice.model import Touchpoint
from static_server import QuietHandler, serve_folder

PAGES = {
    "tall.html": '<h1>Top of a tall page</h1><div style="height: 150000px"></div><p>Text at the very bottom</p>',
    "stuck.html": '<h1>Almost there</h1><img src="/never.png" alt="hero"><p>Readable before the image</p>',
    "hops.html": "<h1>First stop</h1><script>addEventListener('load', () => "
    "setTimeout(() => { location.href = 'landed.html'; }, 300));</script>",
    "leaves-on-scroll.html": '<h1>Scroll me</h1><div style="height: 5000px"></div><script>'
    "addEventListener('scroll', () => { location.href = 'landed.html'; }, {once: true});</script>",
    # A full-page screenshot resizes the page's view: this one leaves while it is screenshot.
    "leaves-on-resize.html": '<h1>Resize me</h1><div style="height: 5000px"></div><script>'
    "addEventListener('resize', () => { location.href = 'landed.html'; }, {once: true});</script>",
    "landed.html": "<h1>Where it landed</h1>",
}


class HostileHandler(QuietHandler):
    """The pages above, an image that never finishes, 401 (with and without a login challenge), 403 and
    a redirect to itself; counts requests."""

    requests: Counter
    release: threading.Event

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests[self.path] += 1
        if self.path == "/never.png":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"\x89PNG\r\n\x1a\n")
            self.wfile.flush()
            self.release.wait(60)  # never completes while the test runs
        elif self.path == "/locked":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="staff"')
            self.end_headers()
        elif self.path == "/members":
            self.send_error(401, "Unauthorized")
        elif self.path == "/forbidden":
            self.send_error(403, "Forbidden")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        else:
            super().do_GET()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, Counter]]:
    root = tmp_path_factory.mktemp("hostile-site")
    for name, body in PAGES.items():
        (root / name).write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    requests: Counter = Counter()
    release = threading.Event()
    handler = type("Handler", (HostileHandler,), {"requests": requests, "release": release})
    with serve_folder(root, handler) as url:
        yield url, requests
        release.set()


@pytest.fixture
def capture(loop, browser, playwright, tmp_path):
    devices = dict(playwright.devices)

    def run(path: str, settings: CaptureSettings):
        touchpoint = Touchpoint(id=Path(path).stem or "page", url=path)
        url = site_url[0] + path
        return loop.run(
            capture_web(browser, touchpoint, url, devices=devices, artifacts=tmp_path, folder="j", settings=settings)
        )

    site_url: list[str] = []
    run.site = site_url
    return run


@pytest.fixture
def open_page(capture, site):
    capture.site.append(site[0])
    return capture


def test_a_page_taller_than_a_screenshot_can_hold_is_captured_with_its_screenshot_cut(open_page, tmp_path):
    result = open_page("tall.html", CaptureSettings(timeout=20, retries=0))

    assert result.error is None
    with PILImage.open(tmp_path / result.screenshot) as shot:
        assert shot.width * shot.height <= SCREENSHOT_PIXELS and shot.height < 150000
    assert any(note.startswith("screenshot cut to ") and "of its 150," in note for note in result.notes), result.notes
    assert "Text at the very bottom" in [block.text for block in result.texts]  # read beyond the cut


def test_a_page_whose_image_never_finishes_is_captured_as_it_stood(open_page):
    result = open_page("stuck.html", CaptureSettings(timeout=3, retries=0))

    assert result.error is None and result.screenshot
    assert "Readable before the image" in [block.text for block in result.texts]
    assert any("had not finished loading after 3 s" in note for note in result.notes), result.notes
    assert any("(still loading: http" in note and "/never.png" in note for note in result.notes), result.notes


def test_a_page_that_navigates_after_load_is_captured_where_it_lands(open_page):
    result = open_page("hops.html", CaptureSettings(timeout=20, retries=0))

    assert result.error is None
    texts = [block.text for block in result.texts]
    if "Where it landed" in texts:  # the navigation came during the snapshot or before it
        assert result.url.endswith("/landed.html")
    else:  # the snapshot finished within the 300 ms
        assert "First stop" in texts


def test_a_page_that_navigates_while_it_is_snapshotted_is_captured_where_it_lands(open_page):
    result = open_page("leaves-on-scroll.html", CaptureSettings(timeout=20, retries=0))

    assert result.error is None
    assert result.url.endswith("/landed.html")
    assert [block.text for block in result.texts] == ["Where it landed"]
    assert result.notes[0].startswith("the page navigated by itself from http")
    assert result.notes[0].endswith("/landed.html where it landed")


def test_a_page_that_navigates_while_it_is_screenshot_is_captured_where_it_lands(open_page, tmp_path):
    """Chromium's screenshot of a page being replaced never finishes: without noticing the new
    document, the capture waited out the snapshot's 60 s and failed."""
    result = open_page("leaves-on-resize.html", CaptureSettings(timeout=20, retries=0))

    assert result.error is None
    assert result.url.endswith("/landed.html")
    assert [block.text for block in result.texts] == ["Where it landed"]
    assert result.notes[0].endswith("/landed.html where it landed")
    with PILImage.open(tmp_path / result.screenshot) as shot:
        assert shot.height < 1000  # the screenshot is of the page it landed on too, not the 5,000 px one
    assert result.seconds < 30


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("locked", "ERR_INVALID_AUTH_CREDENTIALS at {url} (the page asks for a login (HTTP authentication)"),
        ("members", "HTTP 401 Unauthorized (the page asks for a login"),
        ("forbidden", "HTTP 403 Forbidden (the server refuses access"),
        ("loop", "(the server redirects in a loop"),
    ],
)
def test_answers_that_would_be_the_same_again_are_not_retried(open_page, site, path, said):
    before = site[1][f"/{path}"]
    result = open_page(path, CaptureSettings(timeout=10, retries=2))

    assert said.format(url=result.url) in result.error, result.error
    assert result.attempts == 1
    if path in ("members", "forbidden"):  # a login challenge or a redirect loop asks again within one attempt
        assert site[1][f"/{path}"] - before == 1, site[1]


def test_a_screenshot_is_cut_only_when_the_page_is_too_big():
    assert screenshot_clip(1280, 9000) == (None, None)
    clip, note = screenshot_clip(1280, 150_000)
    assert clip == {"x": 0, "y": 0, "width": 1280, "height": SCREENSHOT_PIXELS // 1280}
    assert note.startswith(f"screenshot cut to {SCREENSHOT_PIXELS // 1280:,} of its 150,000 px height")
    clip, note = screenshot_clip(60_000, 800)
    assert clip["width"] < 60_000 and clip["height"] == 800 and "of its 60,000 px width" in note


def test_extraction_and_image_work_run_off_the_event_loop(open_page, monkeypatch):
    """Heavy work in a thread: one big page never stretches the other touchpoints' timers."""
    import asyncio

    import onevoice.capture.page as page

    on_loop: dict[str, bool] = {}

    def watched(name, work):
        def run(*args, **kwargs):
            try:
                asyncio.get_running_loop()
                on_loop[name] = True
            except RuntimeError:
                on_loop[name] = False
            return work(*args, **kwargs)

        return run

    for name in ("extract_page", "crop_logo_candidates", "decode_rows"):
        monkeypatch.setattr(page, name, watched(name, getattr(page, name)))

    assert open_page("landed.html", CaptureSettings(timeout=20, retries=0)).error is None
    assert on_loop == {"extract_page": False, "crop_logo_candidates": False, "decode_rows": False}
