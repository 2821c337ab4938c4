"""App touchpoints through a real Appium server: steps -> screenshot -> page source -> findings.

The server is Appium 3 with its fake driver; the suite's screens plugin (tools/appium) makes the
session show tests/data/app's screens and move between them as an app does: tapping "Claim
offer" on the consistent screen opens the screen with slips, a downward swipe comes back.
"""

from __future__ import annotations

import base64
import json
import threading
import textwrap
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from appium_server import free_port
from onevoice.capture.app.appium import shown_server
from onevoice.loader import load_journey
from onevoice.engine import Engine

DATA = Path(__file__).parent / "data"


def journey_file(folder: Path, server: str, touchpoints: str, capabilities: dict | None = None) -> Path:
    caps = capabilities or {
        "platformName": "Fake",
        "appium:automationName": "Fake",
        "appium:app": str(DATA / "app" / "app-consistent.xml"),
        "onevoice:screens": str(DATA / "app" / "screens.json"),
    }
    text = textwrap.dedent(f"""\
        name: App through Appium
        brand:
          name: Northwind
          logo: [{DATA / "logos" / "logo.png"}, {DATA / "app" / "brand" / "logo-white.png"}]
          colors: {{primary: "#1F4FD8", accent: "#FFB400", ink: "#111827"}}
          social: {{instagram: "https://www.instagram.com/northwind"}}
        messages:
          - {{id: offer, text: "20% off your first order"}}
        touchpoints:
        """) + textwrap.indent(textwrap.dedent(touchpoints), "  ")
    session = {"source": "appium", "server": server, "capabilities": caps, "timeout": "5s"}
    text = text.replace("app: APPIUM", f"app: {json.dumps(session)}")
    path = folder / "journey.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(path: Path, artifacts: Path):
    journey = load_journey(path, environ={}, devices=())
    with Engine(artifacts) as engine:
        (result,) = engine.run([journey])
    return result


def sessions(server: str) -> list:
    with urllib.request.urlopen(f"{server}/appium/sessions", timeout=10) as answer:
        return json.load(answer)["value"]


def test_steps_move_one_session_through_the_app_and_the_screens_are_judged(appium, tmp_path):
    path = journey_file(tmp_path, appium, """\
        - id: home
          channel: app
          device: Fake phone
          app: APPIUM
        - id: offer
          channel: app
          device: Fake phone
          app: APPIUM
          steps:
            - wait_for: "text=Claim offer"
            - tap: "text=Claim offer"
            - wait_for: "text=15% off your first order"
        - id: still-offer
          channel: app
          app: APPIUM
        - id: back-home
          channel: app
          app: APPIUM
          steps:
            - back
            - wait_for: "id=com.northwind.app:id/toolbar"
        - id: swiped-home
          channel: app
          app: APPIUM
          steps:
            - tap: "//android.widget.Button[@text='Claim offer']"
            - wait_for: "text=15% off your first order"
            - swipe: down
            - type: {target: "text=20% off your first order", value: "typed"}
        """)
    result = run(path, tmp_path / "report")
    captures = {capture.touchpoint: capture for capture in result.captures}
    assert all(capture.ok for capture in captures.values()), {tp: c.error for tp, c in captures.items()}
    said = {tp: {block.text for block in capture.texts} for tp, capture in captures.items()}
    assert "20% off your first order" in said["home"]
    assert "15% off your first order" in said["offer"]
    assert "15% off your first order" in said["still-offer"]  # the same session, still on the offer screen
    assert "20% off your first order" in said["back-home"]
    assert "20% off your first order" in said["swiped-home"]
    assert (tmp_path / "report" / captures["offer"].screenshot).is_file()
    found = {(f.rule, tp) for f in result.findings for tp in f.touchpoints}
    assert {("brand.logo_mismatch", "offer"), ("messaging.conflict", "offer"), ("social.missing", "offer")} <= found
    assert not {tp for _, tp in found} & {"home", "back-home", "swiped-home"}
    assert sessions(appium) == []  # closed at the end of the journey


def test_a_step_whose_target_never_appears_says_what_the_screen_shows(appium, tmp_path):
    path = journey_file(tmp_path, appium, """\
        - id: lost
          channel: app
          app: APPIUM
          steps:
            - tap: "~Shop now"
        - id: saved
          channel: app
          app: {source: files, screenshot: %s, hierarchy: %s}
        """ % (DATA / "app" / "app-consistent.png", DATA / "app" / "app-consistent.xml"))
    result = run(path, tmp_path / "report")
    lost, saved = result.captures
    assert lost.error.startswith("step 1 (tap '~Shop now'): nothing matched within 5s; the screen shows ")
    assert "'20% off your first order'" in lost.error and "'Claim offer'" in lost.error
    assert saved.ok  # the other touchpoints are still captured and judged
    assert sessions(appium) == []  # closed after the failure too


def test_a_refused_session_gives_appiums_reason(appium, tmp_path):
    path = journey_file(tmp_path, appium, """\
        - id: refused
          channel: app
          app: APPIUM
        """, capabilities={"platformName": "Fake", "appium:automationName": "NoSuchDriver"})
    (capture,) = run(path, tmp_path / "report").captures
    assert capture.error.startswith(f"Appium at {appium} refused the session: ")
    assert "NoSuchDriver" in capture.error and "\n" not in capture.error


def test_an_unreachable_appium_is_one_line_naming_the_url_and_how_to_start_it(tmp_path):
    server = f"http://127.0.0.1:{free_port()}"
    path = journey_file(tmp_path, server, """\
        - id: first
          channel: app
          app: APPIUM
        - id: second
          channel: app
          app: APPIUM
        """)
    first, second = run(path, tmp_path / "report").captures
    assert first.error == (
        f"Appium is not reachable at {server}; start Appium with `appium` "
        "(npm install -g appium; appium driver install uiautomator2 or xcuitest)"
    )
    assert second.error == first.error  # the session's failure is told once per touchpoint, not retried


def test_the_server_address_loses_its_credentials_and_keeps_its_host_as_written():
    assert shown_server("http://user:key@[::1]:4723/wd/hub") == "http://[::1]:4723/wd/hub"
    assert shown_server("https://qa%40shop:key@hub.cloud.test/wd/hub") == "https://hub.cloud.test/wd/hub"
    assert shown_server("http://127.0.0.1:4723") == "http://127.0.0.1:4723"


def test_a_device_clouds_credentials_never_reach_an_error(tmp_path):
    port = free_port()
    path = journey_file(tmp_path, f"http://user:s3cret-key@127.0.0.1:{port}/wd/hub", """\
        - id: cloud
          channel: app
          app: APPIUM
        """)
    (capture,) = run(path, tmp_path / "report").captures
    assert capture.error.startswith(f"Appium is not reachable at http://127.0.0.1:{port}/wd/hub; ")
    assert "s3cret" not in capture.error


def test_a_device_clouds_credentials_go_as_basic_authentication(tmp_path):
    seen = []

    class Cloud(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server name
            seen.append((self.path, self.headers.get("Authorization")))
            body = json.dumps({"value": {"error": "session not created", "message": "Unknown device 'Pixel 99'"}})
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Cloud) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://qa%40shop:s3cret-key@127.0.0.1:{server.server_port}/wd/hub"
        path = journey_file(tmp_path, url, """\
            - id: cloud
              channel: app
              app: APPIUM
            """)
        (capture,) = run(path, tmp_path / "report").captures
        server.shutdown()
    assert seen == [("/wd/hub/session", "Basic " + base64.b64encode(b"qa@shop:s3cret-key").decode())]
    assert capture.error == f"Appium at http://127.0.0.1:{server.server_port}/wd/hub refused the session: Unknown device 'Pixel 99'"
