"""Compare two saves: designer summary on top, every structural difference below.

The diff, the designer sentences and the grouped tree are all built in a
:class:`~inspector_app.ui.workers.BackgroundTask`; choosing another slot cancels the
run in flight. The view only swaps finished results into its two models.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListView, QProgressBar, QSplitter, QToolButton, QTreeView, QVBoxLayout, QWidget,
)

from inspector_app.core.diff import (
    Change, DiffCancelled, DiffKind, DiffResult, DiffTree, EntryFilter, compare_payloads, diff_json, filter_entries,
)
from inspector_app.ui.workers import BackgroundTask, TaskCancelled

from .diff_model import DiffTreeModel, RevealRole
from .style import kind_colour
from .summary_model import ChangeRole, SemanticSummaryModel

_CHANGED_KINDS = frozenset({DiffKind.CHANGED, DiffKind.TYPE_CHANGED, DiffKind.MOVED})


@dataclass
class CompareOutcome:
    """What one background comparison produced."""

    generation: int
    result: DiffResult
    changes: list[Change]
    tree: DiffTree
    seconds: float


def _resolve(payload: Any) -> Any:
    """A candidate is a payload, or a zero-argument loader of one (a parked slot of a big
    profile, parsed in the worker rather than on the GUI thread)."""
    return payload() if callable(payload) else payload


def _timestamp(payload: Any) -> float:
    ts = payload.get("timestamp") if isinstance(payload, dict) else getattr(payload, "timestamp", None)
    return ts if type(ts) in (int, float) else float("-inf")


def _kind_button(text: str, colour, name: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setCheckable(True)
    button.setChecked(True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setStyleSheet(
        f"QToolButton {{ color: {colour.name()}; font-weight: bold; padding: 2px 8px; border: 1px solid palette(mid);"
        f" border-radius: 3px; }} QToolButton:checked {{ background: palette(alternate-base); border-color: {colour.name()}; }}"
        " QToolButton:!checked { color: palette(placeholder-text); }")
    return button


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; color: palette(window-text); padding: 4px 2px 2px 2px;")
    return label


class CompareView(QWidget):
    """Pick two slots (A older, B newer) and see what changed between them."""

    sigRevealPath = Signal(str, object)   # side "a" (older) or "b" (newer), real JSON path tuple
    sigDiffReady = Signal()               # a comparison (or a re-filter) is on screen

    FILTER_DELAY_MS = 200

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareView")
        self._candidates: list[tuple[str, Any]] = []
        self._task: BackgroundTask | None = None
        self._filter_task: BackgroundTask | None = None
        self._generation = 0
        self._result: DiffResult | None = None
        self._changes: list[Change] = []
        self._shown_filter = EntryFilter()
        self._build_ui()

    # -- layout ----------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.combo_a, self.combo_b = QComboBox(), QComboBox()
        self.combo_a.setObjectName("compareA")
        self.combo_b.setObjectName("compareB")
        for combo in (self.combo_a, self.combo_b):
            combo.setMinimumContentsLength(24)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._on_pair_changed)
        self.swap_button = QToolButton()
        self.swap_button.setObjectName("compareSwap")
        self.swap_button.setText("⇄ Swap")
        self.swap_button.setToolTip("Swap A and B")
        self.swap_button.clicked.connect(self.swap)
        self.progress = QProgressBar()
        self.progress.setObjectName("compareProgress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("compareCancel")
        self.cancel_button.setText("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()

        top = QHBoxLayout()
        top.addWidget(QLabel("<b>A</b> (older)"))
        top.addWidget(self.combo_a, 1)
        top.addWidget(self.swap_button)
        top.addWidget(QLabel("<b>B</b> (newer)"))
        top.addWidget(self.combo_b, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)

        self.status_label = QLabel("Choose two saves to compare.")
        self.status_label.setObjectName("compareStatus")
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.status_label.setStyleSheet("padding: 2px;")

        self.summary_model = SemanticSummaryModel(self)
        self.summary_view = QListView()
        self.summary_view.setObjectName("compareSummary")
        self.summary_view.setModel(self.summary_model)
        self.summary_view.setUniformItemSizes(False)
        self.summary_view.setWordWrap(True)
        self.summary_view.setSpacing(1)
        self.summary_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_view.selectionModel().currentChanged.connect(self._on_summary_current)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("compareFilter")
        self.filter_edit.setPlaceholderText("Filter paths and values…")
        self.filter_edit.setClearButtonEnabled(True)
        self.kind_added = _kind_button("+ Added", kind_colour("added"), "compareShowAdded")
        self.kind_removed = _kind_button("− Removed", kind_colour("removed"), "compareShowRemoved")
        self.kind_changed = _kind_button("~ Changed", kind_colour("changed"), "compareShowChanged")
        self.hide_times = QCheckBox("Hide time stamps")
        self.hide_times.setObjectName("compareHideTimestamps")
        self.hide_times.setToolTip("Hide number changes of fields named *At, timestamp, playtime")
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(self.FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        for w in (self.kind_added, self.kind_removed, self.kind_changed, self.hide_times):
            w.toggled.connect(self._filter_timer.start)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        for w in (self.kind_added, self.kind_removed, self.kind_changed, self.hide_times):
            filters.addWidget(w)

        self.diff_model = DiffTreeModel(self)
        self.tree_view = QTreeView()
        self.tree_view.setObjectName("compareTree")
        self.tree_view.setModel(self.diff_model)
        self.tree_view.setUniformRowHeights(True)
        self.tree_view.setAlternatingRowColors(False)
        self.tree_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree_view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((330, 100, 260)):
            header.resizeSection(col, width)
        self.tree_view.selectionModel().currentChanged.connect(self._on_tree_current)

        summary_box, tree_box = QWidget(), QWidget()
        sl = QVBoxLayout(summary_box)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(_section_title("What changed"))
        sl.addWidget(self.summary_view)
        tl = QVBoxLayout(tree_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(_section_title("All differences"))
        tl.addLayout(filters)
        tl.addWidget(self.tree_view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(summary_box)
        self.splitter.addWidget(tree_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 360])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.splitter, 1)

    # -- public API ----------------------------------------------------------------------------
    def set_candidates(self, candidates: list[tuple[str, Any]]) -> None:
        """Offer these (label, payload or payload loader) slots; picks the two newest (B newest)
        and compares."""
        self._candidates = list(candidates)
        order = sorted(range(len(self._candidates)), key=lambda i: _timestamp(self._candidates[i][1]))
        for combo in (self.combo_a, self.combo_b):
            combo.blockSignals(True)
            combo.clear()
            for label, _payload in self._candidates:
                combo.addItem(label)
            combo.blockSignals(False)
        if not self._candidates:
            self._show_idle("No saves to compare.")
            return
        b = order[-1]
        a = order[-2] if len(order) > 1 else b
        self.select(a, b)

    def select(self, a: int, b: int) -> None:
        """Compare candidate ``a`` (older) with candidate ``b`` (newer)."""
        for combo, i in ((self.combo_a, a), (self.combo_b, b)):
            combo.blockSignals(True)
            combo.setCurrentIndex(i)
            combo.blockSignals(False)
        self._start_compare()

    def swap(self) -> None:
        a, b = self.current_pair()
        if a >= 0 and b >= 0:
            self.select(b, a)

    def current_pair(self) -> tuple[int, int]:
        return self.combo_a.currentIndex(), self.combo_b.currentIndex()

    def cancel(self) -> None:
        """Stop the comparison in flight (the previous result stays on screen)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._set_busy(False)
        self.status_label.setText("Comparison cancelled.")

    @property
    def result(self) -> DiffResult | None:
        return self._result

    @property
    def changes(self) -> list[Change]:
        return list(self._changes)

    def is_busy(self) -> bool:
        return self._task is not None or self._filter_task is not None

    def current_filter(self) -> EntryFilter:
        kinds = set()
        if self.kind_added.isChecked():
            kinds.add(DiffKind.ADDED)
        if self.kind_removed.isChecked():
            kinds.add(DiffKind.REMOVED)
        if self.kind_changed.isChecked():
            kinds |= _CHANGED_KINDS
        return EntryFilter(self.filter_edit.text().strip(), frozenset(kinds), self.hide_times.isChecked())

    # -- running -------------------------------------------------------------------------------
    def _on_pair_changed(self, _index: int) -> None:
        self._start_compare()

    def _start_compare(self) -> None:
        a, b = self.current_pair()
        if not (0 <= a < len(self._candidates) and 0 <= b < len(self._candidates)):
            return
        if self._task is not None:
            self._task.cancel()
        self._generation += 1
        gen = self._generation
        old, new = self._candidates[a][1], self._candidates[b][1]
        flt = self.current_filter()

        def work(progress, cancelled):
            started = time.perf_counter()
            old_value, new_value = _resolve(old), _resolve(new)
            try:
                result = diff_json(old_value, new_value, cancelled=cancelled, progress=progress)
            except DiffCancelled:
                raise TaskCancelled() from None
            changes = compare_payloads(old_value, new_value)
            tree = DiffTree.build(result, filter_entries(result, flt, cancelled))
            if cancelled():
                raise TaskCancelled()
            return CompareOutcome(gen, result, changes, tree, time.perf_counter() - started), flt

        self._task = BackgroundTask(work, name="compare-saves")
        self._task.sigProgress.connect(self._on_progress)
        self._task.sigFinished.connect(self._on_compared)
        self._task.sigFailed.connect(self._on_failed)
        self._set_busy(True)
        self.status_label.setText(f"Comparing <b>{self._label(a)}</b> with <b>{self._label(b)}</b>…")
        self._task.start()

    def _on_progress(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)

    def _on_compared(self, payload) -> None:
        outcome, flt = payload
        if outcome.generation != self._generation:
            return  # a newer selection superseded this run
        self._task = None
        self._set_busy(False)
        self._result, self._changes = outcome.result, outcome.changes
        self._shown_filter = flt
        a, b = self.current_pair()
        same_slot = " (A and B are the same slot)" if a == b else ""
        self.summary_model.set_changes(outcome.changes, "No differences — the two saves are identical." + same_slot)
        self._show_tree(outcome.tree)
        self._update_status(outcome.seconds)
        if self.current_filter() != flt:
            self._apply_filter()
        else:
            self.sigDiffReady.emit()

    def _on_failed(self, exc: object) -> None:
        self._task = None
        self._set_busy(False)
        self.status_label.setText(f"<span style='color:#b3261e'>Could not compare: {exc}</span>")

    def _apply_filter(self) -> None:
        result = self._result
        if result is None or self._task is not None:
            return  # the running comparison reads the filter when it finishes
        if self._filter_task is not None:
            self._filter_task.cancel()
        flt = self.current_filter()

        def work(_progress, cancelled):
            return flt, DiffTree.build(result, filter_entries(result, flt, cancelled)), result

        self._filter_task = BackgroundTask(work, name="compare-filter")
        self._filter_task.sigFinished.connect(self._on_filtered)
        self._filter_task.start()

    def _on_filtered(self, payload) -> None:
        flt, tree, result = payload
        if result is not self._result or flt != self.current_filter():
            return
        self._filter_task = None
        self._shown_filter = flt
        self._show_tree(tree)
        self._update_status(None)
        self.sigDiffReady.emit()

    # -- showing -------------------------------------------------------------------------------
    def _show_tree(self, tree: DiffTree) -> None:
        self.diff_model.set_tree(tree)
        root_rows = self.diff_model.rowCount()
        for row in range(min(root_rows, 20)):  # open the first level only; never expandAll
            index = self.diff_model.index(row, 0)
            if 0 < self.diff_model.rowCount(index) <= 200:
                self.tree_view.setExpanded(index, True)

    def _update_status(self, seconds: float | None) -> None:
        r = self._result
        if r is None:
            return
        c = r.counts
        changed = c[DiffKind.CHANGED] + c[DiffKind.TYPE_CHANGED] + c[DiffKind.MOVED]
        shown = self.diff_model.tree.counts[0] if self.diff_model.tree else [0, 0, 0]
        parts = [
            f"<b>{r.total:,}</b> difference{'s' if r.total != 1 else ''}:",
            f"<span style='color:{kind_colour('added').name()}'>+{c[DiffKind.ADDED]:,} added</span>",
            f"<span style='color:{kind_colour('removed').name()}'>−{c[DiffKind.REMOVED]:,} removed</span>",
            f"<span style='color:{kind_colour('changed').name()}'>~{changed:,} changed</span>",
        ]
        if sum(shown) != r.total:
            parts.append(f"· showing {sum(shown):,}")
        if r.truncated:
            parts.append(f"· only the first {len(r.entries):,} listed")
        if seconds is not None:
            parts.append(f"<span style='color:#777'>· {len(self._changes)} designer-level changes · "
                         f"{r.nodes_compared:,} values compared in {seconds * 1000:.0f} ms</span>")
        self.status_label.setText(" ".join(parts))

    def _show_idle(self, text: str) -> None:
        self._result, self._changes = None, []
        self.summary_model.set_changes(None)
        self.diff_model.set_tree(None)
        self.status_label.setText(text)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)

    def _label(self, i: int) -> str:
        return self._candidates[i][0] if 0 <= i < len(self._candidates) else "?"

    # -- selection → reveal --------------------------------------------------------------------
    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        reveal = self.diff_model.data(current, RevealRole) if current.isValid() else None
        if reveal:
            self.sigRevealPath.emit(reveal[0], tuple(reveal[1]))

    def _on_summary_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        change = self.summary_model.data(current, ChangeRole) if current.isValid() else None
        if isinstance(change, Change) and change.path is not None:
            self.sigRevealPath.emit(change.side, tuple(change.path))

    def select_tree_row(self, index: QModelIndex) -> None:
        """Make ``index`` current in the diff tree (emits :attr:`sigRevealPath`)."""
        self.tree_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


class CompareDialog(QDialog):
    """Non-modal window around :class:`CompareView` (opened by the main window's actionCompare)."""

    def __init__(self, parent: QWidget | None = None, candidates: list[tuple[str, Any]] | None = None):
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle("Compare saves — what changed")
        self.setModal(False)
        self.view = CompareView(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(1180, 780)
        if candidates is not None:
            self.view.set_candidates(candidates)

    @property
    def sigRevealPath(self):
        return self.view.sigRevealPath

    def set_candidates(self, candidates: list[tuple[str, Any]]) -> None:
        self.view.set_candidates(candidates)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.view.cancel()
        super().closeEvent(event)
