"""A Qt table model over one core :class:`~inspector_app.core.worldstate.table.Table`.

The core gives raw row values and a column ``kind``; this model only decides how they look
(text, alignment, badge colours, tooltips) and what they sort by (``Qt.UserRole`` holds the
raw value, so times and numbers sort numerically through the proxy).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from inspector_app.core.worldstate._coerce import display_text
from inspector_app.core.worldstate.table import Table
from inspector_app.core.common.jsfmt import is_number, iso_from_ms, js_number
from inspector_app.core.common.timefmt import NEVER, format_absolute_time, format_relative_time
from inspector_app.ui import theme

#: Tone -> the theme's value colour (ui/theme.py: readable on light and dark palettes).
TONE_COLOURS: dict[str, str] = {
    "good": "good", "warn": "warning", "bad": "bad", "info": "info", "neutral": "neutral", "unknown": "muted",
}


def tone_colours(tone: str) -> tuple[QColor, QColor]:
    """(background, foreground) of a tone badge under the current application palette."""
    colours = theme.value_colors()
    name = TONE_COLOURS.get(tone, "neutral")
    return colours[name + "_bg"], colours[name]

SORT_ROLE = Qt.ItemDataRole.UserRole


class DomainTableModel(QAbstractTableModel):
    """Read-only model of one view table; ``now`` (epoch ms) anchors relative-time tooltips."""

    def __init__(self, table: Table, now: float | None = None, parent=None):
        super().__init__(parent)
        self._table = table
        self._now = now

    @property
    def table(self) -> Table:
        return self._table

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._table.columns):
            return None
        column = self._table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip or column.header
        return None

    def raw(self, row: int, column: int) -> Any:
        return self._table.rows[row].get(self._table.columns[column].key)

    def display(self, row: int, column: int) -> str:
        col = self._table.columns[column]
        value = self._table.rows[row].get(col.key)
        if col.kind == "time":
            return NEVER if is_number(value) and value == 0 else format_absolute_time(value)
        if col.kind == "bool":
            return "yes" if value else "no"
        return display_text(value)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        col = self._table.columns[column]
        entry = self._table.rows[row]
        value = entry.get(col.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == SORT_ROLE:
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, (int, float)):
                return float(value)
            return self.display(row, column).lower()
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = entry.get("_tips", {}).get(col.key) if isinstance(entry.get("_tips"), dict) else None
            if tip:
                return tip
            if col.kind == "time" and is_number(value):
                if value == 0:
                    return "0: the game's encoding of \"never\""
                relative = f" — {format_relative_time(value, self._now)}" if self._now else ""
                return f"{iso_from_ms(value) or 'outside the JavaScript date range'} (epoch {js_number(value)}){relative}"
            text = self.display(row, column)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            tone = entry.get("_tones", {}).get(col.key) if isinstance(entry.get("_tones"), dict) else None
            if not tone or (col.kind != "badge" and tone not in ("bad", "warn")):
                return None
            background, foreground = tone_colours(tone)
            if col.kind != "badge":  # plain columns only get a coloured text
                return QBrush(foreground) if role == Qt.ItemDataRole.ForegroundRole else None
            return QBrush(background if role == Qt.ItemDataRole.BackgroundRole else foreground)
        return None


class DomainSortProxy(QSortFilterProxyModel):
    """Sorts by the raw values and filters on every column's displayed text (case-insensitive)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setFilterRole(Qt.ItemDataRole.DisplayRole)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if type(a) is type(b):
            return a < b
        return isinstance(a, float)  # numbers before texts (e.g. "—")
