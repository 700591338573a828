"""Lazy Qt tree model over a :class:`~inspector_app.core.diff.DiffTree`.

Nodes are the tree's integers, passed to ``createIndex`` as internal ids, so the model
holds no per-row Python objects and only formats the rows the view paints.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from inspector_app.core.diff import DiffTree

from inspector_app.core.common.timefmt import readable_time_value

from .style import KIND_COLOURS, KIND_LABELS, colour_key, kind_colour, pretty, preview

COLUMNS = ("Path", "Kind", "Old (A)", "New (B)")
PATH, KIND, OLD, NEW = range(4)
NodeRole = Qt.ItemDataRole.UserRole + 1
RevealRole = Qt.ItemDataRole.UserRole + 2


class DiffTreeModel(QAbstractItemModel):
    """Columns Path / Kind / Old / New; group rows summarise the changes below them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._tree: DiffTree | None = None
        self._preview_cache: dict[tuple[int, int], str] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- content -----------------------------------------------------------------------
    def set_tree(self, tree: DiffTree | None) -> None:
        self.beginResetModel()
        self._tree = tree
        self._preview_cache.clear()
        self.endResetModel()

    @property
    def tree(self) -> DiffTree | None:
        return self._tree

    def node(self, index: QModelIndex) -> int:
        return index.internalId() if index.isValid() else DiffTree.ROOT

    # -- structure ---------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if self._tree is None or column < 0 or column >= len(COLUMNS):
            return QModelIndex()
        kids = self._tree.children[self.node(parent)]
        if 0 <= row < len(kids):
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if self._tree is None or not index.isValid():
            return QModelIndex()
        p = self._tree.parent[index.internalId()]
        if p <= DiffTree.ROOT:
            return QModelIndex()
        return self.createIndex(self._tree.row[p], 0, p)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if self._tree is None or (parent.isValid() and parent.column() != 0):
            return 0
        return len(self._tree.children[self.node(parent)])

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    # -- data ----------------------------------------------------------------------------
    def _value_text(self, node: int, column: int, value) -> str:
        key = (node, column)
        text = self._preview_cache.get(key)
        if text is None:
            if len(self._preview_cache) > 4000:
                self._preview_cache.clear()
            text = self._preview_cache[key] = preview(value)
        return text

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        tree = self._tree
        if tree is None or not index.isValid():
            return None
        node, col = index.internalId(), index.column()
        entry = tree.node_entry(node)
        if role == NodeRole:
            return node
        if role == RevealRole:
            return tree.reveal(node)
        if entry is None:
            return self._group_data(node, col, role)
        fg, bg = KIND_COLOURS[colour_key(entry.kind)]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == PATH:
                return tree.label[node]
            if col == KIND:
                return KIND_LABELS[entry.kind]
            value, present = (entry.old, entry.old_path is not None) if col == OLD else (entry.new, entry.new_path is not None)
            if entry.kind.value == "moved":
                return f"index {value}"
            if not present:
                return ""
            text = self._value_text(node, col, value)
            readable = readable_time_value(entry.path[-1], value) if entry.path else None
            return f"{text}  ({readable})" if readable else text
        if role == Qt.ItemDataRole.ForegroundRole and col == KIND:
            return fg
        if role == Qt.ItemDataRole.BackgroundRole:
            return bg
        if role == Qt.ItemDataRole.FontRole and col == KIND:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == OLD and entry.old_path is not None:
                return pretty(entry.old)
            if col == NEW and entry.new_path is not None:
                return pretty(entry.new)
            side, path = entry.reveal
            return f"{KIND_LABELS[entry.kind]} — {'B' if side == 'b' else 'A'}: {path!r}"
        return None

    def _group_data(self, node: int, col: int, role: int):
        tree = self._tree
        if role == Qt.ItemDataRole.DisplayRole:
            if col == PATH:
                return tree.label[node]
            if col == KIND:
                return tree.summary(node)
            if col == OLD:
                return tree.note(node) or ""
            return ""
        if role == Qt.ItemDataRole.ForegroundRole and col in (KIND, OLD):
            return kind_colour("muted")
        if role == Qt.ItemDataRole.FontRole:
            return self._italic if col == OLD else (self._bold if col == PATH else None)
        if role == Qt.ItemDataRole.ToolTipRole and col == OLD:
            return tree.note(node)
        return None
