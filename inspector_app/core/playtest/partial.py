"""Mergeable partial aggregates of a playtest.

A :class:`Partial` folds any number of :class:`PlayerSummary` objects into exact structures —
lists of player ids and of ``(value, player_id)`` pairs per number, nothing lossy — so merging
is a multiset union: associative and commutative. :func:`build_report` sorts every list, so the
report (and its JSON bytes) is the same for any split of the players and any merge order:
local pool, Dask tree reduction, cache hits.

Per player the partial keeps what the report shows (ids in groups, one value per distribution),
a few hundred bytes; it is built where the summary is made (pool/Dask worker) and only merged
after, so the summaries themselves never need to be held together.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .model import PlayerSummary, ProblemInfo

Pairs = list[tuple[Any, str]]


@dataclass(frozen=True, slots=True)
class PlayerRow:
    """One line of the players table (included and excluded players)."""

    player_id: str
    label: str
    path: str
    kind: str
    excluded: bool
    saves: int
    error_saves: int
    problems: int
    playtime_ms: float | None
    tutorial_status: str
    steps_completed: int
    steps_skipped: int
    stalled_step: str | None
    stalled_ms: float | None
    last_save_ms: float | None

    def to_json(self) -> dict[str, Any]:
        return {"playerId": self.player_id, "label": self.label, "path": self.path, "kind": self.kind,
                "excluded": self.excluded, "saves": self.saves, "errorSaves": self.error_saves,
                "problems": self.problems, "playtimeMs": self.playtime_ms, "tutorialStatus": self.tutorial_status,
                "stepsCompleted": self.steps_completed, "stepsSkipped": self.steps_skipped,
                "stalledStep": self.stalled_step, "stalledMs": self.stalled_ms, "lastSaveMs": self.last_save_ms}


def _row(s: PlayerSummary) -> PlayerRow:
    return PlayerRow(player_id=s.player_id, label=s.label, path=s.path, kind=s.kind, excluded=s.excluded,
                     saves=s.save_count, error_saves=s.error_saves, problems=len(s.problems),
                     playtime_ms=s.playtime_ms, tutorial_status=s.tutorial_status if not s.excluded else "excluded",
                     steps_completed=sum(1 for r in s.steps if r.status == "completed"),
                     steps_skipped=sum(1 for r in s.steps if r.status == "skipped"),
                     stalled_step=s.stalled_step, stalled_ms=s.stalled_ms, last_save_ms=s.last_save_ms)


def _pick_title(a: str | None, b: str | None) -> str | None:
    """Deterministic choice between two names of the same thing (any order gives the same one)."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


@dataclass
class _StepAgg:
    index: int
    title: str
    reached: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)
    time: Pairs = field(default_factory=list)

    def absorb(self, other: "_StepAgg") -> None:
        self.index = min(self.index, other.index)
        self.title = _pick_title(self.title, other.title) or ""
        self.reached += other.reached
        self.completed += other.completed
        self.skipped += other.skipped
        self.open += other.open
        self.time += other.time


@dataclass
class _CompletionAgg:
    title: str
    statuses: dict[str, list[str]] = field(default_factory=dict)

    def absorb(self, other: "_CompletionAgg") -> None:
        self.title = _pick_title(self.title, other.title) or ""
        for status, players in other.statuses.items():
            self.statuses.setdefault(status, []).extend(players)


@dataclass
class _FactionAgg:
    name: str
    reputation: Pairs = field(default_factory=list)
    fame: Pairs = field(default_factory=list)
    infamy: Pairs = field(default_factory=list)
    attitudes: dict[str, list[str]] = field(default_factory=dict)

    def absorb(self, other: "_FactionAgg") -> None:
        self.name = _pick_title(self.name, other.name) or ""
        self.reputation += other.reputation
        self.fame += other.fame
        self.infamy += other.infamy
        for attitude, players in other.attitudes.items():
            self.attitudes.setdefault(attitude, []).extend(players)


class Partial:
    """Exact, mergeable aggregate of some players (see the module docstring)."""

    __slots__ = ("cases", "excluded", "factions", "playtime", "quests", "rows", "save_counts", "save_errors",
                 "skipped", "stalls", "steps", "tutorial")

    def __init__(self) -> None:
        self.rows: dict[str, PlayerRow] = {}
        self.excluded: dict[str, tuple[ProblemInfo, ...]] = {}
        self.tutorial: dict[str, list[str]] = {}
        self.steps: dict[str, _StepAgg] = {}
        self.quests: dict[str, _CompletionAgg] = {}
        self.cases: dict[str, _CompletionAgg] = {}
        self.factions: dict[str, _FactionAgg] = {}
        self.playtime: Pairs = []
        self.save_counts: Pairs = []
        self.stalls: list[tuple[Any, str, str]] = []          # (ms, player, step)
        self.skipped: list[tuple[str, str | None]] = []       # (player, step skipped at)
        self.save_errors: list[tuple[str, int, int]] = []     # (player, error saves, error problems)

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def empty(cls) -> "Partial":
        return cls()

    @classmethod
    def from_summary(cls, s: PlayerSummary) -> "Partial":
        p = cls()
        p.add(s)
        return p

    @classmethod
    def from_summaries(cls, summaries: Iterable[PlayerSummary]) -> "Partial":
        p = cls()
        for s in summaries:
            p.add(s)
        return p

    @property
    def players(self) -> int:
        return len(self.rows)

    def add(self, s: PlayerSummary) -> None:
        """Fold one player in (in place). Player ids are unique by construction
        (``sources.discover_sources``); the same id twice is a bug, refused like in :meth:`absorb`."""
        pid = s.player_id
        if pid in self.rows:
            raise ValueError(f"player {pid!r} is already in this partial (player ids must be unique)")
        self.rows[pid] = _row(s)
        if s.excluded:
            self.excluded[pid] = s.problems
            return
        self.tutorial.setdefault(s.tutorial_status, []).append(pid)
        for r in s.steps:
            agg = self.steps.get(r.step_id)
            if agg is None:
                agg = self.steps[r.step_id] = _StepAgg(r.index, r.title)
            else:
                agg.index = min(agg.index, r.index)
                agg.title = _pick_title(agg.title, r.title) or ""
            agg.reached.append(pid)
            getattr(agg, r.status if r.status in ("completed", "skipped") else "open").append(pid)
            if r.status in ("completed", "skipped") and r.duration_ms is not None:
                agg.time.append((r.duration_ms, pid))
        for target, records in ((self.quests, s.quests), (self.cases, s.cases)):
            for q in records:
                agg_q = target.get(q.quest_id)
                if agg_q is None:
                    agg_q = target[q.quest_id] = _CompletionAgg(q.title)
                else:
                    agg_q.title = _pick_title(agg_q.title, q.title) or ""
                agg_q.statuses.setdefault(q.status, []).append(pid)
        for f in s.factions:
            agg_f = self.factions.get(f.faction_id)
            if agg_f is None:
                agg_f = self.factions[f.faction_id] = _FactionAgg(f.name)
            else:
                agg_f.name = _pick_title(agg_f.name, f.name) or ""
            if f.reputation is not None:
                agg_f.reputation.append((f.reputation, pid))
            if f.fame is not None:
                agg_f.fame.append((f.fame, pid))
            if f.infamy is not None:
                agg_f.infamy.append((f.infamy, pid))
            agg_f.attitudes.setdefault(f.attitude or "unknown", []).append(pid)
        if s.playtime_ms is not None:
            self.playtime.append((s.playtime_ms, pid))
        self.save_counts.append((s.save_count, pid))
        if s.stalled_step is not None and s.stalled_ms is not None:
            self.stalls.append((s.stalled_ms, pid, s.stalled_step))
        if s.tutorial_status == "skipped":
            at = next((r.step_id for r in s.steps if r.status == "skipped"), None)
            self.skipped.append((pid, at))
        error_problems = sum(1 for p in s.problems if p.severity == "error")
        if s.error_saves or error_problems:
            self.save_errors.append((pid, s.error_saves, error_problems))

    # -- merging ----------------------------------------------------------------------------------
    def absorb(self, other: "Partial") -> None:
        """Merge ``other`` into this partial (in place; ``other`` is not modified)."""
        for pid, row in other.rows.items():
            if pid in self.rows:
                raise ValueError(f"player {pid!r} is in both partials (player ids must be unique)")
            self.rows[pid] = row
        self.excluded.update(other.excluded)
        for status, players in other.tutorial.items():
            self.tutorial.setdefault(status, []).extend(players)
        pairs: list[tuple[dict[str, Any], dict[str, Any]]] = [
            (self.steps, other.steps), (self.quests, other.quests), (self.cases, other.cases),
            (self.factions, other.factions)]
        for mine, theirs in pairs:
            for key, agg in theirs.items():
                if key in mine:
                    mine[key].absorb(agg)
                else:
                    mine[key] = _copy(agg)
        self.playtime += other.playtime
        self.save_counts += other.save_counts
        self.stalls += other.stalls
        self.skipped += other.skipped
        self.save_errors += other.save_errors

    def copy(self) -> "Partial":
        p = Partial()
        p.absorb(self)
        return p

    # -- canonical form ---------------------------------------------------------------------------
    def canonical(self) -> dict[str, Any]:
        """Every structure sorted: two partials of the same players are equal here, however built."""
        def groups(d: dict[str, list[str]]) -> dict[str, list[str]]:
            return {k: sorted(v) for k, v in sorted(d.items())}

        return {
            "rows": sorted(self.rows.values(), key=lambda r: r.player_id),
            "excluded": sorted(self.excluded.items()),
            "tutorial": groups(self.tutorial),
            "steps": {k: (a.index, a.title, sorted(a.reached), sorted(a.completed), sorted(a.skipped),
                          sorted(a.open), sorted(a.time)) for k, a in sorted(self.steps.items())},
            "quests": {k: (a.title, groups(a.statuses)) for k, a in sorted(self.quests.items())},
            "cases": {k: (a.title, groups(a.statuses)) for k, a in sorted(self.cases.items())},
            "factions": {k: (a.name, sorted(a.reputation), sorted(a.fame), sorted(a.infamy), groups(a.attitudes))
                         for k, a in sorted(self.factions.items())},
            "playtime": sorted(self.playtime), "save_counts": sorted(self.save_counts),
            "stalls": sorted(self.stalls), "skipped": sorted(self.skipped, key=repr),
            "save_errors": sorted(self.save_errors),
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Partial) and self.canonical() == other.canonical()

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)


def _copy(agg: Any) -> Any:
    """A copy of an aggregate whose lists are its own (so absorbing into it never touches ``agg``)."""
    values = {}
    for name, value in vars(agg).items():
        if isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = {k: list(v) for k, v in value.items()}
        values[name] = value
    return type(agg)(**values)


def merge(a: Partial, b: Partial) -> Partial:
    """``a`` ∪ ``b`` as a new partial (inputs unchanged). Associative and commutative."""
    out = a.copy()
    out.absorb(b)
    return out


def merge_all(parts: Iterable[Partial]) -> Partial:
    out = Partial()
    for part in parts:
        out.absorb(part)
    return out
