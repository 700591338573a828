"""Followed values over every loaded save, in time order (no Qt).

:func:`save_refs` lists every readable save slot of the open documents (profiles, browser
storage folders, single saves); :class:`PinResolver` resolves pins in them and remembers the
values per (document, slot), so:

* each slot is read **once for all pins** it still lacks (a parked slot of a big profile is
  parsed once, then cooled again so the shown slot keeps its place in the payload cache), and
  not at all when every pin lies in a section the parked slot keeps parsed (``tutorial``);
* adding a save reads only that save; adding a pin reads each slot once for it (and any other
  pin added meanwhile) — the values of the pins already followed are not recomputed;
* a cancelled run keeps what it finished.

Time of a save ("saved at", in this order): the payload's ``timestamp``; else the slot index's
``timestamp`` (``save_metadata``); else the file's modification time (a save without either,
e.g. a hand-edited file). 0 (the game's "never") and values outside JavaScript's date range do
not count as times. Saves with no usable time are kept in the series (``time`` None) and listed
after the timed ones; charts leave them out and say how many.
"""
from __future__ import annotations

import os
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from inspector_app.core.common.progress import Cancelled, CancelledFn, ProgressFn
from inspector_app.core.common.textsafe import visible
from inspector_app.core.loading.document import SaveDocument, SlotEntry

from .model import MISSING, Pin, compact, resolve, value_kind

__all__ = ["PinResolver", "PinSeries", "PinsCancelled", "Point", "SaveRef", "save_refs", "save_time", "series"]

TIME_PAYLOAD, TIME_INDEX, TIME_FILE = "saved at", "slot index", "file modified"


class PinsCancelled(Cancelled):
    """Resolving followed values was cancelled (what was finished stays cached)."""


@dataclass(frozen=True, eq=False)
class SaveRef:
    """One save: a slot of an open document."""

    document: SaveDocument
    slot: SlotEntry

    @property
    def key(self) -> tuple[str, str]:
        """The save list's row key (``core.session.SlotRow.key``)."""
        return (str(self.document.path), self.slot.key)

    @property
    def label(self) -> str:
        return visible(self.slot.label)

    @property
    def where(self) -> str:
        """``Before Memory Parlor! (slot before-memory-parlor) — profile.json``"""
        return f"{self.label} (slot {visible(self.slot.slot_id)}) — {self.document.display_name}"


def save_refs(documents: Iterable[SaveDocument]) -> list[SaveRef]:
    """Every readable save slot of ``documents`` (summaries and unreadable slots have no values)."""
    return [SaveRef(doc, slot) for doc in documents for slot in doc.slots if slot.has_payload]


def _file_mtime_ms(path: Any) -> float | None:
    try:
        return os.stat(path).st_mtime_ns / 1e6
    except (OSError, ValueError, TypeError):
        return None


def save_time(ref: SaveRef) -> tuple[float | None, str]:
    """(epoch ms, where it came from) — see the module docstring for the order."""
    from inspector_app.core.transcript.model import usable_time  # the one "is this a date" rule (imports numpy)

    t, _why = usable_time(ref.slot.timestamp)
    if t is not None:
        return t, TIME_PAYLOAD
    entry = ref.slot.index_entry
    if isinstance(entry, dict):
        t, _why = usable_time(entry.get("timestamp"))
        if t is not None:
            return t, TIME_INDEX
    t, _why = usable_time(_file_mtime_ms(ref.document.path))
    if t is not None:
        return t, TIME_FILE
    return None, ""


@dataclass(frozen=True)
class Point:
    """A pin's value in one save (``value`` is :data:`MISSING` where the save lacks it)."""

    ref: SaveRef
    time: float | None
    time_source: str
    value: Any

    @property
    def kind(self) -> str:
        return value_kind(self.value)


@dataclass
class PinSeries:
    """One pin over every save, in time order."""

    pin: Pin
    points: list[Point] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``number`` (every present value a number: a line), ``empty`` (never present), else
        ``state`` (strings, booleans, null, containers or a mix: bands)."""
        kinds = {p.kind for p in self.points} - {"missing"}
        if not kinds:
            return "empty"
        return "number" if kinds == {"number"} else "state"

    @property
    def timed(self) -> list[Point]:
        return [p for p in self.points if p.time is not None]

    @property
    def untimed(self) -> int:
        return sum(1 for p in self.points if p.time is None)


class _SlotValues:
    __slots__ = ("doc_ref", "slot", "values")

    def __init__(self, doc: SaveDocument, slot: SlotEntry):
        self.doc_ref = weakref.ref(doc)
        self.slot = slot
        self.values: dict[str, Any] = {}


def _from_kept_sections(slot: SlotEntry, pins: Sequence[Pin]) -> dict[str, Any] | None:
    """The values when every pin is inside a section a parked slot keeps parsed (``tutorial``:
    the tutorial step, its durations, completed steps), so the slot is not parsed; else None."""
    sections: dict[str, Any] = {}
    for pin in pins:
        steps = pin.steps
        if len(steps) < 2 or steps[0] != "gameData" or not isinstance(steps[1], str):
            return None
        if steps[1] not in sections:
            found, value = slot.kept_section(steps[1])
            if not found:
                return None
            sections[steps[1]] = value
    return {p.key: compact(resolve({"gameData": sections}, p)) for p in pins}


class PinResolver:
    """Pins resolved per (document, slot), cached; thread-safe (the worker fills, the GUI reads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, str], _SlotValues] = {}
        self.payload_reads = 0     # slots read so far (tests: parked slots parsed once)

    def _entry(self, ref: SaveRef) -> _SlotValues:
        key = (id(ref.document), ref.slot.key)
        with self._lock:
            entry = self._cache.get(key)
            if entry is None or entry.doc_ref() is not ref.document or entry.slot is not ref.slot:
                entry = self._cache[key] = _SlotValues(ref.document, ref.slot)
            return entry

    def forget(self, keep: Iterable[SaveDocument]) -> None:
        """Drop the values of documents not in ``keep`` (closed or replaced by a reload)."""
        ids = {id(d) for d in keep}
        with self._lock:
            for key in [k for k, e in self._cache.items() if k[0] not in ids or e.doc_ref() is None]:
                del self._cache[key]

    def missing(self, refs: Sequence[SaveRef], pins: Sequence[Pin]) -> int:
        """How many saves still have to be read for ``pins`` (0: :meth:`series` is instant)."""
        keys = [p.key for p in pins]
        return sum(1 for r in refs if any(k not in self._entry(r).values for k in keys))

    def series(self, refs: Sequence[SaveRef], pins: Sequence[Pin], progress: ProgressFn | None = None,
               cancelled: CancelledFn | None = None) -> list[PinSeries]:
        """Every pin's values over ``refs`` in time order; reads each slot at most once."""
        keys = [p.key for p in pins]
        todo = [(r, e) for r in refs for e in (self._entry(r),) if any(k not in e.values for k in keys)]
        for n, (ref, entry) in enumerate(todo):
            if cancelled is not None and cancelled():
                raise PinsCancelled("cancelled while reading saves for followed values")
            if progress is not None:
                progress(n, len(todo), f"Following values: reading {ref.label} ({n + 1} of {len(todo)})…")
            slot = ref.slot
            wanted = [p for p in pins if p.key not in entry.values]
            values = _from_kept_sections(slot, wanted)
            if values is None:
                was_materialised = slot.is_materialised
                payload = slot.payload
                self.payload_reads += 1
                values = {p.key: compact(resolve(payload, p)) for p in wanted}
                del payload
                if not was_materialised:
                    slot.cool()     # read for the pins only: do not push the shown slot out of the cache
            with self._lock:
                entry.values.update(values)
        if progress is not None and todo:
            progress(len(todo), len(todo), "")
        timed = sorted(((save_time(r), r) for r in refs),
                       key=lambda tr: (tr[0][0] is None, tr[0][0] or 0.0, str(tr[1].document.path), tr[1].slot.key))
        out = []
        for pin in pins:
            points = [Point(r, t, src, self._entry(r).values.get(pin.key, MISSING)) for (t, src), r in timed]
            out.append(PinSeries(pin, points))
        return out


def series(saves: Sequence[SaveRef], pins: Sequence[Pin], progress: ProgressFn | None = None,
           cancelled: CancelledFn | None = None, resolver: PinResolver | None = None) -> list[PinSeries]:
    """Per pin, its points (save, time, value | MISSING) over ``saves`` in time order."""
    return (resolver or PinResolver()).series(saves, pins, progress, cancelled)
