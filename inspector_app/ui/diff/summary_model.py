"""Tree model of the designer-level changes: one group per domain, its changes below, capped.

Two saves of a big profile can differ in tens of thousands of designer-level lines (18,173 for
two 3.9 MB slots); a flat word-wrapped list of them stalled the GUI for seconds just laying out
rows. Here each domain is a group row with its count ("Inventory  (18,020)"); a group shows its
first :data:`GROUP_CAP` changes and then one "… and N more" row — activating it shows
:data:`MORE_STEP` more. Rows are built on demand from the grouped lists (no item objects).
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap

from inspector_app.core.diff import Change, group_by_domain

from inspector_app.ui import theme

from .style import KIND_COLOURS

ChangeRole = Qt.ItemDataRole.UserRole + 1
IsHeaderRole = Qt.ItemDataRole.UserRole + 2
IsMoreRole = Qt.ItemDataRole.UserRole + 3
GROUP_CAP = 50          # changes shown per group before "… and N more"
MORE_STEP = 200         # how many more one activation of "… and N more" shows
_TOP = 0                # internalId of top-level rows; children carry their group's index + 1
_ROOT = QModelIndex()


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


class SemanticSummaryModel(QAbstractItemModel):
    """Top level: one row per domain (or one "empty" row); children: that domain's changes up
    to its current cap, then a "more" row when some are hidden."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._groups: list[tuple[str, list[Change]]] = []
        self._shown: list[int] = []
        self._empty_text = ""
        self._header_font = QFont()
        self._header_font.setBold(True)
        self._icons: dict[tuple[str, bool], QIcon] = {}

    # -- content -------------------------------------------------------------------------------
    def set_changes(self, changes: list[Change] | None, empty_text: str = "No differences",
                    groups: list[tuple[str, list[Change]]] | None = None) -> None:
        """Show ``changes`` grouped by domain (``groups``, when the worker grouped them already)."""
        self.beginResetModel()
        self._groups = groups if groups is not None else group_by_domain(list(changes or []))
        self._shown = [min(len(items), GROUP_CAP) for _, items in self._groups]
        self._empty_text = empty_text if changes is not None and not self._groups else ""
        self.endResetModel()

    def groups(self) -> list[tuple[str, list[Change]]]:
        return list(self._groups)

    def total(self) -> int:
        return sum(len(items) for _, items in self._groups)

    def hidden_count(self, group: int) -> int:
        return len(self._groups[group][1]) - self._shown[group]

    def show_more(self, index: QModelIndex) -> bool:
        """Reveal :data:`MORE_STEP` more changes of the group whose "more" row is ``index``."""
        if not index.isValid() or not self.data(index, IsMoreRole):
            return False
        g = index.internalId() - 1
        old = self._shown[g]
        new = min(len(self._groups[g][1]), old + MORE_STEP)
        parent = self.index(g, 0)
        if new < len(self._groups[g][1]):        # still more: insert before the "more" row
            self.beginInsertRows(parent, old, new - 1)
            self._shown[g] = new
            self.endInsertRows()
            changed = self.index(new, 0, parent)
        else:                                     # the "more" row becomes the next change
            if new - old > 1:
                self.beginInsertRows(parent, old + 1, new - 1)
                self._shown[g] = new
                self.endInsertRows()
            self._shown[g] = new
            changed = self.index(old, 0, parent)
        self.dataChanged.emit(changed, changed)
        return True

    def texts(self) -> list[str]:
        """Every row as shown, group rows and their visible children (for tests and copy)."""
        out = []
        for g in range(self.rowCount()):
            top = self.index(g, 0)
            out.append(self.data(top))
            out.extend(self.data(self.index(r, 0, top)) for r in range(self.rowCount(top)))
        return out

    def index_of(self, text: str) -> QModelIndex:
        """The first visible row showing ``text`` (an invalid index when none does)."""
        for g in range(self.rowCount()):
            top = self.index(g, 0)
            if self.data(top) == text:
                return top
            for r in range(self.rowCount(top)):
                child = self.index(r, 0, top)
                if self.data(child) == text:
                    return child
        return QModelIndex()

    # -- Qt model --------------------------------------------------------------------------------
    def index(self, row: int, column: int = 0, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _TOP) if row < self.rowCount() else QModelIndex()
        if parent.internalId() != _TOP or not self._groups:
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1) if row < self.rowCount(parent) else QModelIndex()

    def parent(self, index=None):  # type: ignore[override] - Qt overloads parent()
        if index is None:
            return super().parent()
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802 - Qt API
        if not parent.isValid():
            return len(self._groups) if self._groups else (1 if self._empty_text else 0)
        if parent.internalId() != _TOP or not self._groups or parent.column() != 0:
            return 0
        g = parent.row()
        return self._shown[g] + (1 if self.hidden_count(g) > 0 else 0)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:  # noqa: N802 - Qt API
        return 1

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _TOP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _icon(self, kind: str) -> QIcon:
        key = (kind, theme.is_dark())
        icon = self._icons.get(key)
        if icon is None:
            icon = self._icons[key] = _dot(KIND_COLOURS.get(kind, KIND_COLOURS["changed"])[0])
        return icon

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._group_data(index.row(), role)
        g, r = index.internalId() - 1, index.row()
        items = self._groups[g][1]
        if r >= self._shown[g]:                       # the "… and N more" row
            n = self.hidden_count(g)
            if role == Qt.ItemDataRole.DisplayRole:
                return f"… and {n:,} more (double-click to show {min(n, MORE_STEP):,} more)"
            if role == IsMoreRole:
                return True
            if role == Qt.ItemDataRole.ForegroundRole:
                return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        change = items[r]
        if role == Qt.ItemDataRole.DisplayRole:
            return change.text
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(change.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = "" if change.path is None else f"\n{'B' if change.side == 'b' else 'A'}: {'.'.join(map(str, change.path))}"
            return f"{change}{where}"
        if role == ChangeRole:
            return change
        if role in (IsHeaderRole, IsMoreRole):
            return False
        return None

    def _group_data(self, g: int, role: int):
        if not self._groups:
            return self._empty_text if role == Qt.ItemDataRole.DisplayRole else None
        domain, items = self._groups[g]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{domain}  ({len(items):,})"
        if role == Qt.ItemDataRole.FontRole:
            return self._header_font
        if role == Qt.ItemDataRole.BackgroundRole:      # palette roles: follows light/dark
            return QGuiApplication.palette().color(QPalette.ColorRole.Midlight)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
        if role == IsHeaderRole:
            return True
        return None
