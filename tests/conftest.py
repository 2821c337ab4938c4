"""Shared fixtures: the corpus of real pages and emails, and one real Chromium per test session.

Tests that start Chromium carry the `browser` marker: those using the `browser` or `playwright`
fixture get it here; any other test that starts one (an engine, the CLI) fails unless marked,
so `-m "not browser"` never starts a browser."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from onevoice.loop import LoopThread
from static_server import serve_folder

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


SHARED = REPO.parent / "shared"  # the corpus and the contract, beside the repository (not part of it)
CHROMIUM_FIXTURES = frozenset({"browser", "playwright"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if CHROMIUM_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _chromium_only_in_browser_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("browser") is not None:
        return
    from playwright.async_api import BrowserType

    async def refuse(*args, **kwargs):
        raise AssertionError(f"{request.node.nodeid} starts Chromium: mark it (or its module) `pytest.mark.browser`")

    for method in ("launch", "connect", "connect_over_cdp"):
        monkeypatch.setattr(BrowserType, method, refuse)


def shared(relative: str) -> Path:
    """A file or folder of `../shared`; the test skips, saying so, when it is absent (a bare clone)."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"needs {relative} of the shared test material, expected at {path} beside the repository")
    return path


@pytest.fixture(scope="session")
def corpus() -> Path:
    """`../shared/corpus`: real, openly licensed emails and web pages (see its SOURCES.md)."""
    return shared("corpus")


@pytest.fixture(scope="session")
def spec_text() -> str:
    """`../shared/SPEC.md`: the user-facing contract."""
    return shared("SPEC.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def appium(tmp_path_factory) -> str:
    """The URL of the suite's Appium server (fake driver + screens plugin), started once per session."""
    from appium_server import appium_server, missing_reason

    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    with appium_server(tmp_path_factory.mktemp("appium") / "appium.log") as url:
        yield url


@pytest.fixture(scope="session")
def loop():
    with LoopThread("tests-loop") as thread:
        yield thread


@pytest.fixture(scope="session")
def playwright(loop):
    from playwright.async_api import async_playwright

    manager = async_playwright()
    instance = loop.run(manager.start())
    yield instance
    loop.run(instance.stop())


@pytest.fixture(scope="session")
def browser(loop, playwright):
    """One real Chromium for the session (async API): use it as `loop.run(coroutine(browser))`."""
    from onevoice.browser import launch

    chromium = loop.run(launch(playwright))
    yield chromium
    loop.run(chromium.close())


@pytest.fixture
def silent_address() -> Iterator[str]:
    """`127.0.0.1:PORT` of a loopback server that accepts connections and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.fixture
def serve():
    """Serve folders over HTTP on 127.0.0.1: `serve(folder)` returns its base URL (trailing slash)."""
    with ExitStack() as servers:
        yield lambda folder: servers.enter_context(serve_folder(folder))
