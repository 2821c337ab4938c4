"""What each of onevoice's browser steps adds to a capture (issue 14), all Chromium processes counted.

The bare script of `bench/capture.py` (a context per capture, goto, full-page screenshot), run as
is and with one of onevoice's steps added at a time, taken from `onevoice.capture.page` as the
capture takes them: `watch` (a NetworkWatch from before goto, and the quiet wait after settling),
`evaluate` (one no-op evaluate: what a page's first evaluate costs whatever it runs), `settle`
(the settle script), `annotate` (the annotate script after the screenshot), and `all` of them.
Each contender is a process of its own, timed like `bench/capture.py`'s (every process it starts,
Chromium's renderers included), in `--repeat` interleaved rounds; it prints each one's CPU over
the bare script's, as the median of the rounds' ratios.

    .venv/bin/python bench/capture_steps.py [--pages 20] [--repeat 7] [--steps watch,evaluate,settle,annotate,all]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

from capture import Steps, Timing, adopt_orphans, bare_capture, page_paths, timed

STEPS = ("watch", "evaluate", "settle", "annotate")


class OnevoiceSteps(Steps):
    """`steps` (of STEPS) taken as onevoice takes them."""

    def __init__(self, steps: set[str]) -> None:
        from onevoice.capture.page import SECRET_FIELDS, SETTLE_SCRIPT, NetworkWatch, annotate_script

        self.steps, self.secret, self.settle, self.annotate = steps, SECRET_FIELDS, SETTLE_SCRIPT, annotate_script()
        self.make_watch = NetworkWatch
        self.watches: dict[object, object] = {}

    def opened(self, page) -> None:
        if "watch" in self.steps:
            self.watches[page] = self.make_watch(page)

    async def loaded(self, page) -> None:
        if "evaluate" in self.steps:
            await page.evaluate("() => 0")
        if "settle" in self.steps:
            await page.evaluate(self.settle, [True, self.secret])
        if watch := self.watches.pop(page, None):
            watch.restart()
            await watch.quiet()

    async def shot(self, page) -> None:
        if "annotate" in self.steps:
            await page.evaluate(self.annotate)


def measure(pages: int, repeat: int, contenders: list[str]) -> dict[str, list[Timing]]:
    from onevoice.demo import DemoSite
    from onevoice.engine import RunSettings

    concurrency = RunSettings().concurrency
    timings: dict[str, list[Timing]] = {name: [] for name in ("bare", *contenders)}
    with DemoSite() as site, tempfile.TemporaryDirectory(prefix="onevoice-steps-") as temp:
        urls = [site.url + path for path in page_paths(pages)]
        for round_number in range(repeat):
            names = list(timings) if round_number % 2 == 0 else list(reversed(timings))  # drift cancels out
            for name in names:
                steps = ",".join(STEPS if name == "all" else () if name == "bare" else (name,))
                command = [sys.executable, __file__, "child", "--steps", steps, "--out", temp, "--concurrency", str(concurrency), *urls]
                timings[name].append(timing := timed(command))
                print(f"round {round_number + 1} {name}: {timing.cpu:.2f} s cpu", file=sys.stderr, flush=True)
    return timings


def report(timings: dict[str, list[Timing]]) -> str:
    lines = []
    for name, runs in timings.items():
        ratios = [run.cpu / bare.cpu for run, bare in zip(runs, timings["bare"])]
        lines.append(
            f"{name:<9} {statistics.median(run.cpu for run in runs):6.2f} s cpu  / bare {statistics.median(ratios):.3f}x"
            f"  (rounds {' '.join(f'{ratio:.2f}' for ratio in ratios)})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    child = commands.add_parser("child", help="(used by the benchmark) the bare script with some steps")
    child.add_argument("--steps", default="")
    child.add_argument("--out", type=Path, required=True)
    child.add_argument("--concurrency", type=int, required=True)
    child.add_argument("urls", nargs="+")
    parser.add_argument("--pages", type=int, default=20, help="distinct demo pages, each on two devices (default 20)")
    parser.add_argument("--repeat", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--steps", default=",".join((*STEPS, "all")), help="the contenders besides bare")
    args = parser.parse_args(argv)
    if args.command == "child":
        steps = OnevoiceSteps(set(filter(None, args.steps.split(","))))
        asyncio.run(bare_capture(args.urls, args.out, args.concurrency, steps))
        return 0
    if not adopt_orphans():
        raise SystemExit("this benchmark counts Chromium's renderers as a child subreaper: Linux only")
    print(report(measure(args.pages, args.repeat, args.steps.split(","))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
