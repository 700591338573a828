"""Factions view: records, cascades, attitude histories and member removals (§3.3, §8.5)."""
from __future__ import annotations

from typing import Any

from inspector_app.core.common.jsfmt import finite_number, is_number
from ._coerce import as_dict, as_list, count_of, dicts, display_text
from .factions import (
    ATTITUDE_HISTORY_CAP, MEMBER_REMOVALS_CAP, attitude_rank, attitude_tone, faction_name,
)
from .table import Column, DomainView, Fact, Table
from inspector_app.core.common.timefmt import format_absolute_time

CASCADE_ONLY_CAVEAT = (
    "Fame/infamy are the last values of a direct reputation change. Cascades change the "
    "FactionManager's numbers but are never reported to the store, so a faction changed only "
    "by cascades shows 0/0 (flagged ⚠)."
)


def _names(ids: Any) -> str:
    return ", ".join(faction_name(i) for i in as_list(ids) if isinstance(i, str)) or "—"


def _cascade_text(cascade: Any) -> str:
    c = as_dict(cascade)
    if not c:
        return "—"
    source = faction_name(c.get("sourceFactionId"), c.get("sourceFactionName"))
    attitude = c.get("newAttitude")
    return f"from {source} → {attitude}" if isinstance(attitude, str) else f"from {source}"


def only_cascades_changed(record: dict) -> bool:
    """True when cascades moved this faction but no direct reputation event ever reached the store."""
    count = record.get("cascadeCount")
    return is_number(count) and count > 0 and record.get("lastReason") is None


def faction_rows(factions: Any) -> list[dict]:
    """One row per faction of ``byId`` (store shape) or ``reputation`` (legacy / v0 shape)."""
    root = as_dict(factions)
    rows = []
    by_id = as_dict(root.get("byId"))
    for faction_id, record in by_id.items():
        if not isinstance(record, dict):
            continue
        attitude = record.get("attitude")
        history = as_list(record.get("attitudeHistory"))
        caveat = only_cascades_changed(record)
        delta = as_dict(record.get("lastDelta"))
        rows.append({
            "name": faction_name(faction_id),
            "id": faction_id,
            "attitude": attitude if isinstance(attitude, str) else None,
            "attitudeRank": attitude_rank(attitude),
            "fame": record.get("fame") if is_number(record.get("fame")) else None,
            "infamy": record.get("infamy") if is_number(record.get("infamy")) else None,
            "caveat": "⚠ cascades only" if caveat else "",
            "lastDelta": f"fame {display_text(delta.get('fame'))}, infamy {display_text(delta.get('infamy'))}" if delta else "—",
            "lastReason": record.get("lastReason") if isinstance(record.get("lastReason"), str) else None,
            "cascadeCount": record.get("cascadeCount") if is_number(record.get("cascadeCount")) else 0,
            "sources": _names(record.get("cascadeSources")),
            "lastCascade": _cascade_text(record.get("lastCascade")),
            "history": count_of(history, ATTITUDE_HISTORY_CAP),
            "updatedAt": finite_number(record.get("updatedAt")),
            "_tones": {"attitude": attitude_tone(attitude), "caveat": "warn" if caveat else ""},
            "_tips": {"caveat": CASCADE_ONLY_CAVEAT if caveat else "",
                      "sources": ", ".join(str(s) for s in as_list(record.get("cascadeSources")))},
        })
    if not by_id:
        for faction_id, rep in as_dict(root.get("reputation")).items():
            rep = as_dict(rep)
            rows.append({
                "name": faction_name(faction_id), "id": faction_id, "attitude": None, "attitudeRank": None,
                "fame": finite_number(rep.get("fame")), "infamy": finite_number(rep.get("infamy")),
                "caveat": "", "lastDelta": "—", "lastReason": None, "cascadeCount": 0, "sources": "—",
                "lastCascade": "—", "history": "—", "updatedAt": None,
                "_tones": {"attitude": "unknown"}, "_tips": {"attitude": "Legacy shape: attitude is not saved"},
            })
    return rows


FACTION_COLUMNS = [
    Column("name", "Faction"), Column("attitude", "Attitude", "badge"),
    Column("fame", "Fame", "number"), Column("infamy", "Infamy", "number"),
    Column("caveat", "Note", tooltip=CASCADE_ONLY_CAVEAT),
    Column("cascadeCount", "Cascades", "number"), Column("sources", "Cascade sources"),
    Column("lastCascade", "Last cascade"), Column("history", "Attitude history", tooltip="entries / cap (10)"),
    Column("lastDelta", "Last delta"), Column("lastReason", "Last reason"),
    Column("updatedAt", "Updated", "time"), Column("id", "Id"),
]


def cascade_target_rows(targets: Any) -> list[dict]:
    """All cascade targets (the overlay shows only the top 3), most cascades first."""
    rows = []
    for target in dicts(targets):
        last = as_dict(target.get("lastCascade"))
        rows.append({
            "name": faction_name(target.get("factionId")),
            "id": target.get("factionId"),
            "cascadeCount": target.get("cascadeCount") if is_number(target.get("cascadeCount")) else 0,
            "lastSource": faction_name(last.get("sourceFactionId"), last.get("sourceFactionName")) if last else "—",
            "newAttitude": last.get("newAttitude") if isinstance(last.get("newAttitude"), str) else None,
            "occurredAt": finite_number(last.get("occurredAt")),
            "sources": _names(target.get("sources")),
            "_tones": {"newAttitude": attitude_tone(last.get("newAttitude"))},
        })
    rows.sort(key=lambda r: -r["cascadeCount"])
    return rows


TARGET_COLUMNS = [
    Column("name", "Target faction"), Column("cascadeCount", "Cascades", "number"),
    Column("lastSource", "Last source"), Column("newAttitude", "New attitude", "badge"),
    Column("occurredAt", "When", "time"), Column("sources", "All sources"),
]

HISTORY_COLUMNS = [
    Column("faction", "Faction"), Column("n", "#", "number"), Column("oldAttitude", "From", "badge"),
    Column("newAttitude", "To", "badge"), Column("cascade", "Cascade", "bool"),
    Column("source", "Source faction"), Column("occurredAt", "When", "time"),
]

REMOVAL_COLUMNS = [
    Column("faction", "Faction"), Column("npcId", "NPC"), Column("entityId", "Entity", "number"),
    Column("tag", "Tag"), Column("removedAt", "Removed", "time"),
]


def _history_rows(factions: Any) -> list[dict]:
    rows = []
    for faction_id, record in as_dict(as_dict(factions).get("byId")).items():
        for n, change in enumerate(dicts(as_dict(record).get("attitudeHistory")), start=1):
            cascade = bool(change.get("cascade"))
            rows.append({
                "faction": faction_name(faction_id, change.get("factionName")),
                "n": n,
                "oldAttitude": change.get("oldAttitude"),
                "newAttitude": change.get("newAttitude"),
                "cascade": cascade,
                "source": faction_name(change.get("sourceFactionId"), change.get("sourceFactionName")) if cascade or change.get("sourceFactionId") else "direct",
                "occurredAt": finite_number(change.get("occurredAt")),
                "_tones": {"oldAttitude": attitude_tone(change.get("oldAttitude")),
                           "newAttitude": attitude_tone(change.get("newAttitude"))},
            })
    return rows


def removal_rows(removals: Any) -> list[dict]:
    return [{
        "faction": faction_name(r.get("factionId"), r.get("factionName")),
        "npcId": r.get("npcId"),
        "entityId": finite_number(r.get("entityId")),
        "tag": r.get("tag"),
        "removedAt": finite_number(r.get("removedAt")),
    } for r in dicts(removals)]


def last_cascade_event_text(event: Any) -> str:
    e = as_dict(event)
    if not e:
        return "n/a"
    source = faction_name(e.get("sourceFactionId"), e.get("sourceFactionName"))
    target = faction_name(e.get("targetFactionId"), e.get("targetFactionName"))
    old, new = e.get("oldAttitude"), e.get("newAttitude")
    change = f" ({old} → {new})" if isinstance(old, str) and isinstance(new, str) else ""
    return f"{source} → {target}{change}"


def factions_view(game_data: Any = None, *, summary: Any = None) -> DomainView:
    """Factions tab, from a save's ``gameData`` (full detail) or from an inspector summary."""
    view = DomainView(key="factions", title="Factions")
    if isinstance(game_data, dict):
        root = as_dict(game_data.get("factions"))
        cascade_source = {"lastCascadeEvent": root.get("lastCascadeEvent"),
                          "targets": [{"factionId": k, "cascadeCount": v.get("cascadeCount"),
                                       "lastCascade": v.get("lastCascade"), "sources": v.get("cascadeSources")}
                                      for k, v in as_dict(root.get("byId")).items()
                                      if isinstance(v, dict) and is_number(v.get("cascadeCount")) and v["cascadeCount"] > 0],
                          "removals": root.get("recentMemberRemovals")}
        rows = faction_rows(root)
        view.tables.append(Table("factions", "Faction records", FACTION_COLUMNS, rows,
                                 empty_text="No faction has had a reputation or attitude event yet (byId is empty)."))
        view.tables.append(Table("history", "Attitude history (oldest first, ≤ 10 per faction)", HISTORY_COLUMNS,
                                 _history_rows(root), empty_text="No attitude changes recorded"))
        if any(r["caveat"] for r in rows):
            view.notes.append(CASCADE_ONLY_CAVEAT)
        if root.get("lastResetAt") is not None:
            view.facts.append(Fact("Last reset", f"{format_absolute_time(root.get('lastResetAt'))} — "
                                                 f"{display_text(root.get('lastResetReason'))} by {display_text(root.get('lastResetInitiatedBy'))}"))
    else:
        factions = as_dict(as_dict(summary).get("factions"))
        cascade_source = {"lastCascadeEvent": factions.get("lastCascadeEvent"),
                          "targets": factions.get("cascadeTargets"),
                          "removals": factions.get("recentMemberRemovals")}
        view.notes.append("From an inspector summary: only cascades and member removals are available; "
                          "open a save for faction records and attitude histories.")
    targets = cascade_target_rows(cascade_source["targets"])
    removals = removal_rows(cascade_source["removals"])
    total = sum(r["cascadeCount"] for r in targets)
    view.facts[:0] = [
        Fact("Last cascade", last_cascade_event_text(cascade_source["lastCascadeEvent"]),
             tooltip=format_absolute_time(as_dict(cascade_source["lastCascadeEvent"]).get("occurredAt"))),
        Fact("Cascade events", f"{display_text(total)} over {len(targets)} target(s)"),
        Fact("Member removals", count_of(as_list(cascade_source["removals"]), MEMBER_REMOVALS_CAP),
             tooltip="recentMemberRemovals, oldest first; the game empties it when it loads a save"),
    ]
    view.tables.insert(1 if isinstance(game_data, dict) else 0,
                       Table("targets", "Cascade targets (all, most cascades first)", TARGET_COLUMNS, targets,
                             empty_text="No cascade activity recorded"))
    view.tables.append(Table("removals", f"Recent member removals ({count_of(as_list(cascade_source['removals']), MEMBER_REMOVALS_CAP)})",
                             REMOVAL_COLUMNS, removals, empty_text="No member removals recorded"))
    if isinstance(game_data, dict) and removals:
        view.notes.append("Member removals are read from the raw save; the game loses them when it loads "
                          "the save (hydrate bug), so in game the list is empty after loading.")
    return view
