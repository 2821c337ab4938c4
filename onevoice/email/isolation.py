"""An email renders as a mail client shows it: no script runs and nothing is fetched.

An email is written by someone else, and a mail client neither runs its scripts nor loads
what the reader did not allow. onevoice renders an email from its own content only: the HTML
part, with its `cid:` parts (and, for a bare .html file, the files beside it) already inlined as
`data:` URIs by `onevoice.email.inline`. Four layers do it. They were measured against a hostile
email (every kind of reference, pointing at a loopback server that counts every TCP accept and
UDP datagram; Chromium's net log for host lookups), each layer left out in turn:

- `refuse_requests` (route), needed: every request is aborted, except that a top-level
  navigation (`<meta http-equiv=refresh>`, which works without scripts) is answered 204 No
  Content, which leaves the email in place; aborting it would replace the email with an error
  page. Interception does not see WebSocket, WebRTC, `<link rel=prefetch>` or preconnects.
- `proxy` (context) at a loopback port this process holds without listening (`refusing_proxy`),
  needed: the sockets Chromium opens ahead of requests (`<link rel=preconnect>`, preconnects to
  the origins a document names), which neither interception nor the policy see, go there and are
  refused; and behind a proxy Chromium resolves no host names itself (no DNS prefetch or lookup).
- `java_script_enabled=False` (context), needed unless the policy holds: no script, so no fetch,
  XHR, beacon, WebSocket, EventSource, worker, service worker, WebRTC (STUN/TURN), form
  auto-submission, script navigation, nor text written by a script.
- `EMAIL_POLICY`, a Content-Security-Policy made the document's first element (`with_policy`):
  it also stops scripts, so it and the previous layer back each other up; and nothing the email
  names is even requested, so a `<link rel=prefetch>` does not reach the proxy address (which a
  remote browser server, `ONEVOICE_BROWSER_WS`, resolves on its own machine).
- Not used: `offline=True` (preconnect sockets were still opened, and it stops nothing the layers
  above let through) and `service_workers="block"` (registering one takes a script).
"""

from __future__ import annotations

import socket
import threading
from html.parser import HTMLParser

EMAIL_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline' data:; font-src data:; media-src data:; "
    "form-action 'none'"
)
_POLICY_TAG = f'<meta http-equiv="Content-Security-Policy" content="{EMAIL_POLICY}">'

_held_port: socket.socket | None = None
_port_lock = threading.Lock()


def refusing_proxy() -> str:
    """A proxy URL at a loopback port that this process holds without listening, so that every
    connection to it is refused and nobody else can listen there. (A remote browser server,
    `ONEVOICE_BROWSER_WS`, sees that address on its own machine: the other layers still hold.)"""
    global _held_port
    with _port_lock:
        if _held_port is None:
            held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.bind(("127.0.0.1", 0))
            _held_port = held
        return f"http://127.0.0.1:{_held_port.getsockname()[1]}"


def isolated_context_options() -> dict:
    """`browser.new_context(...)` options of an email's context, beside its device's."""
    return {"java_script_enabled": False, "proxy": {"server": refusing_proxy(), "bypass": ""}}


async def refuse_requests(route) -> None:
    """Route handler for an email page: nothing is fetched, and the email stays the page."""
    request = route.request
    if request.is_navigation_request() and request.frame.parent_frame is None:
        await route.fulfill(status=204)
    else:
        await route.abort("blockedbyclient")


class _DoctypeEnd(HTMLParser):
    """Finds where the document's doctype ends, if it comes before any tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.end: tuple[int, int] | None = None  # (line, column) just after the doctype
        self.done = False

    def handle_decl(self, decl: str) -> None:
        if not self.done and decl.lower().startswith("doctype"):
            line, column = self.getpos()
            self.end = (line, column + len(decl) + 3)  # "<!" + decl + ">"
        self.done = True

    def handle_starttag(self, tag, attrs) -> None:
        self.done = True

    def handle_endtag(self, tag) -> None:
        self.done = True

    def handle_data(self, data: str) -> None:
        if data.strip(" \t\r\n\f\ufeff"):
            self.done = True


def with_policy(html: str) -> str:
    """`html` with `EMAIL_POLICY` as its first element, right after the doctype when there is one.

    Inserted there, the policy's `<meta>` is parsed before anything the email holds: the parser
    opens `<head>` for it, and the email's own `<html>`/`<head>` tags merge into those. (Looking for
    the email's `<head>` instead could be fooled by a `<head>` inside a comment.)"""
    finder = _DoctypeEnd()
    for chunk_start in range(0, len(html), 4096):
        finder.feed(html[chunk_start : chunk_start + 4096])
        if finder.done:
            break
    if finder.end is None:
        return _POLICY_TAG + html
    line, column = finder.end  # HTMLParser counts lines by "\n" only
    offset = sum(len(text) + 1 for text in html.split("\n", line - 1)[: line - 1]) + column
    return html[:offset] + _POLICY_TAG + html[offset:]
