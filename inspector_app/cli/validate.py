"""``python -m inspector_app validate PATH ... [--json]``: load inputs headless and report.

One line per file and one per slot (kind, slot id, label, version, snapshot source, size,
status), each problem indented under what it belongs to. Folders are walked for ``*.json``.
Exit status 0 when everything loads (notices and warnings allowed), 2 when any input is
missing or unreadable or any slot has an ERROR. Never a traceback: an unexpected exception
becomes an "internal error" result for that file, and the walk goes on.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Iterable

import orjson

from inspector_app.core.loading.document import LoadError, Problem, SaveDocument, Severity, SlotEntry
from inspector_app.core.browser.storage import looks_like_browser_storage
from inspector_app.core.loading.loader import load_path
from inspector_app.core.loading.slots import format_bytes, format_playtime, format_timestamp, format_version

EXIT_OK = 0
EXIT_BAD = 2


# --------------------------------------------------------------------------- collecting
def _walk_json(folder: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / f for f in sorted(filenames) if f.lower().endswith(".json"))
    return found


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {"severity": p.severity.value, "code": p.code, "message": p.message, "file": p.file,
            "slot": p.slot, "location": p.location, "text": p.describe()}


def _slot_dict(s: SlotEntry) -> dict[str, Any]:
    return {"key": s.key, "slot_id": s.slot_id, "label": s.label, "slot_type": s.slot_type,
            "status": s.status.value, "version": s.version, "snapshot_source": s.snapshot_source,
            "size_bytes": s.size_bytes, "timestamp": s.timestamp, "playtime": s.playtime,
            "in_index": s.in_index, "problems": [_problem_dict(p) for p in s.problems]}


def _has_error(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def validate_one(path: Path, origin: str | None = None) -> dict[str, Any]:
    """Load one file and return its JSON-able result (never raises)."""
    result: dict[str, Any] = {"path": str(path), "ok": False, "kind": None, "size_bytes": None,
                              "error": None, "problems": [], "slots": []}
    try:
        doc = load_path(path, origin=origin) if origin else load_path(path)
    except LoadError as exc:
        result["error"] = _problem_dict(exc.problem)
        return result
    except Exception as exc:  # noqa: BLE001 - the validator must report, never crash
        problem = Problem(Severity.ERROR, f"Internal error while loading this file ({type(exc).__name__}: {exc}). "
                          "Please report it with the file.", file=str(path), code="internal_error")
        result["error"] = _problem_dict(problem)
        return result
    result.update(kind=doc.kind.value, size_bytes=doc.size_bytes,
                  problems=[_problem_dict(p) for p in doc.problems],
                  slots=[_slot_dict(s) for s in doc.slots])
    if doc.source is not None:
        result["source"] = doc.source
    if doc.summary is not None:
        result["summary"] = {"generatedAt": doc.summary.get("generatedAt"), "source": doc.summary.get("source")}
        result["sibling_artifacts"] = {k: str(v) for k, v in doc.sibling_artifacts.items()}
    if doc.index is not None:
        result["index_slots"] = list(doc.index)
    result["ok"] = not _has_error(doc.all_problems)
    result["_doc"] = doc
    return result


def _missing(path: Path, message: str, code: str) -> dict[str, Any]:
    p = Problem(Severity.ERROR, message, file=str(path), code=code)
    return {"path": str(path), "ok": False, "kind": None, "size_bytes": None, "error": _problem_dict(p),
            "problems": [], "slots": []}


# --------------------------------------------------------------------------- text output
def _counts(problems: list[Problem]) -> str:
    parts = []
    for sev, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.NOTICE, "notice")):
        n = sum(1 for p in problems if p.severity is sev)
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    return ", ".join(parts)


def _file_status(result: dict[str, Any]) -> str:
    if result["error"]:
        code = result["error"].get("code")
        return {"unrecognised": "UNKNOWN", "file_missing": "MISSING", "no_json_files": "MISSING",
                "internal_error": "INTERNAL"}.get(code, "UNREADABLE")
    doc: SaveDocument = result["_doc"]
    probs = doc.all_problems
    if _has_error(probs):
        return "ERRORS"
    if any(p.severity is Severity.WARNING for p in probs):
        return "WARNINGS"
    return "OK"


def _problem_line(p: Problem, indent: str, with_slot: bool = False) -> str:
    parts = [x for x in ((p.slot if with_slot else None), p.location) if x]
    where = f"{' '.join(parts)}: " if parts else ""
    return f"{indent}{p.severity.value}: {where}{p.message}"


def _describe_doc(doc: SaveDocument) -> str:
    bits = [doc.kind.value]
    if doc.slots or doc.kind.value in ("profile", "payload", "engine-save"):
        bits.append(f"{len(doc.slots)} slot{'s' if len(doc.slots) != 1 else ''}")
    bits.append(format_bytes(doc.size_bytes))
    if doc.summary is not None:
        bits.append(f"generated {format_timestamp(doc.summary.get('generatedAt'))}")
        bits.append(f"source {doc.summary.get('source')}")
        if doc.sibling_artifacts:
            bits.append(f"{len(doc.sibling_artifacts)} sibling artifacts ({', '.join(doc.sibling_artifacts)})")
    if doc.profile_flags:
        bits.append("flags " + ", ".join(f"{k}={v}" if isinstance(v, str) and len(v) < 12 else k
                                         for k, v in doc.profile_flags.items()))
    return ", ".join(bits)


def _slot_rows(slots: list[SlotEntry]) -> list[str]:
    cells = []
    for s in slots:
        cells.append([
            s.slot_id, f"\"{s.label}\"", s.slot_type, format_version(s.version), s.snapshot_source or "\u2014",
            format_playtime(s.playtime), format_bytes(s.size_bytes), s.status.value.upper(),
        ])
    widths = [max(len(c[i]) for c in cells) for i in range(len(cells[0]))] if cells else []
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]


def render_text(results: list[dict[str, Any]], roots: dict[str, Path]) -> str:
    out: list[str] = []
    for r in results:
        shown = _shown_path(Path(r["path"]), roots)
        status = _file_status(r)
        if r["error"]:
            e = r["error"]
            where = f"{e['location']}: " if e.get("location") else ""
            out.append(f"{status:<10} {shown}")
            out.append(f"           error: {where}{e['message']}")
            continue
        doc: SaveDocument = r["_doc"]
        counts = _counts(doc.all_problems)
        out.append(f"{status:<10} {shown} \u2014 {_describe_doc(doc)}" + (f" ({counts})" if counts else ""))
        if doc.source:
            out.append(f"           read from {doc.source}")
        for p in doc.problems:
            out.append(_problem_line(p, "           ", with_slot=True))
        for slot, row in zip(doc.slots, _slot_rows(doc.slots)):
            out.append(f"           slot {row}")
            for p in slot.problems:
                out.append(_problem_line(p, "                "))
    return "\n".join(out)


def _shown_path(path: Path, roots: dict[str, Path]) -> str:
    root = roots.get(str(path))
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)


def _summary_line(results: list[dict[str, Any]]) -> str:
    n = len(results)
    unreadable = sum(1 for r in results if r["error"])
    with_errors = sum(1 for r in results if not r["error"] and not r["ok"])
    good = n - unreadable - with_errors
    slots = sum(len(r["slots"]) for r in results)
    bad_slots = sum(1 for r in results for s in r["slots"] if s["status"] == "error")
    return (f"{n} input{'s' if n != 1 else ''}: {good} loaded, {with_errors} loaded with errors, "
            f"{unreadable} not loaded; {slots} slot{'s' if slots != 1 else ''}, {bad_slots} of them unreadable.")


# --------------------------------------------------------------------------- main
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m inspector_app validate",
        description="Check saves, localStorage profile exports and inspector summaries without opening the window.",
        epilog="Exit status: 0 when every input loads (notices and warnings allowed), 2 when any input is missing "
               "or unreadable or any slot has an error.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a file, or a folder to search for *.json files")
    p.add_argument("--json", action="store_true", help="print one JSON document (a list of results) on stdout")
    p.add_argument("--origin", help="for a browser profile or storage folder holding saves of several origins: "
                                    "the origin to read (e.g. http://localhost:8080)")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_BAD
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    roots: dict[str, Path] = {}
    headers: list[str] = []
    for raw in args.paths:
        path = Path(raw)
        try:
            if path.is_dir() and looks_like_browser_storage(path):
                results.append(validate_one(path, args.origin))
            elif path.is_dir():
                files = _walk_json(path)
                if not files:
                    results.append(_missing(path, "No *.json files in this folder.", "no_json_files"))
                    continue
                headers.append(f"{path}: {len(files)} JSON file{'s' if len(files) != 1 else ''}")
                for f in files:
                    roots[str(f)] = path
                    results.append(validate_one(f))
            elif path.exists():
                results.append(validate_one(path))
            else:
                results.append(_missing(path, "No such file or folder.", "file_missing"))
        except OSError as exc:
            results.append(_missing(path, f"Cannot be read: {exc.strerror or exc}.", "read_failed"))
    code = EXIT_OK if all(r["ok"] for r in results) else EXIT_BAD
    try:
        if args.json:
            clean = [{k: v for k, v in r.items() if k != "_doc"} for r in results]
            sys.stdout.write(orjson.dumps(clean, option=orjson.OPT_INDENT_2, default=str).decode() + "\n")
        else:
            for h in headers:
                print(h)
            print(render_text(results, roots))
            print(_summary_line(results))
        sys.stdout.flush()
    except BrokenPipeError:  # "validate ... | head": the reader left; no traceback
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
    return code
