"""Tutorial transcript serializer: DTOs, CSV and Markdown (spec telemetry-pipeline.md §6.2–6.3).

Ported from the game's ``tutorialTranscriptSerializer.js`` with its quirks fixed (each one is
listed in ``docs/export-deviations.md``):

* ``null`` metadata values stay ``null`` (the game's ``cloneMetadata`` turns them into ``{}``),
  and a missing metadata object stays ``null`` (an empty CSV cell), not ``{}``;
* the Markdown "Prompt" column shows the prompt id (the game puts the title there);
* Markdown cells escape ``\\``, ``|`` and line breaks, so a cell can never break the table.

Used by the artifact builder and by the transcript timeline (issue 5), which imports these
names directly — keep the signatures stable.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

from inspector_app.core.common.jsfmt import finite_number, iso_from_ms

from .csvfmt import csv_document, js_string, json_compact

TRANSCRIPT_CSV_HEADER = (
    "sequence", "event", "prompt_id", "title", "action",
    "timestamp", "timestamp_iso", "follow_up_narrative", "metadata",
)
TRANSCRIPT_MD_HEADER = "| # | Event | Prompt | Action | Timestamp | Narrative |"
TRANSCRIPT_MD_SEPARATOR = "| --- | --- | --- | --- | --- | --- |"


def _first_present(entry: dict, *keys: str) -> Any:
    for key in keys:
        value = entry.get(key)
        if value is not None:
            return value
    return None


def _clone_json(value: Any) -> Any:
    """Deep copy of JSON-like data that keeps ``None`` (the game's clone turns it into ``{}``)."""
    if isinstance(value, dict):
        return {k: _clone_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clone_json(v) for v in value]
    return value


def build_transcript_dto(raw_entries: Iterable[dict] | None, limit: int | None = None) -> list[dict]:
    """Recorder entries → the game's transcript DTOs (§6.2), most recent ``limit`` kept.

    Accepts the recorder's raw entries (``promptText`` / ``actionTaken``) and, for
    convenience, entries that already are DTOs (``title`` / ``action``), so it is idempotent
    apart from renumbering ``sequence``. Non-dict entries are skipped.
    """
    entries = [e for e in (raw_entries or []) if isinstance(e, dict)]
    if limit is not None and isinstance(limit, (int, float)) and not isinstance(limit, bool) \
            and math.isfinite(limit) and limit > 0:
        keep = int(math.floor(limit))
        entries = entries[-keep:] if keep < len(entries) else entries
    out: list[dict] = []
    for sequence, entry in enumerate(entries):
        event = entry.get("event")
        timestamp = finite_number(entry.get("timestamp"))
        metadata = entry.get("metadata")
        out.append({
            "sequence": sequence,
            "event": event if event is not None else "unknown",
            "promptId": entry.get("promptId"),
            "title": _first_present(entry, "promptText", "title"),
            "action": _first_present(entry, "actionTaken", "action", "event") or "unknown",
            "timestamp": timestamp,
            "timestampIso": iso_from_ms(timestamp) if timestamp else None,
            "followUpNarrative": entry.get("followUpNarrative"),
            "metadata": _clone_json(metadata) if metadata is not None else None,
        })
    return out


def build_transcript_csv(entries: Iterable[dict] | None, *, game_exact: bool = False) -> str:
    """Transcript DTOs → the game's transcript CSV (§6.3; encoding §5.7).

    The metadata cell is compact JSON of the entry's metadata, or empty when it is null.
    """
    rows = []
    for e in entries or []:
        if not isinstance(e, dict):
            continue
        metadata = e.get("metadata")
        rows.append((
            e.get("sequence"), e.get("event"), e.get("promptId"), e.get("title"), e.get("action"),
            e.get("timestamp"), e.get("timestampIso"), e.get("followUpNarrative"),
            json_compact(metadata) if metadata is not None else None,
        ))
    return csv_document(TRANSCRIPT_CSV_HEADER, rows, game_exact=game_exact)


def markdown_cell(value: Any) -> str:
    """Text safe inside a GitHub-flavoured Markdown table cell: ``\\`` and ``|`` escaped,
    line breaks (CRLF, CR, LF) shown as ``<br>``; null → empty."""
    text = js_string(value)
    if not text:
        return ""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def build_transcript_markdown(entries: Iterable[dict] | None) -> str:
    """Transcript DTOs → the game's Markdown table (§6.3), Prompt column = prompt id."""
    lines = [TRANSCRIPT_MD_HEADER, TRANSCRIPT_MD_SEPARATOR]
    for e in entries or []:
        if not isinstance(e, dict):
            continue
        cells = (e.get("sequence"), e.get("event"), e.get("promptId"), e.get("action"),
                 e.get("timestampIso"), e.get("followUpNarrative"))
        lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
