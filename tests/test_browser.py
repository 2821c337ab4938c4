"""Which browser a run uses, and connecting to a remote one."""

from __future__ import annotations

import pytest

from browser_servers import chrome_with_debugging_port, server_executable
from onevoice.browser import QUIET_BROWSER_ARGS, SYSTEM_BROWSER_ARGS, Endpoint, choose_browser, launch, parse_endpoints
from onevoice.errors import BrowserUnavailable

REMOTE_TIMEOUT = 120.0  # seconds: a loaded machine answers slowly, never wrongly


def test_a_remote_endpoint_wins_then_an_explicit_executable(tmp_path):
    chrome = tmp_path / "chrome"
    chrome.write_text("")
    remote = choose_browser("", {"ONEVOICE_BROWSER_WS": "ws://127.0.0.1:9/x", "ONEVOICE_BROWSER": str(chrome)})
    assert remote.endpoints == (Endpoint("ws://127.0.0.1:9/x"),) and remote.executable is None
    explicit = choose_browser(str(chrome), {"ONEVOICE_BROWSER": str(chrome)})
    assert explicit.executable == str(chrome)
    assert explicit.launch_args == [*SYSTEM_BROWSER_ARGS, *QUIET_BROWSER_ARGS]


def test_playwrights_own_chromium_comes_before_a_system_one(tmp_path):
    own = tmp_path / "chrome-headless-shell"
    own.write_text("")
    choice = choose_browser(str(own), {})
    assert choice.source == "playwright" and choice.executable is None
    assert choice.launch_args == list(QUIET_BROWSER_ARGS)


def test_a_missing_explicit_browser_says_so_with_the_capture_exit_status(tmp_path):
    with pytest.raises(BrowserUnavailable, match="ONEVOICE_BROWSER=.*no such file") as raised:
        choose_browser("", {"ONEVOICE_BROWSER": str(tmp_path / "nothing")})
    assert raised.value.exit_code == 3


def test_several_endpoints_separated_by_commas_make_a_pool():
    options = '{"executablePath":"/usr/bin/chromium","args":["--no-sandbox","--disable-gpu"]}'
    value = f" ws://10.0.0.1:3000/?launch-options={options} , http://10.0.0.2:9222,ws://h:1/devtools/browser/abc,"
    endpoints = parse_endpoints(value)
    assert [e.url for e in endpoints] == [
        f"ws://10.0.0.1:3000/?launch-options={options}",
        "http://10.0.0.2:9222",
        "ws://h:1/devtools/browser/abc",
    ]
    assert [e.protocol for e in endpoints] == ["playwright", "cdp", "cdp"]
    assert [e.shown for e in endpoints] == ["ws://10.0.0.1:3000/", "http://10.0.0.2:9222", "ws://h:1/devtools/browser/abc"]
    assert [e.version_url for e in endpoints] == [None, "http://10.0.0.2:9222/json/version", "http://h:1/json/version"]


@pytest.mark.browser
def test_onevoice_browser_ws_connects_to_a_running_chrome(loop, playwright, tmp_path, monkeypatch):
    with chrome_with_debugging_port(server_executable(playwright), tmp_path) as chrome:
        monkeypatch.setenv("ONEVOICE_BROWSER_WS", chrome.endpoint)

        async def heading() -> str:
            browser = await launch(playwright, timeout=REMOTE_TIMEOUT)
            context = await browser.new_context()
            page = await context.new_page()
            await page.set_content("<h1>remote</h1>")
            text = await page.inner_text("h1")
            await context.close()
            await browser.close()
            return text

        assert loop.run(heading(), timeout=REMOTE_TIMEOUT * 2) == "remote"
