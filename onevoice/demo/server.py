"""The demo brand's web site on a local port: pages, static files, sign-up and a click redirect.

`with DemoSite() as site: ...` serves it on a free loopback port (`site.url`) from a thread;
`DemoSite(brand=dataclasses.replace(QUILLORY, ...))` serves changed content (tests make it drift).
A sign-up POST sends the real welcome email over SMTP before it answers "Check your inbox".
`python -m onevoice.demo.server --port 8765` serves it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import mimetypes
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from onevoice.demo.content import QUILLORY, DemoBrand, organization_json
from onevoice.demo.welcome import MailNotSent, compose_welcome, send, smtp_port
from onevoice.serving import QuietServer, ServedInThread

SITE = Path(__file__).parent / "site"
STATIC = SITE / "static"
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".woff2": "font/woff2", ".txt": "text/plain"}
EMAIL_ADDRESS = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")

PAGES = {  # path -> (template, title, description)
    "/": ("home.html.j2", f"{QUILLORY.name}: notebooks made to be filled", "A monthly box of notebooks, cards and ink."),
    "/offer": ("offer.html.j2", f"{QUILLORY.name}: {QUILLORY.offer}", f"New to {QUILLORY.name}? Take {QUILLORY.offer}."),
    "/signup": ("signup.html.j2", f"Create your {QUILLORY.name} account", "Sign up for the monthly notebook box."),
}

_TEMPLATES = Environment(loader=FileSystemLoader(SITE), autoescape=True, undefined=StrictUndefined)


def render_page(path: str, base_url: str, brand: DemoBrand = QUILLORY, **extra: object) -> str:
    """The HTML of the page at `path` (a key of PAGES) as served from `base_url`."""
    template, title, description = PAGES[path]
    context = {
        "brand": brand,
        "plans": brand.plans,
        "base": base_url,
        "path": path.lstrip("/"),
        "title": title,
        "description": description,
        "organization_json": organization_json(brand, base_url),
        "sent_to": None,
        "email": None,
        "error": None,
        **extra,
    }
    return _TEMPLATES.get_template(template).render(context)


def redirect_target(query: str) -> str | None:
    """Where `/r?u=...` sends the browser: a path on this site, never another site."""
    target = parse_qs(query).get("u", [""])[0]
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


class _Server(QuietServer):
    smtp_port: int | None = None
    brand: DemoBrand = QUILLORY


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "QuilloryDemo/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # a quiet demo: the journeys' report is the interesting output

    @property
    def base_url(self) -> str:
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        return f"http://{host}/"

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        url = urlsplit(self.path)
        if url.path in PAGES:
            self._send_html(render_page(url.path, self.base_url, self.server.brand))
        elif url.path == "/r":
            target = redirect_target(url.query)
            if target is None:
                self._send_error(HTTPStatus.BAD_REQUEST, "The redirect needs u=/a/path/on/this/site.")
            else:
                self._send(HTTPStatus.FOUND, b"", "text/plain", {"Location": target})
        elif url.path.startswith("/static/"):
            self._send_static(url.path.removeprefix("/static/"))
        else:
            self._send_error(HTTPStatus.NOT_FOUND, f"There is no page at {url.path}.")

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        if urlsplit(self.path).path != "/signup":
            self._send_error(HTTPStatus.METHOD_NOT_ALLOWED, "Only /signup takes a POST.")
            return
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        email = form.get("email", [""])[0].strip()
        if not EMAIL_ADDRESS.fullmatch(email):
            error = "Enter an email address such as name@example.com."
            page = render_page("/signup", self.base_url, self.server.brand, email=email, error=error)
            self._send_html(page, HTTPStatus.BAD_REQUEST)
            return
        try:
            send(compose_welcome(email, self.base_url, self.server.brand), smtp_port(self.server.smtp_port))
        except MailNotSent as exc:
            page = render_page("/signup", self.base_url, self.server.brand, email=email, error=f"Sorry, {exc}.")
            self._send_html(page, HTTPStatus.BAD_GATEWAY)
            return
        self._send_html(render_page("/signup", self.base_url, self.server.brand, sent_to=email))

    def _send_static(self, relative: str) -> None:
        target = (STATIC / relative).resolve()
        if STATIC.resolve() not in target.parents or not target.is_file():
            self._send_error(HTTPStatus.NOT_FOUND, f"There is no file at /static/{relative}.")
            return
        content_type = CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
        self._send(HTTPStatus.OK, target.read_bytes(), content_type or "application/octet-stream")

    def _send_error(self, status: HTTPStatus, explanation: str) -> None:
        self._send(status, f"{status.value} {status.phrase}: {explanation}\n".encode(), "text/plain; charset=utf-8")

    def _send_html(self, html: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, html.encode("utf-8"), "text/html; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class DemoSite(ServedInThread):
    """The demo site served from a thread; `smtp_port` None: ONEVOICE_SMTP_PORT, else 8025;
    `brand`: the content its pages and welcome email are written from."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, smtp_port: int | None = None, brand: DemoBrand = QUILLORY
    ) -> None:
        server = _Server((host, port), _Handler)
        server.smtp_port = smtp_port
        server.brand = brand
        super().__init__(server, "onevoice-demo-site")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onevoice.demo.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--smtp-port", type=int, default=None, help="default: ONEVOICE_SMTP_PORT, else 8025")
    args = parser.parse_args(argv)
    try:
        site = DemoSite(args.host, args.port, args.smtp_port)
    except OSError as exc:
        parser.error(f"cannot listen on {args.host}:{args.port} ({exc.strerror}); pick another --port")
    with site:
        print(f"Quillory demo site on {site.url} (Ctrl-C stops it)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
