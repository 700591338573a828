"""MetricHistoryPanel: browse every metric in a folder of result files and chart it over runs.

A thin view over :class:`~inspector_app.core.metrics.session.MetricSession`, which holds the
state (folders, filter, selection, cursors, options, findings, the in-memory table) and
computes what is shown. The index is only opened by worker functions (ingest + analysis,
samples for the box plot) run in a :class:`BackgroundTask`; nothing here queries SQLite.

Left: a filterable browser (sources → benchmarks → statistics; rows with detected regressions
in red) and the list of detected changes. Right: stacked history charts with linked x axes
(one per unit, or one per series), a box plot of one run's distribution, and the A/B Δ table.
A click on a point moves cursor B there; a double-click opens that run's file.
"""
from __future__ import annotations

import math
import os
from functools import partial
from pathlib import Path
from typing import Iterable, Sequence

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QFileSystemWatcher, QItemSelection, QItemSelectionModel, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QAbstractScrollArea, QComboBox, QFileDialog, QHeaderView, QLabel,
                               QLineEdit, QProgressBar, QSizePolicy, QSplitter, QTableWidget, QTableWidgetItem,
                               QToolBar, QToolButton, QTreeView, QVBoxLayout, QWidget)

from ...core.metrics.budgets import BudgetConfig, load_budgets
from ...core.metrics.index import default_index_path
from ...core.metrics.model import SeriesKey
from ...core.metrics.names import neighbour_affixes
from ...core.metrics.regression import Finding
from ...core.metrics.session import IngestOutcome, MetricSession, fmt_value, ingest_and_analyse, load_samples
from .. import filedialogs
from ..widgets import plot_export
from ..widgets.status_line import StatusLine
from ..workers import BackgroundTask, Priority
from .boxplot import BoxPlotItem, BoxStats
from .charts import ChartColors, HistoryChart, PlottedSeries, ReadableLogAxis, apply_plot_colors
from .tree_model import AFFIX_ROLE, SERIES_KEY_ROLE, DistinguishingDelegate, SeriesTreeModel

MAX_WATCHED_DIRS = 2000
_FILTERS = {"png": "PNG image (*.png)", "svg": "SVG image (*.svg)", "csv": "CSV (*.csv)"}
WATCH_DEBOUNCE_MS = 700


OPEN_HINT = "Open a folder of benchmark or telemetry results, then pick metrics on the left."
PICK_HINT = "Pick metrics on the left to chart them."
BOX_CAPTION = "Run distribution"


class ElidedCaption(QLabel):
    """A caption whose first line (a file name) is elided in the middle to the label's width —
    never wrapped mid-name — and re-elided on resize; the rest wraps at spaces. The full text
    stays in ``full_text`` (and the tooltip the panel sets)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._head, self._rest = text, ""
        self._elide()

    @property
    def full_text(self) -> str:
        return "\n".join(t for t in (self._head, self._rest) if t)

    def set_lines(self, head: str, rest: str = "") -> None:
        self._head, self._rest = head, rest
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin()
        head = self._head
        if width > 20:
            head = self.fontMetrics().elidedText(head, Qt.TextElideMode.ElideMiddle, width)
        super().setText("\n".join(t for t in (head, self._rest) if t))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:        # the style sheet sets a smaller font
            self._elide()


RUN_COLUMNS = (5, 6)          # the cursor table's "A run", "B run"
SERIES_MIN_WIDTH = 220        # what the cursor table's series column keeps before run names shrink
RUN_MIN_WIDTH = 80
FINDINGS_OPTIONAL_COLUMNS = (1, 3)   # the detected changes' "Began" and "Conf." (both in the row's tooltip)
FINDINGS_FULL_WIDTH = 330            # below this the name column would be cut to a fragment


class MetricHistoryPanel(QWidget):
    """The metric history view. Public API: open_folder, open_files, clear, select_series,
    set_cursors, export_png/svg/csv, ``status_text()``; signals ``sigOpenRunFile(path)`` when
    a point is double-clicked, ``sigStatus(text)`` whenever what is loaded changes."""

    sigOpenRunFile = Signal(str)
    sigIngestFinished = Signal(object)     # IngestOutcome
    sigIngestFailed = Signal(str)
    sigBoxPlotUpdated = Signal()
    sigStatus = Signal(str)                # what is loaded changed: the main window's status bar follows

    def __init__(self, parent: QWidget | None = None, *, index_path: str | Path | None = None,
                 budgets: BudgetConfig | None = None, watch: bool = True):
        super().__init__(parent)
        self.setObjectName("metricHistoryPanel")
        self._index_path = Path(index_path) if index_path is not None else default_index_path()
        self.session = MetricSession(budgets if budgets is not None else load_budgets())
        self._task: BackgroundTask | None = None
        self._samples_task: BackgroundTask | None = None
        self._pending = False
        self.charts: list[HistoryChart] = []
        self._syncing = False
        self._finding_rows: list[Finding] = []
        self._watch_enabled = watch
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_directory_changed)
        self._watch_timer = QTimer(self, singleShot=True, interval=WATCH_DEBOUNCE_MS)
        self._watch_timer.timeout.connect(self._reingest)
        self.colors = ChartColors.from_palette(self.palette())
        self._build_ui()

    @property
    def budgets(self) -> BudgetConfig:
        return self.session.budgets

    @property
    def problems(self) -> list[str]:
        return self.session.problems

    def status_text(self) -> str:
        """What the main window's status bar shows while metrics are loaded ('' when none)."""
        return self.session.status_message()

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
        self.action_log = self._action("Log y", self._render, "Logarithmic y axis", checkable=True)
        self.action_stack = self._action("One chart per series", self._render,
                                         "Stack one chart per series (linked x axes) instead of one per unit",
                                         checkable=True)
        self.action_band = self._action("Min–max band", self._render, "Show min–max band and p95",
                                        checkable=True, checked=True)
        self.toolbar.addSeparator()
        self.action_export_png = self._action("PNG…", lambda: self._ask_export("png"), "Export the charts as PNG")
        self.action_export_svg = self._action("SVG…", lambda: self._ask_export("svg"), "Export the charts as SVG")
        self.action_export_csv = self._action("CSV…", lambda: self._ask_export("csv"), "Export the visible data as CSV")
        for action in (self.action_export_png, self.action_export_svg, self.action_export_csv):
            action.setEnabled(False)                 # until a series is charted (_render)
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
        self.tree.setAccessibleName("Metric browser")
        self.tree.setModel(self.model)
        self.tree.setItemDelegateForColumn(0, DistinguishingDelegate(self.tree))
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.selectionModel().selectionChanged.connect(self._on_tree_selection)
        self.findings_table = QTableWidget(0, 4)
        self.findings_table.setObjectName("metricFindings")
        self.findings_table.setAccessibleName("Detected changes")
        self.findings_table.setHorizontalHeaderLabels(["Detected change", "Began", "Change", "Conf."])
        self._setup_table(self.findings_table)
        self.findings_table.setItemDelegateForColumn(0, DistinguishingDelegate(self.findings_table))
        self.findings_table.viewport().installEventFilter(self)   # narrow: "Began" and "Conf." give way to the name
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
        self.findings_label = QLabel()
        fl.addWidget(self.findings_label)
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
        self.placeholder = QLabel(OPEN_HINT)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self._chart_splitter.addWidget(self.placeholder)
        self._empty_chart: HistoryChart | None = None
        self._show_empty_chart(True)

        self.box_plot = pg.PlotWidget(axisItems={"left": ReadableLogAxis("left")})
        self.box_plot.setObjectName("metricRunBoxPlot")
        self.box_plot.setMinimumWidth(190)
        self.box_plot.setMaximumWidth(300)
        self.box_plot.setMouseEnabled(x=False, y=True)
        self.box_plot.hideButtons()
        for name in ("left", "bottom"):          # shown once there is a run to describe
            self.box_plot.getPlotItem().hideAxis(name)
        self.box_caption = ElidedCaption(BOX_CAPTION)
        self.box_caption.setObjectName("metricRunBoxCaption")
        self.box_caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.delta_table = QTableWidget(0, 7)
        self.delta_table.setObjectName("metricDeltaTable")
        self.delta_table.setAccessibleName("Cursor A/B differences")
        self.delta_table.setHorizontalHeaderLabels(["Series", "A", "B", "Δ (B − A)", "Δ %", "A run", "B run"])
        self._setup_table(self.delta_table)
        self.delta_table.setItemDelegateForColumn(0, DistinguishingDelegate(self.delta_table))
        # sized to its rows (no scrollbar of its own inside the page)
        self.delta_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delta_table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.delta_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # the run names give way to the series name on a narrow window (shortened in the
        # middle, where run files differ; whole in the tooltip): see _fit_delta_columns
        self.delta_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for c in RUN_COLUMNS:
            self.delta_table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        self.delta_table.installEventFilter(self)

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
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(4)
        rl.addWidget(top, 1)
        rl.addWidget(self.delta_table)

        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setStretchFactor(0, 1)
        main.setStretchFactor(1, 3)
        main.setSizes([400, 1000])
        self.status = StatusLine("metricStatus")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(main, 1)
        layout.addWidget(self.status)
        self._fit_delta_table()
        self._apply_colors()

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
        table.setWordWrap(False)

    # ===================================================================== palette
    def _apply_colors(self) -> None:
        """Every colour from the palette: charts, box plot, captions (and again on change)."""
        self.colors = ChartColors.from_palette(self.palette())
        muted = self.colors.muted.name()
        self.findings_label.setText(f"<b>Detected changes</b> <span style='color:{muted}'>"
                                    "(click to plot, hover for why)</span>")
        self.placeholder.setStyleSheet(f"color: {muted}; font-size: 11pt;")
        self.box_caption.setStyleSheet(f"color: {muted}; font-size: 8pt;")
        apply_plot_colors(self.box_plot, self.colors)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        """The status line (ui/widgets/status_line): muted, or the app's one error colour for a
        failed export or indexing."""
        self.status.set_status(text, error=error)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "box_plot"):
            self._apply_colors()
            if self._empty_chart is not None:
                self._empty_chart.colors = self.colors
                apply_plot_colors(self._empty_chart.widget, self.colors)
            self._fill_findings()
            self._render()

    # ===================================================================== public API
    @property
    def is_busy(self) -> bool:
        return self._task is not None or self._samples_task is not None

    def scope(self):
        return self.session.scope()

    def open_folder(self, path: str | Path) -> None:
        """Index a folder (recursively, incrementally, in the background) and watch it."""
        self.session.add_folder(path)
        self._start_ingest()

    def open_files(self, paths: Iterable[str | Path]) -> None:
        self.session.add_files(paths)
        self._start_ingest()

    def clear(self) -> None:
        self.cancel()
        self.session.clear()
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self.model.set_series([])
        self._fill_findings()
        self._render()
        self._set_status("")
        self.sigStatus.emit("")

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
        return self.session.cursors if self.charts else None

    # ===================================================================== ingest
    def _start_ingest(self) -> None:
        if self._task is not None:
            self._pending = True
            return
        work = partial(ingest_and_analyse, self._index_path, list(self.session.roots), list(self.session.files))
        task = BackgroundTask(work, name="metric ingest")
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
        self._set_status("Indexing…")
        task.start(priority=Priority.BACKGROUND)

    def _reingest(self) -> None:
        if self.session.has_sources:
            self._start_ingest()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setRange(0, 0)
        self._set_status(text)

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
        self._set_status(message, error=True)
        self.sigIngestFailed.emit(message)

    def _on_ingest_cancelled(self) -> None:
        self._set_status("Indexing cancelled; the files read so far are kept and the next open resumes.")

    def _on_ingested(self, outcome: IngestOutcome) -> None:
        self.session.apply(outcome)
        self.model.set_series(self.session.series(), self.session.flags())
        self._fill_findings()
        self._update_watch()
        r = outcome.report
        problems = self.session.problems
        self._set_status(
            f"{self.session.table.file_count} files, {len(self.session.series())} series; read {len(r.files_read)} "
            f"new/changed file(s) in {r.elapsed_s:.2f} s; {self.session.regression_count()} regression(s) detected"
            + (f"; {len(problems)} file problem(s) — hover for details" if problems else ""))
        self.status.setToolTip("\n".join(problems[:50]))
        keys = list(self.session.selection)
        self.select_series(keys)
        self._render(keep_cursors=True)   # same series, new runs: redraw
        self.sigStatus.emit(self.status_text())
        self.sigIngestFinished.emit(outcome)

    def _update_watch(self) -> None:
        if not self._watch_enabled:
            return
        dirs: list[str] = []
        for root in self.session.roots:
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
        keep = list(self.session.selection)
        self.session.filter_text = text
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
        if keys == self.session.selection and self.charts:
            return
        self.session.select(keys)
        self._render(keep_cursors=False)

    def _fill_findings(self) -> None:
        rows = self.session.finding_rows()
        self.findings_table.setRowCount(len(rows))
        self._finding_rows = [f for f, _, _ in rows]
        for r, (f, name, affixes) in enumerate(rows):
            arrow = "▲" if f.direction == "increase" else "▼"
            pct = f"{arrow} {f.change_pct:+.0f} %" if f.change_pct is not None else f"{arrow} {f.change:+.3g} {f.unit}"
            began = _date(f.run_time) if f.run_time else f"#{f.index + 1}"
            cells = [name, began, pct, f"{f.confidence * 100:.0f} %"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f.explain())
                if c == 0:
                    item.setData(AFFIX_ROLE, affixes)
                if c in (0, 2):
                    item.setForeground(self.colors.regression if f.regression else self.colors.improvement)
                self.findings_table.setItem(r, c, item)

    def _on_finding_activated(self, row: int, _col: int) -> None:
        if 0 <= row < len(self._finding_rows):
            key = self._finding_rows[row].key
            if key is not None:
                self.select_series([key])

    # ===================================================================== charts
    def _show_empty_chart(self, show: bool) -> None:
        """An empty ``metricHistoryPlot`` stands in until the first series is chosen, so the
        automation surface always finds the plot; the real first chart takes the name over."""
        if show and self._empty_chart is None:
            self._empty_chart = HistoryChart("metricHistoryPlot", time_axis=True, log_y=False, unit="",
                                             bands=self.budgets.bands, colors=ChartColors.from_palette(self.palette()))
            for name in ("left", "bottom"):      # no numbers about nothing
                self._empty_chart.plot.hideAxis(name)
            self._empty_chart.legend.hide()
            self._empty_chart.widget.setMouseEnabled(x=False, y=False)
            self._empty_chart.widget.hideButtons()
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
        s = self.session
        previous = s.cursors if keep_cursors and self.charts else None
        s.options.time_axis = self.x_mode.currentIndex() == 0
        s.options.log_y = self.action_log.isChecked()
        s.options.stacked = self.action_stack.isChecked()
        s.options.band = self.action_band.isChecked()
        self._clear_charts()
        groups = s.groups() if s.has_sources else []
        self.placeholder.setText(PICK_HINT if s.has_sources and s.table.runs else OPEN_HINT)
        self.placeholder.setVisible(not groups)
        self._show_empty_chart(not groups)
        for action in (self.action_export_png, self.action_export_svg, self.action_export_csv):
            action.setEnabled(bool(groups))          # nothing charted: nothing to export
        if not groups:
            s.cursors = None
            self.box_plot.clear()
            for name in ("left", "bottom"):
                self.box_plot.getPlotItem().hideAxis(name)
            self.box_caption.set_lines(BOX_CAPTION)
            self.box_caption.setToolTip("")
            self.delta_table.setRowCount(0)
            self._fit_delta_table()
            return
        names = s.display_names()
        color_index = 0
        for gi, group in enumerate(groups):
            chart = HistoryChart("metricHistoryPlot" if gi == 0 else f"metricHistoryPlot-{gi}",
                                 time_axis=s.options.time_axis, log_y=s.options.log_y, unit=group[0].unit,
                                 bands=self.budgets.bands, colors=self.colors, x_title=gi == len(groups) - 1)
            colors = {}
            for data in group:
                color = self.colors.series_color(color_index)
                color_index += 1
                colors[data.key] = color
                chart.add_series(data, s.x_values(data), color, names.get(data.key, data.key.label()),
                                 s.findings.get(data.key, []), show_band=s.options.band)
            shared: dict[tuple[str, float], list] = {}
            for line in s.budget_lines(group):
                shared.setdefault((line.label, line.limit), []).append((colors[line.key], line.series))
            for (label, limit), members in shared.items():
                chart.add_budget_group(label, limit, members)
            chart.fit_view(s.options.time_axis)
            if gi > 0:
                chart.plot.setXLink(self.charts[0].plot)
            chart.widget.scene().sigMouseClicked.connect(partial(self._on_chart_click, chart))
            self._chart_splitter.addWidget(chart.widget)
            self.charts.append(chart)
        xs = s.all_x()
        lo, hi = float(xs[0]), float(xs[-1])
        if len(self.charts) > 1:   # linked x axes: show every chart's runs
            pad = (hi - lo) * 0.03 if hi > lo else (86400.0 if s.options.time_axis else 1.0)
            self.charts[0].plot.setXRange(lo - pad, hi + pad, padding=0)
        a, b = previous if previous else (lo, hi)
        s.cursors = (a, b)
        for chart in self.charts:
            ca, cb = chart.add_cursors(a, b)
            ca.sigPositionChanged.connect(partial(self._on_cursor_moved, chart, 0))
            cb.sigPositionChanged.connect(partial(self._on_cursor_moved, chart, 1))
            ca.sigPositionChangeFinished.connect(partial(self._snap_cursor, ca))
            cb.sigPositionChangeFinished.connect(partial(self._snap_cursor, cb))
            for ps in chart.series:
                ps.curve.visibleChanged.connect(self._on_visibility_changed)
        self._update_readouts()

    def _on_visibility_changed(self) -> None:
        self.session.hidden = {ps.data.key for ps in self.plotted() if not ps.curve.isVisible()}
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
        a, b = self.session.cursors or (line.value(), line.value())
        self.session.cursors = (float(line.value()), b) if which == 0 else (a, float(line.value()))
        self._update_readouts()

    def _snap_cursor(self, line: pg.InfiniteLine) -> None:
        """After a drag, put the cursor exactly on the nearest run."""
        nearest = self.session.snap(float(line.value()))
        if nearest != line.value():
            line.setValue(nearest)

    def _update_readouts(self) -> None:
        self._update_delta_table()
        self._update_box_plot()

    def _fit_delta_table(self) -> None:
        """Height = header + every row: the table never scrolls inside the page."""
        t = self.delta_table
        rows = max(t.rowCount(), 1)
        height = t.horizontalHeader().sizeHint().height() + sum(t.rowHeight(r) for r in range(t.rowCount())) \
            + (rows - t.rowCount()) * t.verticalHeader().defaultSectionSize() + 2 * t.frameWidth() + 2
        if t.horizontalScrollBar().isVisible():
            height += t.horizontalScrollBar().sizeHint().height()
        t.setFixedHeight(height)

    def _fit_delta_columns(self) -> None:
        """The A run / B run columns as wide as their names while the series name keeps at
        least ``SERIES_MIN_WIDTH``; narrower (names elided in the middle) when it would not, and
        hidden when even that leaves the series no room (the series' tooltip names both runs)."""
        t = self.delta_table
        header = t.horizontalHeader()
        metrics = t.fontMetrics()
        others = sum(header.sectionSize(c) for c in range(1, t.columnCount()) if c not in RUN_COLUMNS)
        each = (t.viewport().width() - others - SERIES_MIN_WIDTH) // len(RUN_COLUMNS)
        for c in RUN_COLUMNS:
            t.setColumnHidden(c, each < RUN_MIN_WIDTH)
            if each >= RUN_MIN_WIDTH:
                texts = [t.item(r, c).text() for r in range(t.rowCount()) if t.item(r, c) is not None]
                natural = max([metrics.horizontalAdvance(x) + 16 for x in texts]
                              + [header.sectionSizeFromContents(c).width()])
                t.setColumnWidth(c, min(natural, each))

    def _fit_findings_columns(self) -> None:
        """On a narrow pane (a 1024-wide window) the "Began" and "Conf." columns hide so the
        name of what changed stays readable; both are in every row's tooltip."""
        t = self.findings_table
        narrow = t.viewport().width() < FINDINGS_FULL_WIDTH
        for c in FINDINGS_OPTIONAL_COLUMNS:
            t.setColumnHidden(c, narrow)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            if obj is self.delta_table:
                self._fit_delta_columns()
            elif obj is self.findings_table.viewport():     # (a scroll bar coming narrows it too)
                self._fit_findings_columns()
        return super().eventFilter(obj, event)

    def _update_delta_table(self) -> None:
        rows = self.session.delta_rows()
        self.delta_table.setRowCount(len(rows))
        colors = {ps.data.key: ps.color for ps in self.plotted()}
        full_names = [self.session.full_name(row.key) for row in rows]
        affixes = neighbour_affixes(full_names)
        for r, row in enumerate(rows):
            delta, pct = row.delta, row.pct
            cells = [full_names[r], fmt_value(row.a), fmt_value(row.b), f"{delta:+.4g}" if math.isfinite(delta) else "—",
                     f"{pct:+.1f} %" if math.isfinite(pct) else "—", row.a_label, row.b_label]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setForeground(colors.get(row.key, self.colors.text))
                    item.setToolTip(f"{full_names[r]}\nA: {row.a_label}\nB: {row.b_label}")
                    item.setData(AFFIX_ROLE, affixes[r])
                if c in (3, 4) and math.isfinite(delta) and delta != 0:
                    worse = delta > 0  # latency-like: up is worse
                    item.setForeground(self.colors.regression if worse else self.colors.improvement)
                if c in (1, 2, 3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c in RUN_COLUMNS:
                    item.setToolTip(text)
                self.delta_table.setItem(r, c, item)
        self._fit_delta_columns()
        self._fit_delta_table()

    def _update_box_plot(self) -> None:
        missing = self.session.missing_samples()
        if missing and self._samples_task is None:
            task = BackgroundTask(partial(load_samples, self._index_path, missing), name="metric samples")
            task.sigFinished.connect(self._on_samples)
            task.sigDone.connect(self._on_samples_done)
            self._samples_task = task
            task.start(priority=Priority.USER)
        self._draw_box_plot()

    def _on_samples(self, found: dict) -> None:
        self.session.samples.update(found)

    def _on_samples_done(self) -> None:
        self._samples_task = None
        if self.session.missing_samples():      # the cursor moved meanwhile
            self._update_box_plot()
        else:
            self._draw_box_plot()

    def _draw_box_plot(self) -> None:
        self.box_plot.clear()
        n = max(1, len(self.session.box_runs()))
        chars = max(4, int(self.box_plot.width() * 0.55 / n / max(1, self.box_plot.fontMetrics().averageCharWidth())))
        specs, run_label = self.session.box_specs(chars)
        for name in ("left", "bottom"):
            self.box_plot.getPlotItem().showAxis(name, bool(specs))
        if not specs:
            self.box_caption.set_lines(BOX_CAPTION)
            self.box_caption.setToolTip("")
            self.sigBoxPlotUpdated.emit()
            return
        colors = {ps.data.key: ps.color for ps in self.plotted()}
        boxes = [BoxStats(float(i), b.low, b.q1, b.median, b.q3, b.high, b.mean, colors.get(b.key, self.colors.text),
                          b.from_samples, b.count) for i, b in enumerate(specs)]
        log_y = self.session.options.log_y
        self.box_plot.getAxis("left").setLogMode(False, log_y)   # items are log10-transformed themselves
        self.box_plot.addItem(BoxPlotItem(boxes, log_y=log_y))
        means = pg.ScatterPlotItem([b.x for b in boxes], [math.log10(b.mean) if log_y and b.mean > 0 else b.mean for b in boxes],
                                   symbol="d", size=8, brush=pg.mkBrush(self.colors.background), pen=pg.mkPen(self.colors.text))
        self.box_plot.addItem(means)
        self.box_plot.getAxis("bottom").setTicks([[(float(i), b.label) for i, b in enumerate(specs)]])
        self.box_plot.setLabel("left", self.session.data(specs[0].key).unit or "value", color=self.colors.text.name())
        if all(b.from_samples for b in boxes):
            kind = "Q1–Q3 of samples"
        elif all(b.low == b.high for b in boxes):        # a byte count or ratio: one value per run
            kind = "one value per run, no distribution"
        else:
            kind = "no samples: median–p95 box"
        self.box_caption.set_lines(f"Run B: {run_label}", f"{kind}, ◇\u00a0mean")
        self.box_caption.setToolTip("\n".join([f"Run B: {run_label}",
                                                *(self.session.full_name(b.key) for b in specs)]))
        self.box_plot.setXRange(-0.6, len(boxes) - 0.4, padding=0)
        self.box_plot.enableAutoRange(axis="y")
        self.sigBoxPlotUpdated.emit()

    def _on_chart_click(self, chart: HistoryChart, event) -> None:
        """A click on a point puts cursor B there; a double-click opens the run's file."""
        if event.button() != Qt.MouseButton.LeftButton:
            return
        scene_pos = event.scenePos()
        if not chart.plot.vb.sceneBoundingRect().contains(scene_pos):
            return
        hit = self.point_at(chart, scene_pos)
        if hit is None:
            return
        s, i = hit
        if event.double():
            self.sigOpenRunFile.emit(s.data.paths[i])
        else:
            chart.cursor_b.setValue(float(s.x[i]))

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
        dialog = QFileDialog(self, f"Export {kind.upper()}", "", _FILTERS[kind])
        dialog.setObjectName("plotExportDialog")
        filedialogs.apply_policy(dialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(kind)
        dialog.selectFile(f"metric-history.{kind}")
        if not (dialog.exec() and dialog.selectedFiles()):
            return
        path = dialog.selectedFiles()[0]
        try:  # the dialog already asked before replacing an existing file
            {"png": self.export_png, "svg": self.export_svg, "csv": self.export_csv}[kind](path, overwrite=True)
            self._set_status(f"Exported {path}")
        except (OSError, ValueError) as exc:
            self._set_status(f"Export failed: {exc}", error=True)

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
        return plot_export.export_image(self.chart_area, path, fmt="png", overwrite=overwrite)

    def export_svg(self, path: str | Path, *, overwrite: bool = False) -> Path:
        return plot_export.export_image(self.chart_area, path, fmt="svg", overwrite=overwrite, title="Metric history")

    def visible_rows(self) -> list[list]:
        """The data inside the current x range of the visible series, one row per point."""
        if not self.charts:
            return []
        x0, x1 = self.charts[0].plot.viewRange()[0]
        return self.session.visible_rows(x0, x1)

    def export_csv(self, path: str | Path, *, overwrite: bool = False) -> Path:
        return plot_export.export_csv(path, self.session.CSV_HEADER, self.visible_rows(), overwrite=overwrite)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.cancel()
        for task in (self._task, self._samples_task):
            if task is not None:
                task.detach()      # the work finishes in its thread; nothing comes back here
        self._task = self._samples_task = None
        super().closeEvent(event)


def _date(seconds: float) -> str:
    from datetime import datetime, timezone
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%b %d")   # the year is in the tooltip
    except (OverflowError, OSError, ValueError):
        return "—"


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


__all__ = ["IngestOutcome", "MetricHistoryPanel", "scan_dirs"]
