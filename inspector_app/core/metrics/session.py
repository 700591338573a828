"""The Metric History's application state, without Qt (the napari way: state in the core,
thin views over it).

:class:`MetricSession` holds what the user has open and chosen — folders and files, the
metric filter, the selected series, the A/B cursors, the view options and budgets — and the
results the worker produced — the in-memory :class:`~.table.MetricTable`, the findings, the
notes. Everything the view shows (chart groups and x values, display names, budget lines,
the Δ table, the box plot statistics, the CSV rows, the status line) is computed here from
that state, so it is testable without a widget and no SQLite query runs on the GUI thread:
the worker functions at the bottom (:func:`ingest_and_analyse`, :func:`load_samples`) are
the only ones that open the index.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..common.jsfmt import iso_from_ms
from ..common.progress import CancelledFn, ProgressFn
from ..loading.document import LoadCancelled
from .budgets import BudgetConfig
from .index import IngestReport, MetricIndex, Scope
from .model import BAND_HIGH, BAND_LOW, P95_STATISTICS, SeriesData, SeriesKey, display_path
from .names import distinct_parts, distinguishing_names, elide_name, neighbour_affixes
from .regression import Finding, analyse_series
from .stats import quartiles
from .table import MetricTable

# statistics drawn around a primary one (or redundant with it): not analysed on their own
COMPANION_STATISTICS = {"min", "max", "median", "p75", "p95", "p99", "iterations", "count", "edgeCount",
                        "minMs", "maxMs", "p95Ms"}
MAX_ANALYSED_SERIES = 5000
LEGEND_CHARS = 44
BOX_LABEL_CHARS = 14


# ------------------------------------------------------------------------------------- results
@dataclass
class IngestOutcome:
    """What the background ingest hands back to the GUI thread."""

    report: IngestReport
    table: MetricTable
    findings: dict[SeriesKey, list[Finding]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)        # e.g. "the index was rebuilt"

    @property
    def series(self) -> list[tuple[SeriesKey, str, int]]:
        return self.table.series()

    @property
    def problems(self) -> list[str]:
        return [*self.notes, *self.report.unindexed, *self.table.problems]


@dataclass
class ViewOptions:
    time_axis: bool = True      # x = run time (else run index)
    log_y: bool = False
    stacked: bool = False       # one chart per series (else one per unit)
    band: bool = True           # min–max band and p95


@dataclass
class DeltaRow:
    key: SeriesKey
    name: str
    a: float
    b: float
    a_label: str
    b_label: str

    @property
    def delta(self) -> float:
        return self.b - self.a

    @property
    def pct(self) -> float:
        return self.delta / abs(self.a) * 100 if self.a else math.nan


@dataclass
class BoxSpec:
    """One box of the run-distribution plot (``from_samples``: quartiles of raw samples;
    otherwise a median–p95 summary box)."""

    key: SeriesKey
    label: str
    low: float
    q1: float
    median: float
    q3: float
    high: float
    mean: float
    from_samples: bool
    count: int = 0


@dataclass
class BudgetLine:
    label: str          # the budget's own label ("16 ms frame")
    limit: float
    key: SeriesKey
    series: str = ""    # what tells its series apart ("500"), when several share the chart


def fmt_value(v: float | None) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{v:.4g}"


def iso_utc(seconds: float) -> str:
    """Run time as ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (CSV); out-of-range times as their number."""
    return iso_from_ms(seconds * 1000) or repr(seconds)


def nearest_index(x: np.ndarray, value: float) -> int | None:
    if len(x) == 0:
        return None
    i = int(np.searchsorted(x, value))
    candidates = [j for j in (i - 1, i) if 0 <= j < len(x)]
    return min(candidates, key=lambda j: abs(x[j] - value))


# ------------------------------------------------------------------------------------- session
class MetricSession:
    """The state of one Metric History view (see the module docstring)."""

    def __init__(self, budgets: BudgetConfig | None = None):
        self.budgets = budgets if budgets is not None else BudgetConfig()
        self._reset()

    def _reset(self) -> None:
        self.roots: list[str] = []
        self.files: list[str] = []
        self.table = MetricTable()
        self.findings: dict[SeriesKey, list[Finding]] = {}
        self.notes: list[str] = []
        self.report: IngestReport | None = None
        self.problems: list[str] = []
        self.filter_text = ""
        self.selection: list[SeriesKey] = []
        self.hidden: set[SeriesKey] = set()          # toggled off in a legend
        self.cursors: tuple[float, float] | None = None
        self.options = ViewOptions()
        self.samples: dict[tuple[int, str, str], np.ndarray | None] = {}
        self._data: dict[SeriesKey, SeriesData] = {}

    # -------------------------------------------------------------------------- sources
    def scope(self) -> Scope:
        return Scope.of(self.roots, self.files)

    @property
    def has_sources(self) -> bool:
        return bool(self.roots or self.files)

    def add_folder(self, path: str | os.PathLike) -> None:
        root = os.path.abspath(os.fspath(path))
        if root not in self.roots:
            self.roots.append(root)

    def add_files(self, paths: Iterable[str | os.PathLike]) -> None:
        for p in paths:
            ap = os.path.abspath(os.fspath(p))
            if ap not in self.files:
                self.files.append(ap)

    def clear(self) -> None:
        self._reset()

    # -------------------------------------------------------------------------- results
    def apply(self, outcome: IngestOutcome) -> None:
        """Take a finished ingest: new table and findings; the selection is kept where its
        series still exist, else the most confident regression is selected."""
        self.table = outcome.table
        self.findings = outcome.findings
        self.notes = list(outcome.notes)
        self.report = outcome.report
        self.problems = outcome.problems
        self.samples = {}
        self._data = {}
        keep = [k for k in self.selection if self.table.has(k)]
        self.selection = keep or self.default_selection()

    def default_selection(self) -> list[SeriesKey]:
        regressions = sorted(((f.confidence, abs(f.change_pct or 0), k) for k, v in self.findings.items()
                              for f in v if f.regression), key=lambda t: (-t[0], -t[1]))
        return [regressions[0][2]] if regressions else []

    def series(self) -> list[tuple[SeriesKey, str, int]]:
        return self.table.series()

    def flags(self) -> dict[SeriesKey, bool]:
        """Series → True (a regression was found) / False (only improvements)."""
        return {k: any(f.regression for f in v) for k, v in self.findings.items()}

    def regression_count(self) -> int:
        return sum(1 for v in self.findings.values() for f in v if f.regression)

    def status_message(self) -> str:
        """One line for the window's status bar: what is loaded, and what was found."""
        if not self.has_sources:
            return ""
        where = [Path(r).name or r for r in self.roots] + ([f"{len(self.files)} file(s)"] if self.files else [])
        text = (f"Metric history: {display_path(', '.join(where))} — {self.table.file_count} files, "
                f"{len(self.table.runs)} runs, {len(self.table.series())} series, "
                f"{self.regression_count()} regression(s)")
        if self.problems:
            text += f"; {len(self.problems)} file problem(s)"
        return text

    # -------------------------------------------------------------------------- selection
    def select(self, keys: Sequence[SeriesKey]) -> None:
        self.selection = list(dict.fromkeys(keys))
        self.hidden &= set(self.selection)

    def data(self, key: SeriesKey) -> SeriesData:
        if key not in self._data:
            self._data[key] = self.table.series_data(key)
        return self._data[key]

    def selected_data(self) -> list[SeriesData]:
        return [d for d in (self.data(k) for k in self.selection) if len(d)]

    def groups(self) -> list[list[SeriesData]]:
        """Series per chart: one chart per unit, or one per series when stacked."""
        datas = self.selected_data()
        if self.options.stacked:
            return [[d] for d in datas]
        by_unit: dict[str, list[SeriesData]] = {}
        for d in datas:
            by_unit.setdefault(d.unit, []).append(d)
        return list(by_unit.values())

    def x_values(self, data: SeriesData) -> np.ndarray:
        """x of each point: the run time, or the run's position among the plotted runs."""
        if self.options.time_axis:
            return data.times.copy()
        order = sorted({(float(t), int(r)) for d in self.selected_data() for t, r in zip(d.times, d.run_ids)})
        position = {r: i for i, (_, r) in enumerate(order)}
        return np.array([position[int(r)] for r in data.run_ids], dtype=float)

    def full_name(self, key: SeriesKey) -> str:
        several_sources = len({k.source for k in self.selection}) > 1
        return (f"{key.source} · " if several_sources else "") + f"{key.benchmark} · {key.statistic}"

    def display_names(self, keys: Sequence[SeriesKey] | None = None, max_chars: int = LEGEND_CHARS) -> dict[SeriesKey, str]:
        """Legend names: shortened so that the selected series stay distinguishable."""
        keys = list(self.selection if keys is None else keys)
        return dict(zip(keys, distinguishing_names([self.full_name(k) for k in keys], max_chars)))

    def budget_lines(self, group: Sequence[SeriesData]) -> list[BudgetLine]:
        """The limits that apply to a chart's series (configured budgets and limits found in
        the files); labelled with the series' name when the chart shows several series."""
        parts = dict(zip([d.key for d in group], distinct_parts([self.full_name(d.key) for d in group]))) \
            if len(group) > 1 else {}
        lines: list[BudgetLine] = []
        for d in group:
            found = [(b.label, b.limit) for b in self.budgets.for_series(d.key)]
            found += [(l.label, l.limit) for l in self.table.limits(d.key)]
            for label, limit in found:
                if any(math.isclose(limit, b.limit) and b.key == d.key for b in lines):
                    continue
                lines.append(BudgetLine(label, limit, d.key, parts.get(d.key, "")))
        return lines

    # -------------------------------------------------------------------------- findings
    def finding_rows(self) -> list[tuple[Finding, str, tuple[int, int]]]:
        """Findings (regressions first, most confident first) with their names and the
        (common start, common end) each shares with its closest relatives: a view short of
        room removes those first (``names.elide_name``), so the rows stay distinguishable."""
        rows = sorted((f for v in self.findings.values() for f in v),
                      key=lambda f: (not f.regression, -f.confidence, -abs(f.change_pct or 0)))
        names = [f"{f.key.benchmark} · {f.key.statistic}" if f.key else "" for f in rows]
        return list(zip(rows, names, neighbour_affixes(names)))

    # -------------------------------------------------------------------------- cursors
    def visible_keys(self) -> list[SeriesKey]:
        return [k for k in self.selection if k not in self.hidden]

    def all_x(self) -> np.ndarray:
        xs = [self.x_values(d) for d in self.selected_data()]
        return np.unique(np.concatenate(xs)) if xs else np.empty(0)

    def default_cursors(self) -> tuple[float, float] | None:
        xs = self.all_x()
        return (float(xs[0]), float(xs[-1])) if len(xs) else None

    def snap(self, x: float) -> float:
        """The x of the run nearest to x (cursors rest on runs)."""
        xs = self.all_x()
        i = nearest_index(xs, x)
        return float(xs[i]) if i is not None else x

    def delta_rows(self) -> list[DeltaRow]:
        """Value at cursor A and B for each visible series (the Δ table)."""
        if self.cursors is None:
            return []
        names = self.display_names()
        rows = []
        for d in self.selected_data():
            if d.key in self.hidden:
                continue
            x = self.x_values(d)
            ia, ib = nearest_index(x, self.cursors[0]), nearest_index(x, self.cursors[1])
            rows.append(DeltaRow(d.key, names.get(d.key, self.full_name(d.key)),
                                 float(d.values[ia]) if ia is not None else math.nan,
                                 float(d.values[ib]) if ib is not None else math.nan,
                                 d.labels[ia] if ia is not None else "", d.labels[ib] if ib is not None else ""))
        return rows

    # -------------------------------------------------------------------------- box plot
    def box_runs(self) -> list[tuple[SeriesData, int]]:
        """(series, index of the run at cursor B) for the visible series sharing the first one's unit."""
        if self.cursors is None:
            return []
        out = []
        unit = None
        for d in self.selected_data():
            if d.key in self.hidden:
                continue
            unit = d.unit if unit is None else unit
            if d.unit != unit:
                continue
            i = nearest_index(self.x_values(d), self.cursors[1])
            if i is not None:
                out.append((d, i))
        return out

    def missing_samples(self) -> list[tuple[int, str, str]]:
        """Sample sets the box plot needs that the worker has not fetched yet."""
        need = [(int(d.run_ids[i]), d.key.source, d.key.benchmark) for d, i in self.box_runs()]
        return [k for k in dict.fromkeys(need) if k not in self.samples]

    def box_specs(self, label_chars: int = BOX_LABEL_CHARS) -> tuple[list[BoxSpec], str]:
        """The boxes for the run at cursor B (labels of at most ``label_chars``, telling the
        series apart) and that run's label."""
        runs = self.box_runs()
        labels = distinguishing_names(distinct_parts([self.full_name(d.key) for d, _ in runs]), label_chars)
        boxes: list[BoxSpec] = []
        run_label = ""
        for (d, i), label in zip(runs, labels):
            run_id = int(d.run_ids[i])
            run_label = run_label or d.labels[i]
            runs_f, stats, units = self.table.family(d.key.source, d.key.benchmark)
            unit = units.get(d.key.statistic, "")
            # a run's samples and min/median/p95 are its timings: they describe this statistic only
            # when it is in their unit (not the benchmark's byte counts or ratios)
            timing_units = {units.get(n, "") for n in (*BAND_LOW, *BAND_HIGH, *P95_STATISTICS, "median")
                            if n in stats and n != d.key.statistic}
            samples = self.samples.get((run_id, d.key.source, d.key.benchmark))
            if samples is not None and len(samples) and (not timing_units or unit in timing_units):
                q1, med, q3 = quartiles(samples.tolist())
                boxes.append(BoxSpec(d.key, label, float(samples.min()), q1, med, q3, float(samples.max()),
                                     float(samples.mean()), True, len(samples)))
                continue
            row = next((j for j, r in enumerate(runs_f) if r.run_id == run_id), None)
            if row is None:
                continue

            def stat(*names: str, default: float = float(d.values[i]), row: int = row) -> float:
                for n in names:
                    if n in stats and units.get(n, "") == unit and math.isfinite(stats[n][row]):
                        return float(stats[n][row])
                return default

            mean = stat("mean", "averageMs")
            med = stat("median", default=mean)
            p95 = stat("p95", "p95Ms", default=stat("max", "maxMs"))
            boxes.append(BoxSpec(d.key, label, stat("min", "minMs"), min(med, p95), med, max(med, p95),
                                 stat("max", "maxMs"), mean, False))
        return boxes, run_label

    # -------------------------------------------------------------------------- export
    CSV_HEADER = ("source", "benchmark", "statistic", "unit", "run_time", "run", "value", "min", "max", "p95", "path")

    def visible_rows(self, x0: float = -math.inf, x1: float = math.inf) -> list[list]:
        """The data inside [x0, x1] of the visible series, one row per point (CSV export)."""
        rows = []
        for d in self.selected_data():
            if d.key in self.hidden:
                continue
            x = self.x_values(d)
            for i in np.flatnonzero((x >= x0) & (x <= x1)):
                extra = [(fmt_value(float(arr[i])) if arr is not None and math.isfinite(arr[i]) else "")
                         for arr in (d.low, d.high, d.p95)]
                rows.append([d.key.source, d.key.benchmark, d.key.statistic, d.unit, iso_utc(float(d.times[i])),
                             d.labels[i], repr(float(d.values[i])), *extra, display_path(d.paths[i])])
        return rows


# ------------------------------------------------------------------------------------- worker side
def ingest_and_analyse(index_path: str | Path, roots: Sequence[str], files: Sequence[str],
                       progress: ProgressFn, cancelled: CancelledFn) -> IngestOutcome:
    """Worker-thread body: incremental ingest of roots + files, the scope's table in memory,
    then regression analysis over it (no SQLite in the analysis)."""
    total = IngestReport()
    with MetricIndex(index_path) as index:
        for root in roots:
            total.add(index.ingest(root, progress=progress, cancelled=cancelled))
        if files:
            total.add(index.ingest_files(files, progress=progress, cancelled=cancelled))
        table = index.table(Scope.of(roots, files))
        notes = list(index.notes)
    analysable = [s for s in table.series() if s[2] >= 3 and s[0].statistic not in COMPANION_STATISTICS]
    analysable = analysable[:MAX_ANALYSED_SERIES]
    findings: dict[SeriesKey, list[Finding]] = {}
    for i, (key, _unit, _n) in enumerate(analysable):
        if cancelled():
            raise LoadCancelled("analysis cancelled")
        if i % 50 == 0:
            progress(i, len(analysable), f"Looking for regressions ({i}/{len(analysable)})")
        found = analyse_series(table.series_data(key))
        if found:
            findings[key] = found
    return IngestOutcome(total, table, findings, notes)


def load_samples(index_path: str | Path, wanted: Sequence[tuple[int, str, str]],
                 progress: ProgressFn, cancelled: CancelledFn) -> dict[tuple[int, str, str], np.ndarray | None]:
    """Worker-thread body: raw samples of (run id, source, benchmark) for the box plot."""
    out: dict[tuple[int, str, str], np.ndarray | None] = {}
    with MetricIndex(index_path) as index:
        for run_id, source, bench in wanted:
            if cancelled():
                raise LoadCancelled("sample loading cancelled")
            out[(run_id, source, bench)] = index.samples(run_id, source, bench)
    return out


__all__ = ["BoxSpec", "BudgetLine", "COMPANION_STATISTICS", "DeltaRow", "IngestOutcome", "MetricSession",
           "ViewOptions", "elide_name", "fmt_value", "ingest_and_analyse", "iso_utc", "load_samples", "nearest_index"]
