"""A folder served over HTTP on 127.0.0.1 for tests: quiet about requests and about clients that
hang up early (a browser cancelling a request, a capture timing out), loud about anything else."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler
from pathlib import Path

from onevoice.serving import QuietServer


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        pass


class PageHandler(BaseHTTPRequestHandler):
    """A handler that answers with `answer`, without a log line per request."""

    def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        pass


@contextmanager
def serve_handler(handler, name: str = "test server") -> Iterator[str]:
    """Serve with `handler` on a free port of 127.0.0.1 from a thread; yields the base URL, ending in `/`."""
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def serve_folder(root: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> AbstractContextManager[str]:
    """Serve `root` on a free port of 127.0.0.1 from a thread; yields the base URL, ending in `/`."""
    return serve_handler(functools.partial(handler, directory=str(root)), f"serve {root.name}")
