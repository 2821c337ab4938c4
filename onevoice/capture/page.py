"""Snapshot a loaded page: settle it, screenshot it, annotate it, extract its facts.

`shoot_page` and `shot_capture` are shared by web and email capture. Shooting costs one
evaluate to settle and measure the page, a bounded wait for the network to go quiet, the
screenshot, and one evaluate to annotate and serialise the DOM (see annotate.js); the capture is
then worked out in Python (`onevoice.extract`, text in images, logo crops) with the page closed.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from PIL import Image as PILImage
from playwright.async_api import Error as PlaywrightError

from onevoice import defaults
from onevoice.facts import Capture, Image
from onevoice.capture.image_text import image_text_blocks, images_to_read
from onevoice.extract import extract_page
from onevoice.model import Touchpoint
from onevoice.pngrows import decode_rows

SCREENSHOT_PIXELS = 25_000_000  # a full-page screenshot is cut to this many CSS pixels (about 100 MB decoded)
SCREENSHOT_WIDTH = 10_000  # and to this width
PENDING_SHOWN = 3  # requests still in flight named in a capture's note
QUIET_WINDOW = 0.05  # seconds without a request in flight, after the settle script, that count as "network settled"
SETTLE_LIMIT = 3.0  # never wait longer than this for the network to settle
MASK_COLOR = "#000000"
SECRET_FIELDS = "input[type=password]"  # blacked out in every screenshot, filled or not

# Animations and transitions off, caret hidden; then scroll once through a page taller than the
# window so lazy content loads, back to the top, and wait for web fonts. `scroll` false: a page whose
# scripts are off (an email) has no timers or animation frames to wait for, and loads nothing lazily.
# Returns the page's size, and whether it holds an element matching the selector `secret` (in the
# document or an open shadow root, where a Playwright locator finds it too).
SETTLE_SCRIPT = """async ([scroll, secret]) => {
  const style = document.createElement("style");
  style.setAttribute("data-onevoice", "settle");
  style.textContent = `*, *::before, *::after {
    animation: none !important; transition: none !important;
    caret-color: transparent !important; scroll-behavior: auto !important; }`;
  (document.head || document.documentElement).appendChild(style);
  const root = document.documentElement, body = document.body;
  const width = () => Math.max(root.scrollWidth, body ? body.scrollWidth : 0);
  const height = () => Math.max(root.scrollHeight, body ? body.scrollHeight : 0);
  if (scroll && height() > window.innerHeight) {
    // A frame rendered at the current scroll position (so intersection observers saw it).
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const step = Math.max(window.innerHeight, 200);
    for (let y = step; y < height() && y < 50000; y += step) {
      window.scrollTo(0, y);
      await frame();
    }
    window.scrollTo(0, 0);
    await frame();
  }
  await document.fonts.ready;
  const holds = (scope) => scope.querySelector(secret) !== null
    || Array.from(scope.querySelectorAll("*")).some((element) => element.shadowRoot && holds(element.shadowRoot));
  return { width: width(), height: height(), secret: holds(document) };
}"""


@lru_cache(maxsize=1)
def annotate_script() -> str:
    return (Path(__file__).with_name("annotate.js")).read_text(encoding="utf-8")


class NetworkWatch:
    """Counts the page's requests in flight, to wait until none has been for a quiet window.

    One per page, made before it navigates: subscribing to the page's request events costs
    messages with the browser, so the watch listens until the page closes."""

    def __init__(self, page) -> None:
        self.in_flight: set[object] = set()
        self.last_change = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def restart(self) -> None:
        """Count from now: requests already in flight are no longer waited for (a long poll the
        page began while loading would otherwise hold up every snapshot)."""
        self.in_flight.clear()
        self.last_change = time.monotonic()

    def _started(self, request) -> None:
        self.in_flight.add(request)
        self.last_change = time.monotonic()

    def _ended(self, request) -> None:
        self.in_flight.discard(request)
        self.last_change = time.monotonic()

    async def quiet(self, window: float = QUIET_WINDOW, limit: float = SETTLE_LIMIT) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            idle_for = time.monotonic() - self.last_change
            if not self.in_flight and idle_for >= window:
                return
            await asyncio.sleep(max(0.01, window - idle_for) if not self.in_flight else 0.02)

    def pending(self) -> str:
        """The requests still in flight, for a note ("" when none is)."""
        urls = sorted(request.url for request in self.in_flight)
        shown = ", ".join(url if len(url) <= 100 else url[:97] + "..." for url in urls[:PENDING_SHOWN])
        return shown + (f" and {len(urls) - PENDING_SHOWN} more" if len(urls) > PENDING_SHOWN else "")


REPLACED = "the page loaded another document while it was captured"
T = TypeVar("T")


class PageReplaced(Exception):
    """The page's main frame loaded another document while it was shot (a script navigated)."""


class DocumentGuard:
    """Notices the page's main frame loading another document during a snapshot: Chromium's
    screenshot of a page being replaced never finishes (it waits out its timeout), and facts read
    from one document would not match a screenshot of another. A new document is a main-frame
    navigation followed by its DOMContentLoaded: a history change (pushState) has no such event,
    and a page still loading (captured as it stood) fires it without navigating. Listening costs no
    messages with the browser: Playwright always tracks frames."""

    def __init__(self, page) -> None:
        self.page = page
        self._navigated = False
        self.replaced = asyncio.Event()
        page.on("framenavigated", self._frame_navigated)
        page.on("domcontentloaded", self._document_loaded)

    def _frame_navigated(self, frame) -> None:
        self._navigated = self._navigated or frame == self.page.main_frame

    def _document_loaded(self, _page) -> None:
        if self._navigated:
            self.replaced.set()

    def close(self) -> None:
        self.page.remove_listener("framenavigated", self._frame_navigated)
        self.page.remove_listener("domcontentloaded", self._document_loaded)

    def check(self) -> None:
        """Raises PageReplaced when another document has loaded since the guard began."""
        if self.replaced.is_set():
            raise PageReplaced(REPLACED)

    async def unless_replaced(self, call: Awaitable[T]) -> T:
        """`call`'s result; when another document loads first, `call` is cancelled (Playwright then
        aborts it) and PageReplaced raised."""
        task, replaced = asyncio.ensure_future(call), asyncio.ensure_future(self.replaced.wait())
        try:
            await asyncio.wait((task, replaced), return_when=asyncio.FIRST_COMPLETED)
        finally:  # also when the capture itself is cancelled (its time is up)
            replaced.cancel()
            if not task.done():
                task.cancel()  # its cancellation completes later: it is not done below
        if not task.done() or task.cancelled():
            raise PageReplaced(REPLACED)
        return task.result()


@asynccontextmanager
async def touchpoint_page(browser, device: dict, timeout: float, **options):
    """A page in a fresh browser context with the touchpoint's `device` (its `context_args`) and
    `options` for `new_context`; the context closes after use."""
    context = await browser.new_context(**device, **options)
    try:
        context.set_default_timeout(timeout * 1000)
        yield await context.new_page()
    finally:
        await context.close()


@dataclass(frozen=True)
class Shot:
    """What a snapshot takes from the browser: the rest of a `Capture` is worked out from it in Python
    (`shot_capture`), after the page's context is closed."""

    touchpoint: Touchpoint
    png: bytes  # the screenshot
    screenshot: Path  # relative to the artifacts folder, where it is written as PNG
    dom: dict  # annotate.js's answer: html, width, height
    url: str | None  # where the page ended up, or the url given for a page with no address of its own
    viewport: tuple[int, int] | None
    notes: tuple[str, ...]
    started: float  # time.monotonic() when the snapshot began


async def shoot_page(
    page,
    touchpoint: Touchpoint,
    *,
    url: str | None,
    artifacts: Path,
    folder: str,
    watch: NetworkWatch,
    scripts: bool = True,
) -> Shot:
    """Settle a loaded page, screenshot it to `artifacts/screens/<folder>/` and annotate it: all a
    snapshot needs of the browser (the page may be closed after).

    Its `url` is where the page ended up (after redirects and steps); `url` is kept for a page
    with no address of its own (an email set as content). `watch` is the page's `NetworkWatch`.
    `scripts`: False for a page whose context runs no JavaScript (its timers never fire, so the
    settle step does not scroll). Raises PageReplaced when the page loads another document
    meanwhile, once that document is there: shoot it again where it lands."""
    guard = DocumentGuard(page)
    try:
        return await _shoot(page, touchpoint, url, artifacts, folder, watch, scripts, guard)
    except PlaywrightError as error:
        if "context was destroyed" not in str(error):
            raise
        # The new document was committed; Playwright may tell of it after the error: wait for it,
        # so that the caller's wait for the page to load is about the new document.
        try:
            await asyncio.wait_for(guard.replaced.wait(), defaults.SNAPSHOT_TIME)
        except asyncio.TimeoutError:
            raise error from None
        raise PageReplaced(REPLACED) from error
    finally:
        guard.close()


async def _shoot(
    page, touchpoint: Touchpoint, url: str | None, artifacts: Path, folder: str, watch: NetworkWatch, scripts: bool,
    guard: DocumentGuard,
) -> Shot:
    started = time.monotonic()
    notes: list[str] = []
    # The quiet window counts from the start of settling: a request the scrolling prompts is seen
    # before the script returns, so a page that stayed quiet while it settled waits no window more.
    watch.restart()
    # Secret fields there when the page has settled are masked: the steps that could type into one
    # are over, so a field a late script adds holds nothing. The size decides only a giant page's cut.
    settled = await page.evaluate(SETTLE_SCRIPT, [scripts, SECRET_FIELDS])
    await watch.quiet()
    if pending := watch.pending():
        notes.append(f"still loading when captured: {pending}")
    masks = [page.locator(selector) for selector in touchpoint.mask]
    for locator in masks:
        await locator.evaluate_all("els => els.forEach(el => el.setAttribute('data-onevoice-masked', '1'))")
    screens = Path("screens") / folder
    (artifacts / screens).mkdir(parents=True, exist_ok=True)
    screenshot = screens / f"{touchpoint.id}.png"
    clip, cut = screenshot_clip(settled["width"], settled["height"])
    notes.extend([cut] if cut else [])
    masks += [page.locator(SECRET_FIELDS)] if settled["secret"] else []  # masking costs Chromium work
    png = await guard.unless_replaced(
        page.screenshot(
            path=str(artifacts / screenshot),
            full_page=True,
            clip=clip,
            scale="css",
            mask=masks or None,
            mask_color=MASK_COLOR,
            timeout=defaults.SNAPSHOT_TIME * 1000,  # part of the snapshot, not of a navigation or step
        )
    )
    dom = await page.evaluate(annotate_script())
    guard.check()  # the screenshot and the facts are of one document
    location = page.url if page.url.startswith(("http:", "https:", "file:")) else url  # after redirects
    viewport = page.viewport_size
    return Shot(
        touchpoint=touchpoint,
        png=png,
        screenshot=screenshot,
        dom=dom,
        url=location,
        viewport=(viewport["width"], viewport["height"]) if viewport else None,
        notes=tuple(notes),
        started=started,
    )


async def shot_capture(shot: Shot, artifacts: Path) -> Capture:
    """The `Capture` of a `Shot`: the DOM's facts extracted, text read in images, logo candidates
    cropped. No browser: run it after the page's context is closed, so that
    Chromium does not keep the page (and what the context runs beside it) while Python works."""
    touchpoint, mode = shot.touchpoint, shot.touchpoint.image_text or "auto"
    facts = await asyncio.to_thread(extract_page, shot.dom["html"], shot.url)  # off the event loop, as cropping
    # The screenshot down to the last row a logo candidate or an image to read reaches.
    wanted = [*logos_to_crop(facts.images), *images_to_read(facts.images, mode)]
    rows = max((math.ceil(image.box[1] + image.box[3]) for image in wanted), default=1)
    full = await asyncio.to_thread(decode_rows, shot.png, rows)
    reading = asyncio.ensure_future(  # OCR in its threads while the logo crops are cut
        image_text_blocks(full, facts.images, facts.texts, facts.links, mode, fields=facts.fields)
    )
    stem = shot.screenshot.with_name(f"{touchpoint.id}-logo")
    images = await asyncio.to_thread(crop_logo_candidates, facts.images, full, artifacts, stem)
    image_texts = await reading
    return Capture(
        touchpoint=touchpoint.id,
        channel=touchpoint.channel,
        device=touchpoint.device_label,
        url=shot.url,
        viewport=shot.viewport,
        page_size=(int(shot.dom["width"]), int(shot.dom["height"])),
        screenshot=shot.screenshot.as_posix(),
        texts=facts.texts + image_texts,
        links=facts.links,
        images=images,
        meta=facts.meta,
        notes=(*shot.notes, *facts.notes),
        seconds=round(time.monotonic() - shot.started, 3),
    )


def screenshot_clip(width: float, height: float) -> tuple[dict[str, float] | None, str | None]:
    """The part of a `width` x `height` page to screenshot (None: all of it), and a note when it is cut.

    A screenshot over Pillow's decompression-bomb limit (about 140,000 px tall on a desktop) would not
    even open, and one far below it already costs hundreds of MB per touchpoint."""
    width, height = max(1, int(width)), max(1, int(height))
    kept_width = min(width, SCREENSHOT_WIDTH)
    kept_height = min(height, SCREENSHOT_PIXELS // kept_width)
    if (kept_width, kept_height) == (width, height):
        return None, None
    cut = [f"{kept_height:,} of its {height:,} px height"] if kept_height < height else []
    cut += [f"{kept_width:,} of its {width:,} px width"] if kept_width < width else []
    note = (
        f"screenshot cut to {' and '.join(cut)} (screenshots keep under {SCREENSHOT_PIXELS:,} pixels); "
        "the text, links and images of the whole page are still read"
    )
    return {"x": 0, "y": 0, "width": kept_width, "height": kept_height}, note


def is_logo_candidate(image: Image) -> bool:
    return image.logo_hint is not None


def logos_to_crop(images: Sequence[Image], candidate: Callable[[Image], bool] = is_logo_candidate) -> list[Image]:
    """The images `crop_logo_candidates` crops: each visible `candidate` with a box."""
    return [image for image in images if candidate(image) and image.visible and image.box]


def crop_logo_candidates(
    images: Sequence[Image],
    screenshot: PILImage.Image,
    artifacts: Path,
    stem: Path,
    candidate: Callable[[Image], bool] = is_logo_candidate,
) -> tuple[Image, ...]:
    """Each visible `candidate` image with a box (by default: one with a logo hint) gets `crop`:
    that box of the screenshot, as `<stem>-<n>.png`."""
    crops: dict[int, Image] = {}
    for number, image in enumerate(logos_to_crop(images, candidate), start=1):
        x, y, width, height = image.box  # type: ignore[misc]
        left, top = max(0, round(x)), max(0, round(y))
        right, bottom = min(screenshot.width, round(x + width)), min(screenshot.height, round(y + height))
        if right - left < 1 or bottom - top < 1:
            continue
        crop = stem.with_name(f"{stem.name}-{number}.png")
        screenshot.crop((left, top, right, bottom)).save(artifacts / crop, compress_level=1)
        crops[id(image)] = image.model_copy(update={"crop": crop.as_posix()})
    return tuple(crops.get(id(image), image) for image in images)
