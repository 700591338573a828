"""Overview: save facts (as the Save/Load overlay shows them), the overlay's Summary Metrics,
per-section sizes (§4) and the Save Inspector overlay replica (§10.1)."""
from __future__ import annotations

from typing import Any

import orjson

from inspector_app.core.common.jsfmt import is_number
from ._coerce import as_dict, display_text
from .overlay_text import overlay_sections, summary_metric_lines
from .shapes import SHAPE_LABELS, detect_shape
from .summary import NOT_RECOVERABLE_FROM_SAVE, is_rebuilt_summary
from .table import Column, DomainView, Fact, Table
from inspector_app.core.common.timefmt import format_absolute_time, format_playtime, format_relative_time
from inspector_app.core.loading.sections import lazy_kind

LIVE_ONLY_NOTE = "Live telemetry only (export artifact required)"

SIZE_COLUMNS = [Column("section", "Section"), Column("bytes", "Bytes", "number"),
                Column("share", "Share of gameData", "number", tooltip="percent")]


def _json_size(value: Any, depth: int = 0, piecewise: bool = False) -> int:
    """``len(orjson.dumps(value))``, computed piecewise for big containers (the top levels,
    and any container of 64+ children): one dump of a 50 MB save holds the GIL for ~0.5 s,
    freezing the window although this runs in a worker."""
    try:
        if lazy_kind(value) is not None:    # a big save's unparsed part: its size is known
            return value.json_size()
        if isinstance(value, dict) and (piecewise or ((depth < 3 or len(value) >= 64) and len(value) > 1)):
            return max(2, 1 + sum(len(orjson.dumps(k)) + 2 + _json_size(v, depth + 1) for k, v in value.items()))
        if isinstance(value, list) and (piecewise or ((depth < 3 or len(value) >= 64) and len(value) > 1)):
            return max(2, 1 + sum(1 + _json_size(v, depth + 1) for v in value))
        return len(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):
        if not piecewise and isinstance(value, (dict, list)):   # it holds an unparsed part
            return _json_size(value, depth, piecewise=True)
        return 0


def version_status(version: Any) -> tuple[str, str]:
    """(text, tone) for the envelope version, following §5's advice."""
    if version == 1 and is_number(version):
        return "1 (current)", "good"
    if is_number(version) and version > 1:
        return f"{display_text(version)} (newer than known — the game rejects it)", "bad"
    return f"{display_text(version, 'missing')} (legacy: the game cannot load this)", "warn"


def save_facts(payload: Any, game_data: Any = None) -> list[Fact]:
    """Envelope facts: the Save/Load overlay's detail pane plus version, shape and size."""
    envelope = as_dict(payload)
    meta = as_dict(envelope.get("meta"))
    slot = envelope.get("slot")
    slot_type = "Autosave" if slot == "autosave" else "Manual" if isinstance(slot, str) else "—"
    version_text, version_tone = version_status(envelope.get("version"))
    shape = detect_shape(game_data if game_data is not None else envelope.get("gameData"), envelope)
    facts = [
        Fact("Slot ID", display_text(slot)),
        Fact("Label", display_text(meta.get("slotLabel"), display_text(slot))),
        Fact("Type", slot_type),
        Fact("Last Saved", format_absolute_time(envelope.get("timestamp")),
             tooltip=f"epoch ms {display_text(envelope.get('timestamp'))}"),
        Fact("Playtime", format_playtime(envelope.get("playtime")),
             tooltip=f"{display_text(envelope.get('playtime'))} ms"),
        Fact("Snapshot Source", display_text(meta.get("snapshotSource"))),
        Fact("Version", version_text, tone=version_tone),
        Fact("gameData shape", SHAPE_LABELS.get(shape, shape)),
    ]
    if envelope:
        facts.append(Fact("Payload size", f"{_json_size(envelope):,} bytes"))
    return facts


def section_sizes(game_data: Any) -> list[dict]:
    data = as_dict(game_data)
    sizes = [(key, _json_size(value)) for key, value in data.items()]
    total = sum(size for _, size in sizes) or 1
    return [{"section": key, "bytes": size, "share": round(100 * size / total, 1)} for key, size in sizes]


def overview_view(summary: Any, *, payload: Any = None, game_data: Any = None, now: Any = None) -> DomainView:
    """Overview tab. ``summary`` is a live summary or one rebuilt from the save; relative times in
    the overlay replica are computed against ``now`` (default: the summary's ``generatedAt``)."""
    data = as_dict(summary)
    at = now if is_number(now) else data.get("generatedAt") if is_number(data.get("generatedAt")) else 0
    view = DomainView(key="overview", title="Overview")
    if payload is not None or game_data is not None:
        view.facts += save_facts(payload, game_data)
    else:
        view.facts += [Fact("Summary generated", format_absolute_time(data.get("generatedAt"))),
                       Fact("Summary source", display_text(data.get("source")))]
    metric_lines = summary_metric_lines(data)
    view.facts += [Fact(line.split(": ", 1)[0], line.split(": ", 1)[1]) for line in metric_lines]
    if isinstance(game_data, dict):
        view.tables.append(Table("sizes", "gameData sections (compact JSON bytes)", SIZE_COLUMNS,
                                 section_sizes(game_data), empty_text="gameData is empty"))
    view.text_blocks = [(title, lines) for title, lines in overlay_sections(data, now=at)]
    if is_rebuilt_summary(data) or (data.get("source") == "unavailable" and payload is not None):
        view.notes.append(f"{LIVE_ONLY_NOTE}: " + ", ".join(NOT_RECOVERABLE_FROM_SAVE)
                          + " are not stored in a save, so they show as empty here.")
    view.notes.append(f"Overlay replica as the game would draw it at {format_absolute_time(at)} "
                      f"(relative times are relative to that moment; 'Updated {format_relative_time(data.get('generatedAt'), at)}').")
    return view
