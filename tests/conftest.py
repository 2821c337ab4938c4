"""Shared fixtures: the corpus of real pages and emails, and one real Chromium per test session."""

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


@pytest.fixture(scope="session")
def corpus() -> Path:
    """`../shared/corpus`: real, openly licensed emails and web pages (see its SOURCES.md)."""
    path = REPO.parent / "shared" / "corpus"
    if not path.is_dir():
        pytest.fail(f"the test corpus is missing: expected {path} beside the repository")
    return path


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
