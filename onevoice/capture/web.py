"""Capture a web touchpoint: a fresh browser context, the page, its steps, the snapshot.

`capture_web` never raises for what goes wrong with the page: an unreachable URL, an
HTTP error, a navigation timeout or a failed step give a `Capture` whose `error` says
what happened and a hint that matches the cause, with whatever facts were gathered.
Network errors, timeouts, HTTP 5xx and 429 are retried `CaptureSettings.retries` times;
a redirect loop, 401 or 403 would answer the same again and is not. A page that answered
is captured even when it never finishes loading or navigates away by itself; its `notes` say so.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from onevoice import defaults
from onevoice.capture.follow import WEB_SCHEMES, is_web_url
from onevoice.capture.page import NetworkWatch, PageReplaced, Shot, shoot_page, shot_capture, touchpoint_page
from onevoice.facts import Capture
from onevoice.devices import context_args
from onevoice.errors import first_line
from onevoice.model import PressArgs, Step, Touchpoint

NAVIGATIONS_FOLLOWED = 2  # script navigations after load followed while snapshotting
NETWORK_ERRORS: dict[str, tuple[str, bool]] = {  # Chromium's net error -> (hint, transient)
    "ERR_TOO_MANY_REDIRECTS": ("the server redirects in a loop: check its redirects, and any cookie or login they expect", False),
    "ERR_CONNECTION_REFUSED": ("nothing answers at that host and port: check the url and that the server is up", True),
    "ERR_NAME_NOT_RESOLVED": ("the host name does not resolve: check it, and this machine's DNS", True),
    "ERR_EMPTY_RESPONSE": ("the server closed the connection without answering: check its log", True),
    "ERR_CONNECTION_RESET": ("the connection was cut: check the server and any proxy between", True),
    "ERR_INVALID_AUTH_CREDENTIALS": ("the page asks for a login (HTTP authentication) and none was accepted", False),
    "ERR_INVALID_URL": ("check the url", False),
    "ERR_UNSAFE_PORT": ("the browser refuses that port: serve the page on another one", False),
    "ERR_ABORTED": ("the browser stopped loading it (a download rather than a page?): check the url", False),
    "ERR_SSL_PROTOCOL_ERROR": ("TLS failed: check the url's scheme (http or https) and port", False),
    "ERR_BLOCKED_BY_RESPONSE": ("the server forbids opening the page this way: check the url", False),
}
HTTP_HINTS = {
    401: "the page asks for a login, and none was accepted",
    403: "the server refuses access: check the url, and that it lets this machine in",
    429: "the server asks to slow down: capture fewer touchpoints at once (--concurrency)",
}


APP_SESSION_START = 300.0  # seconds: installing and launching an app on an emulator or a device cloud takes minutes


@dataclass(frozen=True)
class CaptureSettings:
    timeout: float = defaults.TIMEOUT  # seconds, for navigation and for each step
    retries: int = defaults.RETRIES  # extra attempts after a transient failure (network error, timeout, HTTP 5xx)
    snapshot: float = defaults.SNAPSHOT_TIME  # seconds a snapshot may take

    def limit(self, touchpoint: Touchpoint) -> float:
        """The longest a touchpoint's whole capture may take: every attempt's navigation, steps and
        snapshot, after an email's wait; past it the capture is given up (a hung browser or page)."""
        if touchpoint.app is not None:  # the first touchpoint of an Appium session also starts it
            return touchpoint.app.timeout_seconds * (len(touchpoint.steps) + 1) + APP_SESSION_START
        attempt = self.timeout * (len(touchpoint.steps) + 1) + self.snapshot
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
    async with touchpoint_page(browser, args, settings.timeout, **credentials_option(touchpoint, url)) as page:
        failure: _Failure | None = None
        watch = NetworkWatch(page)
        try:
            response, notes = await _open(page, watch, url, settings.timeout)
        except PlaywrightError as error:
            return bare, navigation_failure(url, error, settings.timeout)
        if response is not None and response.status >= 400:
            failure = http_failure(url, response.status, response.status_text)
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
            shot = await _shoot_where_it_lands(page, watch, touchpoint, url, artifacts, folder, settings.timeout)
        except (PlaywrightError, PageReplaced) as error:
            return bare, failure or _Failure(f"could not snapshot {url}: {first_line(error)}", True)
    shot = replace(shot, notes=(*notes, *shot.notes))
    return await shot_capture(shot, artifacts), failure  # the page is closed: Chromium's part is done


async def _open(page, watch: NetworkWatch, url: str, timeout: float) -> tuple[object, list[str]]:
    """Navigate to `url`: its response, and a note when the page answered but had not finished loading
    within `timeout` (it is captured as it stands). Raises PlaywrightError when it did not answer."""
    started = time.monotonic()
    response = await page.goto(url, wait_until="commit", timeout=timeout * 1000)
    try:
        await page.wait_for_load_state("load", timeout=max(0.1, timeout - (time.monotonic() - started)) * 1000)
    except PlaywrightTimeoutError:
        pending = watch.pending()
        still = f" (still loading: {pending})" if pending else ""
        return response, [f"the page had not finished loading after {timeout:g} s{still}; captured as it stood"]
    return response, []


async def _shoot_where_it_lands(
    page, watch: NetworkWatch, touchpoint: Touchpoint, url: str, artifacts: Path, folder: str, timeout: float
) -> Shot:
    """Shoot the page; one that navigates on its own meanwhile (a script redirect after load) is
    shot where it lands, and the shot says so."""
    opened, hops = page.url, 0
    while True:
        try:
            shot = await shoot_page(page, touchpoint, url=url, artifacts=artifacts, folder=folder, watch=watch)
            break
        except PageReplaced:
            if hops == NAVIGATIONS_FOLLOWED:
                raise
            hops += 1
            await page.wait_for_load_state("load", timeout=timeout * 1000)
    if hops or urldefrag(page.url).url != urldefrag(opened).url:  # a hop may also land between two steps
        note = f"the page navigated by itself from {opened} while it was captured; captured {page.url} where it landed"
        shot = replace(shot, notes=(note, *shot.notes))
    return shot


def navigation_failure(url: str, error: PlaywrightError, timeout: float) -> _Failure:
    """What went wrong opening `url`, with a hint that matches the cause; transient ones are retried."""
    text = first_line(error)
    if isinstance(error, PlaywrightTimeoutError):
        hint = f"no answer within {timeout:g} s: check that the server is up, or give it longer with --timeout"
        return _Failure(f"could not open {url}: {text} ({hint})", True)
    if "ERR_UNSAFE_REDIRECT" in text:
        return _Failure(f"{url} redirected to a non-web address (file:, data:, ...), which the browser refuses to open", False)
    code = re.search(r"net::(ERR_[A-Z0-9_]+)", text)
    name = code.group(1) if code else ""
    hint, transient = NETWORK_ERRORS.get(name, ("check the url and that the server is up", True))
    if name.startswith("ERR_CERT_"):
        hint, transient = "the server's TLS certificate is not trusted: fix it, or open the page over http", False
    return _Failure(f"could not open {url}: {text} ({hint})", transient)


def http_failure(url: str, status: int, reason: str) -> _Failure:
    """An HTTP error answer, with a hint; only server errors and 429 are retried (401, 403, 404 answer the same again)."""
    hint = HTTP_HINTS.get(status) or ("a server error: check the server's log" if status >= 500 else "check the url")
    return _Failure(f"{url} answered HTTP {status} {reason}".rstrip() + f" ({hint})", status >= 500 or status == 429)


def credentials_option(touchpoint: Touchpoint, url: str) -> dict:
    """`new_context` options for the touchpoint's `http_credentials`: sent to their origin only
    (by default the origin of `url`), never to another server that asks."""
    credentials = touchpoint.http_credentials
    if credentials is None:
        return {}
    parts = urlsplit(credentials.origin or url)
    origin = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
    return {"http_credentials": {"username": credentials.username, "password": credentials.password, "origin": origin}}


async def _run_steps(page, steps: tuple[Step, ...]) -> None:
    for number, step in enumerate(steps, start=1):
        try:
            await _run_step(page, step)
        except PlaywrightError as error:
            raise _StepFailed(
                f"step {number} ({_describe(step)}) failed: {first_line(error)} (check the selector and the page)"
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
