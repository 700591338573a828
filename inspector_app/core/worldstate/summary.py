"""Rebuild ``SaveManager.getInspectorSummary()`` from a save's ``gameData`` (§9.1, §9.2).

The live summary is built from the store's selectors, and the serialized slices have the
same shape as the live ones, so the same rules applied to a save give the same factions,
tutorial snapshots, districts and NPCs as the game shows after loading that save — with one
difference on purpose: ``recentMemberRemovals`` is read from the raw save, which still has
them (the game drops them on hydrate, a bug; §8.4).

The tutorial transcript, the spatial-hash metrics and the control-bindings telemetry live
only in the running game. They come back empty (as the game shows them after a load) and
are listed in ``NOT_RECOVERABLE_FROM_SAVE``.

Never raises: any wrong type gives an empty section, like the game's per-section try/catch.
"""
from __future__ import annotations

import copy
import math
import time
from typing import Any

import orjson

from inspector_app.core.common.jsfmt import is_number
from ._coerce import as_dict, as_list, js_truthy, nullish

#: Parts of the summary that a save cannot give back (live telemetry only; §9.2).
NOT_RECOVERABLE_FROM_SAVE: tuple[str, ...] = ("tutorial.transcript", "engine.spatialHash", "controlBindings")

#: Key added (last) to a rebuilt summary when ``mark_unrecoverable`` is on.
REBUILD_MARKER_KEY = "notRecoverable"

RESTRICTED_DISTRICTS_CAP = 8
NPC_LIST_CAP = 10


def _clone(value: Any) -> Any:
    """A deep copy, so callers can never mutate the save through the summary."""
    try:
        return orjson.loads(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):
        return copy.deepcopy(value)


def empty_control_bindings_summary(source: str = "unavailable") -> dict:
    """``SaveManager._buildEmptyControlBindingsSummary`` (what a freshly loaded game reports)."""
    zero_ratio = {"numerator": 0, "denominator": 0, "value": 0, "percentage": "0%"}
    return {
        "source": source,
        "totalEvents": 0,
        "durationMs": 0,
        "durationLabel": "0s",
        "firstEventAt": None,
        "lastEventAt": None,
        "actionsVisited": [],
        "actionsVisitedCount": 0,
        "actionsRemapped": [],
        "actionsRemappedCount": 0,
        "listModesVisited": [],
        "pageRange": None,
        "lastSelectedAction": None,
        "metrics": {
            "selectionMoves": 0, "selectionBlocked": 0, "listModeChanges": 0, "listModeUnchanged": 0,
            "pageNavigations": 0, "pageNavigationBlocked": 0, "pageSetChanges": 0, "pageSetBlocked": 0,
            "captureStarted": 0, "captureCancelled": 0, "bindingsApplied": 0, "bindingsReset": 0,
            "manualOverrideEvents": 0,
        },
        "captureCancelReasons": {},
        "dwell": {
            "count": 0, "totalMs": 0, "averageMs": 0, "averageLabel": "0s", "maxMs": 0, "maxLabel": "0s",
            "minMs": 0, "minLabel": "0s", "lastMs": 0, "lastLabel": "0s", "lastAction": None, "longestAction": None,
        },
        "ratios": {"selectionBlocked": dict(zero_ratio), "pageNavigationBlocked": dict(zero_ratio)},
    }


def empty_district_summary() -> dict:
    return {
        "lastUpdatedAt": None,
        "lastLockdownAt": None,
        "restrictedDistricts": [],
        "metrics": {"total": 0, "restricted": 0, "fastTravelDisabled": 0, "infiltrationLocked": 0,
                    "infiltrationUnlocked": 0, "lockdownEvents": 0},
    }


def empty_npc_summary() -> dict:
    return {
        "lastUpdatedAt": None,
        "alerts": [],
        "suspicious": [],
        "metrics": {"total": 0, "alerts": 0, "suspicious": 0, "knowsPlayer": 0, "witnessedCrimes": 0},
    }


def faction_cascade_summary(factions: Any) -> dict:
    """``selectFactionCascadeSummary`` + the raw ``recentMemberRemovals`` (§8.5, §9.2)."""
    root = as_dict(factions)
    targets = []
    for faction_id, record in as_dict(root.get("byId")).items():
        if not isinstance(record, dict):
            continue
        count = record.get("cascadeCount")
        if not is_number(count) or count <= 0:
            continue
        targets.append({
            "factionId": faction_id,
            "cascadeCount": count,
            "lastCascade": _clone(nullish(record.get("lastCascade"), None)),
            "sources": _clone(as_list(record.get("cascadeSources"))),
        })
    last_event = root.get("lastCascadeEvent")
    return {
        "lastCascadeEvent": _clone(last_event) if isinstance(last_event, dict) else None,
        "cascadeTargets": targets,
        "recentMemberRemovals": _clone(as_list(root.get("recentMemberRemovals"))),
    }


def tutorial_snapshot_summary(tutorial: Any) -> dict:
    """``selectPromptHistorySnapshots`` / ``selectLatestPromptSnapshot``; transcript is live only."""
    snapshots = _clone(as_list(as_dict(tutorial).get("promptHistorySnapshots")))
    latest = snapshots[-1] if snapshots else None
    return {"latestSnapshot": latest, "snapshots": snapshots, "transcript": []}


def district_summary(districts: Any) -> dict:
    """``buildDistrictInspectorSummary`` over ``Object.values(byId)`` (§9.1)."""
    root = as_dict(districts)
    summary = empty_district_summary()
    summary["lastUpdatedAt"] = nullish(root.get("lastUpdatedAt"), None)
    records = [r for r in as_dict(root.get("byId")).values() if isinstance(r, dict)]
    restricted: list[dict] = []
    fast_travel_disabled = locked_total = unlocked_total = lockdown_events = 0
    last_lockdown_at = None

    for record in records:
        access = as_dict(record.get("access"))
        active = [r for r in as_list(access.get("restrictions")) if isinstance(r, dict) and js_truthy(r.get("active"))]
        fast_travel = js_truthy(access.get("fastTravelEnabled"))
        if not fast_travel:
            fast_travel_disabled += 1
        routes = as_list(record.get("infiltrationRoutes"))
        unlocked = sum(1 for r in routes if isinstance(r, dict) and js_truthy(r.get("unlocked")))
        locked = max(0, len(routes) - unlocked)
        unlocked_total += unlocked
        locked_total += locked
        analytics = as_dict(record.get("analytics"))
        lockdowns = analytics.get("lockdownsTriggered")
        lockdown_count = max(0, math.floor(lockdowns)) if is_number(lockdowns) else 0
        lockdown_events += lockdown_count
        record_lockdown_at = analytics.get("lastLockdownAt")
        if is_number(record_lockdown_at):
            last_lockdown_at = max(nullish(last_lockdown_at, 0), record_lockdown_at)
        if not active:
            continue

        last_change = None
        for restriction in active:
            changed_at = restriction.get("lastChangedAt")
            if is_number(changed_at):
                last_change = max(nullish(last_change, changed_at), changed_at)
        log = as_list(access.get("restrictionLog"))
        if not last_change and log:
            last_entry = log[-1]
            if isinstance(last_entry, dict) and is_number(last_entry.get("timestamp")):
                last_change = last_entry["timestamp"]

        stability = as_dict(record.get("stability"))
        restricted.append({
            "id": nullish(record.get("id"), None),
            "name": nullish(record.get("name"), nullish(record.get("id"), "Unknown district")),
            "tier": nullish(record.get("tier"), None),
            "controllingFaction": nullish(as_dict(record.get("controllingFaction")).get("current"), None),
            "stability": {
                "rating": nullish(stability.get("rating"), None),
                "value": stability.get("current") if is_number(stability.get("current")) else None,
                "lastChangedAt": nullish(stability.get("lastChangedAt"), None),
            },
            "fastTravelEnabled": fast_travel,
            "activeRestrictionCount": len(active),
            "lastRestrictionChangeAt": nullish(last_change, None),
            "restrictions": [
                {
                    "id": nullish(r.get("id"), None),
                    "type": nullish(r.get("type"), "generic"),
                    "description": nullish(r.get("description"), ""),
                    "lastChangedAt": nullish(r.get("lastChangedAt"), None),
                }
                for r in active
            ],
            "infiltrationLocked": locked,
            "infiltrationUnlocked": unlocked,
            "lockdownsTriggered": lockdown_count,
            "lastLockdownAt": record_lockdown_at if is_number(record_lockdown_at) else None,
        })

    # Stable sort, like Array.prototype.sort: more active restrictions first, then newest change.
    restricted.sort(key=lambda d: (-d["activeRestrictionCount"], -_num(d["lastRestrictionChangeAt"])))
    summary["restrictedDistricts"] = _clone(restricted[:RESTRICTED_DISTRICTS_CAP])
    summary["metrics"] = {
        "total": len(records),
        "restricted": len(restricted),
        "fastTravelDisabled": fast_travel_disabled,
        "infiltrationLocked": locked_total,
        "infiltrationUnlocked": unlocked_total,
        "lockdownEvents": lockdown_events,
    }
    summary["lastLockdownAt"] = last_lockdown_at
    return summary


def _num(value: Any) -> float:
    return value if is_number(value) else 0


def npc_summaries(npcs: Any) -> list[dict]:
    """``selectNpcSummaries``: one flat record per NPC (name falls back to the id)."""
    rows = []
    for record in as_dict(as_dict(npcs).get("byId")).values():
        if not isinstance(record, dict):
            continue
        interactions = as_dict(record.get("interactions"))
        suspicion = as_dict(record.get("suspicion"))
        alert = as_dict(record.get("alert"))
        rows.append({
            "id": record.get("id"),
            "name": nullish(record.get("name"), record.get("id")),
            "status": record.get("status"),
            "factionId": nullish(record.get("factionId"), None),
            "knowsPlayer": js_truthy(record.get("knowsPlayer")),
            "lastInteractionAt": nullish(record.get("lastInteractionAt"), None),
            "lastDialogueId": nullish(record.get("lastDialogueId"), None),
            "suspicion": {"active": js_truthy(suspicion.get("active")), "reason": nullish(suspicion.get("reason"), None),
                          "updatedAt": nullish(suspicion.get("updatedAt"), None)},
            "alert": {"active": js_truthy(alert.get("active")), "reason": nullish(alert.get("reason"), None),
                      "updatedAt": nullish(alert.get("updatedAt"), None)},
            "lastCrimeWitnessed": nullish(record.get("lastCrimeWitnessed"), None),
            "interviews": nullish(interactions.get("interviews"), 0),
            "recognitions": nullish(interactions.get("recognitions"), 0),
            "witnessedCrimes": nullish(interactions.get("witnessedCrimes"), 0),
        })
    return rows


def _npc_entry(npc: dict, flag: dict) -> dict:
    updated = flag.get("updatedAt")
    return {
        "id": nullish(npc.get("id"), None),
        "name": nullish(npc.get("name"), nullish(npc.get("id"), "Unknown NPC")),
        "factionId": nullish(npc.get("factionId"), None),
        "reason": nullish(flag.get("reason"), None),
        "updatedAt": updated if is_number(updated) else nullish(npc.get("lastInteractionAt"), None),
        "status": nullish(npc.get("status"), "unknown"),
    }


def npc_summary(npcs: Any) -> dict:
    """``buildNpcInspectorSummary``: alerts / suspicious (newest first, ≤ 10) and metrics (§9.1)."""
    root = as_dict(npcs)
    summary = empty_npc_summary()
    summary["lastUpdatedAt"] = nullish(root.get("lastUpdatedAt"), None)
    records = npc_summaries(root)
    alerts, suspicious = [], []
    knows_player = witnessed = 0
    for npc in records:
        if npc["knowsPlayer"]:
            knows_player += 1
        count = npc["witnessedCrimes"]
        witnessed += max(0, count) if is_number(count) else 0
        if npc["alert"]["active"]:
            alerts.append(_npc_entry(npc, npc["alert"]))
        if npc["suspicion"]["active"]:
            suspicious.append(_npc_entry(npc, npc["suspicion"]))
    alerts.sort(key=lambda e: -_num(e["updatedAt"]))
    suspicious.sort(key=lambda e: -_num(e["updatedAt"]))
    summary["alerts"] = _clone(alerts[:NPC_LIST_CAP])
    summary["suspicious"] = _clone(suspicious[:NPC_LIST_CAP])
    summary["metrics"] = {
        "total": len(records),
        "alerts": len(alerts),
        "suspicious": len(suspicious),
        "knowsPlayer": knows_player,
        "witnessedCrimes": witnessed,
    }
    return summary


def is_store_shape(game_data: Any) -> bool:
    """True for a WorldStateStore-shaped ``gameData`` (§3.0 fallback test; no ``meta`` needed)."""
    data = as_dict(game_data)
    if not data:
        return False
    if isinstance(as_dict(data.get("storyFlags")).get("flags"), dict):
        return True
    if isinstance(as_dict(data.get("quests")).get("byId"), dict):
        return True
    return any(key in data for key in ("districts", "npcs", "dialogue")) or (
        "factions" in data and "byId" in as_dict(data.get("factions")))


def rebuild_inspector_summary(game_data: dict, *, generated_at: int | None = None,
                              mark_unrecoverable: bool = True) -> dict:
    """The inspector summary the game would report for this save (§9.2).

    Keys come in the game's order (``generatedAt, source, factions, tutorial, engine,
    controlBindings, districts, npcs``). With ``mark_unrecoverable`` (default) one extra key,
    ``notRecoverable``, is appended *last*, listing ``NOT_RECOVERABLE_FROM_SAVE``. A gameData
    that is not in the store shape (legacy managers, v0, not an object) gives the game's
    ``source: "unavailable"`` summary with every section empty.
    """
    stamp = generated_at if is_number(generated_at) else int(time.time() * 1000)
    data = as_dict(game_data)
    if not is_store_shape(data):
        summary = {
            "generatedAt": stamp,
            "source": "unavailable",
            "factions": {"lastCascadeEvent": None, "cascadeTargets": [], "recentMemberRemovals": []},
            "tutorial": {"latestSnapshot": None, "snapshots": [], "transcript": []},
            "engine": {"spatialHash": None},
            "controlBindings": empty_control_bindings_summary(),
            "districts": empty_district_summary(),
            "npcs": empty_npc_summary(),
        }
    else:
        summary = {
            "generatedAt": stamp,
            "source": "worldStateStore",
            "factions": faction_cascade_summary(data.get("factions")),
            "tutorial": tutorial_snapshot_summary(data.get("tutorial")),
            "engine": {"spatialHash": None},
            "controlBindings": empty_control_bindings_summary(),
            "districts": district_summary(data.get("districts")),
            "npcs": npc_summary(data.get("npcs")),
        }
    if mark_unrecoverable:
        summary[REBUILD_MARKER_KEY] = list(NOT_RECOVERABLE_FROM_SAVE)
    return summary


def is_rebuilt_summary(summary: Any) -> bool:
    """True for a summary made by :func:`rebuild_inspector_summary` (it carries the marker)."""
    return isinstance(summary, dict) and isinstance(summary.get(REBUILD_MARKER_KEY), list)
