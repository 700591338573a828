"""A transcript recorder with the game's semantics, and a follower for JSON-lines event logs.

:class:`TranscriptRecorder` mirrors ``TutorialTranscriptRecorder`` (spec telemetry-pipeline
§6.1): it listens to the five ``tutorial:*`` bus events, builds the raw entry
``{event, promptId, promptText, actionTaken, timestamp, followUpNarrative, metadata}``
(timestamp = first finite of ``timestamp, startedAt, completedAt, skippedAt, occurredAt``, else
now), keeps a bounded FIFO buffer (default 50) and sends a trailing-edge throttled update
``{count, lastEntry}``. It is what lets the app replay a captured session exactly as the game
would have recorded it.

:class:`JsonLinesFollower` feeds a recorder from a JSON-lines file that keeps growing (a live
session log, a CI capture): each :meth:`~JsonLinesFollower.poll` reads only the new bytes, so
memory stays bounded by the recorder's buffer and one partial line, however long the file.

No Qt here: the throttle uses an injectable scheduler (a ``threading.Timer`` by default; the UI
passes a Qt single-shot timer).
"""
from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import orjson

from inspector_app.core.loading.document import Problem, Severity

DEFAULT_MAX_ENTRIES = 50
DEFAULT_UPDATE_EVENT = "tutorial:transcript_updated"
DEFAULT_DEBOUNCE_MS = 50
BUS_EVENTS = ("tutorial:started", "tutorial:step_started", "tutorial:step_completed",
              "tutorial:skipped", "tutorial:completed")
_TIMESTAMP_KEYS = ("timestamp", "startedAt", "completedAt", "skippedAt", "occurredAt")

Scheduler = Callable[[float, Callable[[], None]], Callable[[], None]]
"""``schedule(delay_ms, fn) -> cancel``: run ``fn`` once after ``delay_ms``."""


def thread_timer_scheduler(delay_ms: float, fn: Callable[[], None]) -> Callable[[], None]:
    timer = threading.Timer(delay_ms / 1000.0, fn)
    timer.daemon = True
    timer.start()
    return timer.cancel


def _num(value: Any) -> int | float | None:
    """The recorder's numbers: finite numbers kept, everything else (NaN, ±inf, absent) -> None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if math.isfinite(value) else None


def _clone(value: Any) -> Any:
    """Deep copy of JSON-like data (much cheaper than ``copy.deepcopy`` for small payloads)."""
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _get(payload: dict, key: str) -> Any:
    value = payload.get(key)
    return None if value is None else _clone(value)


class TranscriptRecorder:
    """The game's transcript recorder (§6.1) in Python.

    ``event_bus`` (optional) needs ``on(name, handler)``; ``off(name, handler)`` is used by
    :meth:`stop` when present. Without a bus, feed events with :meth:`handle`. ``on_update`` is
    called with ``(update_event_name, {"count", "lastEntry"})``.
    """

    def __init__(self, event_bus: Any = None, *, max_entries: Any = DEFAULT_MAX_ENTRIES,
                 update_event_name: Any = DEFAULT_UPDATE_EVENT, update_debounce_ms: Any = DEFAULT_DEBOUNCE_MS,
                 on_update: Callable[[str, dict], None] | None = None,
                 scheduler: Scheduler | None = None, clock: Callable[[], float] | None = None):
        if event_bus is not None and not callable(getattr(event_bus, "on", None)):
            raise TypeError("TranscriptRecorder requires a valid EventBus instance")
        m = _num(max_entries)
        self.max_entries = int(math.floor(m)) if m is not None and math.floor(m) > 0 else DEFAULT_MAX_ENTRIES
        self.update_event_name = update_event_name if isinstance(update_event_name, str) and update_event_name \
            else DEFAULT_UPDATE_EVENT
        d = _num(update_debounce_ms)
        self.update_debounce_ms = d if d is not None and d >= 0 else DEFAULT_DEBOUNCE_MS
        self._bus = event_bus
        self._on_update = on_update
        self._schedule = scheduler or thread_timer_scheduler
        self._clock = clock or (lambda: time.time() * 1000.0)
        self._entries: deque[dict] = deque(maxlen=self.max_entries)   # FIFO: oldest dropped
        self._handlers: dict[str, Callable[[Any], None]] = {}
        self._last_step: dict | None = None
        self._pending: dict | None = None
        self._cancel_timer: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self.appended = 0   # total entries ever recorded (the buffer keeps the last max_entries)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        """Subscribe to the five ``tutorial:*`` events (idempotent)."""
        if self._handlers or self._bus is None:
            return
        for name in BUS_EVENTS:
            handler = (lambda payload, _n=name: self.handle(_n, payload))
            self._handlers[name] = handler
            self._bus.on(name, handler)

    def stop(self) -> None:
        """Unsubscribe and clear the pending update and the last-step context (entries kept)."""
        off = getattr(self._bus, "off", None)
        for name, handler in self._handlers.items():
            if callable(off):
                off(name, handler)
        self._handlers.clear()
        with self._lock:
            if self._cancel_timer:
                self._cancel_timer()
            self._cancel_timer = None
            self._pending = None
            self._last_step = None


    def get_transcript(self) -> list[dict]:
        """Deep clones of the buffered raw entries, oldest first."""
        return [_clone(e) for e in self._entries]

    def __len__(self) -> int:
        return len(self._entries)

    # -- recording ------------------------------------------------------------------------
    def handle(self, event_name: str, payload: Any = None) -> dict | None:
        """Record one bus event; returns the raw entry, or None for events it does not record."""
        p = payload if isinstance(payload, dict) else {}
        ts = next((v for v in (_num(p.get(k)) for k in _TIMESTAMP_KEYS) if v is not None), None)
        if ts is None:
            ts = self._clock()
        last = self._last_step or {}
        if event_name == "tutorial:started":
            entry = self._entry("tutorial_started", None, None, "started", ts, p,
                                {"totalSteps": _num(p.get("totalSteps")), "startedAt": _num(p.get("startedAt"))})
        elif event_name == "tutorial:step_started":
            step, title = _get(p, "stepId"), _get(p, "title")
            self._last_step = {"stepId": step, "title": title}
            started = _num(p.get("startedAt"))
            entry = self._entry("tutorial_step_started", step, title, "step_started", ts, p, {
                "stepIndex": _num(p.get("stepIndex")), "totalSteps": _num(p.get("totalSteps")),
                "description": _get(p, "description"), "highlight": _get(p, "highlight"),
                "position": _get(p, "position"), "canSkip": _get(p, "canSkip"),
                "startedAt": started if started is not None else ts})
        elif event_name == "tutorial:step_completed":
            step = _get(p, "stepId") if p.get("stepId") is not None else last.get("stepId")
            title = _get(p, "title") if p.get("title") is not None else last.get("title")
            done = _num(p.get("completedAt"))
            entry = self._entry("tutorial_step_completed", step, title, "step_completed", ts, p, {
                "stepIndex": _num(p.get("stepIndex")), "totalSteps": _num(p.get("totalSteps")),
                "completedAt": done if done is not None else ts, "durationMs": _num(p.get("durationMs"))})
        elif event_name == "tutorial:skipped":
            step = _get(p, "stepId") if p.get("stepId") is not None else last.get("stepId")
            entry = self._entry("tutorial_skipped", step, last.get("title"), "skipped", ts, p,
                                {"stepIndex": _num(p.get("stepIndex")), "skippedAt": _num(p.get("skippedAt"))})
        elif event_name == "tutorial:completed":
            entry = self._entry("tutorial_completed", None, None, "completed", ts, p, {
                "totalSteps": _num(p.get("totalSteps")), "completedSteps": _num(p.get("completedSteps")),
                "completedAt": _num(p.get("completedAt"))})
        else:
            return None
        self.append(entry)
        return entry

    @staticmethod
    def _entry(event: str, step: Any, text: Any, action: str, ts: float, p: dict, meta: dict) -> dict:
        return {"event": event, "promptId": step, "promptText": text, "actionTaken": action,
                "timestamp": ts, "followUpNarrative": _get(p, "followUpNarrative"), "metadata": meta}

    def append(self, entry: dict) -> None:
        """Append a raw entry (FIFO-bounded) and schedule the trailing-edge update."""
        self._entries.append(entry)
        self.appended += 1
        if self._on_update is None:
            return
        if self.update_debounce_ms == 0:
            self._on_update(self.update_event_name, {"count": len(self._entries), "lastEntry": _clone(entry)})
            return
        with self._lock:
            self._pending = entry
            if self._cancel_timer is None:
                self._cancel_timer = self._schedule(self.update_debounce_ms, self._flush)

    def _flush(self) -> None:
        with self._lock:
            entry, self._pending, self._cancel_timer = self._pending, None, None
        if entry is not None and self._on_update is not None:
            self._on_update(self.update_event_name, {"count": len(self._entries), "lastEntry": _clone(entry)})


@dataclass
class FollowResult:
    """What one :meth:`JsonLinesFollower.poll` did."""

    lines: int = 0        # complete lines read
    recorded: int = 0     # entries appended to the recorder
    skipped: int = 0      # lines that were not tutorial events (ignored silently)
    problems: int = 0     # lines that were not valid JSON / too long
    truncated: bool = False   # the file shrank or was replaced: reading restarted at 0


class JsonLinesFollower:
    """Feed a recorder from a growing JSON-lines file with bounded memory.

    A line may be a bus event ``{"event"|"type"|"name": "tutorial:step_started",
    "payload"|"data": {...}}`` (replayed through :meth:`TranscriptRecorder.handle`) or an
    already-recorded raw entry ``{"event": "tutorial_step_started", ...}`` (appended as is).
    Only the unread tail of the file is read per poll; a partial last line waits for the next
    poll; lines longer than ``max_line_bytes`` are skipped with a problem. Problems are kept in a
    bounded list (``max_problems``) with their line numbers.
    """

    CHUNK = 1 << 16

    def __init__(self, path: str | Path, recorder: TranscriptRecorder, *,
                 max_line_bytes: int = 1 << 20, max_problems: int = 100):
        self.path = Path(path)
        self.recorder = recorder
        self.max_line_bytes = max_line_bytes
        self.offset = 0
        self.line_no = 0
        self._partial = b""
        self._skipping_long_line = False
        self._identity: tuple[int, int] | None = None
        self.problems: deque[Problem] = deque(maxlen=max_problems)
        self.problem_count = 0

    def _problem(self, message: str, line: int) -> None:
        self.problem_count += 1
        self.problems.append(Problem(Severity.WARNING, message, file=str(self.path),
                                     location=f"line {line}", code="jsonl_bad_line"))

    def poll(self, max_bytes: int | None = None) -> FollowResult:
        """Read what was appended since the last poll (at most ``max_bytes``, if given)."""
        result = FollowResult()
        try:
            st = os.stat(self.path)
        except OSError as exc:
            self._problem(f"cannot read: {exc.strerror or exc}", self.line_no)
            result.problems += 1
            return result
        identity = (st.st_dev, st.st_ino)
        if (self._identity is not None and identity != self._identity) or st.st_size < self.offset:
            self.offset, self.line_no, self._partial = 0, 0, b""
            self._skipping_long_line = False
            result.truncated = True
        self._identity = identity
        budget = max_bytes if max_bytes is not None else math.inf
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            while budget > 0:
                chunk = fh.read(int(min(self.CHUNK, budget)))
                if not chunk:
                    break
                budget -= len(chunk)
                self.offset += len(chunk)
                self._consume(chunk, result)
        return result

    def _consume(self, chunk: bytes, result: FollowResult) -> None:
        if self._skipping_long_line:          # drop the rest of an over-long line
            nl = chunk.find(b"\n")
            if nl < 0:
                return
            chunk = chunk[nl + 1:]
            self.line_no += 1
            result.lines += 1
            self._skipping_long_line = False
        lines = (self._partial + chunk).split(b"\n")
        self._partial = lines.pop()
        for raw in lines:
            self.line_no += 1
            result.lines += 1
            self._line(raw, result)
        if len(self._partial) > self.max_line_bytes:
            self._problem(f"line longer than {self.max_line_bytes} bytes skipped", self.line_no + 1)
            result.problems += 1
            self._partial = b""
            self._skipping_long_line = True

    def _line(self, raw: bytes, result: FollowResult) -> None:
        if len(raw) > self.max_line_bytes:
            self._problem(f"line longer than {self.max_line_bytes} bytes skipped", self.line_no)
            result.problems += 1
            return
        raw = raw.strip()
        if not raw:
            return
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            self._problem(f"not JSON ({exc})", self.line_no)
            result.problems += 1
            return
        if not isinstance(obj, dict):
            result.skipped += 1
            return
        name = obj.get("event", obj.get("type", obj.get("name")))
        if isinstance(name, str) and name in BUS_EVENTS:
            payload = obj.get("payload", obj.get("data"))
            if payload is None:
                payload = {k: v for k, v in obj.items() if k not in ("event", "type", "name")}
            self.recorder.handle(name, payload)
            result.recorded += 1
        elif isinstance(name, str) and name.startswith("tutorial_") and "actionTaken" in obj:
            self.recorder.append(obj)
            result.recorded += 1
        else:
            result.skipped += 1
