"""The export events dock: the live ``telemetry:*`` event stream of each export, filterable."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTreeView, QVBoxLayout, QWidget

from inspector_app.ui.models.row_table import RowTableModel

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


class ExportEventsPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("exportEventsPanel")
        self.model = EventTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("exportEventsFilter")
        self.filter.setPlaceholderText("Filter events (e.g. artifact_failed)…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        clear = QPushButton("Clear", self)
        clear.clicked.connect(self.model.clear)
        self.view = QTreeView(self)
        self.view.setObjectName("exportEventsView")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setModel(self.proxy)
        for col, w in enumerate((100, 60, 230)):
            self.view.setColumnWidth(col, w)
        top = QHBoxLayout()
        top.addWidget(QLabel("Live telemetry:* events of each export", self))
        top.addStretch(1)
        top.addWidget(self.filter, 2)
        top.addWidget(clear)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)

    def add_event(self, export_id: int, event: str, payload: Any) -> None:
        self.model.append(EventRow(time.time(), export_id, event, payload))
        self.view.scrollToBottom()
