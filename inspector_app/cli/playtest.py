"""``inspector-playtest`` / ``python -m inspector_app playtest``: a whole playtest, headless.

Reads every profile under the given folders (one per player; files, browser profile folders, and
fsspec URLs when fsspec is installed), aggregates them on all cores (or on a Dask cluster with
``--scheduler tcp://HOST:PORT``), and writes the report — Markdown, CSVs (funnel, quests,
factions, players), PNG charts, JSON — through the shared writer pipeline (atomic, never
overwriting silently, inputs protected, CI manifest ``ci-artifacts.json``). Prints **one JSON
summary on stdout** (the export pipeline's summary plus the playtest's counts); progress and
notes go to stderr. Unchanged profiles come from the per-file cache (``--no-cache`` reads all).

Exit codes (as ``inspector-export``):
  0  success (also ``partial`` / ``nothing-written`` unless --fail-on-writer-error: read ``status``)
  1  internal error (a bug: please report it with the stderr output)
  2  bad input or bad arguments (no profile found, a folder that does not exist, unknown format,
     unreachable scheduler, dask missing for --scheduler); profiles that cannot be read are NOT an
     error: they are listed in the report and the summary (``excluded``) and left out of the numbers
  3  not every file is in place (``partial`` / ``nothing-written``) and --fail-on-writer-error was given
  130 interrupted (Ctrl+C), 143 terminated (SIGTERM): files already written stay, nothing is half-written
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from typing import Any

from inspector_app.cli.frontend import (
    EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, EXIT_WRITER_FAILED, run_command,
)
from inspector_app.cli.frontend import ArgumentError as _ArgumentError
from inspector_app.cli.frontend import Parser as _Parser
from inspector_app.cli.frontend import print_json as _print_json
from inspector_app.cli.frontend import shown as _shown

log = logging.getLogger("inspector_app.cli.playtest")
PROG = "inspector-playtest"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=PROG,
        description="Aggregate a playtest (one profile per player: localStorage exports, browser profile "
                    "folders) into one report: tutorial funnel, quest and case completion, faction reputation, "
                    "playtime, save counts and the players who stand out.",
        epilog="Exit codes: 0 ok; 1 internal error; 2 bad input/arguments; 3 writer failure "
               "(with --fail-on-writer-error); 130 interrupted; 143 terminated.",
    )
    p.add_argument("inputs", nargs="+", metavar="FOLDER",
                   help="folders of profiles (searched recursively for *.json), profile files, browser profile "
                        "folders, or fsspec URLs (s3://…, when fsspec is installed)")
    p.add_argument("--out", required=True, help="output folder for the report files")
    p.add_argument("--format", "--formats", dest="formats", action="append", default=None, metavar="LIST",
                   help="comma list, repeatable: md, csv, png, json (default: all)")
    p.add_argument("--prefix", default="playtest", help="file name prefix (default: playtest)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace report files of the same name; identical files are never an error (status "
                        "'unchanged'); the inputs are never replaced")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run on this Dask cluster (needs the 'cluster' extra: dask[distributed]); "
                        "default: a local process pool on all cores")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local pool size (default: the number of CPUs)")
    p.add_argument("--no-cache", action="store_true",
                   help="read every profile (default: unchanged files come from the per-file cache)")
    p.add_argument("--no-manifest", action="store_true", help="do not write ci-artifacts.json")
    p.add_argument("--fail-on-writer-error", action="store_true", help="exit 3 when any file could not be written")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the playtest CLI; returns the exit code (see the module docstring)."""
    return run_command(PROG, build_parser(), argv, _run, log=log)


def _progress(quiet: bool):
    last = [0.0]

    def report(done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if quiet or (done < total and now - last[0] < 1.0):
            return
        last[0] = now
        print(f"[{PROG}] {done}/{total} profiles", file=sys.stderr)
    return report


def _run(args: argparse.Namespace, cancel: threading.Event) -> int:
    from inspector_app.core.playtest.artifacts import parse_formats, unknown_formats, write_report
    from inspector_app.core.playtest.cluster import ClusterError
    from inspector_app.core.playtest.model import PlaytestCancelled
    from inspector_app.core.playtest.run import run_sources
    from inspector_app.core.playtest.sources import discover_sources

    formats = parse_formats(args.formats)
    bad = unknown_formats(formats)
    if bad:
        raise _ArgumentError(f"unknown format(s) {', '.join(map(repr, bad))}: choose from md, csv, png, json")
    if args.workers is not None and args.workers < 1:
        raise _ArgumentError("--workers must be 1 or more")
    if args.scheduler and not args.scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise _ArgumentError(f"--scheduler {args.scheduler!r}: expected an address like tcp://HOST:PORT")
    started = time.perf_counter()
    sources, source_problems = discover_sources(args.inputs)
    for problem in source_problems:
        print(f"[{PROG}] {problem.severity}: {_shown(problem.describe())}", file=sys.stderr)
    missing = [p for p in source_problems if p.code in ("not_found", "folder_unreadable", "url_unsupported",
                                                          "url_unreadable")]
    if not sources or missing:
        what = "no profiles found" if not sources else "an input could not be read"
        print(f"{PROG}: {what} (see above); nothing was written", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        where = args.scheduler or f"{args.workers or os.cpu_count()} local process(es)"
        print(f"[{PROG}] {len(sources)} profile(s) on {where}", file=sys.stderr)
    try:
        run = run_sources(sources, source_problems=source_problems, scheduler=args.scheduler, workers=args.workers,
                          cache=not args.no_cache, progress=_progress(args.quiet), cancelled=cancel.is_set)
    except ClusterError as exc:
        print(f"{PROG}: {_shown(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PlaytestCancelled:
        print(f"{PROG}: cancelled; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    for note in run.notes:
        print(f"[{PROG}] note: {_shown(note)}", file=sys.stderr)
    report = run.report
    for pid, problems in report.excluded:
        first = problems[0].describe() if problems else "unreadable"
        print(f"[{PROG}] left out {_shown(pid)}: {_shown(first)}", file=sys.stderr)
    charts = None
    if "png" in formats:
        charts = _charts(report)
    result = write_report(report, args.out, prefix=args.prefix, formats=formats, charts=charts,
                          overwrite=args.overwrite, manifest=not args.no_manifest,
                          protected=[s.path for s in sources if s.kind != "url"], cancelled=cancel.is_set)
    doc: dict[str, Any] = {"status": result.status, **result.to_json()}
    doc["playtest"] = {**report.counts, "read": run.read, "cached": run.cached, "scheduler": run.scheduler,
                       "excluded": [pid for pid, _ in report.excluded],
                       "sourceProblems": [p.to_json() for p in report.source_problems],
                       "durationMs": round((time.perf_counter() - started) * 1000, 3)}
    code = EXIT_OK
    if args.fail_on_writer_error and not result.succeeded:
        code = EXIT_WRITER_FAILED
    doc["exitCode"] = code
    _print_json(doc)
    if not args.quiet:
        print(f"[{PROG}] {result.status}: {result.status_text()} Exit {code}.", file=sys.stderr)
    return code


def _charts(report) -> dict[str, bytes] | None:
    """PNG charts through ``inspector_app/render`` (Qt, offscreen); None with a note when Qt cannot start."""
    try:
        from inspector_app.render.playtest_charts import render_charts
    except ImportError as exc:
        print(f"[{PROG}] note: PNG charts need Qt ({exc}); other formats are written", file=sys.stderr)
        return None
    return render_charts(report)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
