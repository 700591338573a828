"""MetricHistoryPanel: browse every metric in a folder of result files and chart it over runs.

Left: a filterable browser (sources → benchmarks → statistics; rows with detected regressions in
red) and the list of detected changes. Right: stacked history charts with linked x axes (one per
unit, or one per series), a box plot of one run's distribution, and the A/B delta table.
Ingest runs in a :class:`BackgroundTask` (progress + cancel) and the folder is then watched so
new runs appear by themselves. All numbers come from ``inspector_app.core.metrics``.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHeaderView, QLabel,
                               QLineEdit, QProgressBar, QSplitter, QTableWidget, QTableWidgetItem, QToolBar,
                               QToolButton, QTreeView, QVBoxLayout, QWidget)
from PySide6.QtCore import QFileSystemWatcher

from ...core.common.fileio import atomic_path, write_atomic
from ...core.export.csvfmt import csv_document
from ...core.loading.document import LoadCancelled
from ...core.metrics.budgets import BudgetConfig, load_budgets
from ...core.metrics.index import IngestReport, MetricIndex, Scope, default_index_path
from ...core.metrics.model import SeriesData, SeriesKey
from ...core.metrics.regression import Finding, analyse_series
from ...core.metrics.stats import quartiles
from .. import filedialogs
from ..workers import BackgroundTask, Priority
from .boxplot import BoxPlotItem, BoxStats
from .charts import PALETTE, HistoryChart, PlottedSeries
from .tree_model import SERIES_KEY_ROLE, SeriesTreeModel

# statistics drawn around a primary one (or redundant with it): not analysed on their own
COMPANION_STATISTICS = {"min", "max", "median", "p75", "p95", "p99", "iterations", "count", "edgeCount",
                        "minMs", "maxMs", "p95Ms"}
MAX_ANALYSED_SERIES = 5000
MAX_WATCHED_DIRS = 2000
WATCH_DEBOUNCE_MS = 700


@dataclass
class IngestOutcome:
    """What the background ingest hands back to the GUI thread."""

    report: IngestReport
    series: list[tuple[SeriesKey, str, int]]
    findings: dict[SeriesKey, list[Finding]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def ingest_and_analyse(index_path: Path, roots: Sequence[str], files: Sequence[str], progress, cancelled) -> IngestOutcome:
    """Worker-thread body: incremental ingest of roots + files, then regression analysis."""
    total = IngestReport()
    with MetricIndex(index_path) as index:
        for root in roots:
            r = index.ingest(root, progress=progress, cancelled=cancelled)
            total.files_seen += r.files_seen
            total.files_read += r.files_read
            total.files_removed += r.files_removed
            total.runs_added += r.runs_added
            total.elapsed_s += r.elapsed_s
        if files:
            r = index.ingest_files(files, progress=progress, cancelled=cancelled)
            total.files_seen += r.files_seen
            total.files_read += r.files_read
            total.runs_added += r.runs_added
        scope = Scope.of(roots, files)
        series = index.series(scope)
        analysable = [s for s in series if s[2] >= 3 and s[0].statistic not in COMPANION_STATISTICS][:MAX_ANALYSED_SERIES]
        findings: dict[SeriesKey, list[Finding]] = {}
        for i, (key, _unit, _n) in enumerate(analysable):
            if cancelled():
                raise LoadCancelled("analysis cancelled")
            if i % 50 == 0:
                progress(i, len(analysable), f"Looking for regressions ({i}/{len(analysable)})")
            found = analyse_series(index.series_data(key, scope))
            if found:
                findings[key] = found
        return IngestOutcome(total, series, findings, index.problems(scope))


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit // 2 - 1] + "…" + text[-(limit // 2 - 1):]


def _fmt(v: float | None) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{v:.4g}"


def _output_path(path: str | Path) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


class MetricHistoryPanel(QWidget):
    """The metric history view. Public API: open_folder, open_files, clear, select_series,
    set_cursors, export_png/svg/csv; signal ``sigOpenRunFile(path)`` when a point is clicked."""

    sigOpenRunFile = Signal(str)
    sigIngestFinished = Signal(object)     # IngestOutcome
    sigIngestFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, index_path: str | Path | None = None,
                 budgets: BudgetConfig | None = None, watch: bool = True):
        super().__init__(parent)
        self.setObjectName("metricHistoryPanel")
        self._index_path = Path(index_path) if index_path is not None else default_index_path()
        self._index: MetricIndex | None = None
        self.budgets = budgets if budgets is not None else load_budgets()
        self._roots: list[str] = []
        self._files: list[str] = []
        self._task: BackgroundTask | None = None
        self._pending = False
        self._findings: dict[SeriesKey, list[Finding]] = {}
        self._selected: list[SeriesKey] = []
        self._families: dict[tuple[str, str], tuple] = {}
        self.charts: list[HistoryChart] = []
        self.problems: list[str] = []
        self._cursor_pos: tuple[float, float] | None = None
        self._syncing = False
        self._watch_enabled = watch
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_directory_changed)
        self._watch_timer = QTimer(self, singleShot=True, interval=WATCH_DEBOUNCE_MS)
        self._watch_timer.timeout.connect(self._reingest)
        self._build_ui()

    # ===================================================================== UI construction
    def _build_ui(self) -> None:
        self.toolbar = QToolBar("Metric history", self)
        self.toolbar.setIconSize(QSize(16, 16))
        self.action_open_folder = self._action("Open folder…", self._ask_open_folder, "Index a folder of result files")
        self.action_open_files = self._action("Open files…", self._ask_open_files, "Add result files")
        self.action_reload = self._action("Reload", self._reingest, "Read new or changed files again")
        self.toolbar.addSeparator()
        self.toolbar.addWidget(QLabel(" x: "))
        self.x_mode = QComboBox()
        self.x_mode.addItems(["Run time", "Run index"])
        self.x_mode.setToolTip("Plot against the run's time or its position among the runs")
        self.x_mode.currentIndexChanged.connect(lambda _=0: self._render(keep_cursors=False))
        self.toolbar.addWidget(self.x_mode)
        self.action_log = self._action("Log y", lambda: self._render(), "Logarithmic y axis", checkable=True)
        self.action_stack = self._action("One chart per series", lambda: self._render(),
                                         "Stack one chart per series (linked x axes) instead of one per unit",
                                         checkable=True)
        self.action_band = self._action("Min–max band", lambda: self._render(), "Show min–max band and p95",
                                        checkable=True, checked=True)
        self.toolbar.addSeparator()
        self.action_export_png = self._action("PNG…", lambda: self._ask_export("png"), "Export the charts as PNG")
        self.action_export_svg = self._action("SVG…", lambda: self._ask_export("svg"), "Export the charts as SVG")
        self.action_export_csv = self._action("CSV…", lambda: self._ask_export("csv"), "Export the visible data as CSV")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QToolButton(text="Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.toolbar.addSeparator()
        self._progress_action = self.toolbar.addWidget(self.progress)
        self._cancel_action = self.toolbar.addWidget(self.cancel_button)

        # left: browser + findings
        self.filter_edit = QLineEdit(placeholderText="Filter metrics (words, e.g. 'physics mean')")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.model = SeriesTreeModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("metricBrowser")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection)
        self.findings_table = QTableWidget(0, 4)
        self.findings_table.setObjectName("metricFindings")
        self.findings_table.setHorizontalHeaderLabels(["Detected change", "Began", "Change", "Conf."])
        self._setup_table(self.findings_table)
        self.findings_table.cellDoubleClicked.connect(self._on_finding_activated)
        self.findings_table.cellClicked.connect(self._on_finding_activated)
        left = QSplitter(Qt.Orientation.Vertical)
        browser = QWidget()
        bl = QVBoxLayout(browser)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.filter_edit)
        bl.addWidget(self.tree)
        left.addWidget(browser)
        findings_box = QWidget()
        fl = QVBoxLayout(findings_box)
        fl.setContentsMargins(0, 4, 0, 0)
        fl.setSpacing(2)
        findings_label = QLabel("<b>Detected changes</b> <span style='color:#666'>(click to plot, hover for why)</span>")
        fl.addWidget(findings_label)
        fl.addWidget(self.findings_table)
        left.addWidget(findings_box)
        left.setSizes([420, 200])

        # right: charts | box plot, then the delta table
        self.chart_area = QWidget()
        self.chart_area.setObjectName("metricChartArea")
        self._chart_layout = QVBoxLayout(self.chart_area)
        self._chart_layout.setContentsMargins(0, 0, 0, 0)
        self._chart_layout.setSpacing(2)
        self._chart_splitter = QSplitter(Qt.Orientation.Vertical)
        self._chart_layout.addWidget(self._chart_splitter)
        self.placeholder = QLabel("Open a folder of benchmark or telemetry results, then pick metrics on the left.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #666; font-size: 11pt;")
        self._chart_splitter.addWidget(self.placeholder)
        self._empty_chart: HistoryChart | None = None
        self._show_empty_chart(True)

        self.box_plot = pg.PlotWidget(background="w")
        self.box_plot.setObjectName("metricRunBoxPlot")
        self.box_plot.setMinimumWidth(190)
        self.box_plot.setMaximumWidth(300)
        self.box_plot.setMouseEnabled(x=False, y=True)
        self.box_plot.hideButtons()
        self.box_plot.showGrid(y=True, alpha=0.15)
        self.box_caption = QLabel("Run distribution")
        self.box_caption.setWordWrap(True)
        self.box_caption.setStyleSheet("color: #333; font-size: 8pt;")
        self.box_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for name in ("left", "bottom"):
            self.box_plot.getAxis(name).setTextPen(pg.mkPen("#333333"))
            self.box_plot.getAxis(name).setPen(pg.mkPen("#555555"))

        self.delta_table = QTableWidget(0, 7)
        self.delta_table.setObjectName("metricDeltaTable")
        self.delta_table.setHorizontalHeaderLabels(["Series", "A", "B", "Δ (B − A)", "Δ %", "A run", "B run"])
        self._setup_table(self.delta_table)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.chart_area)
        box = QWidget()
        box.setMaximumWidth(300)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        box_layout.addWidget(self.box_caption)
        box_layout.addWidget(self.box_plot, 1)
        top.addWidget(box)
        top.setStretchFactor(0, 5)
        top.setStretchFactor(1, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(self.delta_table)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)

        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setStretchFactor(0, 1)
        main.setStretchFactor(1, 3)
        main.setSizes([380, 1020])
        self.status = QLabel()
        self.status.setObjectName("metricStatus")
        self.status.setStyleSheet("color: #444;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(main, 1)
        layout.addWidget(self.status)

    def _action(self, text, slot, tip, *, checkable=False, checked=False) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.setChecked(checked)
            action.toggled.connect(lambda _=False: slot())
        else:
            action.triggered.connect(lambda _=False: slot())
        self.toolbar.addAction(action)
        return action

    @staticmethod
    def _setup_table(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(22)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, table.columnCount()):
            table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        table.setAlternatingRowColors(True)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.setWordWrap(False)

    # ===================================================================== public API
    @property
    def is_busy(self) -> bool:
        return self._task is not None

    def index(self) -> MetricIndex:
        """The GUI thread's own connection to the index (queries only)."""
        if self._index is None:
            self._index = MetricIndex(self._index_path)
        return self._index

    def scope(self) -> Scope:
        return Scope.of(self._roots, self._files)

    def open_folder(self, path: str | Path) -> None:
        """Index a folder (recursively, incrementally, in the background) and watch it."""
        root = os.path.abspath(os.fspath(path))
        if root not in self._roots:
            self._roots.append(root)
        self._start_ingest()

    def open_files(self, paths: Iterable[str | Path]) -> None:
        for p in paths:
            ap = os.path.abspath(os.fspath(p))
            if ap not in self._files:
                self._files.append(ap)
        self._start_ingest()

    def clear(self) -> None:
        self.cancel()
        self._roots, self._files = [], []
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self._findings, self._selected, self.problems = {}, [], []
        self.model.set_series([])
        self.findings_table.setRowCount(0)
        self._render()
        self.status.setText("")

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._pending = False

    def select_series(self, keys: Sequence[SeriesKey]) -> None:
        """Select (and so plot) these series in the browser."""
        selection = QItemSelection()
        for key in keys:
            idx = self.model.index_for_key(key)
            if idx.isValid():
                selection.select(idx, idx.siblingAtColumn(1))
                self.tree.expand(idx.parent().parent())
                self.tree.expand(idx.parent())
        self.tree.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if keys:
            first = self.model.index_for_key(keys[0])
            if first.isValid():
                self.tree.scrollTo(first)

    def plotted(self) -> list[PlottedSeries]:
        return [s for chart in self.charts for s in chart.series]

    def plotted_keys(self) -> list[SeriesKey]:
        return [s.data.key for s in self.plotted()]

    def set_cursors(self, a: float, b: float) -> None:
        """Move the A/B cursors (x in the current axis units) and refresh deltas and box plot."""
        if not self.charts:
            return
        self.charts[0].cursor_a.setValue(a)
        self.charts[0].cursor_b.setValue(b)

    def cursor_positions(self) -> tuple[float, float] | None:
        if not self.charts or self.charts[0].cursor_a is None:
            return None
        return self.charts[0].cursor_a.value(), self.charts[0].cursor_b.value()

    # ===================================================================== ingest
    def _start_ingest(self) -> None:
        if self._task is not None:
            self._pending = True
            return
        roots, files = list(self._roots), list(self._files)
        task = BackgroundTask(partial(ingest_and_analyse, self._index_path, roots, files), name="metric ingest")
        task.sigProgress.connect(self._on_progress)
        task.sigFinished.connect(self._on_ingested)
        task.sigFailed.connect(self._on_ingest_failed)
        task.sigCancelled.connect(self._on_ingest_cancelled)
        task.sigDone.connect(self._on_task_done)
        self._task = task
        self.progress.setRange(0, 0)
        self._progress_action.setVisible(True)
        self._cancel_action.setVisible(True)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText("Indexing…")
        task.start(priority=Priority.BACKGROUND)

    def _reingest(self) -> None:
        if self._roots or self._files:
            self._start_ingest()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setRange(0, 0)
        self.status.setText(text)

    def _on_task_done(self) -> None:
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        self._progress_action.setVisible(False)
        self._cancel_action.setVisible(False)
        if self._pending:
            self._pending = False
            self._start_ingest()

    def _on_ingest_failed(self, exc: object) -> None:
        message = f"Indexing failed: {exc}"
        self.status.setText(message)
        self.sigIngestFailed.emit(message)

    def _on_ingest_cancelled(self) -> None:
        self.status.setText("Indexing cancelled; the files read so far are kept and the next open resumes.")
        self._refresh_series_from_index()

    def _refresh_series_from_index(self) -> None:
        scope = self.scope()
        self.model.set_series(self.index().series(scope), {k: any(f.regression for f in v) for k, v in self._findings.items()})

    def _on_ingested(self, outcome: IngestOutcome) -> None:
        self._findings = outcome.findings
        self.problems = outcome.problems
        flags = {k: any(f.regression for f in v) for k, v in outcome.findings.items()}
        keep = list(self._selected)
        self.model.set_series(outcome.series, flags)
        self._fill_findings()
        self._update_watch()
        r = outcome.report
        n_reg = sum(1 for v in outcome.findings.values() for f in v if f.regression)
        self.status.setText(
            f"{self.index().file_count(self.scope())} files, {len(outcome.series)} series; read {len(r.files_read)} "
            f"new/changed file(s) in {r.elapsed_s:.2f} s; {n_reg} regression(s) detected"
            + (f"; {len(outcome.problems)} file problem(s) — hover for details" if outcome.problems else ""))
        self.status.setToolTip("\n".join(outcome.problems[:50]))
        available = {k for k, _, _ in outcome.series}
        keep = [k for k in keep if k in available]
        if not keep:
            keep = self._default_selection(outcome)
        self.select_series(keep)
        if keep == self._selected:
            self._render()       # same series, new runs: redraw
        self.sigIngestFinished.emit(outcome)

    def _default_selection(self, outcome: IngestOutcome) -> list[SeriesKey]:
        regressions = sorted(((f.confidence, abs(f.change_pct or 0), k) for k, v in outcome.findings.items()
                              for f in v if f.regression), key=lambda t: (-t[0], -t[1]))
        if regressions:
            return [regressions[0][2]]
        return []

    def _update_watch(self) -> None:
        if not self._watch_enabled:
            return
        dirs: list[str] = []
        for root in self._roots:
            dirs.append(root)
            for path in scan_dirs(root, MAX_WATCHED_DIRS - len(dirs)):
                dirs.append(path)
        existing = set(self._watcher.directories())
        new = [d for d in dirs if d not in existing][: max(0, MAX_WATCHED_DIRS - len(existing))]
        if new:
            self._watcher.addPaths(new)

    def _on_directory_changed(self, _path: str) -> None:
        self._watch_timer.start()

    # ===================================================================== browser
    def _on_filter(self, text: str) -> None:
        keep = list(self._selected)
        self.model.set_filter(text)
        if keep:
            visible = [k for k in keep if self.model.index_for_key(k).isValid()]
            if visible:
                self.select_series(visible)

    def _on_tree_selection(self, *_):
        keys: list[SeriesKey] = []
        for idx in sorted((i for i in self.tree.selectionModel().selectedIndexes() if i.column() == 0),
                          key=lambda i: self.tree.visualRect(i).top()):
            key = idx.data(SERIES_KEY_ROLE)
            if key is not None and key not in keys:
                keys.append(key)
        if keys == self._selected and self.charts:
            return
        self._selected = keys
        self._render(keep_cursors=False)

    def _fill_findings(self) -> None:
        rows = sorted((f for v in self._findings.values() for f in v),
                      key=lambda f: (not f.regression, -f.confidence, -abs(f.change_pct or 0)))
        self.findings_table.setRowCount(len(rows))
        self._finding_rows = rows
        for r, f in enumerate(rows):
            name = f"{'▲' if f.direction == 'increase' else '▼'} {f.key.benchmark} · {f.key.statistic}"
            pct = f"{f.change_pct:+.0f} %" if f.change_pct is not None else f"{f.change:+.3g} {f.unit}"
            began = datetime.fromtimestamp(f.run_time, tz=timezone.utc).strftime("%Y-%m-%d") if f.run_time else f"#{f.index + 1}"
            cells = [name, began, pct, f"{f.confidence * 100:.0f} %"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f.explain())
                if c == 0:
                    item.setForeground(QColor("#c62828") if f.regression else QColor("#2e7d32"))
                self.findings_table.setItem(r, c, item)

    def _on_finding_activated(self, row: int, _col: int) -> None:
        rows = getattr(self, "_finding_rows", [])
        if 0 <= row < len(rows):
            self.select_series([rows[row].key])

    # ===================================================================== charts
    def _show_empty_chart(self, show: bool) -> None:
        """An empty ``metricHistoryPlot`` stands in until the first series is chosen, so the
        automation surface always finds the plot; the real first chart takes the name over."""
        if show and self._empty_chart is None:
            self._empty_chart = HistoryChart("metricHistoryPlot", time_axis=True, log_y=False, unit="",
                                             bands=self.budgets.bands)
            self._chart_splitter.addWidget(self._empty_chart.widget)
        elif not show and self._empty_chart is not None:
            self._empty_chart.widget.setParent(None)
            self._empty_chart.widget.deleteLater()
            self._empty_chart = None

    def _clear_charts(self) -> None:
        for chart in self.charts:
            chart.widget.setParent(None)
            chart.widget.deleteLater()
        self.charts = []

    def _render(self, keep_cursors: bool = True) -> None:
        previous = self.cursor_positions() if keep_cursors else None
        self._clear_charts()
        self._families = {}
        keys = list(self._selected)
        datas: list[SeriesData] = []
        if keys and (self._roots or self._files):
            scope = self.scope()
            for key in keys:
                data = self.index().series_data(key, scope)
                if len(data):
                    datas.append(data)
        self.placeholder.setVisible(not datas)
        self._show_empty_chart(not datas)
        if not datas:
            self.box_plot.clear()
            self.delta_table.setRowCount(0)
            return
        time_axis = self.x_mode.currentIndex() == 0
        log_y = self.action_log.isChecked()
        run_order = sorted({(float(t), int(r)) for d in datas for t, r in zip(d.times, d.run_ids)})
        position = {r: i for i, (_, r) in enumerate(run_order)}
        groups: list[list[SeriesData]] = []
        if self.action_stack.isChecked():
            groups = [[d] for d in datas]
        else:
            by_unit: dict[str, list[SeriesData]] = {}
            for d in datas:
                by_unit.setdefault(d.unit, []).append(d)
            groups = list(by_unit.values())
        several_sources = len({d.key.source for d in datas}) > 1
        color_index = 0
        for gi, group in enumerate(groups):
            chart = HistoryChart("metricHistoryPlot" if gi == 0 else f"metricHistoryPlot-{gi}",
                                 time_axis=time_axis, log_y=log_y, unit=group[0].unit, bands=self.budgets.bands)
            for data in group:
                x = data.times.copy() if time_axis else np.array([position[int(r)] for r in data.run_ids], dtype=float)
                color = QColor(PALETTE[color_index % len(PALETTE)])
                color_index += 1
                name = _short(f"{data.key.source} · " if several_sources else "") + _short(f"{data.key.benchmark} · {data.key.statistic}")
                chart.add_series(data, x, color, name, self._findings.get(data.key, []),
                                 show_band=self.action_band.isChecked())
                for budget in self.budgets.for_series(data.key):
                    chart.add_budget(budget.label, budget.limit)
                for limit in self.index().limits(data.key, self.scope()):
                    chart.add_budget(limit.label, limit.limit)
            chart.fit_view(time_axis)
            if gi > 0:
                chart.plot.setXLink(self.charts[0].plot)
            chart.widget.scene().sigMouseClicked.connect(partial(self._on_chart_click, chart))
            self._chart_splitter.addWidget(chart.widget)
            self.charts.append(chart)
        xs = np.concatenate([s.x for s in self.plotted()])
        lo, hi = float(np.nanmin(xs)), float(np.nanmax(xs))
        if len(self.charts) > 1:   # linked x axes: show every chart's runs
            pad = (hi - lo) * 0.03 if hi > lo else (86400.0 if time_axis else 1.0)
            self.charts[0].plot.setXRange(lo - pad, hi + pad, padding=0)
        a, b = previous if previous else (lo, hi)
        for chart in self.charts:
            ca, cb = chart.add_cursors(a, b)
            ca.sigPositionChanged.connect(partial(self._on_cursor_moved, chart, 0))
            cb.sigPositionChanged.connect(partial(self._on_cursor_moved, chart, 1))
            ca.sigPositionChangeFinished.connect(partial(self._snap_cursor, ca))
            cb.sigPositionChangeFinished.connect(partial(self._snap_cursor, cb))
            for s in chart.series:
                s.curve.visibleChanged.connect(self._update_readouts)
        self._update_readouts()

    def _on_cursor_moved(self, source_chart: HistoryChart, which: int, line: pg.InfiniteLine) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            for chart in self.charts:
                target = chart.cursor_a if which == 0 else chart.cursor_b
                if chart is not source_chart and target is not None and target.value() != line.value():
                    target.setValue(line.value())
        finally:
            self._syncing = False
        self._update_readouts()

    def _snap_cursor(self, line: pg.InfiniteLine) -> None:
        """After a drag, put the cursor exactly on the nearest run."""
        xs = np.unique(np.concatenate([s.x for s in self.plotted()])) if self.plotted() else np.empty(0)
        if len(xs):
            nearest = float(xs[np.argmin(np.abs(xs - line.value()))])
            if nearest != line.value():
                line.setValue(nearest)

    def _update_readouts(self) -> None:
        self._update_delta_table()
        self._update_box_plot()

    def _visible_series(self) -> list[PlottedSeries]:
        return [s for s in self.plotted() if s.curve.isVisible()]

    def _update_delta_table(self) -> None:
        pos = self.cursor_positions()
        series = self._visible_series()
        self.delta_table.setRowCount(len(series) if pos else 0)
        if not pos:
            return
        for r, s in enumerate(series):
            ia, ib = s.nearest(pos[0]), s.nearest(pos[1])
            va = float(s.data.values[ia]) if ia is not None else math.nan
            vb = float(s.data.values[ib]) if ib is not None else math.nan
            delta = vb - va
            pct = delta / abs(va) * 100 if va else math.nan
            cells = [s.name, _fmt(va), _fmt(vb), f"{delta:+.4g}" if math.isfinite(delta) else "—",
                     f"{pct:+.1f} %" if math.isfinite(pct) else "—",
                     s.data.labels[ia] if ia is not None else "", s.data.labels[ib] if ib is not None else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setForeground(s.color)
                if c in (3, 4) and math.isfinite(delta) and delta != 0:
                    worse = delta > 0  # latency-like: up is worse
                    item.setForeground(QColor("#c62828") if worse else QColor("#2e7d32"))
                if c in (1, 2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.delta_table.setItem(r, c, item)

    def _family(self, key: SeriesKey):
        fk = (key.source, key.benchmark)
        if fk not in self._families:
            self._families[fk] = self.index().family(key.source, key.benchmark, self.scope())
        return self._families[fk]

    def _update_box_plot(self) -> None:
        self.box_plot.clear()
        pos = self.cursor_positions()
        series = self._visible_series()
        if not pos or not series:
            self.box_caption.setText("Run distribution")
            return
        unit = series[0].data.unit
        boxes: list[BoxStats] = []
        ticks = []
        run_label = ""
        for s in series:
            if s.data.unit != unit:
                continue
            i = s.nearest(pos[1])
            if i is None:
                continue
            run_id = int(s.data.run_ids[i])
            run_label = run_label or s.data.labels[i]
            samples = self.index().samples(run_id, s.data.key.source, s.data.key.benchmark)
            x = float(len(boxes))
            if samples is not None and len(samples):
                q1, med, q3 = quartiles(samples.tolist())
                boxes.append(BoxStats(x, float(samples.min()), q1, med, q3, float(samples.max()),
                                      float(samples.mean()), s.color, True, len(samples)))
            else:
                runs, stats, _ = self._family(s.data.key)
                row = next((j for j, r in enumerate(runs) if r.run_id == run_id), None)
                if row is None:
                    continue

                def stat(*names, default=float(s.data.values[i])):
                    for n in names:
                        if n in stats and math.isfinite(stats[n][row]):
                            return float(stats[n][row])
                    return default

                mean = stat("mean", "averageMs")
                med = stat("median", default=mean)
                p95 = stat("p95", "p95Ms", default=stat("max", "maxMs"))
                boxes.append(BoxStats(x, stat("min", "minMs"), min(med, p95), med, max(med, p95),
                                      stat("max", "maxMs"), mean, s.color, False))
            ticks.append((x, _short(s.data.key.benchmark, 12)))
        if not boxes:
            return
        log_y = self.action_log.isChecked()
        self.box_plot.getAxis("left").setLogMode(False, log_y)   # items are log10-transformed themselves
        self.box_plot.addItem(BoxPlotItem(boxes, log_y=log_y))
        means = pg.ScatterPlotItem([b.x for b in boxes], [math.log10(b.mean) if log_y and b.mean > 0 else b.mean for b in boxes],
                                   symbol="d", size=8, brush=pg.mkBrush("#ffffff"), pen=pg.mkPen("#222222"))
        self.box_plot.addItem(means)
        self.box_plot.getAxis("bottom").setTicks([ticks])
        self.box_plot.setLabel("left", unit or "value")
        kind = "Q1–Q3 of samples" if all(b.from_samples for b in boxes) else "no samples: median–p95 box"
        self.box_caption.setText(f"Run B: {run_label}\n{kind}, ◇ mean")
        self.box_plot.setXRange(-0.6, len(boxes) - 0.4, padding=0)
        self.box_plot.enableAutoRange(axis="y")

    def _on_chart_click(self, chart: HistoryChart, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = chart.plot.vb
        scene_pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(scene_pos):
            return
        hit = self.point_at(chart, scene_pos)
        if hit is not None:
            s, i = hit
            chart.cursor_b.setValue(float(s.x[i]))
            self.sigOpenRunFile.emit(s.data.paths[i])

    def point_at(self, chart: HistoryChart, scene_pos: QPointF, radius_px: float = 12.0):
        """(series, index) of the visible point nearest to a scene position within radius."""
        vb = chart.plot.vb
        view = vb.mapSceneToView(scene_pos)
        best = None
        for s in chart.series:
            if not s.curve.isVisible():
                continue
            i = s.nearest(view.x())
            if i is None:
                continue
            y = float(s.data.values[i])
            if chart.log_y:
                if y <= 0:
                    continue
                y = math.log10(y)
            p = vb.mapViewToScene(QPointF(float(s.x[i]), y))
            d = math.hypot(p.x() - scene_pos.x(), p.y() - scene_pos.y())
            if d <= radius_px and (best is None or d < best[0]):
                best = (d, s, i)
        return (best[1], best[2]) if best else None

    # ===================================================================== export
    def _ask_export(self, kind: str) -> None:
        filters = {"png": "PNG image (*.png)", "svg": "SVG image (*.svg)", "csv": "CSV (*.csv)"}
        dialog = QFileDialog(self, f"Export {kind.upper()}", "", filters[kind])
        filedialogs.apply_policy(dialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        if dialog.exec() and dialog.selectedFiles():
            path = dialog.selectedFiles()[0]
            try:  # the dialog already asked before replacing an existing file
                {"png": self.export_png, "svg": self.export_svg, "csv": self.export_csv}[kind](path, overwrite=True)
                self.status.setText(f"Exported {path}")
            except OSError as exc:
                self.status.setText(f"Export failed: {path}: {exc}")

    def _ask_open_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open results folder", "",
                                                filedialogs.options(QFileDialog.Option.ShowDirsOnly))
        if path:
            self.open_folder(path)

    def _ask_open_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Open result files", "", "Metric files (*.json *.jsonl)",
                                                options=filedialogs.options())
        if paths:
            self.open_files(paths)

    def export_png(self, path: str | Path, *, overwrite: bool = False) -> Path:
        target = _output_path(path)
        with atomic_path(target, overwrite=overwrite) as tmp:
            if not self.chart_area.grab().save(tmp, "PNG"):
                raise OSError(f"could not write PNG {target}")
        return target

    def export_svg(self, path: str | Path, *, overwrite: bool = False) -> Path:
        target = _output_path(path)
        with atomic_path(target, overwrite=overwrite) as tmp:
            generator = QSvgGenerator()
            generator.setFileName(tmp)
            generator.setSize(self.chart_area.size())
            generator.setViewBox(self.chart_area.rect())
            generator.setTitle("Metric history")
            painter = QPainter(generator)
            try:
                self.chart_area.render(painter, QPoint(0, 0))
            finally:
                painter.end()
        return target

    def visible_rows(self) -> list[list]:
        """The data inside the current x range of the visible series, one row per point."""
        rows = []
        if not self.charts:
            return rows
        x0, x1 = self.charts[0].plot.viewRange()[0]
        for s in self._visible_series():
            d = s.data
            for i in np.flatnonzero((s.x >= x0) & (s.x <= x1)):
                t = datetime.fromtimestamp(float(d.times[i]), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
                extra = [(_fmt(float(arr[i])) if arr is not None and math.isfinite(arr[i]) else "")
                         for arr in (d.low, d.high, d.p95)]
                rows.append([d.key.source, d.key.benchmark, d.key.statistic, d.unit, t, d.labels[i],
                             repr(float(d.values[i])), *extra, d.paths[i]])
        return rows

    def export_csv(self, path: str | Path, *, overwrite: bool = False) -> Path:
        header = ["source", "benchmark", "statistic", "unit", "run_time", "run", "value", "min", "max", "p95", "path"]
        target = _output_path(path)
        write_atomic(target, csv_document(header, self.visible_rows()), overwrite=overwrite)
        return target

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.cancel()
        if self._task is not None:
            self._task.wait(5.0)
        if self._index is not None:
            self._index.close()
            self._index = None
        super().closeEvent(event)


def scan_dirs(root: str, limit: int) -> list[str]:
    """Subdirectories of root to watch (breadth first, hidden and vendor folders skipped)."""
    out: list[str] = []
    queue = [root]
    while queue and len(out) < limit:
        d = queue.pop(0)
        try:
            with os.scandir(d) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False) and not e.name.startswith(".") and e.name not in ("node_modules", "__pycache__"):
                        out.append(e.path)
                        queue.append(e.path)
                        if len(out) >= limit:
                            break
        except OSError:
            continue
    return out
