"""PlaytestPanel: one page for a whole playtest (issue 15).

A thin view over :class:`~inspector_app.core.playtest.page.PlaytestPage` (inputs, scheduler,
the last run's report, the players filter, every table as cells). The aggregation is the core's
``run_playtest`` (process pool, cache, or a Dask scheduler), run in a :class:`BackgroundTask`
with progress and cancel; nothing here reads a profile.

Top: the inputs, the scheduler field (empty = the local pool; remembered) and the headline
(players, bad profiles, tutorial outcome, playtime, saves — each number a link). Left: sections
(tutorial funnel chart + step times + table, quests and cases, factions, standouts, bad profiles).
Right: the players list, filtered to whatever number was clicked; a click on a player's name
opens their profile in the main window (``sigOpenProfile(path, slot)``).
"""
from __future__ import annotations

import time
from functools import partial
from html import escape
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QSizePolicy, QSplitter, QTableView, QTabWidget, QToolBar,
                               QToolButton, QVBoxLayout, QWidget)

from inspector_app.core.common.textsafe import visible
from inspector_app.core.common.timefmt import format_duration_ms
from inspector_app.core.playtest.page import ALL_PLAYERS, Cell, PlayerFilter, PlaytestPage
from inspector_app.ui import filedialogs, theme
from inspector_app.ui.settings import app_settings
from inspector_app.ui.widgets.status_line import StatusLine
from inspector_app.ui.workers import BackgroundTask, Priority

from .charts import DistributionChart, FunnelChart
from .models import CellTableModel

SCHEDULER_KEY = "playtest/scheduler"
LAST_FOLDER_KEY = "playtest/lastFolder"
FUNNEL, QUESTS, FACTIONS, STANDOUTS, BAD = range(5)


def _run(sources: list[str], scheduler: str | None, workers: int | None, progress, cancelled):
    """The worker's job: the core's whole run (discover, summarise in the pool / on Dask, merge)."""
    from inspector_app.core.playtest import run_playtest

    started = time.monotonic()
    kwargs = {"workers": workers} if workers is not None else {}
    run = run_playtest(sources, scheduler=scheduler, progress=progress, cancelled=cancelled, **kwargs)
    return run, time.monotonic() - started


def _table_view(name: str, accessible: str, parent: QWidget, *, sortable: bool = True) -> tuple[QTableView, CellTableModel]:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    model = CellTableModel(view)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    if sortable:
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)   # the report's order until a header is clicked
        view.setSortingEnabled(True)
    view.setMouseTracking(True)
    return view, model


def _split(orientation: Qt.Orientation, first: QWidget, second: QWidget, sizes: tuple[int, int],
           parent: QWidget) -> QSplitter:
    """Two views side by side (or one over the other), 3 : 2, neither collapsible."""
    split = QSplitter(orientation, parent)
    split.addWidget(first)
    split.addWidget(second)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    split.setChildrenCollapsible(False)
    split.setSizes(list(sizes))
    return split


class PlaytestPanel(QWidget):
    """The Playtest tab. Public API: ``open_sources(paths, add=False)``, ``reload()``, ``cancel()``,
    ``show_players(filter)``, ``export_report(folder, formats, overwrite)``; ``page`` is the state."""

    sigOpenProfile = Signal(str, str)        # path, slot
    sigRunFinished = Signal(object)          # PlaytestRun
    sigRunFailed = Signal(str)
    sigRunCancelled = Signal()
    sigPlayersShown = Signal(object)         # PlayerFilter
    sigExportFinished = Signal(object)       # the core's write result
    sigStatus = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, workers: int | None = None):
        super().__init__(parent)
        self.setObjectName("playtestPanel")
        settings = app_settings()
        self.page = PlaytestPage(scheduler_text=str(settings.value(SCHEDULER_KEY, "") or ""))
        self.workers = workers
        self._task: BackgroundTask | None = None
        self._pending = False
        self._export_dialog = None
        self._build_ui()
        self._refresh()

    # ======================================================================== construction
    def _build_ui(self) -> None:
        self.toolbar = QToolBar("Playtest", self)
        self.toolbar.setIconSize(QSize(16, 16))
        self.action_open = self._action("Open Folder…", self.ask_open_folder, "Read a folder of players' profiles")
        self.action_add = self._action("Add Folder…", lambda: self.ask_open_folder(add=True),
                                       "Add another folder of profiles to this playtest")
        self.action_reload = self._action("Reload", self.reload,
                                          "Read the folders again (only new or changed profiles are read)")
        self.toolbar.addSeparator()
        self.toolbar.addWidget(QLabel(" Scheduler: ", self))
        self.scheduler_edit = QLineEdit(self.page.scheduler_text, self)
        self.scheduler_edit.setObjectName("playtestScheduler")
        self.scheduler_edit.setAccessibleName("Dask scheduler address")
        self.scheduler_edit.setPlaceholderText("local pool — or tcp://HOST:PORT")
        self.scheduler_edit.setToolTip("Empty: this computer's cores. A Dask scheduler address (tcp://HOST:PORT) "
                                       "sends the per-profile work to that cluster's workers.")
        self.scheduler_edit.setClearButtonEnabled(True)
        self.scheduler_edit.setMinimumWidth(220)
        self.scheduler_edit.setMaximumWidth(300)
        self.scheduler_edit.editingFinished.connect(self._on_scheduler_edited)
        self.toolbar.addWidget(self.scheduler_edit)
        self.toolbar.addSeparator()
        self.action_export = self._action("Export Report…", self.ask_export,
                                          "Write the playtest report (Markdown, CSV, PNG charts, JSON)")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("playtestProgress")
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(True)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("playtestCancel")
        self.cancel_button.setText("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.toolbar.addSeparator()
        self.progress_action = self.toolbar.addWidget(self.progress)
        self.cancel_action = self.toolbar.addWidget(self.cancel_button)
        self.progress_action.setVisible(False)
        self.cancel_action.setVisible(False)

        self.sources_label = QLabel(self)
        self.sources_label.setObjectName("playtestSources")
        self.sources_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label = StatusLine("playtestError", self, boxed=True)   # plain text: a message, shown as written
        self.error_label.hide()
        self.headline = QLabel(self)
        self.headline.setObjectName("playtestHeadline")
        self.headline.setAccessibleName("Playtest summary")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                              | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.headline.linkActivated.connect(self._on_headline_link)

        # -- sections
        self.sections = QTabWidget(self)
        self.sections.setObjectName("playtestSections")
        self.sections.setDocumentMode(True)

        self.funnel_chart = FunnelChart(self)
        self.step_time_chart = DistributionChart("playtestStepTimePlot", self, duration=True, x_label="time on the step",
                                                 title="Time on each step (log scale)",
                                                 value_text=format_duration_ms, empty="No step times yet")
        self.step_time_chart.setAccessibleName("Time per tutorial step")
        self.funnel_table, self.funnel_model = _table_view("playtestFunnelTable", "Tutorial funnel table", self)
        charts = _split(Qt.Orientation.Horizontal, self.funnel_chart, self.step_time_chart, (450, 300), self)
        funnel_page = _split(Qt.Orientation.Vertical, charts, self.funnel_table, (340, 220), self)
        funnel_page.setObjectName("playtestFunnelPage")
        self.sections.addTab(funnel_page, "Tutorial funnel")

        self.quest_table, self.quest_model = _table_view("playtestQuestTable", "Quest and case completion", self)
        self.sections.addTab(self.quest_table, "Quests && cases")

        self.faction_chart = DistributionChart("playtestFactionPlot", self, x_label="reputation (fame − infamy) at the latest save",
                                               title="Reputation per faction, one point per player",
                                               value_text=lambda v: f"{v:g}", empty="No faction reputation in these saves")
        self.faction_chart.setAccessibleName("Faction reputation per faction")
        self.faction_table, self.faction_model = _table_view("playtestFactionTable", "Faction reputation table", self)
        faction_page = _split(Qt.Orientation.Vertical, self.faction_chart, self.faction_table, (320, 240), self)
        self.sections.addTab(faction_page, "Factions")

        self.standout_table, self.standout_model = _table_view("playtestStandoutTable", "Players that stand out", self)
        self.sections.addTab(self.standout_table, "Standouts")
        self.bad_table, self.bad_model = _table_view("playtestBadProfiles", "Bad profiles and their problems", self)
        self.bad_table.setWordWrap(False)
        self.sections.addTab(self.bad_table, "Bad profiles")
        self._unsized: set[QTableView] = set()
        self.sections.currentChanged.connect(lambda _i: self._fit_current_section())

        # -- players
        self.players_label = QLabel(self)
        self.players_label.setObjectName("playtestPlayersTitle")
        self.players_label.setWordWrap(True)
        self.show_all_button = QPushButton("Show all", self)
        self.show_all_button.setObjectName("playtestShowAll")
        self.show_all_button.clicked.connect(lambda: self.show_players(ALL_PLAYERS))
        self.players_table, self.players_model = _table_view("playtestPlayers", "Players", self)
        players_head = QHBoxLayout()
        players_head.setContentsMargins(0, 0, 0, 0)
        players_head.addWidget(self.players_label, 1)
        players_head.addWidget(self.show_all_button, 0, Qt.AlignmentFlag.AlignTop)
        players = QWidget(self)
        players.setObjectName("playtestPlayersPane")
        pl = QVBoxLayout(players)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(2)
        pl.addLayout(players_head)
        pl.addWidget(self.players_table, 1)
        hint = QLabel("Click a number to list its players; click a name to open the profile.", self)
        hint.setObjectName("playtestPlayersHint")
        hint.setWordWrap(True)
        self._hint = hint
        pl.addWidget(hint)

        self.splitter = _split(Qt.Orientation.Horizontal, self.sections, players, (800, 440), self)
        self.splitter.setObjectName("playtestSplitter")

        self.status = StatusLine("playtestStatus", self)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.sources_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.headline)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        self.setMinimumSize(760, 460)

        for view in self._views():
            view.clicked.connect(partial(self._on_cell_clicked, view))
            view.activated.connect(partial(self._on_cell_activated, view))
        self.funnel_chart.sigPlayers.connect(self.show_players)
        self.step_time_chart.sigPlayers.connect(self.show_players)
        self.faction_chart.sigPlayers.connect(self.show_players)
        self._restyle()

    def _action(self, text: str, slot, tip: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setObjectName("playtest" + "".join(w.capitalize() for w in text.rstrip("…").split()))
        action.triggered.connect(lambda _=False: slot())
        self.toolbar.addAction(action)
        return action

    def _views(self) -> list[QTableView]:
        return [self.funnel_table, self.quest_table, self.faction_table, self.standout_table, self.bad_table,
                self.players_table]

    # ======================================================================== colours
    def _restyle(self) -> None:
        colours = theme.value_colors(self.palette())
        muted = colours["muted"].name()
        self.sources_label.setStyleSheet(f"color: {muted};")
        self._hint.setStyleSheet(f"color: {muted};")
        for view in self._views():
            view.model().restyle()
        self._fill_headline()
        self._sync_bad_tab()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and hasattr(self, "status"):
            self._restyle()

    # ======================================================================== inputs and the run
    def ask_open_folder(self, *, add: bool = False) -> QFileDialog | None:
        """A folder chooser (the desktop's, or Qt's own in tests); ``add``: keep the current folders."""
        last = str(app_settings().value(LAST_FOLDER_KEY, "") or "")
        dialog = filedialogs.folder_dialog(self, "Add a folder of players' profiles" if add else "Open a playtest folder",
                                           "playtestOpenDialog", str(Path(last).parent) if last else "")
        dialog.fileSelected.connect(lambda path, add=add: self._on_folder_chosen(path, add))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_folder_chosen(self, path: str, add: bool) -> None:
        if path:
            app_settings().setValue(LAST_FOLDER_KEY, path)
            self.open_sources([path], add=add)

    def open_sources(self, paths: Sequence[str | Path], *, add: bool = False) -> None:
        self.page.set_sources(paths, add=add)
        self.reload()

    def _on_scheduler_edited(self) -> None:
        self.page.scheduler_text = self.scheduler_edit.text().strip()
        _scheduler, error = self.page.scheduler()
        if not error:
            app_settings().setValue(SCHEDULER_KEY, self.page.scheduler_text)
            self.error_label.hide()
        else:
            self._show_error(error)

    def reload(self) -> None:
        """Run the playtest over the current inputs (cancelling a run in progress first)."""
        if not self.page.sources:
            return
        self.page.scheduler_text = self.scheduler_edit.text().strip()
        scheduler, error = self.page.scheduler()
        if error:
            self._show_error(error)
            return
        app_settings().setValue(SCHEDULER_KEY, self.page.scheduler_text)
        if self._task is not None:
            self._pending = True
            self._task.cancel()
            return
        self.error_label.hide()
        task = BackgroundTask(partial(_run, list(self.page.sources), scheduler, self.workers), name="playtest")
        task.sigProgress.connect(self._on_progress)
        task.sigFinished.connect(self._on_finished)
        task.sigFailed.connect(self._on_failed)
        task.sigCancelled.connect(self._on_cancelled)
        task.sigDone.connect(self._on_done)
        self._task = task
        self.progress.setRange(0, 0)
        self.progress.setFormat("Finding profiles…")
        self.progress_action.setVisible(True)
        self.cancel_action.setVisible(True)
        where = scheduler or "the local pool"
        self._set_status(f"Reading {len(self.page.sources)} input(s) with {where}…")
        task.start(priority=Priority.NORMAL)

    def status_text(self) -> str:
        """The main window's status bar text while this tab is current."""
        return self.page.window_status()

    @property
    def is_busy(self) -> bool:
        return self._task is not None

    def cancel(self) -> None:
        self._pending = False
        if self._task is not None:
            self._task.cancel()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setFormat(f"{done}/{total} profiles")
        if text:
            self.status.set_status(visible(text))

    def _on_finished(self, outcome) -> None:
        run, elapsed = outcome
        self.page.apply_run(run, elapsed)
        self._refresh()
        self.sigRunFinished.emit(run)

    def _on_failed(self, exc: object) -> None:
        message = f"Could not read the playtest: {exc}"
        self.page.failed(message)
        self._show_error(message)
        self.sigRunFailed.emit(message)

    def _on_cancelled(self) -> None:
        if not self._pending:
            self._set_status("Cancelled; the numbers shown are from the last complete run." if self.page.report
                             else "Cancelled.")
        self.sigRunCancelled.emit()

    def _on_done(self) -> None:
        self._task = None
        self.progress_action.setVisible(False)
        self.cancel_action.setVisible(False)
        if self._pending:
            self._pending = False
            self.reload()

    def _show_error(self, message: str) -> None:
        # plain text: escaped HTML in an auto-format label showed its entities ("&#x27;")
        self.error_label.set_status("\n".join(map(visible, message.split("\n"))), error=True)
        self.error_label.show()
        self._set_status(message)

    def _set_status(self, text: str) -> None:
        self.status.set_status(text)
        self.sigStatus.emit(text)

    # ======================================================================== showing the report
    def _refresh(self) -> None:
        page = self.page
        self.action_reload.setEnabled(bool(page.sources))
        self.action_export.setEnabled(page.report is not None)
        self.sources_label.setText("Inputs: " + "; ".join(visible(s) for s in page.sources) if page.sources
                                   else "No playtest open — choose a folder with one profile per player.")
        self.sources_label.setToolTip("\n".join(visible(s) for s in page.sources))
        self.funnel_chart.set_funnel(page.step_labels(), page.funnel_segments())
        self.step_time_chart.set_distributions(page.step_labels(), page.step_times(), show_labels=False)
        self.faction_chart.set_distributions(page.faction_labels(), page.faction_reputations())
        self.funnel_model.set_table(page.funnel_table())
        self.quest_model.set_table(page.completion_table())
        self.faction_model.set_table(page.faction_table())
        self.standout_model.set_table(page.standouts_table())
        self.bad_model.set_table(page.bad_profiles_table())
        self._unsized = set(self._views()[:-1])      # fitted to their contents when first shown
        self._fit_current_section()
        self._fill_headline()
        self._sync_bad_tab()
        self._fill_players()
        self._set_status(page.status_text())

    def _fit_current_section(self) -> None:
        page = self.sections.currentWidget()
        for view in list(self._unsized):
            if view is page or page.isAncestorOf(view):
                self._unsized.discard(view)
                view.resizeColumnsToContents()

    def _fill_headline(self) -> None:
        pieces = self.page.headline()
        if not pieces:
            self.headline.setText("")
            self.headline.hide()
            return
        html = "".join(f"<a href='{escape(key)}'>{escape(text)}</a>" if key else escape(text) for text, key in pieces)
        self.headline.setText(html)
        self.headline.show()

    def _sync_bad_tab(self) -> None:
        n = self.page.bad_profile_count()
        self.sections.setTabText(BAD, f"Bad profiles ({n})" if n else "Bad profiles")
        colour = theme.value_colors(self.palette())["bad"] if n else self.palette().color(self.foregroundRole())
        self.sections.tabBar().setTabTextColor(BAD, colour)

    PLAYER_WIDTHS = (130, 92, 78, 62, 130, 82, 76, 52, 78, 70, 150)

    def _fill_players(self) -> None:
        first = self.players_model.table() is None
        self.players_model.set_table(self.page.players_table())
        if first:
            for c, width in enumerate(self.PLAYER_WIDTHS):
                self.players_table.setColumnWidth(c, width)
        self.players_label.setText(f"<b>{escape(self.page.filter_text())}</b>")
        self.show_all_button.setVisible(not self.page.filter.is_all)

    def show_players(self, flt: PlayerFilter | None) -> None:
        """List the players behind a number (None / ALL_PLAYERS: everyone)."""
        self.page.show_players(flt)
        self._fill_players()
        self.sigPlayersShown.emit(self.page.filter)

    def _on_headline_link(self, key: str) -> None:
        flt = self.page.headline_link(key)
        if flt is not None:
            self.show_players(flt)
            if key == "excluded":
                self.sections.setCurrentIndex(BAD)

    def _on_cell_clicked(self, view: QTableView, index: QModelIndex) -> None:
        cell: Cell | None = view.model().cell(index)
        if cell is None:
            return
        if cell.open is not None:
            self.open_player(cell.open)
        elif cell.link is not None:
            self.show_players(cell.link)

    def _on_cell_activated(self, view: QTableView, index: QModelIndex) -> None:
        """Enter / double-click on a player's row opens the profile."""
        model: CellTableModel = view.model()
        for c in range(model.columnCount()):
            cell = model.cell(index.siblingAtColumn(c))
            if cell is not None and cell.open is not None:
                self.open_player(cell.open)
                return

    def open_player(self, player) -> None:
        """Open a player's profile in the main window, on their latest save (the window picks it:
        the latest readable slot by its save time)."""
        slot = ""
        self._set_status(f"Opening {visible(player.label or player.player_id)}…")
        self.sigOpenProfile.emit(player.path, slot)

    # ======================================================================== export
    def ask_export(self):
        if self.page.report is None:
            return None
        from .export_dialog import PlaytestExportDialog

        if self._export_dialog is None:
            self._export_dialog = PlaytestExportDialog(self)
            self._export_dialog.sigExportFinished.connect(self.sigExportFinished)
        self._export_dialog.set_report(self.page.report, self.page.sources)
        self._export_dialog.show()
        self._export_dialog.raise_()
        return self._export_dialog

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._task is not None:
            self._task.detach()
            self._task = None
        super().closeEvent(event)


__all__ = ["PlaytestPanel"]
