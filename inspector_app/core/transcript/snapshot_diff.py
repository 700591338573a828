"""The world state a prompt snapshot carries, and what changed since the previous snapshot.

A tutorial snapshot (save-format §3.4) copies the prompt history and the analytics
(``completedTimeline``, ``stepDurations``) at one moment. QA asks "what did this step change?",
so :func:`structural_diff` lists added / removed / changed JSON paths between two snapshots.
Lists of prompts are matched by ``stepId`` (the prompt history is a sliding window, so matching
by index would report every prompt as changed). No Qt here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def _keyed(items: list) -> dict | None:
    """``{stepId: item}`` when every item is an object with a distinct string ``stepId``."""
    if not items or not all(isinstance(i, dict) and isinstance(i.get("stepId"), str) for i in items):
        return None
    keyed = {i["stepId"]: i for i in items}
    return keyed if len(keyed) == len(items) else None


def structural_diff(old: Any, new: Any, path: str = "$", limit: int = 500) -> list[Change]:
    """Changes turning ``old`` into ``new`` (at most ``limit``, depth first)."""
    out: list[Change] = []
    _diff(old, new, path, out, limit)
    return out


def _diff(old: Any, new: Any, path: str, out: list[Change], limit: int) -> None:
    if len(out) >= limit:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for k in old:
            if k not in new:
                out.append(Change("removed", f"{path}.{k}", old=old[k]))
        for k in new:
            if k not in old:
                out.append(Change("added", f"{path}.{k}", new=new[k]))
            else:
                _diff(old[k], new[k], f"{path}.{k}", out, limit)
        return
    if isinstance(old, list) and isinstance(new, list):
        ko, kn = _keyed(old), _keyed(new)
        if ko is not None and kn is not None:
            for k in ko:
                if k not in kn:
                    out.append(Change("removed", f"{path}[stepId={k}]", old=ko[k]))
            for k in kn:
                if k not in ko:
                    out.append(Change("added", f"{path}[stepId={k}]", new=kn[k]))
                else:
                    _diff(ko[k], kn[k], f"{path}[stepId={k}]", out, limit)
            return
        if all(not isinstance(v, (dict, list)) for v in old + new):   # lists of ids: set-like
            for v in old:
                if v not in new:
                    out.append(Change("removed", f"{path}[{v!r}]" if isinstance(v, str) else f"{path}[]", old=v))
            for v in new:
                if v not in old:
                    out.append(Change("added", f"{path}[{v!r}]" if isinstance(v, str) else f"{path}[]", new=v))
            return
        for i in range(max(len(old), len(new))):
            if i >= len(new):
                out.append(Change("removed", f"{path}[{i}]", old=old[i]))
            elif i >= len(old):
                out.append(Change("added", f"{path}[{i}]", new=new[i]))
            else:
                _diff(old[i], new[i], f"{path}[{i}]", out, limit)
        return
    if old != new or isinstance(old, bool) != isinstance(new, bool):
        out.append(Change("changed", path, old=old, new=new))
