"""Quests and story-flag views (§3.1, §3.2, §8.5 and the developer HUD's derived stats)."""
from __future__ import annotations

import re

import orjson
from typing import Any

from inspector_app.core.common.guiturn import turns
from inspector_app.core.common.jsfmt import is_number
from ._coerce import as_dict, as_list, count_of, dicts, display_text, js_truthy, nullish
from .table import Column, DomainView, Fact, Table
from inspector_app.core.common.timefmt import format_absolute_time

NPC_AVAILABILITY_HISTORY_CAP = 20
RECENT_FLAGS = 6
QUEST_STATUS_TONES = {"active": "info", "completed": "good", "failed": "bad", "not_started": "neutral"}
OBJECTIVE_STATUS_TONES = {"completed": "good", "in_progress": "info", "blocked": "bad", "pending": "neutral"}
_STALE_COUNT = re.compile(r"\s*\(\d+\s*/\s*\d+\)\s*$")

QUEST_COLUMNS = [
    Column("title", "Quest"), Column("status", "Status", "badge"), Column("act", "Act"), Column("type", "Type"),
    Column("objectives", "Objectives done"), Column("startedAt", "Started", "time"),
    Column("finishedAt", "Completed / failed", "time"), Column("blocked", "Blocked", "number"), Column("id", "Id"),
]
OBJECTIVE_COLUMNS = [
    Column("quest", "Quest"), Column("n", "#", "number"), Column("title", "Objective"),
    Column("progress", "Progress", tooltip="progress / target, computed (titles keep their stale '(0/3)')"),
    Column("status", "Status", "badge"), Column("optional", "Optional", "bool"), Column("hidden", "Hidden", "bool"),
    Column("trigger", "Trigger"), Column("blocked", "Blocked reason"),
]
BLOCKED_COLUMNS = [
    Column("quest", "Quest"), Column("objective", "Objective"), Column("reason", "Reason"),
    Column("requirement", "Requirement"), Column("message", "Message"), Column("recordedAt", "When", "time"),
]
AVAILABILITY_COLUMNS = [
    Column("npc", "NPC"), Column("available", "Available", "bool"), Column("reason", "Reason"),
    Column("faction", "Faction"), Column("objectives", "Objectives", "number"), Column("updatedAt", "Updated", "time"),
]
AVAILABILITY_HISTORY_COLUMNS = [
    Column("npc", "NPC"), Column("available", "Available", "bool"), Column("reason", "Reason"),
    Column("objectiveCount", "Objectives", "number"), Column("recordedAt", "When", "time"),
]


def quest_stats(quests: Any) -> dict[str, int]:
    """``{total, active, completed, failed}`` as the developer HUD derives them."""
    root = as_dict(quests)
    if isinstance(root.get("byId"), dict):
        return {"total": len(root["byId"]), "active": len(as_list(root.get("activeIds"))),
                "completed": len(as_list(root.get("completedIds"))), "failed": len(as_list(root.get("failedIds")))}
    if any(k in root for k in ("activeQuests", "completedQuests", "failedQuests")):
        active, done, failed = (len(as_list(root.get(k))) for k in ("activeQuests", "completedQuests", "failedQuests"))
        return {"total": active + done + failed, "active": active, "completed": done, "failed": failed}
    statuses = [as_dict(q).get("status") for q in root.values()]
    return {"total": len(statuses), "active": statuses.count("active"),
            "completed": statuses.count("completed"), "failed": statuses.count("failed")}


def objective_progress(objective: dict) -> str:
    """``p/t`` from ``progress`` and ``target`` (a completed objective with no progress shows t/t)."""
    target = objective.get("target") if is_number(objective.get("target")) else 1
    progress = objective.get("progress") if is_number(objective.get("progress")) else 0
    if objective.get("status") == "completed" and progress < target:
        progress = target
    return f"{display_text(progress)}/{display_text(target)}"


def clean_objective_title(title: Any) -> str:
    """The title without the stale ``(0/3)`` suffix the definition text carries."""
    return _STALE_COUNT.sub("", title) if isinstance(title, str) else "—"


def _trigger_text(objective: dict) -> str:
    trigger = as_dict(as_dict(objective.get("metadata")).get("trigger"))
    event = trigger.get("event")
    extras = [f"{k}={display_text(v)}" for k, v in trigger.items() if k != "event"]
    return f"{event} ({', '.join(extras)})" if extras and event else display_text(event)


def _objectives(quest: dict) -> list[tuple[str, dict]]:
    objectives = as_dict(quest.get("objectives"))
    order = [o for o in as_list(quest.get("objectivesOrder")) if isinstance(o, str) and o in objectives]
    order += [o for o in objectives if o not in order]
    return [(o, objectives[o]) for o in order if isinstance(objectives[o], dict)]


def quest_progress(quest_id: Any, quest: dict) -> tuple[Any, str, int, list[tuple[str, dict]]]:
    """``(title, status, objectives completed, objectives)`` of one store-shape quest record — what
    the Quests table shows, and what the playtest counts (``core/playtest``)."""
    items = _objectives(quest)
    done = sum(1 for _, o in items if o.get("status") == "completed")
    status = quest.get("status") if isinstance(quest.get("status"), str) else "unknown"
    return nullish(quest.get("title"), quest_id), status, done, items


def quest_progress_rows(quests: Any) -> list[tuple[Any, Any, str, int, int]]:
    """``(id, title, status, done, total)`` per quest, from any of the three shapes (without
    building the whole Quests view)."""
    root = as_dict(quests)
    if isinstance(root.get("byId"), dict):
        out = []
        for quest_id, quest in root["byId"].items():
            if isinstance(quest, dict):
                title, status, done, items = quest_progress(quest_id, quest)
                out.append((quest_id, title, status, done, len(items)))
        return out
    legacy_lists = {"activeQuests": "active", "completedQuests": "completed", "failedQuests": "failed"}
    if any(k in root for k in legacy_lists):
        return [(q, q, status, 0, 0) for key, status in legacy_lists.items() for q in as_list(root.get(key))]
    return [(q, q, as_dict(quest).get("status"), 0, 0) for q, quest in root.items()]


def quests_view(game_data: Any = None, *, summary: Any = None) -> DomainView:
    if not isinstance(game_data, dict):
        return DomainView.needs_save("quests", "Quests", "Quests are")
    view = DomainView(key="quests", title="Quests")
    root = as_dict(game_data.get("quests"))
    stats = quest_stats(root)
    view.facts += [Fact("Quests", str(stats["total"])), Fact("Active", str(stats["active"]), tone="info"),
                   Fact("Completed", str(stats["completed"]), tone="good"),
                   Fact("Failed", str(stats["failed"]), tone="bad" if stats["failed"] else "")]
    quests, objectives, blocked = [], [], []
    if isinstance(root.get("byId"), dict):
        for quest_id, quest in root["byId"].items():
            if not isinstance(quest, dict):
                continue
            title, status, done, items = quest_progress(quest_id, quest)
            finished = quest.get("completedAt") if is_number(quest.get("completedAt")) else quest.get("failedAt")
            quests.append({
                "title": title, "id": quest_id, "status": status,
                "act": nullish(quest.get("act"), as_dict(quest.get("metadata")).get("act")), "type": quest.get("type"),
                "objectives": f"{done}/{len(items)}",
                "startedAt": quest.get("startedAt") if is_number(quest.get("startedAt")) else None,
                "finishedAt": finished if is_number(finished) else None,
                "blocked": len(as_dict(quest.get("blockedObjectives"))),
                "_tones": {"status": QUEST_STATUS_TONES.get(status, "neutral")},
                "_tips": {"title": display_text(quest.get("description"))},
            })
            for n, (objective_id, o) in enumerate(items, start=1):
                block = as_dict(o.get("blocked"))
                objectives.append({
                    "quest": title, "n": n, "title": clean_objective_title(nullish(o.get("title"), objective_id)),
                    "progress": objective_progress(o), "status": o.get("status"),
                    "optional": js_truthy(o.get("optional")), "hidden": js_truthy(o.get("hidden")),
                    "trigger": _trigger_text(o), "blocked": display_text(block.get("reason"), "") if block else "",
                    "_tones": {"status": OBJECTIVE_STATUS_TONES.get(o.get("status"), "neutral")},
                    "_ids": {"quest": quest_id, "objective": objective_id},   # followed values (core/pins)
                    "_tips": {"title": display_text(o.get("title")), "blocked": display_text(block.get("message"), "")},
                })
            for objective_id, entry in as_dict(quest.get("blockedObjectives")).items():
                entry = as_dict(entry)
                blocked.append({"quest": title, "objective": nullish(entry.get("objectiveTitle"), objective_id),
                                "reason": entry.get("reason"), "requirement": display_text(entry.get("requirement")),
                                "message": entry.get("message"),
                                "recordedAt": entry.get("recordedAt") if is_number(entry.get("recordedAt")) else None})
    else:
        legacy_lists = {"activeQuests": "active", "completedQuests": "completed", "failedQuests": "failed"}
        if any(k in root for k in legacy_lists):
            for key, status in legacy_lists.items():
                for quest_id in as_list(root.get(key)):
                    quests.append({"title": display_text(quest_id), "id": quest_id, "status": status,
                                   "_tones": {"status": QUEST_STATUS_TONES[status]}})
        else:
            for quest_id, quest in root.items():
                status = as_dict(quest).get("status")
                quests.append({"title": quest_id, "id": quest_id, "status": status,
                               "_tones": {"status": QUEST_STATUS_TONES.get(status, "neutral")}})
        view.notes.append("Legacy shape: only quest ids and statuses are saved.")
    availability = [{
        "npc": nullish(a.get("npcName"), nullish(a.get("npcId"), npc_id)), "available": js_truthy(a.get("available")),
        "reason": a.get("reason"), "faction": a.get("factionId"), "objectives": len(as_list(a.get("objectives"))),
        "updatedAt": a.get("updatedAt") if is_number(a.get("updatedAt")) else None,
    } for npc_id, a in as_dict(root.get("npcAvailability")).items() if isinstance(a, dict)]
    history = [{
        "npc": nullish(h.get("npcName"), h.get("npcId")), "available": js_truthy(h.get("available")),
        "reason": h.get("reason"), "objectiveCount": h.get("objectiveCount") if is_number(h.get("objectiveCount")) else None,
        "recordedAt": h.get("recordedAt") if is_number(h.get("recordedAt")) else None,
    } for h in dicts(root.get("npcAvailabilityHistory"))]
    unavailable = sum(1 for a in availability if not a["available"])
    view.facts += [
        Fact("NPC availability", f"{len(availability)} tracked, {unavailable} unavailable"),
        Fact("Blocked objectives", str(len(blocked))),
        Fact("Availability history", count_of(as_list(root.get("npcAvailabilityHistory")), NPC_AVAILABILITY_HISTORY_CAP)),
    ]
    view.tables += [
        Table("quests", "Quests", QUEST_COLUMNS, quests, empty_text="No quests registered"),
        Table("objectives", "Objectives (progress computed from progress/target)", OBJECTIVE_COLUMNS, objectives,
              empty_text="No objectives"),
        Table("blocked", "Blocked objectives", BLOCKED_COLUMNS, blocked, empty_text="No blocked objectives"),
        Table("availability", "NPC availability", AVAILABILITY_COLUMNS, availability,
              empty_text="No NPC availability recorded"),
        Table("availabilityHistory", f"NPC availability history ({count_of(as_list(root.get('npcAvailabilityHistory')), NPC_AVAILABILITY_HISTORY_CAP)}, newest first)",
              AVAILABILITY_HISTORY_COLUMNS, history, empty_text="No availability changes recorded"),
    ]
    return view


def story_flags(story: Any) -> list[dict]:
    """Flags as ``{flag, value, metadata, source, updatedAt}`` from any of the three shapes.

    Store: ``{flags: {id: {value, metadata, updatedAt}}}``; legacy: ``{id: {value, timestamp,
    metadata}}``; v0: ``{id: value}``.
    """
    root = as_dict(story)
    flags = root["flags"] if isinstance(root.get("flags"), dict) else root
    rows = []
    for flag_id, entry in turns(flags.items()):     # ~45,000 flags in a 50 MB save: the GUI's turns
        if isinstance(entry, dict) and "value" in entry:
            metadata = as_dict(entry.get("metadata"))
            updated = nullish(entry.get("updatedAt"), entry.get("timestamp"))
            rows.append({"flag": flag_id, "value": entry.get("value"), "source": metadata.get("source"),
                         "metadata": display_text(metadata, ""), "updatedAt": updated if is_number(updated) else None})
        else:
            rows.append({"flag": flag_id, "value": entry, "source": None, "metadata": "", "updatedAt": None})
    return rows


def current_act(story: Any) -> str | None:
    """``selectCurrentAct``: act3 if ``act3_started`` is true, then act2, then act1, else None."""
    root = as_dict(story)
    flags = root["flags"] if isinstance(root.get("flags"), dict) else root
    for act in ("act3", "act2", "act1"):
        # the value as story_flags reads it, without building every flag's row
        entry = flags.get(f"{act}_started")
        if js_truthy(entry.get("value") if isinstance(entry, dict) and "value" in entry else entry):
            return act
    return None


FLAG_COLUMNS = [
    Column("flag", "Flag"), Column("value", "Value"), Column("source", "Source"),
    Column("metadata", "Metadata"), Column("updatedAt", "Updated", "time"),
]


def story_view(game_data: Any = None, *, summary: Any = None) -> DomainView:
    if not isinstance(game_data, dict):
        return DomainView.needs_save("story", "Story flags", "Story flags are")
    view = DomainView(key="story", title="Story flags")
    rows = story_flags(game_data.get("storyFlags"))
    for row in turns(rows):
        row["value"] = row["value"] if isinstance(row["value"], str) else orjson.dumps(row["value"], default=str).decode()
        row["_tones"] = {"value": ""}
    recent = sorted((r for r in rows if r["updatedAt"] is not None), key=lambda r: -r["updatedAt"])[:RECENT_FLAGS]
    act = current_act(game_data.get("storyFlags"))
    view.facts += [Fact("Current act", act or "none (no act*_started flag)"), Fact("Flags", str(len(rows))),
                   Fact("Last update", format_absolute_time(recent[0]["updatedAt"]) if recent else "—")]
    view.tables += [
        Table("recent", f"{RECENT_FLAGS} most recently updated", FLAG_COLUMNS, [dict(r) for r in recent],
              empty_text="No flag has an update time"),
        Table("flags", "All flags", FLAG_COLUMNS, rows, empty_text="No story flags set"),
    ]
    return view
