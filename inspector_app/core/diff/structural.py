"""Structural diff of two parsed JSON values (no Qt).

Why a hand-written walker: designers compare saves whose arrays are histories and
records, so a plain index-by-index diff would report every shifted history entry as
"changed". :func:`diff_json` matches arrays the way the game builds them (see
:mod:`.arrays`), walks iteratively (no recursion limit on deep input), skips equal
subtrees with C-speed comparisons, and polls ``cancelled()`` so the UI can stop it.
"""
from __future__ import annotations

from inspector_app.core.common.progress import Cancelled

import enum
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import orjson

from . import arrays


class DiffKind(str, enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    TYPE_CHANGED = "type_changed"
    MOVED = "moved"          # a keyed array element changed position (old/new are its indices)


class ItemKey(NamedTuple):
    """Display-path component of an array element matched by key (``name`` == ``value``).

    ``name`` is ``""`` for arrays of unique strings matched by value.
    """

    name: str
    value: Any

    def __str__(self) -> str:
        return f"[{self.name}={self.value}]" if self.name else f"[{self.value}]"


@dataclass(slots=True)
class DiffEntry:
    """One difference.

    ``path`` is the display path (keyed array elements appear as :class:`ItemKey`).
    ``old_path`` / ``new_path`` are the real JSON paths (dict keys and int indices)
    into the older / newer value; ``None`` on the side where the value is absent.
    """

    path: tuple
    kind: DiffKind
    old: Any = None
    new: Any = None
    old_path: tuple | None = None
    new_path: tuple | None = None

    @property
    def reveal(self) -> tuple[str, tuple]:
        """(side, real path) to show this entry: the newer side unless it was removed."""
        if self.new_path is not None:
            return "b", self.new_path
        return "a", self.old_path or ()


@dataclass
class DiffResult:
    """All differences from an older value ``a`` to a newer value ``b``."""

    entries: list[DiffEntry] = field(default_factory=list)
    counts: dict[DiffKind, int] = field(default_factory=lambda: dict.fromkeys(DiffKind, 0))
    notes: dict[tuple, str] = field(default_factory=dict)  # display path of an array -> how it was matched
    truncated: bool = False        # more than max_entries differences; counts stay exact
    nodes_compared: int = 0

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values())

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)


class DiffCancelled(Cancelled):
    """Raised when the caller's ``cancelled()`` returns True during a diff."""


DEFAULT_MAX_ENTRIES = 500_000
_CHECK_EVERY = 2048
_UNIT_TARGET = 256   # split the top of the tree into this many progress units

_NUMBER = (int, float)
_TYPE_NAMES = {dict: "object", list: "array", tuple: "array", str: "string", int: "number",
               float: "number", bool: "bool", type(None): "null"}


def json_type(value: Any) -> str:
    """The JSON type name of a value ("object", "array", "string", "number", "bool", "null")."""
    name = _TYPE_NAMES.get(type(value))
    if name is not None:
        return name
    for base, base_name in (
        (bool, "bool"), (dict, "object"), (list, "array"), (tuple, "array"), (str, "string"), (_NUMBER, "number"),
    ):
        if isinstance(value, base):
            return base_name
    return type(value).__name__


def _same_or_deep(x: Any, y: Any) -> bool:
    """:func:`same`, but lets RecursionError out so the walker can stop using ``==``."""
    if x is y:
        return True
    tx, ty = type(x), type(y)
    if tx is not ty:
        if tx in _NUMBER and ty in _NUMBER:
            return x == y
        return False
    if tx is str or tx is int or tx is float or tx is bool or x is None:
        return x == y
    try:
        if x != y:
            return False
        return orjson.dumps(x) == orjson.dumps(y)
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001 - unserialisable or uncomparable: let the walker descend
        return False


def _same_shallow(x: Any, y: Any) -> bool:
    """Equality for very deep input: scalars only; containers are always walked."""
    if x is y:
        return True
    tx, ty = type(x), type(y)
    if tx in _NUMBER and ty in _NUMBER and tx is not bool and ty is not bool:
        return x == y
    if tx is not ty or tx in (dict, list, tuple):
        return False
    try:
        return bool(x == y)
    except Exception:  # noqa: BLE001
        return False


def same(x: Any, y: Any) -> bool:
    """Deep JSON equality: numbers by value (1 == 1.0), but ``true`` is not ``1``.

    Equal containers are confirmed with orjson so a bool/number swap deep inside is not
    hidden by Python's ``True == 1``; any doubt returns False. Never raises.
    """
    try:
        return _same_or_deep(x, y)
    except RecursionError:
        return False


def diff_json(
    a: Any,
    b: Any,
    *,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[..., None] | None = None,
    max_entries: int | None = DEFAULT_MAX_ENTRIES,
) -> DiffResult:
    """Every difference from ``a`` (older) to ``b`` (newer).

    ``progress(done, total, text)`` is called now and then; ``cancelled()`` is polled and
    :class:`DiffCancelled` raised when it returns True. Never raises on odd data.
    """
    return _Walker(cancelled, progress, max_entries).run(a, b)


# A comparison task: (a, b, display path, old real path, new real path)
_Task = tuple


class _Walker:
    def __init__(self, cancelled, progress, max_entries):
        self.cancelled = cancelled
        self.progress = progress
        self.max_entries = max_entries
        self.result = DiffResult()
        self._entries = self.result.entries
        self._counts = self.result.counts
        self._nodes = 0
        self._deep = False

    def same(self, x: Any, y: Any) -> bool:
        """Fast deep equality until input proves too deep for ``==``; then walk everything."""
        if self._deep:
            return _same_shallow(x, y)
        try:
            return _same_or_deep(x, y)
        except RecursionError:
            self._deep = True
            return False

    # -- entry points -------------------------------------------------------------
    def run(self, a: Any, b: Any) -> DiffResult:
        units: list = [(a, b, (), (), ())] if not self.same(a, b) else []
        for _ in range(4):  # breadth-first split of the top levels into progress units
            if len(units) >= _UNIT_TARGET or not any(type(u) is tuple for u in units):
                break
            nxt: list = []
            for u in units:
                nxt.extend(self._expand(u) if type(u) is tuple else (u,))
            units = nxt
        total = len(units)
        for done, unit in enumerate(units):
            if type(unit) is tuple:
                self._walk(unit)
            else:
                self._emit(unit)
            if self.progress is not None:
                self.progress(done + 1, total, f"{self._nodes:,} values compared")
        self.result.nodes_compared = self._nodes
        return self.result

    def _walk(self, task: _Task) -> None:
        stack = [task]
        pop, extend = stack.pop, stack.extend
        emit, expand = self._emit, self._expand
        while stack:
            item = pop()
            if type(item) is tuple:
                children = expand(item)
                if children:
                    children.reverse()
                    extend(children)
            else:
                emit(item)

    def _emit(self, entry: DiffEntry) -> None:
        self._counts[entry.kind] += 1
        if self.max_entries is None or len(self._entries) < self.max_entries:
            self._entries.append(entry)
        else:
            self.result.truncated = True

    def _tick(self) -> None:
        self._nodes += 1
        if self._nodes % _CHECK_EVERY == 0 and self.cancelled is not None and self.cancelled():
            raise DiffCancelled()

    # -- one node -----------------------------------------------------------------
    def _expand(self, task: _Task) -> list:
        """Compare one pair; return child tasks and entries in display order."""
        self._tick()
        a, b, path, opath, npath = task
        ta, tb = json_type(a), json_type(b)
        if ta != tb:
            return [DiffEntry(path, DiffKind.TYPE_CHANGED, a, b, opath, npath)]
        if ta == "object":
            return self._expand_dict(a, b, path, opath, npath)
        if ta == "array":
            return self._expand_array(a, b, path, opath, npath)
        if not self.same(a, b):
            return [DiffEntry(path, DiffKind.CHANGED, a, b, opath, npath)]
        return []

    def _expand_dict(self, a: dict, b: dict, path, opath, npath) -> list:
        out: list = []
        shared = opath is path and npath is path
        for k, vb in b.items():
            p = path + (k,)
            op = p if shared or opath is path else opath + (k,)
            np_ = p if shared or npath is path else npath + (k,)
            if k in a:
                va = a[k]
                if not self.same(va, vb):
                    out.append((va, vb, p, op, np_))
            else:
                out.append(DiffEntry(p, DiffKind.ADDED, None, vb, None, np_))
        for k, va in a.items():
            if k not in b:
                p = path + (k,)
                op = p if shared or opath is path else opath + (k,)
                out.append(DiffEntry(p, DiffKind.REMOVED, va, None, op, None))
        return out

    def _expand_array(self, a, b, path, opath, npath) -> list:
        key = arrays.match_key(a, b)
        if key is not None:
            return self._expand_keyed(a, b, key, path, opath, npath)
        shift = arrays.buffer_shift(a, b, self.same)
        if shift is not None:
            return self._expand_buffer(a, b, shift, path, opath, npath)
        return self._expand_indexed(a, b, path, opath, npath)

    def _child_paths(self, path, opath, npath, disp, i, j):
        p = path + (disp,)
        op = None if i is None else (p if opath is path and disp == i else opath + (i,))
        np_ = None if j is None else (p if npath is path and disp == j else npath + (j,))
        return p, op, np_

    def _expand_indexed(self, a, b, path, opath, npath) -> list:
        out: list = []
        la, lb = len(a), len(b)
        for i in range(min(la, lb)):
            va, vb = a[i], b[i]
            if not self.same(va, vb):
                p, op, np_ = self._child_paths(path, opath, npath, i, i, i)
                out.append((va, vb, p, op, np_))
        for j in range(la, lb):
            p, _, np_ = self._child_paths(path, opath, npath, j, None, j)
            out.append(DiffEntry(p, DiffKind.ADDED, None, b[j], None, np_))
        for i in range(lb, la):
            p, op, _ = self._child_paths(path, opath, npath, i, i, None)
            out.append(DiffEntry(p, DiffKind.REMOVED, a[i], None, op, None))
        return out

    def _expand_buffer(self, a, b, shift: arrays.BufferShift, path, opath, npath) -> list:
        self.result.notes[path] = shift.describe()
        out: list = []
        for i in shift.dropped_indices(len(a)):
            p, op, _ = self._child_paths(path, opath, npath, i, i, None)
            out.append(DiffEntry(p, DiffKind.REMOVED, a[i], None, op, None))
        for j in shift.added_indices(len(b)):
            p, _, np_ = self._child_paths(path, opath, npath, j, None, j)
            out.append(DiffEntry(p, DiffKind.ADDED, None, b[j], None, np_))
        return out

    def _expand_keyed(self, a, b, key: str, path, opath, npath) -> list:
        by_value = key == arrays.VALUE_KEY
        keys_a = [e if by_value else e[key] for e in a]
        keys_b = [e if by_value else e[key] for e in b]
        index_a = {k: i for i, k in enumerate(keys_a)}
        index_b = {k: j for j, k in enumerate(keys_b)}
        common = [(index_a[k], j) for j, k in enumerate(keys_b) if k in index_a]
        stay = arrays.fewest_odd_moves(common)
        moved_at = {j: i for n, (i, j) in enumerate(common) if n not in stay}
        name = "" if by_value else key
        out: list = []
        for j, k in enumerate(keys_b):
            disp = ItemKey(name, k)
            i = index_a.get(k)
            p, op, np_ = self._child_paths(path, opath, npath, disp, i, j)
            if i is None:
                out.append(DiffEntry(p, DiffKind.ADDED, None, b[j], None, np_))
                continue
            if j in moved_at:
                out.append(DiffEntry(p, DiffKind.MOVED, i, j, op, np_))
            if not by_value and not self.same(a[i], b[j]):
                out.append((a[i], b[j], p, op, np_))
        for i, k in enumerate(keys_a):
            if k not in index_b:
                p, op, _ = self._child_paths(path, opath, npath, ItemKey(name, k), i, None)
                out.append(DiffEntry(p, DiffKind.REMOVED, a[i], None, op, None))
        return out
