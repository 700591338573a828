"""A lazy table model over a :class:`~inspector_app.core.playtest.page.Table`: cells are made
when the view asks for them (only the rows on screen), sorting is the table's own (one Python
sort, not a proxy calling ``data`` N log N times). Numbers that stand for players are drawn
as links; a player's name is a link that opens the profile."""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from inspector_app.core.playtest.page import Cell, Table
from inspector_app.ui import theme

_ROOT = QModelIndex()
#: rows whose cells are kept (a view asks for every role of every cell on each paint)
ROW_CACHE = 2000
CELL_ROLE = Qt.ItemDataRole.UserRole + 1     # the Cell (its link / player)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class CellTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._table: Table | None = None
        self._colours: dict[str, Any] = {}
        self._link_font = QFont()
        self._link_font.setUnderline(True)
        self._sorted: tuple[int, Qt.SortOrder] | None = None
        self._rows_cache: dict[int, Sequence[Cell]] = {}
        self.restyle()

    def restyle(self) -> None:
        """Colours from the palette (called again on a palette change)."""
        pal = QApplication.palette()
        self._colours = dict(theme.value_colors(pal))
        self._colours["link"] = pal.color(QPalette.ColorRole.Link)
        if self._table is not None and len(self._table):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._table) - 1, len(self._table.columns) - 1))

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self._table = table
        self._rows_cache.clear()
        if self._sorted is not None and self._sorted[0] < len(table.columns):
            table.sort(self._sorted[0], self._sorted[1] == Qt.SortOrder.DescendingOrder)
        self.endResetModel()

    def table(self) -> Table | None:
        return self._table

    def cell(self, index: QModelIndex | QPersistentModelIndex) -> Cell | None:
        t = self._table
        if t is None or not index.isValid() or index.row() >= len(t):
            return None
        r = index.row()
        cells = self._rows_cache.get(r)
        if cells is None:
            if len(self._rows_cache) >= ROW_CACHE:
                self._rows_cache.clear()
            cells = self._rows_cache[r] = t.cells(r)
        return cells[index.column()]

    def row_of(self, predicate) -> int:
        t = self._table
        return next((r for r in range(len(t)) if predicate(t.row(r))), -1) if t is not None else -1

    # -- Qt API ------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() or self._table is None else len(self._table)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() or self._table is None else len(self._table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or self._table is None or section >= len(self._table.columns):
            return None
        col = self._table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.name
        if role == Qt.ItemDataRole.ToolTipRole and col.tip:
            return col.tip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col.numeric else _LEFT)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole, CELL_ROLE,
                        Qt.ItemDataRole.AccessibleDescriptionRole):
            return None
        cell = self.cell(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == CELL_ROLE:
            return cell
        clickable = cell.link is not None or cell.open is not None
        if role == Qt.ItemDataRole.ForegroundRole:
            if clickable and cell.tone in (None, "good", "warning", "bad") and cell.open is not None:
                return self._colours["link"] if cell.tone is None else self._colours[cell.tone]
            if cell.tone:
                return self._colours.get(cell.tone)
            return self._colours["link"] if clickable else None
        if role == Qt.ItemDataRole.FontRole:
            return self._link_font if clickable else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if cell.numeric else _LEFT)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return cell.tip or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._table is None or not 0 <= column < len(self._table.columns):
            return
        self.beginResetModel()
        self._rows_cache.clear()
        self._table.sort(column, order == Qt.SortOrder.DescendingOrder)
        self._sorted = (column, order)
        self.endResetModel()
