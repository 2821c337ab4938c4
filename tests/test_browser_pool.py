"""Getting and keeping browsers during a run: a missing or silent browser is one line and exit 3;
a browser killed mid-run is relaunched (local) or taken out of the pool (remote) and its captures
run again elsewhere; a pool of remote browsers shares the captures by how busy each is.

The remote browsers are real (Playwright's run-server and a Chrome with --remote-debugging-port on
loopback); "mid-run" is made certain, not timed: every page holds its first request until the test
has killed the browser."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_servers import chrome_with_debugging_port, descendants, playwright_run_server, server_executable
from journeysite import write_journey, write_site
from onevoice.browser import BrowserChoice, BrowserPool, parse_endpoints
from onevoice.cli import main
from onevoice.serving import QuietServer
from static_server import QuietHandler

pytestmark = pytest.mark.browser

REMOTE_TIMEOUT = 120.0  # seconds: a loaded machine answers slowly, never wrongly
SIX_PAGES = "".join(f"  - {{id: page-{n}, url: 'index.html?hold={n}'}}\n" for n in range(1, 7))


@pytest.fixture(autouse=True)
def run_id(monkeypatch):
    monkeypatch.setenv("RUN_ID", "test-run")
    monkeypatch.delenv("ONEVOICE_BROWSER_WS", raising=False)


class HeldSite:
    """A brand site whose pages (`?hold=...`) each hold their first request until `release()`."""

    def __init__(self, folder: Path) -> None:
        self.arrived = threading.Condition()
        self.held = 0
        self.released = threading.Event()
        seen: set[str] = set()
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if "hold=" in self.path and self.path not in seen:
                    seen.add(self.path)
                    with site.arrived:
                        site.held += 1
                        site.arrived.notify_all()
                    site.released.wait(REMOTE_TIMEOUT)
                super().do_GET()

        self.server = QuietServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(folder)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def wait_until_held(self, count: int) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: self.held >= count, REMOTE_TIMEOUT), f"only {self.held} held"

    def release(self) -> None:
        self.released.set()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def held_site(tmp_path) -> Iterator[HeldSite]:
    site = HeldSite(write_site(tmp_path / "site"))
    yield site
    site.close()


class RunInThread:
    """`onevoice run` in a thread, so that the test can act while it runs."""

    def __init__(self, *args: str) -> None:
        self.code: int | None = None
        self.thread = threading.Thread(target=self._run, args=(args,), daemon=True)
        self.thread.start()

    def _run(self, args: tuple[str, ...]) -> None:
        self.code = main(["run", *args])

    def result(self) -> int | None:
        self.thread.join(REMOTE_TIMEOUT * 3)
        assert not self.thread.is_alive(), "the run did not finish"
        return self.code


def touchpoint_errors(report: Path) -> dict[str, str | None]:
    (journey,) = json.loads((report / "findings.json").read_text())["journeys"]
    return {touchpoint["id"]: touchpoint["error"] for touchpoint in journey["touchpoints"]}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- no browser: one line, exit 3 -------------------------------------------------------------


@pytest.mark.parametrize("workers", ["0", "2"])
@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")  # a worker's error is one line too
def test_a_missing_browser_is_one_line_and_exit_3(tmp_path, monkeypatch, capsys, workers):
    for name in ("home", "offer"):
        write_journey(tmp_path / "journeys" / f"{name}.yaml", "http://127.0.0.1:9/", "  - {id: home, url: index.html}\n")
    monkeypatch.setenv("ONEVOICE_BROWSER", str(tmp_path / "nonexistent"))

    code = main(["run", str(tmp_path / "journeys"), "--report", str(tmp_path / "report"), "-n", workers])

    err = capsys.readouterr().err.strip().splitlines()
    assert code == 3
    assert err == [f"onevoice: ONEVOICE_BROWSER={tmp_path / 'nonexistent'}: no such file "
                   "(point it at a Chrome or Chromium executable, or unset it)"]


def test_an_unreachable_browser_endpoint_is_one_line_and_exit_3(tmp_path, monkeypatch, capsys):
    write_journey(tmp_path / "journeys" / "home.yaml", "http://127.0.0.1:9/", "  - {id: home, url: index.html}\n")
    endpoint = f"ws://127.0.0.1:{closed_port()}/"
    monkeypatch.setenv("ONEVOICE_BROWSER_WS", endpoint)

    code = main(["run", str(tmp_path / "journeys"), "--report", str(tmp_path / "report")])

    err = capsys.readouterr().err.strip().splitlines()
    assert code == 3
    assert len(err) == 1 and err[0].startswith(f"onevoice: browser endpoint {endpoint}: connection refused"), err


def test_a_browser_endpoint_that_never_answers_is_bounded_by_the_timeout(tmp_path, monkeypatch, capsys, silent_address):
    write_journey(tmp_path / "journeys" / "home.yaml", "http://127.0.0.1:9/", "  - {id: home, url: index.html}\n")
    monkeypatch.setenv("ONEVOICE_BROWSER_WS", f"ws://{silent_address}/devtools/browser/silent")

    run = RunInThread(str(tmp_path / "journeys"), "--report", str(tmp_path / "report"), "--timeout", "2")

    assert run.result() == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no answer within 2 s" in err[0], err


# --- a browser dies mid-run -------------------------------------------------------------------


def chromium_processes() -> set[int]:
    """This process's descendant Chromium browser processes that Playwright launched (not their helpers)."""
    return {
        pid for pid, command in descendants(os.getpid()).items()
        if "--remote-debugging-pipe" in command and "--type=" not in command
    }


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the browser process through /proc")
def test_a_local_browser_killed_mid_run_is_relaunched_for_the_remaining_touchpoints(tmp_path, held_site, capsys):
    write_journey(tmp_path / "journeys" / "pages.yaml", held_site.url, SIX_PAGES)
    before = chromium_processes()
    report = tmp_path / "report"

    run = RunInThread(str(tmp_path / "journeys"), "--report", str(report), "--timeout", str(REMOTE_TIMEOUT))
    held_site.wait_until_held(1)  # a capture is open in the browser now
    (browser,) = chromium_processes() - before
    os.kill(browser, signal.SIGKILL)
    held_site.release()

    assert run.result() == 0
    assert touchpoint_errors(report) == {f"page-{n}": None for n in range(1, 7)}
    assert "died during a capture" in capsys.readouterr().err


# --- a pool of remote browsers ----------------------------------------------------------------


@pytest.fixture
def two_servers(playwright, tmp_path):
    """Playwright's run-server and a Chrome with a debugging port, both on loopback."""
    executable = server_executable(playwright)
    (tmp_path / "run-server").mkdir()
    (tmp_path / "chrome").mkdir()
    with playwright_run_server(executable, tmp_path / "run-server") as server:
        with chrome_with_debugging_port(executable, tmp_path / "chrome") as chrome:
            yield server, chrome


def test_the_pool_gives_each_capture_the_least_busy_browser(loop, playwright, two_servers):
    server, chrome = two_servers
    choice = BrowserChoice("ONEVOICE_BROWSER_WS", endpoints=parse_endpoints(f"{server.endpoint},{chrome.endpoint}"))

    async def four_open_captures() -> list[str]:
        pool = BrowserPool(playwright, timeout=REMOTE_TIMEOUT, choice=choice)
        all_open = asyncio.Event()
        versions: list[str] = []

        async def capture(browser) -> None:
            context = await browser.new_context()
            versions.append(browser.version)
            if len(versions) == 4:
                all_open.set()
            await all_open.wait()  # all four are open at once: each chose by the open ones
            await context.close()

        await asyncio.wait_for(asyncio.gather(*(pool.run(capture) for _ in range(4))), REMOTE_TIMEOUT)
        usage = pool.usage()
        await pool.close()
        return usage

    usage = loop.run(four_open_captures(), timeout=REMOTE_TIMEOUT * 2)
    assert usage == {parse_endpoints(server.endpoint)[0].shown: 2, chrome.endpoint: 2}


def test_a_remote_browser_killed_mid_run_leaves_the_pool_and_its_captures_run_on_another(
    tmp_path, held_site, monkeypatch, capsys, two_servers
):
    server, chrome = two_servers
    monkeypatch.setenv("ONEVOICE_BROWSER_WS", f"{server.endpoint}, {chrome.endpoint}")
    write_journey(tmp_path / "journeys" / "pages.yaml", held_site.url, SIX_PAGES)
    report = tmp_path / "report"

    run = RunInThread(
        str(tmp_path / "journeys"), "--report", str(report), "--timeout", str(REMOTE_TIMEOUT), "--concurrency", "4"
    )
    held_site.wait_until_held(4)  # four captures open: two on each browser
    server.kill()
    held_site.release()

    assert run.result() == 0
    assert touchpoint_errors(report) == {f"page-{n}": None for n in range(1, 7)}
    err = capsys.readouterr().err
    shown = parse_endpoints(server.endpoint)[0].shown
    assert f"browser endpoint {shown} was lost during a capture" in err
    assert "taken out of the pool, its captures go to the 1 other endpoint(s)" in err


def test_when_the_only_remote_browser_dies_the_touchpoints_left_fail_and_the_report_is_written(
    tmp_path, held_site, monkeypatch, capsys, playwright
):
    (tmp_path / "chrome").mkdir()
    with chrome_with_debugging_port(server_executable(playwright), tmp_path / "chrome") as chrome:
        monkeypatch.setenv("ONEVOICE_BROWSER_WS", chrome.endpoint)
        write_journey(tmp_path / "journeys" / "pages.yaml", held_site.url, SIX_PAGES)
        report = tmp_path / "report"

        run = RunInThread(
            str(tmp_path / "journeys"), "--report", str(report), "--timeout", str(REMOTE_TIMEOUT), "--concurrency", "2"
        )
        held_site.wait_until_held(2)
        chrome.kill()
        held_site.release()

        assert run.result() == 3
    errors = touchpoint_errors(report)
    assert set(errors) == {f"page-{n}" for n in range(1, 7)}
    assert all(error and "no browser left" in error for error in errors.values()), errors
    assert "no endpoint is left" in capsys.readouterr().err
