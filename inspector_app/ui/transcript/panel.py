"""The tutorial transcript timeline panel the main window docks.

``TranscriptPanel`` = toolbar (fit all, time axis, range selection, kind/step filters, search,
export) + notes + the timeline plot over a synced entry table, beside tabs for the time-per-step
chart, the selected snapshot's world state and the selected entry. Everything slow (building
the transcript from a document, filtering 100k entries, writing files, following a log) runs
through :class:`BackgroundTask`.

Public API: ``set_transcript(t)``, ``set_sources_from_document(doc)``, ``clear()``,
``follow_log(path)``, ``export_range(fmt, out_dir=None)``, ``export_chart(which, path=None)``; signal ``sigTranscriptChanged``.
"""
from __future__ import annotations

import html
import os
import time
import weakref
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QEvent, QItemSelectionModel, QTimer, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu,
    QPlainTextEdit, QSplitter, QTableView, QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from inspector_app.core.loading.document import SaveDocument, Severity
from inspector_app.core.transcript.model import LANE_ORDER, EventKind, Transcript
from inspector_app.core.transcript.recorder import JsonLinesFollower, TranscriptRecorder
from inspector_app.core.transcript.sources import parts_from_dtos, transcript_from_document
from inspector_app.ui import filedialogs
from inspector_app.ui.transcript.snapshot_view import SnapshotView
from inspector_app.ui.transcript.step_chart import StepDurationChart
from inspector_app.ui.transcript.table_model import TranscriptTableModel
from inspector_app.ui.transcript.timeline import TranscriptTimeline
from inspector_app.ui.theme import value_color_css
from inspector_app.ui.widgets import plot_export
from inspector_app.ui.widgets.status_line import StatusLine
from inspector_app.ui.workers import BackgroundTask, while_alive

SYNC_FILTER_LIMIT = 5000     # filter in the GUI thread up to this many entries, else in a worker


def _button(text: str, tip: str, name: str, checkable: bool = False) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    b.setObjectName(name)
    b.setCheckable(checkable)
    b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return b


class _NotesLabel(QLabel):
    """The word-wrapped notes line, without height-for-width: with it, a scroll area hosting
    the panel sizes the panel to its preferred height (~1000 px) instead of the window's, and
    the tab scrolls twice (the plot and the table below the fold)."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return False


class TranscriptPanel(QWidget):
    sigTranscriptChanged = Signal()
    sigFilterApplied = Signal()
    sigExportFinished = Signal(object)     # list of written paths, or an exception
    sigStatus = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("transcriptPanel")
        self.transcript: Transcript | None = None
        #: the export's clock (ms since the epoch); names carry it, so tests pin it
        self.clock_ms: Callable[[], int] = lambda: int(time.time() * 1000)
        self.filtered = np.zeros(0, dtype=np.int64)
        self._filter_generation = 0
        self._syncing = False
        self._follower: JsonLinesFollower | None = None
        self._follow_task: BackgroundTask | None = None
        self._follow_again = False
        self._source_ref: Callable[[], SaveDocument | None] = lambda: None   # weak: never keeps a closed document
        self._keep_view: tuple | None = None                # (visible range, region) to keep, in ms
        self._follow_timer = QTimer(self)
        self._follow_timer.setInterval(500)
        self._follow_timer.timeout.connect(self._poll_follower)
        self._build()
        self.clear()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.fit_button = _button("Fit all", "Show every entry (zoom with the wheel, pan by dragging)", "fitAll")
        self.fit_button.clicked.connect(lambda: self.timeline.fit_all())
        self.absolute_button = _button("Absolute time", "Toggle the axis between UTC clock time and time since "
                                       "the first entry", "absoluteTime", checkable=True)
        self.absolute_button.toggled.connect(
            lambda on: self.timeline.set_time_mode("absolute" if on else "relative"))
        self.range_button = _button("Select range", "Drag a region over the timeline; the table and the "
                                    "export then cover only that range", "selectRange", checkable=True)
        self.range_button.toggled.connect(self.timeline_region_toggled)
        self.kind_button = _button("Kinds ▾", "Show or hide event kinds", "kindFilter")
        self.kind_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.kind_button)
        self.kind_actions = {}
        for kind in LANE_ORDER:
            act = menu.addAction(kind.label)
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(lambda *_: self.apply_filters())
            self.kind_actions[kind] = act
        self.kind_button.setMenu(menu)
        self.step_combo = QComboBox()
        self.step_combo.setObjectName("stepFilter")
        self.step_combo.setMinimumContentsLength(18)
        self.step_combo.currentIndexChanged.connect(lambda *_: self.apply_filters())
        self.search = QLineEdit()
        self.search.setObjectName("transcriptSearch")
        self.search.setPlaceholderText("Search title, step, event, narrative, metadata…")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda *_: self._search_timer.start())
        self.export_button = _button("Export ▾", "Export the visible range or the charts", "transcriptExport")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        em = QMenu(self.export_button)
        self.export_actions = {
            "csv": em.addAction("Visible range as transcript CSV…", lambda: self.export_range("transcript-csv")),
            "md": em.addAction("Visible range as transcript Markdown…", lambda: self.export_range("transcript-md")),
        }
        em.addSeparator()
        for which, label in (("timeline", "Timeline"), ("steps", "Time-per-step chart")):
            for fmt in ("png", "svg"):
                self.export_actions[f"{which}-{fmt}"] = em.addAction(
                    f"{label} as {fmt.upper()}…", lambda w=which, f=fmt: self.export_chart(w, fmt=f))
        self.export_button.setMenu(em)
        self.follow_button = _button("Follow log…", "Replay a growing JSON-lines event log through the game's "
                                     "transcript recorder", "followLog", checkable=True)
        self.follow_button.toggled.connect(self._follow_toggled)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.fit_button, self.absolute_button, self.range_button, self.kind_button):
            bar.addWidget(w)
        bar.addWidget(QLabel("Step:"))
        bar.addWidget(self.step_combo)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.follow_button)
        bar.addWidget(self.export_button)

        self.notes = _NotesLabel()
        self.notes.setObjectName("transcriptNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.status = StatusLine("transcriptStatus")

        self.timeline = TranscriptTimeline()
        self.timeline.setMinimumHeight(150)
        self.timeline.sigEntryClicked.connect(self._on_timeline_clicked)
        self.timeline.sigRegionChanged.connect(lambda *_: self._refresh_table())

        self.table_model = TranscriptTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("transcriptTable")
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(22)
        hh = self.table.horizontalHeader()
        hh.setStretchLastSection(True)
        for col, width in enumerate((40, 168, 74, 136, 150, 200, 150)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)

        self.step_chart = StepDurationChart()
        self.snapshot_view = SnapshotView()
        self.entry_text = QPlainTextEdit()
        self.entry_text.setObjectName("transcriptEntryDetail")
        self.entry_text.setReadOnly(True)
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("transcriptSideTabs")
        self.side_tabs.addTab(self.step_chart, "Time per step")
        self.side_tabs.addTab(self.snapshot_view, "Snapshot")
        self.side_tabs.addTab(self.entry_text, "Entry")

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.table)
        lower.addWidget(self.side_tabs)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setSizes([640, 420])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.timeline)
        split.addWidget(lower)
        # the entry table gets the larger share (at 1280×800 about 12 rows beside the side tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([260, 390])
        split.setObjectName("transcriptSplitter")
        self.splitter = split
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        lay.addLayout(bar)
        lay.addWidget(self.notes)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)

    # -- sources -----------------------------------------------------------------------------
    def clear(self) -> None:
        self._deferred_render = False
        self.stop_following()
        self.set_transcript(None)

    def set_transcript(self, transcript: Transcript | None) -> None:
        """Show ``transcript`` (None empties the panel). Renders in the GUI thread: cheap,
        the plot holds arrays only — and only when the panel is on screen: a hidden panel
        (another tab is showing) renders when it is first shown."""
        self.transcript = transcript
        if transcript is not None and not self.isVisible():
            self._deferred_render = True
            self.sigTranscriptChanged.emit()
            return
        self._deferred_render = False
        self._render_transcript(transcript)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "notes"):
            self._show_notes()        # the notes' rich-text colours follow the palette
        super().changeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._deferred_render:
            self._deferred_render = False
            self._render_transcript(self.transcript)

    def _render_transcript(self, transcript: Transcript | None) -> None:
        self.step_combo.blockSignals(True)
        self.step_combo.clear()
        self.step_combo.addItem("All steps", None)
        if transcript is not None:
            for step in transcript.step_ids():
                self.step_combo.addItem(f"{transcript.title_for(step)} ({step})", step)
        self.step_combo.blockSignals(False)
        self.snapshot_view.clear()
        self.entry_text.clear()
        self.step_chart.set_stats(transcript.step_stats() if transcript is not None else [])
        self._show_notes()
        self.filtered = np.arange(len(transcript)) if transcript is not None else np.zeros(0, dtype=np.int64)
        # the search text and kind toggles stay as the user left them: a new transcript (another
        # file or slot) is shown through them, never all entries under a stale-looking filter
        kinds = self.selected_kinds()
        filtering = transcript is not None and (self.search.text() or len(kinds) != len(LANE_ORDER))
        if filtering and len(transcript) <= SYNC_FILTER_LIMIT:
            self._filter_generation += 1
            self.filtered = np.asarray(transcript.select(None if len(kinds) == len(LANE_ORDER) else kinds,
                                                         None, self.search.text()), dtype=np.int64)
            filtering = False
        view, self._keep_view = self._keep_view, None
        self._apply_filtered(self.filtered, fit=view is None)
        if view is not None and transcript is not None:
            (lo, hi), region = view
            self.timeline.set_visible_range_ms(lo, hi)
            if region is not None:
                self.timeline.set_region_ms(*region)
        if filtering:                  # a big transcript: filtered in the worker, shown when done
            self.apply_filters()
        self.sigTranscriptChanged.emit()

    def _run(self, work, on_done, name: str) -> BackgroundTask:
        task = BackgroundTask(work, name=name)     # no parent: the task lives as long as its work
        task.sigFinished.connect(while_alive(self, on_done))
        task.sigFailed.connect(while_alive(self, lambda exc: self._set_status(f"{name} failed: {exc}", error=True)))
        return task.start()

    @property
    def source_document(self) -> SaveDocument | None:
        """The document :meth:`set_sources_from_document` was last given (None once it is closed)."""
        return self._source_ref()

    def set_sources_from_document(self, doc: SaveDocument, keep_view: bool = False) -> BackgroundTask:
        """Build the transcript a loaded document implies (profiles: every slot's tutorial
        slice merged; summaries: transcript + snapshots, plus a summary export's transcript
        CSV) in a worker, then show it. ``keep_view`` (a reload of the shown document, follow
        live): the visible time range and the selected range stay as they are."""
        self._source_ref = weakref.ref(doc)
        view = None
        if keep_view and self.transcript is not None and not self._deferred_render:
            view = (self.timeline.visible_range_ms(), self.timeline.region_ms())
        self._set_status(f"Reading the tutorial data of {doc.path.name}…")

        def show(transcript: Transcript) -> None:
            if self._source_ref() is doc:
                self._keep_view = view
                self.set_transcript(transcript)

        return self._run(lambda progress, cancelled: transcript_from_document(doc), show, "transcript")


    # -- notes / status ----------------------------------------------------------------------
    def _show_notes(self) -> None:
        t = self.transcript
        notes = [] if t is None else [n for n in t.notes if n.code != "transcript_empty" or len(t) == 0]
        if t is None:
            self.notes.setText(f"<span style='color:{value_color_css('muted')}'>No tutorial data loaded. Open a "
                               "save, profile or inspector summary.</span>")
            self.notes.setToolTip("")
            return
        if not notes:
            self.notes.setText(f"<span style='color:{value_color_css('good')}'>✓</span> {len(t)} entries from "
                               f"{', '.join(t.sources) or 'one source'}")
            self.notes.setToolTip("")
            return
        colour = {Severity.ERROR: "bad", Severity.WARNING: "warning", Severity.NOTICE: "info"}
        shown = [f"<span style='color:{value_color_css(colour[n.severity])}'>●</span> {html.escape(n.describe())}"
                 for n in notes[:3]]
        more = f" <i>(+{len(notes) - 3} more — hover)</i>" if len(notes) > 3 else ""
        self.notes.setText("<br>".join(shown) + more)
        self.notes.setToolTip("\n".join(n.describe() for n in notes))


    def _set_status(self, text: str, *, error: bool = False) -> None:
        """The status line (ui/widgets/status_line): muted but legible, or the app's one error
        colour for a failure."""
        self.status.set_status(text, error=error)
        self.sigStatus.emit(text)

    # -- filters -----------------------------------------------------------------------------
    def selected_kinds(self) -> set[EventKind]:
        return {k for k, a in self.kind_actions.items() if a.isChecked()}

    def set_kind_visible(self, kind: EventKind, visible: bool) -> None:
        self.kind_actions[kind].setChecked(visible)

    def apply_filters(self) -> None:
        t = self.transcript
        if t is None:
            return
        kinds = self.selected_kinds()
        kinds = None if len(kinds) == len(LANE_ORDER) else kinds
        step = self.step_combo.currentData()
        text = self.search.text()
        self._filter_generation += 1
        gen = self._filter_generation
        if len(t) <= SYNC_FILTER_LIMIT:
            self._apply_filtered(t.select(kinds, step, text))
            return
        self._set_status("Filtering…")
        self._run(lambda progress, cancelled: t.select(kinds, step, text),
                  lambda idx: gen == self._filter_generation and t is self.transcript and self._apply_filtered(idx),
                  "filter")

    def _apply_filtered(self, indices: np.ndarray, fit: bool = False) -> None:
        self.filtered = np.asarray(indices, dtype=np.int64)
        self.timeline.set_data(self.transcript, self.filtered, step_filter=self.step_combo.currentData(), fit=fit)
        self._refresh_table()
        self.sigFilterApplied.emit()

    def timeline_region_toggled(self, on: bool) -> None:
        self.timeline.set_region_enabled(on)

    def table_rows(self) -> np.ndarray:
        """Rows of the table: the filtered entries, limited to the selected region if any."""
        rows = self.filtered
        region = self.timeline.region_ms()
        if region is not None and self.transcript is not None and len(rows):
            rows = self.transcript.in_range(rows, *region)
        return rows

    def _refresh_table(self) -> None:
        rows = self.table_rows()
        self.table_model.set_rows(self.transcript, rows)
        self.table.setColumnHidden(0, not self.table_model.has_sequences())   # no always-blank "#"
        total = len(self.transcript) if self.transcript is not None else 0
        region = " in the selected range" if self.timeline.region_ms() is not None else ""
        self._set_status(f"{len(rows)} of {total} entries shown{region} · {self.timeline.span_count()} step spans")

    # -- selection sync -----------------------------------------------------------------------
    def select_entry(self, index: int, center: bool = True) -> bool:
        """Select transcript entry ``index`` in the table (and centre the timeline on it)."""
        row = self.table_model.row_of_entry(index)
        if row is None:
            return False
        self._syncing = not center
        try:
            mi = self.table_model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                mi, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(mi, QAbstractItemView.ScrollHint.PositionAtCenter)
        finally:
            self._syncing = False
        return True

    def selected_entry(self) -> int | None:
        mi = self.table.selectionModel().currentIndex()
        return self.table_model.entry_at(mi.row()) if mi.isValid() else None

    def _on_timeline_clicked(self, index: int) -> None:
        self.select_entry(index, center=False)
        self.timeline.item.set_highlight(self.timeline.x_of(index),
                                         self.timeline.row_of(self.transcript.entries[index].kind))

    def _on_row_changed(self, current, _previous=None) -> None:
        i = self.table_model.entry_at(current.row()) if current.isValid() else None
        if i is None or self.transcript is None:
            return
        e = self.transcript.entries[i]
        if not self._syncing:
            if not self.timeline.center_on(i):
                self._set_status("This entry has no usable timestamp, so it is not on the timeline.")
        self.entry_text.setPlainText(e.describe())
        if e.snapshot is not None:
            self.snapshot_view.show_snapshot(self.transcript, i)
            self.side_tabs.setCurrentWidget(self.snapshot_view)

    # -- export ------------------------------------------------------------------------------
    def visible_indices(self) -> np.ndarray:
        """Filtered entries in the selected region, or else in the visible x-range."""
        if self.transcript is None:
            return np.zeros(0, dtype=np.int64)
        lo, hi = self.timeline.region_ms() or self.timeline.visible_range_ms()
        return self.transcript.in_range(self.filtered, lo, hi)

    def _dialog(self, title: str, mode: QFileDialog.FileMode, accept: QFileDialog.AcceptMode,
                name_filter: str = "", default_name: str = "") -> QFileDialog:
        dlg = QFileDialog(self, title)
        dlg.setObjectName("transcriptExportDialog")
        filedialogs.apply_policy(dlg)
        dlg.setFileMode(mode)
        dlg.setAcceptMode(accept)
        if mode == QFileDialog.FileMode.Directory:
            dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if name_filter:
            dlg.setNameFilter(name_filter)
        if default_name:
            dlg.selectFile(default_name)
        return dlg

    def ask_directory(self) -> str | None:
        dlg = self._dialog("Export visible range to folder", QFileDialog.FileMode.Directory,
                           QFileDialog.AcceptMode.AcceptOpen)
        return dlg.selectedFiles()[0] if dlg.exec() and dlg.selectedFiles() else None

    def ask_save_path(self, title: str, name_filter: str, default_name: str) -> str | None:
        dlg = self._dialog(title, QFileDialog.FileMode.AnyFile, QFileDialog.AcceptMode.AcceptSave,
                           name_filter, default_name)
        return dlg.selectedFiles()[0] if dlg.exec() and dlg.selectedFiles() else None

    def export_range(self, fmt: str = "transcript-csv", out_dir: str | os.PathLike | None = None,
                     prefix: str = "transcript-range") -> BackgroundTask | None:
        """Write the visible range through the shared export pipeline as
        ``<prefix>-tutorial-transcript-<ts>.csv|md``; never overwrites (a clash is reported)."""
        if self.transcript is None:
            return None
        out_dir = out_dir or self.ask_directory()
        if not out_dir:
            return None
        indices = self.visible_indices()
        t = self.transcript
        generated_at = self.clock_ms()

        def work(progress, cancelled):
            from inspector_app.core.transcript.export import export_range_via_pipeline
            result = export_range_via_pipeline(t, indices, out_dir, formats=[fmt], prefix=prefix,
                                               cancelled=cancelled, progress=progress,
                                               generated_at_ms=generated_at)
            if result.failures:
                raise OSError("; ".join(f["error"] for f in result.failures))
            return result.written_paths

        task = BackgroundTask(work, name="transcript export")
        task.sigFinished.connect(while_alive(self, lambda paths: (
            self._set_status(f"Exported {len(indices)} entries to {', '.join(paths)}"),
            self.sigExportFinished.emit(paths))))
        task.sigFailed.connect(while_alive(self, lambda exc: (self._set_status(f"Export failed: {exc}", error=True),
                                                              self.sigExportFinished.emit(exc))))
        return task.start()

    def export_chart(self, which: str = "timeline", path: str | os.PathLike | None = None,
                     fmt: str | None = None, overwrite: bool = False) -> Path | None:
        """Save the timeline (``which='timeline'``) or the step chart (``'steps'``) as PNG/SVG
        through the one plot export helper (atomic; an existing ``path`` is refused with
        ``FileExistsError`` unless ``overwrite`` — the dialog asks before replacing)."""
        plot = self.timeline if which == "timeline" else self.step_chart
        name = "timeline" if which == "timeline" else "step chart"
        interactive = path is None
        if interactive:
            fmt = fmt or "png"
            path = plot_export.ask_save_path(self, f"Save {name}", fmt, f"tutorial-{which}.{fmt}")
            if not path:
                return None
            overwrite = True        # the dialog already confirmed replacing an existing file
        try:
            target = plot_export.export_image(plot, path, fmt=fmt, overwrite=overwrite,
                                              title=f"Tutorial transcript {name}")
        except OSError as exc:
            self._set_status(f"Could not save the {name}: {exc}", error=True)
            if interactive:
                return None     # reported in the status line; a menu action has no caller to raise to
            raise
        self._set_status(f"Saved {target}")
        return target

    # -- following a live log ------------------------------------------------------------------
    def follow_log(self, path: str | os.PathLike, max_entries: int = 50) -> None:
        """Replay a growing JSON-lines log through the game's recorder (bounded buffer) and
        refresh the timeline every half second."""
        self.stop_following()
        self._recorder = TranscriptRecorder(max_entries=max_entries, update_debounce_ms=0)
        self._follower = JsonLinesFollower(path, self._recorder)
        self._follow_timer.start()
        self.follow_button.blockSignals(True)
        self.follow_button.setChecked(True)
        self.follow_button.blockSignals(False)
        self._poll_follower()

    def stop_following(self) -> None:
        self._follow_timer.stop()
        self._follower = None
        self.follow_button.blockSignals(True)
        self.follow_button.setChecked(False)
        self.follow_button.blockSignals(False)

    def _follow_toggled(self, on: bool) -> None:
        if not on:
            self.stop_following()
            return
        dlg = self._dialog("Follow a JSON-lines event log", QFileDialog.FileMode.ExistingFile,
                           QFileDialog.AcceptMode.AcceptOpen, "JSON lines (*.jsonl *.ndjson *.log *.txt);;All files (*)")
        if dlg.exec() and dlg.selectedFiles():
            self.follow_log(dlg.selectedFiles()[0])
        else:
            self.stop_following()

    def _poll_follower(self) -> BackgroundTask | None:
        """Read what the log gained since the last poll, in the worker. While a poll runs,
        a request is remembered and served as soon as it ends (nothing appended is missed,
        whatever the timing of the timer and of explicit polls)."""
        follower = self._follower
        if follower is None:
            return None
        if self._follow_task is not None:
            self._follow_again = True
            return self._follow_task
        self._follow_again = False
        name = follower.path.name

        def work(progress, cancelled):
            result = follower.poll(max_bytes=4 << 20)
            return result, parts_from_dtos(follower.recorder.get_transcript(), name).build()

        def done(out: Any) -> None:
            result, transcript = out
            if follower is self._follower and (result.recorded or result.truncated or self.transcript is None):
                self.set_transcript(transcript)
            if follower.problem_count:
                self._set_status(f"{follower.problem_count} unreadable line(s); last: {follower.problems[-1].describe()}")

        def ended() -> None:
            self._follow_task = None
            if self._follow_again and follower is self._follower:
                self._poll_follower()

        task = self._follow_task = self._run(work, done, "follow")
        task.sigDone.connect(ended)
        return task
