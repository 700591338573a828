"""The pins the domain views offer directly (no Qt): a faction's reputation and attitude, a
quest's status and an objective's progress, the tutorial's step, an inventory item's quantity,
a case's evidence count, playtime.

The views (``core/worldstate``) are plain tables; a row or a fact maps to the save's paths
here, so the Qt layer only asks ``natural_pins(tab, table=…, row=…)`` /
``natural_pins(tab, fact=…)`` and shows what comes back.
"""
from __future__ import annotations

from typing import Any

from inspector_app.core.common.textsafe import visible
from inspector_app.core.worldstate.factions import faction_name

from .model import Match, Pin

__all__ = ["natural_pins"]

_G = "gameData"


def _pin(label: str, *steps: Any, count: bool = False) -> Pin:
    return Pin(tuple(steps), count, label)


def _row_pins(tab: str, table: str, row: dict) -> list[Pin]:
    rid = row.get("id")
    if tab == "factions" and table == "factions" and isinstance(rid, str):
        name = faction_name(rid)
        tips = row.get("_tips")
        if isinstance(tips, dict) and str(tips.get("attitude", "")).startswith("Legacy shape"):
            base: tuple = (_G, "factions", "reputation", rid)      # legacy shape: no attitude saved
            return [_pin(f"{name} · fame", *base, "fame"), _pin(f"{name} · infamy", *base, "infamy")]
        base = (_G, "factions", "byId", rid)
        return [_pin(f"{name} · fame", *base, "fame"), _pin(f"{name} · infamy", *base, "infamy"),
                _pin(f"{name} · attitude", *base, "attitude")]
    if tab == "quests" and table == "quests" and isinstance(rid, str):
        title = visible(row.get("title") or rid)
        base = (_G, "quests", "byId", rid)
        return [_pin(f"{title} · status", *base, "status")]
    if tab == "quests" and table == "objectives":
        ids = row.get("_ids")
        if isinstance(ids, dict) and isinstance(ids.get("quest"), str) and isinstance(ids.get("objective"), str):
            title = visible(row.get("title") or ids["objective"])
            base = (_G, "quests", "byId", ids["quest"], "objectives", ids["objective"])
            return [_pin(f"{title} · progress", *base, "progress"), _pin(f"{title} · status", *base, "status")]
    if tab == "tutorial" and table == "steps" and isinstance(row.get("step"), str):
        step = row["step"]
        return [_pin(f"tutorial step {visible(step)} · duration", _G, "tutorial", "stepDurations", step)]
    if tab == "inventory" and table == "items" and isinstance(rid, (str, int)) and not isinstance(rid, bool):
        name = visible(row.get("name") or rid)
        return [_pin(f"{name} · quantity", _G, "inventory", "items", Match("id", rid), "quantity")]
    if tab == "dialogue" and table == "cases" and isinstance(rid, str):
        base = (_G, "cases", "cases", rid)
        return [_pin(f"{visible(rid)} · evidence count", *base, "collectedEvidence", count=True),
                _pin(f"{visible(rid)} · status", *base, "status")]
    return []


_FACT_PINS: dict[tuple[str, str], list[Pin]] = {
    ("overview", "Playtime"): [_pin("playtime", "playtime")],
    ("tutorial", "Current step"): [_pin("tutorial · current step", _G, "tutorial", "currentStep")],
    ("tutorial", "Progress"): [_pin("tutorial · completed steps", _G, "tutorial", "completedSteps", count=True)],
    ("tutorial", "Status"): [_pin("tutorial · completed", _G, "tutorial", "completed"),
                             _pin("tutorial · skipped", _G, "tutorial", "skipped")],
    ("dialogue", "Cases solved"): [_pin("cases solved", _G, "investigation", "casesSolved", count=True)],
    ("dialogue", "Active case"): [_pin("active case", _G, "cases", "activeCaseId")],
    ("quests", "Completed"): [_pin("quests completed", _G, "quests", "completedIds", count=True)],
    ("quests", "Active"): [_pin("quests active", _G, "quests", "activeIds", count=True)],
}


def natural_pins(tab: str, *, table: str | None = None, row: dict | None = None, fact: str | None = None) -> list[Pin]:
    """The pins a domain view offers for one table row or one fact (empty when none fits)."""
    if fact is not None:
        return list(_FACT_PINS.get((tab, fact), ()))
    if table is not None and isinstance(row, dict):
        return _row_pins(tab, table, row)
    return []
