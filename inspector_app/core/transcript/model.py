"""The one transcript model every tutorial source is read into.

A :class:`Transcript` is an ordered list of :class:`TranscriptEntry` plus the notes found while
normalising it (missing timestamps, out-of-order or duplicate entries, unknown event kinds).
Entries come from the recorder, an inspector summary, the transcript CSV/Markdown artifacts or a
save's tutorial slice; the timeline, the table and the exporters all read this one model.

Timestamps are epoch milliseconds (float, ``None`` when missing or non-finite). The numpy arrays
(:attr:`Transcript.times`, :attr:`Transcript.lanes`) are what the timeline plots, so a 100,000
entry transcript is drawn from a handful of arrays instead of one object per entry.

No Qt here.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Sequence

import numpy as np

from inspector_app.core.common.jsfmt import TIME_LIMIT_MS, iso_from_ms, js_number
from inspector_app.core.export.csvfmt import json_compact
from inspector_app.core.loading.document import Problem, Severity


class EventKind(str, Enum):
    """The lanes of the timeline: the recorder's five ``tutorial:*`` events, snapshots, other."""

    STARTED = "tutorial_started"
    STEP_STARTED = "tutorial_step_started"
    STEP_COMPLETED = "tutorial_step_completed"
    SKIPPED = "tutorial_skipped"
    COMPLETED = "tutorial_completed"
    SNAPSHOT = "prompt_snapshot"
    UNKNOWN = "unknown"

    @property
    def lane(self) -> int:
        return LANE_ORDER.index(self)

    @property
    def label(self) -> str:
        return LANE_LABELS[self]

    @classmethod
    def from_event(cls, name: Any) -> "EventKind":
        """Map a transcript ``event`` (or bus event ``tutorial:step_started``) to its lane."""
        if not isinstance(name, str):
            return cls.UNKNOWN
        key = name.strip().replace(":", "_")
        try:
            kind = cls(key)
        except ValueError:
            return cls.UNKNOWN
        return kind if kind is not cls.SNAPSHOT else cls.UNKNOWN


LANE_ORDER: tuple[EventKind, ...] = (
    EventKind.STARTED, EventKind.STEP_STARTED, EventKind.STEP_COMPLETED, EventKind.SKIPPED,
    EventKind.COMPLETED, EventKind.SNAPSHOT, EventKind.UNKNOWN,
)
LANE_LABELS: dict[EventKind, str] = {
    EventKind.STARTED: "Started",
    EventKind.STEP_STARTED: "Step started",
    EventKind.STEP_COMPLETED: "Step completed",
    EventKind.SKIPPED: "Skipped",
    EventKind.COMPLETED: "Completed",
    EventKind.SNAPSHOT: "Prompt snapshots",
    EventKind.UNKNOWN: "Other / unknown",
}
#: Recorder ``actionTaken`` per kind (spec telemetry-pipeline §6.1).
KIND_ACTIONS: dict[EventKind, str] = {
    EventKind.STARTED: "started", EventKind.STEP_STARTED: "step_started",
    EventKind.STEP_COMPLETED: "step_completed", EventKind.SKIPPED: "skipped",
    EventKind.COMPLETED: "completed",
}
#: Step ids and titles of the game's tutorial, in order (save-format §3.4; titles as the game's
#: prompts spell them). Used only when a source carries a step id but no title.
STEP_TITLES: dict[str, str] = {
    "welcome": "Welcome, Detective", "movement": "Movement Controls",
    "evidence_detection": "Evidence Detection", "evidence_collection": "Collect Evidence",
    "clue_derivation": "Clues Revealed", "detective_vision": "Detective Vision",
    "case_file": "Case File", "collect_more_evidence": "Collect All Evidence",
    "forensic_analysis": "Forensic Analysis", "deduction_board_intro": "Deduction Board",
    "deduction_connections": "Connect the Clues", "deduction_validation": "Validate Your Theory",
    "case_solved": "Case Solved!",
}
STEP_ORDER: dict[str, int] = {step: i for i, step in enumerate(STEP_TITLES)}


def finite_ms(value: Any) -> float | None:
    """A finite number as float, or None (bools, strings, NaN, ±inf and integers too large for
    a double are not timestamps). Whether it can be a *date* is :func:`usable_time`'s call."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        f = float(value)
    except OverflowError:          # an integer beyond 1.8e308
        return None
    return f if math.isfinite(f) else None


def usable_time(value: Any) -> tuple[float | None, str]:
    """``(epoch ms, "")`` for a value the timeline can place, else ``(None, why)``.

    0 is the game's encoding of "never" (save-format: unset times are 0), not 1970; a number
    beyond ±8.64e15 ms (year 275760, JavaScript's ``TimeClip``) — e.g. 1e17, 2**64 — cannot be
    a date at all. Neither is ever handed to float pipelines (axis, spans, plot ranges)."""
    if value is None:
        return None, ""
    t = finite_ms(value)
    if t is None:
        if isinstance(value, float) and math.isnan(value):
            return None, "not a number (NaN)"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, "not a number"
        return None, f"not a date ({_number_text(value)})"     # ±Infinity, integers beyond 1.8e308
    if t == 0:
        return None, "never (0)"
    if abs(t) > TIME_LIMIT_MS:
        return None, f"not a date ({_number_text(value)})"
    return t, ""


def _number_text(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 21:
        return f"{float(value):.3g}" if abs(value) < 10 ** 308 else f"a {len(str(abs(value)))}-digit integer"
    try:
        return js_number(value)
    except (OverflowError, ValueError):
        return repr(value)[:40]


def json_text(value: Any) -> str:
    """Compact JSON of metadata for tooltips and search, whatever it holds (integers beyond
    64 bits, NaN, nesting deeper than orjson writes): never raises."""
    try:
        return json_compact(value)
    except (TypeError, ValueError, RecursionError, OverflowError):
        return repr(value)[:2000]


def _count(value: Any) -> int:
    return len(value) if isinstance(value, (list, dict)) else 0


@dataclass(slots=True)
class TranscriptEntry:
    """One event on the tutorial timeline, whatever source it came from."""

    event: str                     # event name as the source spelled it
    kind: EventKind                # lane
    timestamp: float | None        # epoch ms; None when missing / non-finite
    step_id: str | None = None     # promptId / stepId
    title: str | None = None       # step title (promptText)
    action: str | None = None      # actionTaken
    follow_up: str | None = None   # followUpNarrative
    metadata: dict = field(default_factory=dict)
    sequence: int | None = None    # sequence number in its source, if it had one
    source: str = ""               # "summary", "slot2", "…-tutorial-transcript-….csv"
    run: str = ""                  # playthrough key, so merged saves of one run count once
    derived: bool = False          # reconstructed from a save's analytics, not recorded live
    snapshot: dict | None = None   # the world-state snapshot for SNAPSHOT entries
    location: str = ""             # where in the source: JSON path or "line N"
    time_note: str = ""            # why ``timestamp`` is None: "never (0)", "not a date (1e+17)"

    def dedupe_key(self) -> tuple:
        """Identity across sources: the same event of the same step at the same instant."""
        ts = None if self.timestamp is None else round(self.timestamp, 3)
        if self.kind is EventKind.SNAPSHOT:
            return ("snapshot", self.event, self.step_id, ts)
        name = self.kind.value if self.kind is not EventKind.UNKNOWN else self.event
        if ts is None:  # without a time only identical content is the same entry
            return (name, self.step_id, None, self.source, self.sequence, self.location)
        return (name, self.step_id, ts)

    @property
    def display_title(self) -> str:
        return self.title or STEP_TITLES.get(self.step_id or "", "") or (self.step_id or "")

    def to_raw(self) -> dict[str, Any]:
        """The recorder's raw entry shape (§6.1), what the transcript serializer takes."""
        ts = self.timestamp
        if ts is not None and float(ts).is_integer():
            ts = int(ts)
        return {
            "event": self.event, "promptId": self.step_id, "promptText": self.title,
            "actionTaken": self.action if self.action is not None else KIND_ACTIONS.get(self.kind),
            "timestamp": ts, "followUpNarrative": self.follow_up, "metadata": dict(self.metadata),
        }

    def describe(self) -> str:
        """The full entry as text, for tooltips and the detail pane."""
        lines = [f"{LANE_LABELS[self.kind]}: {self.event}"]
        if self.display_title:
            lines.append(f"Step: {self.display_title}" + (f" ({self.step_id})" if self.step_id else ""))
        lines.append(f"Time: {self.time_text()}")
        if self.action:
            lines.append(f"Action: {self.action}")
        if self.follow_up:
            lines.append(f"Narrative: {self.follow_up}")
        if self.sequence is not None:
            lines.append(f"Sequence: {self.sequence}")
        src = self.source + (f" @ {self.location}" if self.location else "")
        if src:
            lines.append(f"Source: {src}" + (" (reconstructed from the save's analytics)" if self.derived else ""))
        if self.metadata:
            lines.append("Metadata: " + json_text(self.metadata))
        if self.snapshot is not None:
            lines.append(f"Snapshot: {_count(self.snapshot.get('promptHistory'))} prompts, "
                         f"{_count(self.snapshot.get('completedSteps'))} completed steps")
        return "\n".join(lines)

    def time_text(self) -> str:
        """ISO time (as JavaScript prints it), or why there is none."""
        if self.timestamp is not None:
            return iso_from_ms(self.timestamp) or "not a date"
        return self.time_note or "missing timestamp"

    def search_text(self) -> str:
        parts = [self.event, self.step_id or "", self.display_title, self.action or "",
                 self.follow_up or "", self.source]
        if self.metadata:
            parts.append(json_text(self.metadata))
        return "\n".join(parts).lower()


@dataclass(frozen=True, slots=True)
class StepSpan:
    """The dwell time of one step in one run: from its start to its completion (or skip)."""

    step_id: str
    title: str
    start: float          # epoch ms
    end: float            # epoch ms
    run: str
    status: str           # "completed" | "skipped" | "open"

    @property
    def duration_ms(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class StepStat:
    """Time spent on one step across the merged runs (median and spread)."""

    step_id: str
    title: str
    durations_ms: tuple[float, ...]

    @property
    def runs(self) -> int:
        return len(self.durations_ms)

    @property
    def median_ms(self) -> float:
        return float(statistics.median(self.durations_ms))

    @property
    def min_ms(self) -> float:
        return float(min(self.durations_ms))

    @property
    def max_ms(self) -> float:
        return float(max(self.durations_ms))


def _note(message: str, source: str = "", location: str | None = None,
          severity: Severity = Severity.NOTICE, code: str = "") -> Problem:
    return Problem(severity, message, file=source or None, location=location, code=code)


class Transcript:
    """An ordered, de-duplicated set of entries plus the notes about how it was normalised.

    Construction never raises for bad entries: each problem becomes a :class:`Problem` in
    :attr:`notes` (missing/non-finite timestamps, out-of-order, duplicates, unknown kinds).
    Entries are sorted by time (stable; entries without a time go last) so the table and the
    timeline agree on one order.
    """

    def __init__(self, entries: Iterable[TranscriptEntry] = (), notes: Sequence[Problem] = (),
                 sources: Sequence[str] = (), run_ends: dict[str, float] | None = None):
        self.notes: list[Problem] = list(notes)
        self.sources: list[str] = list(sources)
        self.run_ends: dict[str, float] = {run: t for run, end in (run_ends or {}).items()
                                           for t in [usable_time(end)[0]] if t is not None}
        self.entries: list[TranscriptEntry] = self._normalise(list(entries))
        n = len(self.entries)
        self.times = np.full(n, np.nan, dtype=np.float64)
        self.lanes = np.zeros(n, dtype=np.int8)
        for i, e in enumerate(self.entries):
            if e.timestamp is not None:
                self.times[i] = e.timestamp
            self.lanes[i] = LANE_ORDER.index(e.kind)
        self.spans: list[StepSpan] = compute_spans(self.entries, self.run_ends)
        self._search_cache: list[str] | None = None

    # -- normalisation ------------------------------------------------------------------
    def _normalise(self, entries: list[TranscriptEntry]) -> list[TranscriptEntry]:
        if not entries:
            self.notes.append(_note("No transcript entries: nothing to draw.", code="transcript_empty"))
            return []
        unusable: dict[str, list[TranscriptEntry]] = {}
        for e in entries:   # whatever built the entry, a timestamp is a plottable date or None
            if e.timestamp is not None:
                e.timestamp, why = usable_time(e.timestamp)
                e.time_note = why
                if why.startswith(("never", "not a date")):     # NaN / text: "missing" below
                    unusable.setdefault("never" if why.startswith("never") else "not_date", []).append(e)
        never, not_date = unusable.get("never", []), unusable.get("not_date", [])
        if never:
            self.notes.append(_note(
                f"{len(never)} entr{'y has' if len(never) == 1 else 'ies have'} time stamp 0, the game's "
                "\"never\": listed in the table as never, not on the timeline (not as 1970).",
                never[0].source, never[0].location or None, Severity.NOTICE, "transcript_never"))
        if not_date:
            self.notes.append(_note(
                f"{len(not_date)} entr{'y has' if len(not_date) == 1 else 'ies have'} a time stamp that cannot "
                f"be a date (beyond ±8.64e15 ms, year 275760), e.g. {not_date[0].time_note}: listed in the "
                "table, not on the timeline.",
                not_date[0].source, not_date[0].location or None, Severity.WARNING, "transcript_not_a_date"))
        # order only means something for recorded sequences (a transcript, a snapshot list);
        # entries reconstructed from a save's analytics come grouped by field, not by time.
        by_source: dict[tuple[str, bool], list[TranscriptEntry]] = {}
        for e in entries:
            if not e.derived:
                by_source.setdefault((e.source, e.kind is EventKind.SNAPSHOT), []).append(e)
        for (source, _), group in by_source.items():
            last = -math.inf
            for e in group:
                if e.timestamp is None:
                    continue
                if e.timestamp < last:
                    self.notes.append(_note(
                        "Entries are out of time order; they are shown sorted by timestamp.",
                        source, e.location or None, Severity.WARNING, "transcript_out_of_order"))
                    break
                last = e.timestamp
        missing = [e for e in entries if e.timestamp is None and not e.time_note.startswith(("never", "not a date"))]
        if missing:
            first = missing[0]
            self.notes.append(_note(
                f"{len(missing)} entr{'y has' if len(missing) == 1 else 'ies have'} no usable timestamp "
                "(missing or non-finite); listed in the table, not on the timeline.",
                first.source, first.location or None, Severity.WARNING, "transcript_missing_timestamp"))
        unknown = [e for e in entries if e.kind is EventKind.UNKNOWN]
        if unknown:
            names = sorted({str(e.event) for e in unknown})[:5]
            self.notes.append(_note(
                f"{len(unknown)} entr{'y' if len(unknown) == 1 else 'ies'} of unknown event kind "
                f"({', '.join(names)}) shown in the 'Other' lane.",
                unknown[0].source, unknown[0].location or None, Severity.WARNING, "transcript_unknown_kind"))
        # de-duplicate: same event, step and instant. Within one source that is bad input;
        # across sources (overlapping saves of one profile) it is the expected merge.
        kept: dict[tuple, int] = {}
        out: list[TranscriptEntry] = []
        dup_within: list[TranscriptEntry] = []
        dup_across = 0
        for e in entries:
            key = e.dedupe_key()
            j = kept.get(key)
            if j is None:
                kept[key] = len(out)
                out.append(e)
                continue
            if out[j].source == e.source and not (out[j].derived or e.derived):
                dup_within.append(e)
            elif out[j].source == e.source:
                pass  # one save states the same fact twice (prompt history and analytics)
            else:
                dup_across += 1
            if out[j].derived and not e.derived:  # a recorded entry beats a reconstructed one
                out[j] = e
        if dup_within:
            self.notes.append(_note(
                f"{len(dup_within)} duplicate entr{'y' if len(dup_within) == 1 else 'ies'} dropped.",
                dup_within[0].source, dup_within[0].location or None, Severity.WARNING, "transcript_duplicate"))
        if dup_across:
            self.notes.append(_note(
                f"{dup_across} entr{'y' if dup_across == 1 else 'ies'} shared by several sources counted once.",
                code="transcript_merged"))
        order = sorted(range(len(out)), key=lambda i: (out[i].timestamp is None,
                                                       out[i].timestamp or 0.0, i))
        out = [out[i] for i in order]
        if len(out) == 1:
            self.notes.append(_note("Only one entry: the view is centred on it.", out[0].source,
                                    code="transcript_single"))
        return out

    # -- queries ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, i: int) -> TranscriptEntry:
        return self.entries[i]

    @property
    def timed_mask(self) -> np.ndarray:
        return np.isfinite(self.times)

    def time_range(self) -> tuple[float, float] | None:
        """(first, last) epoch ms over timed entries and spans, or None when nothing is timed."""
        t = self.times[np.isfinite(self.times)]
        if t.size == 0:
            return None
        hi = float(t.max())
        if self.spans:
            hi = max(hi, max(s.end for s in self.spans))
        return float(t.min()), hi

    @property
    def origin(self) -> float:
        """t0 of the relative time axis: the first timed entry (0 when nothing is timed)."""
        r = self.time_range()
        return r[0] if r else 0.0

    def step_ids(self) -> list[str]:
        """Step ids present, in the game's step order (unknown ids last, alphabetically)."""
        ids = {e.step_id for e in self.entries if e.step_id}
        return sorted(ids, key=lambda s: (STEP_ORDER.get(s, len(STEP_ORDER)), s))

    def title_for(self, step_id: str) -> str:
        for e in self.entries:
            if e.step_id == step_id and e.title and e.kind is not EventKind.SNAPSHOT:
                return e.title
        return STEP_TITLES.get(step_id, step_id)

    def select(self, kinds: Iterable[EventKind] | None = None, step_id: str | None = None,
               text: str | None = None) -> np.ndarray:
        """Indices of the entries passing the filters (kind set, one step, case-insensitive text)."""
        mask = np.ones(len(self.entries), dtype=bool)
        if kinds is not None:
            lanes = np.array([k.lane for k in kinds], dtype=np.int8)
            mask &= np.isin(self.lanes, lanes)
        if step_id:
            mask &= np.fromiter((e.step_id == step_id for e in self.entries), bool, len(self.entries))
        if text and text.strip():
            needle = text.strip().lower()
            if self._search_cache is None:
                self._search_cache = [e.search_text() for e in self.entries]
            mask &= np.fromiter((needle in s for s in self._search_cache), bool, len(self.entries))
        return np.flatnonzero(mask)

    def in_range(self, indices: np.ndarray, start_ms: float, end_ms: float) -> np.ndarray:
        """The subset of ``indices`` whose timestamp lies in [start_ms, end_ms]."""
        t = self.times[indices]
        return indices[(t >= start_ms) & (t <= end_ms)]

    def snapshots(self) -> list[int]:
        return [i for i, e in enumerate(self.entries) if e.kind is EventKind.SNAPSHOT]

    def previous_snapshot(self, index: int) -> int | None:
        """The snapshot before ``index`` in the same run (for the "what changed" diff)."""
        run = self.entries[index].run
        for j in range(index - 1, -1, -1):
            e = self.entries[j]
            if e.kind is EventKind.SNAPSHOT and e.run == run:
                return j
        return None

    def step_stats(self) -> list[StepStat]:
        """Per step, the dwell time of every run that completed it (one value per run), in the
        game's step order. Skipped and still-open steps are left out: they did not finish."""
        per_step: dict[str, dict[str, float]] = {}
        for span in self.spans:
            if span.status != "completed":
                continue
            per_step.setdefault(span.step_id, {}).setdefault(span.run, span.duration_ms)
        ids = sorted(per_step, key=lambda s: (STEP_ORDER.get(s, len(STEP_ORDER)), s))
        return [StepStat(s, self.title_for(s), tuple(per_step[s].values())) for s in ids]

    def runs(self) -> list[str]:
        return sorted({e.run for e in self.entries if e.run})


def compute_spans(entries: Sequence[TranscriptEntry],
                  run_ends: dict[str, float] | None = None) -> list[StepSpan]:
    """Pair each step start with its completion (or the skip / completion that ended it).

    A completion without a recorded start uses ``metadata.durationMs`` when present; a step
    still open at the end of its run is drawn up to the run's end ("open"): the save time from
    ``run_ends`` when the source knows it, else the run's last event.
    """
    spans: list[StepSpan] = []
    open_steps: dict[tuple[str, str], tuple[float, str]] = {}
    last_seen: dict[str, float] = {}
    for e in entries:
        if e.timestamp is None:
            continue
        t = e.timestamp
        last_seen[e.run] = max(last_seen.get(e.run, t), t)
        if e.kind is EventKind.STEP_STARTED and e.step_id:
            open_steps[(e.run, e.step_id)] = (t, e.display_title)
        elif e.kind is EventKind.STEP_COMPLETED and e.step_id:
            started = open_steps.pop((e.run, e.step_id), None)
            if started is None:
                dur = finite_ms((e.metadata or {}).get("durationMs"))
                start = usable_time(t - dur)[0] if dur is not None else None
                if start is None:
                    continue
                started = (start, e.display_title)
            spans.append(StepSpan(e.step_id, started[1] or e.display_title, started[0], t, e.run, "completed"))
        elif e.kind in (EventKind.SKIPPED, EventKind.COMPLETED):
            for key in [k for k in open_steps if k[0] == e.run]:
                start, title = open_steps.pop(key)
                status = "skipped" if e.kind is EventKind.SKIPPED else "completed"
                spans.append(StepSpan(key[1], title, start, t, e.run, status))
    ends = run_ends or {}
    for (run, step), (start, title) in open_steps.items():
        end = max(ends.get(run, -math.inf), last_seen.get(run, start), start)
        spans.append(StepSpan(step, title, start, end, run, "open"))
    spans.sort(key=lambda s: (s.start, s.end))
    return spans
