"""A lazy Qt tree model over a parsed JSON value (the world state of a save).

Saves reach millions of nodes, so nothing is built up front: :meth:`JsonTreeModel.set_root`
creates one node for the root. A container's children become nodes only when the view
fetches them (``fetchMore``, in chunks of :attr:`JsonTreeModel.FETCH_CHUNK`), i.e. when the
user expands it or :meth:`index_for_path` walks through it. ``hasChildren`` answers from the
value itself without building anything.

Nodes live in a flat table of parallel lists; a ``QModelIndex`` carries the node id as its
``internalId`` (never a Python object pointer), so an index stays valid however Python
moves objects around, and no per-node QObject/QStandardItem exists.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.common.timefmt import readable_time_value
from inspector_app.core.loading.sections import LazyContainer
from inspector_app.core.search import format_preview, json_type_name
from inspector_app.ui import theme

__all__ = ["JsonTreeModel", "CHANGE_ROLE", "JSON_PATH_ROLE", "PATH_ROLE", "VALUE_ROLE"]

#: ``data(index, JSON_PATH_ROLE)`` → ``"$.gameData.factions"``
JSON_PATH_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: ``data(index, PATH_ROLE)`` → ``("gameData", "factions")``
PATH_ROLE = int(Qt.ItemDataRole.UserRole) + 2
#: ``data(index, VALUE_ROLE)`` → the Python value of the node (not a copy)
VALUE_ROLE = int(Qt.ItemDataRole.UserRole) + 3
#: ``data(index, CHANGE_ROLE)`` → "old → new" text if the node changed in the last reload (follow
#: live), ``CHANGED_BELOW`` on a container holding such nodes, else None
CHANGE_ROLE = int(Qt.ItemDataRole.UserRole) + 4
CHANGED_BELOW = "changed below"

COL_KEY, COL_VALUE, COL_TYPE, COL_SIZE = range(4)
HEADERS = ("Key", "Value", "Type", "Size")

_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_CONTAINERS = (dict, list, LazyContainer)


class _Placeholder:
    """The value of the one row a lazy container shows while its children are parsed in the
    worker ("Loading…"), or in their place when that failed (``error``)."""

    __slots__ = ("error",)

    def __init__(self, error: str | None = None):
        self.error = error
_NO_PARENT = -1
_ROOT_ID = 0
_PREVIEW_LEN = 160
_TOOLTIP_LEN = 1500

#: JSON type -> the theme's value colour (ui/theme.py: ≥ 4.5:1 on light and dark palettes)
_TYPE_COLOURS = {"string": "good", "number": "info", "bool": "warning", "null": "muted", "object": "muted",
                 "array": "muted"}


def _lazy_stand_in(value: Any) -> Any:
    """What the Value/Type/Size columns show for a lazy container: its first members (a preview
    never reaches past them) — and its type and length, below."""
    return value.head() if type(value) is LazyContainer else value


def _size_text(value: Any) -> str:
    t = type(value)
    if t is LazyContainer:
        n = len(value)
        noun = ("key" if n == 1 else "keys") if value.is_dict else ("item" if n == 1 else "items")
        return f"{n:,} {noun}"
    if t is dict:
        n = len(value)
        return f"{n:,} key" if n == 1 else f"{n:,} keys"
    if t is list:
        n = len(value)
        return f"{n:,} item" if n == 1 else f"{n:,} items"
    if t is str:
        n = len(value)
        return f"{n:,} char" if n == 1 else f"{n:,} chars"
    return ""


class JsonTreeModel(QAbstractItemModel):
    """Key / Value / Type / Size over a JSON value, built only as far as it is looked at.

    The one top-level row is the document root (labelled ``root_label``, "$" by default).
    """

    #: children materialised per ``fetchMore`` call
    FETCH_CHUNK = 1000

    def __init__(self, value: Any = None, root_label: str = "$", parent=None):
        super().__init__(parent)
        self._bold = QFont()
        self._bold.setBold(True)
        self._brush_scheme: bool | None = None
        self._brush_cache: dict[str, QBrush] = {}
        self._clear_tables()
        self._has_root = False
        self._generation = 0      # a lazy fetch finishing after a reset is dropped
        self._root_label = root_label
        self._changed: dict[tuple, str] = {}      # path -> "old → new" (the last reload's changes)
        self._changed_above: set[tuple] = set()    # ancestors of those paths
        if value is not None:
            self.set_root(value, root_label)

    # ------------------------------------------------------------------ node table
    def _clear_tables(self) -> None:
        self._parent: list[int] = []     # node id -> parent node id (-1 for the root)
        self._row: list[int] = []        # node id -> row under its parent
        self._key: list[Any] = []        # node id -> dict key (str) / list index (int) / label
        self._value: list[Any] = []      # node id -> the value (a reference, never copied)
        self._children: dict[int, list[int]] = {}  # container id -> fetched child ids
        self._keys: dict[int, list[str]] = {}      # dict id -> its keys in file order
        self._key_rows: dict[int, dict[str, int]] = {}  # dict id -> key -> row (for big dicts)
        self._pending: dict[int, tuple[int, Any]] = {}  # lazy container id -> (placeholder id, task)
        self._failed: dict[int, int] = {}               # lazy container id -> error row id

    def _new_node(self, parent: int, row: int, key: Any, value: Any) -> int:
        nid = len(self._parent)
        self._parent.append(parent)
        self._row.append(row)
        self._key.append(key)
        self._value.append(value)
        return nid

    @property
    def materialized_count(self) -> int:
        """Nodes built so far (for tests and benchmarks: proves the model is lazy)."""
        return len(self._parent)

    def _drop_pending(self) -> None:
        self._generation += 1
        for _, task in self._pending.values():
            if task is not None:
                task.detach()

    def set_root(self, value: Any, root_label: str = "$") -> None:
        """Show ``value``; builds exactly one node whatever its size."""
        self.beginResetModel()
        self._drop_pending()
        self._clear_tables()
        self._root_label = root_label
        self._new_node(_NO_PARENT, 0, root_label, value)
        self._has_root = True
        self._changed, self._changed_above = {}, set()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._drop_pending()
        self._clear_tables()
        self._changed, self._changed_above = {}, set()
        self._has_root = False
        self.endResetModel()

    @property
    def root_value(self) -> Any:
        return self._value[_ROOT_ID] if self._has_root else None

    # ------------------------------------------------------------------ structure
    def _node(self, index: QModelIndex) -> int:
        return int(index.internalId()) if index.isValid() else _NO_PARENT

    def _length(self, node: int) -> int:
        value = self._value[node]
        t = type(value)
        return len(value) if t is dict or t is list or t is LazyContainer else 0

    def _extra_row(self, node: int) -> int | None:
        """The "Loading…" / error row shown after the children of a lazy container, if any."""
        pending = self._pending.get(node)
        return pending[0] if pending is not None else self._failed.get(node)

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if parent.isValid():
            children = self._children.get(parent.internalId())
            if children is not None and 0 <= row < len(children) and 0 <= column < 4:
                return self.createIndex(row, column, children[row])
            extra = self._extra_row(parent.internalId()) if self._pending or self._failed else None
            if extra is not None and row == len(children or ()) and 0 <= column < 4:
                return self.createIndex(row, column, extra)
            return QModelIndex()
        if row == 0 and self._has_root and 0 <= column < 4:
            return self.createIndex(0, column, _ROOT_ID)
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        p = self._parent[self._node(index)]
        if p == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(self._row[p], 0, p)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return 1 if self._has_root else 0
        if parent.column() > 0:
            return 0
        node = self._node(parent)
        children = self._children.get(node)
        n = len(children) if children is not None else 0
        if (self._pending or self._failed) and self._extra_row(node) is not None:
            n += 1
        return n

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(HEADERS)

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:
        if not parent.isValid():
            return self._has_root
        if parent.column() > 0:
            return False
        value = self._value[parent.internalId()]
        return type(value) in _CONTAINERS and len(value) > 0

    def canFetchMore(self, parent: QModelIndex) -> bool:
        if not parent.isValid() or parent.column() > 0:
            return False
        node = self._node(parent)
        if node in self._pending or node in self._failed:
            return False
        fetched = len(self._children.get(node, ()))
        return fetched < self._length(node)

    def fetchMore(self, parent: QModelIndex) -> None:
        if not parent.isValid():
            return
        node = self._node(parent)
        if type(self._value[node]) is LazyContainer:
            self._fetch_lazy(node, parent)
            return
        self._fetch(node, parent, self.FETCH_CHUNK)

    # -- lazy containers (a big single save's sections, core/loading/sections) ----------------
    def _fetch_lazy(self, node: int, parent_index: QModelIndex) -> None:
        """The next chunk of a lazy container's children, parsed in the worker; a "Loading…"
        row stands in meanwhile."""
        if node in self._pending or node in self._failed:
            return
        from inspector_app.ui.workers import BackgroundTask, Priority   # not at start-up

        container: LazyContainer = self._value[node]
        start = len(self._children.get(node, ()))
        end = min(len(container), start + self.FETCH_CHUNK)
        if end <= start:
            return
        placeholder = self._new_node(node, start, "Loading…", _Placeholder())
        self.beginInsertRows(parent_index, start, start)
        self._pending[node] = (placeholder, None)
        self.endInsertRows()
        generation = self._generation
        task = BackgroundTask(lambda _progress, _cancelled: container.members(start, end),
                              name=f"parse {format_path(container.path)}")
        self._pending[node] = (placeholder, task)
        task.sigFinished.connect(lambda members: self._lazy_done(generation, node, start, members, None))
        task.sigFailed.connect(lambda exc: self._lazy_done(generation, node, start, None, exc))
        task.start(priority=Priority.USER)

    def _lazy_done(self, generation: int, node: int, start: int, members, error) -> None:
        if generation != self._generation or node not in self._pending:
            return
        placeholder, _ = self._pending[node]
        parent_index = self.createIndex(self._row[node], 0, node)
        self.beginRemoveRows(parent_index, start, start)
        del self._pending[node]
        self.endRemoveRows()
        if members is None:
            self._show_lazy_error(node, parent_index, error)
            return
        if len(self._children.get(node, ())) == start:   # not fetched meanwhile (index_for_path)
            self._insert(node, parent_index, members)

    def _show_lazy_error(self, node: int, parent_index: QModelIndex, error) -> None:
        where = self._root_label
        text = f"{where}: {error}" if where and where != "$" else str(error)
        row = len(self._children.get(node, ()))
        error_node = self._new_node(node, row, "⚠ Could not read", _Placeholder(text))
        self.beginInsertRows(parent_index, row, row)
        self._failed[node] = error_node
        self.endInsertRows()

    def lazy_error(self, index: QModelIndex) -> str | None:
        """The message of a lazy container that failed to parse (for tests and tooltips)."""
        value = self._value[self._node(index)] if index.isValid() else None
        if type(value) is _Placeholder:
            return value.error
        node = self._failed.get(self._node(index)) if index.isValid() else None
        return self._value[node].error if node is not None else None

    @property
    def is_fetching(self) -> bool:
        """A lazy container's children are being parsed in the worker."""
        return bool(self._pending)

    def _cancel_lazy_fetch(self, node: int) -> None:
        """Drop the worker fetch of ``node`` (a synchronous fetch is about to take its place)."""
        placeholder, task = self._pending[node]
        if task is not None:
            task.detach()
        start = len(self._children.get(node, ()))
        self.beginRemoveRows(self.createIndex(self._row[node], 0, node), start, start)
        del self._pending[node]
        self.endRemoveRows()

    def _insert(self, node: int, parent_index: QModelIndex, new: list) -> None:
        children = self._children.setdefault(node, [])
        start = len(children)
        if not new:
            return
        self.beginInsertRows(parent_index, start, start + len(new) - 1)
        for offset, (key, child) in enumerate(new):
            children.append(self._new_node(node, start + offset, key, child))
        self.endInsertRows()

    def _fetch(self, node: int, parent_index: QModelIndex, count: int) -> None:
        """Materialise the next ``count`` children of ``node`` (announced to views)."""
        total = self._length(node)
        children = self._children.setdefault(node, [])
        start = len(children)
        end = min(total, start + max(1, count))
        if end <= start:
            return
        value = self._value[node]
        if type(value) is LazyContainer:
            # a path is being revealed: the rows are needed now (parsing only the runs that
            # hold them, a few ms each)
            if node in self._pending:
                self._cancel_lazy_fetch(node)
            self._insert(node, parent_index, value.members(start, end))
            return
        if type(value) is dict:
            keys = self._keys.get(node)
            if keys is None:
                keys = self._keys[node] = list(value)
            new = [(keys[r], value[keys[r]]) for r in range(start, end)]
        else:
            new = [(r, value[r]) for r in range(start, end)]
        self._insert(node, parent_index, new)

    # ------------------------------------------------------------------ paths
    def path_for_index(self, index: QModelIndex) -> tuple:
        """Keys / list indices from the document root to ``index`` (``()`` for the root)."""
        if not index.isValid():
            return ()
        keys = []
        node = self._node(index)
        while node != _ROOT_ID and node != _NO_PARENT:
            keys.append(self._key[node])
            node = self._parent[node]
        keys.reverse()
        return tuple(keys)


    def _row_of(self, node: int, key: Any) -> int | None:
        value = self._value[node]
        t = type(value)
        if t is LazyContainer:
            return value.row_of_key(key)
        if t is list:
            if type(key) is int and 0 <= key < len(value):
                return key
            return None
        if t is dict:
            if not isinstance(key, str) or key not in value:
                return None
            keys = self._keys.get(node)
            if keys is None:
                keys = self._keys[node] = list(value)
            if len(keys) <= 64:
                return keys.index(key)
            rows = self._key_rows.get(node)
            if rows is None:
                rows = self._key_rows[node] = {k: r for r, k in enumerate(keys)}
            return rows[key]
        return None

    def index_for_path(self, path: tuple | list, column: int = 0) -> QModelIndex:
        """The index of the node at ``path``, building only the chain down to it.

        Each container on the way gets just enough chunks fetched to include the needed
        row. Returns an invalid index when the path does not exist.
        """
        if not self._has_root:
            return QModelIndex()
        node = _ROOT_ID
        index = self.createIndex(0, 0, _ROOT_ID)
        for key in path:
            row = self._row_of(node, key)
            if row is None:
                return QModelIndex()
            children = self._children.get(node, ())
            if row >= len(children):
                needed = row + 1 - len(children)
                chunks = -(-needed // self.FETCH_CHUNK)
                self._fetch(node, index, chunks * self.FETCH_CHUNK)
            node = self._children[node][row]
            index = self.createIndex(row, 0, node)
        if column:
            index = index.siblingAtColumn(column)
        return index

    def set_changed_paths(self, changed: dict[tuple, str]) -> None:
        """Highlight these paths (what the last reload changed: path -> "old → new"), and mark
        their ancestors; ``{}`` clears. Nothing is built: ``data()`` looks the paths up, and only
        rows already built are repainted."""
        touched = set(self._changed) | self._changed_above
        self._changed = {tuple(p): t for p, t in changed.items()}
        self._changed_above = {p[:i] for p in self._changed for i in range(len(p))}
        touched |= set(self._changed) | self._changed_above
        last = len(HEADERS) - 1
        for path in touched:
            node = self._built_node(path)
            if node is not None:
                self.dataChanged.emit(self.createIndex(self._row[node], 0, node),
                                      self.createIndex(self._row[node], last, node))

    @property
    def changed_paths(self) -> dict[tuple, str]:
        return dict(self._changed)

    def _built_node(self, path: tuple) -> int | None:
        """The node at ``path`` if it is already built (never fetches)."""
        if not self._has_root:
            return None
        node = _ROOT_ID
        for key in path:
            row = self._row_of(node, key)
            children = self._children.get(node, ())
            if row is None or row >= len(children):
                return None
            node = children[row]
        return node

    def _change_of(self, index: QModelIndex) -> str | None:
        if not (self._changed or self._changed_above):
            return None
        path = self.path_for_index(index)
        text = self._changed.get(path)
        return text if text is not None else (CHANGED_BELOW if path in self._changed_above else None)

    def value_for_index(self, index: QModelIndex | QPersistentModelIndex) -> Any:
        """The node's value as shown: for a big single save, parts of it may be
        :class:`~inspector_app.core.loading.sections.LazyContainer` (``sections.materialize``
        gives the plain value)."""
        if not index.isValid():
            return None
        value = self._value[self._node(index)]
        return None if type(value) is _Placeholder else value

    # ------------------------------------------------------------------ data
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        # called several times per row while laying out an expanded container: keep it cheap
        if not index.isValid():
            return _NO_FLAGS
        if (self._pending or self._failed) and type(self._value[index.internalId()]) is _Placeholder:
            return Qt.ItemFlag.ItemIsEnabled
        return _ITEM_FLAGS

    def _brushes(self) -> dict[str, QBrush]:
        """Value-colour brushes for the current application palette (rebuilt when it turns
        light/dark; views repaint on the palette change and ask again)."""
        dark = theme.is_dark()
        if self._brush_scheme is not dark:
            self._brush_cache = {name: QBrush(colour) for name, colour in theme.value_colors().items()}
            self._brush_scheme = dark
        return self._brush_cache

    def readable_value(self, node: int) -> str | None:
        """A time stamp / duration / playtime in words, shown next to the raw number (else None)."""
        value = self._value[node]
        if type(value) not in (int, float) or node == _ROOT_ID:
            return None
        parent = self._parent[node]
        return readable_time_value(self._key[node], value, parent_key=self._key[parent] if parent > _ROOT_ID else None)

    def _key_text(self, node: int) -> str:
        key = self._key[node]
        if node == _ROOT_ID:
            return str(key)
        return f"[{key}]" if type(key) is int else key

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._node(index)
        value = self._value[node]
        col = index.column()
        if type(value) is _Placeholder:
            return self._placeholder_data(node, value, col, role)
        if type(value) is LazyContainer and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._lazy_data(index, node, value, col, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_KEY:
                return self._key_text(node).replace("\n", "\\n")
            if col == COL_VALUE:
                text = format_preview(value, _PREVIEW_LEN)
                readable = self.readable_value(node)
                return f"{text}  ({readable})" if readable else text
            if col == COL_TYPE:
                return json_type_name(value)
            if col == COL_SIZE:
                return _size_text(value)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            path = format_path(self.path_for_index(index))
            readable = self.readable_value(node)
            shown = format_preview(value, _TOOLTIP_LEN) + (f"  = {readable}" if readable else "")
            change = self._change_of(index)
            note = "" if change is None else (
                "\n\nSomething inside changed in the last reload." if change == CHANGED_BELOW
                else f"\n\nChanged in the last reload:\n{change}")
            return f"{path}\n{json_type_name(value)} {_size_text(value)}\n\n{shown}{note}"
        if role == Qt.ItemDataRole.BackgroundRole:
            change = self._change_of(index)
            if change is None or (change == CHANGED_BELOW and col != COL_KEY):
                return None
            return self._brushes()["changed_bg"]
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._changed and self._change_of(index) not in (None, CHANGED_BELOW):
                return self._brushes()["changed"]     # ≥ 4.5:1 on its own tint
            if col == COL_VALUE:
                return self._brushes()[_TYPE_COLOURS.get(json_type_name(_lazy_stand_in(value)), "neutral")]
            if col in (COL_TYPE, COL_SIZE):
                return self._brushes()["muted"]
            return None
        if role == Qt.ItemDataRole.FontRole:
            if col == COL_KEY and type(value) in _CONTAINERS:
                return self._bold
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_SIZE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == JSON_PATH_ROLE:
            return format_path(self.path_for_index(index))
        if role == PATH_ROLE:
            return self.path_for_index(index)
        if role == VALUE_ROLE:
            return value
        if role == CHANGE_ROLE:
            return self._change_of(index)
        return None

    def _placeholder_data(self, node: int, value: _Placeholder, col: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_KEY:
                return self._key[node]
            if col == COL_VALUE and value.error:
                return value.error
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return value.error or "Reading this part of the save…"
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brushes()["bad" if value.error else "muted"]
        if role == PATH_ROLE:
            return None
        return None

    def _lazy_data(self, index: QModelIndex, node: int, value: LazyContainer, col: int, role: int):
        """Key / preview / type / size of a lazy container (its first members show the preview)."""
        shown = value.head()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_KEY:
                return self._key_text(node).replace("\n", "\\n")
            if col == COL_VALUE:
                return format_preview(shown, _PREVIEW_LEN)
            if col == COL_TYPE:
                return json_type_name(shown)
            return _size_text(value)
        path = format_path(self.path_for_index(index))
        return f"{path}\n{json_type_name(shown)} {_size_text(value)}\n\n{format_preview(shown, _TOOLTIP_LEN)}"
