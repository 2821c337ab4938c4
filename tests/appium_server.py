"""The suite's Appium server: Appium 3 with its fake driver and the screens plugin (tools/appium).

`make test-services` installs it. The server starts on a free loopback port and is stopped by
its PID; tests that need it are skipped, with the reason, when it is not installed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

APPIUM_HOME = Path(__file__).resolve().parent.parent / "tools" / "appium"
APPIUM = APPIUM_HOME / "node_modules" / ".bin" / "appium"
START_TIMEOUT = 120.0  # seconds; a loaded 2-core machine starts Node slowly


def missing_reason() -> str | None:
    """Why the suite's Appium cannot run here, or None."""
    if not APPIUM.exists():
        return f"Appium is not installed in {APPIUM_HOME} (run `make test-services`; it needs Node 20.19 or newer)"
    try:
        version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "Node.js is missing: install Node 20.19 or newer for Appium 3"
    major, minor = (int(part) for part in version.lstrip("v").split(".")[:2])
    if not (major > 22 or (major == 22 and minor >= 12) or (major == 20 and minor >= 19)):
        return f"Node {version} is too old for Appium 3: install Node 20.19+ or 22.12+"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def appium_server(log: Path):
    """An Appium server on a free port: yields its URL; stopped by its PID when done."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(APPIUM), "--address", "127.0.0.1", "--port", str(port), "--use-drivers", "fake",
             "--use-plugins", "onevoice-screens", "--log-level", "warn", "--log-no-colors",
             "--allow-insecure", "*:session_discovery"],  # lets the tests see that sessions were closed
            env={**os.environ, "APPIUM_HOME": str(APPIUM_HOME)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{url}/status", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Appium did not start on {url}: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
