"""An `http.server` served from a daemon thread, as the demo site and the review server run."""

from __future__ import annotations

import sys
import threading
from http.server import ThreadingHTTPServer
from typing import Self


class QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that is quiet about clients hanging up early (a browser cancelling
    a request, a capture timing out) and prints every other error with its traceback."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class ServedInThread:
    """`with Site(...) as site: site.url`: serves `server` from a thread until the block ends."""

    def __init__(self, server: ThreadingHTTPServer, name: str) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
