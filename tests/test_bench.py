"""Smoke tests of the benchmarks in bench/: each runs end to end on a tiny size and prints its
figures. They time nothing: the figures themselves are for bench/README.md, not assertions."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.browser
NUMBER = r"\d+\.\d+"


def run_bench(repo_root, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=repo_root, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_capture_bench_times_bare_playwright_and_onevoice_with_and_without_workers(repo_root):
    out = run_bench(repo_root, "bench/capture.py", "--pages", "2", "--repeat", "1", "--by-process")
    assert re.search(r"^machine: \d+ cores", out, re.M)
    assert "captures: 2 pages x 2 devices = 4, median of 1" in out
    assert re.search(r"^cpu by process, s .*: python driver browser renderers gpu other sampled total$", out, re.M), out
    for contender in ("bare playwright", "onevoice run -n 0", "onevoice run -n 2"):
        assert re.search(rf"^{contender} +{NUMBER} s wall +{NUMBER} s cpu$", out, re.M), out
        by_process = re.search(rf"^{contender} +((?:{NUMBER} +){{7}}{NUMBER})$", out, re.M)
        *kinds, sampled, total = map(float, by_process.group(1).split())
        assert kinds[0] > 0 and kinds[2] > 0 and 0 < sampled <= total + 0.05, out  # Python and the browser counted
    for ratio in ("-n 0 / bare", "-n 2 / bare", "-n 2 / -n 0"):
        assert re.search(rf"^ratio {ratio}: {NUMBER}x wall", out, re.M), out


def test_capture_steps_bench_times_the_bare_script_with_each_step_added(repo_root):
    out = run_bench(repo_root, "bench/capture_steps.py", "--pages", "1", "--repeat", "1", "--steps", "settle,all")
    assert re.search(rf"^bare +{NUMBER} s cpu  / bare 1.000x  \(rounds 1.00\)$", out, re.M), out
    for contender in ("settle", "all"):
        assert re.search(rf"^{contender} +{NUMBER} s cpu  / bare {NUMBER}x  \(rounds {NUMBER}\)$", out, re.M), out


def test_checks_bench_judges_each_size_and_prints_the_growth_exponents(repo_root):
    out = run_bench(repo_root, "bench/checks.py", "--sources", "demo", "--sizes", "2,4", "--repeat", "1")
    assert "saved captures: 7 real touchpoints" in out
    assert len(re.findall(r"^  touchpoints +all +brand +messaging +social\b", out, re.M)) == 2  # declared, inferred
    for size in (2, 4):
        assert len(re.findall(rf"^ +{size}(?: +{NUMBER}){{4,}}$", out, re.M)) == 2, out
    assert len(re.findall(rf"^ +exponent(?: +-?{NUMBER}){{4,}} ", out, re.M)) == 2, out


def test_merge_bench_merges_opens_and_filters_a_small_suite(repo_root):
    out = run_bench(repo_root, "bench/merge.py", "--shards", "2", "--journeys", "2", "--touchpoints", "2", "--repeat", "1")
    assert "shards: 2 x 2 journeys x 2 touchpoints = 4 journeys, 8 touchpoints, 12 findings" in out
    assert re.search(rf"^merge {NUMBER} s wall, {NUMBER} s CPU \(target < 10 s\)$", out, re.M), out
    assert re.search(rf"^open {NUMBER} s wall to the load event, {NUMBER} s main-thread CPU", out, re.M), out
    assert len(re.findall(rf"^filter .+: {NUMBER} ms wall, {NUMBER} ms CPU$", out, re.M)) == 7, out


def test_app_bench_times_extraction_and_the_appium_path(repo_root):
    out = run_bench(repo_root, "bench/app.py", "--repeat", "1")
    assert re.search(rf"^  app/ios-home +640x1136 +\d+(?: +{NUMBER}){{5}}$", out, re.M), out
    assert re.search(rf"^extraction per screen: median {NUMBER} ms, max {NUMBER} ms", out, re.M), out
    assert re.search(rf"^ratio capture / driver's calls: {NUMBER}x; wait_for / find_elements: {NUMBER}x$", out, re.M) or (
        "appium path: skipped: " in out
    ), out


def test_ocr_bench_times_images_the_cache_and_the_budgets(repo_root):
    args = ("--repeat", "1", "--sizes", "320x100,600x200", "--emails", "2", "--skip-demo", "--skip-corpus")
    out = run_bench(repo_root, "bench/ocr.py", *args)
    assert re.search(r"^machine: \d+ cores", out, re.M)
    for size in ("320x100", "600x200"):
        assert re.search(rf"^   {size} +{NUMBER} s wall +{NUMBER} s cpu$", out, re.M), out
    assert re.search(rf"^2\. cache hit, 600x200: memory {NUMBER} ms, disk {NUMBER} ms .* fresh reader: 0$", out, re.M), out
    costs = rf"OCR costs [+-]{NUMBER} s wall, [+-]{NUMBER} s cpu  images read"
    assert re.search(rf"one email with a hero banner .* {costs}: 1$", out, re.M), out
    assert re.search(rf"one email, no image to read .* {costs}: 0$", out, re.M), out
    assert re.search(rf"2 emails sharing one banner .* {costs}: 1$", out, re.M), out
