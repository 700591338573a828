"""``inspector-export`` / ``python -m inspector_app export``: the headless export for QA and CI.

Writes the game's inspector artifacts for one input through the shared pipeline
(:func:`inspector_app.core.export.pipeline.run_export`, the same code as the GUI's Export
button), optionally publishes them for CI, and prints **one JSON summary on stdout**
(artifacts with paths and sizes, adapter metrics, failures, budget status, publish results).
Progress and log lines go to stderr.

The summary's top-level ``status`` says what happened: ``ok`` (written), ``unchanged`` (every
file was already there with identical bytes — a re-run), ``partial`` (some files failed),
``nothing-written`` or ``cancelled``; ``statusText`` says it in words.

Exit codes:
  0  success (also ``partial`` / ``nothing-written`` unless --fail-on-writer-error: read ``status``)
  1  internal error (a bug: please report it with the stderr output)
  2  bad input or bad arguments (unreadable file, unknown slot, bad --publish-command,
     --metadata that would replace a file that is not a CI manifest or the input, input too big)
  3  not every artifact is in place (``partial`` / ``nothing-written``) and
     --fail-on-writer-error was given
  4  publishing failed: manifest not written, or an upload command failed, timed out or
     was not found (checked after 3)
  130 interrupted (Ctrl+C), 143 terminated (SIGTERM): files already written stay, nothing is
     half-written, no temporary file is left; a SIGKILL can leave one, which the next run removes
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

from inspector_app.cli.frontend import (  # noqa: F401 - the exit codes are part of this module's API
    EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_PUBLISH_FAILED, EXIT_TERMINATED, EXIT_WRITER_FAILED,
    run_command,
)
from inspector_app.cli.frontend import ArgumentError as _ArgumentError
from inspector_app.cli.frontend import Parser as _Parser
from inspector_app.cli.frontend import print_json as _print_json
from inspector_app.cli.frontend import shown as _shown

#: inputs larger than this are refused (``--max-input-mb``): export memory grows ~10× the input
DEFAULT_MAX_INPUT_MB = 128

log = logging.getLogger("inspector_app.cli.export")


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
    p.add_argument("--overwrite", action="store_true",
                   help="replace existing artifacts (and a --metadata file) of the same name; identical files "
                        "are never an error (status 'unchanged'); the input itself is never replaced")
    p.add_argument("--game-exact-csv", action="store_true",
                   help="write the game's CSV bytes exactly, without neutralising cells a spreadsheet could run "
                        "as formulas (=, +, -, @, TAB, CR) — only for byte-for-byte comparisons")
    p.add_argument("--max-input-mb", type=float, default=DEFAULT_MAX_INPUT_MB, metavar="MB",
                   help=f"refuse inputs larger than this (default {DEFAULT_MAX_INPUT_MB} MB; exporting needs "
                        f"about ten times the input's size in memory)")
    p.add_argument("--publish", action="store_true",
                   help="write ci-artifacts.json and run the publish commands (dry run outside CI)")
    p.add_argument("--dry-run", dest="dry_run", action="store_true", default=None,
                   help="publish the manifest only; run no command (implies --publish)")
    p.add_argument("--no-dry-run", dest="dry_run", action="store_false",
                   help="run the publish commands even when CI is not set")
    p.add_argument("--publish-command", action="append", default=[], metavar="JSON",
                   help='upload command as a JSON argv list, e.g. \'["gh","run","upload","{dir}"]\', or an '
                        'object {"command","args","env","cwd","timeout"}; {dir} becomes the artifact folder and '
                        '{manifest} the manifest path; runs in its own process group; repeatable')
    p.add_argument("--publish-commands-file", metavar="PATH",
                   help="JSON file with a list of commands in the same forms (like .github/ci/telemetry-commands.json)")
    p.add_argument("--publish-timeout", type=float, default=300.0, metavar="SECONDS",
                   help="timeout per publish command (default 300)")
    p.add_argument("--metadata", metavar="PATH", help="manifest path (default <out>/ci-artifacts.json)")
    p.add_argument("--context", metavar="JSON",
                   help="JSON object merged into the export context (not artifactDir: use --out)")
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


def _stderr_events(quiet: bool):
    def on_event(name: str, payload: Any) -> None:
        if quiet or not isinstance(payload, dict):
            return
        if name == "telemetry:artifact_written":
            what = "unchanged" if payload.get("unchanged") else "wrote"
            print(f"[inspector-export] {what} {_shown(payload.get('path') or payload.get('filename'))} "
                  f"({payload.get('size')} B, {payload.get('durationMs')} ms)", file=sys.stderr)
            _test_hook_after_artifact()
        elif name == "telemetry:artifact_failed":
            print(f"[inspector-export] FAILED {_shown(payload.get('filename'))} ({payload.get('writerId')}): "
                  f"{_shown(payload.get('errorMessage'))}", file=sys.stderr)
        elif name == "telemetry:export_budget_status":
            print(f"[inspector-export] spatial-hash budget: {payload.get('status')} "
                  f"({payload.get('payloadBytes')} / {payload.get('budgetBytes')} B)", file=sys.stderr)
        elif name == "telemetry:ci_publish_started":
            mode = "dry run" if payload.get("dryRun") else "running commands"
            print(f"[inspector-export] publishing {payload.get('artifactCount')} artifact(s), {mode}: "
                  f"{_shown(payload.get('metadataPath'))}", file=sys.stderr)
    return on_event


# -- test hook (kill tests): INSPECTOR_EXPORT_TEST_HOOK=pause-after:N | pause-in-write:N ----------
# pause-after:N    after the N-th artifact is in place, say "test-hook: paused" on stderr and wait
# pause-in-write:N while the N-th file's temporary is complete but not yet moved into place
_hook_count = 0


def _test_hook_spec() -> tuple[str, int] | None:
    raw = os.environ.get("INSPECTOR_EXPORT_TEST_HOOK", "")
    kind, _, n = raw.partition(":")
    return (kind, int(n)) if kind in ("pause-after", "pause-in-write") and n.isdigit() else None


def _pause(reason: str) -> None:
    print(f"[inspector-export] test-hook: paused ({reason})", file=sys.stderr, flush=True)
    threading.Event().wait()


def _test_hook_after_artifact() -> None:
    global _hook_count
    spec = _test_hook_spec()
    if spec and spec[0] == "pause-after":
        _hook_count += 1
        if _hook_count == spec[1]:
            _pause(f"after artifact {spec[1]}")


def _install_test_hook() -> None:
    spec = _test_hook_spec()
    if not spec or spec[0] != "pause-in-write":
        return
    from inspector_app.core.common import fileio
    real_commit = fileio._commit
    calls = {"n": 0}

    def paused_commit(tmp, path, **kwargs):
        calls["n"] += 1
        if calls["n"] == spec[1]:
            _pause(f"temporary {os.path.basename(tmp)} written")
        return real_commit(tmp, path, **kwargs)

    fileio._commit = paused_commit


def main(argv: list[str] | None = None) -> int:
    """Run the export CLI; returns the exit code (see the module docstring)."""
    return run_command("inspector-export", build_parser(), argv, _run, log=log, kept="artifacts",
                       before_run=_install_test_hook)


def _run(args: argparse.Namespace, cancel: threading.Event) -> int:
    from inspector_app.core.export.inputs import ExportInputError, summary_from_path
    from inspector_app.core.export.artifacts import unknown_formats
    from inspector_app.core.export.pipeline import PublishOptions, run_export

    context: dict[str, Any] = {}
    if args.context:
        ctx = _parse_json_arg(args.context, "--context")
        if not isinstance(ctx, dict):
            raise _ArgumentError("--context must be a JSON object")
        if "artifactDir" in ctx:
            raise _ArgumentError("--context may not set artifactDir: artifacts are always written to --out "
                                 "(and reported there); use --out to choose the folder")
        context.update(ctx)
    commands = _publish_commands(args)
    from inspector_app.core.export.publisher import manifest_refusal, valid_timeout
    if not valid_timeout(args.publish_timeout):
        raise _ArgumentError(f"--publish-timeout must be a finite positive number of seconds, "
                             f"not {args.publish_timeout!r}")
    if not (args.max_input_mb > 0 and args.max_input_mb != float("inf")):
        raise _ArgumentError("--max-input-mb must be a finite positive number")
    try:
        size = os.stat(args.input).st_size
    except OSError:
        size = 0            # the loader reports a missing/unreadable input with its own message
    if os.path.isfile(args.input) and size > args.max_input_mb * 1024 * 1024:
        print(f"inspector-export: {_shown(args.input)}: {size / 1048576:.0f} MB is larger than the "
              f"{args.max_input_mb:g} MB limit (exporting needs about ten times that in memory); "
              f"raise it with --max-input-mb if this machine has the memory", file=sys.stderr)
        return EXIT_BAD_INPUT
    for name in unknown_formats(args.formats):
        print(f"[inspector-export] warning: unknown format {name!r} ignored", file=sys.stderr)
    try:
        source = summary_from_path(args.input, slot=args.slot, origin=args.origin)
    except ExportInputError as exc:
        print(f"inspector-export: {_shown(exc)}", file=sys.stderr)
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
        manifest = Path(args.metadata) if args.metadata else out_dir / "ci-artifacts.json"
        refusal = manifest_refusal(manifest, overwrite=args.overwrite, protected=[args.input])
        if refusal:
            print(f"inspector-export: {_shown(refusal)}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if not args.quiet:
        print(f"[inspector-export] exporting {_shown(source.path)}"
              + (f" slot {source.slot_id}" if source.slot_id else "") + f" to {_shown(out_dir)}", file=sys.stderr)
    result = run_export(source.summary, out_dir=out_dir, prefix=args.prefix, formats=args.formats,
                        publish=publish, on_event=_stderr_events(args.quiet), cancelled=cancel.is_set,
                        context=context, overwrite=args.overwrite, unchanged_ok=True,
                        game_exact_csv=args.game_exact_csv, protected=[args.input])
    for path in result.stale_temporaries_removed:
        print(f"[inspector-export] removed a temporary file left by an interrupted export: {_shown(path)}",
              file=sys.stderr)
    doc = {"status": None, **result.to_json()}
    doc["status"] = result.status
    doc["input"] = {"path": source.path, "kind": source.kind, "slot": source.slot_id, "label": source.slot_label}
    code = EXIT_OK
    if args.fail_on_writer_error and not result.succeeded:
        code = EXIT_WRITER_FAILED
    elif result.publish_failed:
        code = EXIT_PUBLISH_FAILED
    doc["exitCode"] = code
    _print_json(doc)
    if not args.quiet:
        print(f"[inspector-export] {result.status}: {result.status_text()} Exit {code}.", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
