"""Merge benchmark (issue 14): many shard reports merged into one, opened and filtered in Chromium.

It writes `--shards` shard reports of `--journeys` journeys x `--touchpoints` touchpoints each,
as the shards of one suite would: findings.json (with its `shard` record), a small PNG
screenshot per touchpoint and the evidence crops of its findings (no shard index.html: the
merge does not read it). Each journey has two new findings (an error, a warning) and one
accepted, each boxed on a touchpoint, and a messages fact table. Then it times:

- **merge**: `python -m onevoice merge DIR... --report OUT` as a process (imports included):
  wall time, and its CPU time (user + system);
- **open**: the merged index.html loaded from disk in Chromium (`page.goto` until the load
  event): wall time, and the CPU time of the page's main thread (Chromium's TaskDuration in
  thread ticks), which a loaded machine does not inflate;
- **filter**: each filter control changed in the open page, timed in the page from the change
  event to the next frame (the handler, style and layout), and its main-thread CPU time.

    .venv/bin/python bench/merge.py [--shards 50] [--journeys 20] [--touchpoints 5] [--repeat 3]

Targets: merge < 10 s, open < 3 s, every filter < 200 ms (50 x 20 x 5).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from PIL import Image, ImageDraw

from onevoice.facts import Capture
from onevoice.findings import Cell, Evidence, Finding, Matrix
from onevoice.report.crops import prepare_images
from onevoice.report.json_output import write_findings_json
from onevoice.outcome import JourneyResult, RunResult
from onevoice.shard import ShardInfo

STARTED = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
DEVICES = ("Desktop Chrome", "iPhone 13")
SHOT_SIZES = {"Desktop Chrome": (320, 480), "iPhone 13": (160, 340)}  # small: the bench is about counts
TIME_FILTER = """async ([id, value]) => {
  const control = document.getElementById(id);
  const started = performance.now();
  if (control.type === "checkbox") { control.checked = value === "on"; } else { control.value = value; }
  control.dispatchEvent(new Event("change", {bubbles: true}));
  document.body.getBoundingClientRect();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return [performance.now() - started, document.getElementById("filter-count").textContent];
}"""


def screenshot_bytes(size: tuple[int, int]) -> bytes:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, size[0] - 8, 40), fill="#1f4fd8")
    draw.rectangle((8, 60, size[0] // 2, 80), fill="#111827")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def journey_result(folder: Path, slug: str, touchpoints: int, shots: dict[str, bytes]) -> JourneyResult:
    """A journey as a shard reports it; writes its screenshots into `folder`/screens/."""
    captures = []
    for number in range(touchpoints):
        device = DEVICES[number % len(DEVICES)]
        relative = f"screens/{slug}/tp{number}.png"
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(shots[device])
        captures.append(Capture(touchpoint=f"tp{number}", channel="web", device=device,
                                url=f"http://127.0.0.1:8000/{slug}/{number}", screenshot=relative, seconds=0.4))
    ids = [capture.touchpoint for capture in captures]

    def finding(rule: str, severity: str, touchpoint: str, subject: str, state: str = "new") -> Finding:
        return Finding(check=rule.split(".")[0], rule=rule, severity=severity, touchpoints=(touchpoint,), subject=subject,
                       message=f"{touchpoint}: {rule} about {subject}", expected="Free delivery on every order",
                       actual="Free delivery", state=state, evidence=(Evidence(touchpoint=touchpoint, box=(8, 60, 80, 20)),))

    findings = (
        finding("messaging.mismatch", "error", ids[-1], "promise"),
        finding("social.missing", "warning", ids[0], "instagram"),
        finding("brand.color", "error", ids[len(ids) // 2], "cta", state="accepted"),
    )
    matrix = Matrix(id="messages", title="Messages", rows=("promise",), columns=tuple(ids),
                    expected={"promise": "Free delivery on every order"},
                    cells={"promise": {tp: Cell(status="ok" if tp != ids[-1] else "reworded", value="Free delivery") for tp in ids}})
    return JourneyResult(name=f"Journey {slug}", file=f"journeys/{slug}.yaml", slug=slug, captures=tuple(captures),
                         findings=findings, matrices=(matrix,), checks=("messaging", "social", "brand"), seconds=2.0)


def write_shards(root: Path, shards: int, journeys: int, touchpoints: int) -> list[Path]:
    shots = {device: screenshot_bytes(size) for device, size in SHOT_SIZES.items()}
    files = tuple(f"journeys/s{s:03d}-j{j:03d}.yaml" for s in range(shards) for j in range(journeys))
    folders = []
    for index in range(1, shards + 1):
        folder = root / f"shard-{index}"
        results = tuple(
            journey_result(folder, f"s{index - 1:03d}-j{j:03d}", touchpoints, shots) for j in range(journeys)
        )
        info = ShardInfo(index=index, total=shards, suite="sha256:bench", journeys=files)
        run = RunResult(started=STARTED, seconds=60.0, journeys=results, shard=info)
        write_findings_json(run, folder, prepare_images(run, folder))
        folders.append(folder)
    return folders


def time_merge(folders: list[Path], out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of `onevoice merge` as a process."""
    command = [sys.executable, "-m", "onevoice", "merge", *map(str, folders), "--report", str(out)]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 1:  # the generated findings include new errors
        raise SystemExit(f"onevoice merge exited {done.returncode}:\n{done.stderr[-2000:]}")
    return seconds, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def time_page(index: Path) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """In one Chromium page: (goto seconds, the page's main-thread CPU seconds for it,
    filter -> (milliseconds in the page, main-thread CPU milliseconds)). The CPU figures hold
    on a loaded machine, where the wall-clock ones mostly measure waiting for a core."""
    from playwright.async_api import async_playwright

    from onevoice.browser import launch

    async with async_playwright() as playwright:
        browser = await launch(playwright)
        page = await browser.new_page(viewport={"width": 1440, "height": 900})
        metrics = await page.context.new_cdp_session(page)
        await metrics.send("Performance.enable", {"timeDomain": "threadTicks"})

        async def cpu() -> float:
            values = (await metrics.send("Performance.getMetrics"))["metrics"]
            return next(metric["value"] for metric in values if metric["name"] == "TaskDuration")

        before, started = await cpu(), time.perf_counter()
        await page.goto(index.as_uri(), wait_until="load", timeout=600_000)
        opened, open_cpu = time.perf_counter() - started, await cpu() - before
        rule = await page.evaluate("() => document.querySelector('#filter-rule option:nth-child(2)').value")
        touchpoint = await page.evaluate("() => document.querySelector('#filter-touchpoint option:nth-child(3)').value")
        filters = {}
        for label, control, value in (
            (f"rule = {rule}", "filter-rule", rule),
            ("rule = all", "filter-rule", ""),
            (f"touchpoint = {touchpoint}", "filter-touchpoint", touchpoint),
            ("touchpoint = all", "filter-touchpoint", ""),
            ("severity = error", "filter-severity", "error"),
            ("failures only", "filter-failures", "on"),
            ("failures only off", "filter-failures", "off"),
        ):
            before = await cpu()
            milliseconds, _ = await page.evaluate(TIME_FILTER, [control, value])
            filters[label] = (milliseconds, (await cpu() - before) * 1000)
        await browser.close()
    return opened, open_cpu, filters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=50)
    parser.add_argument("--journeys", type=int, default=20, help="per shard")
    parser.add_argument("--touchpoints", type=int, default=5, help="per journey")
    parser.add_argument("--repeat", type=int, default=3, help="timings are medians of this many")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="onevoice-bench-merge-") as temp:
        root = Path(temp)
        started = time.perf_counter()
        folders = write_shards(root, args.shards, args.journeys, args.touchpoints)
        generated = time.perf_counter() - started
        merges = [time_merge(folders, root / f"merged-{n}") for n in range(args.repeat)]
        index = root / "merged-0" / "index.html"
        pages = [asyncio.run(time_page(index)) for _ in range(args.repeat)]
        size = index.stat().st_size
    total = args.shards * args.journeys
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}")
    print(f"shards: {args.shards} x {args.journeys} journeys x {args.touchpoints} touchpoints = "
          f"{total} journeys, {total * args.touchpoints} touchpoints, {total * 3} findings "
          f"(generated in {generated:.1f} s), median of {args.repeat}")
    print(f"merge {statistics.median(m[0] for m in merges):.2f} s wall, {statistics.median(m[1] for m in merges):.2f} s CPU (target < 10 s)")
    print(f"open {statistics.median(p[0] for p in pages):.2f} s wall to the load event, "
          f"{statistics.median(p[1] for p in pages):.2f} s main-thread CPU, index.html {size / 1e6:.1f} MB (target < 3 s)")
    for label in pages[0][2]:
        wall, cpu = (statistics.median(p[2][label][n] for p in pages) for n in (0, 1))
        print(f"filter {label}: {wall:.1f} ms wall, {cpu:.1f} ms CPU")
    slowest = [max(statistics.median(p[2][label][n] for p in pages) for label in pages[0][2]) for n in (0, 1)]
    print(f"filter slowest {slowest[0]:.1f} ms wall, {slowest[1]:.1f} ms CPU (target < 200 ms)")

if __name__ == "__main__":
    main()
