"""Which browser a run uses, and connecting to a remote one."""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from onevoice.browser import SYSTEM_BROWSER_ARGS, choose_browser, launch
from onevoice.errors import BrowserUnavailable


def test_a_remote_endpoint_wins_then_an_explicit_executable(tmp_path):
    chrome = tmp_path / "chrome"
    chrome.write_text("")
    remote = choose_browser("", {"ONEVOICE_BROWSER_WS": "ws://127.0.0.1:9/x", "ONEVOICE_BROWSER": str(chrome)})
    assert remote.ws_endpoint == "ws://127.0.0.1:9/x" and remote.executable is None
    explicit = choose_browser(str(chrome), {"ONEVOICE_BROWSER": str(chrome)})
    assert explicit.executable == str(chrome) and explicit.launch_args == list(SYSTEM_BROWSER_ARGS)


def test_playwrights_own_chromium_comes_before_a_system_one(tmp_path):
    own = tmp_path / "chrome-headless-shell"
    own.write_text("")
    choice = choose_browser(str(own), {})
    assert choice.source == "playwright" and choice.executable is None and choice.launch_args == []


def test_a_missing_explicit_browser_says_so(tmp_path):
    with pytest.raises(BrowserUnavailable, match="ONEVOICE_BROWSER=.*no such file"):
        choose_browser("", {"ONEVOICE_BROWSER": str(tmp_path / "nothing")})


@pytest.mark.browser
def test_onevoice_browser_ws_connects_to_a_running_chrome(loop, playwright, tmp_path, monkeypatch):
    choice = choose_browser(playwright.chromium.executable_path)
    executable = choice.executable or playwright.chromium.executable_path
    log = tmp_path / "chrome.log"  # a file, not a pipe: an undrained pipe would block Chrome's logging
    with log.open("w") as stderr:
        chrome = subprocess.Popen(
            [executable, "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={tmp_path / 'profile'}",
             *SYSTEM_BROWSER_ARGS],
            stderr=stderr,
        )
    try:
        endpoint = None
        deadline = time.monotonic() + 30
        while endpoint is None and time.monotonic() < deadline and chrome.poll() is None:
            if match := re.search(r"DevTools listening on (ws://\S+)", log.read_text(errors="replace")):
                endpoint = match.group(1)
            else:
                time.sleep(0.05)
        assert endpoint, f"the browser did not print its DevTools endpoint: {log.read_text(errors='replace')[-500:]}"
        monkeypatch.setenv("ONEVOICE_BROWSER_WS", endpoint)

        async def heading() -> str:
            browser = await launch(playwright)
            context = await browser.new_context()
            page = await context.new_page()
            await page.set_content("<h1>remote</h1>")
            text = await page.inner_text("h1")
            await context.close()
            await browser.close()
            return text

        assert loop.run(heading(), timeout=60) == "remote"
    finally:
        chrome.terminate()
        chrome.wait(timeout=10)
