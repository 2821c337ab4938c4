"""`onevoice review`: a report served on 127.0.0.1 with Accept buttons that write the baseline.

The page is the report's own index.html with two changes: its Content-Security-Policy lets it
connect to this server (`connect-src 'self'`), and it carries a token made for this session. An
accept is a POST to /accept with that token in a header, from this server's own origin and host
name; it writes the baseline exactly as `onevoice approve` does. Anything else that asks is refused:
another site's page cannot read the token, send the header without a preflight we never allow,
nor reach the server through a DNS name that points at 127.0.0.1.
"""

from __future__ import annotations

import functools
import hmac
import html
import json
import re
import secrets
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from onevoice.baseline.approve import ApprovalError, approve
from onevoice.errors import LoadError
from onevoice.serving import QuietServer, ServedInThread

HOST = "127.0.0.1"
TOKEN_HEADER = "X-Onevoice-Token"
REVIEW_META = "onevoice-review"
MAX_BODY = 64 * 1024
_POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


class ReviewError(LoadError):
    """The report folder cannot be reviewed (no report in it, or one written without a policy)."""


def review_page(page: str, token: str) -> tuple[str, str]:
    """The report page as the review server serves it, and its policy (also sent as a header)."""
    match = _POLICY_META.search(page)
    if match is None:
        raise ReviewError("index.html has no Content-Security-Policy; write the report again with `onevoice run`")
    policy = html.unescape(match.group(1)).replace("connect-src 'none'", "connect-src 'self'")
    tags = (
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">\n'
        f'<meta name="{REVIEW_META}" content="{html.escape(token)}">'
    )
    return page[: match.start()] + tags + page[match.end() :], policy


class _Server(QuietServer):
    report: Path
    token: str
    writing: threading.Lock


class _Handler(SimpleHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet: the CLI says what was accepted

    @property
    def own_host(self) -> str:
        return f"{HOST}:{self.server.server_address[1]}"

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):  # noqa: ANN201 - the stdlib's signature
        if self.headers.get("Host") != self.own_host:
            self.send_error(HTTPStatus.FORBIDDEN, f"use http://{self.own_host}/")
            return None
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            return self._send_page()
        if path == "/favicon.ico":  # browsers ask; the report has none
            self.send_response(HTTPStatus.NO_CONTENT)
            self.end_headers()
            return None
        try:
            return super().send_head()
        except ValueError:  # a path no file can have, such as /%00
            self.send_error(HTTPStatus.BAD_REQUEST, "no such path")
            return None

    def list_directory(self, path):  # noqa: ANN001, ANN201 - the stdlib's signature
        self.send_error(HTTPStatus.NOT_FOUND, "no folder listings here")
        return None

    def _send_page(self):  # noqa: ANN202
        try:
            page, policy = review_page((self.server.report / "index.html").read_text(encoding="utf-8"), self.server.token)
        except (OSError, ReviewError) as error:
            self.send_error(HTTPStatus.NOT_FOUND, str(error))
            return None
        body = page.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", policy + "; frame-ancestors 'none'")
        self.end_headers()
        self.wfile.write(body)
        return None

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        refusal = self._refusal()
        if refusal is not None:
            self._json(HTTPStatus.FORBIDDEN, {"error": refusal})
            return
        if urlsplit(self.path).path != "/accept":
            self._json(HTTPStatus.NOT_FOUND, {"error": "POST /accept is the only action"})
            return
        request = self._body()
        if request is None:
            self._json(HTTPStatus.BAD_REQUEST, {"error": 'send JSON {"finding": ID} or {"journey": SLUG}'})
            return
        kind, name = request
        try:
            with self.server.writing:
                if kind == "finding":
                    approvals = approve(self.server.report, findings=[name])
                else:
                    approvals = approve(self.server.report, journeys=[name])
        except ApprovalError as error:
            self._json(HTTPStatus.CONFLICT, {"error": str(error)})
            return
        self._json(
            HTTPStatus.OK,
            {
                "message": "; ".join(str(approval) for approval in approvals),
                "accepted": sum(approval.added for approval in approvals),
                "baselines": [approval.baseline.as_posix() for approval in approvals],
            },
        )

    def _refusal(self) -> str | None:
        """Why this POST is refused, if it is: not from this server's own page with its token."""
        if self.headers.get("Host") != self.own_host:
            return f"wrong Host; use http://{self.own_host}/"
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.own_host}":
            return "cross-origin requests are refused"
        if not hmac.compare_digest(self.headers.get(TOKEN_HEADER, ""), self.server.token):
            return f"missing or wrong {TOKEN_HEADER}: accept from the page this server serves"
        return None

    def _body(self) -> tuple[str, str] | None:
        """("finding", id) or ("journey", slug) from a JSON body, or None."""
        if self.headers.get_content_type() != "application/json":
            return None
        length = (self.headers.get("Content-Length") or "").strip()
        if not length.isdigit() or not 0 < int(length) <= MAX_BODY:
            return None
        try:
            data = json.loads(self.rfile.read(int(length)))
        except ValueError:
            return None
        if not isinstance(data, dict) or len(data) != 1:
            return None
        (kind, name), = data.items()
        return (kind, name) if kind in ("finding", "journey") and isinstance(name, str) and name else None

    def _json(self, status: HTTPStatus, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ReviewServer(ServedInThread):
    """`with ReviewServer(Path("reports/latest")) as server:` serves it at `server.url` from a thread.

    Only ever on 127.0.0.1; `port` 0 picks a free one. Journey files are found as the run named
    them, so serve from the folder the run started in.
    """

    def __init__(self, report: Path, port: int = 0) -> None:
        if not (report / "index.html").is_file() or not (report / "findings.json").is_file():
            raise ReviewError(f"{report} holds no onevoice report (index.html, findings.json); run `onevoice run --report {report}` first")
        server = _Server((HOST, port), functools.partial(_Handler, directory=str(report)))
        server.report = report
        server.token = secrets.token_urlsafe(32)
        server.writing = threading.Lock()
        super().__init__(server, "onevoice-review")

    @property
    def token(self) -> str:
        return self._server.token
