"""The artifact builder: an inspector summary → the game's export files (spec §5.2–5.6, §6.3).

``build_artifacts(summary, formats=..., prefix=...)`` returns the sanitised summary and the
artifact descriptors in the game's fixed order::

    1 json            <prefix>-summary-<T>.json
    2 csv  cascade    <prefix>-cascade-targets-<T>.csv
    3 csv  tutorial   <prefix>-tutorial-snapshots-<T>.csv
    4 transcript-csv  <prefix>-tutorial-transcript-<T>.csv
    5 transcript-md   <prefix>-tutorial-transcript-<T>.md

with ``<T>`` = ``generatedAt`` as ``YYYYMMDDTHHMMSSZ``. Every content ends with ``\\n``.
Where the game writes wrong values this writes the right ones (docs/export-deviations.md).
The transcript serializer lives in :mod:`.transcript` and is re-exported here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Iterable

from inspector_app.core.common.jsfmt import MAX_SAFE_INTEGER, iso_from_ms, js_number

from .csvfmt import (
    csv_from_texts,
    encode_csv_cell,
    filename_timestamp,
    js_string,
    json_compact,
    json_compact_each,
    json_pretty,
)
from .naming import MAX_PREFIX_BYTES, cut_utf8, safe_filename_component
from .summary import (
    SPATIAL_HISTORY_BUDGET_BYTES,
    FACTION_NAMES,
    resolve_faction_name,
    sanitize_summary,
)
from .transcript import (
    build_transcript_csv,
    build_transcript_dto,
    build_transcript_markdown,
)

__all__ = [
    "Artifact", "ArtifactSet", "BudgetStatus", "DEFAULT_FORMATS", "DEFAULT_PREFIX", "CANONICAL_FORMATS",
    "FORMAT_ALIASES", "SPATIAL_HISTORY_BUDGET_BYTES", "FACTION_NAMES", "build_artifacts", "build_cascade_csv",
    "build_tutorial_snapshot_csv", "build_transcript_csv", "build_transcript_dto", "build_transcript_markdown",
    "encode_csv_cell", "js_number", "normalize_formats", "sanitize_summary", "resolve_faction_name",
    "safe_prefix",
]

DEFAULT_PREFIX = "save-inspector"
CANONICAL_FORMATS = ("json", "csv", "transcript-csv", "transcript-md")
DEFAULT_FORMATS = ("json", "csv")

#: §5.2 — every accepted spelling → canonical format.
FORMAT_ALIASES = {
    "json": "json",
    "csv": "csv", "cascade": "csv", "tutorial-csv": "csv",
    "transcript-csv": "transcript-csv", "transcript:csv": "transcript-csv",
    "transcript_csv": "transcript-csv", "transcript": "transcript-csv",
    "transcript-md": "transcript-md", "transcript_markdown": "transcript-md",
    "transcript:markdown": "transcript-md", "transcript-markdown": "transcript-md",
    "markdown": "transcript-md", "md": "transcript-md",
}

CASCADE_CSV_HEADER = (
    "row_type", "faction_id", "faction_name", "cascade_count", "last_source_faction_id",
    "last_source_faction_name", "new_attitude", "occurred_at", "occurred_iso", "sources",
)
TUTORIAL_CSV_HEADER = (
    "event", "timestamp", "timestamp_iso", "step_index", "total_steps",
    "step_id", "step_title", "completed_steps", "metadata",
)


def normalize_formats(formats: str | Iterable[str] | None) -> tuple[str, ...]:
    """§5.2: lower-case, map aliases, drop unknown values and duplicates, fixed output order;
    nothing valid left → ``('json', 'csv')``. Strings may be comma lists (``"json,md"``)."""
    if formats is None:
        return DEFAULT_FORMATS
    if isinstance(formats, str):
        return _normalized((formats,))
    items = tuple(formats)
    try:
        return _normalized(items)
    except TypeError:                      # an unhashable item: not worth caching
        return _normalized.__wrapped__(items)


@lru_cache(maxsize=64)
def _normalized(items: tuple) -> tuple[str, ...]:
    wanted = set()
    for item in items:
        for part in str(item).split(","):
            canonical = FORMAT_ALIASES.get(part.strip().lower())
            if canonical:
                wanted.add(canonical)
    ordered = tuple(f for f in CANONICAL_FORMATS if f in wanted)
    return ordered or DEFAULT_FORMATS


def unknown_formats(formats: str | Iterable[str] | None) -> list[str]:
    """The requested format names the game would silently drop (for a CLI warning)."""
    if formats is None:
        return []
    items = [formats] if isinstance(formats, str) else list(formats)
    return [p.strip() for item in items for p in str(item).split(",")
            if p.strip() and p.strip().lower() not in FORMAT_ALIASES]


def safe_prefix(prefix: Any) -> str:
    """The prefix as it can appear in a file name (no separators, no device names, no
    undecodable bytes), cut to :data:`.naming.MAX_PREFIX_BYTES` so that the kind, time and
    extension of each artifact name always fit in a file name."""
    return _safe_prefix(str(prefix) if prefix not in (None, "") else DEFAULT_PREFIX)


@lru_cache(maxsize=256)
def _safe_prefix(text: str) -> str:
    safe = safe_filename_component(text)
    return safe_filename_component(cut_utf8(safe, MAX_PREFIX_BYTES).rstrip(" ."))


@dataclass(frozen=True)
class Artifact:
    """One export file: the game's descriptor ``{type, section?, filename, mimeType, content}``."""

    type: str
    filename: str
    mime_type: str
    content: str
    section: str | None = None

    def __init__(self, type: str, filename: str, mime_type: str, content: str,
                 section: str | None = None) -> None:
        # The fields written straight into the instance dict: the generated frozen __init__
        # calls object.__setattr__ per field (issue 13: ~0.5 µs per artifact on the build path).
        d = self.__dict__
        d["type"] = type
        d["filename"] = filename
        d["mime_type"] = mime_type
        d["content"] = content
        d["section"] = section

    def descriptor(self, *, with_content: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type}
        if self.section is not None:
            d["section"] = self.section
        d["filename"] = self.filename
        d["mimeType"] = self.mime_type
        if with_content:
            d["content"] = self.content
        return d

    @cached_property
    def data(self) -> bytes:
        """The bytes a writer stores: UTF-8, no BOM, exactly one trailing newline (cached)."""
        text = self.content
        if not text.endswith("\n") or text.endswith("\n\n"):
            text = text.rstrip("\n") + "\n"
        return text.encode("utf-8")

    @property
    def size(self) -> int:
        """Size in bytes of what the writers store."""
        return len(self.data)


@dataclass(frozen=True)
class BudgetStatus:
    """The spatial-history payload budget of one export (§5.4, §4.5)."""

    status: str                       # within_budget | exceeds_budget | unknown
    payload_bytes: int | float | None
    budget_bytes: int = SPATIAL_HISTORY_BUDGET_BYTES
    exceeded_by: int | float | None = None

    def __init__(self, status: str, payload_bytes: int | float | None,
                 budget_bytes: int = SPATIAL_HISTORY_BUDGET_BYTES, exceeded_by: int | float | None = None) -> None:
        d = self.__dict__                 # one frozen instance per build: see Artifact.__init__
        d["status"] = status
        d["payload_bytes"] = payload_bytes
        d["budget_bytes"] = budget_bytes
        d["exceeded_by"] = exceeded_by

    @property
    def has_spatial_hash(self) -> bool:
        return self.status != "unknown" or self.payload_bytes is not None

    def to_json(self) -> dict[str, Any]:
        return {"type": "spatialHash", "status": self.status, "payloadBytes": self.payload_bytes,
                "budgetBytes": self.budget_bytes, "exceededBy": self.exceeded_by}


@dataclass
class ArtifactSet:
    """What ``build_artifacts`` returns: sanitised summary, artifacts, budget and formats."""

    summary: dict
    artifacts: list[Artifact]
    budget: BudgetStatus
    formats: tuple[str, ...]
    prefix: str
    timestamp: str
    spatial_hash_present: bool = False
    types: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- CSV builders

def _pipe_joined(items: list) -> str:
    """``items.join('|')`` as JavaScript writes it (null → empty, numbers as ``String(x)``)."""
    try:
        return "|".join(items)                 # the usual case: every item is a string
    except TypeError:
        return "|".join([js_string(i) for i in items])


def _pipe_cell(value: Any) -> str:
    """The cell of a list joined with ``|`` (:func:`_pipe_joined`); empty for anything else."""
    if type(value) is list:
        try:
            return "|".join(value)             # the usual case: every item is a string
        except TypeError:
            pass
    return _pipe_joined(value) if isinstance(value, list) else ""


def _count(target: dict) -> float:
    c = target.get("cascadeCount")
    return c if isinstance(c, (int, float)) and not isinstance(c, bool) else 0


def _time_cells(occurred: Any) -> tuple[str, str]:
    """The ``occurred_at`` / ``occurred_iso`` cell texts of a time value."""
    if type(occurred) is int and 0 < occurred <= MAX_SAFE_INTEGER:
        return str(occurred), iso_from_ms(occurred) or ""
    return js_string(occurred), (iso_from_ms(occurred) or "") if occurred else ""


def build_cascade_csv(summary: dict, *, game_exact: bool = False) -> str:
    """§5.5: optional ``last_event`` row, then targets by ``cascadeCount`` descending.
    Rows are built as cell texts directly (the texts of the §5.5 values, :func:`.csvfmt.js_string`)."""
    factions = summary.get("factions") or {}
    rows: list[list[str]] = []
    last = factions.get("lastCascadeEvent")
    if isinstance(last, dict):
        get = last.get
        target, source = get("targetFactionId"), get("sourceFactionId")
        rows.append([
            "last_event", js_string(target), js_string(resolve_faction_name(target, get("targetFactionName"))), "",
            js_string(source), js_string(resolve_faction_name(source, get("sourceFactionName"))),
            js_string(get("newAttitude")), *_time_cells(get("occurredAt")), "",
        ])
    targets = [t for t in factions.get("cascadeTargets") or [] if isinstance(t, dict) and t.get("factionId")]
    targets.sort(key=_count, reverse=True)     # stable for ties, like Array#sort with (a, b) => b - a
    names = FACTION_NAMES
    for t in targets:
        get = t.get
        lc = get("lastCascade")
        if type(lc) is not dict:
            lc = lc if isinstance(lc, dict) else {}
        fid, count = get("factionId"), get("cascadeCount")
        source, source_name, attitude = lc.get("sourceFactionId"), lc.get("sourceFactionName"), lc.get("newAttitude")
        # resolve_faction_name, the usual string ids without a call
        name = names.get(fid, fid) if type(fid) is str else resolve_faction_name(fid)
        if not source_name:
            source_name = names.get(source, source) if type(source) is str else resolve_faction_name(source)
        rows.append([
            "target",
            fid if type(fid) is str else js_string(fid),
            name if type(name) is str else js_string(name),
            str(count) if type(count) is int and -MAX_SAFE_INTEGER <= count <= MAX_SAFE_INTEGER else js_string(count),
            source if type(source) is str else js_string(source),
            source_name if type(source_name) is str else js_string(source_name),
            attitude if type(attitude) is str else js_string(attitude),
            *_time_cells(lc.get("occurredAt")),
            _pipe_cell(get("sources")),
        ])
    return csv_from_texts(CASCADE_CSV_HEADER, rows, game_exact=game_exact)


def snapshot_step_title(snapshot: dict) -> Any:
    """The step's title: ``title`` / ``stepTitle`` if the snapshot has them (the game reads only
    these, which slice snapshots never have), else the prompt shown for that step
    (``currentPrompt``, else the matching ``promptHistory`` entry)."""
    get = snapshot.get
    title = get("title")
    if title is not None:
        return title
    title = get("stepTitle")
    if title is not None:
        return title
    step_id = get("stepId")
    prompt = get("currentPrompt")
    if isinstance(prompt, dict):
        title = prompt.get("title")
        if title is not None and (step_id is None or prompt.get("stepId") in (None, step_id)):
            return title
    if step_id is not None:
        for p in reversed(get("promptHistory") or []):
            if isinstance(p, dict) and p.get("stepId") == step_id and p.get("title") is not None:
                return p["title"]
    return None


def snapshot_metadata_value(snapshot: dict) -> dict | None:
    """What the metadata cell shows: the snapshot's real ``metadata`` object (the game writes an
    all-null ``{"promptId","zoneId","dismissed"}`` object read from fields snapshots do not
    have); snapshots in the game's older top-level shape keep the game's three keys."""
    metadata = snapshot.get("metadata")
    if isinstance(metadata, dict):
        return metadata
    if "promptId" in snapshot or "zoneId" in snapshot or "dismissed" in snapshot:
        return {k: snapshot.get(k) for k in ("promptId", "zoneId", "dismissed")}
    return None


def snapshot_metadata_cell(snapshot: dict) -> str | None:
    """The metadata cell of one snapshot: :func:`snapshot_metadata_value` as compact JSON."""
    value = snapshot_metadata_value(snapshot)
    return json_compact(value) if value is not None else None


def _js_number_or_none(value: Any) -> Any:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def build_tutorial_snapshot_csv(summary: dict, *, game_exact: bool = False) -> str:
    """§5.6: one row per snapshot, with the step title and metadata filled in correctly."""
    tutorial = summary.get("tutorial") or {}
    rows = []                                           # cell texts (js_string), built directly
    metadata = []
    append, add_metadata = rows.append, metadata.append
    for snap in tutorial.get("snapshots") or []:
        if not snap or not isinstance(snap, dict):
            continue
        get = snap.get
        meta = get("metadata")
        add_metadata(meta if type(meta) is dict else snapshot_metadata_value(snap))
        ts = get("timestamp")
        event = get("event")
        step_id = get("stepId")
        title = get("title")
        if title is None:
            title = snapshot_step_title(snap)
        step_index, total = get("stepIndex"), get("totalSteps")
        append([
            event if type(event) is str else js_string(event if event is not None else "unknown"),
            str(ts) if type(ts) is int and 0 < ts <= MAX_SAFE_INTEGER else js_string(ts),
            (iso_from_ms(ts) or "") if ts else "",
            str(step_index) if type(step_index) is int and abs(step_index) <= MAX_SAFE_INTEGER
            else js_string(_js_number_or_none(step_index)),
            str(total) if type(total) is int and abs(total) <= MAX_SAFE_INTEGER
            else js_string(_js_number_or_none(total)),
            step_id if type(step_id) is str else js_string(step_id),
            title if type(title) is str else js_string(title),
            _pipe_cell(get("completedSteps")),
            "",                                         # metadata: below, one JSON pass for all rows
        ])
    for row, meta, text in zip(rows, metadata, json_compact_each(metadata)):
        if meta is not None:
            row[8] = text
    return csv_from_texts(TUTORIAL_CSV_HEADER, rows, game_exact=game_exact)


# --------------------------------------------------------------------------- builder

def build_artifacts(summary: Any, *, formats: str | Iterable[str] | None = None,
                    prefix: str | None = DEFAULT_PREFIX, now_ms: int | None = None,
                    game_exact_csv: bool = False) -> ArtifactSet:
    """Sanitise ``summary`` and build the artifacts of ``formats`` (aliases accepted).

    CSV cells that a spreadsheet could run as formulas are neutralised unless
    ``game_exact_csv`` (the game's bytes; see :func:`.csvfmt.encode_csv_cell`)."""
    canonical = normalize_formats(formats)
    clean = sanitize_summary(summary, now_ms=now_ms)
    pfx = safe_prefix(prefix)
    ts = filename_timestamp(clean["generatedAt"])
    artifacts: list[Artifact] = []
    if "json" in canonical:
        artifacts.append(Artifact("json", f"{pfx}-summary-{ts}.json", "application/json",
                                  json_pretty(clean, newline=True)))
    if "csv" in canonical:
        artifacts.append(Artifact("csv", f"{pfx}-cascade-targets-{ts}.csv", "text/csv",
                                  build_cascade_csv(clean, game_exact=game_exact_csv), section="cascade"))
        artifacts.append(Artifact("csv", f"{pfx}-tutorial-snapshots-{ts}.csv", "text/csv",
                                  build_tutorial_snapshot_csv(clean, game_exact=game_exact_csv), section="tutorial"))
    transcript = clean["tutorial"]["transcript"]
    if "transcript-csv" in canonical:
        artifacts.append(Artifact("transcript-csv", f"{pfx}-tutorial-transcript-{ts}.csv", "text/csv",
                                  build_transcript_csv(transcript, game_exact=game_exact_csv), section="tutorial-transcript"))
    if "transcript-md" in canonical:
        artifacts.append(Artifact("transcript-md", f"{pfx}-tutorial-transcript-{ts}.md", "text/markdown",
                                  build_transcript_markdown(transcript), section="tutorial-transcript"))
    spatial = clean["engine"]["spatialHash"]
    if spatial is not None:
        budget = BudgetStatus(spatial["payloadBudgetStatus"], spatial["payloadBytes"],
                              spatial["payloadBudgetBytes"], spatial["payloadBudgetExceededBy"])
    else:
        budget = BudgetStatus("unknown", None, SPATIAL_HISTORY_BUDGET_BYTES, None)
    types: list[str] = []
    for a in artifacts:
        if a.type not in types:
            types.append(a.type)
    return ArtifactSet(summary=clean, artifacts=artifacts, budget=budget, formats=canonical, prefix=pfx,
                       timestamp=ts, spatial_hash_present=spatial is not None, types=types)
