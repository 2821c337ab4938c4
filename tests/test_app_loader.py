"""`channel: app` touchpoints in journeys: the shapes, and the saved screens' files checked before any run."""

from __future__ import annotations

import shutil
import struct
import textwrap
import zlib
from pathlib import Path

import pytest

from onevoice.loader import JourneyLoadError, json_schema, load_journey
from onevoice.model import Step

APP_DATA = Path(__file__).parent / "data" / "app"


def write(folder: Path, touchpoints: str) -> Path:
    path = folder / "app.yaml"
    path.write_text("name: App\ntouchpoints:\n" + textwrap.indent(textwrap.dedent(touchpoints), "  "), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(JourneyLoadError) as caught:
        load_journey(path, path.name, environ={}, checks={}, devices=())
    return [str(problem) for problem in caught.value.problems]


def test_appium_and_saved_screens_load_with_steps_and_absolute_paths(tmp_path):
    shutil.copytree(APP_DATA, tmp_path / "app")
    path = write(tmp_path, """\
        - id: app-home
          channel: app
          device: Pixel 7
          app:
            source: appium
            server: http://127.0.0.1:4723
            capabilities: {platformName: Android, "appium:automationName": UiAutomator2}
            timeout: 10s
          steps:
            - tap: "~Shop now"
            - type: {target: "id=email", value: "qa@example.test"}
            - swipe: up
            - wait_for: "text=Welcome"
            - back
        - id: app-offer
          channel: app
          app: {source: files, screenshot: app/ios-home.png, hierarchy: app/ios-home.xml}
        """)
    journey = load_journey(path, environ={}, checks={}, devices=())
    home, offer = journey.journey.touchpoints
    assert [step.action for step in home.steps] == ["tap", "type", "swipe", "wait_for", "back"]
    assert home.app.capabilities["appium:automationName"] == "UiAutomator2"
    assert home.app.timeout_seconds == 10 and home.device_label == "Pixel 7"
    assert offer.app.screenshot == str((tmp_path / "app" / "ios-home.png").resolve())
    assert offer.device_label == "App"
    assert Step.model_validate("back").action == "back"


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels and holds none."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_saved_screen_files_are_checked_at_load_with_their_lines(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"not an image")
    (tmp_path / "bomb.png").write_bytes(png_header(60000, 60000))
    (tmp_path / "page.html").write_text("<html><body>hello</body></html>", encoding="utf-8")
    shutil.copy(APP_DATA / "ios-home.png", tmp_path / "screen.png")
    path = write(tmp_path, """\
        - id: missing
          channel: app
          app: {source: files, screenshot: nowhere.png}
        - id: unreadable
          channel: app
          app: {source: files, screenshot: broken.png}
        - id: unknown-format
          channel: app
          app:
            source: files
            screenshot: screen.png
            hierarchy: page.html
        - id: bomb
          channel: app
          app: {source: files, screenshot: bomb.png}
        """)
    assert problems_of(path) == [
        "app.yaml:5: touchpoints[0].app.screenshot: screenshot 'nowhere.png' not found "
        "(paths are relative to the file that names them)",
        "app.yaml:8: touchpoints[1].app.screenshot: screenshot 'broken.png': not an image; "
        "save screenshots as PNG or JPEG",
        "app.yaml:14: touchpoints[2].app.hierarchy: hierarchy file 'page.html': an XML document with root <html>; "
        "expected Appium page source (UiAutomator2 or XCUITest), a uiautomator dump or a Maestro hierarchy JSON",
        "app.yaml:17: touchpoints[3].app.screenshot: screenshot 'bomb.png': too many pixels for a screen "
        "(a decompression bomb?)",
    ]


@pytest.mark.parametrize(
    ("touchpoint", "message"),
    [
        ("{id: a, channel: app}", "an app touchpoint needs 'app' (its source: appium or files)"),
        ("{id: a, channel: app, app: {source: files}}", "source 'files' needs screenshot (and optionally hierarchy)"),
        ("{id: a, channel: app, app: {source: appium}}", "source 'appium' needs capabilities (at least platformName)"),
        ("{id: a, channel: app, app: {source: appium, capabilities: {platformName: iOS}, screenshot: a.png}}",
         "source 'appium' takes no screenshot"),
        ("{id: a, channel: app, url: 'http://x.test/', app: {source: appium, capabilities: {platformName: iOS}}}",
         "an app touchpoint takes no url, follow, mask or http_credentials"),
        ("{id: a, channel: app, app: {source: appium, capabilities: {platformName: iOS}}, steps: [{click: '#go'}]}",
         "'click' is not a step for channel: app; use tap, type, swipe, wait_for, back"),
        ("{id: a, channel: app, app: {source: appium, capabilities: {platformName: iOS}}, steps: [{tap: 'Shop now'}]}",
         "'Shop now' is not a locator; write ~accessibility id, id=resource id, text=visible text, or an //xpath"),
        ("{id: a, url: 'http://x.test/', steps: [{tap: '~Go'}]}",
         "'tap' is not a step for channel: web; use fill, click, press, select, hover, scroll, wait_for"),
        ("{id: a, url: 'http://x.test/', app: {source: appium, capabilities: {platformName: iOS}}}", "'app' is only for channel: app"),
    ],
)
def test_app_touchpoint_shapes_are_load_errors(tmp_path, touchpoint, message):
    path = write(tmp_path, f"- {touchpoint}\n")
    problems = problems_of(path)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.endswith(message), problem
    assert problem.startswith("app.yaml:3: touchpoints[0]")


def test_the_schema_knows_app_touchpoints():
    schema = json_schema()
    assert "app" in str(schema["$defs"]["Touchpoint"]["properties"]["channel"])
    assert set(schema["$defs"]["AppSource"]["properties"]) >= {"source", "server", "capabilities", "screenshot"}
