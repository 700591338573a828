"""Following an input live: reload it, decide whether it was caught half-written, and say what
changed since the previous load (slots added, removed, changed; the focused slot's changes
through the app's one structural diff, :func:`core.diff.structural.diff_json`).

Used by ``ui/browser/follow.py`` (which watches the files and runs this in the worker), and
usable headless.

No Qt here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from inspector_app.core.diff.structural import DiffKind, DiffResult, diff_json
from inspector_app.core.loading.document import LoadError, SaveDocument, SlotEntry
from inspector_app.core.loading.loader import load_path
from inspector_app.core.search import format_preview

#: Codes of a load that met a file or database in the middle of a write: retry, don't report.
# (a replaced file is briefly empty or cut short; a browser database has a torn last record)
HALF_WRITTEN_CODES = frozenset({"browser_write_in_progress", "truncated", "empty", "file_missing"})


class HalfWritten(Exception):
    """The input was caught mid-write; the caller retries after the writes settle."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Gone(Exception):
    """The input no longer exists (the last loaded content stays valid)."""


@dataclass
class ReloadChanges:
    """What differs between two loads of the same input."""

    added: list[str] = field(default_factory=list)        # slot keys
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    flags_changed: list[str] = field(default_factory=list)
    content_changed: bool = False                         # an input without slots (a summary) changed
    focus_key: str | None = None
    focus_diff: DiffResult | None = None                  # the focused slot (or slot-less content), old -> new

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.flags_changed or self.content_changed)

    def lines(self, limit: int = 12) -> list[str]:
        out = [f"new slot {k}" for k in self.added] + [f"removed slot {k}" for k in self.removed]
        for k in self.changed:
            if k == self.focus_key and self.focus_diff is not None:
                out.append(f"{k} changed: {self._focus_paths()}")
            else:
                out.append(f"{k} changed")
        out += [f"{k} changed" for k in self.flags_changed]
        if self.content_changed:
            out.append("content changed" + (f": {self._focus_paths()}" if self.focus_diff is not None else ""))
        return out[:limit] + ([f"… and {len(out) - limit} more"] if len(out) > limit else [])

    def _focus_paths(self) -> str:
        diff = self.focus_diff
        paths = [_path_text(e.path) for e in diff.entries[:3]] if diff is not None else []
        more = f", … ({diff.total} changes)" if diff is not None and diff.total > 3 else ""
        return ", ".join(paths) + more

    def describe(self) -> str:
        return "; ".join(self.lines()) if not self.is_empty else "no changes"

    def changed_paths(self, max_paths: int = 2000) -> dict[tuple, str]:
        """Real JSON paths in the focused slot's *new* content -> "old → new" text, for the tree
        to highlight. A removed key or item marks its container (it has no node any more)."""
        out: dict[tuple, str] = {}
        if self.focus_diff is None:
            return out
        for e in self.focus_diff.entries:
            if e.kind is DiffKind.MOVED:
                continue
            if e.new_path is not None and e.kind is not DiffKind.REMOVED:
                path = tuple(e.new_path)
                text = ("added: " + format_preview(e.new, 80) if e.kind is DiffKind.ADDED
                        else f"{format_preview(e.old, 80)} → {format_preview(e.new, 80)}")
            elif e.old_path:
                path = tuple(e.old_path[:-1])
                key = e.old_path[-1]
                text = f"removed {f'[{key}]' if isinstance(key, int) else key}: {format_preview(e.old, 80)}"
            else:
                continue
            out[path] = f"{out[path]}\n{text}" if path in out else text
            if len(out) >= max_paths:
                break
        return out


def _path_text(path: tuple) -> str:
    text = "$"
    for p in path:
        text += f"[{p}]" if isinstance(p, int) else (str(p) if not isinstance(p, str) else f".{p}")
    return text


def _stored(slot: SlotEntry) -> object:
    """What identifies a slot's content cheaply (parked text, else size/time/version)."""
    return slot.parked_text if slot.is_parked else (slot.size_bytes, slot.timestamp, slot.version, slot.status)


def _content(doc: SaveDocument) -> object:
    """What the window shows for an input without slots (see ``MainWindow._show_row``)."""
    return doc.summary if doc.summary is not None else doc.root


def compare_documents(old: SaveDocument, new: SaveDocument, focus_key: str | None = None,
                      cancelled: Callable[[], bool] | None = None) -> ReloadChanges:
    before = {s.key: s for s in old.slots}
    after = {s.key: s for s in new.slots}
    changes = ReloadChanges(focus_key=focus_key)
    changes.added = [k for k in after if k not in before]
    changes.removed = [k for k in before if k not in after]
    for key, slot in after.items():
        prev = before.get(key)
        if prev is None:
            continue
        if _stored(prev) != _stored(slot) or (not slot.is_parked and prev.payload != slot.payload):
            changes.changed.append(key)
    changes.flags_changed = sorted(k for k in set(old.profile_flags) | set(new.profile_flags)
                                   if old.profile_flags.get(k) != new.profile_flags.get(k))
    # The focused slot's paths, when it is small enough: re-parsing two parked multi-MB saves
    # would hold the GIL for long stretches in the worker (the window must stay fluid).
    if not old.slots and not new.slots:          # a summary or other slot-less input: its content
        before_value, after_value = _content(old), _content(new)
        if before_value != after_value:
            changes.content_changed = True
            if focus_key is None and before_value is not None and after_value is not None:
                changes.focus_diff = diff_json(before_value, after_value, cancelled=cancelled, max_entries=10_000)
        return changes
    if focus_key in changes.changed and not (before[focus_key].is_parked or after[focus_key].is_parked):
        changes.focus_diff = diff_json(before[focus_key].payload, after[focus_key].payload, cancelled=cancelled,
                                       max_entries=10_000)
    return changes


def reload_document(path: str | Path, origin: str | None, old: SaveDocument | None, focus_key: str | None = None,
                    progress: Callable[..., None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> tuple[SaveDocument, ReloadChanges]:
    """Load ``path`` again. Raises :class:`Gone`, :class:`HalfWritten`, LoadError or a cancel.
    Take the :func:`core.browser.stamp.input_stamp` before calling: a write during the read then differs from it."""
    p = Path(path)
    if not p.exists():
        raise Gone(f"{p} no longer exists")
    try:
        doc = load_path(p, progress=progress, cancelled=cancelled, other_json=True, origin=origin)
    except LoadError as exc:
        if not p.exists():
            raise Gone(f"{p} no longer exists") from None
        if exc.problem.code in HALF_WRITTEN_CODES:
            raise HalfWritten(exc.problem.describe()) from None
        raise
    torn = [pr for pr in doc.problems if pr.code in HALF_WRITTEN_CODES]
    if torn:
        raise HalfWritten(torn[0].describe())
    changes = compare_documents(old, doc, focus_key, cancelled) if old is not None else ReloadChanges()
    return doc, changes
