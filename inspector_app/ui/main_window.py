"""The main window: save browser, world-state inspector, domain views, timelines and charts.

Data flows one way: file → core loader (in a worker) → SaveDocument → Qt models → views.
The window only wires views together; it parses nothing itself.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from inspector_app import __version__
from inspector_app.core.loading.document import LoadError, Problem, SaveDocument, Severity
from inspector_app.core.loading.loader import load_path
from inspector_app.ui.models.slot_model import ROW_ROLE, SORT_ROLE, SlotRow, SlotTableModel, format_size
from inspector_app.ui.settings import app_settings, read_list
from inspector_app.ui.widgets.problems_panel import ProblemsPanel
from inspector_app.ui.workers import FOLLOW_UP_DELAY_MS, BackgroundTask, Priority
from inspector_app.resources import resource_path

MAX_RECENT = 10
DEMO_PROFILE = resource_path("demo", "demo-profile.localStorage.json")


class _SlotPayloadLoader:
    """Callable stand-in for a parked slot's payload (with its timestamp for ordering)."""

    def __init__(self, slot):
        self._slot = slot
        self.timestamp = slot.timestamp

    def __call__(self):
        return self._slot.payload


class _Banner(QFrame):
    """A non-modal, dismissable message strip (errors never open a blocking dialog)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._label = QLabel(self)
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        lay.addWidget(self._label, 1)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, level: str = "error") -> None:
        colours = {"error": ("#fdecea", "#b3261e"), "warning": ("#fff4e5", "#9a6700"), "info": ("#e8f1fb", "#1f5fa8")}
        bg, fg = colours.get(level, colours["info"])
        self.setStyleSheet(f"#messageBanner {{ background: {bg}; border: 1px solid {fg}; border-radius: 4px; }}"
                           f" QLabel {{ color: {fg}; }}")
        self._label.setText(text)
        self.show()

    def text(self) -> str:
        return self._label.text() if self.isVisible() else ""


class _WelcomePage(QWidget):
    sigOpenRequested = Signal()
    sigOpenDemo = Signal()
    sigOpenRecent = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("welcomePage")
        title = QLabel("<h1>Telemetry Inspector</h1>"
                       "<p>Saves, world state, tutorial timelines and benchmark history of "
                       "<i>The Memory Syndicate</i>.</p>"
                       "<p>Open a whole-profile localStorage export, a single save, an inspector summary "
                       "or an exported summary — or drop files here.</p>", self)
        title.setWordWrap(True)
        open_btn = QPushButton("Open file…", self)
        open_btn.setObjectName("welcomeOpen")
        open_btn.clicked.connect(self.sigOpenRequested)
        demo_btn = QPushButton("Open demo profile", self)
        demo_btn.setObjectName("welcomeDemo")
        demo_btn.clicked.connect(self.sigOpenDemo)
        demo_btn.setEnabled(DEMO_PROFILE.exists())
        self._recent_box = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(open_btn)
        buttons.addWidget(demo_btn)
        buttons.addStretch(1)
        inner = QVBoxLayout()
        inner.addWidget(title)
        inner.addLayout(buttons)
        inner.addSpacing(12)
        inner.addLayout(self._recent_box)
        inner.addStretch(1)
        box = QWidget(self)
        box.setMaximumWidth(720)
        box.setLayout(inner)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 3)
        outer.addStretch(1)

    def set_recent(self, paths: list[str]) -> None:
        while self._recent_box.count():
            item = self._recent_box.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if not paths:
            return
        self._recent_box.addWidget(QLabel("<b>Recent files</b>", self))
        for p in paths[:MAX_RECENT]:
            link = QPushButton(p, self)
            link.setFlat(True)
            link.setStyleSheet("text-align: left; color: #1f5fa8;")
            link.clicked.connect(lambda _=False, p=p: self.sigOpenRecent.emit(p))
            self._recent_box.addWidget(link)


def _is_browser_storage(path: Path) -> bool:
    """A browser profile or localStorage folder opens as saves (core.browser), not as metrics."""
    from inspector_app.core.browser.storage import looks_like_browser_storage
    return looks_like_browser_storage(path)


class MainWindow(QMainWindow):
    """Telemetry Inspector's main window. ``MainWindow().open_path(path)`` opens a file."""

    sigDocumentLoaded = Signal(object)   # SaveDocument
    sigLoadFailed = Signal(str, object)  # path, Problem
    sigSlotShown = Signal(object)        # SlotRow

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Telemetry Inspector")
        self.setAcceptDrops(True)
        self.resize(1440, 900)
        self._documents: list[SaveDocument] = []
        self._failed: list[Problem] = []
        self._tasks: dict[str, BackgroundTask] = {}
        self._current: SlotRow | None = None
        self._previous: SlotRow | None = None
        self._compare_dialog = None
        self._export_dialog = None

        self._build_actions()
        self._build_central()
        self._build_docks()
        self._build_menus()
        self._build_status()
        self._restore_settings()
        self._update_actions()

    # ------------------------------------------------------------------ construction
    def _build_actions(self) -> None:
        def action(name, text, slot, shortcut=None, tip=""):
            a = QAction(text, self)
            a.setObjectName(name)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.setStatusTip(tip or text.replace("&", "").rstrip("…"))
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.actionOpen = action("actionOpen", "&Open…", self._open_dialog, QKeySequence.StandardKey.Open,
                                 "Open a profile export, save, inspector summary or exported summary")
        self.actionOpenMetrics = action("actionOpenMetricsFolder", "Open &Metrics Folder…", self._open_metrics_dialog,
                                        "Ctrl+Shift+M", "Ingest a folder of benchmark and telemetry results")
        self.actionExport = action("actionExport", "&Export Report…", self._export, "Ctrl+E",
                                   "Write JSON/CSV/Markdown reports of the current save through the export pipeline")
        self.actionCompare = action("actionCompare", "&Compare Saves…", self._compare, "Ctrl+D",
                                    "Show what changed between two saves")
        self.actionReload = action("actionReload", "&Reload", self._reload_current, QKeySequence.StandardKey.Refresh,
                                   "Read the current file again from disk")
        self.actionClose = action("actionCloseFile", "&Close File", self._close_current, "Ctrl+W",
                                  "Close the file of the selected slot")
        self.actionQuit = action("actionQuit", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.actionDemo = action("actionOpenDemo", "Open &Demo Profile", lambda: self.open_path(DEMO_PROFILE))
        self.actionFind = action("actionFind", "&Find in World State", self._focus_search, QKeySequence.StandardKey.Find)
        self.actionResetLayout = action("actionResetLayout", "Reset &Layout", self._reset_layout)
        self.actionAbout = action("actionAbout", "&About Telemetry Inspector", self._about)

    def _build_central(self) -> None:
        from inspector_app.ui.widgets.search_panel import SearchPanel
        from inspector_app.ui.widgets.state_inspector import StateInspector
        from inspector_app.ui.worldstate.domain_views import DomainViewsPanel

        self.banner = _Banner(self)
        self.state_inspector = StateInspector(self)
        self.search_panel = SearchPanel(self)
        self.search_panel.sigRevealRequested.connect(self._reveal_in_tree)
        self.domain_views = DomainViewsPanel(self)

        inspector_page = QSplitter(Qt.Orientation.Horizontal, self)
        inspector_page.setObjectName("inspectorSplitter")
        inspector_page.addWidget(self.search_panel)
        inspector_page.addWidget(self.state_inspector)
        inspector_page.setStretchFactor(0, 1)
        inspector_page.setStretchFactor(1, 3)
        inspector_page.setSizes([330, 990])

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.domain_views, "Save Summary")
        self.tabs.addTab(inspector_page, "World State")
        self._lazy_tabs: dict[int, str] = {}
        self._add_panel_tabs()

        self.welcome = _WelcomePage(self)
        self.welcome.sigOpenRequested.connect(self._open_dialog)
        self.welcome.sigOpenDemo.connect(lambda: self.open_path(DEMO_PROFILE))
        self.welcome.sigOpenRecent.connect(self.open_path)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)

        central = QWidget(self)
        lay = QVBoxLayout(central)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addWidget(self.banner)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _add_panel_tabs(self) -> None:
        """Tutorial timeline and metric history panels."""
        from inspector_app.ui.metrics import MetricHistoryPanel
        from inspector_app.ui.transcript import TranscriptPanel

        self.transcript_panel = TranscriptPanel(self)
        self.transcript_page = self._scrollable(self.transcript_panel)
        self.tabs.addTab(self.transcript_page, "Tutorial Timeline")
        self.metrics_panel = MetricHistoryPanel(self)
        self.metrics_panel.sigOpenRunFile.connect(self._open_run_file)
        self.metrics_page = self._scrollable(self.metrics_panel)
        self.tabs.addTab(self.metrics_page, "Metric History")

    def _scrollable(self, panel: QWidget) -> QScrollArea:
        """Host a rich panel so its minimum size never squeezes the docks: below its minimum
        it scrolls instead."""
        area = QScrollArea(self)
        area.setObjectName(panel.objectName() + "Scroll" if panel.objectName() else "panelScroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(panel)
        return area

    def _build_docks(self) -> None:
        # Save browser
        self.slot_model = SlotTableModel(self)
        self.slot_proxy = QSortFilterProxyModel(self)
        self.slot_proxy.setSourceModel(self.slot_model)
        self.slot_proxy.setSortRole(SORT_ROLE)
        self.slot_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.slot_proxy.setFilterKeyColumn(-1)
        self.slot_list = QTreeView(self)
        self.slot_list.setObjectName("slotList")
        self.slot_list.setRootIsDecorated(False)
        self.slot_list.setUniformRowHeights(True)
        self.slot_list.setAlternatingRowColors(True)
        self.slot_list.setSortingEnabled(True)
        self.slot_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.slot_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.slot_list.setModel(self.slot_proxy)
        self.slot_list.sortByColumn(SlotTableModel.COL_SAVED, Qt.SortOrder.DescendingOrder)
        header = self.slot_list.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in enumerate((26, 165, 130, 60, 135, 64, 54, 112, 64, 140, 200)):
            self.slot_list.setColumnWidth(col, width)
        self.slot_list.selectionModel().currentRowChanged.connect(self._on_slot_changed)
        self.slot_filter = QLineEdit(self)
        self.slot_filter.setObjectName("slotFilter")
        self.slot_filter.setPlaceholderText("Filter slots…")
        self.slot_filter.setClearButtonEnabled(True)
        self.slot_filter.textChanged.connect(self.slot_proxy.setFilterFixedString)
        self.slot_details = QLabel(self)
        self.slot_details.setObjectName("slotDetails")
        self.slot_details.setWordWrap(True)
        self.slot_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        saves = QWidget(self)
        lay = QVBoxLayout(saves)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.slot_filter)
        lay.addWidget(self.slot_list, 1)
        lay.addWidget(self.slot_details)
        self.saves_dock = QDockWidget("Saves", self)
        self.saves_dock.setObjectName("savesDock")
        self.saves_dock.setWidget(saves)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.saves_dock)

        # Problems
        self.problems_panel = ProblemsPanel(self)
        self.problems_panel.sigProblemActivated.connect(self._on_problem_activated)
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        # Export events (live telemetry:* stream of each export)
        from inspector_app.ui.export.events_panel import ExportEventsPanel

        self.export_events = ExportEventsPanel(self)
        self.events_dock = QDockWidget("Export Events", self)
        self.events_dock.setObjectName("exportEventsDock")
        self.events_dock.setWidget(self.export_events)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.events_dock)
        self.tabifyDockWidget(self.problems_dock, self.events_dock)
        self.problems_dock.raise_()
        self._default_state = None

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.actionOpen)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.actionDemo)
        file_menu.addAction(self.actionOpenMetrics)
        file_menu.addSeparator()
        file_menu.addAction(self.actionExport)
        file_menu.addAction(self.actionCompare)
        file_menu.addSeparator()
        file_menu.addAction(self.actionReload)
        file_menu.addAction(self.actionClose)
        file_menu.addSeparator()
        file_menu.addAction(self.actionQuit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.actionFind)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.saves_dock.toggleViewAction())
        view_menu.addAction(self.problems_dock.toggleViewAction())
        view_menu.addAction(self.events_dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(self.actionResetLayout)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.actionAbout)

        tb = self.addToolBar("Main")
        tb.setObjectName("mainToolBar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addAction(self.actionOpen)
        tb.addAction(self.actionExport)
        tb.addAction(self.actionCompare)
        tb.addSeparator()
        tb.addAction(self.actionOpenMetrics)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.status_label = QLabel("Nothing loaded — File ▸ Open (Ctrl+O) or drop a file", self)
        self.status_label.setObjectName("statusLoaded")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("loadProgress")
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("loadCancel")
        self.cancel_button.clicked.connect(self.cancel_loads)
        self.cancel_button.hide()
        sb.addWidget(self.status_label, 1)
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_button)

    # ------------------------------------------------------------------ public API
    def documents(self) -> list[SaveDocument]:
        return list(self._documents)

    def current_row(self) -> SlotRow | None:
        return self._current

    def is_loading(self) -> bool:
        return bool(self._tasks)

    def open_path(self, path) -> BackgroundTask | None:
        """Open a file (parsed in a worker; the window stays responsive). Returns the task."""
        path = Path(path).expanduser()
        try:
            path = path.resolve()
        except OSError:
            pass
        key = str(path)
        if path.is_dir() and not _is_browser_storage(path):  # a folder of results: the metric history ingests it
            self.metrics_panel.open_folder(str(path))
            self.tabs.setCurrentWidget(self.metrics_page)
            self.stack.setCurrentWidget(self.tabs)
            self._add_recent(key)
            return None
        if key in self._tasks:
            return self._tasks[key]

        def work(progress, cancelled):
            return load_path(path, progress=progress, cancelled=cancelled, other_json=True)

        task = BackgroundTask(work, name=key)
        task.sigProgress.connect(self._on_progress)
        task.sigFinished.connect(lambda doc, key=key: self._on_loaded(key, doc))
        task.sigFailed.connect(lambda exc, key=key: self._on_load_failed(key, exc))
        task.sigCancelled.connect(lambda key=key: self._on_load_cancelled(key))
        task.sigDone.connect(lambda key=key: self._on_task_done(key))
        self._tasks[key] = task
        self.progress.setRange(0, 0)
        self.progress.setFormat(f"Opening {path.name}…")
        self.progress.show()
        self.cancel_button.show()
        self.status_label.setText(f"Opening {path}…")
        task.start(priority=Priority.USER)
        return task

    def cancel_loads(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()

    # ------------------------------------------------------------------ loading callbacks
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
        self.progress.setFormat(text or "Loading… %p%")

    def _on_task_done(self, key: str) -> None:
        self._tasks.pop(key, None)
        if not self._tasks:
            self.progress.hide()
            self.cancel_button.hide()
            self._update_status()

    def _on_load_cancelled(self, key: str) -> None:
        self.status_label.setText(f"Cancelled opening {Path(key).name}.")
        self._update_status()

    def _on_load_failed(self, key: str, exc: object) -> None:
        if isinstance(exc, LoadError):
            problem = exc.problem
        else:
            problem = Problem(Severity.ERROR, f"Internal error while reading the file: {type(exc).__name__}: {exc}",
                              file=key, code="internal_error")
        self._failed = [p for p in self._failed if p.file != key] + [problem]
        self.banner.show_message(f"Could not open {Path(key).name}: {problem.describe()}", "error")
        self.problems_panel.set_documents(self._documents)
        self._append_failed_problems()
        self.sigLoadFailed.emit(key, problem)
        self._update_status()

    def _append_failed_problems(self) -> None:
        if self._failed:
            self.problems_panel.model.set_problems(self.problems_panel.model.problems() + self._failed)

    def _on_loaded(self, key: str, doc: SaveDocument) -> None:
        self._failed = [p for p in self._failed if p.file != key]
        self._documents = [d for d in self._documents if str(d.path) != str(doc.path)] + [doc]
        self._refresh_documents()
        self._add_recent(key)
        self.stack.setCurrentWidget(self.tabs)
        self._select_first_row_of(doc)
        # context object: the call is dropped if the panel is gone by then
        QTimer.singleShot(FOLLOW_UP_DELAY_MS, self.transcript_panel,
                          lambda doc=doc: doc in self._documents and self.transcript_panel.set_sources_from_document(doc))
        n_err = sum(p.severity == Severity.ERROR for p in doc.all_problems)
        if n_err:
            self.banner.show_message(
                f"{doc.path.name}: {n_err} slot(s) or entries could not be read; the rest is usable. "
                "See the Problems panel.", "warning")
        elif doc.all_problems:
            self.banner.show_message(f"{doc.path.name}: {len(doc.all_problems)} notice(s)/warning(s) — see the Problems panel.", "info")
        else:
            self.banner.hide()
        self.sigDocumentLoaded.emit(doc)
        self._update_status()

    def _refresh_documents(self) -> None:
        current_key = self._current.key if self._current else None
        self.slot_model.set_documents(self._documents)
        self.problems_panel.set_documents(self._documents)
        self._append_failed_problems()
        if current_key:
            self._select_key(current_key)
        self._update_actions()

    def _select_first_row_of(self, doc: SaveDocument) -> None:
        best = None
        for i, r in enumerate(self.slot_model.rows()):
            if r.document is doc:
                ok = r.slot is None or r.slot.has_payload
                proxy_row = self.slot_proxy.mapFromSource(self.slot_model.index(i, 0)).row()
                cand = (not ok, proxy_row)
                if best is None or cand < best[0]:
                    best = (cand, r.key)
        if best:
            self._select_key(best[1])

    def _select_key(self, key) -> None:
        row = self.slot_model.row_of(key)
        if row < 0:
            return
        idx = self.slot_proxy.mapFromSource(self.slot_model.index(row, 0))
        if idx.isValid():
            self.slot_list.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.slot_list.scrollTo(idx)

    # ------------------------------------------------------------------ slot display
    def _on_slot_changed(self, current, _previous=None) -> None:
        row = self.slot_proxy.data(current, ROW_ROLE) if current.isValid() else None
        if row is None:
            return
        if self._current is not None and (row.key != self._current.key):
            self._previous = self._current
        self._current = row
        if row.slot is not None and not row.slot.is_materialised:
            self._prefetch_then_show(row)
        else:
            self._show_row(row)

    def _prefetch_then_show(self, row: SlotRow) -> None:
        """A parked slot of a big profile is parsed again in a worker, then shown."""
        slot = row.slot
        self.status_label.setText(f"Reading slot {slot.label} ({format_size(slot.size_bytes)})…")
        self.state_inspector.set_document_value({}, f"{slot.label} (reading…)")
        self.search_panel.set_root({})
        self.domain_views.clear("Reading this slot…")
        task = BackgroundTask(lambda _progress, _cancelled: slot.payload is not None, name=f"slot {slot.key}")
        self._prefetch_task = task
        task.sigFinished.connect(lambda _ok, row=row: self._current is row and self._show_row(row))
        task.sigFailed.connect(lambda exc, row=row: self.banner.show_message(
            f"Could not read slot {row.slot.label}: {exc}", "error"))
        task.start(priority=Priority.USER)

    def _show_row(self, row: SlotRow) -> None:
        """Tree and search first (cheap: the model is lazy), then the summary views, whose data
        is built in a worker so the first rows paint without waiting for them."""
        doc, slot = row.document, row.slot
        if slot is None:
            value = doc.summary if doc.summary is not None else doc.root
            label = doc.path.name
        else:
            value = slot.payload
            label = f"{slot.label} ({slot.key})"
        if value is None:
            self.state_inspector.set_document_value({}, label)
            self.search_panel.set_root({})
            msgs = "; ".join(p.describe() for p in (slot.problems if slot else doc.problems)) or "no data"
            self.banner.show_message(f"{label} cannot be shown: {msgs}", "error")
        else:
            self.state_inspector.set_document_value(value, label)
            self.search_panel.set_root(value)
        if slot is None:
            self.domain_views.set_summary(doc.summary)
        elif slot.has_payload:
            self.domain_views.set_game_data(slot.game_data, slot.display_payload or slot.payload, background=True)
        else:
            self.domain_views.clear()
        self.slot_details.setText(self._slot_details_text(row))
        self._update_status()
        self._update_actions()
        self.sigSlotShown.emit(row)

    @staticmethod
    def _slot_details_text(row: SlotRow) -> str:
        doc, slot = row.document, row.slot
        lines = [f"<b>{doc.path.name}</b> — {doc.kind.value}, {format_size(doc.size_bytes)}"]
        if slot is not None:
            where = ""
            if doc.kind.value == "profile":
                where = ", in the slot index" if slot.in_index else ", <b>not</b> in the slot index"
            lines.append(f"Slot <b>{slot.label}</b> (<code>{slot.key}</code>), {slot.slot_type}{where}")
            for p in slot.problems[:4]:
                colour = {"error": "#b3261e", "warning": "#9a6700"}.get(p.severity.value, "#1f5fa8")
                lines.append(f"<span style='color:{colour}'>• {p.message}</span>")
        return "<br>".join(lines)

    def _reveal_in_tree(self, path) -> None:
        self.tabs.setCurrentIndex(1)
        self.state_inspector.reveal_path(tuple(path))

    def _on_problem_activated(self, problem: Problem) -> None:
        for r in self.slot_model.rows():
            if problem.file and str(r.document.path) != problem.file and r.document.path.name != Path(problem.file).name:
                continue
            if problem.slot is None or (r.slot and problem.slot in (r.slot.key, r.slot.slot_id)):
                self._select_key(r.key)
                return

    # ------------------------------------------------------------------ actions
    def _file_dialog(self, title: str, mode: QFileDialog.FileMode, name_filter: str = "") -> QFileDialog:
        dlg = QFileDialog(self, title)
        dlg.setObjectName("openDialog")
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dlg.setFileMode(mode)
        if name_filter:
            dlg.setNameFilter(name_filter)
        settings = app_settings()
        start = settings.value("lastOpenDir", "")
        if start and Path(str(start)).is_dir():
            dlg.setDirectory(str(start))
        return dlg

    def _open_dialog(self) -> None:
        dlg = self._file_dialog("Open save, profile or summary", QFileDialog.FileMode.ExistingFiles,
                                "JSON files (*.json);;All files (*)")
        if dlg.exec():
            files = dlg.selectedFiles()
            if files:
                app_settings().setValue("lastOpenDir", str(Path(files[0]).parent))
            for f in files:
                self.open_path(f)

    def _open_metrics_dialog(self) -> None:
        dlg = self._file_dialog("Open a folder of benchmark / telemetry results", QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if dlg.exec():
            for f in dlg.selectedFiles():
                self.open_path(f)

    def _open_run_file(self, path) -> None:
        self.open_path(path)

    def _focus_search(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(1)
        edit = self.search_panel.findChild(QLineEdit, "stateSearch")
        if edit is not None:
            edit.setFocus()
            edit.selectAll()

    def _reload_current(self) -> None:
        if self._current:
            self.open_path(self._current.document.path)

    def _close_current(self) -> None:
        if not self._current:
            return
        doc = self._current.document
        self._documents = [d for d in self._documents if d is not doc]
        self._current = None
        self._refresh_documents()
        if self._documents:
            self._select_first_row_of(self._documents[-1])
        else:
            self.state_inspector.set_document_value({}, "")
            self.search_panel.set_root({})
            self.domain_views.clear()
            self.transcript_panel.clear()
            self.stack.setCurrentWidget(self.welcome)
        self._update_status()

    def _compare_rows(self) -> list[SlotRow]:
        return [r for r in self.slot_model.rows() if r.slot is not None and r.slot.has_payload]

    @staticmethod
    def _candidate_label(r: SlotRow) -> str:
        return f"{r.slot.label} — {r.document.path.name}"

    def compare_candidates(self) -> list[tuple[str, object]]:
        """(label, payload) per readable slot; parked slots of big profiles come as a loader that
        the compare worker calls, so opening Compare never parses them on the GUI thread."""
        out: list[tuple[str, object]] = []
        for r in self._compare_rows():
            slot = r.slot
            value = slot.display_payload or (slot.payload if slot.is_materialised else _SlotPayloadLoader(slot))
            out.append((self._candidate_label(r), value))
        return out

    def _compare(self) -> None:
        from inspector_app.ui.diff.compare_view import CompareDialog

        rows = self._compare_rows()
        if len(rows) < 2:
            self.banner.show_message("Open at least two readable saves (or a profile with two slots) to compare.", "info")
            return
        if self._compare_dialog is None:
            self._compare_dialog = CompareDialog(self)
            self._compare_dialog.sigRevealPath.connect(self._reveal_compared)
        dlg = self._compare_dialog
        self._compare_candidate_rows = rows
        dlg.set_candidates(self.compare_candidates())
        keys = [r.key for r in rows]
        a = keys.index(self._previous.key) if self._previous is not None and self._previous.key in keys else None
        b = keys.index(self._current.key) if self._current is not None and self._current.key in keys else None
        if a is not None and b is not None and a != b:
            # older first: the game's timestamps decide which of the two is A
            ta, tb = rows[a].slot.timestamp, rows[b].slot.timestamp
            if isinstance(ta, (int, float)) and isinstance(tb, (int, float)) and ta > tb:
                a, b = b, a
            dlg.view.select(a, b)
        dlg.show()
        dlg.raise_()

    def _reveal_compared(self, side: str, path) -> None:
        """A diff row was chosen: show that save and reveal the path in the world-state tree."""
        rows = getattr(self, "_compare_candidate_rows", [])
        a, b = self._compare_dialog.view.current_pair()
        index = a if side == "a" else b
        if 0 <= index < len(rows):
            self._select_key(rows[index].key)
            self._reveal_in_tree(tuple(path))

    def export_source(self):
        """What the Export action exports: (summary-or-payload kind, value, suggested label)."""
        row = self._current
        if row is None:
            return None
        if row.slot is None:
            return ("summary", row.document.summary, row.document.path.stem, row.document.path)
        if not row.slot.has_payload:
            return None
        return ("payload", row.slot, row.slot.label, row.document.path)   # the path is never written over

    def _export(self) -> None:
        source = self.export_source()
        if source is None:
            self.banner.show_message("Select a readable save, slot or summary to export.", "info")
            return
        from inspector_app.ui.export.export_dialog import ExportDialog

        if self._export_dialog is None:
            self._export_dialog = ExportDialog(self, events_panel=self.export_events)
            self._export_dialog.sigExportFinished.connect(lambda _r: self.events_dock.raise_())
        self._export_dialog.set_source(*source)
        self._export_dialog.show()
        self._export_dialog.raise_()

    def _about(self) -> None:
        QMessageBox.about(self, "About Telemetry Inspector",
                          f"<b>Telemetry Inspector</b> {__version__}<br>Saves, world state, tutorial timelines, "
                          "exports and benchmark history for <i>The Memory Syndicate</i>.")

    # ------------------------------------------------------------------ state
    def _update_actions(self) -> None:
        has = self._current is not None and (
            (self._current.slot is not None and self._current.slot.has_payload)
            or (self._current.slot is None and self._current.document.summary is not None))
        self.actionExport.setEnabled(bool(has))
        self.actionCompare.setEnabled(sum(1 for r in self.slot_model.rows() if r.slot and r.slot.has_payload) >= 2)
        self.actionReload.setEnabled(self._current is not None)
        self.actionClose.setEnabled(self._current is not None)

    def _update_status(self) -> None:
        if self._tasks:
            return
        if not self._documents:
            self.status_label.setText("Nothing loaded — File ▸ Open (Ctrl+O) or drop a file")
            return
        n_slots = sum(len(d.slots) for d in self._documents)
        n_problems = sum(len(d.all_problems) for d in self._documents) + len(self._failed)
        text = f"{len(self._documents)} file(s), {n_slots} slot(s)"
        if self._current is not None:
            r = self._current
            text += f" — showing {r.slot.label if r.slot else r.document.path.name} from {r.document.path.name}"
        if n_problems:
            text += f" — {n_problems} problem(s)"
        self.status_label.setText(text)

    def _add_recent(self, path: str) -> None:
        settings = app_settings()
        recent = [p for p in read_list(settings, "recentFiles") if p != path]
        recent.insert(0, path)
        settings.setValue("recentFiles", recent[:MAX_RECENT])
        self.welcome.set_recent(recent[:MAX_RECENT])

    def recent_files(self) -> list[str]:
        return read_list(app_settings(), "recentFiles")

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        if not recent:
            a = self.recent_menu.addAction("(none)")
            a.setEnabled(False)
            return
        for p in recent:
            a = self.recent_menu.addAction(p)
            a.triggered.connect(lambda _=False, p=p: self.open_path(p))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear Recent Files", lambda: (app_settings().setValue("recentFiles", []),
                                                                 self.welcome.set_recent([])))

    def _restore_settings(self) -> None:
        self._default_state = self.saveState()
        settings = app_settings()
        geom = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geom, QByteArray) and not geom.isEmpty():
            self.restoreGeometry(geom)
        self._state_restored = isinstance(state, QByteArray) and not state.isEmpty() and self.restoreState(state)
        self.welcome.set_recent(self.recent_files())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not getattr(self, "_sized_docks", False):
            self._sized_docks = True
            if not self._state_restored:
                QTimer.singleShot(0, self._default_dock_sizes)

    def _default_dock_sizes(self) -> None:
        self.resizeDocks([self.saves_dock], [max(380, int(self.width() * 0.32))], Qt.Orientation.Horizontal)
        self.resizeDocks([self.problems_dock], [max(110, int(self.height() * 0.16))], Qt.Orientation.Vertical)

    def _reset_layout(self) -> None:
        if self._default_state is not None:
            self.restoreState(self._default_state)
        self._default_dock_sizes()
        self.saves_dock.show()
        self.problems_dock.show()
        self.events_dock.show()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.sync()
        for task in list(self._tasks.values()):
            task.detach()  # the loaded document would arrive at a closed window
        self._tasks.clear()
        if self._export_dialog is not None:
            self._export_dialog.finish_before_exit()
        self.metrics_panel.cancel()
        for w in (self.search_panel, self.state_inspector, self.domain_views):
            w.shutdown()
        super().closeEvent(event)

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        for p in paths:
            self.open_path(p)
        if paths:
            event.acceptProposedAction()
