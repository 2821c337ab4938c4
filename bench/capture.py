"""Capture benchmark (issue 2): `onevoice run` against a bare Playwright script on the same pages.

Serves the demo site, writes N journeys of two touchpoints (Desktop Chrome and iPhone 13,
one distinct demo URL each) into a temporary folder, and times, as separate processes
started the same way: a bare Playwright script (one browser, a context per capture,
goto, full-page screenshot to a file, as many captures at once as the engine allows),
`onevoice run -n 0` and `onevoice run -n 2`. Each is run `--repeat` times, interleaved;
the medians are printed with their ratios. Target: onevoice within 1.25x of bare for
20 pages x 2 devices, and `-n 2` faster than `-n 0`.

    .venv/bin/python bench/capture.py [--pages 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from onevoice.demo import DemoSite
from onevoice.demo.server import PAGES
from onevoice.engine import RunSettings

DEVICES = ("Desktop Chrome", "iPhone 13")
DEMO_JOURNEYS = Path(__file__).resolve().parent.parent / "journeys"
CONTENDERS = ("bare", "-n 0", "-n 2")
ACCEPTED_EXITS = (0, 1)  # 1: the run found something, which is not a failure of the benchmark


def page_paths(count: int) -> list[str]:
    """`count` distinct demo URLs (relative): the site's pages in turn, each with its own query."""
    pages = sorted(PAGES)
    return [f"{pages[number % len(pages)].lstrip('/')}?page={number}" for number in range(count)]


def write_journeys(folder: Path, base_url: str, paths: list[str]) -> None:
    """One journey per path, each capturing it on every device of DEVICES, with the demo brand profile."""
    shutil.copy(DEMO_JOURNEYS / "brand.yaml", folder / "brand.yaml")
    shutil.copytree(DEMO_JOURNEYS / "brand", folder / "brand")
    for number, path in enumerate(paths):
        touchpoints = "".join(
            f"  - {{id: {device.lower().replace(' ', '-')}, channel: web, device: {device}, url: '{path}'}}\n"
            for device in DEVICES
        )
        (folder / f"page-{number:03d}.yaml").write_text(
            f"name: Bench page {number}\nbrand: brand.yaml\nbase_url: {base_url}\ntouchpoints:\n{touchpoints}",
            encoding="utf-8",
        )


async def bare_capture(urls: list[str], out: Path, concurrency: int) -> None:
    """What a hand-written Playwright script does: each URL on each device, goto + full-page screenshot
    (in CSS pixels, the image onevoice keeps)."""
    from playwright.async_api import async_playwright

    from onevoice.browser import launch

    async with async_playwright() as playwright:
        browser = await launch(playwright)
        slots = asyncio.Semaphore(concurrency)

        async def shoot(number: int, url: str, device: str) -> None:
            args = {k: v for k, v in playwright.devices[device].items() if k != "default_browser_type"}
            async with slots:
                context = await browser.new_context(**args)
                page = await context.new_page()
                await page.goto(url, wait_until="load")
                await page.screenshot(path=str(out / f"{number}-{device}.png"), full_page=True, scale="css")
                await context.close()

        await asyncio.gather(*(shoot(n, url, device) for n, url in enumerate(urls) for device in DEVICES))
        await browser.close()


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and all it waited for (driver, browser)


def timed(command: list[str]) -> Timing:
    """How long `command` takes; raises when it fails."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode not in ACCEPTED_EXITS:
        raise SystemExit(f"{' '.join(command[:4])} ... exited {done.returncode}:\n{done.stderr[-2000:]}")
    return Timing(wall, _children_cpu() - cpu_before)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(pages: int, repeat: int) -> dict[str, Timing]:
    """The median timing of each contender over `repeat` interleaved rounds."""
    concurrency = RunSettings().concurrency
    timings: dict[str, list[Timing]] = {name: [] for name in CONTENDERS}
    with DemoSite() as site, tempfile.TemporaryDirectory(prefix="onevoice-bench-") as temp:
        root = Path(temp)
        journeys = root / "journeys"
        journeys.mkdir()
        paths = page_paths(pages)
        write_journeys(journeys, site.url, paths)
        urls = [site.url + path for path in paths]
        onevoice = [sys.executable, "-m", "onevoice", "run", str(journeys)]
        for round_number in range(repeat):
            out = root / f"bare-{round_number}"
            out.mkdir()
            bare = [sys.executable, __file__, "bare", "--out", str(out), "--concurrency", str(concurrency), *urls]
            timings["bare"].append(timed(bare))
            for workers in (0, 2):
                report_dir = root / f"n{workers}-{round_number}"
                timings[f"-n {workers}"].append(timed([*onevoice, "--report", str(report_dir), "-n", str(workers)]))
    return {
        name: Timing(statistics.median(t.wall for t in runs), statistics.median(t.cpu for t in runs))
        for name, runs in timings.items()
    }


def report(pages: int, repeat: int, medians: dict[str, Timing]) -> str:
    """The figures and ratios, one per line."""
    bare, n0, n2 = medians["bare"], medians["-n 0"], medians["-n 2"]
    lines = [
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}",
        f"captures: {pages} pages x {len(DEVICES)} devices = {pages * len(DEVICES)}, median of {repeat}",
    ]
    for name, timing in medians.items():
        label = "bare playwright" if name == "bare" else f"onevoice run {name}"
        lines.append(f"{label:<18} {timing.wall:6.2f} s wall {timing.cpu:6.2f} s cpu")
    lines += [
        f"ratio -n 0 / bare: {n0.wall / bare.wall:.2f}x wall {n0.cpu / bare.cpu:.2f}x cpu (target <= 1.25x)",
        f"ratio -n 2 / bare: {n2.wall / bare.wall:.2f}x wall {n2.cpu / bare.cpu:.2f}x cpu",
        f"ratio -n 2 / -n 0: {n2.wall / n0.wall:.2f}x wall (target < 1)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    bare = commands.add_parser("bare", help="(used by the benchmark) the bare Playwright script")
    bare.add_argument("--out", type=Path, required=True)
    bare.add_argument("--concurrency", type=int, required=True)
    bare.add_argument("urls", nargs="+")
    parser.add_argument("--pages", type=int, default=20, help="distinct demo pages (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the median is reported (default 3)")
    args = parser.parse_args(argv)
    if args.command == "bare":
        asyncio.run(bare_capture(args.urls, args.out, args.concurrency))
        return 0
    print(report(args.pages, args.repeat, measure(args.pages, args.repeat)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
