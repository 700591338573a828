"""The metric browser's model: sources → benchmarks → statistics, built lazily with a filter.

Grouping happens once per series list (a few dicts); child rows of a node are materialised
only when the view asks for them. Nodes are addressed by integer ids (``internalId``) into a
flat list, so the model holds no Python objects in QModelIndex pointers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from ...core.metrics.model import PRIMARY_STATISTICS, SeriesKey
from ...core.metrics.names import elide_name, neighbour_affixes
from .charts import readable_on

SERIES_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
AFFIX_ROLE = Qt.ItemDataRole.UserRole + 2     # (common start, common end) shared with its closest siblings


class DistinguishingDelegate(QStyledItemDelegate):
    """Shortens a name by removing what it shares with its siblings (``…500-entities``),
    never the part that tells it apart; the full name stays in the tooltip."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        affixes = index.data(AFFIX_ROLE)
        text = option.text
        if not text or not isinstance(affixes, (tuple, list)) or len(affixes) != 2:
            return
        prefix, suffix = (int(a) for a in affixes)
        width = option.rect.width() - 8 - (option.decorationSize.width() if option.icon and not option.icon.isNull() else 0)
        fm = option.fontMetrics
        if fm.horizontalAdvance(text) <= width:
            return
        chars = max(4, len(text))
        while chars > 4 and fm.horizontalAdvance(elide_name(text, chars, prefix, suffix)) > width:
            chars -= 1
        option.text = elide_name(text, chars, prefix, suffix)


@dataclass
class _Node:
    name: str
    parent: int                      # node id of the parent (-1 for top level)
    row: int
    level: int                       # 0 source, 1 benchmark, 2 statistic
    key: SeriesKey | None = None     # statistics only
    runs: int = 0
    children_spec: list = field(default_factory=list)   # unexpanded (name, payload) pairs
    children: list[int] | None = None                   # node ids once materialised
    affixes: tuple[int, int] = (0, 0)                   # shared with siblings (for eliding)


class SeriesTreeModel(QAbstractItemModel):
    """Lazy tree of series; ``set_series`` replaces the content, ``set_filter`` narrows it."""

    HEADERS = ("Metric", "Runs")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._all: list[tuple[SeriesKey, str, int]] = []
        self._filter = ""
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._flags: dict[SeriesKey, bool] = {}     # key → regression (True) / improvement (False)

    # -------------------------------------------------------------------------- content
    def set_series(self, series: list[tuple[SeriesKey, str, int]], flags: dict[SeriesKey, bool] | None = None) -> None:
        self._all = list(series)
        self._flags = dict(flags or {})
        self._rebuild()

    def set_filter(self, text: str) -> None:
        self._filter = text.strip().lower()
        self._rebuild()

    def series_count(self) -> int:
        return sum(1 for _ in self._visible())

    def _visible(self):
        words = self._filter.split()
        for key, unit, n in self._all:
            if words:
                hay = f"{key.source} {key.benchmark} {key.statistic}".lower()
                if not all(w in hay for w in words):
                    continue
            yield key, unit, n

    def _rebuild(self) -> None:
        self.beginResetModel()
        grouped: dict[str, dict[str, list[tuple[SeriesKey, int]]]] = {}
        for key, _unit, n in self._visible():
            grouped.setdefault(key.source, {}).setdefault(key.benchmark, []).append((key, n))
        self._nodes = []
        self._top = []
        for row, (source, benches) in enumerate(grouped.items()):
            nid = len(self._nodes)
            self._nodes.append(_Node(source, -1, row, 0, children_spec=list(benches.items()),
                                     runs=max((n for b in benches.values() for _, n in b), default=0)))
            self._top.append(nid)
        for n, affixes in zip(self._top, neighbour_affixes([self._nodes[n].name for n in self._top])):
            self._nodes[n].affixes = affixes
        self.endResetModel()

    def _children(self, nid: int) -> list[int]:
        node = self._nodes[nid]
        if node.children is None:
            node.children = []
            for row, (name, payload) in enumerate(node.children_spec):
                cid = len(self._nodes)
                if node.level == 0:
                    stats = sorted(payload, key=lambda kn: (kn[0].statistic not in PRIMARY_STATISTICS, kn[0].statistic))
                    self._nodes.append(_Node(name, nid, row, 1, children_spec=[(k.statistic, (k, n)) for k, n in stats],
                                             runs=max(n for _, n in payload)))
                else:
                    key, n = payload
                    self._nodes.append(_Node(name, nid, row, 2, key=key, runs=n))
                node.children.append(cid)
            node.children_spec = []
            for c, affixes in zip(node.children, neighbour_affixes([self._nodes[c].name for c in node.children])):
                self._nodes[c].affixes = affixes
        return node.children

    # -------------------------------------------------------------------------- Qt model
    def index(self, row, column, parent=QModelIndex()):
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        ids = self._top if not parent.isValid() else self._children(parent.internalId())
        return self.createIndex(row, column, ids[row]) if row < len(ids) else QModelIndex()

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        node = self._nodes[index.internalId()]
        if node.parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[node.parent].row, 0, node.parent)

    def rowCount(self, parent=QModelIndex()):
        if parent.column() > 0:
            return 0
        if not parent.isValid():
            return len(self._top)
        node = self._nodes[parent.internalId()]
        if node.level == 2:
            return 0
        return len(node.children) if node.children is not None else len(node.children_spec)

    def columnCount(self, parent=QModelIndex()):
        return 2

    def hasChildren(self, parent=QModelIndex()):
        if not parent.isValid():
            return bool(self._top)
        return self._nodes[parent.internalId()].level < 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        if role == Qt.ItemDataRole.DisplayRole:
            return node.name if index.column() == 0 else str(node.runs)
        if role == SERIES_KEY_ROLE:
            return node.key if node.level == 2 else self.primary_key(index)
        if role == AFFIX_ROLE and index.column() == 0:
            return node.affixes
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            flag = self._node_flag(index.internalId())
            if flag is not None:
                return QBrush(self._flag_color(flag))
        if role == Qt.ItemDataRole.ToolTipRole:
            flag = self._node_flag(index.internalId())
            note = {True: "\nA regression was detected here", False: "\nAn improvement was detected here"}.get(flag, "")
            return f"{node.name} — {node.runs} run(s){note}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _flag_color(self, regression: bool):
        """Red / green readable (4.5:1) on the view's base colour, light or dark."""
        view = self.parent()
        palette = view.palette() if hasattr(view, "palette") else QPalette()
        return readable_on("#c62828" if regression else "#2e7d32", palette.color(QPalette.ColorRole.Base))

    def _node_flag(self, nid: int) -> bool | None:
        node = self._nodes[nid]
        if node.level == 2:
            return self._flags.get(node.key)
        name = node.name
        if node.level == 1:
            source = self._nodes[node.parent].name
            flags = [v for k, v in self._flags.items() if k.source == source and k.benchmark == name]
        else:
            flags = [v for k, v in self._flags.items() if k.source == name]
        return True if True in flags else (False if flags else None)

    def primary_key(self, index: QModelIndex) -> SeriesKey | None:
        """The series a benchmark row stands for (its mean/average, else its first statistic)."""
        node = self._nodes[index.internalId()]
        if node.level != 1:
            return node.key
        kids = self._children(index.internalId())
        return self._nodes[kids[0]].key if kids else None

    def index_for_key(self, key: SeriesKey) -> QModelIndex:
        """The statistic row of a series (materialising only its own branch)."""
        for row, nid in enumerate(self._top):
            if self._nodes[nid].name != key.source:
                continue
            for brow, bid in enumerate(self._children(nid)):
                if self._nodes[bid].name != key.benchmark:
                    continue
                for srow, sid in enumerate(self._children(bid)):
                    if self._nodes[sid].key == key:
                        return self.createIndex(srow, 0, sid)
        return QModelIndex()
