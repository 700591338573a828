"""Search the loaded world state for keys and values (objectName ``stateSearch``).

Typing is debounced; every search runs as a :class:`~inspector_app.ui.workers.BackgroundTask`
over the whole document, a new query cancels the one before, and results arrive in a
capped list. Each document gets a :class:`~inspector_app.core.search.SearchIndex`, filled in
the background as soon as the document is shown (lowest priority, stepping aside whenever
other work waits), so even the first search takes its total from it. Activating or selecting a
result emits :attr:`SearchPanel.sigRevealRequested` with the hit's path, which the main window
connects to ``StateInspector.reveal_path``.
"""
from __future__ import annotations

from typing import Any, Callable

import shiboken6
from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.common.guiturn import BACKGROUND_STALE_S, background_held, yield_to_gui
from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.search import (
    InvalidSearchPattern,
    SearchHit,
    SearchIndex,
    SearchResult,
    compile_matcher,
    search_json,
)
from inspector_app.ui import theme
from inspector_app.ui.export.selection_export import SelectionExporter, ask_save_path
from inspector_app.ui.workers import BackgroundTask, Priority, live_task_count

#: The index's fill starts this long after a document is shown: past its first frame and the
#: views an open builds right after (a search typed sooner takes the walk over, never twice).
FILL_DELAY_MS = 250

__all__ = ["SearchPanel", "SearchResultsModel", "LatestTaskRunner", "HIT_PATH_ROLE"]

HIT_PATH_ROLE = int(Qt.ItemDataRole.UserRole) + 1
HIT_FIELD_ROLE = int(Qt.ItemDataRole.UserRole) + 2
HIT_JSON_PATH_ROLE = int(Qt.ItemDataRole.UserRole) + 3
HIT_PREVIEW_ROLE = int(Qt.ItemDataRole.UserRole) + 4   # the preview without the readable form
HIT_READABLE_ROLE = int(Qt.ItemDataRole.UserRole) + 5  # a time in words (or None)

DEBOUNCE_MS = 250
RESULT_LIMIT = 1000


# --------------------------------------------------------------------------- task plumbing
class _TaskHandle(QObject):
    """Receives one BackgroundTask's signals on the GUI thread and forwards them to the
    runner only while that task is still the runner's current one."""

    def __init__(self, runner: "LatestTaskRunner", task: BackgroundTask):
        super().__init__()
        self.runner = runner
        self.task = task
        task.sigProgress.connect(self._on_progress)
        task.sigFinished.connect(self._on_finished)
        task.sigFailed.connect(self._on_failed)
        task.sigCancelled.connect(self._on_cancelled)
        task.sigDone.connect(self._on_done)

    def _is_current(self) -> bool:
        # the runner (and its owner) may be gone while the task ran: nobody to tell then
        return self.runner._current is self and shiboken6.isValid(self.runner)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self._is_current():
            self.runner.sigProgress.emit(done, total, text)

    def _on_finished(self, result: Any) -> None:
        if self._is_current():
            self.runner._current = None
            self.runner.sigFinished.emit(result)

    def _on_failed(self, exc: Any) -> None:
        if self._is_current():
            self.runner._current = None
            self.runner.sigFailed.emit(exc)

    def _on_cancelled(self) -> None:
        if self._is_current():
            self.runner._current = None
            self.runner.sigCancelled.emit()

    def _on_done(self) -> None:
        self.runner._handles.discard(self)      # the task is done and deleted after this


class LatestTaskRunner(QObject):
    """Runs background work where only the newest request matters (search, details).

    ``start`` cancels whatever ran before; superseded or cancelled tasks never emit
    through this runner, so a slow old search cannot overwrite a newer result.
    """

    sigProgress = Signal(int, int, str)
    sigFinished = Signal(object)
    sigFailed = Signal(object)
    sigCancelled = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._current: _TaskHandle | None = None
        self._handles: set[_TaskHandle] = set()
        handles = self._handles
        # going away with its owner: what still runs is cancelled (its outcome reaches nobody)
        self.destroyed.connect(lambda *_: [h.task.cancel() for h in list(handles)])

    def start(self, work: Callable, name: str = "", priority: int = Priority.NORMAL) -> BackgroundTask:
        self.cancel(emit=False)
        task = BackgroundTask(work, name=name)
        handle = _TaskHandle(self, task)
        self._current = handle
        self._handles.add(handle)
        task.start(priority=priority)
        return task

    def cancel(self, emit: bool = True) -> None:
        """Cancel the current task (if any); emits ``sigCancelled`` at once when asked."""
        handle, self._current = self._current, None
        if handle is not None:
            handle.task.cancel()
            if emit:
                self.sigCancelled.emit()

    @property
    def is_running(self) -> bool:
        return self._current is not None

    def shutdown(self) -> None:
        """Cancel and disconnect every task (owner going away while work may still run)."""
        self._current = None
        for handle in list(self._handles):
            handle.task.detach()
        self._handles.clear()

    def wait_all(self, timeout: float = 5.0) -> bool:
        """Block until every started task returned (tests and shutdown only)."""
        return all(h.task.wait(timeout) for h in list(self._handles))


# --------------------------------------------------------------------------- results model
class SearchResultsModel(QAbstractListModel):
    """The capped hit list of one :class:`SearchResult`."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._paths: dict[int, str] = {}

    def set_result(self, result: SearchResult | None) -> None:
        self.beginResetModel()
        self._hits = list(result.hits) if result is not None else []
        self._paths = {}
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def _json_path(self, row: int) -> str:
        text = self._paths.get(row)
        if text is None:
            text = self._paths[row] = format_path(self._hits[row].path)
        return text

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.display
        if role == Qt.ItemDataRole.ToolTipRole:
            readable = f"  = {hit.readable}" if hit.readable else ""
            return f"{self._json_path(index.row())}\n{hit.field} match: {hit.preview}{readable}"
        if role == HIT_JSON_PATH_ROLE:
            return self._json_path(index.row())
        if role == HIT_PATH_ROLE:
            return hit.path
        if role == HIT_FIELD_ROLE:
            return hit.field
        if role == HIT_PREVIEW_ROLE:
            return hit.preview
        if role == HIT_READABLE_ROLE:
            return hit.readable
        return None


class _HitDelegate(QStyledItemDelegate):
    """Two lines per hit: the JSON path (small, muted) over the matched text."""

    PAD = 4

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        return small, QFont(option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        small, normal = self._fonts(option)
        h = QFontMetrics(small).height() + QFontMetrics(normal).height() + 3 * self.PAD + 2
        return QSize(200, h)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        small, normal = self._fonts(option)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        main = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(main)
        muted.setAlpha(150)
        r = option.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD, -self.PAD)
        fm_small, fm_norm = QFontMetrics(small), QFontMetrics(normal)
        field = index.data(HIT_FIELD_ROLE)
        path = index.data(HIT_JSON_PATH_ROLE) or ""
        tag = "key" if field == "key" else ""
        painter.save()
        painter.setFont(small)
        painter.setPen(muted)
        line1 = QRect(r.left(), r.top(), r.width(), fm_small.height() + 1)
        painter.drawText(line1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm_small.elidedText(path + (f"   · {tag}" if tag else ""), Qt.TextElideMode.ElideLeft, r.width()))
        painter.setFont(normal)
        painter.setPen(main)
        line2 = QRect(r.left(), line1.bottom() + self.PAD, r.width(), fm_norm.height())
        painter.drawText(line2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self._main_line(index, fm_norm, r.width()))
        painter.restore()

    @staticmethod
    def _main_line(index: QModelIndex, fm: QFontMetrics, width: int) -> str:
        """The hit's text elided to ``width``; a time's readable form stays whole (the raw
        number or the key's preview gives way first) while it fits in most of the width."""
        text = index.data() or ""
        readable = index.data(HIT_READABLE_ROLE)
        if readable and fm.horizontalAdvance(text) > width:
            tail = f"  ({readable})"
            room = width - fm.horizontalAdvance(tail)
            if room > width // 4:
                return fm.elidedText(index.data(HIT_PREVIEW_ROLE) or "", Qt.TextElideMode.ElideRight, room) + tail
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)


# --------------------------------------------------------------------------- the panel
def _toggle(text: str, name: str, tip: str, checked: bool) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setCheckable(True)
    button.setChecked(checked)
    button.setAutoRaise(True)
    return button


class SearchPanel(QWidget):
    """Search box, options, progress/cancel and the capped result list."""

    sigRevealRequested = Signal(tuple)

    def __init__(self, parent: QWidget | None = None, limit: int = RESULT_LIMIT):
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.limit = limit
        self._root: Any = None
        self._has_root = False
        # the document's search index (core.search.SearchIndex): filled in the background after
        # the document is shown (or by a search that needs it first: it takes the walk over), then
        # every search of it takes its total from there
        self._index: SearchIndex | None = None
        self.last_result: SearchResult | None = None

        self.edit = QLineEdit()
        self.edit.setObjectName("stateSearch")
        self.edit.setPlaceholderText("Search keys and values…")
        self.edit.setClearButtonEnabled(True)
        self.regex_toggle = _toggle(".*", "searchRegex", "Regular expression", False)
        self.case_toggle = _toggle("Aa", "searchCaseSensitive", "Match case", False)
        self.keys_toggle = _toggle("Keys", "searchKeys", "Search object keys", True)
        self.values_toggle = _toggle("Values", "searchValues", "Search values (strings, numbers, true/false/null)", True)

        self.error_label = QLabel()
        self.error_label.setObjectName("searchError")
        self.error_label.setStyleSheet(f"color: {theme.value_color_css('bad')};")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.status_label = QLabel("")
        self.status_label.setObjectName("searchStatus")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("searchProgress")
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("searchCancel")
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop this search")
        self.cancel_button.hide()

        self.results_model = SearchResultsModel(self)
        self.results_view = QListView()
        self.results_view.setObjectName("searchResults")
        self.results_view.setModel(self.results_model)
        self.results_view.setItemDelegate(_HitDelegate(self.results_view))
        self.results_view.setUniformItemSizes(True)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.results_view.setSelectionMode(QListView.SelectionMode.SingleSelection)

        # the search box gets its own full-width row: beside the options it was squeezed to a
        # few characters in a narrow panel
        top = QVBoxLayout()
        top.setSpacing(2)
        top.addWidget(self.edit)
        options = QHBoxLayout()
        options.setSpacing(2)
        for button in (self.regex_toggle, self.case_toggle, self.keys_toggle, self.values_toggle):
            options.addWidget(button)
        options.addStretch(1)
        top.addLayout(options)
        self.export_button = QToolButton()
        self.export_button.setObjectName("searchExport")
        self.export_button.setText("Export…")
        self.export_button.setToolTip("Write these results to a JSON or CSV file")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.export_results())
        self.exporter = SelectionExporter(self)
        self.exporter.sigFinished.connect(self._on_export_finished)
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.progress_bar, 1)
        status.addWidget(self.cancel_button)
        status.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addLayout(status)
        layout.addWidget(self.results_view, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self._runner = LatestTaskRunner(self)
        self._runner.sigProgress.connect(self._on_progress)
        self._runner.sigFinished.connect(self._on_finished)
        self._runner.sigFailed.connect(self._on_failed)
        self._filler = LatestTaskRunner(self)   # the index's filling walk, a slice per task
        self._filler.sigFinished.connect(self._on_fill_step)
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(FILL_DELAY_MS)  # after the document's first frame and views
        self._fill_timer.timeout.connect(self._fill_index)

        self.edit.textChanged.connect(self._schedule)
        self.edit.returnPressed.connect(self.search_now)
        for button in (self.regex_toggle, self.case_toggle, self.keys_toggle, self.values_toggle):
            button.toggled.connect(self._schedule)
        self.cancel_button.clicked.connect(self.cancel)
        self.results_view.activated.connect(self._on_result_activated)
        self.results_view.selectionModel().currentChanged.connect(self._on_result_activated)

    # -- public API ----------------------------------------------------------------------
    def set_root(self, value: Any) -> None:
        """Search this document from now on (re-runs the current query, if any). ``value`` may
        be a big save's skeleton (its lazy parts are parsed by the search's worker, a run at a
        time) or a callable returning the value (called by the worker)."""
        self._runner.cancel(emit=False)
        self._filler.cancel(emit=False)   # the old document's index goes with it
        self._root = value
        self._has_root = True
        # a callable root is parsed anew by each search: nothing to keep between searches
        self._index = None if callable(value) else SearchIndex()
        self._show_result(None)
        if self.edit.text():
            self.search_now()
        if self._index is not None:
            self._fill_timer.start()


    @property
    def is_searching(self) -> bool:
        return self._runner.is_running

    def search_now(self) -> None:
        """Run the current query immediately (Enter does this; typing waits ~250 ms)."""
        self._debounce.stop()
        query = self.edit.text()
        self._set_error(None)
        if not query:
            self._runner.cancel(emit=False)
            self._show_result(None)
            return
        if not self._has_root:
            self._show_result(None)
            self.status_label.setText("Nothing loaded to search")
            return
        options = dict(
            regex=self.regex_toggle.isChecked(),
            case_sensitive=self.case_toggle.isChecked(),
            keys=self.keys_toggle.isChecked(),
            values=self.values_toggle.isChecked(),
        )
        if not (options["keys"] or options["values"]):
            self._runner.cancel(emit=False)
            self._show_result(None)
            self.status_label.setText("Choose keys and/or values to search")
            return
        try:
            compile_matcher(query, regex=options["regex"], case_sensitive=options["case_sensitive"])
        except InvalidSearchPattern as exc:
            self._runner.cancel(emit=False)
            self._show_result(None)
            self._set_error(str(exc))
            return
        root, limit, index = self._root, self.limit, self._index

        def work(progress, cancelled):
            # a callable root is a big save read on demand (``set_root``): parsed here, in the worker
            value = root() if callable(root) else root
            return search_json(value, query, limit=limit, progress=progress, cancelled=cancelled, index=index,
                               **options)

        self._runner.start(work, name=f"search {query!r}")
        self._set_busy(True)
        self.status_label.setText("Searching…")

    def cancel(self) -> None:
        if self._runner.is_running:
            self._runner.cancel(emit=False)
            self._set_busy(False)
            self.status_label.setText("Search cancelled")

    def wait_idle(self, timeout: float = 5.0) -> bool:
        return self._runner.wait_all(timeout)

    def shutdown(self) -> None:
        """Stop any running search for good (call from the main window's closeEvent)."""
        self._debounce.stop()
        self._fill_timer.stop()
        self._runner.shutdown()
        self._filler.shutdown()
        self.exporter.shutdown()

    def export_results(self, path: str | None = None):
        """Write the current hits (with the query and the match count) to JSON or CSV."""
        result = self.last_result
        if result is None or not result.hits:
            return None
        if path is None:
            path = ask_save_path(self, "Export search results", "search-results.csv")
            if path is None:
                return None
        from inspector_app.core.export.selection import search_results_artifact  # not at start-up

        return self.exporter.export_to(path, lambda fmt, name, _cancelled: search_results_artifact(result, name, fmt))

    def _on_export_finished(self, ok: bool, message: str) -> None:
        self.status_label.setText(message)
        self.status_label.setToolTip(message)

    @property
    def index(self) -> SearchIndex | None:
        """The current document's search index (None for a root read anew by each search)."""
        return self._index

    @property
    def is_indexing(self) -> bool:
        """Whether the index's filling walk is under way (or about to start)."""
        return self._filler.is_running or self._fill_timer.isActive()

    # -- internals -------------------------------------------------------------------------
    def _fill_index(self) -> None:
        """Fill the document's index in the worker at the lowest priority, a task at a time: a
        task steps aside (``index.fill`` pauses) as soon as other work is waiting — an open, a
        search, the summary views — and the next one goes on where it stopped, once the worker
        is free again. A search that needs the index meanwhile takes the walk over."""
        index, root = self._index, self._root
        if index is None or index.ready or index.abandoned:
            return
        if background_held():      # the GUI builds a page in steps: not now (guiturn.hold_background)
            self._fill_timer.start()
            return

        def pause() -> bool:
            # the GUI busy in a long event (a document's views being built): let it have the
            # GIL alone rather than share it (which doubled that event: 40 -> 70 ms, 4 MB save)
            yield_to_gui(BACKGROUND_STALE_S)
            # another task waiting: live tasks are the ones queued, running (this one) or
            # being delivered; or GUI work in steps under way
            return live_task_count() > 1 or background_held()

        def work(_progress, cancelled):
            return index.fill(root, cancelled=cancelled, pause=pause)

        self._filler.start(work, name="search index", priority=Priority.BACKGROUND)

    def _on_fill_step(self, done: bool) -> None:
        if not done:   # stepped aside: the rest once the worker is free (the queue's last)
            self._fill_index()     # (or, while GUI work in steps is under way, a little later)

    def _schedule(self, *_: Any) -> None:
        self._debounce.start()

    def _set_busy(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress_bar.setRange(0, 0)  # indeterminate until the first report

    def _set_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
        self.edit.setStyleSheet(f"QLineEdit {{ border: 1px solid {theme.value_color_css('bad')}; }}" if message else "")

    def _show_result(self, result: SearchResult | None) -> None:
        self.last_result = result
        self.export_button.setEnabled(bool(result is not None and result.hits))
        self._set_busy(False)
        self.results_model.set_result(result)
        self.status_label.setText(result.summary() if result is not None else "")

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            scale = max(1, total // 1_000_000 + 1)  # keep within int32 for QProgressBar
            self.progress_bar.setRange(0, total // scale)
            self.progress_bar.setValue(min(done, total) // scale)
        if text:
            self.status_label.setText(text)

    def _on_finished(self, result: SearchResult) -> None:
        self._show_result(result)

    def _on_failed(self, exc: Any) -> None:
        self._show_result(None)
        self._set_error(str(exc) or type(exc).__name__)

    def _on_result_activated(self, index: QModelIndex, *_: Any) -> None:
        hit = self.results_model.hit(index.row()) if index.isValid() else None
        if hit is not None:
            self.sigRevealRequested.emit(tuple(hit.path))
