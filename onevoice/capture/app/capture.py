"""One app screen, from its screenshot and hierarchy bytes, as a `Capture`; and saved screens (`source: files`).

The screenshot is kept as it came (PNG or JPEG) beside the report; images that may be logos
are cropped from it. Without a hierarchy the screen's texts are read from its pixels (OCR,
docs/journeys.md), unless the touchpoint's `image_text` is off.
"""

from __future__ import annotations

import io
import time
from functools import partial
from pathlib import Path
from typing import Literal

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from onevoice.capture.app.hierarchy import HierarchyError, parse_hierarchy
from onevoice.capture.app.screen import ScreenFacts, may_be_logo, screen_facts
from onevoice.capture.image_text import screen_image_blocks, screen_text_blocks
from onevoice.capture.page import crop_logo_candidates
from onevoice.facts import Capture
from onevoice.model import Touchpoint

SCREENSHOT_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}


class ScreenError(ValueError):
    """A screenshot or hierarchy that cannot be used: `part` says which, the message why."""

    def __init__(self, part: Literal["screenshot", "hierarchy"], message: str) -> None:
        super().__init__(message)
        self.part = part


def decode_screenshot(data: bytes) -> PILImage.Image:
    try:
        image = PILImage.open(io.BytesIO(data))
        image.load()
    except UnidentifiedImageError:
        raise ScreenError("screenshot", "not an image; save screenshots as PNG or JPEG") from None
    except PILImage.DecompressionBombError:
        raise ScreenError("screenshot", "too many pixels for a screen (a decompression bomb?)") from None
    except OSError as exc:
        raise ScreenError("screenshot", f"not a readable image ({exc}); save screenshots as PNG or JPEG") from None
    if image.format not in SCREENSHOT_FORMATS:
        raise ScreenError("screenshot", f"a {image.format} image; save screenshots as PNG or JPEG")
    return image


def screenshot_problem(path: Path) -> str | None:
    """Why the screenshot file cannot be used, or None."""
    try:
        decode_screenshot(path.read_bytes())
    except (OSError, ScreenError) as exc:
        return str(exc)
    return None


def hierarchy_problem(path: Path) -> str | None:
    """Why the hierarchy file cannot be used, or None."""
    try:
        parse_hierarchy(path.read_bytes())
    except (OSError, HierarchyError) as exc:
        return str(exc)
    return None


def app_capture(
    touchpoint: Touchpoint, screenshot: bytes, hierarchy: bytes | str | None, *, artifacts: Path, folder: str
) -> Capture:
    """The `Capture` of a screen; raises ScreenError for a screenshot or hierarchy it cannot read."""
    started = time.monotonic()
    image = decode_screenshot(screenshot)
    try:
        if hierarchy is not None:
            facts = screen_facts(parse_hierarchy(hierarchy), image)
            mode = touchpoint.image_text or "auto"
            read = screen_image_blocks(image, facts.images, facts.texts, facts.links, mode)
            facts = ScreenFacts(facts.texts + read, facts.links, facts.images)
        else:  # all pixels: its text is what OCR reads on it (docs/journeys.md)
            facts = ScreenFacts(screen_text_blocks(image, touchpoint.image_text or "auto"), (), ())
    except HierarchyError as exc:
        raise ScreenError("hierarchy", str(exc)) from None
    screens = Path("screens") / folder
    (artifacts / screens).mkdir(parents=True, exist_ok=True)
    saved = screens / f"{touchpoint.id}{SCREENSHOT_FORMATS[image.format]}"
    (artifacts / saved).write_bytes(screenshot)
    images = crop_logo_candidates(
        facts.images, image, artifacts, saved.with_name(f"{touchpoint.id}-logo"),
        partial(may_be_logo, screen_height=image.height),
    )
    return Capture(
        touchpoint=touchpoint.id,
        channel="app",
        device=touchpoint.device_label,
        viewport=image.size,
        page_size=image.size,
        screenshot=saved.as_posix(),
        texts=facts.texts,
        links=facts.links,
        images=images,
        fonts_measured=False,
        seconds=round(time.monotonic() - started, 3),
    )


def capture_saved_screen(touchpoint: Touchpoint, *, artifacts: Path, folder: str) -> Capture:
    """A saved screen (`source: files`); what cannot be read is the capture's error."""
    source = touchpoint.app
    try:
        screenshot = Path(source.screenshot).read_bytes()
        hierarchy = Path(source.hierarchy).read_bytes() if source.hierarchy else None
        return app_capture(touchpoint, screenshot, hierarchy, artifacts=artifacts, folder=folder)
    except OSError as exc:
        error = f"cannot read {exc.filename}: {exc.strerror}"
    except ScreenError as exc:
        error = f"{getattr(source, exc.part)}: {exc}"
    return Capture(touchpoint=touchpoint.id, channel="app", device=touchpoint.device_label, fonts_measured=False,
                   error=error)
