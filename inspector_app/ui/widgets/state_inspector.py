"""The world-state inspector: a lazy tree of the save (``stateTree``) and a details pane.

The tree is a :class:`~inspector_app.ui.models.json_tree_model.JsonTreeModel`, so only what
the user expands (or what :meth:`StateInspector.reveal_path` walks through) is ever built;
nothing here expands everything. The details pane shows the selected node as pretty JSON;
big nodes are formatted on a worker thread and cut to the first ~200 KB.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.export.naming import safe_filename_component
from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.common.jsontext import pretty_json, pretty_json_excerpt
from inspector_app.core.common.timefmt import readable_times
from inspector_app.ui import theme
from inspector_app.ui.export.selection_export import SelectionExporter, ask_save_path
from inspector_app.ui.models.json_tree_model import COL_KEY, COL_SIZE, COL_TYPE, COL_VALUE, JsonTreeModel
from inspector_app.ui.widgets.search_panel import LatestTaskRunner

__all__ = ["StateInspector", "pretty_json", "pretty_json_excerpt"]

#: bytes of pretty JSON shown in the details pane
DETAILS_LIMIT = 200_000
#: nodes above which the details text is built on a worker thread
DETAILS_SYNC_NODES = 20_000
#: "Expand children" opens at most this many child containers / grandchild rows
EXPAND_CHILDREN_MAX = 200
EXPAND_GRANDCHILDREN_MAX = 5_000


def _is_small(value: Any, max_nodes: int = DETAILS_SYNC_NODES) -> bool:
    """True when ``value`` has at most ``max_nodes`` nodes (stops counting early)."""
    stack = [value]
    seen = 0
    while stack:
        v = stack.pop()
        seen += 1
        if seen > max_nodes:
            return False
        t = type(v)
        if t is dict:
            if len(v) > max_nodes:
                return False
            stack.extend(v.values())
        elif t is list:
            if len(v) > max_nodes:
                return False
            stack.extend(v)
        elif t is str and len(v) > DETAILS_LIMIT * 4:
            return False
    return True


def _plain(value: Any, cancelled=None) -> Any:
    """``value`` with its unparsed parts parsed (a big single save's, ``core/loading/sections``)."""
    from inspector_app.core.loading.sections import materialize

    return materialize(value, cancelled)


def _has_lazy(value: Any) -> bool:
    from inspector_app.core.loading.sections import has_lazy

    return has_lazy(value)


class StateInspector(QWidget):
    """Tree + selected path + pretty-JSON details of one document's world state."""

    sigPathSelected = Signal(tuple)
    sigFollowRequested = Signal(object)   # core.pins.Pin of the selected node ("Follow Across Saves")
    #: a worker task the window shows in the status bar's progress (with Cancel): (task, text)
    sigTaskStarted = Signal(object, str)

    def __init__(self, parent: QWidget | None = None, follow_shortcut: str | None = None):
        super().__init__(parent)
        self.setObjectName("stateInspector")
        self.model = JsonTreeModel(parent=self)
        self._sectioned = False   # the value is a big save's skeleton (parts parsed on demand)
        self._copy_task = None    # Copy Value of a big node, running in the worker

        self.tree = QTreeView()
        self.tree.setObjectName("stateTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(True)
        self.tree.setAnimated(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_KEY, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_TYPE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SIZE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_KEY, 180)  # the value column keeps room at 1280×800
        header.resizeSection(COL_TYPE, 60)
        header.resizeSection(COL_SIZE, 72)

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.path_field = QLineEdit()
        self.path_field.setObjectName("stateSelectedPath")
        self.path_field.setReadOnly(True)
        self.path_field.setFont(mono)
        self.path_field.setPlaceholderText("No node selected")
        self.details = QPlainTextEdit()
        self.details.setObjectName("stateDetails")
        self.details.setReadOnly(True)
        self.details.setFont(mono)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setPlaceholderText("Select a node to see it as JSON.")
        self.details_times = QLabel()
        self.details_times.setObjectName("stateDetailsTimes")
        self.details_times.setWordWrap(True)
        self.details_times.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_times.setToolTip("Time stamps (local time), durations and playtime of the selected node in words")
        self.details_times.hide()
        self.details_note = QLabel()
        self.details_note.setObjectName("stateDetailsNote")
        self.details_note.setStyleSheet("color: palette(mid);")
        # wraps, and never widens the details pane (a long path in a note squeezed the tree)
        self.details_note.setWordWrap(True)
        self.details_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.details_note.hide()

        details_box = QWidget()
        details_layout = QVBoxLayout(details_box)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.setSpacing(2)
        details_layout.addWidget(self.path_field)
        details_layout.addWidget(self.details, 1)
        details_layout.addWidget(self.details_times)
        details_layout.addWidget(self.details_note)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("stateSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(details_box)
        # The tree (with times in words next to raw numbers) gets ~70 %; the details pane the rest.
        self.splitter.setStretchFactor(0, 7)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.copy_value_action = self._action("Copy value", "actionCopyValue", QKeySequence.StandardKey.Copy,
                                              self.copy_value)
        self.copy_path_action = self._action("Copy JSON path", "actionCopyJsonPath", QKeySequence("Ctrl+Shift+C"),
                                             self.copy_path)
        separator = QAction(self)
        separator.setSeparator(True)
        self.tree.addAction(separator)
        self.expand_children_action = self._action("Expand children", "actionExpandChildren", None,
                                                   self.expand_children)
        self.collapse_all_action = self._action("Collapse all", "actionCollapseAll", None, self.collapse_all)
        separator2 = QAction(self)
        separator2.setSeparator(True)
        self.tree.addAction(separator2)
        self.follow_action = self._action("Follow Across Saves", "actionFollowValue",
                                          QKeySequence(follow_shortcut) if follow_shortcut else None, self.follow_current)
        self.follow_action.setStatusTip("Chart this value over every open save in time order (Followed Values)")
        self.export_subtree_action = self._action("Export subtree as JSON/CSV…", "actionExportSubtree", None,
                                                  lambda: self.export_subtree())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.exporter = SelectionExporter(self)
        self.exporter.sigFinished.connect(lambda ok, msg: self._set_note(msg, ok))

        self._details_runner = LatestTaskRunner(self)
        self._details_runner.sigFinished.connect(self._on_details_ready)
        self._details_runner.sigFailed.connect(lambda exc: self._set_details(f"Cannot show this node: {exc}"))
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self._update_actions()

    def _action(self, text: str, name: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(shortcut)
        # only while the tree has focus: Ctrl+C in the search box stays a text copy
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.tree.addAction(action)
        return action

    # -- public API --------------------------------------------------------------------------
    def set_document_value(self, value: Any, label: str = "$", sectioned: bool = False) -> None:
        """Show a new document: one root node, expanded one level, nothing selected.
        ``sectioned``: ``value`` is a big single save's skeleton (``core/loading/sections``)."""
        self._sectioned = sectioned
        self._details_runner.cancel(emit=False)
        self.model.set_root(value, label)
        self.tree.expand(self.model.index(0, 0))
        self._show_selection(QModelIndex())

    def clear(self) -> None:
        self._details_runner.cancel(emit=False)
        self.model.clear()
        self._show_selection(QModelIndex())

    def reveal_path(self, path: tuple | list) -> bool:
        """Expand the chain down to ``path``, select the node and scroll to it.

        Returns False (and leaves the view alone) when the path is not in the document.
        """
        index = self.model.index_for_path(tuple(path))
        if not index.isValid():
            return False
        chain = []
        parent = index.parent()
        while parent.isValid():
            chain.append(parent)
            parent = parent.parent()
        for ancestor in reversed(chain):
            self.tree.expand(ancestor)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def current_path(self) -> tuple | None:
        index = self.tree.currentIndex()
        return self.model.path_for_index(index) if index.isValid() else None


    def wait_idle(self, timeout: float = 5.0) -> bool:
        return self._details_runner.wait_all(timeout)

    def shutdown(self) -> None:
        """Stop formatting details in the background (call from the main window's closeEvent)."""
        self._details_runner.shutdown()
        self.exporter.shutdown()
        if self._copy_task is not None:
            self._copy_task.detach()
            self._copy_task = None

    def export_subtree(self, path: str | None = None):
        """Write the selected node to a JSON or CSV file (asks for the name unless given)."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        node_path = self.model.path_for_index(index)
        value = self.model.value_for_index(index)
        sectioned = self._sectioned
        from inspector_app.core.export.selection import subtree_artifact  # not at start-up

        if path is None:
            last = str(node_path[-1]) if node_path else "document"
            path = ask_save_path(self, "Export subtree", f"{safe_filename_component(last)}.json")
            if path is None:
                return None
        return self.exporter.export_to(
            path, lambda fmt, name, cancelled: subtree_artifact(_plain(value, cancelled) if sectioned else value,
                                                                node_path, name, fmt, cancelled))

    def _set_note(self, text: str, ok: bool) -> None:
        self.details_note.setText(text)
        self.details_note.setStyleSheet("" if ok else f"color: {theme.value_color_css('bad')};")
        self.details_note.show()

    # -- actions -------------------------------------------------------------------------------
    def copy_value(self) -> None:
        """Clipboard ← the selected node as pretty JSON (strings quoted, like the file).

        A big node (a big save's unparsed part, or more than ``DETAILS_SYNC_NODES`` nodes) is
        parsed and written in the worker, its progress in the status bar (``sigTaskStarted``);
        the clipboard gets it when it is ready. Another copy cancels the one running."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        value = self.model.value_for_index(index)
        lazy = self._sectioned and _has_lazy(value)
        path = self.model.path_for_index(index)
        where = format_path(path)
        if not lazy and _is_small(value):
            text = pretty_json(value).decode()
            QApplication.clipboard().setText(text)
            self._set_note(f"Copied the value ({len(text):,} characters of JSON).", True)
            return
        from inspector_app.core.loading.sections import pretty_text
        from inspector_app.ui.workers import BackgroundTask, Priority

        if self._copy_task is not None:
            self._copy_task.detach()

        def work(progress, cancelled):
            return pretty_text(value, cancelled, progress) if lazy else pretty_json(value)

        task = BackgroundTask(work, name="copy value")
        task.sigFinished.connect(lambda text, where=where: self._on_copied(text, where))
        task.sigFailed.connect(lambda exc, where=where: self._set_note(f"Cannot copy {where}: {exc}", False))
        task.sigDone.connect(lambda task=task: self._copy_done(task))
        self._copy_task = task
        task.start(priority=Priority.USER)
        self.sigTaskStarted.emit(task, f"Copying {path[-1] if path else '$'}…")   # the status bar's bar is short

    def _on_copied(self, text: bytes, where: str) -> None:
        """The UTF-8 bytes as the clipboard's text (no conversion of a big text to UTF-16 in
        this thread: ~40 ms for 50 MB with ``setText``; the bytes are copied once)."""
        from PySide6.QtCore import QMimeData

        mime = QMimeData()
        for kind in ("text/plain;charset=utf-8", "text/plain"):
            mime.setData(kind, text)
        QApplication.clipboard().setMimeData(mime)     # the clipboard owns it from here
        self._set_note(f"Copied {where} ({len(text):,} bytes of JSON).", True)

    def _copy_done(self, task) -> None:
        if self._copy_task is task:
            self._copy_task = None

    def copy_task(self):
        """The Copy Value task running in the worker, or None (tests)."""
        return self._copy_task

    def copy_path(self) -> None:
        """Clipboard ← ``$.gameData.factions.byId…`` of the selected node."""
        index = self.tree.currentIndex()
        if index.isValid():
            path = format_path(self.model.path_for_index(index))
            QApplication.clipboard().setText(path)
            self._set_note("Copied the JSON path.", True)

    def follow_current(self) -> None:
        """Follow the selected node across saves: its path, with records in arrays named by their
        identity field (``core.pins.pin_from_node``)."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        from inspector_app.core.pins import PinError, pin_from_node  # not at start-up

        root = self.model.value_for_index(self.model.index(0, 0))
        path = self.model.path_for_index(index)
        if self._sectioned:   # a big save's skeleton: the big parts on the way are parsed in the worker
            from inspector_app.core.loading.sections import materialize
            from inspector_app.ui.workers import BackgroundTask, Priority

            def work(_progress, cancelled):
                return pin_from_node(materialize(root, cancelled, keep=lambda c: c.path != path[:len(c.path)]), path)

            task = BackgroundTask(work, name="follow")
            task.sigFinished.connect(self.sigFollowRequested.emit)
            task.sigFailed.connect(lambda exc: self._set_note(f"Cannot follow this node: {exc}", False))
            task.start(priority=Priority.USER)
            return
        try:
            pin = pin_from_node(root, path)
        except PinError as exc:
            self._set_note(f"Cannot follow this node: {exc}", False)
            return
        self.sigFollowRequested.emit(pin)

    def expand_children(self) -> None:
        """Expand the selected node and its direct child containers (one level, capped)."""
        index = self.tree.currentIndex().siblingAtColumn(0)
        if not index.isValid():
            return
        self.tree.expand(index)
        budget = EXPAND_GRANDCHILDREN_MAX
        opened = 0
        for row in range(self.model.rowCount(index)):
            child = self.model.index(row, 0, index)
            if not self.model.hasChildren(child):
                continue
            size = len(self.model.value_for_index(child))
            if opened >= EXPAND_CHILDREN_MAX or size > budget:
                break
            self.tree.expand(child)
            budget -= min(size, self.model.FETCH_CHUNK)
            opened += 1

    def collapse_all(self) -> None:
        """Collapse everything but keep the root open, so the top-level keys stay visible."""
        self.tree.collapseAll()
        root = self.model.index(0, 0)
        if root.isValid():
            self.tree.expand(root)

    # -- selection / details --------------------------------------------------------------------
    def _update_actions(self) -> None:
        has = self.tree.currentIndex().isValid()
        for action in (self.copy_value_action, self.copy_path_action, self.expand_children_action, self.follow_action):
            action.setEnabled(has)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_selection(current)
        if current.isValid():
            self.sigPathSelected.emit(self.model.path_for_index(current))

    def _show_selection(self, index: QModelIndex) -> None:
        self._update_actions()
        self._details_runner.cancel(emit=False)
        if not index.isValid():
            self.path_field.clear()
            self._set_details("")
            self._set_times([])
            return
        path = self.model.path_for_index(index)
        self.path_field.setText(format_path(path))
        self.path_field.setCursorPosition(0)
        value = self.model.value_for_index(index)
        self._set_times(readable_times(path[-1] if path else None, value,
                                       parent_key=path[-2] if len(path) > 1 else None))
        lazy = self._sectioned and _has_lazy(value)
        if not lazy and _is_small(value):
            self._set_details(pretty_json_excerpt(value))
            return
        self._set_details("")
        self.details_note.setText("Formatting…")
        self.details_note.show()
        if lazy:   # a big save's unparsed parts: parsed in the worker as far as the excerpt reaches
            self._details_runner.start(lambda progress, cancelled: pretty_json_excerpt(value), name="details")
            return
        self._details_runner.start(lambda progress, cancelled: pretty_json_excerpt(value), name="details")

    def _set_times(self, lines: list[str]) -> None:
        self.details_times.setText("\n".join(lines))
        self.details_times.setVisible(bool(lines))

    def _on_details_ready(self, text: str) -> None:
        self._set_details(text)

    def _set_details(self, text: str) -> None:
        self.details.setPlainText(text)
        truncated = text.endswith("bytes total") and "\n…truncated, " in text[-60:]
        if truncated:
            self.details_note.setText(text[text.rfind("…truncated"):])
        self.details_note.setVisible(truncated)
