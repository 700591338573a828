"""``inspector-export`` / ``python -m inspector_app export``: the headless export for QA and CI.

Writes the game's inspector artifacts for one input through the shared pipeline
(:func:`inspector_app.core.export.pipeline.run_export`, the same code as the GUI's Export
button), optionally publishes them for CI, and prints **one JSON summary on stdout**
(artifacts with paths and sizes, adapter metrics, failures, budget status, publish results).
Progress and log lines go to stderr.

Exit codes:
  0  success (writer failures too, unless --fail-on-writer-error)
  1  internal error (a bug: please report it with the stderr output)
  2  bad input or bad arguments (unreadable file, unknown slot, bad --publish-command)
  3  at least one writer failed and --fail-on-writer-error was given
  4  publishing failed: manifest not written, or an upload command failed, timed out or
     was not found (checked after 3)
  130 interrupted (Ctrl+C); artifacts already written stay, nothing is half-written
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

import orjson

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_WRITER_FAILED = 3
EXIT_PUBLISH_FAILED = 4
EXIT_INTERRUPTED = 130

log = logging.getLogger("inspector_app.cli.export")


class _ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments as exit code 2 with a message, without exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _ArgumentError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="inspector-export",
        description="Export the inspector's telemetry artifacts (summary JSON, cascade/tutorial CSVs, "
                    "transcript CSV/Markdown) for a save, a profile slot or an inspector summary.",
        epilog="Exit codes: 0 ok; 1 internal error; 2 bad input/arguments; 3 writer failure "
               "(with --fail-on-writer-error); 4 publish failure; 130 interrupted.",
    )
    p.add_argument("input", help="save payload, whole-profile localStorage export, or inspector summary JSON")
    p.add_argument("--slot", help="slot id or key to export from a profile (e.g. slot2, autosave)")
    p.add_argument("--origin", help="when INPUT is a browser profile or storage folder holding saves of several "
                                    "origins: the origin to read (e.g. http://localhost:8080)")
    p.add_argument("--out", default=None,
                   help="output folder (default: $TELEMETRY_EXPORT_DIR or ./telemetry-artifacts)")
    p.add_argument("--prefix", default="save-inspector", help="file name prefix (default: save-inspector)")
    p.add_argument("--formats", "--format", action="append", default=None, metavar="LIST",
                   help="comma list, repeatable: json, csv, transcript-csv, transcript-md and the game's "
                        "aliases (default: json,csv)")
    p.add_argument("--overwrite", action="store_true", help="replace existing artifacts of the same name")
    p.add_argument("--publish", action="store_true",
                   help="write ci-artifacts.json and run the publish commands (dry run outside CI)")
    p.add_argument("--dry-run", dest="dry_run", action="store_true", default=None,
                   help="publish the manifest only; run no command (implies --publish)")
    p.add_argument("--no-dry-run", dest="dry_run", action="store_false",
                   help="run the publish commands even when CI is not set")
    p.add_argument("--publish-command", action="append", default=[], metavar="JSON",
                   help='upload command as a JSON argv list, e.g. \'["gh","run","upload","{dir}"]\', or an '
                        'object {"command","args","env","cwd","timeout"}; repeatable')
    p.add_argument("--publish-commands-file", metavar="PATH",
                   help="JSON file with a list of commands in the same forms (like .github/ci/telemetry-commands.json)")
    p.add_argument("--publish-timeout", type=float, default=300.0, metavar="SECONDS",
                   help="timeout per publish command (default 300)")
    p.add_argument("--metadata", metavar="PATH", help="manifest path (default <out>/ci-artifacts.json)")
    p.add_argument("--context", metavar="JSON", help="JSON object merged into the export context")
    p.add_argument("--fail-on-writer-error", action="store_true", help="exit 3 when any writer failed")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    return p


def _parse_json_arg(text: str, what: str, hint: str = "") -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise _ArgumentError(f"{what} is not valid JSON ({exc}){hint}") from None


def _publish_commands(args: argparse.Namespace) -> list[Any]:
    from inspector_app.core.export.publisher import CommandSpecError, parse_command

    specs: list[Any] = []
    for raw in args.publish_command:
        specs.append(_parse_json_arg(raw, f"--publish-command {raw!r}",
                                     "; give a JSON argv list such as '[\"gh\", \"artifact\", \"upload\"]'"))
    if args.publish_commands_file:
        path = Path(args.publish_commands_file)
        try:
            data = orjson.loads(path.read_bytes())
        except OSError as exc:
            raise _ArgumentError(f"{path}: cannot read the commands file: {exc.strerror or exc}") from None
        except orjson.JSONDecodeError as exc:
            raise _ArgumentError(f"{path}: not valid JSON: {exc}") from None
        specs.extend(data if isinstance(data, list) and (not data or not isinstance(data[0], str)) else [data])
    try:
        return [parse_command(s, i) for i, s in enumerate(specs)]
    except CommandSpecError as exc:
        raise _ArgumentError(str(exc)) from None


def _print_json(doc: Any) -> None:
    sys.stdout.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2, default=str).decode("utf-8") + "\n")
    sys.stdout.flush()


def _stderr_events(quiet: bool):
    def on_event(name: str, payload: Any) -> None:
        if quiet or not isinstance(payload, dict):
            return
        if name == "telemetry:artifact_written":
            print(f"[inspector-export] wrote {payload.get('path') or payload.get('filename')} "
                  f"({payload.get('size')} B, {payload.get('durationMs')} ms)", file=sys.stderr)
        elif name == "telemetry:artifact_failed":
            print(f"[inspector-export] FAILED {payload.get('filename')} ({payload.get('writerId')}): "
                  f"{payload.get('errorMessage')}", file=sys.stderr)
        elif name == "telemetry:export_budget_status":
            print(f"[inspector-export] spatial-hash budget: {payload.get('status')} "
                  f"({payload.get('payloadBytes')} / {payload.get('budgetBytes')} B)", file=sys.stderr)
        elif name == "telemetry:ci_publish_started":
            mode = "dry run" if payload.get("dryRun") else "running commands"
            print(f"[inspector-export] publishing {payload.get('artifactCount')} artifact(s), {mode}: "
                  f"{payload.get('metadataPath')}", file=sys.stderr)
    return on_event


def main(argv: list[str] | None = None) -> int:
    """Run the export CLI; returns the exit code (see the module docstring)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except _ArgumentError as exc:
        print(f"inspector-export: error: {exc}", file=sys.stderr)
        print(parser.format_usage().rstrip(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.ERROR if args.quiet else logging.WARNING, stream=sys.stderr,
                            format="[inspector-export] %(levelname)s %(message)s")
    cancel = threading.Event()
    try:
        return _run(args, cancel)
    except _ArgumentError as exc:
        print(f"inspector-export: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("inspector-export: interrupted; artifacts already written were kept, nothing is half-written",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        log.debug("internal error", exc_info=True)
        print(f"inspector-export: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


def _run(args: argparse.Namespace, cancel: threading.Event) -> int:
    from inspector_app.core.export.inputs import ExportInputError, summary_from_path
    from inspector_app.core.export.artifacts import unknown_formats
    from inspector_app.core.export.pipeline import PublishOptions, run_export

    context: dict[str, Any] = {}
    if args.context:
        ctx = _parse_json_arg(args.context, "--context")
        if not isinstance(ctx, dict):
            raise _ArgumentError("--context must be a JSON object")
        context.update(ctx)
    commands = _publish_commands(args)
    if args.publish_timeout <= 0:
        raise _ArgumentError("--publish-timeout must be positive")
    for name in unknown_formats(args.formats):
        print(f"[inspector-export] warning: unknown format {name!r} ignored", file=sys.stderr)
    try:
        source = summary_from_path(args.input, slot=args.slot, origin=args.origin)
    except ExportInputError as exc:
        print(f"inspector-export: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for note in source.notes:
        print(f"[inspector-export] note: {note}", file=sys.stderr)
    context.setdefault("input", source.path)
    if source.slot_id:
        context.setdefault("slot", source.slot_id)
    out_dir = Path(args.out or os.environ.get("TELEMETRY_EXPORT_DIR") or "telemetry-artifacts")
    publish = None
    if args.publish or args.dry_run or commands:
        publish = PublishOptions(commands=commands, dry_run=args.dry_run, timeout_s=args.publish_timeout,
                                 metadata_path=args.metadata)
    if not args.quiet:
        print(f"[inspector-export] exporting {source.path}"
              + (f" slot {source.slot_id}" if source.slot_id else "") + f" to {out_dir}", file=sys.stderr)
    result = run_export(source.summary, out_dir=out_dir, prefix=args.prefix, formats=args.formats,
                        publish=publish, on_event=_stderr_events(args.quiet), cancelled=cancel.is_set,
                        context=context, overwrite=args.overwrite)
    doc = result.to_json()
    doc["input"] = {"path": source.path, "kind": source.kind, "slot": source.slot_id, "label": source.slot_label}
    code = EXIT_OK
    if args.fail_on_writer_error and result.writer_failed:
        code = EXIT_WRITER_FAILED
    elif result.publish_failed:
        code = EXIT_PUBLISH_FAILED
    doc["exitCode"] = code
    _print_json(doc)
    if not args.quiet:
        written = sum(1 for a in result.artifacts if a.status == "written")
        print(f"[inspector-export] {written} of {len(result.artifacts)} artifact write(s) succeeded; "
              f"exit {code}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
