"""The export events dock: the live ``telemetry:*`` event stream of each export, filterable."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QLineEdit, QMainWindow, QPushButton, QSizePolicy,
                               QToolButton, QTreeView, QVBoxLayout, QWidget)

from inspector_app.ui.models.row_table import RowTableModel
from inspector_app.ui.settings import app_settings, read_bool

MAX_EVENTS = 5000


@dataclass(frozen=True)
class EventRow:
    when: float
    export_id: int
    event: str
    payload: Any

    def summary(self) -> str:
        p = self.payload
        if not isinstance(p, dict):
            return str(p)
        parts = []
        for key in ("artifactCount", "artifactsWritten", "artifactsAttempted", "failures", "filename", "writerId",
                    "errorMessage", "status", "payloadBytes", "budgetBytes", "exceededBy", "durationMs", "dryRun"):
            if key in p and not isinstance(p[key], (dict, list)):
                parts.append(f"{key}={p[key]}")
            elif key in p and isinstance(p[key], list):
                parts.append(f"{key}={len(p[key])}")
        return ", ".join(parts) if parts else _compact(p, 160)


def _compact(value: Any, limit: int) -> str:
    try:
        text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS, default=str).decode()
    except TypeError:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class EventTableModel(RowTableModel[EventRow]):
    COLUMNS = ("Time", "Export", "Event", "Payload")

    def append(self, row: EventRow) -> None:
        if len(self._rows) >= MAX_EVENTS:
            drop = len(self._rows) - MAX_EVENTS + 1
            self.beginRemoveRows(QModelIndex(), 0, drop - 1)
            del self._rows[:drop]
            self.endRemoveRows()
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()

    def clear(self) -> None:
        self.set_rows([])

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return time.strftime("%H:%M:%S", time.localtime(r.when)) + f".{int(r.when * 1000) % 1000:03d}"
            if col == 1:
                return f"#{r.export_id}"
            if col == 2:
                return r.event
            return r.summary()
        if role == Qt.ItemDataRole.ToolTipRole:
            return _compact(r.payload, 4000)
        return None


EXPANDED_KEY = "exportEvents/expanded"
EXPANDED_HEIGHT = 170      # the dock's height when the list is opened (px)


class ExportEventsPanel(QWidget):
    """The last event on one line (compact: the dock takes a row under the charts, not a
    sixth of the window); "Show events" opens the filterable list. Which one is remembered."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("exportEventsPanel")
        self.model = EventTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("exportEventsToggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolTip("Show or hide the list of every telemetry:* event of the exports")
        self.last = QLabel("Live telemetry:* events of each export", self)
        self.last.setObjectName("exportEventsLast")
        self.last.setTextFormat(Qt.TextFormat.PlainText)
        self.last.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)   # elided by the width
        self.filter = QLineEdit(self)
        self.filter.setObjectName("exportEventsFilter")
        self.filter.setPlaceholderText("Filter events (e.g. artifact_failed)…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.clicked.connect(self._clear)
        self.view = QTreeView(self)
        self.view.setObjectName("exportEventsView")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setModel(self.proxy)
        for col, w in enumerate((100, 60, 230)):
            self.view.setColumnWidth(col, w)
        top = QHBoxLayout()
        top.addWidget(self.toggle)
        top.addWidget(self.last, 3)
        top.addWidget(self.filter, 2)
        top.addWidget(self.clear_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        self.toggle.toggled.connect(self._on_toggled)
        self.toggle.setChecked(read_bool(app_settings(), EXPANDED_KEY))
        self._on_toggled(self.toggle.isChecked(), remember=False)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def _on_toggled(self, on: bool, remember: bool = True) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.toggle.setText("Hide events" if on else f"Show events ({self.model.rowCount()})")
        for w in (self.view, self.filter, self.clear_button):
            w.setVisible(on)
        if on:
            self.setMaximumHeight(16777215)
        else:
            self.setMaximumHeight(self.layout().contentsMargins().top() + self.layout().contentsMargins().bottom()
                                  + max(self.toggle.sizeHint().height(), self.last.sizeHint().height()))
        if remember:
            app_settings().setValue(EXPANDED_KEY, on)
            self._size_dock(on)

    def _size_dock(self, expanded: bool) -> None:
        """Opened: give the dock room for a few rows (it was one row high)."""
        dock = self.parentWidget()
        window = dock.parentWidget() if dock is not None else None
        if expanded and isinstance(dock, QDockWidget) and isinstance(window, QMainWindow):
            window.resizeDocks([dock], [EXPANDED_HEIGHT], Qt.Orientation.Vertical)

    def _clear(self) -> None:
        self.model.clear()
        self.last.setText("Live telemetry:* events of each export")
        self._on_toggled(self.expanded, remember=False)

    def add_event(self, export_id: int, event: str, payload: Any) -> None:
        row = EventRow(time.time(), export_id, event, payload)
        self.model.append(row)
        detail = row.summary()
        self.last.setText(f"#{export_id} {event}" + (f" — {detail}" if detail else ""))
        self.last.setToolTip(_compact(payload, 4000))
        if not self.expanded:
            self.toggle.setText(f"Show events ({self.model.rowCount()})")
        self.view.scrollToBottom()

