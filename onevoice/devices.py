"""Playwright device descriptors: names for validation, and browser-context arguments."""

from __future__ import annotations

from functools import lru_cache

from onevoice.model import Touchpoint, Viewport

DEFAULT_WEB_DEVICE = "Desktop Chrome"
EMAIL_CLIENT_VIEWPORT = {"width": 600, "height": 800}


@lru_cache(maxsize=1)
def playwright_devices() -> dict[str, dict]:
    """Playwright's device registry (starts the driver, not a browser)."""
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
