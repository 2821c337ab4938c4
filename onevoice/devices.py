"""Playwright device descriptors: names for validation, and browser-context arguments.

The registry comes from Playwright's driver, whose start costs about a second; it is kept
per Playwright version in the user's cache folder (`$XDG_CACHE_HOME/onevoice`, else
`~/.cache/onevoice`), so loading journeys does not start a driver every time.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from onevoice.files import write_atomic
from onevoice.model import Touchpoint, Viewport

DEFAULT_WEB_DEVICE = "Desktop Chrome"
EMAIL_CLIENT_VIEWPORT = {"width": 600, "height": 800}


@lru_cache(maxsize=1)
def playwright_devices() -> dict[str, dict]:
    """Playwright's device registry: from the cache file, else from the driver (not a browser)."""
    cache = device_cache_file()
    try:
        devices = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(devices, dict) and all(isinstance(d, dict) for d in devices.values()) and devices:
            return devices
    except (OSError, ValueError):
        pass
    devices = _driver_devices()
    try:
        write_atomic(cache, json.dumps(devices))
    except OSError:  # a folder that cannot be written only means the driver is asked next time too
        pass
    return devices


def device_cache_file(environ: dict[str, str] | None = None) -> Path:
    """Where the registry of the installed Playwright version is kept."""
    environ = os.environ if environ is None else environ
    folder = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "onevoice"
    return folder / f"playwright-{version('playwright')}-devices.json"


def _driver_devices() -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return {name: dict(descriptor) for name, descriptor in playwright.devices.items()}


def context_args(touchpoint: Touchpoint, devices: dict[str, dict]) -> dict:
    """`browser.new_context(**context_args(...))` for the touchpoint's device."""
    device = touchpoint.device
    if isinstance(device, Viewport):
        return {"viewport": {"width": device.width, "height": device.height}}
    if device is None:
        if touchpoint.channel == "email":
            return {"viewport": dict(EMAIL_CLIENT_VIEWPORT)}
        device = DEFAULT_WEB_DEVICE
    args = dict(devices[device])
    args.pop("default_browser_type", None)
    return args
