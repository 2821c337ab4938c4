"""Checks benchmark (issue 4): every check over up to 200 saved captures, and how the time grows.

First it captures real touchpoints once with the engine: the demo site's pages on Desktop
Chrome and iPhone 13, its welcome email, and (with `--sources all`, the default) the
corpus's web pages on both devices and its emails. The captures are saved as JSON beside
their logo crops, read back, and replicated under new touchpoint ids into one journey of
each size. Each journey is judged (`onevoice.judge.judge`, all registered checks) twice:
with the demo brand profile and messages ("declared"), and with no brand profile, where
the checks compare the touchpoints with each other ("inferred"). It prints the seconds
per size for all checks and for each check family, and the growth exponent: the slope
of log(seconds) over log(touchpoints), 1 for linear growth, 2 for quadratic.

    .venv/bin/python bench/checks.py [--sizes 10,25,50,100,200] [--repeat 3] [--sources all|demo]
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

# Run as a script, this file's folder comes first on sys.path, where its name hides the `checks` package.
if Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

from onevoice.facts import Capture
from onevoice.demo import DemoSite
from onevoice.demo.welcome import compose_welcome
from onevoice.judge import judge
from onevoice.loader import load_journey
from onevoice.model import LoadedJourney
from onevoice.registry import registered_checks
from onevoice.engine import Engine

REPO = Path(__file__).resolve().parent.parent
DEMO_JOURNEYS = REPO / "journeys"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEVICES = ("Desktop Chrome", "iPhone 13")
DEMO_PAGES = {"home": "", "offer": "offer", "signup": "signup"}
DECLARED_MESSAGES = [{"id": "offer", "text": "20% off your first order"}]


@dataclass(frozen=True)
class Saved:
    """Captures saved on disk: `captures/<touchpoint>.json` and the crops they name, under `folder`."""

    folder: Path
    specs: dict[str, dict]  # touchpoint id -> its journey entry (channel, device, url or email source)
    seconds: float  # how long capturing them took

    def load(self) -> dict[str, Capture]:
        return {
            tp: Capture.model_validate_json((self.folder / "captures" / f"{tp}.json").read_text(encoding="utf-8"))
            for tp in self.specs
        }


def source_touchpoints(site_url: str, welcome: Path, corpus: Path | None) -> list[dict]:
    """The journey entries of every real touchpoint to capture once."""
    entries = [
        {"id": f"demo-{name}-{_short(device)}", "channel": "web", "device": device, "url": site_url + path}
        for name, path in DEMO_PAGES.items()
        for device in DEVICES
    ]
    entries.append(_email("demo-welcome", welcome))
    if corpus is not None:
        for page in sorted(corpus.glob("web-*/index.html")):
            entries += [
                {"id": f"{page.parent.name}-{_short(device)}", "channel": "web", "device": device, "url": page.as_uri()}
                for device in DEVICES
            ]
        for number, email in enumerate(sorted(corpus.glob("email-*/*.html"))):
            entries.append(_email(f"{email.parent.name}-{number}", email))
    return entries


def _short(device: str) -> str:
    return "mobile" if device == "iPhone 13" else "desktop"


def _email(touchpoint: str, path: Path) -> dict:
    return {"id": touchpoint, "channel": "email", "email": {"source": "file", "path": str(path)}}


def capture_sources(folder: Path, corpus: Path | None) -> Saved:
    """Capture every source touchpoint with the engine and save the captures under `folder`."""
    started = time.perf_counter()
    with DemoSite() as site:
        welcome = folder / "welcome.eml"
        welcome.write_bytes(bytes(compose_welcome("bench@example.test", site.url)))
        entries = source_touchpoints(site.url, welcome, corpus)
        journey = write_journey(folder / "sources.yaml", entries, declared=False)
        with Engine(folder) as engine:
            (result,) = engine.run([journey])
    (folder / "captures").mkdir()
    for capture in result.captures:
        if not capture.ok:
            raise SystemExit(f"could not capture {capture.touchpoint}: {capture.error}")
        (folder / "captures" / f"{capture.touchpoint}.json").write_text(capture.model_dump_json(), encoding="utf-8")
    return Saved(folder, {entry["id"]: entry for entry in entries}, time.perf_counter() - started)


def write_journey(path: Path, touchpoints: list[dict], *, declared: bool) -> LoadedJourney:
    """A journey of `touchpoints`; `declared`: with the demo brand profile and its offer message."""
    data: dict = {"name": path.stem, "touchpoints": touchpoints}
    if declared:
        brand = path.parent / "brand.yaml"
        if not brand.exists():
            shutil.copy(DEMO_JOURNEYS / "brand.yaml", brand)
            shutil.copytree(DEMO_JOURNEYS / "brand", path.parent / "brand")
        data |= {"brand": "brand.yaml", "messages": DECLARED_MESSAGES}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_journey(path)


def replicated(saved: Saved, captures: dict[str, Capture], size: int) -> tuple[list[dict], dict[str, Capture]]:
    """`size` touchpoints made from the saved ones, each under its own id: every saved one in turn,
    and fewer than all of them spread evenly over the list, so each size has the same mix of kinds."""
    sources = list(captures)
    entries, copies = [], {}
    for number in range(size):
        source = sources[number % len(sources) if size >= len(sources) else number * len(sources) // size]
        touchpoint = f"tp-{number:03d}-{source}"
        entries.append({**saved.specs[source], "id": touchpoint})
        copies[touchpoint] = captures[source].model_copy(update={"touchpoint": touchpoint})
    return entries, copies


def time_judge(
    journey: LoadedJourney, captures: dict[str, Capture], artifacts: Path, checks: dict, repeat: int
) -> float:
    """The median CPU seconds this thread spends in `judge` over `repeat` runs (other load does not count)."""
    seconds = []
    for _ in range(repeat):
        started = time.thread_time()
        judgement = judge(journey, captures, artifacts, checks)
        seconds.append(time.thread_time() - started)
        if judgement.check_errors:
            raise SystemExit(f"a check failed: {judgement.check_errors}")
    return statistics.median(seconds)


def growth_exponent(sizes: list[int], seconds: list[float]) -> float:
    """The least-squares slope of log(seconds) over log(sizes)."""
    xs, ys = [math.log(size) for size in sizes], [math.log(max(value, 1e-9)) for value in seconds]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)


def bench_mode(saved: Saved, sizes: list[int], repeat: int, *, declared: bool) -> list[str]:
    """The table of one mode: seconds per size for all checks and for each, and the exponents."""
    captures = saved.load()
    families = registered_checks()
    contenders = {"all": dict(families)} | {name: {name: check} for name, check in families.items()}
    table: dict[str, list[float]] = {name: [] for name in contenders}
    for size in sizes:
        entries, copies = replicated(saved, captures, size)
        path = saved.folder / f"{'declared' if declared else 'inferred'}-{size}.yaml"
        journey = write_journey(path, entries, declared=declared)
        for name, checks in contenders.items():
            table[name].append(time_judge(journey, copies, saved.folder, checks, repeat))
    title = "declared (demo brand profile and messages)" if declared else "inferred (no brand profile)"
    lines = [title, "  touchpoints " + " ".join(f"{name:>10}" for name in contenders)]
    for row, size in enumerate(sizes):
        lines.append(f"  {size:>11} " + " ".join(f"{table[name][row]:>10.3f}" for name in contenders))
    exponents = " ".join(f"{growth_exponent(sizes, table[name]):>10.2f}" for name in contenders)
    lines.append(f"  {'exponent':>11} {exponents}  (log-log slope: 1 linear, 2 quadratic)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,25,50,100,200", help="touchpoints per journey (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="judgements per size; the median is reported (default 3)")
    parser.add_argument("--sources", choices=("all", "demo"), default="all", help="demo: the demo site and email only")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the corpus of real pages and emails")
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    if len(sizes) < 2:
        parser.error("--sizes needs at least two sizes to measure growth")
    corpus = args.corpus if args.sources == "all" else None
    if corpus is not None and not corpus.is_dir():
        parser.error(f"no corpus at {corpus}: pass --corpus DIR, or --sources demo")
    with tempfile.TemporaryDirectory(prefix="onevoice-bench-checks-") as temp:
        saved = capture_sources(Path(temp), corpus)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"saved captures: {len(saved.specs)} real touchpoints, captured in {saved.seconds:.1f} s")
        print(f"CPU seconds of judge (median of {args.repeat}) per journey size, all checks and each family:")
        for declared in (True, False):
            print("\n".join(bench_mode(saved, sizes, args.repeat, declared=declared)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
