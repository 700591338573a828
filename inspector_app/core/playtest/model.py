"""The playtest's plain data: what one player's profile says (:class:`PlayerSummary`), small and
picklable so it crosses process boundaries (local pool, Dask workers) and the cache cheaply.

No Qt, no numpy, no documents: only str/int/float/bool/None and tuples of these dataclasses.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector_app.core.common.progress import Cancelled
from inspector_app.core.loading.document import Problem


class PlaytestCancelled(Cancelled):
    """The user cancelled the playtest run; submitting stopped and pending work was cancelled."""


@dataclass(frozen=True, slots=True)
class PlayerSource:
    """One player's input, with its id fixed before any work starts (see ``sources.discover_sources``)."""

    player_id: str
    path: str           # absolute path (or fsspec URL) of the profile file / browser profile folder
    kind: str = "file"  # "file" | "browser" | "url"


@dataclass(frozen=True, slots=True)
class ProblemInfo:
    """A located :class:`~inspector_app.core.loading.document.Problem`, flattened to plain values."""

    severity: str
    message: str
    file: str | None = None
    slot: str | None = None
    location: str | None = None
    code: str = ""

    @classmethod
    def from_problem(cls, problem: Problem) -> "ProblemInfo":
        severity = getattr(problem.severity, "value", problem.severity)
        return cls(str(severity), problem.message, problem.file, problem.slot, problem.location, problem.code)

    def describe(self) -> str:
        parts = [p for p in (self.file, self.slot and f"slot {self.slot}", self.location) if p]
        where = ": ".join(parts)
        return f"{where}: {self.message}" if where else self.message

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "message": self.message, "file": self.file, "slot": self.slot,
                "location": self.location, "code": self.code}


@dataclass(frozen=True, slots=True)
class SaveInfo:
    slot_id: str
    label: str
    slot_type: str                  # "auto" | "manual"
    status: str                     # "ok" | "legacy" | "future" | "error"
    saved_at_ms: float | None
    playtime_ms: float | None
    problems: int


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One tutorial step of one player (from the transcript's spans, ``core/transcript``)."""

    step_id: str
    title: str
    index: int
    status: str                     # "completed" | "skipped" | "open"
    duration_ms: float | None


@dataclass(frozen=True, slots=True)
class QuestRecord:
    """A quest or a case at the player's latest readable save."""

    quest_id: str
    title: str
    status: str
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class FactionRecord:
    faction_id: str
    name: str
    fame: float | None
    infamy: float | None
    reputation: float | None        # fame - infamy
    attitude: str | None


@dataclass(frozen=True, slots=True)
class PlayerSummary:
    player_id: str
    label: str
    path: str
    kind: str
    size_bytes: int
    mtime_ns: int
    excluded: bool
    problems: tuple[ProblemInfo, ...] = ()
    saves: tuple[SaveInfo, ...] = ()
    tutorial_status: str = "not-started"    # "completed" | "skipped" | "in-progress" | "not-started"
    steps: tuple[StepRecord, ...] = ()
    quests: tuple[QuestRecord, ...] = ()
    cases: tuple[QuestRecord, ...] = ()
    factions: tuple[FactionRecord, ...] = ()
    playtime_ms: float | None = None
    first_save_ms: float | None = None
    last_save_ms: float | None = None
    save_count: int = 0
    error_saves: int = 0
    stalled_step: str | None = None
    stalled_ms: float | None = None

    def with_source(self, source: PlayerSource) -> "PlayerSummary":
        """The same summary under another id/path (a cached summary of a file seen under another id)."""
        from dataclasses import replace

        label = source.player_id if self.label == self.player_id else self.label
        return replace(self, player_id=source.player_id, path=source.path, kind=source.kind, label=label)


#: bump when PlayerSummary's fields or their meaning change (the cache drops older entries)
SUMMARY_VERSION = 1

_NESTED = {"problems": ProblemInfo, "saves": SaveInfo, "steps": StepRecord, "quests": QuestRecord,
           "cases": QuestRecord, "factions": FactionRecord}


def _record_getters() -> dict[str, Any]:
    from dataclasses import fields
    from operator import attrgetter

    getters = {}
    for name, cls in _NESTED.items():
        names = [f.name for f in fields(cls)]
        assert len(names) > 1, "attrgetter of one name returns the value, not a tuple"
        getters[name] = attrgetter(*names)
    return getters


_GETTERS = _record_getters()


def summary_to_json(summary: PlayerSummary) -> bytes:
    """Compact JSON of a summary (the cache's value, and what a pool worker sends back; plain
    values only, no pickle). Records are written as arrays of their fields in field order
    (``attrgetter`` reads them in C; ``dataclasses.astuple`` deep-copied every value)."""
    import orjson

    out: dict[str, Any] = {}
    for name in PlayerSummary.__slots__:
        value = getattr(summary, name)
        get = _GETTERS.get(name)
        out[name] = value if get is None else [get(item) for item in value]
    return orjson.dumps(out)


def summary_from_json(data: bytes | str) -> PlayerSummary:
    """The inverse of :func:`summary_to_json` (raises ValueError/TypeError on a foreign value)."""
    import orjson

    raw = orjson.loads(data)
    if not isinstance(raw, dict):
        raise ValueError("summary is not an object")
    kwargs = dict(raw)
    for name, cls in _NESTED.items():
        kwargs[name] = tuple(cls(*item) for item in raw.get(name, ()))
    return PlayerSummary(**kwargs)
