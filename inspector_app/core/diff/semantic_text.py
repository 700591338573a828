"""Shared pieces of the designer-level comparison: the Change record, tolerant getters,
names and number formatting (no Qt).

Saves can be odd (legacy shapes, wrong types after a bad migration), so every getter
here returns an empty/neutral value instead of raising.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from inspector_app.core.worldstate.factions import FACTION_NAMES  # the one faction registry

ARROW = "→"

# Display order of the summary groups.
DOMAINS = ("Save", "Tutorial", "Quests", "Story flags", "Factions", "Districts", "NPCs", "Dialogue",
           "Inventory", "Investigation", "Cases", "Finale")



@dataclass(frozen=True)
class Change:
    """One readable difference, e.g. ``Quests: The Hollow Case active → completed``.

    ``kind`` ("added" / "removed" / "changed") drives the colour in the UI; ``path`` is the
    real JSON path of the thing that changed (relative to ``gameData`` from
    :func:`semantic_changes`, to the payload from :func:`compare_payloads`) on ``side``
    ("a" older, "b" newer), so a view can reveal it.
    """

    domain: str
    text: str
    kind: str = "changed"
    path: tuple | None = None
    side: str = "b"

    def __str__(self) -> str:
        return f"{self.domain}: {self.text}"


def obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def arr(value: Any) -> list:
    return value if isinstance(value, list) else []


def dig(value: Any, *keys: Any, default: Any = None) -> Any:
    for k in keys:
        if (isinstance(value, dict) and k in value) or (isinstance(value, list) and type(k) is int and -len(value) <= k < len(value)):
            value = value[k]
        else:
            return default
    return value


def is_number(value: Any) -> bool:
    return type(value) in (int, float)


def num(value: Any) -> str:
    """17.5 → "17.5", 60.0 → "60", None → "—"."""
    if not is_number(value):
        return "—" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def delta(old: Any, new: Any) -> str:
    """"17.5 → 60" for two numbers, with the missing side as "—"."""
    return f"{num(old)} {ARROW} {num(new)}"


def text(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_PROGRESS_SUFFIX = re.compile(r"\s*\(\d+\s*/\s*\d+\)\s*$")


def strip_progress(title: str) -> str:
    """Objective titles keep their definition's "(0/3)"; drop it (spec §3.2)."""
    return _PROGRESS_SUFFIX.sub("", title)


def span(ms: Any) -> str:
    """Milliseconds as a short human span: "46m 41s", "2h 05m", "3d 4h"."""
    if not is_number(ms):
        return "—"
    s = int(abs(ms) // 1000)
    if s < 60:
        out = f"{s}s"
    elif s < 3600:
        out = f"{s // 60}m {s % 60:02d}s"
    elif s < 86400:
        out = f"{s // 3600}h {s % 3600 // 60:02d}m"
    else:
        out = f"{s // 86400}d {s % 86400 // 3600}h"
    return ("−" if ms < 0 else "+") + out


class Names:
    """Display names harvested from both saves (factions, NPCs, quests)."""

    def __init__(self, *game_datas: dict):
        self.factions = dict(FACTION_NAMES)
        self.npcs: dict[str, str] = {}
        for gd in game_datas:
            self._harvest(obj(gd))

    def _harvest(self, gd: dict) -> None:
        for fid, rec in obj(dig(gd, "factions", "byId")).items():
            for source in (rec, obj(obj(rec).get("lastAttitudeChange"))):
                name = obj(source).get("factionName")
                if isinstance(name, str) and name:
                    self.factions.setdefault(fid, name)
        for nid, rec in obj(dig(gd, "npcs", "byId")).items():
            name = obj(rec).get("name")
            if isinstance(name, str) and name:
                self.npcs[nid] = name
        for nid, rec in obj(dig(gd, "quests", "npcAvailability")).items():
            name = obj(rec).get("npcName")
            if isinstance(name, str) and name:
                self.npcs.setdefault(nid, name)

    def faction(self, fid: Any) -> str:
        return self.factions.get(fid, str(fid)) if fid is not None else "(none)"

    def npc(self, nid: Any) -> str:
        return self.npcs.get(nid, str(nid)) if nid is not None else "(unknown)"
