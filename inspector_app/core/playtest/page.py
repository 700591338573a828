"""What the GUI's Playtest page shows, as plain data (no Qt): the inputs, the scheduler, the
report of the last run, the "players behind this number" filter, and every table the page
lists — cell by cell, computed on demand, so a players table of 10⁵ rows costs only the rows
on screen.

The aggregation itself is ``run_playtest`` / ``build_report`` (this package); nothing here
counts players. Each number a table shows carries the players behind it (:class:`PlayerFilter`),
so a click on it can list them; a player's cell carries the :class:`PlayerRow` to open.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generic, Sequence, TypeVar

from inspector_app.core.common.textsafe import visible
from inspector_app.core.common.timefmt import format_absolute_time, format_duration_ms, format_playtime

if TYPE_CHECKING:   # the report's types; importing them here would pull the whole package in
    from . import Distribution, Group, PlayerRow, PlaytestReport, PlaytestRun, ProblemInfo

T = TypeVar("T")

SCHEDULER_RE = re.compile(r"^tcp://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")
LOCAL_POOL = "local pool"
#: strip charts draw every player's point up to this many points in all (a box alone above)
STRIP_LIMIT = 4000


def check_scheduler(text: str) -> tuple[str | None, str]:
    """``(scheduler or None for the local pool, error text or "")`` of what the user typed."""
    text = (text or "").strip()
    if not text:
        return None, ""
    m = SCHEDULER_RE.match(text)
    if m is None or not 0 < int(m.group(2)) < 65536:
        return None, f"Scheduler {visible(text)!r} is not an address like tcp://HOST:PORT (leave it empty for the local pool)."
    return text, ""


@dataclass(frozen=True)
class PlayerFilter:
    """Which players the players list shows, and why (``title``): None = all of them."""

    title: str
    players: tuple[str, ...] | None = None

    @property
    def is_all(self) -> bool:
        return self.players is None


ALL_PLAYERS = PlayerFilter("All players")


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, how it sorts, and what a click on it does."""

    text: str
    sort: Any = None
    link: PlayerFilter | None = None     # the players behind this number
    open: "PlayerRow | None" = None      # a player: opens their profile
    tone: str | None = None              # a theme value colour (good, bad, warning, muted, …)
    tip: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class Column:
    name: str
    numeric: bool = False
    tip: str = ""
    key: Callable[[Any], Any] | None = None   # a row's sort value, cheaper than its cell (big tables)


class Table(Generic[T]):
    """Rows of any kind and a function that makes a row's cells; sorted on request."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[T], cells: Callable[[T], Sequence[Cell]]):
        self.columns = tuple(columns)
        self._rows = list(rows)
        self._cells = cells

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, r: int) -> T:
        return self._rows[r]

    def cells(self, r: int) -> Sequence[Cell]:
        return self._cells(self._rows[r])

    def cell(self, r: int, c: int) -> Cell:
        return self._cells(self._rows[r])[c]

    def sort(self, column: int, descending: bool = False) -> None:
        """Stable sort by a column's sort keys (missing values last either way); each row's key is
        computed once (a players table can have 10⁵ rows)."""
        fast = self.columns[column].key

        def key(row: T) -> Any:
            if fast is not None:
                return fast(row)
            value = self._cells(row)[column]
            return value.sort if value.sort is not None else (None if value.numeric else value.text.lower())

        keyed = [(key(r), r) for r in self._rows]
        present = [kr for kr in keyed if kr[0] is not None]
        present.sort(key=lambda kr: kr[0], reverse=descending)
        self._rows = [r for _, r in present] + [r for k, r in keyed if k is None]


def _count(group: "Group", title: str, *, tone: str | None = None) -> Cell:
    n = group.count
    return Cell(str(n), n, PlayerFilter(title, tuple(group.players)) if n else None, tone=tone if n else "muted",
                tip=f"Show the {n} player(s): {title}" if n else "", numeric=True)


def _ms(value: float | None, fmt: Callable[[Any], str] = format_duration_ms) -> str:
    return fmt(value) if value is not None else "—"


def _dist_cells(d: "Distribution", what: str, fmt: Callable[[Any], str] = format_duration_ms) -> list[Cell]:
    """Median, spread (p25–p75) and range of a distribution; each links to its players."""
    if not d.n:
        return [Cell("—", numeric=True), Cell("—", numeric=True), Cell("—", numeric=True)]
    median = Cell(_ms(d.median, fmt), d.median, PlayerFilter(f"{what}: at the median", tuple(d.median_players)),
                  tip="Show the player(s) at the median", numeric=True)
    spread = Cell(f"{_ms(d.p25, fmt)} – {_ms(d.p75, fmt)}", d.p75, PlayerFilter(f"{what}: every player with a value",
                                                                           tuple(d.players)),
                  tip=f"Middle half of {d.n} player(s); click to show all {d.n}", numeric=True)
    rng = Cell(f"{_ms(d.min, fmt)} – {_ms(d.max, fmt)}", d.max,
               PlayerFilter(f"{what}: the extremes", tuple(sorted(set(d.min_players) | set(d.max_players)))),
               tip="Show the player(s) at the minimum and the maximum", numeric=True)
    return [median, spread, rng]


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


@dataclass
class PlaytestPage:
    """The page's state. ``apply_run`` takes the worker's result; tables are built from it."""

    sources: list[str] = field(default_factory=list)
    scheduler_text: str = ""
    run: "PlaytestRun | None" = None
    error: str = ""
    filter: PlayerFilter = ALL_PLAYERS
    elapsed_s: float | None = None
    _headline_links: dict[str, PlayerFilter] = field(default_factory=dict)

    # -- inputs ------------------------------------------------------------------------
    def set_sources(self, paths: Sequence[str | Path], *, add: bool = False) -> list[str]:
        new = [str(Path(p).expanduser()) for p in paths]
        keep = self.sources if add else []
        self.sources = keep + [p for p in dict.fromkeys(new) if p not in keep]
        return self.sources

    def scheduler(self) -> tuple[str | None, str]:
        return check_scheduler(self.scheduler_text)

    @property
    def report(self) -> "PlaytestReport | None":
        return self.run.report if self.run is not None else None

    def apply_run(self, run: "PlaytestRun", elapsed_s: float | None = None) -> None:
        self.run, self.error, self.elapsed_s = run, "", elapsed_s
        if self.filter.players is not None:     # a filter from the previous report: keep the players still there
            known = {p.player_id for p in run.report.players}
            kept = tuple(p for p in self.filter.players if p in known)
            self.filter = PlayerFilter(self.filter.title, kept)

    def failed(self, message: str) -> None:
        self.error = message

    # -- the players list -----------------------------------------------------------------
    def show_players(self, flt: PlayerFilter | None) -> PlayerFilter:
        self.filter = flt if flt is not None else ALL_PLAYERS
        return self.filter

    def player_rows(self) -> list["PlayerRow"]:
        report = self.report
        if report is None:
            return []
        if self.filter.players is None:
            return list(report.players)
        wanted = set(self.filter.players)
        return [p for p in report.players if p.player_id in wanted]

    def filter_text(self) -> str:
        if self.report is None:
            return "Players"
        n = len(self.player_rows())
        if self.filter.is_all:
            return f"All {n} players"
        return f"{n} player{'s' if n != 1 else ''} — {self.filter.title}"

    PLAYER_COLUMNS = (
        Column("Player", key=lambda p: (p.label or p.player_id).lower()),
        Column("Tutorial", key=lambda p: "~bad profile" if p.excluded else p.tutorial_status),
        Column("Steps done", True, key=lambda p: None if p.excluded else p.steps_completed),
        Column("Skipped", True, key=lambda p: None if p.excluded else p.steps_skipped),
        Column("Stalled on", key=lambda p: None if p.excluded else p.stalled_step),
        Column("Stalled for", True, key=lambda p: None if p.excluded else p.stalled_ms),
        Column("Playtime", True, key=lambda p: None if p.excluded else p.playtime_ms),
        Column("Saves", True, key=lambda p: None if p.excluded else p.saves),
        Column("Error saves", True, key=lambda p: None if p.excluded else p.error_saves),
        Column("Problems", True, key=lambda p: p.problems),
        Column("Last save", True, key=lambda p: None if p.excluded else p.last_save_ms))

    def players_table(self) -> Table["PlayerRow"]:
        return Table(self.PLAYER_COLUMNS, self.player_rows(), self.player_cells)

    def step_title(self, step_id: str | None) -> str:
        """A step's title as the funnel names it (its id when the report has no such step)."""
        if not step_id:
            return "—"
        report = self.report
        title = next((s.title for s in report.funnel if s.step_id == step_id), None) if report else None
        return visible(title or step_id)

    def player_cells(self, p: "PlayerRow") -> list[Cell]:
        name = visible(p.label or p.player_id)
        tip = f"{visible(p.path)}\nClick to open this profile"
        status_tone = {"completed": "good", "skipped": "warning", "in-progress": "info"}.get(p.tutorial_status, "muted")
        if p.excluded:
            return [Cell(name, name.lower(), open=p, tip=tip + "\nLeft out of the numbers: see Bad profiles", tone="bad"),
                    Cell("bad profile", tone="bad")] + \
                [Cell("—", numeric=True) for _ in range(7)] + [Cell(str(p.problems), p.problems, tone="bad", numeric=True),
                                                                Cell("—", numeric=True)]
        return [
            Cell(name, name.lower(), open=p, tip=tip),
            Cell(p.tutorial_status, tone=status_tone),
            Cell(str(p.steps_completed), p.steps_completed, numeric=True),
            Cell(str(p.steps_skipped), p.steps_skipped, numeric=True, tone=None if p.steps_skipped else "muted"),
            Cell(self.step_title(p.stalled_step), tone=None if p.stalled_step else "muted",
                 tip=p.stalled_step or ""),
            Cell(_ms(p.stalled_ms), p.stalled_ms, numeric=True),
            Cell(format_playtime(p.playtime_ms), p.playtime_ms, numeric=True),
            Cell(str(p.saves), p.saves, numeric=True),
            Cell(str(p.error_saves), p.error_saves, tone="bad" if p.error_saves else "muted", numeric=True),
            Cell(str(p.problems), p.problems, tone="warning" if p.problems else "muted", numeric=True),
            Cell(format_absolute_time(p.last_save_ms), p.last_save_ms, numeric=True),
        ]

    # -- the sections -------------------------------------------------------------------------
    FUNNEL_COLUMNS = (Column("#", True), Column("Step"), Column("Reached", True, "Players who got to this step"),
                      Column("Completed", True), Column("Skipped", True),
                      Column("Still on it", True, "Reached, not finished at their latest save"),
                      Column("Median time", True, "Time on the step (completed or skipped)"),
                      Column("Middle half", True, "25th – 75th percentile of the time on the step"),
                      Column("Range", True, "Fastest – slowest"))

    def funnel_table(self) -> Table:
        report = self.report
        steps = list(report.funnel) if report is not None else []

        def cells(s) -> list[Cell]:
            name = visible(s.title or s.step_id)
            return [Cell(str(s.index + 1), s.index, numeric=True), Cell(name, s.index, tip=s.step_id),
                    _count(s.reached, f"reached “{name}”"), _count(s.completed, f"completed “{name}”", tone="good"),
                    _count(s.skipped, f"skipped “{name}”", tone="warning"),
                    _count(s.open, f"still on “{name}”", tone="bad")] + _dist_cells(s.time, f"time on “{name}”")
        return Table(self.FUNNEL_COLUMNS, steps, cells)

    def completion_table(self) -> Table:
        """Quests, then cases: players who have it, who finished it, and one column per status."""
        report = self.report
        rows = ([("Quest", q) for q in report.quests] + [("Case", c) for c in report.cases]) if report else []
        statuses = sorted({name for _, r in rows for name, _ in r.statuses})
        columns = [Column("Kind"), Column("Quest or case"), Column("Started", True, "Players who have it at all"),
                   Column("Finished", True, "Completed (quests) or solved (cases)")] + \
                  [Column(s.replace("_", " ").replace("-", " ").capitalize(), True) for s in statuses]

        def cells(item) -> list[Cell]:
            kind, r = item
            name = visible(r.title or r.id)
            by_status = dict(r.statuses)
            out = [Cell(kind), Cell(name, tip=r.id), _count(r.started, f"have “{name}”"),
                   _count(r.completed, f"finished “{name}”", tone="good")]
            for s in statuses:
                g = by_status.get(s)
                out.append(_count(g, f"“{name}” {s}") if g is not None else Cell("—", tone="muted", numeric=True))
            return out
        return Table(columns, rows, cells)

    def faction_table(self) -> Table:
        report = self.report
        rows = list(report.factions) if report is not None else []
        attitudes: list[str] = []
        for f in rows:
            for a, _ in f.attitudes:
                if a not in attitudes:
                    attitudes.append(a)
        columns = [Column("Faction"), Column("Players", True), Column("Median reputation", True),
                   Column("Middle half", True), Column("Range", True)] + [Column(a.capitalize(), True) for a in attitudes]

        def cells(f) -> list[Cell]:
            name = visible(f.name or f.faction_id)
            d = f.reputation
            by_att = dict(f.attitudes)
            out = [Cell(name, tip=f.faction_id),
                   Cell(str(d.n), d.n, PlayerFilter(f"have a reputation with {name}", tuple(d.players)) if d.n else None,
                        numeric=True)] + _dist_cells(d, f"reputation with {name}", _number)
            for a in attitudes:
                g = by_att.get(a)
                out.append(_count(g, f"{a} with {name}") if g is not None else Cell("—", tone="muted", numeric=True))
            return out
        return Table(columns, rows, cells)

    STANDOUT_COLUMNS = (Column("Stands out for"), Column("Player"), Column("Value", True), Column("Detail"))

    def standouts_table(self) -> Table:
        report = self.report
        rows: list[tuple[str, Any]] = []
        if report is not None:
            rows = [("Stalled longest", s) for s in report.stalled_longest] + \
                   [("Skipped the tutorial", s) for s in report.skipped_tutorial] + \
                   [("Errors in saves", s) for s in report.save_errors]

        def cells(item) -> list[Cell]:
            kind, s = item
            p = report.player(s.player_id) if report is not None else None
            if kind == "Stalled longest":
                value = _ms(s.value)
            else:
                value = _number(s.value) if s.value is not None else "—"
            tone = {"Stalled longest": "bad", "Skipped the tutorial": "warning", "Errors in saves": "bad"}[kind]
            return [Cell(kind, tone=tone), Cell(visible(p.label if p else s.player_id), open=p,
                                                 tip="Click to open this profile" if p else ""),
                    Cell(value, s.value, numeric=True), Cell(visible(s.detail))]
        return Table(self.STANDOUT_COLUMNS, rows, cells)

    BAD_COLUMNS = (Column("Player or input"), Column("Severity"), Column("Where"), Column("Problem"))

    def bad_profiles_table(self) -> Table:
        """Every problem of every profile left out of the numbers, and inputs that were not profiles."""
        report = self.report
        rows: list[tuple[str | None, "ProblemInfo"]] = []
        if report is not None:
            for player_id, problems in report.excluded:
                rows.extend((player_id, pr) for pr in problems)
            rows.extend((None, pr) for pr in report.source_problems)

        def cells(item) -> list[Cell]:
            player_id, pr = item
            p = report.player(player_id) if (report is not None and player_id) else None
            where = ", ".join(x for x in (pr.slot and f"slot {pr.slot}", pr.location) if x)
            who = visible(p.label if p else (player_id or Path(pr.file or "input").name))
            return [Cell(who, open=p, tip=visible(pr.file or "") + ("\nClick to open this profile" if p else "")),
                    Cell(pr.severity, tone={"error": "bad", "warning": "warning"}.get(pr.severity, "muted")),
                    Cell(visible(where) or "—"), Cell(visible(pr.message), tip=visible(pr.describe()))]
        return Table(self.BAD_COLUMNS, rows, cells)

    def bad_profile_count(self) -> int:
        report = self.report
        if report is None:
            return 0
        # a notice (e.g. an export's own files skipped) is listed in the table, not counted as bad
        return len(report.excluded) + sum(1 for p in report.source_problems if p.severity != "notice")

    # -- the charts ----------------------------------------------------------------------------
    FUNNEL_PARTS = (("completed", "Completed", "good"), ("skipped", "Skipped", "warning"),
                    ("open", "Still on it", "bad"))

    def step_labels(self) -> list[str]:
        report = self.report
        return [f"{s.index + 1}  {visible(s.title or s.step_id)}" for s in report.funnel] if report else []

    def funnel_segments(self) -> list[list[tuple[str, str, int, PlayerFilter]]]:
        """Per step, its bar's segments left to right: (label, tone, count, players); the bar's
        length is the players who reached the step."""
        report = self.report
        out = []
        for s in (report.funnel if report else ()):
            name = visible(s.title or s.step_id)
            segs = []
            for attr, label, tone in self.FUNNEL_PARTS:
                g = getattr(s, attr)
                title = {"completed": "completed", "skipped": "skipped", "open": "still on"}[attr]
                segs.append((label, tone, g.count, PlayerFilter(f"{title} “{name}”", tuple(g.players))))
            out.append(segs)
        return out

    def step_times(self) -> list[tuple[str, "Distribution"]]:
        report = self.report
        return [(f"time on “{visible(s.title or s.step_id)}”", s.time) for s in report.funnel] if report else []

    def faction_labels(self) -> list[str]:
        report = self.report
        return [visible(f.name or f.faction_id) for f in report.factions] if report else []

    def faction_reputations(self) -> list[tuple[str, "Distribution"]]:
        report = self.report
        return [(f"reputation with {visible(f.name or f.faction_id)}", f.reputation) for f in report.factions] \
            if report else []

    @staticmethod
    def point_filter(what: str, player_id: str, value_text: str) -> PlayerFilter:
        return PlayerFilter(f"{what}: {value_text}", (player_id,))

    @staticmethod
    def distribution_filter(what: str, d: "Distribution") -> PlayerFilter:
        return PlayerFilter(f"{what}: every player with a value", tuple(d.players))

    # -- the headline ---------------------------------------------------------------------------
    def headline(self) -> list[tuple[str, str | None]]:
        """``(text, link key or None)`` pieces of the one-line summary above the sections;
        :meth:`headline_link` resolves a key to the players behind it."""
        report = self.report
        self._headline_links = {}
        if report is None:
            return []
        out: list[tuple[str, str | None]] = []

        def link(key: str, text: str, flt: PlayerFilter | None) -> None:
            if flt is not None and (flt.players is None or flt.players):
                self._headline_links[key] = flt
                out.append((text, key))
            else:
                out.append((text, None))

        n_all = len(report.players)
        link("all", f"{n_all} players", ALL_PLAYERS if n_all else None)
        out.append((" · ", None))
        link("included", f"{report.included.count} in the numbers",
             PlayerFilter("in the numbers", tuple(report.included.players)))
        bad = len(report.excluded)
        if bad:
            out.append((" · ", None))
            link("excluded", f"{bad} bad profile{'s' if bad != 1 else ''} left out",
                 PlayerFilter("bad profiles, left out of the numbers", tuple(p for p, _ in report.excluded)))
        tutorial = dict(report.tutorial)
        parts = [(s, tutorial[s]) for s in ("completed", "skipped", "in-progress", "not-started") if s in tutorial]
        if parts:
            out.append((" · tutorial: ", None))
            for i, (status, group) in enumerate(parts):
                if i:
                    out.append((", ", None))
                link(f"tutorial:{status}", f"{group.count} {status.replace('-', ' ')}",
                     PlayerFilter(f"tutorial {status.replace('-', ' ')}", tuple(group.players)))
        pt = report.playtime
        if pt.n:
            out.append((" · playtime median ", None))
            link("playtime:median", format_playtime(pt.median),
                 PlayerFilter("playtime at the median", tuple(pt.median_players)))
            out.append((" (", None))
            link("playtime:min", format_playtime(pt.min), PlayerFilter("shortest playtime", tuple(pt.min_players)))
            out.append((" – ", None))
            link("playtime:max", format_playtime(pt.max), PlayerFilter("longest playtime", tuple(pt.max_players)))
            out.append((")", None))
        sc = report.save_counts
        if sc.n:
            out.append((" · saves median ", None))
            link("saves:median", _number(sc.median), PlayerFilter("median number of saves", tuple(sc.median_players)))
            out.append((" (", None))
            link("saves:min", _number(sc.min), PlayerFilter("fewest saves", tuple(sc.min_players)))
            out.append((" – ", None))
            link("saves:max", _number(sc.max), PlayerFilter("most saves", tuple(sc.max_players)))
            out.append((")", None))
        return out

    def headline_link(self, key: str) -> PlayerFilter | None:
        return self._headline_links.get(key)

    def window_status(self) -> str:
        """The main window's status bar while the Playtest tab is current."""
        report = self.report
        if report is None:
            return "Playtest: no folder open — File ▸ Open Playtest Folder"
        names = ", ".join(visible(Path(s).name or s) for s in self.sources[:3]) + (" …" if len(self.sources) > 3 else "")
        bad = len(report.excluded)
        return f"Playtest of {names}: {len(report.players)} players" + (f", {bad} left out (bad profiles)" if bad else "")

    def status_text(self) -> str:
        if self.error:
            return self.error
        run = self.run
        if run is None:
            return "Open a folder of players' profiles (File ▸ Open Playtest Folder)."
        where = "the local pool" if run.scheduler in ("local", "inline") else run.scheduler
        took = f" in {self.elapsed_s:.1f} s" if self.elapsed_s is not None else ""
        return (f"{len(run.sources)} profile(s) from {len(self.sources)} input(s): {run.read} read, "
                f"{run.cached} from the cache{took} ({where}).")


__all__ = ["ALL_PLAYERS", "Cell", "Column", "LOCAL_POOL", "PlayerFilter", "PlaytestPage", "STRIP_LIMIT", "Table",
           "check_scheduler"]
