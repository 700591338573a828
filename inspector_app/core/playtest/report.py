"""The playtest report: built from a :class:`Partial`, every number with the players behind it.

:func:`build_report` sorts every list of the partial first, so any split of the players and
any merge order give the same report; :meth:`PlaytestReport.to_json_bytes` is deterministic
(sorted keys, no wall-clock time).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from inspector_app.core.common.timefmt import format_duration_ms
from inspector_app.core.worldstate.factions import attitude_rank

from .model import ProblemInfo
from .partial import Pairs, Partial, PlayerRow

REPORT_FORMAT = "telemetry-inspector.playtest-report"
REPORT_VERSION = 1
STANDOUT_LIMIT = 10
#: quest statuses that mean "the player has not started it" (the store lists every quest defined)
NOT_STARTED = frozenset({"not_started", "inactive", "locked", "available"})


@dataclass(frozen=True, slots=True)
class Group:
    """A count and the players behind it (sorted ids)."""

    count: int
    players: tuple[str, ...]

    @classmethod
    def of(cls, players: Sequence[str]) -> "Group":
        ids = tuple(sorted(players))
        return cls(len(ids), ids)

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "players": list(self.players)}


def quantile(values: Sequence[Any], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), on sorted ``values``."""
    n = len(values)
    if n == 0:
        return None
    pos = q * (n - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, n - 1)
    frac = pos - lo
    a, b = values[lo], values[hi]
    return a if frac == 0 or a == b else a + (b - a) * frac


@dataclass(frozen=True, slots=True)
class Distribution:
    """Exact summary of ``(value, player)`` pairs: quantiles, mean and who sits where."""

    n: int
    min: float | None
    p25: float | None
    median: float | None
    p75: float | None
    max: float | None
    mean: float | None
    players: tuple[str, ...]
    min_players: tuple[str, ...]
    median_players: tuple[str, ...]
    max_players: tuple[str, ...]
    values: tuple[tuple[Any, str], ...]

    @classmethod
    def of(cls, pairs: Pairs) -> "Distribution":
        ordered = sorted(pairs)
        n = len(ordered)
        if not n:
            return cls(0, None, None, None, None, None, None, (), (), (), (), ())
        values = [v for v, _ in ordered]
        lo, hi = values[0], values[-1]
        middle = [ordered[(n - 1) // 2][1]] if n % 2 else [ordered[n // 2 - 1][1], ordered[n // 2][1]]
        return cls(n=n, min=lo, p25=quantile(values, 0.25), median=quantile(values, 0.5),
                   p75=quantile(values, 0.75), max=hi, mean=math.fsum(values) / n,
                   players=tuple(sorted(p for _, p in ordered)),
                   min_players=tuple(p for v, p in ordered if v == lo), median_players=tuple(sorted(middle)),
                   max_players=tuple(p for v, p in ordered if v == hi), values=tuple(ordered))

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "min": self.min, "p25": self.p25, "median": self.median, "p75": self.p75,
                "max": self.max, "mean": self.mean, "players": list(self.players),
                "minPlayers": list(self.min_players), "medianPlayers": list(self.median_players),
                "maxPlayers": list(self.max_players), "values": [[v, p] for v, p in self.values]}


@dataclass(frozen=True, slots=True)
class FunnelStep:
    step_id: str
    title: str
    index: int
    reached: Group
    completed: Group
    skipped: Group
    open: Group
    time: Distribution

    def to_json(self) -> dict[str, Any]:
        return {"stepId": self.step_id, "title": self.title, "index": self.index, "reached": self.reached.to_json(),
                "completed": self.completed.to_json(), "skipped": self.skipped.to_json(),
                "open": self.open.to_json(), "timeMs": self.time.to_json()}


@dataclass(frozen=True, slots=True)
class CompletionRow:
    id: str
    title: str
    statuses: tuple[tuple[str, Group], ...]
    started: Group
    completed: Group

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "statuses": {k: g.to_json() for k, g in self.statuses},
                "started": self.started.to_json(), "completed": self.completed.to_json()}


@dataclass(frozen=True, slots=True)
class FactionRow:
    faction_id: str
    name: str
    reputation: Distribution
    fame: Distribution
    infamy: Distribution
    attitudes: tuple[tuple[str, Group], ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.faction_id, "name": self.name, "reputation": self.reputation.to_json(),
                "fame": self.fame.to_json(), "infamy": self.infamy.to_json(),
                "attitudes": {k: g.to_json() for k, g in self.attitudes}}


@dataclass(frozen=True, slots=True)
class Standout:
    player_id: str
    value: float | None
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"playerId": self.player_id, "value": self.value, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class PlaytestReport:
    players: tuple[PlayerRow, ...]
    included: Group
    excluded: tuple[tuple[str, tuple[ProblemInfo, ...]], ...]
    source_problems: tuple[ProblemInfo, ...]
    tutorial: tuple[tuple[str, Group], ...]
    funnel: tuple[FunnelStep, ...]
    quests: tuple[CompletionRow, ...]
    cases: tuple[CompletionRow, ...]
    factions: tuple[FactionRow, ...]
    playtime: Distribution
    save_counts: Distribution
    stalled_longest: tuple[Standout, ...]
    skipped_tutorial: tuple[Standout, ...]
    save_errors: tuple[Standout, ...]

    def player(self, player_id: str) -> PlayerRow | None:
        for row in self.players:
            if row.player_id == player_id:
                return row
        return None

    @property
    def counts(self) -> dict[str, int]:
        return {"players": len(self.players), "included": self.included.count, "excluded": len(self.excluded)}

    def to_json(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT, "version": REPORT_VERSION, "counts": self.counts,
            "included": self.included.to_json(), "tutorial": {k: g.to_json() for k, g in self.tutorial},
            "funnel": [s.to_json() for s in self.funnel],
            "quests": [q.to_json() for q in self.quests], "cases": [c.to_json() for c in self.cases],
            "factions": [f.to_json() for f in self.factions],
            "playtimeMs": self.playtime.to_json(), "saveCounts": self.save_counts.to_json(),
            "standouts": {"stalledLongest": [s.to_json() for s in self.stalled_longest],
                          "skippedTutorial": [s.to_json() for s in self.skipped_tutorial],
                          "saveErrors": [s.to_json() for s in self.save_errors]},
            "players": [r.to_json() for r in self.players],
            "excluded": [{"playerId": pid, "problems": [p.to_json() for p in problems]}
                         for pid, problems in self.excluded],
            "sourceProblems": [p.to_json() for p in self.source_problems],
        }

    def to_json_bytes(self) -> bytes:
        return orjson.dumps(self.to_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS |
                            orjson.OPT_APPEND_NEWLINE)


def _completion(aggs: dict) -> tuple[CompletionRow, ...]:
    rows = []
    for key in sorted(aggs):
        agg = aggs[key]
        statuses = tuple((status, Group.of(players)) for status, players in sorted(agg.statuses.items()))
        everyone = [p for status, players in agg.statuses.items() if status not in NOT_STARTED for p in players]
        done = [p for status, players in agg.statuses.items() if status in ("completed", "solved") for p in players]
        rows.append(CompletionRow(key, agg.title, statuses, Group.of(everyone), Group.of(done)))
    return tuple(rows)


def _attitude_key(item: tuple[str, list[str]]) -> tuple:
    rank = attitude_rank(item[0])
    return (rank is None, rank if rank is not None else 0, item[0])


def build_report(partial: Partial, *, source_problems: Sequence[ProblemInfo] = ()) -> PlaytestReport:
    """The report of every player folded into ``partial`` (see the module docstring)."""
    rows = tuple(sorted(partial.rows.values(), key=lambda r: r.player_id))
    included = Group.of([r.player_id for r in rows if not r.excluded])
    funnel = tuple(
        FunnelStep(step_id=key, title=a.title, index=a.index, reached=Group.of(a.reached),
                   completed=Group.of(a.completed), skipped=Group.of(a.skipped), open=Group.of(a.open),
                   time=Distribution.of(a.time))
        for key, a in sorted(partial.steps.items(), key=lambda kv: (kv[1].index, kv[0])))
    factions = tuple(
        FactionRow(key, a.name, Distribution.of(a.reputation), Distribution.of(a.fame), Distribution.of(a.infamy),
                   tuple((att, Group.of(players)) for att, players in sorted(a.attitudes.items(), key=_attitude_key)))
        for key, a in sorted(partial.factions.items()))
    stalls = sorted(partial.stalls, key=lambda t: (-t[0], t[1]))[:STANDOUT_LIMIT]
    stalled = tuple(Standout(pid, ms, f"stalled on {step} for {format_duration_ms(ms)}") for ms, pid, step in stalls)
    skipped = tuple(Standout(pid, None, f"skipped the tutorial at {step}" if step else "skipped the tutorial")
                    for pid, step in sorted(partial.skipped, key=lambda t: t[0]))
    errors = []
    for pid, error_saves, error_problems in sorted(partial.save_errors, key=lambda t: (-(t[1] + t[2]), t[0])):
        parts = []
        if error_saves:
            parts.append(f"{error_saves} unreadable save{'s' if error_saves != 1 else ''}")
        if error_problems:
            parts.append(f"{error_problems} error{'s' if error_problems != 1 else ''}")
        errors.append(Standout(pid, error_saves + error_problems, ", ".join(parts)))
    return PlaytestReport(
        players=rows, included=included,
        excluded=tuple(sorted(partial.excluded.items())),
        source_problems=tuple(sorted(source_problems, key=lambda p: (p.file or "", p.code, p.message))),
        tutorial=tuple((status, Group.of(players)) for status, players in sorted(partial.tutorial.items())),
        funnel=funnel, quests=_completion(partial.quests), cases=_completion(partial.cases), factions=factions,
        playtime=Distribution.of(partial.playtime), save_counts=Distribution.of(partial.save_counts),
        stalled_longest=stalled, skipped_tutorial=skipped, save_errors=tuple(errors))
