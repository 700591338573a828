"""Diff entries grouped by path for a lazy tree view (no Qt).

The Qt model is a thin adapter over :class:`DiffTree`: nodes are plain integers, so the
model can hand them to ``createIndex`` as internal ids and builds nothing per row. The
tree is built in a worker (it can hold hundreds of thousands of entries), and chains of
single-child groups ("gameData › quests › byId") are folded into one row so the tree
stays shallow to read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.common.timefmt import time_key_kind

from .structural import DiffEntry, DiffKind, DiffResult

ALL_KINDS = frozenset(DiffKind)
_SEP = " › "


def format_component(part: Any) -> str:
    """A tree row's label for one path step: the key itself, ``[3]``, or ``[id=credits]``."""
    return f"[{part}]" if type(part) is int else str(part)


def is_timestamp_change(entry: DiffEntry) -> bool:
    """A number-to-number change of a field whose name says it is a time stamp."""
    if entry.kind is not DiffKind.CHANGED or not entry.path:
        return False
    last = entry.path[-1]
    if time_key_kind(last) not in ("timestamp", "playtime"):
        return False
    return type(entry.old) in (int, float) and type(entry.new) in (int, float)


def _scalar_text(value: Any) -> str:
    return value if type(value) is str else ("" if isinstance(value, (dict, list)) else str(value))


@dataclass(frozen=True)
class EntryFilter:
    """Which entries a view shows: kinds, a case-insensitive text, time-stamp noise."""

    text: str = ""
    kinds: frozenset = ALL_KINDS
    hide_timestamps: bool = False

    def accepts(self, entry: DiffEntry) -> bool:
        if entry.kind not in self.kinds:
            return False
        if self.hide_timestamps and is_timestamp_change(entry):
            return False
        if not self.text:
            return True
        needle = self.text.lower()
        return (needle in format_path(entry.path).lower()
                or needle in _scalar_text(entry.old).lower()
                or needle in _scalar_text(entry.new).lower())


def filter_entries(result: DiffResult, flt: EntryFilter, cancelled: Callable[[], bool] | None = None) -> list[int]:
    """Indices of the entries of ``result`` that ``flt`` accepts, in order."""
    if flt == EntryFilter():
        return list(range(len(result.entries)))
    out = []
    accepts = flt.accepts
    for i, e in enumerate(result.entries):
        if i % 4096 == 0 and cancelled is not None and cancelled():
            break
        if accepts(e):
            out.append(i)
    return out


_KIND_SLOT = {DiffKind.ADDED: 0, DiffKind.REMOVED: 1}  # everything else counts as "changed" (slot 2)


@dataclass
class DiffTree:
    """Groups (path prefixes) and leaves (entries) as integer nodes; node 0 is the root."""

    result: DiffResult
    label: list[str] = field(default_factory=lambda: [""])
    parent: list[int] = field(default_factory=lambda: [-1])
    children: list[list[int]] = field(default_factory=lambda: [[]])
    entry: list[int] = field(default_factory=lambda: [-1])          # entry index, -1 for pure groups
    depth: list[int] = field(default_factory=lambda: [0])           # display-path length at this node
    sample: list[int] = field(default_factory=lambda: [-1])         # an entry under this node
    counts: list[list[int]] = field(default_factory=lambda: [[0, 0, 0]])  # added, removed, changed below
    row: list[int] = field(default_factory=lambda: [0])             # position among the parent's children

    ROOT = 0

    @classmethod
    def build(cls, result: DiffResult, indices: list[int] | None = None) -> "DiffTree":
        tree = cls(result)
        lookup: list[dict] = [{}]
        entries = result.entries
        for ei in (range(len(entries)) if indices is None else indices):
            e = entries[ei]
            slot = _KIND_SLOT.get(e.kind, 2)
            node = 0
            tree.counts[0][slot] += 1
            if tree.sample[0] < 0:
                tree.sample[0] = ei
            for d, part in enumerate(e.path):
                key = (type(part) is int, part)
                child = lookup[node].get(key)
                last = d == len(e.path) - 1
                if child is None or (last and tree.entry[child] >= 0):
                    child = tree._new(node, format_component(part), d + 1, ei)
                    lookup.append({})
                    if not (last and key in lookup[node]):
                        lookup[node][key] = child
                tree.counts[child][slot] += 1
                node = child
            if e.path:
                tree.entry[node] = ei
            else:  # a change of the whole value: one leaf under the root
                leaf = tree._new(0, "(root)", 0, ei)
                lookup.append({})
                tree.entry[leaf] = ei
        tree._fold()
        tree.row = [0] * len(tree.label)
        for kids in tree.children:
            for r, c in enumerate(kids):
                tree.row[c] = r
        return tree

    def _new(self, parent: int, label: str, depth: int, sample: int) -> int:
        n = len(self.label)
        self.label.append(label)
        self.parent.append(parent)
        self.children.append([])
        self.entry.append(-1)
        self.depth.append(depth)
        self.sample.append(sample)
        self.counts.append([0, 0, 0])
        self.children[parent].append(n)
        return n

    def _fold(self) -> None:
        """Merge group chains with one child and no note into one "a › b › c" row."""
        stack = list(self.children[0])
        while stack:
            n = stack.pop()
            while (self.entry[n] < 0 and len(self.children[n]) == 1 and self.note(n) is None):
                c = self.children[n][0]
                self.label[n] = self.label[n] + ("" if self.label[c].startswith("[") else _SEP) + self.label[c]
                self.entry[n] = self.entry[c]
                self.depth[n] = self.depth[c]
                self.children[n] = self.children[c]
                for g in self.children[n]:
                    self.parent[g] = n
            stack.extend(self.children[n])

    # -- queries used by the Qt model ----------------------------------------------------
    def node_entry(self, node: int) -> DiffEntry | None:
        ei = self.entry[node]
        return self.result.entries[ei] if ei >= 0 else None

    def display_path(self, node: int) -> tuple:
        ei = self.sample[node]
        if ei < 0:
            return ()
        return self.result.entries[ei].path[: self.depth[node]]

    def note(self, node: int) -> str | None:
        if node == 0 or self.entry[node] >= 0:
            return None
        return self.result.notes.get(self.display_path(node))

    def reveal(self, node: int) -> tuple[str, tuple] | None:
        """(side, real path) of a node: its entry, or the group's path on the side that has it."""
        e = self.node_entry(node)
        if e is not None:
            return e.reveal
        ei = self.sample[node]
        if ei < 0:
            return None
        s = self.result.entries[ei]
        depth = self.depth[node]
        if s.new_path is not None:
            return "b", s.new_path[:depth]
        return "a", (s.old_path or ())[:depth]

    def summary(self, node: int) -> str:
        added, removed, changed = self.counts[node]
        parts = [f"+{added}" if added else "", f"−{removed}" if removed else "", f"~{changed}" if changed else ""]
        return " ".join(p for p in parts if p)

    def __len__(self) -> int:
        return len(self.label)
