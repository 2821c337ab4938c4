"""Finding and launching Chromium (SPEC.md section 4, "The browser").

Order: `ONEVOICE_BROWSER_WS` (connect to a remote browser server), `ONEVOICE_BROWSER`
(an executable), Playwright's own Chromium when installed, then a system Chromium or
Chrome. `python -m onevoice.browser --ensure` is the set-up step of `make demo` and
`make test`: it reports the browser it found, and installs Debian's `chromium` when
there is none and it may (root with apt-get).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from onevoice.errors import BrowserUnavailable

SYSTEM_CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
# Flags for a browser that is not Playwright's own build: no sandbox (containers run as
# root), and none of the background traffic a closed network refuses.
SYSTEM_BROWSER_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@dataclass(frozen=True)
class BrowserChoice:
    """How to get a browser: connect to `ws_endpoint`, or launch `executable` (None: Playwright's own)."""

    source: str  # for people: "ONEVOICE_BROWSER_WS", "playwright", "/usr/bin/chromium" ...
    executable: str | None = None
    ws_endpoint: str | None = None

    @property
    def launch_args(self) -> list[str]:
        return list(SYSTEM_BROWSER_ARGS) if self.executable else []


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
    if environ.get("ONEVOICE_BROWSER_WS"):
        return BrowserChoice("ONEVOICE_BROWSER_WS", ws_endpoint=environ["ONEVOICE_BROWSER_WS"])
    if environ.get("ONEVOICE_BROWSER"):
        executable = environ["ONEVOICE_BROWSER"]
        if not Path(executable).is_file():
            raise BrowserUnavailable(f"ONEVOICE_BROWSER={executable}: no such file")
        return BrowserChoice("ONEVOICE_BROWSER", executable=executable)
    if playwright_path and Path(playwright_path).exists():
        return BrowserChoice("playwright")
    executable = system_chromium()
    if executable:
        return BrowserChoice(executable, executable=executable)
    raise BrowserUnavailable(
        "no Chromium found. Install Playwright's: `.venv/bin/playwright install chromium`; "
        "or a system one (Debian/Ubuntu: `sudo apt-get install chromium`); "
        "or point ONEVOICE_BROWSER at a Chrome/Chromium executable."
    )


async def launch(playwright, choice: BrowserChoice | None = None):
    """A Playwright `Browser` (async API) for this run; BrowserUnavailable when it cannot start or answer."""
    from playwright.async_api import Error as PlaywrightError

    choice = choice or choose_browser(playwright.chromium.executable_path)
    try:
        if choice.ws_endpoint:
            if "/devtools/browser/" in choice.ws_endpoint:  # a Chrome started with --remote-debugging-port
                return await playwright.chromium.connect_over_cdp(choice.ws_endpoint)
            return await playwright.chromium.connect(choice.ws_endpoint)  # a Playwright browser server
        return await playwright.chromium.launch(executable_path=choice.executable, args=choice.launch_args)
    except PlaywrightError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = choice.ws_endpoint or choice.executable or "Playwright's Chromium"
        raise BrowserUnavailable(f"the browser ({choice.source}: {where}) did not start: {reason}") from exc


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
        return 1
    print(f"onevoice: browser: {choice.ws_endpoint or choice.executable or 'Playwright Chromium'} ({choice.source})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
