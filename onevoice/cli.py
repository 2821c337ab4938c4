"""The `onevoice` command (docs/commands.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

from onevoice import defaults
from onevoice.errors import EXIT_LOAD_ERROR, OnevoiceError
from onevoice.model import LoadedJourney
from onevoice.shard import Shard, ShardInfo

DEFAULT_REPORT = Path(defaults.REPORT_DIR)
DEMO_REPORT = Path("reports/demo")


def select(journeys: list[LoadedJourney], expression: str | None) -> list[LoadedJourney]:
    """Journeys whose name, file or tags match a pytest-style `-k` expression."""
    if not expression:
        return journeys
    from _pytest.mark.expression import Expression  # the same grammar users know from pytest -k

    compiled = Expression.compile(expression)

    def matches(journey: LoadedJourney) -> bool:
        words = [journey.name, journey.file, journey.slug, *journey.journey.tags]
        return compiled.evaluate(lambda name, **_: any(name.lower() in word.lower() for word in words))

    return [j for j in journeys if matches(j)]


def load(paths: Sequence[str]) -> tuple[list[LoadedJourney], list[str]]:
    """Journeys that load, and every problem of those that do not (printed)."""
    from onevoice.loader import load_journeys

    os.environ.setdefault("RUN_ID", defaults.run_id())
    journeys, problems = load_journeys(list(paths))
    for problem in problems:
        print(problem, file=sys.stderr)
    return journeys, [str(problem) for problem in problems]


def shard_of(journeys: list[LoadedJourney], shard: Shard) -> tuple[list[LoadedJourney], ShardInfo]:
    """The journeys of `shard`, and what its report records about the suite they are part of."""
    from onevoice.shard import ShardInfo, select_shard, suite_fingerprint

    weights = [(j.file, len(j.journey.touchpoints)) for j in journeys]
    info = ShardInfo(
        index=shard.index,
        total=shard.total,
        suite=suite_fingerprint([(j.file, j.path) for j in journeys]),
        journeys=tuple(j.file for j in journeys),
    )
    return [journeys[position] for position in select_shard(weights, shard)], info


def run_journeys(paths: Sequence[str], args: argparse.Namespace) -> int:
    from onevoice.capture.web import CaptureSettings
    from onevoice.session import execute
    from onevoice.progress import Progress, summary
    from onevoice.engine import RunSettings

    journeys, problems = load(paths)
    journeys = select(journeys, args.k)
    if not journeys:
        print("onevoice: no journey to run" + (f" matches -k {args.k!r}" if args.k else ""), file=sys.stderr)
        return EXIT_LOAD_ERROR
    shard_info = None
    if args.shard is not None:
        journeys, shard_info = shard_of(journeys, args.shard)
        print(f"onevoice: shard {args.shard}: {len(journeys)} of {len(shard_info.journeys)} journeys", file=sys.stderr)
    workers = args.n
    if workers == "auto":
        from onevoice.session import auto_workers, machine_capacity

        cores, memory = machine_capacity()
        workers = auto_workers(cores, memory, len(journeys))
        print(f"onevoice: -n auto: {workers} worker processes ({cores} cores, {memory / (1 << 30):.1f} GiB available)", file=sys.stderr)
    progress = Progress(sum(len(j.journey.touchpoints) for j in journeys))
    settings = RunSettings(
        capture=CaptureSettings(timeout=args.timeout, retries=args.retries), concurrency=args.concurrency
    )
    run = execute(
        journeys, args.report, workers=workers, settings=settings, progress=progress,
        shard=shard_info, history=args.history, problems=problems,
    )
    print(summary(run, args.report / "index.html"))
    return run.exit_code


def cmd_run(args: argparse.Namespace) -> int:
    return run_journeys(args.paths or [defaults.JOURNEY_DIR], args)


def cmd_merge(args: argparse.Namespace) -> int:
    from onevoice.merge import merge
    from onevoice.progress import summary

    run = merge(args.folders, args.report, history=args.history)
    print(summary(run, args.report / "index.html"))
    return run.exit_code


def cmd_history(args: argparse.Namespace) -> int:
    from onevoice.history import History, HistoryError

    if not args.file.is_file():
        raise HistoryError(f"{args.file}: no such history; record one with `onevoice run --history {args.file}`")
    with History(args.file) as history:
        runs, flaky = history.last_runs(args.runs), history.flakiest(args.runs)
    print(f"last {len(runs)} runs of {args.file}:")
    print(f"  {'run':>5}  {'started':<25} {'shard':<6} {'journeys':>8} {'touchpoints':>11} {'new':>5} {'accepted':>8} {'retries':>7} {'exit':>4} {'seconds':>8}")
    for number, started, shard, journeys, touchpoints, new, accepted, retries, exit_code, seconds in runs:
        print(f"  {number:>5}  {started:<25} {shard or '-':<6} {journeys:>8} {touchpoints:>11} {new:>5} {accepted:>8} {retries:>7} {exit_code:>4} {seconds:>8.1f}")
    print("flakiest findings (came and went over their journeys' last runs):" if flaky else "no flaky findings")
    for flips, seen, window, file, rule, subject, touchpoints in flaky:
        print(f"  {flips} flips, in {seen} of {window} runs: {file}: {rule} {subject} [{touchpoints}]")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    journeys, problems = load(args.paths or [defaults.JOURNEY_DIR])
    for journey in journeys:
        print(f"ok: {journey.file}: {journey.shown_name} ({len(journey.journey.touchpoints)} touchpoints)")
    return EXIT_LOAD_ERROR if problems else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from onevoice.loader import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from onevoice.demo.server import DemoSite
    from onevoice.redact import PUBLIC_VARS_VARIABLE

    journeys = demo_journeys()
    with DemoSite(smtp_port=int(os.environ.get("ONEVOICE_SMTP_PORT", "8025"))) as site:
        os.environ["DEMO_URL"] = site.url
        os.environ[PUBLIC_VARS_VARIABLE] = ",".join(filter(None, (os.environ.get(PUBLIC_VARS_VARIABLE), "DEMO_URL")))
        print(f"onevoice: demo brand served at {site.url}", file=sys.stderr)
        shown = os.path.relpath(journeys) if journeys.is_relative_to(Path.cwd()) else str(journeys)
        return run_journeys([shown], args)


def demo_journeys() -> Path:
    """The bundled demo brand's journeys: `journeys/` of the onevoice checkout."""
    return Path(__file__).resolve().parent.parent / "journeys"


def cmd_approve(args: argparse.Namespace) -> int:
    from onevoice.baseline.approve import approve

    approvals = approve(args.report, findings=args.finding or (), journeys=args.journey or ())
    for approval in approvals:
        print(f"onevoice: {approval}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from onevoice.baseline.review import ReviewServer

    try:
        server = ReviewServer(args.report, args.port)
    except OSError as error:  # the port is taken
        print(f"onevoice: {error}", file=sys.stderr)
        return EXIT_LOAD_ERROR
    with server:
        print(f"onevoice: reviewing {args.report} at {server.url} (Ctrl-C stops)", flush=True)
        threading.Event().wait()
    return 0


def workers_argument(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: a number of worker processes, or auto") from None


def shard_argument(text: str) -> Shard:
    try:
        return Shard.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onevoice", description="Customer-journey consistency tester.")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    debug = argparse.ArgumentParser(add_help=False)  # `onevoice run --debug` as well as `onevoice --debug run`
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the traceback of an error")

    def running(sub: argparse.ArgumentParser, default_report: Path) -> None:
        sub.add_argument("--report", type=Path, default=default_report, metavar="DIR", help=f"default {default_report}/")
        sub.add_argument("-k", metavar="EXPR", help="only journeys whose name, file or tags match (pytest -k syntax)")
        sub.add_argument("-n", type=workers_argument, default=0, metavar="N", help="worker processes, each with a browser; auto: from cores and memory")
        sub.add_argument("--retries", type=int, default=defaults.RETRIES, help="retries of a touchpoint that fails transiently")
        sub.add_argument("--timeout", type=float, default=defaults.TIMEOUT, metavar="SECONDS", help="for each navigation and step, and connecting to a remote browser")
        sub.add_argument("--concurrency", type=int, default=defaults.CONCURRENCY, metavar="N", help="touchpoints captured at once per process")
        sub.add_argument("--history", type=Path, metavar="FILE", help="record the run in this history database (SQLite); the report shows trends")
        sub.add_argument("--shard", type=shard_argument, metavar="I/N", help="run only the I-th of N parts of the journeys (stable split)")

    run = commands.add_parser("run", parents=[debug], help="run journeys and write the report")
    run.add_argument("paths", nargs="*", metavar="PATH", help="journey files or folders (default journeys/)")
    running(run, DEFAULT_REPORT)
    run.set_defaults(handler=cmd_run)

    merge = commands.add_parser("merge", parents=[debug], help="merge the reports of the shards of a run into one report")
    merge.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="the report folder of each shard")
    merge.add_argument("--report", type=Path, default=DEFAULT_REPORT, metavar="OUT", help=f"default {DEFAULT_REPORT}/")
    merge.add_argument("--history", type=Path, metavar="FILE", help="record the merged run in this history database (SQLite)")
    merge.set_defaults(handler=cmd_merge)

    history = commands.add_parser("history", parents=[debug], help="print the last runs and the flakiest findings of a history database")
    history.add_argument("file", type=Path, metavar="FILE")
    history.add_argument("--runs", type=int, default=10, metavar="N", help="how many of the last runs and flaky findings (default 10)")
    history.set_defaults(handler=cmd_history)

    validate = commands.add_parser("validate", parents=[debug], help="check journeys and brand profiles without a browser")
    validate.add_argument("paths", nargs="*", metavar="PATH")
    validate.set_defaults(handler=cmd_validate)

    schema = commands.add_parser("schema", parents=[debug], help="print the JSON Schema of journeys and brand profiles")
    schema.set_defaults(handler=cmd_schema)

    demo = commands.add_parser("demo", parents=[debug], help="serve the bundled demo brand and run its journeys")
    running(demo, DEMO_REPORT)
    demo.set_defaults(handler=cmd_demo)

    approve = commands.add_parser("approve", parents=[debug], help="accept the findings of a report as the baseline beside each journey")
    approve.add_argument("--report", type=Path, default=DEFAULT_REPORT, metavar="DIR", help=f"default {DEFAULT_REPORT}/")
    approve.add_argument("--finding", action="append", metavar="ID", help="only this finding (repeatable; ids are in the report)")
    approve.add_argument("--journey", action="append", metavar="SLUG", help="only this journey's findings (repeatable)")
    approve.set_defaults(handler=cmd_approve)

    review = commands.add_parser("review", parents=[debug], help="serve a report on 127.0.0.1 with an Accept button on each new finding")
    review.add_argument("--report", type=Path, default=DEFAULT_REPORT, metavar="DIR", help=f"default {DEFAULT_REPORT}/")
    review.add_argument("--port", type=int, default=0, help="default: a free port")
    review.set_defaults(handler=cmd_review)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("onevoice: interrupted", file=sys.stderr)
        return 130
    except OnevoiceError as error:
        if args.debug:
            traceback.print_exc()
        print(f"onevoice: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
