"""The world state a prompt snapshot carries, and what changed since the previous snapshot.

A tutorial snapshot (save-format §3.4) copies the prompt history and the analytics
(``completedTimeline``, ``stepDurations``) at one moment. QA asks "what did this step change?",
so :func:`structural_diff` lists added / removed / changed JSON paths between two snapshots,
using the app's structural diff: prompts are matched by ``stepId`` (the prompt history is a
sliding window, so matching by index would report every prompt as changed). No Qt here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.diff import DiffKind, diff_json

WORLD_STATE_KEYS = ("event", "timestamp", "stepId", "stepIndex", "totalSteps", "completedSteps",
                    "currentPrompt", "promptHistory", "analytics", "metadata")


def world_state(snapshot: Any) -> dict:
    """The parts of a snapshot the world-state view shows, in a stable order."""
    if not isinstance(snapshot, dict):
        return {}
    out = {k: snapshot[k] for k in WORLD_STATE_KEYS if k in snapshot}
    out.update({k: v for k, v in snapshot.items() if k not in out})
    return out


@dataclass(frozen=True, slots=True)
class Change:
    op: str        # "added" | "removed" | "changed"
    path: str      # JSON path, e.g. "$.analytics.stepDurations.case_file"
    old: Any = None
    new: Any = None

    def describe(self, width: int = 80) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.op]
        if self.op == "added":
            return f"{sign} {self.path} = {_short(self.new, width)}"
        if self.op == "removed":
            return f"{sign} {self.path} (was {_short(self.old, width)})"
        return f"{sign} {self.path}: {_short(self.old, width)} → {_short(self.new, width)}"


def _short(value: Any, width: int) -> str:
    import orjson
    try:
        text = orjson.dumps(value, default=str).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


_OPS = {DiffKind.ADDED: "added", DiffKind.REMOVED: "removed", DiffKind.CHANGED: "changed",
        DiffKind.TYPE_CHANGED: "changed"}


def structural_diff(old: Any, new: Any, limit: int = 500) -> list[Change]:
    """Changes turning ``old`` into ``new`` (at most ``limit``), from the app's one structural
    diff (``core.diff``): records matched by ``stepId``, id lists matched by value. A record
    that only moved within a list is not a change of the world state, so moves are left out."""
    result = diff_json(old, new, max_entries=limit)
    return [Change(_OPS[e.kind], format_path(e.path), old=e.old, new=e.new)
            for e in result.entries if e.kind in _OPS]
