"""What reading text in images (OCR) costs: per image, on a cache hit, and on whole runs.

    .venv/bin/python bench/ocr.py [--repeat 3] [--sizes 320x100,...] [--emails 20] [--skip-demo] [--skip-corpus]

1. Time per image by size: banners drawn here (white words on a gradient) from a 320x100 button
   to a 1080x1920 app screen, read uncached (`ImageReader.engine_lines`), median of --repeat,
   wall and CPU time (the reading thread's process CPU).
2. The cache-hit path: the same pixels again (memory), and from a fresh reader (disk).
3. Budgets, in Chromium, each run with `image_text: auto` and with `off`, interleaved, the OCR
   cache cold for every `auto` run (a fresh cache folder, a fresh reader):
   - an email with one 600x200 hero banner: the extra seconds OCR costs (budget: <= 1 s);
   - a page with no image to read: the extra (budget: nothing measurable);
   - --emails emails sharing one banner in one run: how many images were read (budget: 1).
4. Whole runs: the demo journeys (demo site and SMTP catcher, as `onevoice demo` runs them) and
   the corpus journeys of tests/data/e2e (when ../shared/corpus is there), auto against off.

It prints the machine's cores and load average first: on a shared machine the seconds are
inflated, and only auto/off measured side by side mean much.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds a checks.py: off the path, or it would shadow the checks package the engine loads.
sys.path[:] = [str(ROOT), str(ROOT / "tests")] + [  # tests/: the tests' static file server
    entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"
]

from onevoice.capture import ocr  # noqa: E402
from onevoice.capture.ocr import ImageReader  # noqa: E402
from onevoice.engine import Engine, RunSettings  # noqa: E402
from onevoice.loader import load_journeys  # noqa: E402
from onevoice.model import LoadedJourney  # noqa: E402

SIZES = ((320, 100), (600, 200), (600, 300), (1200, 400), (1080, 1920))
EMAIL = """<!doctype html><html><body style="margin:0"><table width="600"><tr><td>
{hero}</td></tr><tr><td style="padding:24px;font:16px sans-serif">Hello {number}, our notebooks are waiting.
Save 25% this weekend.</td></tr></table></body></html>"""
HERO = '<img src="hero.png" width="600" height="200" alt="Spring sale" style="display:block">'


def banner(width: int, height: int, lines: int = 2) -> PILImage.Image:
    """White words on a gradient; a tall image gets many lines, like an app screen."""
    image = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for x in range(width):
        draw.line((x, 0, x, height), fill=(20 + 60 * x // width, 40, 110 + 80 * x // width))
    size = max(14, min(height // 4, width // 20))  # the longest line fits the width
    texts = ["Save 30% this weekend", "Code SPRING30 at checkout"]
    rows = max(lines, (height - 20) // (size * 2)) if height > width else lines
    for row in range(rows):
        text = texts[row % len(texts)] + ("" if row < 2 else f" line {row}")
        draw.text((size, 10 + row * size * 2), text, fill="white", font=ImageFont.truetype("DejaVuSans-Bold.ttf", size))
    return image


def median_times(action, repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def per_image(repeat: int, sizes: list[tuple[int, int]]) -> None:
    reader = ImageReader(workers=1)
    print("\n1. one image, uncached (wall / CPU, median of %d)" % repeat)
    for width, height in sizes:
        image = banner(width, height)
        wall, cpu = median_times(lambda: reader.engine_lines(image), repeat)
        print(f"   {width}x{height:<6} {wall:7.3f} s wall {cpu:7.3f} s cpu")
    image = banner(600, 200)
    reader.read(image)
    wall, _ = median_times(lambda: reader.read(image), max(repeat, 20))
    print(f"\n2. cache hit, 600x200: memory {wall * 1000:.2f} ms", end="")
    with tempfile.TemporaryDirectory() as folder:
        ImageReader(cache_dir=Path(folder), workers=1).read(image)
        fresh = ImageReader(cache_dir=Path(folder), workers=1)
        wall, _ = median_times(lambda: fresh._read(fresh.key(image), image), max(repeat, 20))
        print(f", disk {wall * 1000:.2f} ms (hash + read), reads by the fresh reader: {fresh.reads}")
    reader.close()


def fresh_ocr_cache(folder: Path) -> None:
    """A cold OCR cache: the next run's reader starts empty, in memory and on disk."""
    shutil.rmtree(folder, ignore_errors=True)
    os.environ["ONEVOICE_CACHE"] = str(folder)
    ocr._shared = None


def with_image_text(journeys: list[LoadedJourney], mode: str) -> list[LoadedJourney]:
    def changed(loaded: LoadedJourney) -> LoadedJourney:
        touchpoints = tuple(tp.model_copy(update={"image_text": mode}) for tp in loaded.journey.touchpoints)
        return loaded.model_copy(update={"journey": loaded.journey.model_copy(update={"touchpoints": touchpoints})})

    return [changed(journey) for journey in journeys]


def timed_runs(journeys, repeat: int, work: Path, settings: RunSettings | None = None) -> dict[str, float]:
    """Medians of Engine.run over `journeys` with image_text auto and off, interleaved: wall seconds
    (`auto`, `off`) and this process's CPU seconds (`auto cpu`, `off cpu`: the OCR threads, the
    engine, not Chromium), and the images the last auto run read."""
    seconds: dict[str, list[float]] = {"auto": [], "off": [], "auto cpu": [], "off cpu": []}
    reads = 0
    for attempt in range(repeat):
        for mode in ("auto", "off"):
            fresh_ocr_cache(work / "cache")
            variant = with_image_text(journeys, mode)
            with Engine(work / f"run-{mode}-{attempt}", settings or RunSettings()) as engine:
                started, cpu = time.perf_counter(), time.process_time()
                engine.run(variant)
                seconds[mode].append(time.perf_counter() - started)
                seconds[f"{mode} cpu"].append(time.process_time() - cpu)
            if mode == "auto" and ocr._shared is not None:
                reads = ocr._shared.reads
    result = {name: statistics.median(values) for name, values in seconds.items()}
    result["reads"] = reads
    return result


def write_emails(folder: Path, count: int, hero: bool) -> list[Path]:
    """`count` email files; with `hero`, each shows the same banner, a file beside them (inlined)."""
    folder.mkdir(parents=True, exist_ok=True)
    banner(600, 200).save(folder / "hero.png")
    paths = []
    for number in range(count):
        path = folder / f"email-{number}.html"
        path.write_text(EMAIL.format(hero=HERO if hero else "", number=number), encoding="utf-8")
        paths.append(path)
    return paths


def journey_file(folder: Path, name: str, emails: list[Path]) -> Path:
    touchpoints = "".join(
        f"  - {{id: mail-{n}, channel: email, email: {{source: file, path: {p.name}}}}}\n" for n, p in enumerate(emails)
    )
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\ntouchpoints:\n{touchpoints}", encoding="utf-8")
    return path


def budgets(repeat: int, emails: int, work: Path) -> None:
    print("\n3. budgets in Chromium (median of %d, auto and off interleaved, OCR cache cold for each)" % repeat)
    cases = {
        "one email with a hero banner": write_emails(work / "hero", 1, hero=True),
        "one email, no image to read": write_emails(work / "plain", 1, hero=False),
        f"{emails} emails sharing one banner": write_emails(work / "shared", emails, hero=True),
    }
    for label, paths in cases.items():
        journeys, problems = load_journeys([str(journey_file(paths[0].parent, "bench", paths))], {})
        assert not problems, problems
        found = timed_runs(journeys, repeat, work / "runs")
        print(
            f"   {label:<34} off {found['off']:6.2f} s  auto {found['auto']:6.2f} s  "
            f"OCR costs {found['auto'] - found['off']:+.2f} s wall, {found['auto cpu'] - found['off cpu']:+.2f} s cpu  "
            f"images read: {found['reads']}"
        )


def demo_run(repeat: int, work: Path) -> None:
    from onevoice.demo import DemoSite
    from onevoice.email import SmtpCatcher

    print("\n4. whole runs (median of %d, auto and off interleaved)" % repeat)
    with tempfile.TemporaryDirectory(prefix="onevoice-bench-mail-") as spool:
        with SmtpCatcher(Path(spool), port=0) as catcher, DemoSite(smtp_port=catcher.port) as site:
            journeys, problems = load_journeys([str(ROOT / "journeys")], {"DEMO_URL": site.url})
            assert not problems, problems
            found = timed_runs(journeys, repeat, work / "demo", RunSettings(spool=Path(spool)))
    touchpoints = sum(len(journey.journey.touchpoints) for journey in journeys)
    print(
        f"   demo ({touchpoints} touchpoints)          off {found['off']:6.2f} s  auto {found['auto']:6.2f} s  "
        f"ratio {found['auto'] / found['off']:.2f}x, cpu {found['auto cpu'] - found['off cpu']:+.2f} s  images read: {found['reads']}"
    )


def corpus_run(repeat: int, work: Path) -> None:
    from static_server import serve_folder

    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        print("   corpus: skipped (../shared/corpus is absent)")
        return
    with serve_folder(corpus) as url:
        journeys, problems = load_journeys([str(ROOT / "tests" / "data" / "e2e")], {"CORPUS": str(corpus), "CORPUS_URL": url})
        assert not problems, problems
        found = timed_runs(journeys, repeat, work / "corpus", RunSettings(concurrency=8))
    touchpoints = sum(len(journey.journey.touchpoints) for journey in journeys)
    print(
        f"   corpus ({touchpoints} touchpoints)       off {found['off']:6.2f} s  auto {found['auto']:6.2f} s  "
        f"ratio {found['auto'] / found['off']:.2f}x, cpu {found['auto cpu'] - found['off cpu']:+.2f} s  images read: {found['reads']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES), help="image sizes, WxH,...")
    parser.add_argument("--emails", type=int, default=20)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared: seconds inflate, ratios hold)")
    per_image(args.repeat, [tuple(map(int, size.split("x"))) for size in args.sizes.split(",")])
    with tempfile.TemporaryDirectory(prefix="onevoice-bench-ocr-") as folder:
        work = Path(folder)
        budgets(args.repeat, args.emails, work)
        if not args.skip_demo:
            demo_run(args.repeat, work)
        if not args.skip_corpus:
            corpus_run(args.repeat, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
