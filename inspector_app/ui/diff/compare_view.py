"""Compare two saves: designer summary on top, every structural difference below.

The diff, the designer sentences (grouped by domain) and the grouped tree are all built in a
:class:`~inspector_app.ui.workers.BackgroundTask`; choosing another slot cancels the run in
flight. The view only swaps finished results into its two lazy models: long groups of
sentences show their first rows and an "… and N more" row. Copy and Export write the whole
comparison (Markdown or JSON, built in the worker) through the shared export adapter and
atomic writer.
"""
from __future__ import annotations

import time
from html import escape
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMenu, QProgressBar, QSplitter, QToolButton, QTreeView, QVBoxLayout, QWidget,
)

from inspector_app.core.diff import (
    Change, DiffCancelled, DiffKind, DiffResult, DiffTree, EntryFilter, compare_payloads, diff_json, filter_entries,
    group_by_domain,
)
from inspector_app.ui.workers import BackgroundTask, TaskCancelled

from .diff_model import DiffTreeModel, RevealRole
from .style import kind_colour
from .summary_model import ChangeRole, IsMoreRole, SemanticSummaryModel

#: a group of designer sentences starts expanded when it has at most this many
EXPAND_GROUP_LIMIT = 20

_CHANGED_KINDS = frozenset({DiffKind.CHANGED, DiffKind.TYPE_CHANGED, DiffKind.MOVED})

#: the filter row's widgets (text, + Added, − Removed, ~ Changed, Hide time stamps) showing everything
_NO_FILTER = ("", True, True, True, False)


@dataclass
class CompareOutcome:
    """What one background comparison produced."""

    generation: int
    result: DiffResult
    changes: list[Change]
    groups: list[tuple[str, list[Change]]]
    tree: DiffTree
    seconds: float
    labels: tuple[str, str] = ("A", "B")


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
    sigExportFinished = Signal(bool, str)  # ok, message (copy and export)

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
        self._labels = ("A", "B")
        self._shown_filter = EntryFilter()
        # A filter answers a question about one pair of saves; comparing two other saves starts
        # unfiltered (a left-over filter would hide their differences), with a link to filter again.
        self._pair_key: frozenset | None = None
        self._cleared_filter: tuple | None = None
        self._setting_filter = False
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
        self.copy_button = QToolButton()
        self.copy_button.setObjectName("compareCopy")
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip("Copy the whole comparison as Markdown")
        self.copy_button.clicked.connect(self.copy_report)
        self.export_button = QToolButton()
        self.export_button.setObjectName("compareExport")
        self.export_button.setText("Export ▾")
        self.export_button.setToolTip("Write the whole comparison as Markdown or JSON")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.export_actions = {fmt: menu.addAction(f"{label}…", lambda f=fmt: self.ask_export(f))
                               for fmt, label in (("md", "Markdown"), ("json", "JSON"))}
        self.export_button.setMenu(menu)
        top.addWidget(self.copy_button)
        top.addWidget(self.export_button)

        self.status_label = QLabel("Choose two saves to compare.")
        self.status_label.setObjectName("compareStatus")
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.status_label.setStyleSheet("padding: 2px;")
        self.status_label.linkActivated.connect(self._on_status_link)

        self.summary_model = SemanticSummaryModel(self)
        self.summary_view = QTreeView()
        self.summary_view.setObjectName("compareSummary")
        self.summary_view.setModel(self.summary_model)
        self.summary_view.setHeaderHidden(True)
        self.summary_view.setUniformRowHeights(True)      # tens of thousands of rows stay cheap
        self.summary_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.summary_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_view.selectionModel().currentChanged.connect(self._on_summary_current)
        self.summary_view.activated.connect(self._on_summary_activated)
        self.summary_view.doubleClicked.connect(self._on_summary_activated)

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
        self.filter_edit.textChanged.connect(self._filter_edited)
        for w in (self.kind_added, self.kind_removed, self.kind_changed, self.hide_times):
            w.toggled.connect(self._filter_edited)
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
    def set_candidates(self, candidates: list[tuple[str, Any]], pair: tuple[int, int] | None = None) -> None:
        """Offer these (label, payload or payload loader) slots; compares ``pair`` (indexes into
        ``candidates``), else the two newest (B newest)."""
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
        if pair is not None and all(0 <= i < len(self._candidates) for i in pair):
            self.select(*pair)
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

    # -- the filter row ------------------------------------------------------------------------
    def filter_state(self) -> tuple:
        """(text, added, removed, changed, hide time stamps) as the filter row shows them."""
        return (self.filter_edit.text(), self.kind_added.isChecked(), self.kind_removed.isChecked(),
                self.kind_changed.isChecked(), self.hide_times.isChecked())

    def set_filter_state(self, state: tuple) -> None:
        # not blockSignals: the line edit's clear button follows its own textChanged
        self._setting_filter = True
        try:
            self.filter_edit.setText(state[0])
            for w, on in zip((self.kind_added, self.kind_removed, self.kind_changed, self.hide_times), state[1:]):
                w.setChecked(on)
        finally:
            self._setting_filter = False
        self._filter_timer.start()

    def clear_filter(self) -> None:
        self._cleared_filter = None
        self.set_filter_state(_NO_FILTER)

    def _filter_edited(self) -> None:
        if not self._setting_filter:
            self._cleared_filter = None      # the user filters anew: no "filter again" offer
        self._filter_timer.start()

    def _on_status_link(self, link: str) -> None:
        if link == "clear-filter":
            self.clear_filter()
        elif link == "restore-filter" and self._cleared_filter is not None:
            state, self._cleared_filter = self._cleared_filter, None
            self.set_filter_state(state)

    def _describe_filter(self) -> str:
        text, added, removed, changed, hide = self.filter_state()
        parts = [f"“{escape(text.strip())}”"] if text.strip() else []
        kinds = [name for name, on in (("added", added), ("removed", removed), ("changed", changed)) if on]
        if len(kinds) < 3:
            parts.append(" and ".join(kinds) + " only" if kinds else "no kinds")
        if hide:
            parts.append("no time stamps")
        return ", ".join(parts)

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
        labels = (self._label(a), self._label(b))
        key = frozenset(labels)              # swapping A and B, or a reload of the pair, keeps the filter
        if key != self._pair_key:
            if self._pair_key is not None and self.filter_state() != _NO_FILTER:
                self._cleared_filter = self.filter_state()
                self.set_filter_state(_NO_FILTER)
                self._filter_timer.stop()    # this comparison reads the cleared filter itself
            self._pair_key = key
        flt = self.current_filter()

        def work(progress, cancelled):
            from inspector_app.core.loading.jsonparse import GC_PAUSE_THRESHOLD, gc_paused
            started = time.perf_counter()
            old_value, new_value = _resolve(old), _resolve(new)
            # the diff allocates hundreds of thousands of acyclic objects: without the pause the
            # cyclic GC traverses both saves again and again, holding the GIL the GUI waits for
            with gc_paused(GC_PAUSE_THRESHOLD):
                try:
                    result = diff_json(old_value, new_value, cancelled=cancelled, progress=progress)
                except DiffCancelled:
                    raise TaskCancelled() from None
                changes = compare_payloads(old_value, new_value)
                groups = group_by_domain(changes)
                tree = DiffTree.build(result, filter_entries(result, flt, cancelled))
            if cancelled():
                raise TaskCancelled()
            return CompareOutcome(gen, result, changes, groups, tree, time.perf_counter() - started, labels), flt

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
        self._result, self._changes, self._labels = outcome.result, outcome.changes, outcome.labels
        self._shown_filter = flt
        a, b = self.current_pair()
        same_slot = " (A and B are the same slot)" if a == b else ""
        self.summary_model.set_changes(outcome.changes, "No differences — the two saves are identical." + same_slot,
                                       groups=outcome.groups)
        self._expand_small_groups()
        self._show_tree(outcome.tree)
        self._update_status(outcome.seconds)
        if self.current_filter() != flt:
            self._apply_filter()
        else:
            self.sigDiffReady.emit()

    def _on_failed(self, exc: object) -> None:
        self._task = None
        self._set_busy(False)
        self.status_label.setText(f"<span style='color:{kind_colour('removed').name()}'>Could not compare: {exc}</span>")

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
        if self.filter_state() != _NO_FILTER:
            parts.append(f"· showing {sum(shown):,} (filtered: {self._describe_filter()}) "
                         "<a href='clear-filter'>Clear filter</a>")
        elif self._cleared_filter is not None and r.total:
            parts.append("· showing all (the previous pair's filter was cleared) "
                         "<a href='restore-filter'>Filter again</a>")
        if r.truncated:
            parts.append(f"· only the first {len(r.entries):,} listed")
        if seconds is not None:
            groups = len(self.summary_model.groups())
            parts.append(f"<span style='color:{kind_colour('muted').name()}'>· {len(self._changes):,} designer-level changes in "
                         f"{groups} group{'s' if groups != 1 else ''} · "
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

    def _expand_small_groups(self) -> None:
        """Open the groups that are short (and the only group); long ones stay one row."""
        groups = self.summary_model.groups()
        for g, (_domain, items) in enumerate(groups):
            if len(items) <= EXPAND_GROUP_LIMIT or len(groups) == 1:
                self.summary_view.setExpanded(self.summary_model.index(g, 0), True)

    def _on_summary_activated(self, index: QModelIndex) -> None:
        if self.summary_model.data(index, IsMoreRole):
            self.summary_model.show_more(index)

    # -- copy / export -----------------------------------------------------------------------
    def _report_work(self, fmt: str):
        """The worker function building the whole comparison's text (``md`` or ``json``)."""
        result, changes, labels = self._result, list(self._changes), self._labels

        def work(_progress, _cancelled) -> str:
            from inspector_app.core.diff.report import comparison_report, report_json, report_markdown
            report = comparison_report(labels[0], labels[1], result, changes)
            return report_markdown(report) if fmt == "md" else report_json(report)
        return work

    def copy_report(self) -> BackgroundTask | None:
        """Put the whole comparison on the clipboard as Markdown (built in the worker)."""
        if self._result is None:
            return None
        task = BackgroundTask(self._report_work("md"), name="compare-copy")
        task.sigFinished.connect(self._copied)
        task.sigFailed.connect(lambda exc: self._export_done(False, f"Could not copy: {exc}"))
        return task.start()

    def _copied(self, text: str) -> None:
        from PySide6.QtWidgets import QApplication
        QApplication.clipboard().setText(text)
        self._export_done(True, f"Copied the comparison ({len(text.splitlines()):,} lines of Markdown).")

    def ask_export(self, fmt: str) -> BackgroundTask | None:
        from PySide6.QtWidgets import QFileDialog

        from inspector_app.ui import filedialogs
        if self._result is None:
            return None
        dlg = QFileDialog(self, f"Export the comparison as {'Markdown' if fmt == 'md' else 'JSON'}")
        dlg.setObjectName("compareExportDialog")
        filedialogs.apply_policy(dlg)
        dlg.setOption(QFileDialog.Option.DontConfirmOverwrite, True)   # the writer never overwrites
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setNameFilter("Markdown (*.md)" if fmt == "md" else "JSON (*.json)")
        dlg.setDefaultSuffix(fmt)
        dlg.selectFile(f"comparison.{fmt}")
        if not dlg.exec() or not dlg.selectedFiles():
            return None
        return self.export_to(dlg.selectedFiles()[0], fmt)

    def export_to(self, path, fmt: str | None = None) -> BackgroundTask | None:
        """Write the whole comparison to ``path`` (Markdown for ``.md``, else JSON) through the
        shared export adapter and atomic writer (an existing file is reported, never replaced)."""
        from pathlib import Path
        if self._result is None:
            return None
        target = Path(path)
        fmt = fmt or ("md" if target.suffix.lower() == ".md" else "json")
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(target.name + f".{fmt}")
        build = self._report_work(fmt)

        def work(progress, cancelled):
            from inspector_app.core.export.artifacts import Artifact
            from inspector_app.core.export.selection import write_selection
            artifact = Artifact(type=fmt, filename=target.name, content=build(progress, cancelled),
                                mime_type="text/markdown" if fmt == "md" else "application/json",
                                section="comparison")
            return write_selection(artifact, target.parent, cancelled=cancelled)

        task = BackgroundTask(work, name="compare-export")
        task.sigFinished.connect(self._exported)
        task.sigFailed.connect(lambda exc: self._export_done(False, f"Export failed: {exc}"))
        return task.start()

    def _exported(self, metrics) -> None:
        write = metrics.writes[0] if metrics.writes else None
        if write is not None and write.status == "written":
            self._export_done(True, f"Exported the comparison to {write.location}")
        else:
            self._export_done(False, f"Not exported: {write.reason if write else 'nothing was written'}")

    def _export_done(self, ok: bool, message: str) -> None:
        colour = kind_colour("added" if ok else "removed").name()
        self.status_label.setText(f"<span style='color:{colour}'>{message}</span>")
        self.sigExportFinished.emit(ok, message)

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

    def set_candidates(self, candidates: list[tuple[str, Any]], pair: tuple[int, int] | None = None) -> None:
        self.view.set_candidates(candidates, pair)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.view.cancel()
        super().closeEvent(event)
