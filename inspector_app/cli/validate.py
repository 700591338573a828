r"""``python -m inspector_app validate PATH ... [--json]``: load inputs headless and report.

One line per file and one per slot (kind, slot id, label, version, snapshot source, size,
status), each problem indented under what it belongs to. Folders are walked for ``*.json``
(regular files only: FIFOs, sockets and devices are skipped with a note). Exit status 0 when
everything loads (notices and warnings allowed), 2 when any input is missing or unreadable or
any slot has an ERROR. Never a traceback: an unexpected exception becomes an "internal error"
result for that file, and the walk goes on.

Bounded on hostile inputs: each file's result is written as soon as it is ready (the report
never holds more than one document), and at most :data:`MAX_SAME_PROBLEM` problems with the
same code are listed per file; the rest are counted ("… and 199,990 more slots with the same
problem"). Text output escapes control, bidi and invisible characters (``core.common.textsafe``).

``--json`` prints one JSON array, one object per input, always complete: integers beyond
64 bits are written as exact JSON numbers (never rounded, never a string), file names whose
bytes are not UTF-8 keep each undecodable byte as a ``\udcXX`` escape (Python's
``surrogateescape``: ``os.fsencode(json.loads(...))`` gives the original bytes back), echoed
values that are arrays or objects (a ``version`` that is not a number) are described in
words, and C1 controls, bidi and invisible characters are written as ``\uXXXX`` escapes.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

import orjson

from inspector_app.core.browser.storage import looks_like_browser_storage
from inspector_app.core.common.textsafe import json_visible, visible
from inspector_app.core.loading.document import LoadError, Problem, SaveDocument, Severity, SlotEntry, SlotStatus
from inspector_app.core.loading.jsonparse import describe_value
from inspector_app.core.loading.loader import is_regular_file, load_path
from inspector_app.core.common.timefmt import format_playtime
from inspector_app.core.loading.slots import format_bytes, format_timestamp, format_version

EXIT_OK = 0
EXIT_BAD = 2
#: Problems with the same code listed per file; the others are counted, not listed.
MAX_SAME_PROBLEM = 10


# --------------------------------------------------------------------------- collecting
def _walk_json(folder: Path) -> tuple[list[Path], list[Path]]:
    """(regular ``*.json`` files, other ``*.json`` entries skipped: FIFOs, sockets, devices)."""
    found: list[Path] = []
    skipped: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if f.lower().endswith(".json"):
                p = Path(dirpath) / f
                (found if is_regular_file(p) else skipped).append(p)
    return found, skipped


def _echo(value: Any) -> Any:
    """A value from the input, echoed in the report: scalars as they are, containers in words
    (they can be deep or huge; the report is about the file, not a copy of it)."""
    if isinstance(value, (dict, list)):
        return describe_value(value)
    return value


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {"severity": p.severity.value, "code": p.code, "message": p.message, "file": p.file,
            "slot": p.slot, "location": p.location, "text": p.describe()}


def _has_error(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


class _ProblemCap:
    """Lets through the first MAX_SAME_PROBLEM problems of each code of one file; counts the
    rest (and the slots they belong to) for one closing line per code."""

    def __init__(self, limit: int = MAX_SAME_PROBLEM):
        self.limit = limit
        self.seen: dict[str, int] = {}
        self.elided: dict[str, dict[str, Any]] = {}

    def keep(self, p: Problem) -> bool:
        n = self.seen.get(p.code, 0) + 1
        self.seen[p.code] = n
        if n <= self.limit:
            return True
        more = self.elided.get(p.code)
        if more is None:
            more = self.elided[p.code] = {"code": p.code, "severity": p.severity.value, "count": 0, "slots": 0,
                                          "example": p.message, "_last_slot": object()}
        more["count"] += 1
        if p.slot != more["_last_slot"]:
            more["slots"] += 1
            more["_last_slot"] = p.slot
        return False

    def summaries(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in e.items() if not k.startswith("_")} for e in self.elided.values()]


def _more_text(e: dict[str, Any]) -> str:
    n, slots = e["count"], e["slots"]
    if slots == n and slots:
        what = f"{n:,} more slot{'s' if n != 1 else ''} with the same problem"
    else:
        what = f"{n:,} more problem{'s' if n != 1 else ''} of the same kind"
    return f"\u2026 and {what} ({e['severity']}: {e['code']})"


def _slot_dict(s: SlotEntry, cap: _ProblemCap) -> dict[str, Any]:
    return {"key": s.key, "slot_id": s.slot_id, "label": s.label, "slot_type": s.slot_type,
            "status": s.status.value, "version": _echo(s.version), "snapshot_source": _echo(s.snapshot_source),
            "size_bytes": s.size_bytes, "timestamp": s.timestamp, "playtime": s.playtime,
            "in_index": s.in_index, "problems": [_problem_dict(p) for p in s.problems if cap.keep(p)]}


def _load_result(path: Path, origin: str | None = None) -> dict[str, Any]:
    """Load one file (never raises). The result holds the document in ``_doc``; its problems
    and slots are turned into JSON-able dicts only while they are written."""
    result: dict[str, Any] = {"path": str(path), "ok": False, "kind": None, "size_bytes": None,
                              "error": None}
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
    result.update(kind=doc.kind.value, size_bytes=doc.size_bytes)
    if doc.source is not None:
        result["source"] = doc.source
    if doc.summary is not None:
        result["summary"] = {"generatedAt": _echo(doc.summary.get("generatedAt")),
                             "source": _echo(doc.summary.get("source"))}
        result["sibling_artifacts"] = {k: str(v) for k, v in doc.sibling_artifacts.items()}
    if doc.index is not None:
        result["index_slots"] = list(doc.index)
    result["ok"] = not _has_error(doc.all_problems)
    result["_doc"] = doc
    return result


def _details(result: dict[str, Any]) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]], _ProblemCap]:
    """(document problems, slots one by one, the cap whose summaries are final once the slots
    are consumed) — the same order and cap for every output."""
    doc: SaveDocument | None = result.get("_doc")
    cap = _ProblemCap()
    if doc is None:
        return [], iter(()), cap
    problems = [_problem_dict(p) for p in doc.problems if cap.keep(p)]
    return problems, (_slot_dict(s, cap) for s in doc.slots), cap


def validate_one(path: Path, origin: str | None = None) -> dict[str, Any]:
    """Load one file and return its whole JSON-able result (never raises)."""
    result = _load_result(path, origin)
    problems, slots, cap = _details(result)
    result["problems"] = problems
    result["slots"] = list(slots)
    result["more_problems"] = cap.summaries()
    return result


def _missing(path: Path, message: str, code: str) -> dict[str, Any]:
    p = Problem(Severity.ERROR, message, file=str(path), code=code)
    return {"path": str(path), "ok": False, "kind": None, "size_bytes": None, "error": _problem_dict(p)}


# --------------------------------------------------------------------------- JSON output
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 64) - 1


def _jsonable(value: Any) -> Any:
    """The report with what orjson cannot write replaced by exact JSON text (Fragments):
    integers beyond 64 bits as numbers, strings with lone surrogates as ``\\udcXX`` escapes."""
    if isinstance(value, dict):
        return {(k if _utf8_ok(k) else _surrogate_key(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if _INT_MIN <= value <= _INT_MAX else orjson.Fragment(str(value).encode())
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, str):
        return value if _utf8_ok(value) else orjson.Fragment(json.dumps(value).encode())
    return str(value)


def _utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _surrogate_key(key: str) -> str:
    # Keys cannot be Fragments; our report's keys are our own ASCII names, so this is a guard.
    return key.encode("utf-8", "backslashreplace").decode("ascii", "replace")


def _dumps(value: Any, indent: str) -> str:
    try:
        text = orjson.dumps(_jsonable(value), option=orjson.OPT_INDENT_2).decode()
    except Exception as exc:  # noqa: BLE001 - one unwritable part must not break the whole report
        text = orjson.dumps({"internal_error": f"this part of the report could not be written "
                                               f"({type(exc).__name__}); please report it with the file"},
                            option=orjson.OPT_INDENT_2).decode()
    return json_visible(text).replace("\n", "\n" + indent)


def json_chunks(result: dict[str, Any], indent: str = "  ") -> Iterator[str]:
    """One result as indented JSON text, in pieces (a slot at a time: a file of 200,000
    slots is never one string). Never raises on anything the loader accepted."""
    problems, slots, cap = _details(result)
    head = {k: v for k, v in result.items() if not k.startswith("_") and k not in ("problems", "slots")}
    head["problems"] = problems
    text = _dumps(head, indent)
    yield text[:text.rindex("}")].rstrip() + f',\n{indent}  "slots": ['
    inner = indent + "    "
    first = True
    for slot in slots:
        yield ("\n" if first else ",\n") + inner + _dumps(slot, inner)
        first = False
    yield ("]" if first else f"\n{indent}  ]") + f',\n{indent}  "more_problems": ' \
        + _dumps(cap.summaries(), indent + "  ") + f"\n{indent}}}"


def json_result(result: dict[str, Any]) -> str:
    """One result as indented JSON text."""
    return "".join(json_chunks(result, ""))


# --------------------------------------------------------------------------- text output
def _counts(problems: list[Problem]) -> str:
    parts = []
    for sev, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.NOTICE, "notice")):
        n = sum(1 for p in problems if p.severity is sev)
        if n:
            parts.append(f"{n:,} {word}{'s' if n != 1 else ''}")
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
        bits.append(f"{len(doc.slots):,} slot{'s' if len(doc.slots) != 1 else ''}")
    bits.append(format_bytes(doc.size_bytes))
    if doc.summary is not None:
        bits.append(f"generated {format_timestamp(doc.summary.get('generatedAt'))}")
        bits.append(f"source {_echo(doc.summary.get('source'))}")
        if doc.sibling_artifacts:
            bits.append(f"{len(doc.sibling_artifacts)} sibling artifacts ({', '.join(doc.sibling_artifacts)})")
    if doc.profile_flags:
        flags = list(doc.profile_flags.items())
        shown = ", ".join(f"{k}={v}" if isinstance(v, str) and len(v) < 12 else k for k, v in flags[:8])
        bits.append("flags " + shown + (f", \u2026 ({len(flags) - 8:,} more)" if len(flags) > 8 else ""))
    return ", ".join(bits)


def _slot_rows(slots: list[SlotEntry]) -> list[str]:
    cells = []
    for s in slots:
        cells.append([
            visible(s.slot_id), f"\"{visible(s.label)}\"", s.slot_type, visible(format_version(s.version)),
            visible(s.snapshot_source) if isinstance(s.snapshot_source, str) else "\u2014",
            format_playtime(s.playtime), format_bytes(s.size_bytes), s.status.value.upper(),
        ])
    widths = [max(len(c[i]) for c in cells) for i in range(len(cells[0]))] if cells else []
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]


def text_lines(result: dict[str, Any], roots: dict[str, Path]) -> Iterator[str]:
    """The text report of one result, line by line; every line is safe to print."""
    shown = _shown_path(Path(result["path"]), roots)
    status = _file_status(result)
    if result["error"]:
        e = result["error"]
        where = f"{e['location']}: " if e.get("location") else ""
        yield visible(f"{status:<10} {shown}")
        yield visible(f"           error: {where}{e['message']}")
        return
    doc: SaveDocument = result["_doc"]
    counts = _counts(doc.all_problems)
    yield visible(f"{status:<10} {shown} \u2014 {_describe_doc(doc)}" + (f" ({counts})" if counts else ""))
    if doc.source:
        yield visible(f"           read from {doc.source}")
    cap = _ProblemCap()
    for p in doc.problems:
        if cap.keep(p):
            yield visible(_problem_line(p, "           ", with_slot=True))
    for slot, row in zip(doc.slots, _slot_rows(doc.slots)):
        yield f"           slot {row}"
        for p in slot.problems:
            if cap.keep(p):
                yield visible(_problem_line(p, "                "))
    for e in cap.summaries():
        yield visible(f"           {_more_text(e)}")


def _shown_path(path: Path, roots: dict[str, Path]) -> str:
    root = roots.get(str(path))
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)


@dataclass
class _Tally:
    inputs: int = 0
    unreadable: int = 0
    with_errors: int = 0
    slots: int = 0
    bad_slots: int = 0
    all_ok: bool = True

    def add(self, r: dict[str, Any]) -> None:
        self.inputs += 1
        self.all_ok &= bool(r["ok"])
        if r["error"]:
            self.unreadable += 1
        elif not r["ok"]:
            self.with_errors += 1
        doc: SaveDocument | None = r.get("_doc")
        if doc is not None:
            self.slots += len(doc.slots)
            self.bad_slots += sum(1 for s in doc.slots if s.status is SlotStatus.ERROR)

    def line(self) -> str:
        n, slots = self.inputs, self.slots
        good = n - self.unreadable - self.with_errors
        return (f"{n:,} input{'s' if n != 1 else ''}: {good:,} loaded, {self.with_errors:,} loaded with errors, "
                f"{self.unreadable:,} not loaded; {slots:,} slot{'s' if slots != 1 else ''}, "
                f"{self.bad_slots:,} of them unreadable.")


# --------------------------------------------------------------------------- main
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m inspector_app validate",
        description="Check saves, localStorage profile exports and inspector summaries without opening the window.",
        epilog="Exit status: 0 when every input loads (notices and warnings allowed), 2 when any input is missing "
               "or unreadable or any slot has an error. With --json, integers beyond 64 bits are exact JSON "
               "numbers and undecodable file-name bytes are \\udcXX escapes.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a file, or a folder to search for *.json files")
    p.add_argument("--json", action="store_true", help="print one JSON document (a list of results) on stdout")
    p.add_argument("--origin", help="for a browser profile or storage folder holding saves of several origins: "
                                    "the origin to read (e.g. http://localhost:8080)")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
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


class _Out:
    """stdout that goes quiet (instead of raising) once the reader has left (``| head``);
    validation goes on, so the exit status still covers every input."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.closed = False

    def _close(self) -> None:
        self.closed = True
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())
        except (OSError, ValueError):
            pass

    def write(self, text: str) -> None:
        if not self.closed:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._close()

    def flush(self) -> None:
        if not self.closed:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._close()


def _inputs(paths: list[str], origin: str | None = None) -> Iterator[tuple[str, Any, Path | None]]:
    """("header", text, None) lines and ("result", result, root) items, in order."""
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir() and looks_like_browser_storage(path):
                yield "result", _load_result(path, origin), None
            elif path.is_dir():
                files, skipped = _walk_json(path)
                if not files and not skipped:
                    yield "result", _missing(path, "No *.json files in this folder.", "no_json_files"), None
                    continue
                note = f"{path}: {len(files):,} JSON file{'s' if len(files) != 1 else ''}"
                if skipped:
                    names = ", ".join(str(p.relative_to(path)) for p in skipped[:5])
                    note += (f" (skipped {len(skipped):,} that {'are' if len(skipped) != 1 else 'is'} not regular "
                             f"files: {names}{', …' if len(skipped) > 5 else ''})")
                yield "header", note, None
                for f in files:
                    yield "result", _load_result(f), path
            elif path.exists():
                yield "result", _load_result(path), None
            else:
                yield "result", _missing(path, "No such file or folder.", "file_missing"), None
        except OSError as exc:
            yield "result", _missing(path, f"Cannot be read: {exc.strerror or exc}.", "read_failed"), None


def _run(args: argparse.Namespace) -> int:
    out = _Out(sys.stdout)
    tally = _Tally()
    first = True
    if args.json:
        out.write("[")
    for what, item, root in _inputs(args.paths, args.origin):
        if what == "header":
            if not args.json:
                out.write(visible(item) + "\n")
            continue
        result = item
        tally.add(result)
        if args.json:
            out.write("\n  " if first else ",\n  ")
            for piece in json_chunks(result):
                out.write(piece)
        else:
            roots = {result["path"]: root} if root is not None else {}
            for line in text_lines(result, roots):
                out.write(line + "\n")
        first = False
        result.pop("_doc", None)
        out.flush()
    if args.json:
        out.write("\n]\n" if not first else "]\n")
    else:
        out.write(tally.line() + "\n")
    out.flush()
    return EXIT_OK if tally.all_ok else EXIT_BAD
