"""Real remote browsers on loopback for tests: a Chrome started with --remote-debugging-port and
Playwright's run-server, each awaited until it really answers (never a fixed sleep), and killable
mid-run. Deadlines are generous: the machine may be loaded."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from onevoice.browser import QUIET_BROWSER_ARGS, SYSTEM_BROWSER_ARGS, choose_browser

STARTUP_DEADLINE = 120.0  # seconds a browser server may take to answer on a loaded machine


@dataclass
class BrowserServer:
    """A running remote browser: `endpoint` is what ONEVOICE_BROWSER_WS takes."""

    process: subprocess.Popen
    endpoint: str
    log: Path

    def kill(self) -> None:
        """SIGKILL the server and everything it started (its own process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)


def server_executable(playwright) -> str:
    """The Chromium the tests start servers with: the one onevoice would launch."""
    choice = choose_browser(playwright.chromium.executable_path, {**os.environ, "ONEVOICE_BROWSER_WS": ""})
    return choice.executable or playwright.chromium.executable_path


def _wait_for(what: str, found, server: subprocess.Popen, log: Path):
    deadline = time.monotonic() + STARTUP_DEADLINE
    pause = 0.05
    while time.monotonic() < deadline:
        result = found()
        if result:
            return result
        if server.poll() is not None:
            break
        time.sleep(pause)
        pause = min(pause * 2, 1.0)
    raise AssertionError(f"{what}: not ready (exit {server.poll()}); log: {log.read_text(errors='replace')[-800:]}")


def _answers(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.loads(answer.read())
    except (OSError, ValueError):
        return None


@contextmanager
def chrome_with_debugging_port(executable: str, folder: Path) -> Iterator[BrowserServer]:
    """A headless Chrome with `--remote-debugging-port`; its endpoint is the `ws://.../devtools/browser/...`
    one, given once `/json/version` answers and the browser has its first page."""
    profile = folder / "profile"
    log = folder / "chrome.log"
    with log.open("w") as output:  # a file, not a pipe: an undrained pipe would block Chrome's logging
        process = subprocess.Popen(
            [executable, "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={profile}",
             *SYSTEM_BROWSER_ARGS, *QUIET_BROWSER_ARGS, "about:blank"],
            stdout=output, stderr=output, start_new_session=True,
        )
    server = BrowserServer(process, "", log)
    try:
        active = profile / "DevToolsActivePort"  # Chrome writes its port and browser path here when listening

        def port_and_path() -> tuple[str, str] | None:
            lines = active.read_text().split() if active.is_file() else []
            return (lines[0], lines[1]) if len(lines) == 2 else None

        port, path = _wait_for("Chrome's DevTools port", port_and_path, process, log)
        base = f"http://127.0.0.1:{port}"
        version = _wait_for("Chrome's /json/version", lambda: _answers(f"{base}/json/version"), process, log)
        _wait_for("Chrome's first page", lambda: [t for t in _answers(f"{base}/json/list") or [] if t.get("type") == "page"],
                  process, log)
        server.endpoint = version.get("webSocketDebuggerUrl") or f"ws://127.0.0.1:{port}{path}"
        yield server
    finally:
        server.kill()


@contextmanager
def playwright_run_server(executable: str, folder: Path) -> Iterator[BrowserServer]:
    """Playwright's `run-server`. It launches a browser for each client from the launch options the
    client sends; a browser other than Playwright's own build (`executablePath`, `args`) needs the
    server's `--unsafe`, so the endpoint carries them as `?launch-options=`."""
    log = folder / "run-server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", "0", "--unsafe"],
            stdout=output, stderr=output, start_new_session=True,
        )
    server = BrowserServer(process, "", log)
    try:
        listening = _wait_for(
            "run-server", lambda: re.search(r"Listening on (ws://\S+)", log.read_text(errors="replace")), process, log
        )
        options = {"executablePath": executable, "args": [*SYSTEM_BROWSER_ARGS, *QUIET_BROWSER_ARGS]}
        server.endpoint = f"{listening.group(1)}?launch-options={quote(json.dumps(options))}"
        yield server
    finally:
        server.kill()


def descendants(root: int) -> dict[int, str]:
    """The processes descending from `root` (Linux /proc), each with its command line, arguments
    joined by spaces (a forked Chromium helper shows its command line as one string anyway)."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
        except (ValueError, OSError, IndexError):
            continue
    found, wanted = {}, {root}
    while wanted:
        wanted = {pid for pid, parent in parents.items() if parent in wanted and pid not in found}
        found.update((pid, commands[pid]) for pid in wanted)
    return found
