"""Hostile suite: an email runs no script and sends no packet (issue: untrusted content stays inert).

A hostile email references a loopback server in every way a document can (script, fetch, XHR,
beacon, WebSocket, EventSource, workers, service worker, WebRTC, iframe, prefetch, preconnect,
DNS prefetch, stylesheet, @import, font, CSS url(), image, srcset, picture, video poster, audio,
object, embed, input image, SVG image, table background, meta refresh, form auto-submission,
speculation rules), and local files. The server counts every TCP accept and UDP datagram, not only HTTP requests.
The email is rendered from a file and from the SMTP catcher, in a browser that writes Chromium's
net log, which shows whether any host name was looked up.
"""

from __future__ import annotations

import json
import smtplib
import socket
import threading
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image as PILImage

from onevoice.browser import choose_browser
from onevoice.email.catcher import SmtpCatcher
from onevoice.email.isolation import with_policy
from onevoice.email.render import capture_email
from onevoice.model import Touchpoint

pytestmark = [pytest.mark.hostile, pytest.mark.browser]

OWN_TEXT = "Your order has shipped"
PROBE_HOSTS = ("probe-dns.example", "probe-img.example", "probe-preconnect.example", "probe-anchor.example")


class ConnectionRecorder:
    """A loopback port that records every TCP connection accepted and every UDP datagram received."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.seen: list[tuple[str, bytes]] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True), threading.Thread(target=self._receive, daemon=True)]
        for thread in self._threads:
            thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.tcp.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    first = connection.recv(200)
                except OSError:
                    first = b""
                self.seen.append(("tcp", first.split(b"\r\n")[0]))

    def _receive(self) -> None:
        while True:
            try:
                datagram, _ = self.udp.recvfrom(2048)
            except OSError:
                return
            self.seen.append(("udp", datagram[:20]))

    def close(self) -> None:
        for sock in (self.tcp, self.udp):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def hostile_html(port: int, logo_src: str) -> str:
    base = f"http://127.0.0.1:{port}"
    return f"""<!doctype html>
<html lang="en"><head>
<meta http-equiv="refresh" content="0;url={base}/refresh">
<link rel="stylesheet" href="{base}/style.css">
<link rel="prefetch" href="{base}/prefetch">
<link rel="preload" as="image" href="{base}/preload.png">
<link rel="modulepreload" href="{base}/module.js">
<link rel="preconnect" href="{base}/">
<link rel="preconnect" href="http://probe-preconnect.example/">
<link rel="dns-prefetch" href="//probe-dns.example">
<link rel="icon" href="{base}/favicon.ico">
<link rel="manifest" href="{base}/manifest.json">
<link rel="prerender" href="{base}/prerender">
<script type="speculationrules">{{"prefetch": [{{"source": "list", "urls": ["{base}/speculation"]}}]}}</script>
<style>
  @import url("{base}/import.css");
  @font-face {{ font-family: Tracker; src: url("{base}/font.woff2"); }}
  body {{ font-family: Tracker, sans-serif; background-image: url("{base}/background.png"); }}
</style>
<script src="{base}/script.js"></script>
<script>
  document.title = "SCRIPT RAN";
  document.addEventListener("DOMContentLoaded", () => {{ document.getElementById("own").textContent = "SCRIPT WROTE THIS"; }});
  try {{ fetch("{base}/fetch"); }} catch (e) {{}}
  try {{ navigator.sendBeacon("{base}/beacon", "x"); }} catch (e) {{}}
  try {{ new WebSocket("ws://127.0.0.1:{port}/socket"); }} catch (e) {{}}
  try {{ new EventSource("{base}/events"); }} catch (e) {{}}
  try {{ const xhr = new XMLHttpRequest(); xhr.open("GET", "{base}/xhr"); xhr.send(); }} catch (e) {{}}
  try {{ new Worker(URL.createObjectURL(new Blob(['fetch("{base}/worker")']))); }} catch (e) {{}}
  try {{ navigator.serviceWorker.register("{base}/service-worker.js"); }} catch (e) {{}}
  try {{
    const peer = new RTCPeerConnection({{iceServers: [{{urls: "stun:127.0.0.1:{port}"}},
      {{urls: "turn:127.0.0.1:{port}?transport=tcp", username: "u", credential: "c"}}]}});
    peer.createDataChannel("x");
    peer.createOffer().then((offer) => peer.setLocalDescription(offer));
  }} catch (e) {{}}
  try {{ fetch("http://probe-dns.example/"); }} catch (e) {{}}
  setTimeout(() => {{ location.href = "{base}/navigated"; }}, 100);
</script>
</head>
<body background="{base}/body-background.png">
<p id="own">{OWN_TEXT}</p>
<img src="{logo_src}" alt="Inline logo" width="40" height="20">
<img src="{base}/image.png" alt="Remote image">
<img src="http://probe-img.example/pixel.png" alt="Named host image">
<img src="file:///etc/hostname" alt="Local file">
<iframe src="file:///etc/passwd"></iframe>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" srcset="{base}/srcset.png 2x" alt="srcset">
<picture><source srcset="{base}/picture.png"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="picture"></picture>
<iframe src="{base}/iframe"></iframe>
<iframe srcdoc="<script>fetch('{base}/srcdoc')</script><img src='{base}/srcdoc.png'>"></iframe>
<video poster="{base}/poster.png" src="{base}/video.mp4"></video>
<audio src="{base}/audio.mp3" autoplay></audio>
<object data="{base}/object"></object>
<embed src="{base}/embed">
<input type="image" src="{base}/input.png" alt="input">
<svg width="10" height="10"><image href="{base}/svg-image.png" width="10" height="10"/></svg>
<table background="{base}/table-background.png"><tr><td>cell</td></tr></table>
<div style="background: url('{base}/inline-style.png')">styled</div>
<form id="form" action="{base}/form" method="post"><input name="a" value="b"></form>
<script>document.getElementById("form").submit();</script>
<a href="http://probe-anchor.example/offer" ping="{base}/ping">Claim your offer</a>
</body></html>"""


def logo_png() -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (40, 20), (31, 79, 216)).save(buffer, "PNG")
    return buffer.getvalue()


def hostile_message(port: int) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "Hostile shipping notice"
    message["From"] = "attacker@example.test"
    message["To"] = "qa+hostile@example.test"
    message["Message-ID"] = "<hostile-1@example.test>"
    message.set_content(f"{OWN_TEXT}.")
    message.add_alternative(hostile_html(port, "cid:logo@hostile"), subtype="html")
    message.get_payload()[1].add_related(logo_png(), "image", "png", cid="<logo@hostile>")
    return message


@pytest.fixture
def recorder():
    server = ConnectionRecorder()
    yield server
    server.close()


@pytest.fixture
def logged_browser(loop, playwright, tmp_path):
    """A Chromium of its own that writes its net log (host lookups, sockets) to a file."""
    choice = choose_browser(playwright.chromium.executable_path)
    if choice.endpoints:
        pytest.skip("the net log needs a browser launched here, not ONEVOICE_BROWSER_WS")
    log = tmp_path / "netlog.json"
    browser = loop.run(
        playwright.chromium.launch(
            executable_path=choice.executable, args=[*choice.launch_args, f"--log-net-log={log}", "--net-log-capture-mode=Everything"]
        )
    )
    closed = []

    def close_and_read() -> dict:
        if not closed:
            loop.run(browser.close())
            closed.append(True)
        text = log.read_text()
        try:
            return json.loads(text)
        except ValueError:  # a log cut short still holds its events
            return json.loads(text.rstrip().rstrip(",") + "]}")

    yield browser, close_and_read
    if not closed:
        loop.run(browser.close())


def render(loop, browser, source: dict, tmp_path: Path, spool: Path | None = None):
    touchpoint = Touchpoint(id="hostile", channel="email", email=source)
    coroutine = capture_email(browser, touchpoint, devices={}, spool=spool, artifacts=tmp_path, folder="hostile")
    return loop.run(coroutine, timeout=120)


def assert_shows_its_own_content(capture) -> None:
    assert capture.ok, capture.error
    texts = " ".join(block.text for block in capture.texts)
    assert OWN_TEXT in texts and "SCRIPT WROTE THIS" not in texts and "SCRIPT RAN" not in texts
    assert capture.meta.title != "SCRIPT RAN"
    assert capture.url is None or capture.url.startswith("mid:")  # still the email, not a page it navigated to
    images = {image.alt: image.loaded for image in capture.images if image.alt}
    assert images["Inline logo"] is True  # inline content renders
    assert not any(loaded for alt, loaded in images.items() if alt != "Inline logo")
    assert any(link.text == "Claim your offer" for link in capture.links)


def test_a_hostile_email_runs_no_script_and_reaches_nothing(loop, logged_browser, recorder, tmp_path):
    browser, net_log = logged_browser
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "logo.png").write_bytes(logo_png())
    (folder / "hostile.html").write_text(hostile_html(recorder.port, "logo.png"), encoding="utf-8")
    (folder / "hostile.eml").write_bytes(bytes(hostile_message(recorder.port)))

    from_html = render(loop, browser, {"source": "file", "path": str(folder / "hostile.html")}, tmp_path / "html")
    from_eml = render(loop, browser, {"source": "file", "path": str(folder / "hostile.eml")}, tmp_path / "eml")
    with SmtpCatcher(tmp_path / "spool", port=0) as catcher:
        with smtplib.SMTP("127.0.0.1", catcher.port, timeout=10) as client:
            client.send_message(hostile_message(recorder.port))
        source = {"source": "smtp", "match": {"subject": "Hostile shipping"}, "timeout": "10s"}
        from_smtp = render(loop, browser, source, tmp_path / "smtp", spool=catcher.spool)

    for capture in (from_html, from_eml, from_smtp):
        assert_shows_its_own_content(capture)
    assert from_smtp.email.subject == "Hostile shipping notice"
    log = net_log()
    assert recorder.seen == []
    event_names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    lookups = [
        (event_names.get(event["type"]), host)
        for event in log["events"]
        for host in PROBE_HOSTS
        if event_names.get(event["type"], "").startswith(("HOST_RESOLVER", "DNS_"))
        and host in json.dumps(event.get("params", {}))
    ]
    assert lookups == []
    connects = [
        event["params"]
        for event in log["events"]
        if event_names.get(event["type"]) in ("TCP_CONNECT_ATTEMPT", "UDP_CONNECT") and str(recorder.port) in json.dumps(event.get("params", {}))
    ]
    assert connects == []


def test_the_policy_comes_first_whatever_the_email_holds():
    policy = with_policy("<p>x</p>")
    assert policy.startswith('<meta http-equiv="Content-Security-Policy"') and policy.endswith("<p>x</p>")
    doctype = with_policy("\ufeff<!-- note --><!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN'>\n<html><head>")
    assert doctype.startswith("\ufeff<!-- note --><!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN'><meta http-equiv=")
    fooled = with_policy("<!doctype html>\r\n<!-- <head> --><html><head><title>t</title>")
    assert fooled.startswith("<!doctype html><meta http-equiv=")
    late = with_policy("<p>text</p><!doctype html>")
    assert late.startswith("<meta http-equiv=")
