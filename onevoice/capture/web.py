"""Capture a web touchpoint: a fresh browser context, the page, its steps, the snapshot.

`capture_web` never raises for what goes wrong with the page: an unreachable URL, an
HTTP error, a navigation timeout or a failed step give a `Capture` whose `error` says
what happened and what to check, with whatever facts were gathered. Network errors,
timeouts and 5xx answers are retried `CaptureSettings.retries` times.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Error as PlaywrightError

from onevoice import defaults
from onevoice.capture.follow import WEB_SCHEMES, is_web_url
from onevoice.capture.page import snapshot_page, touchpoint_page
from onevoice.facts import Capture
from onevoice.devices import context_args
from onevoice.model import PressArgs, Step, Touchpoint


APP_SESSION_START = 300.0  # seconds: installing and launching an app on an emulator or a device cloud takes minutes


@dataclass(frozen=True)
class CaptureSettings:
    timeout: float = defaults.TIMEOUT  # seconds, for navigation, for each step and for the snapshot
    retries: int = defaults.RETRIES  # extra attempts after a transient failure (network error, timeout, HTTP 5xx)

    def limit(self, touchpoint: Touchpoint) -> float:
        """The longest a touchpoint's whole capture may take: every attempt's navigation, steps and
        snapshot (counted twice: settling the page, then screenshot and facts), after an email's wait."""
        if touchpoint.app is not None:  # the first touchpoint of an Appium session also starts it
            return touchpoint.app.timeout_seconds * (len(touchpoint.steps) + 1) + APP_SESSION_START
        attempt = self.timeout * (len(touchpoint.steps) + 3)
        if touchpoint.email is not None:
            return touchpoint.email.timeout_seconds + attempt
        return attempt * (self.retries + 1)


@dataclass(frozen=True)
class _Failure:
    message: str
    transient: bool


class _StepFailed(Exception):
    pass


async def capture_web(
    browser,
    touchpoint: Touchpoint,
    url: str,
    *,
    devices: dict[str, dict],
    artifacts: Path,
    folder: str,
    settings: CaptureSettings = CaptureSettings(),
    web_only: bool = False,
) -> Capture:
    """Open `url` as `touchpoint` says (device, steps, mask) and snapshot it.

    `web_only`: the url came from captured content (`follow`), so the page must be, and stay,
    an http(s) page: one that ends up at another scheme is not snapshotted."""
    started = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        capture, failure = await _attempt(browser, touchpoint, url, devices, artifacts, folder, settings, web_only)
        if failure is None or not failure.transient or attempts > settings.retries:
            break
    if failure is not None:
        capture = capture.model_copy(update={"error": failure.message})
    return capture.model_copy(update={"attempts": attempts, "seconds": round(time.monotonic() - started, 3)})


async def _attempt(
    browser,
    touchpoint: Touchpoint,
    url: str,
    devices: dict[str, dict],
    artifacts: Path,
    folder: str,
    settings: CaptureSettings,
    web_only: bool,
) -> tuple[Capture, _Failure | None]:
    args = context_args(touchpoint, devices)
    bare = Capture(
        touchpoint=touchpoint.id,
        channel="web",
        device=touchpoint.device_label,
        url=url,
        viewport=(args["viewport"]["width"], args["viewport"]["height"]) if "viewport" in args else None,
    )
    async with touchpoint_page(browser, touchpoint, devices, settings.timeout) as page:
        failure: _Failure | None = None
        try:
            response = await page.goto(url, wait_until="load", timeout=settings.timeout * 1000)
        except PlaywrightError as error:
            if "ERR_UNSAFE_REDIRECT" in str(error):
                message = f"{url} redirected to a non-web address (file:, data:, ...), which the browser refuses to open"
                return bare, _Failure(message, False)
            message = f"could not open {url}: {_first_line(error)} (check the url and that the server is up)"
            return bare, _Failure(message, True)
        if response is not None and response.status >= 400:
            failure = _Failure(
                f"{url} answered HTTP {response.status} {response.status_text}".rstrip() + " (check the url)",
                response.status >= 500,
            )
        else:
            try:
                await _run_steps(page, touchpoint.steps)
            except _StepFailed as error:
                failure = _Failure(str(error), False)
        if web_only and not is_web_url(page.url):
            return bare, _Failure(
                f"{url} led to {page.url[:80]!r}; a followed link may open only {' and '.join(WEB_SCHEMES)} pages", False
            )
        try:
            capture = await snapshot_page(page, touchpoint, url=url, artifacts=artifacts, folder=folder)
        except PlaywrightError as error:
            return bare, failure or _Failure(f"could not snapshot {url}: {_first_line(error)}", True)
        return capture, failure


async def _run_steps(page, steps: tuple[Step, ...]) -> None:
    for number, step in enumerate(steps, start=1):
        try:
            await _run_step(page, step)
        except PlaywrightError as error:
            raise _StepFailed(
                f"step {number} ({_describe(step)}) failed: {_first_line(error)} (check the selector and the page)"
            ) from error
    if steps:
        await page.wait_for_load_state("load")


async def _run_step(page, step: Step) -> None:
    if step.fill is not None:
        await page.fill(step.fill.selector, step.fill.value)
    elif step.click is not None:
        await page.click(step.click)
    elif step.press is not None:
        press = step.press if isinstance(step.press, PressArgs) else PressArgs(key=step.press)
        if press.selector:
            await page.press(press.selector, press.key)
        else:
            await page.keyboard.press(press.key)
    elif step.select is not None:
        await page.select_option(step.select.selector, step.select.value)
    elif step.hover is not None:
        await page.hover(step.hover)
    elif step.scroll is not None:
        if step.scroll == "bottom":
            await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        else:
            await page.locator(step.scroll).first.scroll_into_view_if_needed()
    elif step.wait_for is not None:
        await page.wait_for_selector(step.wait_for)


def _describe(step: Step) -> str:
    value = getattr(step, step.action)
    if isinstance(value, str):
        return f"{step.action} '{value}'"
    target = getattr(value, "selector", None)
    return f"{step.action} '{target}'" if target else step.action


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
