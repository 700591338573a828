"""The main window: save browser, world-state inspector, domain views, timelines and charts.

Data flows one way: file → core loader (in a worker) → SaveDocument → Qt models → views.
The window is a thin view over :class:`inspector_app.core.session.Session` (what is open,
shown, failed, compared); it parses nothing itself.

Start-up is lazy (issue 13): the Tutorial Timeline and Metric History panels are built when their
tab is first shown (``LazyTabWidget``), and pyqtgraph is imported only then. Code that only
needs them when they exist uses ``self.tabs.panel(key)`` (None until built) or
``self.tabs.when_built(key, …)``; the ``transcript_panel``/``metrics_panel`` properties build.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.session import APP_NAME, MAX_RECENT, Session, SlotRow, visible_text
from inspector_app.resources import resource_path
from inspector_app.ui import filedialogs, theme
from inspector_app.ui.icons import app_icon, themed_icon
from inspector_app.ui.settings import app_settings, read_list
from inspector_app.ui.widgets.lazy_tabs import LazyTabWidget
from inspector_app.ui.workers import FOLLOW_UP_DELAY_MS, BackgroundTask, Priority

if TYPE_CHECKING:  # only in annotations; the views that use them import them when built (issue 13)
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QDialog, QFileDialog, QProgressBar, QSplitter

    from inspector_app.core.loading.document import Problem, SaveDocument

DEMO_PROFILE = resource_path("demo", "demo-profile.localStorage.json")
SUMMARY, WORLD_STATE, TRANSCRIPT, METRICS = "summary", "worldstate", "transcript", "metrics"
FOLLOWED = "followed"
FOLLOW_SHORTCUT = "Ctrl+Shift+F"
PLAYTEST = "playtest"


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
        self._level = "info"
        self._label: QLabel | None = None  # the text and close button: made with the first message
        self.hide()

    def _build(self) -> QLabel:
        from PySide6.QtWidgets import QToolButton  # imported here: not at start-up (issue 13)

        self._label = QLabel(self)
        self._label.setObjectName("messageBannerText")
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss message")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        lay.addWidget(self._label, 1)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        return self._label

    def show_message(self, text: str, level: str = "error") -> None:
        self._level = level if level in ("error", "warning", "info") else "info"
        self._restyle()
        label = self._label if self._label is not None else self._build()
        label.setText(text)
        self.show()

    def _restyle(self) -> None:
        name = {"error": "bad", "warning": "warning", "info": "info"}[self._level]
        colours = theme.value_colors()
        fg, bg = colours[name].name(), colours[name + "_bg"].name()
        self.setStyleSheet(f"#messageBanner {{ background: {bg}; border: 1px solid {fg}; border-radius: 4px; }}"
                           f" #messageBannerText {{ color: {fg}; }}")

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange and self.isVisible():
            self._restyle()

    def text(self) -> str:
        return self._label.text() if self._label is not None and self.isVisible() else ""


class _WelcomePage(QWidget):
    sigOpenRequested = Signal()
    sigOpenBrowser = Signal()
    sigOpenDemo = Signal()
    sigOpenRecent = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.setAccessibleName("Welcome")
        title = QLabel("<h1>Telemetry Inspector</h1>"
                       "<p>Saves, world state, tutorial timelines and benchmark history of "
                       "<i>The Memory Syndicate</i>.</p>"
                       "<p>Open the saves where the browser keeps them, a whole-profile localStorage export, "
                       "a single save, an inspector summary, an exported summary or a folder of benchmark "
                       "results — or drop files here.</p>", self)
        title.setWordWrap(True)
        open_btn = QPushButton("Open file…", self)
        open_btn.setObjectName("welcomeOpen")
        open_btn.clicked.connect(self.sigOpenRequested)
        browser_btn = QPushButton("Open browser saves…", self)
        browser_btn.setObjectName("welcomeBrowser")
        browser_btn.setToolTip("The game's saves straight from a Chromium or Firefox profile (Ctrl+Shift+B)")
        browser_btn.clicked.connect(self.sigOpenBrowser)
        demo_btn = QPushButton("Open demo profile", self)
        demo_btn.setObjectName("welcomeDemo")
        demo_btn.clicked.connect(self.sigOpenDemo)
        demo_btn.setEnabled(DEMO_PROFILE.exists())
        self._recent_box = QVBoxLayout()
        self._recent_box.setSpacing(0)
        buttons = QHBoxLayout()
        buttons.addWidget(open_btn)
        buttons.addWidget(browser_btn)
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
            link.setObjectName("welcomeRecent")
            link.setFlat(True)
            link.setCursor(Qt.CursorShape.PointingHandCursor)
            link.setForegroundRole(link.palette().ColorRole.Link)
            link.setStyleSheet("text-align: left; color: palette(link);")
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
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.session = Session(recent=read_list(app_settings(), "recentFiles"))
        self._tasks: dict[str, BackgroundTask] = {}
        self._side_tasks: set[BackgroundTask] = set()   # other work shown in the status bar (Copy Value)
        self._finishing: set[str] = set()   # opened files whose GUI slices have not all run yet
        self._recent_pending: list[str] | None = None   # recent files not yet written (see _store_recent)
        self._compare_dialog = None
        self._browser_dialog = None
        self._export_dialog = None
        self._user_hidden_docks: set[str] = set()
        self._docks_sized: set[str] = set()
        self._state_restored = False
        self.theme = theme.controller()

        self._follower = None   # made right after the first paint (see follower)
        self._open_path_warmed = False   # see _warm_open_path
        self._first_rows_shown: dict[str, threading.Event] = {}   # see _compress_sections
        self.read_stamps: dict[str, object] = {}   # input path -> core.browser.stamp of what its last load read
        self._build_actions()
        self._build_central()
        self._build_docks()
        self._build_menus()
        self._build_status()
        self._restore_settings()
        self._sync()
        self.installEventFilter(self)  # until the first paint: then the work that can wait runs

    # ------------------------------------------------------------------ after the first paint
    def _after_first_paint(self) -> None:
        """What the first frame does not show, made as soon as it is painted (issue 13): before
        anyone could use it, and also on demand before that (the properties, findChild)."""
        self.follower  # noqa: B018 - builds it
        from inspector_app.ui.workers import gui_thread_gc

        collector = gui_thread_gc()
        if collector is not None:
            collector.settle()   # the start-up heap out of later collections (ui/workers)
        if not self._open_path_warmed:
            self._open_path_warmed = True
            QTimer.singleShot(self.WARM_OPEN_PATH_AFTER_MS, self, self._warm_open_path)

    #: The window is idle this long after its first paint before the first open's modules are
    #: imported in the worker (no one opens a file sooner by hand; a command-line open is
    #: already loading and imports them itself).
    WARM_OPEN_PATH_AFTER_MS = 250

    @staticmethod
    def _warm_open_path() -> None:
        """The first open's modules (the loader and what it imports, ~10 ms of the worker) are
        imported while the window is idle, at the lowest priority, instead of on the first
        open's critical path (issue 13: first rows of the 50 MB save; ``benchmarks/
        open_document.py --timeline``). Nothing when an open has imported them already."""
        if "inspector_app.core.loading.loader" in sys.modules:
            return

        def work(_progress, _cancelled):
            import html  # noqa: F401 - the slot details' escaping (see open_path)

            from inspector_app.core.browser import stamp  # noqa: F401 - Follow Live's stamp (see open_path)
            from inspector_app.core.common.textsafe import visible
            from inspector_app.core.loading import loader  # noqa: F401

            # its pattern, compiled on first use (~5 ms of the first `_show_row`). Not warmed:
            # the first QBrush(QColor) (PySide makes 7 enum classes, ~3 ms of the tree's first
            # paint) — made in the worker it raised a 50 MB save's peak memory by ~4 MB
            visible("")

        BackgroundTask(work, name="warm the open path").start(priority=Priority.BACKGROUND)

    @property
    def follower(self):
        """Follow live (ui/browser/follow.py): reloads opened inputs when they change on disk.
        Made after the first paint (its module, watcher and File menu action are not needed for
        it), or earlier by whatever asks for it — the File menu, the first loaded document."""
        if self._follower is None:
            from inspector_app.ui.browser.follow import LiveFollower

            self._follower = LiveFollower(self)
            self.file_menu.insertAction(self.actionDemo, self._follower.action)
        return self._follower

    # ------------------------------------------------------------------ construction
    def _build_actions(self) -> None:
        def action(name, text, slot, shortcut=None, tip="", icon=None):
            a = QAction(text, self)
            a.setObjectName(name)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            if icon:
                a.setIcon(themed_icon(*icon))
            a.setStatusTip(tip or text.replace("&", "").rstrip("…"))
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        self.actionOpen = action("actionOpen", "&Open…", self._open_dialog, QKeySequence.StandardKey.Open,
                                 "Open a profile export, save, inspector summary or exported summary",
                                 ("document-open", "open"))
        self.actionOpenBrowser = action("actionOpenBrowserProfile", "Open &Browser Profile…",
                                        self._open_browser_dialog, "Ctrl+Shift+B",
                                        "Open the game's saves straight from a browser profile's localStorage",
                                        ("web-browser", "browser"))
        self.actionOpenMetrics = action("actionOpenMetricsFolder", "Open &Metrics Folder…", self._open_metrics_dialog,
                                        "Ctrl+Shift+M", "Ingest a folder of benchmark and telemetry results",
                                        ("folder-open", "metrics-folder"))
        self.actionOpenPlaytest = action("actionOpenPlaytestFolder", "Open &Playtest Folder…", self._open_playtest_dialog,
                                         "Ctrl+Shift+P", "Read a folder of players' profiles as one playtest report",
                                         ("folder-open", "open"))
        self.actionExport = action("actionExport", "&Export Report…", self._export, "Ctrl+E",
                                   "Write JSON/CSV/Markdown reports of the current save through the export pipeline",
                                   ("document-save-as", "export"))
        self.actionCompare = action("actionCompare", "&Compare Saves…", self._compare, "Ctrl+D",
                                    "Show what changed between two saves", ("view-dual", "compare"))
        self.actionReload = action("actionReload", "&Reload", self._reload_current, QKeySequence.StandardKey.Refresh,
                                   "Read the current file again from disk", ("view-refresh", "reload"))
        self.actionClose = action("actionCloseFile", "&Close File", self._close_current, "Ctrl+W",
                                  "Close the file of the selected slot", ("document-close", "close"))
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)  # empty on some desktops
        self.actionQuit = action("actionQuit", "&Quit", self.close, quit_keys[0] if quit_keys else "Ctrl+Q")
        self.actionDemo = action("actionOpenDemo", "Open &Demo Profile", lambda: self.open_path(DEMO_PROFILE))
        self.actionFind = action("actionFind", "&Find in World State", self._focus_search, QKeySequence.StandardKey.Find,
                                 icon=("edit-find", "find"))
        self.actionResetLayout = action("actionResetLayout", "Reset &Layout", self._reset_layout)
        self.actionShortcuts = action("actionShortcuts", "&Keyboard Shortcuts", self.show_shortcuts,
                                      "Ctrl+/", "List every action and its keyboard shortcut")
        self.actionAbout = action("actionAbout", "&About Telemetry Inspector", self._about)
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode, text in ((theme.ThemeMode.SYSTEM, "&System"), (theme.ThemeMode.LIGHT, "&Light"),
                           (theme.ThemeMode.DARK, "&Dark")):
            a = QAction(text, self, checkable=True)
            a.setObjectName(f"actionTheme{mode.value.title()}")
            a.setStatusTip(f"Colours: {text.replace('&', '').lower()}" + (" (follow the desktop)" if mode == theme.ThemeMode.SYSTEM else ""))
            a.setChecked(self.theme.mode == mode)
            a.triggered.connect(lambda _=False, m=mode: self.theme.set_mode(m))
            group.addAction(a)
            self.theme_actions[mode.value] = a
        self.theme.sigModeChanged.connect(self._on_theme_mode_changed)  # a method: dropped with the window

    def _on_theme_mode_changed(self, mode: str) -> None:
        self.theme_actions[mode].setChecked(True)

    def _build_central(self) -> None:
        self.banner = _Banner(self)
        self._search_panel = None
        self._state_inspector = None
        self.inspector_splitter: QSplitter | None = None
        self._inspector_sized = False

        # Every tab is built when first needed: at start-up the welcome page is showing
        self.tabs = LazyTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setAccessibleName("Views")
        self.tabs.setDocumentMode(True)
        self.tabs.add_lazy_tab(SUMMARY, "Save Summary", self._make_summary_panel)
        self.tabs.add_lazy_tab(WORLD_STATE, "World State", self._make_world_state_page)
        self.tabs.add_lazy_tab(TRANSCRIPT, "Tutorial Timeline", self._make_transcript_panel, scroll=True, plots=True)
        self.tabs.add_lazy_tab(METRICS, "Metric History", self._make_metrics_panel, scroll=True, plots=True)
        self.tabs.add_lazy_tab(FOLLOWED, "Followed Values", self._make_followed_panel, plots=True)
        self.tabs.add_lazy_tab(PLAYTEST, "Playtest", self._make_playtest_panel, scroll=True, plots=True)
        self.tabs.currentChanged.connect(lambda _i: self._sync())

        self.welcome = _WelcomePage(self)
        self.welcome.sigOpenRequested.connect(self._open_dialog)
        self.welcome.sigOpenDemo.connect(lambda: self.open_path(DEMO_PROFILE))
        self.welcome.sigOpenBrowser.connect(lambda: self.actionOpenBrowser.trigger())
        self.welcome.sigOpenRecent.connect(self.open_path)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        self.stack.currentChanged.connect(self._focus_after_welcome)

        central = QWidget(self)
        lay = QVBoxLayout(central)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.addWidget(self.banner)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    # -- lazy panels -------------------------------------------------------------------
    def _make_summary_panel(self, parent: QWidget) -> QWidget:
        from inspector_app.ui.worldstate.domain_views import DomainViewsPanel

        panel = DomainViewsPanel(parent)
        panel.setAccessibleName("Save summary")
        panel.sigFollowRequested.connect(self.follow_values)   # natural pins (core/pins/natural.py)
        return panel

    def _make_world_state_page(self, parent: QWidget) -> QWidget:
        from PySide6.QtWidgets import QSplitter

        from inspector_app.ui.widgets.search_panel import SearchPanel
        from inspector_app.ui.widgets.state_inspector import StateInspector

        split = QSplitter(Qt.Orientation.Horizontal, parent)
        split.setObjectName("inspectorSplitter")
        self._search_panel = SearchPanel(split)
        self._search_panel.setAccessibleName("Search the world state")
        self._search_panel.sigRevealRequested.connect(self._reveal_in_tree)
        self._state_inspector = StateInspector(split, follow_shortcut=FOLLOW_SHORTCUT)
        self._state_inspector.setAccessibleName("World state tree and details")
        self._state_inspector.sigFollowRequested.connect(lambda pin: self.follow_values([pin]))
        self._state_inspector.sigTaskStarted.connect(self._track_task)
        split.addWidget(self._search_panel)
        split.addWidget(self._state_inspector)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.installEventFilter(self)  # sized for its real width when first shown
        self.inspector_splitter = split
        return split

    @property
    def domain_views(self):
        """The Save Summary panel (built now if it was never shown)."""
        return self.tabs.ensure(SUMMARY)

    @property
    def search_panel(self):
        """The World State search panel (built now with its tab if needed)."""
        self.tabs.ensure(WORLD_STATE)
        return self._search_panel

    @property
    def state_inspector(self):
        """The World State tree and details (built now with its tab if needed)."""
        self.tabs.ensure(WORLD_STATE)
        return self._state_inspector

    @property
    def inspector_page(self) -> QWidget:
        return self.tabs.page(WORLD_STATE)

    def ensure_views(self) -> None:
        """Build the Save Summary and World State tabs and the save list and Problems panel (they
        are built lazily, when first shown or first given a document), and what waits for the
        first paint (the follower and its File menu action)."""
        self.tabs.ensure(SUMMARY)
        self.tabs.ensure(WORLD_STATE)
        self._saves_part("_slot_list")
        self.problems_panel  # noqa: B018 - builds the panel
        self._after_first_paint()

    def findChild(self, *args, **kwargs):  # noqa: N802 - Qt API
        """As QObject.findChild, with the automation surface (``stateTree``, ``stateSearch``, …)
        present from the start: the lazily built World State/Summary tabs are built first.
        The plot tabs are not: their names exist once the tab was shown."""
        self.ensure_views()
        return super().findChild(*args, **kwargs)

    def findChildren(self, *args, **kwargs):  # noqa: N802 - Qt API
        self.ensure_views()
        return super().findChildren(*args, **kwargs)

    def _make_transcript_panel(self, parent: QWidget) -> QWidget:
        from inspector_app.ui.transcript import TranscriptPanel

        panel = TranscriptPanel(parent)
        panel.setAccessibleName("Tutorial timeline")
        panel.sigStatus.connect(lambda _text: self._sync_status())
        doc = self._transcript_document()
        if doc is not None:
            panel.set_sources_from_document(doc)
        return panel

    def _make_metrics_panel(self, parent: QWidget) -> QWidget:
        from inspector_app.ui.metrics import MetricHistoryPanel

        panel = MetricHistoryPanel(parent)
        panel.setAccessibleName("Metric history")
        panel.sigOpenRunFile.connect(self._open_run_file)
        status_signal = getattr(panel, "sigStatus", None) or getattr(panel, "sigStatusChanged", None)
        if status_signal is not None:
            status_signal.connect(lambda *_a: self._sync_status())
        for name in ("sigIngestFinished", "sigIngestFailed"):
            getattr(panel, name).connect(lambda *_a: self._sync_status())
        return panel

    # -- playtest (issue 15): the page is ui/playtest; here only its tab, action and "open a player" --
    def _make_playtest_panel(self, parent: QWidget) -> QWidget:
        from inspector_app.ui.playtest import PlaytestPanel

        panel = PlaytestPanel(parent)
        panel.setAccessibleName("Playtest")
        panel.sigOpenProfile.connect(self.open_profile_at)
        panel.sigStatus.connect(lambda _text: self._sync_status())
        return panel

    def _playtest_status(self) -> str | None:
        """What the Playtest page has read, while its tab is current."""
        panel = self.tabs.panel(PLAYTEST)
        if panel is None or self.stack.currentWidget() is not self.tabs or self.tabs.currentWidget() is not self.tabs.page(PLAYTEST):
            return None
        return panel.status_text()

    @property
    def playtest_panel(self):
        """The Playtest page (built now if its tab was never shown)."""
        return self.tabs.ensure(PLAYTEST)

    def _open_playtest_dialog(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.show_tab(PLAYTEST).ask_open_folder()

    def open_playtest(self, paths, *, add: bool = False) -> None:
        """Show the Playtest page and read these folders (``add``: beside the ones it has)."""
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.show_tab(PLAYTEST).open_sources(paths, add=add)

    def open_profile_at(self, path, slot: str = "") -> BackgroundTask | None:
        """Open a player's profile and show ``slot`` (its localStorage key or slot id); an open
        profile is only selected."""
        path = Path(path).expanduser()
        try:
            path = path.resolve()
        except OSError:
            pass
        doc = next((d for d in self.session.documents if d.path == path), None)
        if doc is not None:
            self.stack.setCurrentWidget(self.tabs)
            self._select_slot_of(doc, slot)
            self.tabs.show_tab(WORLD_STATE)
            return None
        task = self.open_path(path)
        if task is not None:
            task.sigFinished.connect(lambda d, slot=slot: (self._select_slot_of(d, slot), self.tabs.show_tab(WORLD_STATE)))
        return task

    def _select_slot_of(self, doc: SaveDocument, slot: str) -> None:
        """Select ``slot`` (key or slot id) of ``doc``; without one, its latest readable save."""
        chosen = next((s for s in doc.slots if slot and slot in (s.key, s.slot_id)), None)
        if chosen is None:
            dated = [s for s in doc.slots if s.has_payload and isinstance(s.timestamp, (int, float))]
            chosen = max(dated, key=lambda s: s.timestamp) if dated else None
        if chosen is not None:
            self._select_key((str(doc.path), chosen.key))
        else:
            self._select_first_row_of(doc)

    # -- followed values (issue 15; core/pins, ui/pins) ---------------------------------------
    @property
    def pin_board(self):
        """The followed values (core ``PinBoard``), read from settings on first use."""
        if getattr(self, "_pin_board", None) is None:
            from inspector_app.core.pins import PinBoard

            self._pin_board, problems = PinBoard.load(read_list(app_settings(), "pins/followed"))
            if problems:
                self.banner.show_message("Some followed values could not be read from the settings and were "
                                         "dropped: " + "; ".join(problems), "warning")
        return self._pin_board

    def _store_pins(self) -> None:
        app_settings().setValue("pins/followed", self.pin_board.dump())

    def follow_values(self, pins) -> None:
        """Follow ``pins`` across saves: add them, remember them, show the Followed Values tab."""
        from inspector_app.core.pins import MAX_PINS

        board = self.pin_board
        added = [p for p in pins if board.add(p)]
        self._store_pins()
        if pins and not added and len(board) >= MAX_PINS and not all(p in board for p in pins):
            self.banner.show_message(f"At most {MAX_PINS} values can be followed: remove one first.", "info")
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.show_tab(FOLLOWED).refresh()

    def _make_followed_panel(self, parent: QWidget) -> QWidget:
        from inspector_app.core.pins import save_refs
        from inspector_app.ui.pins.panel import FollowedValuesPanel

        panel = FollowedValuesPanel(self.pin_board, lambda: save_refs(self.session.documents),
                                    shortcut=FOLLOW_SHORTCUT, parent=parent)
        panel.setAccessibleName("Followed values")
        panel.sigPinsChanged.connect(self._store_pins)
        panel.sigOpenSave.connect(self.open_followed_save)
        return panel

    def _followed_saves_changed(self) -> None:
        """Saves opened, closed or reloaded (follow live): a built Followed Values tab extends
        its charts — now if it is showing, else when it is next shown."""
        panel = self.tabs.panel(FOLLOWED)
        if panel is not None:
            panel.saves_changed()

    def open_followed_save(self, key, pin) -> None:
        """A point of a followed value was clicked: select that save and reveal the value in World State."""
        self._pending_reveal = (key, pin)
        current = self.session.current
        if current is not None and current.key == key and \
                (current.slot is None or current.slot.is_materialised or current.slot.sections is not None):
            self._reveal_followed(self.session.current)
        else:
            self._select_key(key)

    def _reveal_followed(self, row) -> None:
        pending = getattr(self, "_pending_reveal", None)
        if pending is None or row.key != pending[0]:
            return
        self._pending_reveal = None
        from inspector_app.core.pins import concrete_path

        pin, slot = pending[1], row.slot
        if slot is not None and slot.sections is not None:
            # a big save read as a skeleton: the records on the pin's way are parsed in the worker
            task = BackgroundTask(lambda _progress, _cancelled: concrete_path(slot.payload, pin),
                                  name=f"find {pin.display_label}")
            task.sigFinished.connect(lambda path, row=row: self.session.current is row
                                     and self._reveal_concrete(pin, path))
            task.start(priority=Priority.USER)
            return
        self._reveal_concrete(pin, concrete_path(slot.payload if slot is not None else None, pin))

    def _reveal_concrete(self, pin, path) -> None:
        self.tabs.show_tab(WORLD_STATE)
        if path is not None:
            self._reveal_in_tree(path)
        else:
            self.statusBar().showMessage(f"{pin.display_label} is missing in this save.", 8000)

    @property
    def followed_panel(self):
        """The Followed Values panel (built now if its tab was never shown)."""
        return self.tabs.ensure(FOLLOWED)

    @property
    def transcript_panel(self):
        """The Tutorial Timeline panel (built now if its tab was never shown)."""
        return self.tabs.ensure(TRANSCRIPT)

    @property
    def metrics_panel(self):
        """The Metric History panel (built now if its tab was never shown)."""
        return self.tabs.ensure(METRICS)

    @property
    def transcript_page(self) -> QWidget:
        return self.tabs.page(TRANSCRIPT)

    @property
    def metrics_page(self) -> QWidget:
        return self.tabs.page(METRICS)

    def _transcript_document(self) -> SaveDocument | None:
        """The document whose transcript the timeline shows: the current row's, else the newest."""
        if self.session.current is not None:
            return self.session.current.document
        docs = self.session.documents
        return docs[-1] if docs else None

    def _build_docks(self) -> None:
        # The docks exist from the start (the View menu, the saved layout) but hide while they
        # have nothing to show; what they hold is built when first needed — shown, or asked for
        # through ``slot_list``/``slot_model``/…/``problems_panel`` — not for the first paint.
        self._slot_list = None
        self.saves_dock = QDockWidget("Saves", self)
        self.saves_dock.setObjectName("savesDock")
        self.saves_dock.visibilityChanged.connect(self._on_saves_dock_visibility)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.saves_dock)
        self._problems_panel = None
        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.visibilityChanged.connect(self._on_problems_dock_visibility)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        # Export events (live telemetry:* stream of each export): the panel is built when first
        # needed (an export, or the dock shown from the View menu), not at start-up
        self._export_events = None
        self.events_dock = QDockWidget("Export Events", self)
        self.events_dock.setObjectName("exportEventsDock")
        self.events_dock.visibilityChanged.connect(self._on_events_dock_visibility)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.events_dock)
        self.tabifyDockWidget(self.problems_dock, self.events_dock)
        self.problems_dock.raise_()
        self._has_export_events = False
        for dock in (self.saves_dock, self.problems_dock, self.events_dock):
            # a dock the user closes stays closed; one with nothing to show hides by itself
            dock.toggleViewAction().triggered.connect(
                lambda checked, name=dock.objectName(): self._on_dock_toggled(name, checked))
        self._default_state = None

    def _build_saves_view(self) -> None:
        """The save browser: filter, slot list and details of the selected slot."""
        from PySide6.QtCore import QSortFilterProxyModel
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTreeView

        from inspector_app.ui.models.slot_model import SORT_ROLE, MiddleElideDelegate, SlotTableModel

        self._slot_model = SlotTableModel(self)
        self._slot_model.set_documents(self.session.documents)
        self._slot_proxy = QSortFilterProxyModel(self)
        self._slot_proxy.setSourceModel(self._slot_model)
        self._slot_proxy.setSortRole(SORT_ROLE)
        self._slot_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._slot_proxy.setFilterKeyColumn(-1)
        slot_list = QTreeView(self)
        slot_list.setObjectName("slotList")
        slot_list.setAccessibleName("Saves")
        slot_list.setRootIsDecorated(False)
        slot_list.setUniformRowHeights(True)
        slot_list.setAlternatingRowColors(True)
        slot_list.setItemDelegateForColumn(SlotTableModel.COL_LABEL, MiddleElideDelegate(slot_list))
        slot_list.setSortingEnabled(True)
        slot_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        slot_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        slot_list.setModel(self._slot_proxy)
        slot_list.sortByColumn(SlotTableModel.COL_SAVED, Qt.SortOrder.DescendingOrder)
        header = slot_list.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in enumerate((26, 150, 120, 60, 135, 64, 54, 112, 64, 140, 200)):
            slot_list.setColumnWidth(col, width)
        slot_list.selectionModel().currentRowChanged.connect(self._on_slot_changed)
        self._slot_filter = QLineEdit(self)
        self._slot_filter.setObjectName("slotFilter")
        self._slot_filter.setAccessibleName("Filter saves")
        self._slot_filter.setPlaceholderText("Filter slots…")
        self._slot_filter.setClearButtonEnabled(True)
        self._slot_filter.textChanged.connect(self._slot_proxy.setFilterFixedString)
        self._slot_details = QLabel(self)
        self._slot_details.setObjectName("slotDetails")
        self._slot_details.setWordWrap(True)
        self._slot_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        saves = QWidget(self)
        lay = QVBoxLayout(saves)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self._slot_filter)
        lay.addWidget(slot_list, 1)
        lay.addWidget(self._slot_details)
        self._slot_list = slot_list
        self.saves_dock.setWidget(saves)

    def _saves_part(self, name: str):
        if self._slot_list is None:
            self._build_saves_view()
        return getattr(self, name)

    # the save browser's parts, built together on first use
    slot_model = property(lambda self: self._saves_part("_slot_model"), doc="The slots' table model.")
    slot_proxy = property(lambda self: self._saves_part("_slot_proxy"), doc="Sort/filter proxy of the slot list.")
    slot_list = property(lambda self: self._saves_part("_slot_list"), doc="The slot list (``slotList``).")
    slot_filter = property(lambda self: self._saves_part("_slot_filter"), doc="The slot list's filter field.")
    slot_details = property(lambda self: self._saves_part("_slot_details"), doc="Details of the selected slot.")

    def _on_saves_dock_visibility(self, visible: bool) -> None:
        if visible:
            self._saves_part("_slot_list")

    @property
    def problems_panel(self):
        """The Problems panel (built now if it was never needed)."""
        if self._problems_panel is None:
            from inspector_app.ui.widgets.problems_panel import ProblemsPanel

            panel = ProblemsPanel(self)
            panel.setAccessibleName("Problems")
            panel.sigProblemActivated.connect(self._on_problem_activated)
            panel.set_problems(self.session.problems(), self.session.documents)
            self._problems_panel = panel
            self.problems_dock.setWidget(panel)
        return self._problems_panel

    def _on_problems_dock_visibility(self, visible: bool) -> None:
        if visible:
            self.problems_panel  # noqa: B018 - builds the panel

    @property
    def export_events(self):
        """The export events panel (built now if it was never needed)."""
        if self._export_events is None:
            from inspector_app.ui.export.events_panel import ExportEventsPanel

            self._export_events = ExportEventsPanel(self.events_dock)
            self._export_events.setAccessibleName("Export events")
            self.events_dock.setWidget(self._export_events)
        return self._export_events

    def _on_events_dock_visibility(self, visible: bool) -> None:
        if visible:
            self.export_events  # noqa: B018 - builds the panel

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self.file_menu = bar.addMenu("&File")
        file_menu.setObjectName("menuFile")
        file_menu.aboutToShow.connect(self._after_first_paint)
        file_menu.addAction(self.actionOpen)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.actionOpenBrowser)
        # the follower's Follow Live action goes here (before Demo) when it is made: see follower
        file_menu.addAction(self.actionDemo)
        file_menu.addAction(self.actionOpenMetrics)
        file_menu.addAction(self.actionOpenPlaytest)
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
        theme_menu = view_menu.addMenu("&Theme")
        theme_menu.setObjectName("menuTheme")
        for a in self.theme_actions.values():
            theme_menu.addAction(a)
        view_menu.addSeparator()
        view_menu.addAction(self.actionResetLayout)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.actionShortcuts)
        help_menu.addSeparator()
        help_menu.addAction(self.actionAbout)

        tb = self.addToolBar("Main")
        tb.setObjectName("mainToolBar")
        tb.setIconSize(QSize(20, 20))
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addAction(self.actionOpen)
        tb.addAction(self.actionExport)
        tb.addAction(self.actionCompare)
        tb.addSeparator()
        tb.addAction(self.actionOpenMetrics)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.status_label = QLabel(self.session.status_text(), self)
        self.status_label.setObjectName("statusLoaded")
        self.status_label.setAccessibleName("Status")
        sb.addWidget(self.status_label, 1)
        self._progress: QProgressBar | None = None  # with its Cancel button: made by the first open

    def _load_progress(self) -> tuple[QProgressBar, QPushButton]:
        """The status bar's progress bar and Cancel button (hidden; built on first use)."""
        if self._progress is None:
            from PySide6.QtWidgets import QProgressBar

            progress = QProgressBar(self)
            progress.setObjectName("loadProgress")
            progress.setMaximumWidth(220)
            progress.setMinimumWidth(200)   # its size hint (~95 px) wrapped "Reading name.json" onto two lines
            progress.setTextVisible(True)
            progress.hide()
            cancel = QPushButton("Cancel", self)
            cancel.setObjectName("loadCancel")
            cancel.clicked.connect(self.cancel_loads)
            cancel.hide()
            self.statusBar().addPermanentWidget(progress)
            self.statusBar().addPermanentWidget(cancel)
            self._progress, self._cancel_button = progress, cancel
        return self._progress, self._cancel_button

    progress = property(lambda self: self._load_progress()[0], doc="The status bar's load progress bar.")
    cancel_button = property(lambda self: self._load_progress()[1], doc="The status bar's Cancel (loads) button.")

    # ------------------------------------------------------------------ public API
    def documents(self) -> list[SaveDocument]:
        return self.session.documents

    def current_row(self) -> SlotRow | None:
        return self.session.current

    def is_loading(self) -> bool:
        return bool(self._tasks or self._finishing)

    def open_path(self, path, origin: str | None = None) -> BackgroundTask | None:
        """Open a file (parsed in a worker; the window stays responsive) or a folder of metric
        results (the Metric History ingests it). Returns the file's task. ``origin``: for a
        browser profile folder, which origin's saves to open."""
        path = Path(path).expanduser()
        try:
            path = path.resolve()
        except OSError:
            pass
        key = str(path)
        if path.is_dir() and not _is_browser_storage(path):  # a folder of results: the metric history ingests it
            self.session.metrics_opened(key)
            self._store_recent()
            self.stack.setCurrentWidget(self.tabs)
            self.tabs.show_tab(METRICS).open_folder(key)
            self._sync()
            return None
        if key in self._tasks:
            return self._tasks[key]

        read: dict = {}

        def work(progress, cancelled):
            import html  # noqa: F401 - the slot details' escaping (_on_loaded): imported here, not there
            from inspector_app.core.browser.stamp import input_stamp
            from inspector_app.core.loading.loader import load_path  # imported by the first open

            # Follow Live compares with the stamp of what this load reads: taken before reading,
            # a write landing during the read (or before the follower watches) still differs
            read["stamp"] = input_stamp(path)
            return load_path(path, progress=progress, cancelled=cancelled, other_json=True, origin=origin)

        self._prepare_document_tabs()
        task = BackgroundTask(work, name=key)
        task.sigProgress.connect(self._on_progress)
        task.sigFinished.connect(lambda doc, read=read: self.read_stamps.update({str(doc.path): read.get("stamp")}))
        task.sigFinished.connect(lambda doc, key=key: self._on_loaded(key, doc))
        task.sigFailed.connect(lambda exc, key=key: self._on_load_failed(key, exc))
        task.sigCancelled.connect(lambda key=key: self._on_load_cancelled(key))
        task.sigDone.connect(lambda key=key: self._on_task_done(key))
        self._tasks[key] = task
        self.session.loading.add(key)
        self.progress.setRange(0, 0)
        self.progress.setFormat(f"Opening {path.name}…")
        self.progress.show()
        self.cancel_button.show()
        self._sync_status()
        task.start(priority=Priority.USER)
        return task

    def _prepare_document_tabs(self) -> None:
        """Before the first document arrives: the modules of the Save Summary and World State
        tabs, the save list and the Problems panel are imported in the worker (~50-250 ms of the
        GUI thread at the first open before), then each part is built in its own GUI event while
        the file loads."""
        if self._slot_list is not None and self._problems_panel is not None \
                and self.tabs.is_built(SUMMARY) and self.tabs.is_built(WORLD_STATE):
            return

        def work(_progress, _cancelled):
            import inspector_app.core.pins  # the Save Summary's natural pins
            import inspector_app.core.worldstate.views
            import inspector_app.ui.models.slot_model
            import inspector_app.ui.widgets.problems_panel
            import inspector_app.ui.widgets.search_panel
            import inspector_app.ui.widgets.state_inspector
            import inspector_app.ui.worldstate.domain_views  # noqa: F401

        task = BackgroundTask(work, name="prepare the document tabs")
        task.sigDone.connect(self._build_document_parts)   # a method: dropped with the window
        task.start(priority=Priority.USER + 1)

    def _build_document_parts(self, parts: tuple[str, ...] = ("saves", WORLD_STATE, SUMMARY, "problems")) -> None:
        """One part per event (each is ~10-40 ms of widget construction)."""
        if not parts:
            return
        if parts[0] == "saves":
            self._saves_part("_slot_list")
        elif parts[0] == "problems":
            self.problems_panel  # noqa: B018 - builds the panel
        else:
            self.tabs.ensure(parts[0])
        QTimer.singleShot(0, self, lambda: self._build_document_parts(parts[1:]))

    def replace_document(self, old: SaveDocument, new: SaveDocument) -> None:
        """Swap in a reloaded document (follow live); the selected slot stays selected, the
        timeline shows the new content in the same range, an open comparison compares again."""
        self.session.replace_document(old, new)
        self._refresh_documents()
        if self.tabs.is_built(TRANSCRIPT):
            panel = self.tabs.panel(TRANSCRIPT)
            if panel.source_document is old:
                panel.set_sources_from_document(new, keep_view=True)
        self._recompare_after_reload(old)
        self._sync_status()

    def cancel_loads(self) -> None:
        for task in list(self._tasks.values()) + list(self._side_tasks):
            task.cancel()

    # -- another worker task in the status bar's progress (Copy Value of a big node) ----------
    def _track_task(self, task: BackgroundTask, text: str) -> None:
        self._side_tasks.add(task)
        self.progress.setRange(0, 0)
        self.progress.setFormat(text)
        self.progress.show()
        self.cancel_button.show()
        task.sigProgress.connect(lambda done, total, _text, text=text: self._on_progress(done, total, f"{text} %p%"))
        task.sigDone.connect(lambda task=task: self._side_task_done(task))

    def _side_task_done(self, task: BackgroundTask) -> None:
        self._side_tasks.discard(task)
        if not self._tasks and not self._finishing and not self._side_tasks:
            self.progress.hide()
            self.cancel_button.hide()

    # ------------------------------------------------------------------ loading callbacks
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
        self.progress.setFormat(text or "Loading… %p%")

    def _on_task_done(self, key: str) -> None:
        self._tasks.pop(key, None)
        self.session.loading.discard(key)
        if key in self._finishing:
            return                      # the open's last slice hides the progress and syncs
        if not self._tasks and not self._finishing and not self._side_tasks:
            self.progress.hide()
            self.cancel_button.hide()
        self._sync()

    def _on_load_cancelled(self, key: str) -> None:
        self.session.loading.discard(key)
        self.statusBar().showMessage(f"Cancelled opening {Path(key).name}.", 8000)

    def _on_load_failed(self, key: str, exc: object) -> None:
        from inspector_app.core.loading.document import LoadError, Problem, Severity

        if isinstance(exc, LoadError):
            problem = exc.problem
        else:
            problem = Problem(Severity.ERROR, f"Internal error while reading the file: {type(exc).__name__}: {exc}",
                              file=key, code="internal_error")
        self.session.load_failed(key, problem)
        self.banner.show_message(f"Could not open {Path(key).name}: {problem.describe()}", "error")
        self._refresh_problems()
        self.sigLoadFailed.emit(key, problem)
        self._sync()

    # -- the open path after the worker returns (issue 13: never stall on a big save) -------------
    # The GUI thread's share of an open runs in short slices, each its own event, so a timer or a
    # paint can run between them: first the slot list and the selected slot's tree (the first
    # rows), then problems, docks and banner, then the recent-files write and the signal. The
    # file stays "loading" (``is_loading``) until the last slice has run.
    def _on_loaded(self, key: str, doc: SaveDocument) -> None:
        self._finishing.add(key)
        self.session.document_loaded(key, doc)
        self.slot_model.set_documents(self.session.documents)
        self.stack.setCurrentWidget(self.tabs)
        self._select_first_row_of(doc)
        # queued now, before the Save Summary build: started with that build, the file's buffer
        # outlived the start of it (peak memory 2.74x -> 3.78x the file); it waits for the first rows
        shown = self._compress_sections(doc)
        if shown is not None:
            self._first_rows_shown[key] = shown
        QTimer.singleShot(0, self, lambda key=key, doc=doc: self._on_loaded_views(key, doc))

    #: The compression waits at most this long for the first rows' paint (a GUI thread blocked
    #: in a test's ``wait()`` never sets it).
    COMPRESS_WAIT_S = 0.5

    @classmethod
    def _compress_sections(cls, doc: SaveDocument) -> threading.Event | None:
        """A big single save keeps its unparsed parts as text (core/loading/sections): the worker
        compresses that text (~10 %) and the file's buffer goes (issue 13: memory ≤ 3× the file).
        The task is queued at once, ahead of the Save Summary views' build, but waits for the
        returned event, which the open's last slice sets one event-loop turn later (after the
        first paint): its digest and zlib work (~200 ms of a CPU, GIL mostly free) competed
        with the GUI's slices and first paint for the machine's two cores (first rows of the
        50 MB pretty save 20-40 ms later on a loaded machine, ``open_document.py --timeline``)."""
        slots = [s for s in doc.slots if s.sections is not None]
        if not slots:
            return None
        shown = threading.Event()

        def work(_progress, cancelled):
            shown.wait(cls.COMPRESS_WAIT_S)
            return sum(s.compress_sections(cancelled) for s in slots)

        BackgroundTask(work, name=f"compress {doc.display_name}").start(priority=Priority.USER)
        return shown

    def _on_loaded_views(self, key: str, doc: SaveDocument) -> None:
        self._refresh_problems()
        self._followed_saves_changed()
        self._sync_timeline_source()
        from inspector_app.core.loading.document import Severity

        problems = doc.all_problems
        n_err = sum(p.severity == Severity.ERROR for p in problems)
        if n_err:
            self.banner.show_message(
                f"{doc.display_name}: {n_err} slot(s) or entries could not be read; the rest is usable. "
                "See the Problems panel.", "warning")
        elif problems:
            self.banner.show_message(f"{doc.display_name}: {len(problems)} notice(s)/warning(s) — see the Problems panel.", "info")
        else:
            self.banner.hide()
        self._sync()
        QTimer.singleShot(0, self, lambda key=key, doc=doc: self._on_loaded_done(key, doc))

    def _on_loaded_done(self, key: str, doc: SaveDocument) -> None:
        shown = self._first_rows_shown.pop(key, None)
        if shown is not None:     # the compression starts after the paint that follows this slice
            QTimer.singleShot(0, self, shown.set)
        self._store_recent()
        self._finishing.discard(key)
        self.follower  # noqa: B018 - made before the first document it follows, if not yet
        self.sigDocumentLoaded.emit(doc)
        if not self._tasks and not self._finishing and not self._side_tasks:
            self.progress.hide()
            self.cancel_button.hide()
        self._sync()

    def _refresh_problems(self) -> None:
        if self._problems_panel is not None:  # else it reads the session when it is built
            self._problems_panel.set_problems(self.session.problems(), self.session.documents)

    def _refresh_documents(self) -> None:
        current_key = self.session.current.key if self.session.current else None
        self.slot_model.set_documents(self.session.documents)
        self._refresh_problems()
        self._followed_saves_changed()
        if current_key:
            self._select_key(current_key)
        self._sync()

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
            from PySide6.QtCore import QItemSelectionModel

            self.slot_list.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.slot_list.scrollTo(idx)

    # ------------------------------------------------------------------ slot display
    def _on_slot_changed(self, current, _previous=None) -> None:
        from inspector_app.ui.models.slot_model import ROW_ROLE

        row = self.slot_proxy.data(current, ROW_ROLE) if current.isValid() else None
        if row is None:
            return
        self.session.select(row)
        if row.slot is not None and not row.slot.is_materialised and row.slot.sections is None:
            self._prefetch_then_show(row)
        else:
            self._show_row(row)

    def _prefetch_then_show(self, row: SlotRow) -> None:
        """A parked slot of a big profile is parsed again in a worker, then shown."""
        from inspector_app.ui.models.slot_model import format_size

        slot = row.slot
        self.status_label.setText(f"Reading slot {visible_text(slot.label)} ({format_size(slot.size_bytes)})…")
        self.state_inspector.set_document_value({}, f"{slot.label} (reading…)")
        self.search_panel.set_root({})
        self.domain_views.clear("Reading this slot…")
        task = BackgroundTask(lambda _progress, _cancelled: slot.payload is not None, name=f"slot {slot.key}")
        self._prefetch_task = task
        task.sigFinished.connect(lambda _ok, row=row: self.session.current is row and self._show_row(row))
        task.sigFailed.connect(lambda exc, row=row: self.banner.show_message(
            f"Could not read slot {visible_text(row.slot.label)}: {exc}", "error"))
        task.start(priority=Priority.USER)

    def _show_row(self, row: SlotRow) -> None:
        """Tree and search first (cheap: the model is lazy), then the summary views, whose data
        is built in a worker so the first rows paint without waiting for them."""
        doc, slot = row.document, row.slot
        # a big single save read as a skeleton (core/loading/sections): the tree parses its big
        # parts when expanded, search and the views read them in the worker
        sections = slot.sections if slot is not None else None
        if slot is None:
            value = doc.summary if doc.summary is not None else doc.root
            label = doc.path.name
        else:
            value = sections if sections is not None else slot.payload
            label = f"{visible_text(slot.label)} ({slot.key})"
        if value is None:
            self.state_inspector.set_document_value({}, label)
            self.search_panel.set_root({})
            msgs = "; ".join(p.describe() for p in (slot.problems if slot else doc.problems)) or "no data"
            self.banner.show_message(f"{label} cannot be shown: {msgs}", "error")
        else:
            self.state_inspector.set_document_value(value, label, sectioned=sections is not None)
            # a skeleton is searched as it is: its lazy parts are parsed a run at a time in the worker
            self.search_panel.set_root(value)
        if slot is None:
            self.domain_views.set_summary(doc.summary)
        elif sections is not None:
            self.domain_views.set_game_data(sections.get("gameData"), sections, background=True,
                                            size_bytes=slot.size_bytes, sectioned=True)
        elif slot.has_payload:
            self.domain_views.set_game_data(slot.game_data, slot.display_payload or slot.payload, background=True,
                                            size_bytes=slot.size_bytes)
        else:
            self.domain_views.clear()
        self.slot_details.setText(self._slot_details_text(row))
        self._sync(docks=False)   # showing a slot changes no dock's content
        self._reveal_followed(row)
        self._sync_timeline_source()
        self.sigSlotShown.emit(row)

    def _sync_timeline_source(self) -> None:
        """The Tutorial Timeline shows the shown row's document (after an open, or a slot of
        another file chosen in the save list), unless it follows a log. It rebuilds only if it
        exists; a hidden tab gets its document when built."""
        if not self.tabs.is_built(TRANSCRIPT):
            return
        panel = self.tabs.panel(TRANSCRIPT)

        def sync() -> None:
            doc = self._transcript_document()
            if doc is not None and doc is not panel.source_document and not panel.follow_button.isChecked():
                panel.set_sources_from_document(doc)

        QTimer.singleShot(FOLLOW_UP_DELAY_MS, panel, sync)   # context object: dropped if the panel is gone

    def _slot_details_text(self, row: SlotRow) -> str:
        from html import escape  # not needed for the first paint

        from inspector_app.ui.models.slot_model import format_size

        doc, slot = row.document, row.slot
        lines = [f"<b>{escape(doc.display_name)}</b> — {doc.kind.value}, {format_size(doc.size_bytes)}"]
        if slot is not None:
            where = ""
            if doc.kind.value == "profile":
                where = ", in the slot index" if slot.in_index else ", <b>not</b> in the slot index"
            lines.append(f"Slot <b>{escape(visible_text(slot.label))}</b> (<code>{escape(visible_text(slot.key))}</code>), "
                         f"{escape(slot.slot_type)}{where}")
            colours = theme.value_colors()
            for p in slot.problems[:4]:
                colour = colours[{"error": "bad", "warning": "warning"}.get(p.severity.value, "info")].name()
                lines.append(f"<span style='color:{colour}'>• {escape(p.message)}</span>")
        return "<br>".join(lines)

    def _reveal_in_tree(self, path) -> None:
        self.tabs.show_tab(WORLD_STATE)
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
        from PySide6.QtWidgets import QFileDialog

        dlg = QFileDialog(self, title)
        dlg.setObjectName("openDialog")
        filedialogs.apply_policy(dlg)
        dlg.setFileMode(mode)
        if name_filter:
            dlg.setNameFilter(name_filter)
        settings = app_settings()
        start = settings.value("lastOpenDir", "")
        if start and Path(str(start)).is_dir():
            dlg.setDirectory(str(start))
        return dlg

    def _open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        dlg = self._file_dialog("Open save, profile or summary", QFileDialog.FileMode.ExistingFiles,
                                "JSON files (*.json);;All files (*)")
        if dlg.exec():
            files = dlg.selectedFiles()
            if files:
                app_settings().setValue("lastOpenDir", str(Path(files[0]).parent))
            for f in files:
                self.open_path(f)

    def _open_browser_dialog(self) -> None:
        from inspector_app.ui.browser.open_dialog import open_browser_profile
        self._browser_dialog = open_browser_profile(self)

    def _open_metrics_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        dlg = self._file_dialog("Open a folder of benchmark / telemetry results", QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if dlg.exec():
            for f in dlg.selectedFiles():
                self.open_path(f)

    def _open_run_file(self, path) -> None:
        self.open_path(path)

    def _focus_search(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.show_tab(WORLD_STATE)
        from PySide6.QtWidgets import QLineEdit

        edit = self.search_panel.findChild(QLineEdit, "stateSearch")
        if edit is not None:
            edit.setFocus()
            edit.selectAll()

    def _tab_reload_action(self):
        """The shown tab's own Reload (Metric History: re-read the folder; Playtest: run again),
        or None: F5 / File ▸ Reload then reloads what that tab shows, not the open save."""
        if getattr(self, "stack", None) is None or self.stack.currentWidget() is not self.tabs:
            return None
        key = self.tabs.key_of(self.tabs.currentIndex())
        panel = self.tabs.panel(key) if key in (METRICS, PLAYTEST) else None
        return getattr(panel, "action_reload", None)

    def _reload_current(self) -> None:
        tab_reload = self._tab_reload_action()
        if tab_reload is not None:
            if tab_reload.isEnabled():
                tab_reload.trigger()
            return
        if self.session.current:
            self.open_path(self.session.current.document.path)

    def _close_current(self) -> None:
        if not self.session.current:
            return
        self.session.close_document(self.session.current.document)
        self._refresh_documents()
        docs = self.session.documents
        if docs:
            self._select_first_row_of(docs[-1])
        else:
            if self.tabs.is_built(WORLD_STATE):
                self.state_inspector.set_document_value({}, "")
                self.search_panel.set_root({})
            if self.tabs.is_built(SUMMARY):
                self.domain_views.clear()
            self.slot_details.setText("")
            if self.tabs.is_built(TRANSCRIPT):
                self.tabs.panel(TRANSCRIPT).clear()
            if not self.session.metrics_folder:
                self.stack.setCurrentWidget(self.welcome)
        self._sync()

    def _focus_after_welcome(self, _index: int) -> None:
        """The welcome page gave way to the first open saves: the keyboard goes to the save list
        (Up/Down walks the slots), not to the tab bar that Qt picks when the focused button hides.
        Focus the user put elsewhere meanwhile is left alone."""
        if self.stack.currentWidget() is not self.tabs or not self.session.documents:
            return

        def focus_saves() -> None:      # once the open has shown the Saves dock (``_sync``)
            focused = self.focusWidget()    # where Qt put it: the first tab bar of the shown page
            if focused is None or focused.inherits("QTabBar") or self.welcome.isAncestorOf(focused):
                self.slot_list.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, self, focus_saves)

    def _compare_rows(self) -> list[SlotRow]:
        return self.session.compare_rows()

    @staticmethod
    def _candidate_label(r: SlotRow) -> str:
        return f"{visible_text(r.slot.label)} — {r.document.display_name}"

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
        dlg.set_candidates(self.compare_candidates(), self.session.comparison_pair(rows))   # one comparison
        dlg.show()
        dlg.raise_()

    def _recompare_after_reload(self, old: SaveDocument) -> None:
        """An open comparison involving a reloaded document compares the new content (in the
        worker), keeping the same pair of slots when both still exist."""
        dlg = self._compare_dialog
        rows = getattr(self, "_compare_candidate_rows", [])
        if dlg is None or not dlg.isVisible() or not any(r.document is old for r in rows):
            return
        a, b = dlg.view.current_pair()
        keys = [rows[i].key if 0 <= i < len(rows) else None for i in (a, b)]
        new_rows = self._compare_rows()
        self._compare_candidate_rows = new_rows
        new_keys = [r.key for r in new_rows]
        pair = (new_keys.index(keys[0]), new_keys.index(keys[1])) \
            if keys[0] in new_keys and keys[1] in new_keys else None
        dlg.set_candidates(self.compare_candidates(), pair)     # one comparison, in the worker

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
        return self.session.export_source()

    def _export(self) -> None:
        source = self.export_source()
        if source is None:
            self.banner.show_message("Select a readable save, slot or summary to export.", "info")
            return
        from inspector_app.ui.export.export_dialog import ExportDialog

        if self._export_dialog is None:
            self._export_dialog = ExportDialog(self, events_panel=self.export_events)
            self._export_dialog.sigExportFinished.connect(self._on_export_finished)
        row = self.session.current
        self._export_dialog.set_source(*source, path=row.document.path if row is not None else None)  # never written over
        self._export_dialog.show()
        self._export_dialog.raise_()

    def _on_export_finished(self, _result) -> None:
        self._has_export_events = True
        self._sync_docks()
        self.events_dock.raise_()

    def _about(self) -> None:
        from inspector_app.ui.about import AboutDialog  # versions and licence notices (built on demand)

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(action, shortcut) of every action of the window that has a shortcut, from the actions
        themselves (so the list cannot drift from what the keys do)."""
        rows = []
        seen = set()
        for a in self.findChildren(QAction):
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts() if not k.isEmpty()]
            name = a.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()
            if not keys or not name or (name, tuple(keys)) in seen:
                continue
            seen.add((name, tuple(keys)))
            rows.append((name, ", ".join(keys)))
        return sorted(rows, key=lambda r: r[0].lower())

    def show_shortcuts(self) -> QDialog:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTreeWidget, QTreeWidgetItem

        dlg = QDialog(self)
        dlg.setObjectName("shortcutsDialog")
        dlg.setWindowTitle(f"Keyboard Shortcuts — {APP_NAME}")
        table = QTreeWidget(dlg)  # a short fixed list of actions, not save data
        table.setObjectName("shortcutsList")
        table.setAccessibleName("Keyboard shortcuts")
        table.setRootIsDecorated(False)
        table.setHeaderLabels(["Action", "Shortcut"])
        for name, keys in self.shortcut_rows():
            QTreeWidgetItem(table, [name, keys])
        table.resizeColumnToContents(0)
        table.setColumnWidth(0, table.columnWidth(0) + 24)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dlg)
        buttons.rejected.connect(dlg.reject)
        lay = QVBoxLayout(dlg)
        lay.addWidget(table)
        lay.addWidget(buttons)
        dlg.resize(460, 420)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    # ------------------------------------------------------------------ state → view
    def _sync(self, docks: bool = True) -> None:
        """Bring actions, title, status bar and docks in line with the session (``docks=False``:
        not the docks — showing one the first time lays out the whole window)."""
        s = self.session
        self.actionExport.setEnabled(s.export_source() is not None)
        self.actionCompare.setEnabled(s.can_compare)
        self.actionReload.setEnabled(s.current is not None or self._tab_reload_action() is not None)
        self.actionClose.setEnabled(s.current is not None)
        self.setWindowTitle(s.window_title())
        self._sync_status()
        if docks:
            self._sync_docks()

    def _metrics_status(self) -> str | None:
        """What the Metric History says is loaded, while its tab is current."""
        panel = self.tabs.panel(METRICS)
        if panel is None or self.stack.currentWidget() is not self.tabs or self.tabs.currentWidget() is not self.metrics_page:
            return None
        status = getattr(panel, "status_text", None)
        text = status() if callable(status) else status
        if isinstance(text, str) and text:
            return text
        folder = self.session.metrics_folder
        return f"Metric history of {folder}" if folder else "Metric History: no folder open — File ▸ Open Metrics Folder"

    def _sync_status(self) -> None:
        extra = None if self.session.loading else (self._metrics_status() or self._playtest_status())
        self.status_label.setText(self.session.status_text(extra))

    def _on_dock_toggled(self, name: str, visible: bool) -> None:
        if visible:
            self._user_hidden_docks.discard(name)
        else:
            self._user_hidden_docks.add(name)

    def _sync_docks(self) -> None:
        """Docks with nothing to show hide; they come back when they have something, unless the
        user closed them."""
        wanted = {
            self.saves_dock: self.session.has_saves or bool(self._tasks),
            self.problems_dock: self.session.problem_counts().total > 0,
            self.events_dock: self._has_export_events,
        }
        for dock, has_content in wanted.items():
            if not has_content:
                if dock.isVisible() or not dock.isHidden():
                    dock.hide()
            elif dock.objectName() not in self._user_hidden_docks and dock.isHidden():
                dock.show()
                if dock is self.problems_dock:
                    self.problems_dock.raise_()
                if not self._state_restored and dock.objectName() not in self._docks_sized:
                    # first appearance: give it its default share, not its (wide) size hint
                    self._docks_sized.add(dock.objectName())
                    QTimer.singleShot(0, self, self._default_dock_sizes)

    def _store_recent(self) -> None:
        """Remember the recent files. The settings file is written in the worker (QSettings is
        reentrant; its own atomic save): re-reading and writing it took 10–45 ms of the GUI
        thread at the end of every open. Until then ``recent_files`` answers from memory, and
        closing the window writes a pending list itself."""
        recent = self.session.recent.paths()
        self.welcome.set_recent(recent)
        self._recent_pending = recent

        def write(_progress, _cancelled, recent=recent):
            settings = app_settings()
            settings.setValue("recentFiles", recent)
            settings.sync()

        def written(recent=recent):
            if self._recent_pending is recent:
                self._recent_pending = None

        task = BackgroundTask(write, name="recent files")
        task.sigDone.connect(written)
        task.start(priority=Priority.BACKGROUND)

    def recent_files(self) -> list[str]:
        if self._recent_pending is not None:
            return list(self._recent_pending)
        return read_list(app_settings(), "recentFiles")

    def _clear_recent(self) -> None:
        self.session.recent.clear()
        self._store_recent()

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
        self.recent_menu.addAction("Clear Recent Files", self._clear_recent)

    def _restore_settings(self) -> None:
        self._default_state = self.saveState()
        settings = app_settings()
        geom = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geom, QByteArray) and not geom.isEmpty():
            self.restoreGeometry(geom)
        self._state_restored = isinstance(state, QByteArray) and not state.isEmpty() and self.restoreState(state)
        self._user_hidden_docks = set(read_list(settings, "window/closedDocks"))
        self.welcome.set_recent(self.session.recent.paths())

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not getattr(self, "_sized_docks", False):
            self._sized_docks = True
            if not self._state_restored:
                QTimer.singleShot(0, self, self._default_dock_sizes)

    def _default_dock_sizes(self) -> None:
        """The working view gets the room: the save list about a quarter of the width, the
        bottom docks a few rows."""
        self.resizeDocks([self.saves_dock], [max(250, min(400, int(self.width() * 0.22)))], Qt.Orientation.Horizontal)
        self.resizeDocks([self.problems_dock], [max(130, int(self.height() * 0.19))], Qt.Orientation.Vertical)
        if self.inspector_splitter is not None and self.inspector_splitter.isVisible():
            self._size_inspector_page()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self and event.type() == QEvent.Type.Paint:
            self.removeEventFilter(self)
            QTimer.singleShot(0, self, self._after_first_paint)
        elif obj is self.inspector_splitter and event.type() == QEvent.Type.Show and not self._inspector_sized:
            self._inspector_sized = True
            QTimer.singleShot(0, self, self._size_inspector_page)
        return super().eventFilter(obj, event)

    def _size_inspector_page(self) -> None:
        """Search results need ~260 px; the tree and its details get the rest."""
        split = self.inspector_splitter
        width = split.width()
        search = max(220, min(300, int(width * 0.24)))
        split.setSizes([search, max(300, width - search)])

    def _reset_layout(self) -> None:
        if self._default_state is not None:
            self.restoreState(self._default_state)
        self._user_hidden_docks.clear()
        self._default_dock_sizes()
        self._sync_docks()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/closedDocks", sorted(self._user_hidden_docks))
        if self._finishing or self._recent_pending is not None:   # not written yet
            settings.setValue("recentFiles", self.session.recent.paths())
            self._finishing.clear()
            self._recent_pending = None
        settings.sync()
        for task in list(self._tasks.values()):
            task.detach()  # the loaded document would arrive at a closed window
        self._tasks.clear()
        if self._export_dialog is not None:
            self._export_dialog.finish_before_exit()
        for key in (METRICS, PLAYTEST):
            panel = self.tabs.panel(key)
            if panel is not None:
                panel.cancel()
        built = [self.tabs.panel(SUMMARY), self._search_panel, self._state_inspector, self.tabs.panel(FOLLOWED)]
        for w in built:
            if w is not None:
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
