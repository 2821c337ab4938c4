"""Which browser a run uses, and connecting to a remote one."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_servers import chrome_with_debugging_port, descendants, server_executable
from journeysite import write_site
from onevoice.browser import (
    PLAYWRIGHT_DISABLED_FEATURES,
    QUIET_BROWSER_ARGS,
    SYSTEM_BROWSER_ARGS,
    Endpoint,
    choose_browser,
    launch,
    parse_endpoints,
)
from onevoice.capture.web import capture_web
from onevoice.errors import BrowserUnavailable
from onevoice.model import Touchpoint

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


def outside_traffic(net_log: dict) -> set[str]:
    """What a Chromium net-log shows reaching beyond loopback: names resolved, requests made,
    TCP connections and UDP datagrams sent. (A UDP socket that is only connected sends nothing:
    Chromium connects one to a public IPv6 address to learn whether IPv6 is routed.)"""
    kinds = {number: name for name, number in net_log["constants"]["logEventTypes"].items()}
    watched = {
        "HOST_RESOLVER_MANAGER_JOB": "host",
        "DNS_TRANSACTION": "hostname",
        "URL_REQUEST_START_JOB": "url",
        "TCP_CONNECT": "address",
        "UDP_BYTES_SENT": "address",
    }
    seen = set()
    for event in net_log["events"]:
        kind = kinds.get(event["type"])
        value = event.get("params", {}).get(watched.get(kind, ""))
        if not value:
            continue
        host = urlsplit(value).hostname if "://" in value else value.rsplit(":", 1)[0].strip("[]")
        if host in ("localhost", "127.0.0.1", "::1"):
            continue
        if kind == "URL_REQUEST_START_JOB" and urlsplit(value).port == 9 and host == "127.0.0.1":
            continue  # the account check, pointed at a port Chromium refuses (no connection follows)
        seen.add(f"{kind} {value}")
    return seen


@pytest.mark.browser
def test_the_launched_browser_reaches_no_host_but_the_pages(loop, playwright, tmp_path, serve):
    """Chromium's own net-log of a capture of a loopback page, and of the seconds after it when
    Chromium's background services would start: nothing leaves loopback."""
    site = serve(write_site(tmp_path / "site"))
    choice = choose_browser(playwright.chromium.executable_path, {**os.environ, "ONEVOICE_BROWSER_WS": ""})
    net_log = tmp_path / "net-log.json"

    async def capture_then_idle() -> None:
        browser = await playwright.chromium.launch(
            executable_path=choice.executable, args=[*choice.launch_args, f"--log-net-log={net_log}"]
        )
        touchpoint = Touchpoint(id="home", url="index.html")
        devices = dict(playwright.devices)
        capture = await capture_web(
            browser, touchpoint, f"{site}index.html", devices=devices, artifacts=tmp_path, folder="journey"
        )
        assert capture.ok, capture.error
        await asyncio.sleep(3)
        await browser.close()

    loop.run(capture_then_idle(), timeout=REMOTE_TIMEOUT)
    log = json.loads(net_log.read_text())
    assert any("127.0.0.1" in value for value in _requested_urls(log))  # the log saw the page itself
    assert outside_traffic(log) == set()


@pytest.mark.browser
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads command lines from /proc (Linux)")
def test_onevoice_repeats_every_feature_playwright_disables(loop, playwright):
    """Chromium keeps only the last --disable-features: onevoice's must hold Playwright's own list,
    or a Playwright upgrade's additions would be dropped without a word."""
    choice = choose_browser(playwright.chromium.executable_path, {**os.environ, "ONEVOICE_BROWSER_WS": ""})
    probe = f"--onevoice-probe={os.getpid()}"  # a switch Chromium ignores, to find this browser's command line

    async def playwrights_features() -> set[str]:
        browser = await playwright.chromium.launch(executable_path=choice.executable, args=[probe])
        try:
            line = next(line for line in descendants(os.getpid()).values() if probe in line).split(" ")
        finally:
            await browser.close()
        lists = [arg.split("=", 1)[1] for arg in line[: line.index(probe)] if arg.startswith("--disable-features=")]
        return {feature for listed in lists for feature in listed.split(",") if feature}

    theirs = loop.run(playwrights_features(), timeout=REMOTE_TIMEOUT)
    assert theirs, "found no --disable-features in Playwright's launch: did the probe find its browser?"
    missing = theirs - set(PLAYWRIGHT_DISABLED_FEATURES)
    assert not missing, f"add {sorted(missing)} to onevoice.browser.PLAYWRIGHT_DISABLED_FEATURES"


@pytest.mark.browser
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads command lines from /proc (Linux)")
def test_no_top_chrome_webui_renderer_runs_beside_a_captured_page(loop, playwright, tmp_path, serve):
    """Chromium's omnibox popup is a WebUI page with a renderer of its own for every page opened;
    onevoice's browser opens none (it cost more CPU than the captured page)."""
    site = serve(write_site(tmp_path / "site"))
    probe = f"--onevoice-probe={os.getpid()}-webui"

    async def renderers_while_open() -> list[str]:
        choice = choose_browser(playwright.chromium.executable_path, {**os.environ, "ONEVOICE_BROWSER_WS": ""})
        browser = await playwright.chromium.launch(executable_path=choice.executable, args=[*choice.launch_args, probe])
        try:
            page = await browser.new_page()
            await page.goto(f"{site}index.html")
            await asyncio.sleep(1)  # the WebUI renderer starts beside the page's
            ours = next(pid for pid, line in descendants(os.getpid()).items() if probe in line)
            return [line for line in descendants(ours).values() if "--type=renderer" in line]
        finally:
            await browser.close()

    renderers = loop.run(renderers_while_open(), timeout=REMOTE_TIMEOUT)
    assert renderers  # the page's own
    assert not [line for line in renderers if "--top-chrome-webui" in line]


def _requested_urls(net_log: dict) -> list[str]:
    kinds = {number: name for name, number in net_log["constants"]["logEventTypes"].items()}
    return [
        event["params"]["url"]
        for event in net_log["events"]
        if kinds.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in event.get("params", {})
    ]
