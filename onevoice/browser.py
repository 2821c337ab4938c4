"""Finding, launching and keeping Chromium (docs/commands.md).

Order: `ONEVOICE_BROWSER_WS` (connect to remote browsers: one endpoint, or several separated by
commas, a pool), `ONEVOICE_BROWSER` (an executable), Playwright's own Chromium when installed,
then a system Chromium or Chrome. A run gets its browsers from a `BrowserPool`: each capture
runs on the least busy browser; a browser that dies during a capture is relaunched (a local one)
or taken out of the pool (a remote one), and the capture runs again on another.

`python -m onevoice.browser --ensure` is the set-up step of `make demo` and `make test`: it
reports the browser it found, and installs Debian's `chromium` when there is none and it may
(root with apt-get).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit

from onevoice.errors import BrowserLost, BrowserUnavailable, first_line

T = TypeVar("T")

SYSTEM_CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
# For a browser that is not Playwright's own build: no sandbox (containers run as root), no GPU.
SYSTEM_BROWSER_ARGS = ("--no-sandbox", "--disable-gpu")
# Playwright's own `--disable-features` list (as of Playwright 1.65): Chromium keeps only the last
# `--disable-features` switch, so onevoice's must repeat it. tests/test_browser.py fails when the
# installed Playwright passes a feature that is not here.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints",
    "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch", "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
# Chromium's top-chrome WebUI: headless Chromium opens each page in a window whose omnibox popup
# is a WebUI page with a renderer of its own, which loads its scripts beside every captured page
# and costs more CPU than the page (about 40% of a capture's CPU and wall time); none shows in
# a page or its screenshot. Each of the four alone leaves the renderer; the four together remove it.
TOP_CHROME_WEBUI_FEATURES = ("PreloadTopChromeWebUI", "WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup")
# For every browser onevoice launches: none of Chromium's own traffic to hosts the journeys do not
# name (updates, sync, metrics, safe browsing lists, domain reliability reports, pings), nor its
# own UI's work. Two services have no off switch: the on-device model manifest, fetched on demand
# even with component updates off, reads an empty manifest instead; the Google account check
# (ListAccounts) is pointed at port 9 of loopback, a port Chromium itself refuses to connect to.
QUIET_BROWSER_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--safebrowsing-disable-auto-update",
    "--no-pings",
    "--no-first-run",
    f"--optimization-guide-manifest-override={os.devnull}",
    "--gaia-url=http://127.0.0.1:9",
    f"--disable-features={','.join((*PLAYWRIGHT_DISABLED_FEATURES, *TOP_CHROME_WEBUI_FEATURES))}",
)

LAUNCH_TIMEOUT = 60.0  # seconds a local Chromium may take to start, at least (a loaded machine is slow)
RETRY_WINDOW = 5.0  # seconds during which a refused or reset connection is retried (a server still starting)
CAPTURE_RETRIES_ON_LOSS = 2  # times a capture is run again after its browser died during it


@dataclass(frozen=True)
class Endpoint:
    """A remote browser: a Playwright browser server (`ws://...`) or a Chrome's DevTools endpoint
    (`ws://.../devtools/browser/...`, or `http://host:port` of `--remote-debugging-port`)."""

    url: str

    @property
    def protocol(self) -> Literal["cdp", "playwright"]:
        parts = urlsplit(self.url)
        return "cdp" if parts.scheme in ("http", "https") or parts.path.startswith("/devtools/browser/") else "playwright"

    @property
    def shown(self) -> str:
        """The address for people: without a query (launch options can be long)."""
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

    @property
    def version_url(self) -> str | None:
        """Chrome's `/json/version` beside a DevTools endpoint: it answers once the browser is ready."""
        if self.protocol != "cdp":
            return None
        parts = urlsplit(self.url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
        return urlunsplit((scheme, parts.netloc, "/json/version", "", ""))


def parse_endpoints(value: str) -> tuple[Endpoint, ...]:
    """The endpoints of `ONEVOICE_BROWSER_WS`: separated by commas (a comma inside an address,
    e.g. in its launch options, is kept: a new endpoint starts with its scheme)."""
    parts = re.split(r",\s*(?=(?:wss?|https?)://)", value.strip())
    return tuple(Endpoint(part.strip().rstrip(",").strip()) for part in parts if part.strip(" ,"))


@dataclass(frozen=True)
class BrowserChoice:
    """How to get browsers: connect to `endpoints`, or launch `executable` (None: Playwright's own)."""

    source: str  # for people: "ONEVOICE_BROWSER_WS", "playwright", "/usr/bin/chromium" ...
    executable: str | None = None
    endpoints: tuple[Endpoint, ...] = ()

    @property
    def launch_args(self) -> list[str]:
        return [*(SYSTEM_BROWSER_ARGS if self.executable else ()), *QUIET_BROWSER_ARGS]

    @property
    def shown(self) -> str:
        if self.endpoints:
            return ", ".join(endpoint.shown for endpoint in self.endpoints)
        return self.executable or "Playwright's Chromium"


def playwright_chromium_path() -> str:
    """Where Playwright's own Chromium is (or would be) installed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


def system_chromium() -> str | None:
    for candidate in SYSTEM_CANDIDATES:
        found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
        if found:
            return found
    return None


def choose_browser(playwright_path: str, environ: dict[str, str] | None = None) -> BrowserChoice:
    """The browser to use; `playwright_path` is where Playwright's own Chromium would be."""
    environ = dict(os.environ if environ is None else environ)
    if environ.get("ONEVOICE_BROWSER_WS", "").strip(" ,"):
        return BrowserChoice("ONEVOICE_BROWSER_WS", endpoints=parse_endpoints(environ["ONEVOICE_BROWSER_WS"]))
    if environ.get("ONEVOICE_BROWSER"):
        executable = environ["ONEVOICE_BROWSER"]
        if not Path(executable).is_file():
            raise BrowserUnavailable(
                f"ONEVOICE_BROWSER={executable}: no such file (point it at a Chrome or Chromium executable, or unset it)"
            )
        return BrowserChoice("ONEVOICE_BROWSER", executable=executable)
    if playwright_path and Path(playwright_path).exists():
        return BrowserChoice("playwright")
    executable = system_chromium()
    if executable:
        return BrowserChoice(executable, executable=executable)
    raise BrowserUnavailable(
        "no Chromium found (install Playwright's: `.venv/bin/playwright install chromium`; "
        "or a system one, on Debian/Ubuntu `sudo apt-get install chromium`; "
        "or point ONEVOICE_BROWSER at a Chrome/Chromium executable)"
    )


async def launch_local(playwright, choice: BrowserChoice, timeout: float = LAUNCH_TIMEOUT):
    """Launch the chosen local Chromium; BrowserUnavailable says why it did not start."""
    from playwright.async_api import Error as PlaywrightError

    try:
        return await playwright.chromium.launch(
            executable_path=choice.executable, args=choice.launch_args, timeout=max(timeout, LAUNCH_TIMEOUT) * 1000
        )
    except PlaywrightError as error:
        raise BrowserUnavailable(f"Chromium ({choice.shown}) did not start: {first_line(error)}") from error


async def connect(playwright, endpoint: Endpoint, timeout: float):
    """Connect to a remote browser within `timeout` seconds; BrowserUnavailable says why not.

    A refused or reset connection is retried for a few seconds (a server still starting: the
    attempt left nothing behind); a Chrome's DevTools endpoint is first asked `/json/version`,
    which it answers once it is ready. A connection that opens and is never answered is not
    retried: it had the whole `timeout`."""
    from playwright.async_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout
    retry_until = time.monotonic() + min(timeout, RETRY_WINDOW)
    pause = 0.1
    while True:
        try:
            if endpoint.version_url:
                await asyncio.to_thread(_get_json, endpoint.version_url, max(deadline - time.monotonic(), 0.1))
            remaining = max(deadline - time.monotonic(), 0.1) * 1000
            if endpoint.protocol == "cdp":
                return await playwright.chromium.connect_over_cdp(endpoint.url, timeout=remaining)
            return await playwright.chromium.connect(endpoint.url, timeout=remaining)
        except (PlaywrightError, OSError, ValueError) as error:
            reason, retryable = _connect_failure(error, timeout)
            if retryable and time.monotonic() + pause < retry_until:
                await asyncio.sleep(pause)
                pause = min(pause * 2, 1.0)
                continue
            raise BrowserUnavailable(f"browser endpoint {endpoint.shown}: {reason}") from error


def _get_json(url: str, timeout: float) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (the user's own endpoint)
        return json.loads(answer.read())


def _connect_failure(error: BaseException, timeout: float) -> tuple[str, bool]:
    """Why a connection failed, for people, and whether trying again soon may succeed."""
    text = str(error)
    if isinstance(error, ConnectionRefusedError) or "ECONNREFUSED" in text or "Connection refused" in text:
        return "connection refused (check that the browser server runs at that address)", True
    if isinstance(error, TimeoutError) or "Timeout" in text or "timed out" in text:
        return f"no answer within {timeout:g} s (check that it is a browser endpoint; --timeout sets the wait)", False
    reset = isinstance(error, ConnectionResetError) or any(word in text for word in ("ECONNRESET", "socket hang up"))
    return first_line(error), reset


async def launch(playwright, choice: BrowserChoice | None = None, timeout: float = LAUNCH_TIMEOUT):
    """One Playwright `Browser` (async API): the local one, or the first endpoint's."""
    choice = choice or choose_browser(playwright.chromium.executable_path)
    if choice.endpoints:
        return await connect(playwright, choice.endpoints[0], timeout)
    return await launch_local(playwright, choice, timeout)


# --- the pool a run captures with ---------------------------------------------------------


@dataclass(eq=False)
class _Source:
    """One place browsers come from: the local launch (relaunched when it dies) or a remote endpoint."""

    name: str
    endpoint: Endpoint | None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    browser: object | None = None
    disconnected: asyncio.Future | None = None  # done once `browser` disconnects
    generation: int = 0  # counts the browsers this source has given; a lease names the one it got
    open_captures: int = 0
    served: int = 0
    gone: str | None = None  # why it left the pool


@dataclass(frozen=True)
class _Lease:
    source: _Source
    browser: object
    disconnected: asyncio.Future
    generation: int


class _BrowserGone(Exception):
    """The leased browser disconnected while something waited on it."""


def _warn(message: str) -> None:
    print(f"onevoice: warning: {message}", file=sys.stderr, flush=True)


class BrowserPool:
    """The browsers of a run, on the loop thread that runs the captures.

    `run(work)` gives `work` the live browser with the fewest open captures. When the browser
    dies during the work (it disconnected, or no longer opens a context), a local browser is
    relaunched and a remote endpoint is taken out of the pool, with a warning either way, and the
    work runs again on another browser (`CAPTURE_RETRIES_ON_LOSS` times at most). No browser at
    all raises BrowserUnavailable; none left after some worked raises BrowserLost."""

    def __init__(
        self,
        playwright,
        *,
        timeout: float,
        choice: BrowserChoice | None = None,
        warn: Callable[[str], None] = _warn,
    ) -> None:
        self.playwright = playwright
        self.timeout = timeout
        self.warn = warn
        self._choice = choice
        self._sources: list[_Source] | None = None
        self._worked = False

    def usage(self) -> dict[str, int]:
        """Captures each browser source has served so far."""
        return {source.name: source.served for source in self._sources or ()}

    async def run(self, work: Callable[[object], Awaitable[T]], failed: Callable[[T], bool] = lambda _: False) -> T:
        """`work(browser)`, again on another browser if its browser died; `failed(result)` says
        whether a result may be the browser's fault (then the browser is checked)."""
        for _ in range(CAPTURE_RETRIES_ON_LOSS + 1):
            lease = await self._acquire()
            try:
                result = await _unless_gone(lease, work(lease.browser))
            except _BrowserGone:
                self._lost(lease, "it disconnected")
                continue
            except Exception as error:
                if await self._alive(lease):
                    raise
                self._lost(lease, first_line(error))
                continue
            finally:
                lease.source.open_captures -= 1
            if not failed(result) or await self._alive(lease):
                lease.source.served += 1
                return result
            self._lost(lease, "it stopped answering")
        raise BrowserLost(f"the browser died {CAPTURE_RETRIES_ON_LOSS + 1} times during this capture")

    async def close(self) -> None:
        for source in self._sources or ():
            if source.browser is not None:
                await _close_quietly(source.browser, self.timeout)
                source.browser = None

    def _ensure_sources(self) -> list[_Source]:
        if self._sources is None:
            choice = self._choice or choose_browser(self.playwright.chromium.executable_path)
            self._choice = choice
            if choice.endpoints:
                self._sources = [_Source(endpoint.shown, endpoint) for endpoint in choice.endpoints]
            else:
                self._sources = [_Source(choice.shown, None)]
        return self._sources

    async def _acquire(self) -> _Lease:
        sources = self._ensure_sources()
        while True:
            live = [source for source in sources if source.gone is None]
            if not live:
                reasons = "; ".join(source.gone or "" for source in sources)
                if self._worked:
                    raise BrowserLost(f"no browser left: {reasons}")
                raise BrowserUnavailable(reasons)
            source = min(live, key=lambda s: s.open_captures)  # the first of the least busy
            source.open_captures += 1
            try:
                browser = await self._browser_of(source)
            except BrowserUnavailable as error:
                source.open_captures -= 1
                if source.gone is None:
                    source.gone = str(error)
                    if len(sources) > 1 or self._worked:
                        self.warn(f"{error}" + ("; taken out of the pool" if source.endpoint else ""))
                continue
            if browser is None:  # the source left the pool while this capture waited for it
                source.open_captures -= 1
                continue
            self._worked = True
            return _Lease(source, browser, source.disconnected, source.generation)

    async def _browser_of(self, source: _Source):
        async with source.lock:
            if source.gone is not None:
                return None
            if source.browser is None:
                if source.endpoint is not None:
                    browser = await connect(self.playwright, source.endpoint, self.timeout)
                else:
                    browser = await launch_local(self.playwright, self._choice, self.timeout)
                disconnected = asyncio.get_running_loop().create_future()
                browser.on("disconnected", lambda _: disconnected.done() or disconnected.set_result(None))
                source.browser, source.disconnected = browser, disconnected
                source.generation += 1
            return source.browser

    async def _alive(self, lease: _Lease) -> bool:
        """Whether the leased browser still works: connected, and opens a context in time."""
        if lease.disconnected.done() or lease.source.generation != lease.generation:
            return False
        try:
            context = await _unless_gone(lease, lease.browser.new_context(), self.timeout)
            await _unless_gone(lease, context.close(), self.timeout)
        except Exception:  # noqa: BLE001 - gone, timed out or refused: the browser does not work
            return False
        return True

    def _lost(self, lease: _Lease, reason: str) -> None:
        source = lease.source
        if source.generation != lease.generation or source.browser is not lease.browser:
            return  # another capture on the same browser reported it first
        source.browser = None
        asyncio.ensure_future(_close_quietly(lease.browser, self.timeout))
        if source.endpoint is None:
            self.warn(f"Chromium ({source.name}) died during a capture ({reason}); relaunching it")
            return
        source.gone = f"browser endpoint {source.name} was lost during the run ({reason})"
        others = sum(1 for s in self._sources or () if s.gone is None)
        self.warn(
            f"browser endpoint {source.name} was lost during a capture ({reason}); taken out of the pool, "
            + (f"its captures go to the {others} other endpoint(s)" if others else "no endpoint is left")
        )


async def _unless_gone(lease: _Lease, awaitable: Awaitable[T], timeout: float | None = None) -> T:
    """The result of `awaitable`; _BrowserGone if the leased browser disconnects first (a call in
    flight on a browser that dies may never be answered), TimeoutError after `timeout` seconds."""
    task = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({task, lease.disconnected}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not task.done():
            task.cancel()
    if task in done:
        return task.result()
    raise _BrowserGone() if lease.disconnected.done() else TimeoutError()


async def _close_quietly(browser, timeout: float) -> None:
    try:
        await asyncio.wait_for(browser.close(), timeout)
    except Exception:  # noqa: BLE001 - a dead or hanging browser cannot be closed better than this
        pass


# --- set-up ---------------------------------------------------------------------------------


def _install_system_chromium() -> bool:
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")):
        return False
    print("onevoice: no Chromium found; installing Debian's chromium with apt-get", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
    return subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, **quiet).returncode == 0


def ensure_browser() -> BrowserChoice:
    playwright_path = playwright_chromium_path()
    try:
        return choose_browser(playwright_path)
    except BrowserUnavailable:
        if _install_system_chromium():
            return choose_browser(playwright_path)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onevoice.browser", description=__doc__)
    parser.add_argument("--ensure", action="store_true", help="install Debian's chromium if no browser is found")
    args = parser.parse_args(argv)
    try:
        choice = ensure_browser() if args.ensure else choose_browser(playwright_chromium_path())
    except BrowserUnavailable as exc:
        print(f"onevoice: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"onevoice: browser: {choice.shown} ({choice.source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
