"""App benchmark (issue 13): extracting an app screen, and what onevoice adds to Appium's own calls.

Extraction: every saved screen onevoice can find (the shared corpus's real Android screens, the
demo app's screens, the test fixtures for iOS and Maestro), each timed `--repeat` times as three
parts: decoding the screenshot, parsing the hierarchy, and turning both into facts (visibility,
bars, colours sampled from the pixels); then the whole saved-screen capture (those plus writing the
screenshot and the logo crops). CPU time of this process, so that other work on the machine does not
count. Target: a few tens of milliseconds per screen.

Appium path: the suite's Appium server (tools/appium: Appium 3, its fake driver and the screens
plugin, installed by `make test-services`) with one session on the demo app's screens. Timed
alternately, `--repeat` times each: the driver's own calls a capture needs (screenshot, page
source) through the Appium Python client, and onevoice's capture of the same screen in the same
session (those calls plus extraction); and a `wait_for` step against the client's own find.

    .venv/bin/python bench/app.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image as PILImage

from onevoice.capture.app.appium import AppiumSession, _wait_for, capture_appium, locator
from onevoice.capture.app.capture import capture_saved_screen
from onevoice.capture.app.hierarchy import parse_hierarchy
from onevoice.capture.app.screen import screen_facts
from onevoice.model import AppSource, Touchpoint

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the suite's Appium server helper

from appium_server import appium_server, missing_reason  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "app" / "uiautomator"
DEMO = REPO / "journeys" / "app"
FIXTURES = REPO / "tests" / "data" / "app"


def screens() -> list[tuple[str, Path, Path]]:
    """(name, screenshot, hierarchy) of every saved screen found."""
    found = []
    for folder in (CORPUS, DEMO, FIXTURES):
        if not folder.is_dir():
            continue
        for hierarchy in sorted([*folder.glob("*.xml"), *folder.glob("*.json")]):
            shots = [path for path in folder.glob(f"{hierarchy.stem}.*") if path.suffix in (".png", ".jpg")]
            if shots:
                found.append((f"{folder.name}/{hierarchy.stem}", shots[0], hierarchy))
    return found


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f}"


def extraction(repeat: int, artifacts: Path) -> None:
    print(f"extraction, median CPU ms of {repeat} (CPU time: the machine may be shared; decode = screenshot to "
          "pixels, facts = visibility, bars, colours; capture = the whole saved-screen capture, files written)")
    print(f"  {'screen':44} {'size':>10} {'nodes':>6} {'decode':>7} {'parse':>7} {'facts':>7} {'total':>7} {'capture':>8}")
    totals, captures = [], []
    for name, shot, source in screens():
        data, text = shot.read_bytes(), source.read_bytes()
        decode, parse, facts, capture = [], [], [], []
        touchpoint = Touchpoint(id="screen", channel="app", app=AppSource(
            source="files", screenshot=str(shot), hierarchy=str(source)))
        for _ in range(repeat):
            started = time.process_time()
            image = PILImage.open(io.BytesIO(data))
            image.load()
            decoded = time.process_time()
            hierarchy = parse_hierarchy(text)
            parsed = time.process_time()
            screen_facts(hierarchy, image)
            done = time.process_time()
            capture_saved_screen(touchpoint, artifacts=artifacts, folder="bench")
            captured = time.process_time()
            decode.append(decoded - started)
            parse.append(parsed - decoded)
            facts.append(done - parsed)
            capture.append(captured - done)
        nodes = sum(1 for _ in hierarchy.root.walk())
        total = [a + b + c for a, b, c in zip(decode, parse, facts)]
        totals.append(statistics.median(total))
        captures.append(statistics.median(capture))
        size = "x".join(map(str, image.size))
        print(f"  {name:44} {size:>10} {nodes:6d} {ms(decode)} {ms(parse)} {ms(facts)} {ms(total)} {ms(capture):>8}")
    print(f"extraction per screen: median {statistics.median(totals) * 1000:.1f} ms, max {max(totals) * 1000:.1f} ms; "
          f"saved-screen capture median {statistics.median(captures) * 1000:.1f} ms, max {max(captures) * 1000:.1f} ms")


def appium_path(repeat: int, artifacts: Path) -> None:
    reason = missing_reason()
    if reason:
        print(f"appium path: skipped: {reason}")
        return
    capabilities = {
        "platformName": "Fake",
        "appium:automationName": "Fake",
        "appium:app": str(FIXTURES / "app-consistent.xml"),
        "onevoice:screens": str(FIXTURES / "screens.json"),
    }
    with appium_server(artifacts / "appium.log") as server:
        source = AppSource(source="appium", server=server, capabilities=capabilities, timeout="10s")
        session = AppiumSession(source)
        driver = session.start()
        print(f"appium path: Appium at {server}, session started in {session.opened * 1000:.0f} ms")
        touchpoint = Touchpoint(id="screen", channel="app", app=source)
        strategy, value = locator("text=Claim offer")
        own, ours, own_find, our_wait = [], [], [], []
        for _ in range(repeat):
            started = time.perf_counter()
            driver.get_screenshot_as_png()
            driver.page_source
            own.append(time.perf_counter() - started)
            started = time.perf_counter()
            capture = capture_appium(touchpoint, session, artifacts=artifacts, folder="bench")
            ours.append(time.perf_counter() - started)
            assert capture.ok, capture.error
            started = time.perf_counter()
            driver.find_elements(strategy, value)
            own_find.append(time.perf_counter() - started)
            started = time.perf_counter()
            _wait_for(driver, "text=Claim offer", 1, "wait_for", 10.0)
            our_wait.append(time.perf_counter() - started)
        session.close()
    print(f"  driver's own calls (screenshot + page source): {ms(own)} ms")
    print(f"  onevoice capture of the same screen:           {ms(ours)} ms "
          f"(+{(statistics.median(ours) - statistics.median(own)) * 1000:.1f} ms: extraction and files)")
    print(f"  client find_elements:                          {ms(own_find)} ms")
    print(f"  onevoice wait_for step (target present):       {ms(our_wait)} ms")
    print(f"ratio capture / driver's calls: {statistics.median(ours) / statistics.median(own):.2f}x; "
          f"wait_for / find_elements: {statistics.median(our_wait) / statistics.median(own_find):.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-appium", action="store_true", help="time extraction only")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="onevoice-bench-app-") as folder:
        extraction(args.repeat, Path(folder))
        if not args.skip_appium:
            appium_path(args.repeat, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
