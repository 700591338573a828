"""Readers that turn every tutorial source the game has into :class:`TranscriptEntry` lists.

Sources (spec telemetry-pipeline §6, save-format §3.4 and §9.1):

* the transcript DTOs of an inspector summary (``summary.tutorial.transcript``) and its
  prompt snapshots (``summary.tutorial.snapshots``);
* the ``<prefix>-tutorial-transcript-<ts>.csv`` / ``.md`` export artifacts;
* a save's tutorial slice: ``startedAt``, ``completedTimeline`` + ``stepDurations`` (each
  completion, and the start it implies), ``promptHistory`` (prompt start times),
  ``promptHistorySnapshots``, ``skipped`` / ``completed``;
* several saves of one profile, merged in time order: entries with the same event, step and
  instant are counted once (a recorded entry beats one reconstructed from analytics).

Every reader returns :class:`TranscriptParts` and never raises for bad content: problems are
:class:`Problem` notes naming the file and the place (JSON path or line). No Qt here.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import orjson

from inspector_app.core.export.csvfmt import unneutralised
from inspector_app.core.loading.document import DocumentKind, Problem, SaveDocument, Severity
from inspector_app.core.search import json_type_name
from inspector_app.core.transcript.model import (
    KIND_ACTIONS, STEP_ORDER, STEP_TITLES, EventKind, Transcript, TranscriptEntry, finite_ms,
)

TRANSCRIPT_CSV_HEADER = ("sequence", "event", "prompt_id", "title", "action", "timestamp",
                         "timestamp_iso", "follow_up_narrative", "metadata")
_TITLE_TO_STEP = {title: step for step, title in STEP_TITLES.items()}
_ARTIFACT_RE = re.compile(r"-tutorial-transcript-\d{8}T\d{6}Z\.(csv|md)$")


@dataclass
class TranscriptParts:
    """Entries read from one or more sources, before they become a :class:`Transcript`."""

    entries: list[TranscriptEntry] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    run_ends: dict[str, float] = field(default_factory=dict)   # run -> save time (open steps)

    def extend(self, other: "TranscriptParts") -> "TranscriptParts":
        self.entries.extend(other.entries)
        self.notes.extend(other.notes)
        self.sources.extend(s for s in other.sources if s not in self.sources)
        for run, end in other.run_ends.items():
            self.run_ends[run] = max(end, self.run_ends.get(run, end))
        return self

    def build(self) -> Transcript:
        return Transcript(self.entries, self.notes, self.sources, self.run_ends)


def _problem(message: str, source: str, location: str | None = None,
             severity: Severity = Severity.WARNING, code: str = "") -> Problem:
    return Problem(severity, message, file=source or None, location=location, code=code)


def _str_or_none(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _list(value: Any) -> list:
    """A JSON array field, or [] for anything else (a number, a string, an object): a save may
    hold any shape where the game expects a list."""
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _run_key(started_at: float | None, fallback: str) -> str:
    return f"run@{int(started_at)}" if started_at is not None else fallback


def ms_from_iso(text: Any) -> float | None:
    """Epoch ms from ``2025-11-02T18:00:00.000Z``; None when absent or unparsable."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).timestamp() * 1000.0
    except ValueError:
        return None


# -- summary transcript DTOs (§6.2) and raw recorder entries (§6.1) -----------------------------
def entry_from_dto(dto: Any, source: str, location: str, run: str) -> TranscriptEntry | None:
    """One DTO (or raw recorder entry) as an entry; None when it is not an object."""
    if not isinstance(dto, dict):
        return None
    event = dto.get("event")
    kind = EventKind.from_event(event)
    ts = finite_ms(dto.get("timestamp"))
    if ts is None and "timestamp" not in dto:
        ts = ms_from_iso(dto.get("timestampIso"))
    meta = dto.get("metadata")
    seq = dto.get("sequence")
    return TranscriptEntry(
        event=event if isinstance(event, str) and event else "unknown",
        kind=kind, timestamp=ts,
        step_id=_str_or_none(dto.get("promptId")),
        title=_str_or_none(dto.get("title", dto.get("promptText"))),
        action=_str_or_none(dto.get("action", dto.get("actionTaken"))),
        follow_up=_str_or_none(dto.get("followUpNarrative")),
        metadata=meta if isinstance(meta, dict) else {},
        sequence=seq if isinstance(seq, int) and not isinstance(seq, bool) else None,
        source=source, run=run, location=location,
    )


def parts_from_dtos(dtos: Any, source: str, path: str = "$.tutorial.transcript") -> TranscriptParts:
    """Transcript DTOs of a summary. A ``tutorial_started`` opens a new run, as in the game."""
    parts = TranscriptParts(sources=[source])
    if dtos is None:
        return parts
    if not isinstance(dtos, list):
        parts.notes.append(_problem(f"transcript is {type(dtos).__name__}, expected a list", source, path,
                                    code="transcript_not_list"))
        return parts
    run = _run_key(None, f"{source}:run")
    for i, dto in enumerate(dtos):
        loc = f"{path}[{i}]"
        entry = entry_from_dto(dto, source, loc, run)
        if entry is None:
            parts.notes.append(_problem("transcript entry is not an object; skipped", source, loc,
                                        code="transcript_bad_entry"))
            continue
        if entry.kind is EventKind.STARTED and entry.timestamp is not None:
            run = entry.run = _run_key(finite_ms(entry.metadata.get("startedAt")) or entry.timestamp, run)
        parts.entries.append(entry)
    return parts


# -- prompt snapshots (save-format §3.4) ------------------------------------------------------
def entry_from_snapshot(snap: dict, source: str, location: str, run: str) -> TranscriptEntry:
    prompt = snap.get("currentPrompt") if isinstance(snap.get("currentPrompt"), dict) else {}
    step = _str_or_none(snap.get("stepId"))
    event = snap.get("event") if isinstance(snap.get("event"), str) else "unknown"
    title = _str_or_none(prompt.get("title")) or STEP_TITLES.get(step or "")
    meta = snap.get("metadata")
    return TranscriptEntry(event=event, kind=EventKind.SNAPSHOT, timestamp=finite_ms(snap.get("timestamp")),
                           step_id=step, title=title, action=event,
                           metadata=meta if isinstance(meta, dict) else {},
                           source=source, run=run, snapshot=snap, location=location)


def parts_from_snapshots(snapshots: Any, source: str, path: str,
                         run_for: Any = None) -> TranscriptParts:
    """Snapshot lane entries. ``run_for(ts)`` names the run a snapshot belongs to."""
    parts = TranscriptParts(sources=[source])
    if snapshots is None:
        return parts
    if not isinstance(snapshots, list):
        parts.notes.append(_problem(f"snapshots is {type(snapshots).__name__}, expected a list",
                                    source, path, code="snapshots_not_list"))
        return parts
    for i, snap in enumerate(snapshots):
        loc = f"{path}[{i}]"
        if not isinstance(snap, dict):
            parts.notes.append(_problem("snapshot is not an object; skipped", source, loc,
                                        code="snapshot_bad_entry"))
            continue
        ts = finite_ms(snap.get("timestamp"))
        run = run_for(ts) if callable(run_for) else (run_for or f"{source}:run")
        parts.entries.append(entry_from_snapshot(snap, source, loc, run))
    return parts


def parts_from_summary(summary: Any, source: str = "summary") -> TranscriptParts:
    """Transcript + snapshots of an inspector summary (raw §9.1 or sanitised §5.4)."""
    parts = TranscriptParts(sources=[source])
    tutorial = summary.get("tutorial") if isinstance(summary, dict) else None
    if not isinstance(tutorial, dict):
        parts.notes.append(_problem("summary has no tutorial section", source, "$.tutorial",
                                    code="summary_no_tutorial"))
        return parts
    parts.extend(parts_from_dtos(tutorial.get("transcript"), source))
    starts = sorted({(e.timestamp, e.run) for e in parts.entries
                     if e.kind is EventKind.STARTED and e.timestamp is not None})

    def run_for(ts: float | None) -> str:
        run = starts[0][1] if starts else f"{source}:run"
        for start, key in starts:
            if ts is not None and start <= ts:
                run = key
        return run

    parts.extend(parts_from_snapshots(tutorial.get("snapshots"), source, "$.tutorial.snapshots", run_for))
    if not tutorial.get("transcript"):
        parts.notes.append(_problem(
            "This summary carries no recorded transcript (live telemetry only; the game does not "
            "save it). Prompt snapshots are shown.", source, "$.tutorial.transcript",
            Severity.NOTICE, "summary_no_transcript"))
    return parts


# -- a save's tutorial slice (save-format §3.4) ------------------------------------------------
def _prompt_titles(tutorial: dict) -> dict[str, dict]:
    prompts: dict[str, dict] = {}
    sources = [tutorial.get("promptHistory"), [tutorial.get("currentPrompt")]]
    for snap in _list(tutorial.get("promptHistorySnapshots")):
        if isinstance(snap, dict):
            sources.append(snap.get("promptHistory"))
            sources.append([snap.get("currentPrompt")])
    for group in sources:
        for p in group if isinstance(group, list) else []:
            if isinstance(p, dict) and isinstance(p.get("stepId"), str):
                prompts.setdefault(p["stepId"], p)
    return prompts


def parts_from_tutorial_slice(tutorial: Any, source: str, save_time: Any = None,
                              path: str = "$.gameData.tutorial") -> TranscriptParts:
    """Reconstruct the transcript a save implies (every entry is marked ``derived``)."""
    parts = TranscriptParts(sources=[source])
    if not isinstance(tutorial, dict):
        parts.notes.append(_problem("save has no tutorial slice" if tutorial is None else
                                    f"tutorial is {type(tutorial).__name__}, expected an object",
                                    source, path, Severity.NOTICE, "save_no_tutorial"))
        return parts
    started_at = finite_ms(tutorial.get("startedAt"))
    run = _run_key(started_at, f"{source}:run")
    total = tutorial.get("totalSteps")
    prompts = _prompt_titles(tutorial)
    out = parts.entries

    def add(kind: EventKind, ts: float | None, step: str | None, meta: dict, loc: str) -> TranscriptEntry:
        prompt = _dict(prompts.get(step or ""))
        title = _str_or_none(prompt.get("title")) or (STEP_TITLES.get(step or "") if step else None)
        e = TranscriptEntry(event=kind.value, kind=kind, timestamp=ts, step_id=step, title=title,
                            action=KIND_ACTIONS.get(kind), metadata=meta, source=source, run=run,
                            derived=True, location=loc)
        out.append(e)
        return e

    if started_at is not None:
        add(EventKind.STARTED, started_at, None, {"totalSteps": total, "startedAt": started_at}, f"{path}.startedAt")
    timeline = tutorial.get("completedTimeline")
    durations = _dict(tutorial.get("stepDurations"))
    if timeline is not None and not isinstance(timeline, dict):
        parts.notes.append(_problem("completedTimeline is not an object", source, f"{path}.completedTimeline"))
        timeline = {}
    timeline = timeline or {}
    completed = tutorial.get("completedSteps")
    if completed is not None and not isinstance(completed, list):
        parts.notes.append(_problem(f"completedSteps is a JSON {json_type_name(completed)}, expected a list of step ids; "
                                    "steps are taken from completedTimeline", source, f"{path}.completedSteps",
                                    code="tutorial_bad_shape"))
    order = [s for s in _list(completed) if isinstance(s, str) and s in timeline]
    order += [s for s in timeline if s not in order]
    for step in order:
        done = finite_ms(timeline.get(step))
        dur = finite_ms(durations.get(step))
        index = _dict(prompts.get(step)).get("stepIndex", STEP_ORDER.get(step))
        loc = f"{path}.completedTimeline.{step}"
        if done is not None and dur is not None:
            add(EventKind.STEP_STARTED, done - dur, step,
                {"stepIndex": index, "totalSteps": total, "startedAt": done - dur}, f"{path}.stepDurations.{step}")
        add(EventKind.STEP_COMPLETED, done, step,
            {"stepIndex": index, "totalSteps": total, "completedAt": done, "durationMs": dur}, loc)
    last_prompt_step: str | None = None
    for i, prompt in enumerate(_list(tutorial.get("promptHistory"))):
        if isinstance(prompt, dict) and isinstance(prompt.get("stepId"), str):
            ts = finite_ms(prompt.get("startedAt"))
            if ts is not None:
                add(EventKind.STEP_STARTED, ts, prompt["stepId"],
                    {"stepIndex": prompt.get("stepIndex"), "totalSteps": prompt.get("totalSteps"),
                     "startedAt": ts}, f"{path}.promptHistory[{i}]")
                last_prompt_step = prompt["stepId"]
    current = _str_or_none(tutorial.get("currentStep"))
    step_started_at = finite_ms(tutorial.get("stepStartedAt"))
    if current and step_started_at is not None:
        add(EventKind.STEP_STARTED, step_started_at, current,
            {"stepIndex": tutorial.get("currentStepIndex"), "totalSteps": total, "startedAt": step_started_at},
            f"{path}.stepStartedAt")
    snaps = tutorial.get("promptHistorySnapshots")
    snap_list = snaps if isinstance(snaps, list) else []

    def snapshot_time(event: str) -> float | None:
        for s in reversed(snap_list):
            if isinstance(s, dict) and s.get("event") == event:
                return finite_ms(s.get("timestamp"))
        return None

    last_action = finite_ms(tutorial.get("lastActionAt"))
    if tutorial.get("skipped") is True:
        ts = snapshot_time("tutorial_skipped") or last_action
        skipped_step = last_prompt_step if last_prompt_step not in timeline else None
        add(EventKind.SKIPPED, ts, skipped_step, {"stepIndex": _dict(prompts.get(skipped_step or "")).get("stepIndex"),
                                                  "skippedAt": ts}, f"{path}.skipped")
    if tutorial.get("completed") is True:
        ts = snapshot_time("tutorial_completed") or last_action
        add(EventKind.COMPLETED, ts, None, {"totalSteps": total, "completedSteps": len(order), "completedAt": ts},
            f"{path}.completed")
    parts.extend(parts_from_snapshots(snaps, source, f"{path}.promptHistorySnapshots", run))
    save_ms = finite_ms(save_time)
    if save_ms is not None and tutorial.get("enabled") is True:
        parts.run_ends[run] = save_ms
    return parts


# -- transcript artifacts (§6.3) -------------------------------------------------------------
def parse_transcript_csv(text: str, source: str) -> TranscriptParts:
    """The game's transcript CSV (header per §6.3; columns matched by name)."""
    parts = TranscriptParts(sources=[source])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        parts.notes.append(_problem("file is empty (no header line)", source, "line 1", code="csv_empty"))
        return parts
    except csv.Error as exc:
        parts.notes.append(_problem(f"unreadable CSV: {exc}", source, "line 1", Severity.ERROR, "csv_syntax"))
        return parts
    col = {name.strip().lstrip("\ufeff"): i for i, name in enumerate(header)}
    if "event" not in col or "timestamp" not in col:
        parts.notes.append(_problem(
            "not a transcript CSV: the header lacks 'event' and 'timestamp' (expected "
            + ",".join(TRANSCRIPT_CSV_HEADER) + ")", source, "line 1", Severity.ERROR, "csv_header"))
        return parts
    run = f"{source}:run"
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parts.notes.append(_problem(f"unreadable CSV row: {exc}", source, f"line {reader.line_num}",
                                        Severity.ERROR, "csv_syntax"))
            break
        line = reader.line_num
        if not row or all(c == "" for c in row):
            continue

        def cell(name: str) -> str:
            i = col.get(name)
            return unneutralised(row[i]) if i is not None and i < len(row) else ""   # D28's "'" removed

        meta: dict = {}
        raw_meta = cell("metadata")
        if raw_meta:
            try:
                loaded = orjson.loads(raw_meta)
                meta = loaded if isinstance(loaded, dict) else {}
            except orjson.JSONDecodeError as exc:
                parts.notes.append(_problem(f"metadata is not JSON ({exc})", source, f"line {line}, column metadata",
                                            code="csv_bad_metadata"))
        ts = _float_or_none(cell("timestamp"))
        if ts is None and not cell("timestamp"):
            ts = ms_from_iso(cell("timestamp_iso"))
        seq = cell("sequence")
        event = cell("event") or "unknown"
        entry = TranscriptEntry(
            event=event, kind=EventKind.from_event(event), timestamp=ts,
            step_id=_str_or_none(cell("prompt_id")), title=_str_or_none(cell("title")),
            action=_str_or_none(cell("action")), follow_up=_str_or_none(cell("follow_up_narrative")),
            metadata=meta, sequence=int(seq) if seq.lstrip("-").isdigit() else None,
            source=source, run=run, location=f"line {line}")
        if entry.kind is EventKind.STARTED and ts is not None:
            run = entry.run = _run_key(finite_ms(meta.get("startedAt")) or ts, run)
        parts.entries.append(entry)
    return parts


def _float_or_none(text: str) -> float | None:
    try:
        return finite_ms(float(text))
    except (TypeError, ValueError):
        return None


_MD_COLUMNS = {"#": "sequence", "event": "event", "prompt": "prompt", "title": "title",
               "prompt id": "step_id", "prompt_id": "step_id", "step": "step_id", "step id": "step_id",
               "action": "action", "timestamp": "timestamp", "narrative": "follow_up"}


def _md_cells(line: str) -> list[str]:
    """Split a table row on unescaped ``|``; ``\\|`` and ``\\\\`` are escapes, ``<br>`` a line break."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    cells, cur, i = [], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in "|\\":
            cur.append(body[i + 1])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    if "".join(cur).strip():
        cells.append("".join(cur))
    return [c.strip().replace("<br>", "\n") for c in cells]


_IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


def _prompt_cell(text: str | None) -> tuple[str | None, str | None]:
    """(step_id, title) from a "Prompt" cell: the game writes the title there, the fixed
    serializer the prompt id; an identifier-looking value is taken as the id."""
    if not text:
        return None, None
    if text in STEP_TITLES or _IDENTIFIER.match(text):
        return text, STEP_TITLES.get(text)
    return _TITLE_TO_STEP.get(text, text), text


def parse_transcript_markdown(text: str, source: str) -> TranscriptParts:
    """The game's transcript Markdown table. Columns are matched by header name, so both the
    game's table (the "Prompt" column holds the title) and a fixed one parse; a row broken by an
    unescaped newline in the narrative is re-joined."""
    parts = TranscriptParts(sources=[source])
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.lstrip().startswith("|")), None)
    if start is None:
        parts.notes.append(_problem("no Markdown table found", source, "line 1", Severity.ERROR, "md_no_table"))
        return parts
    header = [_MD_COLUMNS.get(c.lower(), c.lower()) for c in _md_cells(lines[start])]
    if "event" not in header or "timestamp" not in header:
        parts.notes.append(_problem("not a transcript table: no Event/Timestamp column", source,
                                    f"line {start + 1}", Severity.ERROR, "md_header"))
        return parts
    rows: list[tuple[int, str]] = []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        if re.fullmatch(r"\s*\|(\s*:?-{3,}:?\s*\|)+\s*", line):
            continue
        if line.lstrip().startswith("|") or not rows:
            rows.append((i + 1, line))
        else:
            rows[-1] = (rows[-1][0], rows[-1][1] + "\n" + line)
    run = f"{source}:run"
    for line_no, raw in rows:
        cells = _md_cells(raw)
        if len(cells) != len(header):
            parts.notes.append(_problem(f"row has {len(cells)} cells, the header has {len(header)}",
                                        source, f"line {line_no}", code="md_row_width"))
            cells = (cells + [""] * len(header))[:len(header)]
        rec = dict(zip(header, cells))
        step_id, title = _prompt_cell(_str_or_none(rec.get("prompt")))
        title = _str_or_none(rec.get("title")) or title
        step_id = _str_or_none(rec.get("step_id")) or step_id
        event = rec.get("event") or "unknown"
        seq = rec.get("sequence", "")
        ts = ms_from_iso(rec.get("timestamp"))
        entry = TranscriptEntry(
            event=event, kind=EventKind.from_event(event), timestamp=ts,
            step_id=step_id, title=title, action=_str_or_none(rec.get("action")), follow_up=_str_or_none(rec.get("follow_up")),
            sequence=int(seq) if seq.lstrip("-").isdigit() else None, source=source, run=run,
            location=f"line {line_no}")
        if entry.kind is EventKind.STARTED and ts is not None:
            run = entry.run = _run_key(ts, run)
        parts.entries.append(entry)
    return parts


def read_transcript_artifact(path: str | Path) -> TranscriptParts:
    """Read a transcript ``.csv`` or ``.md`` artifact (read-only); errors become notes."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return TranscriptParts(notes=[_problem(f"cannot read: {exc}", str(p), None, Severity.ERROR, "io")],
                               sources=[p.name])
    if p.suffix.lower() in (".md", ".markdown"):
        return parse_transcript_markdown(text, p.name)
    return parse_transcript_csv(text, p.name)


# -- whole inputs --------------------------------------------------------------------------
def merge_saves(saves: Iterable[tuple[str, Any, Any]]) -> Transcript:
    """Merge the tutorial slices ``(label, tutorial, save_time)`` of several saves."""
    parts = TranscriptParts()
    for label, tutorial, save_time in saves:
        parts.extend(parts_from_tutorial_slice(tutorial, label, save_time))
    return parts.build()


def _document_parts(doc: SaveDocument) -> TranscriptParts:
    parts = TranscriptParts()
    name = doc.path.name if doc.path else "document"
    if doc.kind in (DocumentKind.INSPECTOR_SUMMARY, DocumentKind.SUMMARY_EXPORT):
        parts.extend(parts_from_summary(doc.summary if doc.summary is not None else doc.root, name))
        artifacts = [Path(p) for p in (doc.sibling_artifacts or {}).values()
                     if _ARTIFACT_RE.search(Path(p).name)]
        csvs = [p for p in artifacts if p.suffix == ".csv"]
        for p in csvs or [p for p in artifacts if p.suffix == ".md"][:1]:
            parts.extend(read_transcript_artifact(p))
        return parts
    saves = [s for s in doc.slots if s.has_game_data]
    if not saves:
        parts.notes.append(_problem("no readable save with a tutorial slice", name, None, Severity.NOTICE,
                                    "no_tutorial"))
    for slot in saves:
        label = slot.slot_id or slot.key
        parts.extend(parts_from_tutorial_slice(slot.game_section("tutorial"), label, slot.timestamp))
    return parts


def transcript_from_document(doc: SaveDocument) -> Transcript:
    """The transcript a loaded document implies. Profiles merge every slot's tutorial slice;
    summaries use their transcript + snapshots (and a summary export's sibling transcript CSV)."""
    return _document_parts(doc).build()


def transcript_from_documents(docs: Iterable[SaveDocument]) -> Transcript:
    """Merge several documents (e.g. two profiles) so the per-step chart spans several runs."""
    parts = TranscriptParts()
    for doc in docs:
        parts.extend(_document_parts(doc))
    return parts.build()
