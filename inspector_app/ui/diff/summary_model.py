"""Flat list model of the designer-level changes, with one header row per domain."""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap

from inspector_app.core.diff import Change, group_by_domain

from inspector_app.ui import theme

from .style import KIND_COLOURS

ChangeRole = Qt.ItemDataRole.UserRole + 1
IsHeaderRole = Qt.ItemDataRole.UserRole + 2
_MARKS = {"added": "+", "removed": "−", "changed": "•"}


def _dot(colour: QColor) -> QIcon:
    pm = QPixmap(12, 12)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QBrush(colour))
    p.setPen(colour)
    p.drawEllipse(2, 2, 8, 8)
    p.end()
    return QIcon(pm)


class SemanticSummaryModel(QAbstractListModel):
    """Rows: ("header", domain, n) or ("change", Change)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple] = []
        self._header_font = QFont()
        self._header_font.setBold(True)
        self._icons: dict[tuple[str, bool], QIcon] = {}
        self._empty_text = ""

    def set_changes(self, changes: list[Change] | None, empty_text: str = "No differences") -> None:
        self.beginResetModel()
        self._rows = []
        for domain, items in group_by_domain(list(changes or [])):
            self._rows.append(("header", domain, len(items)))
            self._rows.extend(("change", c) for c in items)
        self._empty_text = empty_text if changes is not None and not self._rows else ""
        if self._empty_text:
            self._rows.append(("empty", self._empty_text))
        self.endResetModel()


    def texts(self) -> list[str]:
        """Every row as shown, headers included (for tests and copy)."""
        return [self.data(self.index(i), Qt.ItemDataRole.DisplayRole) for i in range(len(self._rows))]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: QModelIndex):
        if not index.isValid() or self._rows[index.row()][0] != "change":
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _icon(self, kind: str) -> QIcon:
        key = (kind, theme.is_dark())
        icon = self._icons.get(key)
        if icon is None:
            icon = self._icons[key] = _dot(KIND_COLOURS.get(kind, KIND_COLOURS["changed"])[0])
        return icon

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if row[0] == "header":
            _, domain, n = row
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{domain}  ({n})"
            if role == Qt.ItemDataRole.FontRole:
                return self._header_font
            if role == Qt.ItemDataRole.BackgroundRole:  # palette roles: follows light/dark
                return QGuiApplication.palette().color(QPalette.ColorRole.Midlight)
            if role == Qt.ItemDataRole.ForegroundRole:
                return QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
            if role == IsHeaderRole:
                return True
            return None
        if row[0] == "empty":
            return row[1] if role == Qt.ItemDataRole.DisplayRole else None
        change: Change = row[1]
        if role == Qt.ItemDataRole.DisplayRole:
            return change.text
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(change.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = "" if change.path is None else f"\n{'B' if change.side == 'b' else 'A'}: {'.'.join(map(str, change.path))}"
            return f"{change}{where}"
        if role == ChangeRole:
            return change
        if role == IsHeaderRole:
            return False
        return None
