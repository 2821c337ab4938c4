"""Capture benchmark (issue 2): `onevoice run` against a bare Playwright script on the same pages.

Serves the demo site, writes N journeys of two touchpoints (Desktop Chrome and iPhone 13,
one distinct demo URL each) into a temporary folder, and times, as separate processes
started the same way: a bare Playwright script (one browser, a context per capture,
goto, full-page screenshot to a file, as many captures at once as the engine allows),
`onevoice run -n 0` and `onevoice run -n 2`; with `--against TREE`, also `onevoice run -n 0`
from another source tree (a worktree of an earlier commit: an A/B of a change). Each is run
`--repeat` times, interleaved (in reverse order every other round); the medians are printed,
and each ratio as the median of the rounds' ratios. Target: onevoice
within 1.15x of bare for 20 pages x 2 devices, and `-n 2` faster than `-n 0`.

CPU time counts every process a contender starts, Chromium's renderers included: this process
adopts the orphans of the processes it starts (Linux's child subreaper) and reaps them, so
their time is added to its children's.

    .venv/bin/python bench/capture.py [--pages 20] [--repeat 3] [--image-text off|auto|on] [--against TREE] [--by-process]
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# Nothing of onevoice at module level: the bare contender runs this file, and a bare Playwright
# script imports Playwright alone (and, here, the function that chooses the browser).

DEVICES = ("Desktop Chrome", "iPhone 13")
DEMO_JOURNEYS = Path(__file__).resolve().parent.parent / "journeys"
ACCEPTED_EXITS = (0, 1)  # 1: the run found something, which is not a failure of the benchmark
PR_SET_CHILD_SUBREAPER = 36  # prctl option (Linux)
REAP_WAIT = 30.0  # seconds to wait for a contender's left-over processes to end
PROCESS_KINDS = ("python", "driver", "browser", "renderers", "gpu", "other")
SAMPLE_EVERY = 0.05  # seconds between two looks at /proc with --by-process


def page_paths(count: int) -> list[str]:
    """`count` distinct demo URLs (relative): the site's pages in turn, each with its own query."""
    from onevoice.demo.server import PAGES

    pages = sorted(PAGES)
    return [f"{pages[number % len(pages)].lstrip('/')}?page={number}" for number in range(count)]


def write_journeys(folder: Path, base_url: str, paths: list[str], image_text: str = "auto") -> None:
    """One journey per path, each capturing it on every device of DEVICES, with the demo brand
    profile and `image_text` (the bare script reads no text in images: "off" compares like for like)."""
    shutil.copy(DEMO_JOURNEYS / "brand.yaml", folder / "brand.yaml")
    shutil.copytree(DEMO_JOURNEYS / "brand", folder / "brand")
    for number, path in enumerate(paths):
        touchpoints = "".join(
            f"  - {{id: {device.lower().replace(' ', '-')}, channel: web, device: {device}, url: '{path}'}}\n"
            for device in DEVICES
        )
        (folder / f"page-{number:03d}.yaml").write_text(
            f"name: Bench page {number}\nbrand: brand.yaml\nbase_url: {base_url}\nimage_text: {image_text}\n"
            f"touchpoints:\n{touchpoints}",
            encoding="utf-8",
        )


class Steps:
    """Work added to each capture of the bare script: none; bench/capture_steps.py adds onevoice's."""

    def opened(self, page) -> None:
        """A new page, before it navigates."""

    async def loaded(self, page) -> None:
        """After the page has loaded, before the screenshot."""

    async def shot(self, page) -> None:
        """After the screenshot, before the context closes."""


async def bare_capture(urls: list[str], out: Path, concurrency: int, steps: Steps = Steps()) -> None:
    """What a hand-written Playwright script does: each URL on each device, goto + full-page screenshot
    (in CSS pixels, the image onevoice keeps), with `steps` between."""
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
                steps.opened(page)
                await page.goto(url, wait_until="load")
                await steps.loaded(page)
                await page.screenshot(path=str(out / f"{number}-{device}.png"), full_page=True, scale="css")
                await steps.shot(page)
                await context.close()

        await asyncio.gather(*(shoot(n, url, device) for n, url in enumerate(urls) for device in DEVICES))
        await browser.close()


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and all it waited for (driver, browser)
    by_kind: dict[str, float] = field(default_factory=dict)  # with --by-process: cpu per PROCESS_KINDS, sampled


def process_kind(command_line: list[str]) -> str:
    """Which of PROCESS_KINDS a contender's process is, from its command line."""
    joined = " ".join(command_line)
    if "--type=renderer" in joined:
        return "renderers"
    if "--type=gpu-process" in joined:
        return "gpu"
    if "--type=" in joined:  # Chromium's utility processes, zygotes, crash handler
        return "other"
    program = " ".join(command_line[:2])  # Debian starts Chromium through a shell script
    if "chrom" in program:
        return "browser"
    if Path(command_line[0]).name.startswith("node"):
        return "driver"
    return "python" if "python" in Path(command_line[0]).name else "other"


class ProcessSampler(threading.Thread):
    """The CPU time of this process's descendants by kind, read from /proc (Linux) every SAMPLE_EVERY
    seconds: what a process spends in its last SAMPLE_EVERY, or in a life shorter than that, is missed."""

    def __init__(self) -> None:
        super().__init__(name="process-sampler", daemon=True)
        self.seen: dict[int, tuple[str, float]] = {}  # pid -> (kind, cpu seconds so far)
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_EVERY):
            self.sample()

    def sample(self) -> None:
        children: dict[int, list[tuple[int, list[str]]]] = defaultdict(list)
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                children[int(stat[1])].append((int(entry), stat))
        ticks, waiting = os.sysconf("SC_CLK_TCK"), [os.getpid()]
        while waiting:
            for pid, stat in children[waiting.pop()]:
                waiting.append(pid)
                try:
                    command_line = [part for part in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0") if part]
                except OSError:
                    command_line = []
                kind = process_kind(command_line) if command_line else self.seen.get(pid, ("other", 0.0))[0]
                self.seen[pid] = (kind, (int(stat[11]) + int(stat[12])) / ticks)

    def totals(self) -> dict[str, float]:
        """Stop sampling; the CPU seconds of each kind."""
        self._done.set()
        self.join()
        totals = dict.fromkeys(PROCESS_KINDS, 0.0)
        for kind, cpu in self.seen.values():
            totals[kind] += cpu
        return totals


def timed(command: list[str], tree: Path | None = None, by_process: bool = False) -> Timing:
    """How long `command` takes (its CPU time with that of every process it started, and by kind of
    process with `by_process`), run in `tree` with onevoice imported from there when given; raises
    when it fails."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(tree), os.environ.get("PYTHONPATH"))))} if tree else None
    sampler = ProcessSampler() if by_process else None
    if sampler:
        sampler.start()
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tree)
    wall = time.perf_counter() - started
    _reap_orphans()
    by_kind = sampler.totals() if sampler else {}
    if done.returncode not in ACCEPTED_EXITS:
        raise SystemExit(f"{' '.join(command[:4])} ... exited {done.returncode}:\n{done.stderr[-2000:]}")
    return Timing(wall, _children_cpu() - cpu_before, by_kind)


def adopt_orphans() -> bool:
    """Make this process the reaper of its descendants' orphans (Linux), so that the CPU time of
    processes whose parent never waits for them (Chromium's renderers) counts; False elsewhere."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans() -> None:
    """Wait for the adopted processes a contender left (Chromium's last renderers end after it)."""
    deadline = time.monotonic() + REAP_WAIT
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:  # none left
            return
        if pid == 0:
            time.sleep(0.05)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def against_label(tree: Path) -> str:
    return f"-n 0 of {tree.name}"


def measure(
    pages: int,
    repeat: int,
    image_text: str = "off",
    against: Path | None = None,
    workers: tuple[int, ...] = (0, 2),
    by_process: bool = False,
) -> dict[str, list[Timing]]:
    """The timings of each contender in `repeat` interleaved rounds: bare, `onevoice run -n N` for
    each of `workers`, and `-n 0` of the `against` tree; `by_process`: also by kind of process."""
    from onevoice.demo import DemoSite
    from onevoice.engine import RunSettings

    concurrency = RunSettings().concurrency
    contenders = ("bare", *(f"-n {count}" for count in workers), *([against_label(against)] if against else []))
    timings: dict[str, list[Timing]] = {name: [] for name in contenders}
    with DemoSite() as site, tempfile.TemporaryDirectory(prefix="onevoice-bench-") as temp:
        root = Path(temp)
        journeys = root / "journeys"
        journeys.mkdir()
        paths = page_paths(pages)
        write_journeys(journeys, site.url, paths, image_text)
        urls = [site.url + path for path in paths]
        onevoice = [sys.executable, "-m", "onevoice", "run", str(journeys)]
        for round_number in range(repeat):
            out = root / f"bare-{round_number}"
            out.mkdir()
            runs: list[tuple[str, list[str], Path | None]] = [
                ("bare", [sys.executable, __file__, "bare", "--out", str(out), "--concurrency", str(concurrency), *urls], None)
            ]
            for count in workers:
                runs.append((f"-n {count}", [*onevoice, "--report", str(root / f"n{count}-{round_number}"), "-n", str(count)], None))
            if against:  # the same command, with the other tree's onevoice
                runs.append((against_label(against), [*onevoice, "--report", str(root / f"against-{round_number}"), "-n", "0"], against))
            for name, command, tree in runs if round_number % 2 == 0 else reversed(runs):  # drift cancels out
                timings[name].append(timing := timed(command, tree, by_process))
                print(f"round {round_number + 1} {name}: {timing.wall:.2f} s wall {timing.cpu:.2f} s cpu "
                      f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
    return timings


def ratio(timings: dict[str, list[Timing]], name: str, reference: str) -> Timing:
    """`name`'s time over `reference`'s: the median of the rounds' ratios (the two ran side by side
    in each round, so a load that changes from round to round weighs on both)."""
    pairs = list(zip(timings[name], timings[reference]))
    return Timing(statistics.median(a.wall / b.wall for a, b in pairs), statistics.median(a.cpu / b.cpu for a, b in pairs))


def report(pages: int, repeat: int, timings: dict[str, list[Timing]], image_text: str = "off", all_cpu: bool = True) -> str:
    """The medians and ratios, one per line."""
    counted = "every process" if all_cpu else "processes waited for (renderers not counted: no subreaper here)"
    lines = [
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}",
        f"captures: {pages} pages x {len(DEVICES)} devices = {pages * len(DEVICES)}, median of {repeat}, "
        f"image_text {image_text}; cpu: {counted}",
    ]
    for name, runs in timings.items():
        label = "bare playwright" if name == "bare" else f"onevoice run {name}"
        wall, cpu = statistics.median(t.wall for t in runs), statistics.median(t.cpu for t in runs)
        lines.append(f"{label:<18} {wall:6.2f} s wall {cpu:6.2f} s cpu")
    compared = [("-n 0", "bare", " (target <= 1.15x)")]
    if "-n 2" in timings:
        compared += [("-n 2", "bare", ""), ("-n 2", "-n 0", " (target < 1)")]
    for name in [name for name in timings if name.startswith("-n 0 of ")]:
        compared += [(name, "bare", ""), ("-n 0", name, "")]
    for name, reference, target in compared:
        times = ratio(timings, name, reference)
        lines.append(f"ratio {name} / {reference}: {times.wall:.2f}x wall {times.cpu:.2f}x cpu{target}")
    if all(timing.by_kind for runs in timings.values() for timing in runs):
        lines.append(
            f"cpu by process, s (medians; sampled every {SAMPLE_EVERY * 1000:.0f} ms, so a little short of the total): "
            + " ".join(PROCESS_KINDS) + " sampled total"
        )
        for name, runs in timings.items():
            label = "bare playwright" if name == "bare" else f"onevoice run {name}"
            kinds = [statistics.median(t.by_kind[kind] for t in runs) for kind in PROCESS_KINDS]
            sampled = statistics.median(sum(t.by_kind.values()) for t in runs)
            total = statistics.median(t.cpu for t in runs)
            lines.append(f"{label:<18} " + " ".join(f"{cpu:6.2f}" for cpu in (*kinds, sampled, total)))
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
    parser.add_argument(
        "--image-text", choices=("off", "auto", "on"), default="off",
        help="the journeys' image_text (default off: the bare script reads no text in images either)",
    )
    parser.add_argument("--against", type=Path, help="also time onevoice run -n 0 imported from this source tree (an A/B)")
    parser.add_argument(
        "--workers", default="0,2", type=lambda text: tuple(int(count) for count in text.split(",")),
        help="the -n values of onevoice run to time, comma-separated (default 0,2; 0 is always timed)",
    )
    parser.add_argument(
        "--by-process", action="store_true",
        help="also each contender's CPU by kind of process: Python, driver, browser, renderers, GPU (Linux)",
    )
    args = parser.parse_args(argv)
    if args.command == "bare":
        asyncio.run(bare_capture(args.urls, args.out, args.concurrency))
        return 0
    all_cpu = adopt_orphans()
    workers = (0, *sorted(set(args.workers) - {0}))
    timings = measure(
        args.pages, args.repeat, args.image_text, args.against and args.against.resolve(), workers, args.by_process
    )
    print(report(args.pages, args.repeat, timings, args.image_text, all_cpu), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
