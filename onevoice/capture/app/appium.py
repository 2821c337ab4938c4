"""App screens through Appium: one session per journey and (server, capabilities), steps, screenshot, page source.

The Appium Python client is synchronous; the engine calls it from a worker thread. The
client's implicit wait is set to 0: onevoice waits for a step's target itself, with the
touchpoint's `app.timeout`, because drivers differ in their implicit waits. What goes wrong
is an `AppiumError` with one line a person can act on, and stays on the touchpoint.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from onevoice.capture.app.capture import ScreenError, app_capture
from onevoice.capture.app.hierarchy import HierarchyError, parse_hierarchy
from onevoice.facts import Capture
from onevoice.errors import CaptureError
from onevoice.model import AppSource, Step, Touchpoint

POLL = 0.25  # seconds between looks for a step's target
SHOWN_LIMIT = 12  # texts listed when a target never appears
SWIPE_FROM, SWIPE_TO = 0.7, 0.3  # a swipe runs between these shares of the screen
START_APPIUM = "start Appium with `appium` (npm install -g appium; appium driver install uiautomator2 or xcuitest)"


class AppiumError(CaptureError):
    """Appium unreachable, a session refused, a step that cannot be done, a screen that cannot be read."""


def session_key(source: AppSource) -> tuple[str, str]:
    """Touchpoints with equal keys share one session."""
    return source.server, json.dumps(source.capabilities, sort_keys=True, default=str)


def locator(target: str) -> tuple[str, str]:
    """The Appium strategy and value of a step's target: `~label`, `id=...`, `text=...`, `//xpath`."""
    if target.startswith("~"):
        return "accessibility id", target[1:]
    if target.startswith("id="):
        return "id", target[3:]
    if target.startswith("text="):
        value = _xpath_literal(target[5:])
        return "xpath", f"//*[@text={value} or @label={value} or @value={value}]"
    return "xpath", target  # the loader lets only //xpath and (//xpath)[n] through otherwise


def _xpath_literal(value: str) -> str:
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return "concat(" + ", '\"', ".join(f'"{part}"' for part in value.split('"')) + ")"


def screen_texts(source: str) -> list[str]:
    """What a page source shows, for an error that says what the screen holds instead."""
    try:
        hierarchy = parse_hierarchy(source)
    except HierarchyError as exc:
        return [f"(page source unreadable: {exc})"]
    shown = []
    for node in hierarchy.root.walk():
        if node.shown and node.box is not None:
            shown.extend(text for text in (node.text, *node.labels) if text and text not in shown)
    return shown


@dataclass
class AppiumSession:
    """One Appium session, started on first use and closed by `close`."""

    source: AppSource
    driver: object | None = None
    failure: AppiumError | None = None  # why it could not start; every touchpoint of the session says so
    opened: float = 0.0  # seconds it took to start

    def start(self):
        if self.failure is not None:
            raise self.failure
        if self.driver is None:
            started = time.monotonic()
            try:
                self.driver = _connect(self.source)
            except AppiumError as exc:
                self.failure = exc
                raise
            self.opened = time.monotonic() - started
        return self.driver

    def close(self) -> None:
        if self.driver is not None:
            driver, self.driver = self.driver, None
            try:
                driver.quit()
            except Exception:  # noqa: BLE001 - a session that is already gone is closed
                pass


def _connect(source: AppSource):
    try:
        from appium import webdriver
        from appium.options.common import AppiumOptions
        from appium.webdriver.client_config import AppiumClientConfig
        from selenium.common.exceptions import WebDriverException
    except ImportError:
        raise AppiumError("the Appium client is not installed: pip install 'onevoice[app]'") from None
    import urllib3.exceptions

    options = AppiumOptions()
    options.load_capabilities(source.capabilities)
    # A device cloud's user name and key go as HTTP basic authentication, not in the URL the client logs.
    parts = urlsplit(source.server)
    config = AppiumClientConfig(
        remote_server_addr=shown_server(source.server),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )
    try:
        driver = webdriver.Remote(shown_server(source.server), options=options, client_config=config)
    except (urllib3.exceptions.HTTPError, OSError):
        raise AppiumError(f"Appium is not reachable at {shown_server(source.server)}; {START_APPIUM}") from None
    except WebDriverException as exc:
        reason = _first_line(exc.msg or str(exc))
        raise AppiumError(f"Appium at {shown_server(source.server)} refused the session: {reason}") from None
    driver.implicitly_wait(0)
    return driver


def shown_server(server: str) -> str:
    """The server's URL without the user name and key a device cloud's URL may carry."""
    parts = urlsplit(server)
    if parts.username is None and parts.password is None:
        return server
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))  # host and port as written ([::1])


def _first_line(text: str) -> str:
    """The reason a server gave, without the client's pointer to its documentation."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "no reason given")
    return line.split("; For documentation on this error", 1)[0]


@dataclass
class AppSessions:
    """The Appium sessions of one journey, by server and capabilities; `close` ends them all."""

    sessions: dict[tuple[str, str], AppiumSession] = field(default_factory=dict)

    def of(self, source: AppSource) -> AppiumSession:
        key = session_key(source)
        if key not in self.sessions:
            self.sessions[key] = AppiumSession(source)
        return self.sessions[key]

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()


def capture_appium(touchpoint: Touchpoint, session: AppiumSession, *, artifacts: Path, folder: str) -> Capture:
    """Run the touchpoint's steps in the session, then capture the screen; errors stay on the capture."""
    started = time.monotonic()
    try:
        driver = session.start()
        for number, step in enumerate(touchpoint.steps, start=1):
            _run_step(driver, step, number, touchpoint.app.timeout_seconds)
        screenshot, source = _read_screen(driver)
        capture = app_capture(touchpoint, screenshot, source, artifacts=artifacts, folder=folder)
    except AppiumError as exc:
        capture = Capture(touchpoint=touchpoint.id, channel="app", device=touchpoint.device_label,
                          fonts_measured=False, error=str(exc))
    except ScreenError as exc:
        capture = Capture(touchpoint=touchpoint.id, channel="app", device=touchpoint.device_label,
                          fonts_measured=False, error=f"the app's {exc.part}: {exc}")
    return capture.model_copy(update={"seconds": round(time.monotonic() - started, 3)})


def _read_screen(driver) -> tuple[bytes, str]:
    from selenium.common.exceptions import WebDriverException

    try:
        return driver.get_screenshot_as_png(), driver.page_source
    except WebDriverException as exc:
        raise AppiumError(f"Appium could not read the screen: {_first_line(exc.msg or str(exc))}") from None


def _run_step(driver, step: Step, number: int, timeout: float) -> None:
    from selenium.common.exceptions import WebDriverException

    action = step.action
    try:
        if action == "tap":
            _wait_for(driver, step.tap, number, action, timeout).click()
        elif action == "type":
            _wait_for(driver, step.type.target, number, action, timeout).send_keys(step.type.value)
        elif action == "wait_for":
            _wait_for(driver, step.wait_for, number, action, timeout)
        elif action == "swipe":
            _swipe(driver, step.swipe)
        elif action == "back":
            driver.back()
    except WebDriverException as exc:
        raise AppiumError(f"step {number} ({action}) failed: {_first_line(exc.msg or str(exc))}") from None


def _wait_for(driver, target: str, number: int, action: str, timeout: float):
    """The element `target` names, once it is there; AppiumError naming what the screen holds instead."""
    strategy, value = locator(target)
    deadline = time.monotonic() + timeout
    while True:
        found = driver.find_elements(strategy, value)
        if found:
            return found[0]
        if time.monotonic() >= deadline:
            break
        time.sleep(POLL)
    shown = screen_texts(driver.page_source)
    listed = ", ".join(repr(text[:40]) for text in shown[:SHOWN_LIMIT]) or "no text"
    more = f" and {len(shown) - SHOWN_LIMIT} more" if len(shown) > SHOWN_LIMIT else ""
    raise AppiumError(
        f"step {number} ({action} '{target}'): nothing matched within {timeout:g}s; the screen shows {listed}{more}"
    )


def _swipe(driver, direction: str) -> None:
    """A finger swipe across the middle of the screen, as W3C actions (every driver takes them)."""
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput

    rect = driver.get_window_rect()
    width, height = rect["width"], rect["height"]
    start, end = {
        "up": ((0.5, SWIPE_FROM), (0.5, SWIPE_TO)),
        "down": ((0.5, SWIPE_TO), (0.5, SWIPE_FROM)),
        "left": ((SWIPE_FROM, 0.5), (SWIPE_TO, 0.5)),
        "right": ((SWIPE_TO, 0.5), (SWIPE_FROM, 0.5)),
    }[direction]
    actions = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    actions.pointer_action.move_to_location(int(start[0] * width), int(start[1] * height)).pointer_down()
    actions.pointer_action.pause(0.1).move_to_location(int(end[0] * width), int(end[1] * height)).release()
    actions.perform()
