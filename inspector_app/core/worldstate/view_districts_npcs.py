"""Districts and NPC views (§3.8, §3.9, §9.1)."""
from __future__ import annotations

from typing import Any

from inspector_app.core.common.jsfmt import is_number
from ._coerce import as_dict, as_list, count_of, dicts, display_text, js_truthy, nullish
from .factions import faction_name
from .summary import district_summary, npc_summary
from .table import Column, DomainView, Fact, Table
from inspector_app.core.common.timefmt import format_absolute_time

DISTRICT_CHANGELOG_CAP = 50
NPC_CHANGELOG_CAP = 50
NPC_HISTORY_CAP = 10

STABILITY_TONES = {"stable": "good", "tense": "warn", "volatile": "bad", "critical": "bad", "collapsed": "bad"}
NPC_STATUS_TONES = {"alerted": "bad", "suspicious": "warn", "witness": "warn", "aware": "info",
                    "cooperative": "good", "unknown": "neutral"}

DISTRICT_COLUMNS = [
    Column("name", "District"), Column("tier", "Tier"), Column("controller", "Controlled by"),
    Column("baseController", "Base"), Column("previousController", "Previous"),
    Column("stability", "Stability", "number"), Column("rating", "Rating", "badge"),
    Column("security", "Security", "number", tooltip="security level 1–5"),
    Column("fastTravel", "Fast travel", "bool"), Column("activeRestrictions", "Active restrictions", "number"),
    Column("restrictions", "Restrictions (active first)"), Column("routesLocked", "Routes locked", "number"),
    Column("routesUnlocked", "Routes unlocked", "number"), Column("lockdowns", "Lockdowns", "number"),
    Column("lastLockdownAt", "Last lockdown", "time"), Column("id", "Id"),
]
RESTRICTION_COLUMNS = [
    Column("district", "District"), Column("active", "Active", "bool"), Column("type", "Type"),
    Column("id", "Restriction"), Column("description", "Description"), Column("lastChangedAt", "Changed", "time"),
]
ROUTE_COLUMNS = [
    Column("district", "District"), Column("id", "Route"), Column("type", "Type"),
    Column("unlocked", "Unlocked", "bool"), Column("unlockedAt", "Unlocked at", "time"), Column("description", "Description"),
]
RESTRICTED_COLUMNS = [
    Column("name", "District"), Column("activeRestrictionCount", "Active", "number"),
    Column("restrictions", "Restrictions"), Column("fastTravel", "Fast travel", "bool"),
    Column("controller", "Controlled by"), Column("stability", "Stability", "number"), Column("rating", "Rating", "badge"),
    Column("routesLocked", "Routes locked", "number"), Column("lockdowns", "Lockdowns", "number"),
    Column("lastRestrictionChangeAt", "Last change", "time"),
]


def _restrictions_sorted(access: dict) -> list[dict]:
    entries = dicts(access.get("restrictions"))
    return sorted(entries, key=lambda r: not js_truthy(r.get("active")))


def _number(value: Any) -> Any:
    return value if is_number(value) else None


def district_rows(districts: Any) -> list[dict]:
    rows = []
    for district_id, record in as_dict(as_dict(districts).get("byId")).items():
        if not isinstance(record, dict):
            continue
        control = as_dict(record.get("controllingFaction"))
        stability = as_dict(record.get("stability"))
        access = as_dict(record.get("access"))
        restrictions = _restrictions_sorted(access)
        active = [r for r in restrictions if js_truthy(r.get("active"))]
        routes = dicts(record.get("infiltrationRoutes"))
        unlocked = sum(1 for r in routes if js_truthy(r.get("unlocked")))
        analytics = as_dict(record.get("analytics"))
        rating = stability.get("rating")
        rows.append({
            "name": nullish(record.get("name"), district_id), "id": district_id, "tier": record.get("tier"),
            "controller": faction_name(control.get("current")) if control.get("current") else "—",
            "baseController": faction_name(control.get("base")) if control.get("base") else "—",
            "previousController": faction_name(control.get("previous")) if control.get("previous") else "—",
            "stability": _number(stability.get("current")), "rating": rating if isinstance(rating, str) else None,
            "security": _number(as_dict(record.get("security")).get("level")),
            "fastTravel": js_truthy(access.get("fastTravelEnabled")),
            "activeRestrictions": len(active),
            "restrictions": "; ".join(f"{'●' if js_truthy(r.get('active')) else '○'} {display_text(r.get('type'))}"
                                      for r in restrictions) or "—",
            "routesLocked": len(routes) - unlocked, "routesUnlocked": unlocked,
            "lockdowns": _number(analytics.get("lockdownsTriggered")) or 0,
            "lastLockdownAt": _number(analytics.get("lastLockdownAt")),
            "_tones": {"rating": STABILITY_TONES.get(rating, "neutral")},
            "_tips": {"restrictions": "\n".join(f"{'ACTIVE' if js_truthy(r.get('active')) else 'inactive'} "
                                                f"{display_text(r.get('id'))}: {display_text(r.get('description'))}"
                                                for r in restrictions),
                      "stability": f"base {display_text(stability.get('base'))}, changed "
                                   f"{format_absolute_time(stability.get('lastChangedAt'))}"},
        })
    return rows


def districts_view(game_data: Any = None, *, summary: Any = None) -> DomainView:
    view = DomainView(key="districts", title="Districts")
    if isinstance(game_data, dict):
        root = as_dict(game_data.get("districts"))
        built = district_summary(root)
        rows = district_rows(root)
        restrictions, routes = [], []
        for district_id, record in as_dict(root.get("byId")).items():
            name = nullish(as_dict(record).get("name"), district_id)
            for r in _restrictions_sorted(as_dict(as_dict(record).get("access"))):
                restrictions.append({"district": name, "active": js_truthy(r.get("active")), "type": r.get("type"),
                                     "id": r.get("id"), "description": r.get("description"),
                                     "lastChangedAt": _number(r.get("lastChangedAt")),
                                     "_tips": {"description": display_text(r.get("description"))}})
            for r in dicts(as_dict(record).get("infiltrationRoutes")):
                routes.append({"district": name, "id": r.get("id"), "type": r.get("type"),
                               "unlocked": js_truthy(r.get("unlocked")), "unlockedAt": _number(r.get("unlockedAt")),
                               "description": r.get("description"), "_tips": {"description": display_text(r.get("description"))}})
        restrictions.sort(key=lambda r: not r["active"])
        view.tables += [
            Table("districts", "Districts", DISTRICT_COLUMNS, rows, empty_text="No districts in this save"),
            Table("restrictions", "Restrictions (active first)", RESTRICTION_COLUMNS, restrictions,
                  empty_text="No restrictions defined"),
            Table("routes", "Infiltration routes", ROUTE_COLUMNS, routes, empty_text="No infiltration routes"),
        ]
        view.facts.append(Fact("Change log", count_of(as_list(root.get("changeLog")), DISTRICT_CHANGELOG_CAP)))
        if not as_list(root.get("changeLog")):
            view.notes.append("The current game never emits district:* events, so real saves hold the district "
                              "definition defaults (no active restriction, an empty change log).")
    else:
        built = as_dict(as_dict(summary).get("districts"))
        view.notes.append("From an inspector summary: only restricted districts (≤ 8) and totals are available.")
    metrics = as_dict(built.get("metrics"))
    view.facts[:0] = [
        Fact("Restricted", f"{display_text(metrics.get('restricted', 0))}/{display_text(metrics.get('total', 0))}"),
        Fact("Fast travel disabled", display_text(metrics.get("fastTravelDisabled", 0))),
        Fact("Routes locked / unlocked", f"{display_text(metrics.get('infiltrationLocked', 0))} / "
                                         f"{display_text(metrics.get('infiltrationUnlocked', 0))}"),
        Fact("Lockdown events", display_text(metrics.get("lockdownEvents", 0))),
        Fact("Last lockdown", format_absolute_time(built.get("lastLockdownAt"))),
        Fact("Last update", format_absolute_time(built.get("lastUpdatedAt"))),
    ]
    restricted = [{
        "name": nullish(d.get("name"), d.get("id")), "activeRestrictionCount": _number(d.get("activeRestrictionCount")),
        "restrictions": "; ".join(f"{display_text(r.get('type'))}: {display_text(r.get('description'))}"
                                  for r in dicts(d.get("restrictions"))) or "—",
        "fastTravel": d.get("fastTravelEnabled") is not False,
        "controller": faction_name(d.get("controllingFaction")) if d.get("controllingFaction") else "—",
        "stability": _number(as_dict(d.get("stability")).get("value")),
        "rating": as_dict(d.get("stability")).get("rating"),
        "routesLocked": _number(d.get("infiltrationLocked")), "lockdowns": _number(d.get("lockdownsTriggered")),
        "lastRestrictionChangeAt": _number(d.get("lastRestrictionChangeAt")),
        "_tones": {"rating": STABILITY_TONES.get(as_dict(d.get("stability")).get("rating"), "neutral")},
    } for d in dicts(built.get("restrictedDistricts"))]
    view.tables.insert(0, Table("restricted", "Restricted districts (as the inspector summary lists them)",
                                RESTRICTED_COLUMNS, restricted, empty_text="No active traversal restrictions"))
    return view


NPC_COLUMNS = [
    Column("name", "NPC"), Column("faction", "Faction"), Column("status", "Status", "badge"),
    Column("knowsPlayer", "Knows player", "bool"), Column("interviews", "Interviews", "number"),
    Column("recognitions", "Recognitions", "number"), Column("witnessedCrimes", "Crimes seen", "number"),
    Column("suspicion", "Suspicion"), Column("alert", "Alert"), Column("lastCrime", "Last crime"),
    Column("lastInteractionAt", "Last interaction", "time"), Column("history", "History", tooltip="entries / cap (10)"),
    Column("id", "Id"),
]
FLAG_COLUMNS = [
    Column("name", "NPC"), Column("faction", "Faction"), Column("status", "Status", "badge"),
    Column("reason", "Reason"), Column("updatedAt", "When", "time"),
]
NPC_HISTORY_COLUMNS = [
    Column("npc", "NPC"), Column("n", "#", "number"), Column("type", "Event"),
    Column("detail", "Detail"), Column("timestamp", "When", "time"),
]


def _flag_text(flag: Any) -> str:
    f = as_dict(flag)
    if not js_truthy(f.get("active")):
        return "—"
    return f"active: {display_text(f.get('reason'), 'no reason')}"


def npc_rows(npcs: Any) -> list[dict]:
    rows = []
    for npc_id, record in as_dict(as_dict(npcs).get("byId")).items():
        if not isinstance(record, dict):
            continue
        interactions = as_dict(record.get("interactions"))
        crime = as_dict(record.get("lastCrimeWitnessed"))
        status = record.get("status") if isinstance(record.get("status"), str) else "unknown"
        rows.append({
            "name": nullish(record.get("name"), npc_id), "id": npc_id,
            "faction": faction_name(record.get("factionId")) if record.get("factionId") else "—",
            "status": status, "knowsPlayer": js_truthy(record.get("knowsPlayer")),
            "interviews": _number(interactions.get("interviews")) or 0,
            "recognitions": _number(interactions.get("recognitions")) or 0,
            "witnessedCrimes": _number(interactions.get("witnessedCrimes")) or 0,
            "suspicion": _flag_text(record.get("suspicion")), "alert": _flag_text(record.get("alert")),
            "lastCrime": f"{display_text(crime.get('crimeType'))} ({display_text(crime.get('severity'))})" if crime else "—",
            "lastInteractionAt": _number(record.get("lastInteractionAt")),
            "history": count_of(as_list(record.get("history")), NPC_HISTORY_CAP),
            "_tones": {"status": NPC_STATUS_TONES.get(status, "neutral"),
                       "alert": "bad" if js_truthy(as_dict(record.get("alert")).get("active")) else "",
                       "suspicion": "warn" if js_truthy(as_dict(record.get("suspicion")).get("active")) else ""},
        })
    return rows


def flag_rows(entries: Any) -> list[dict]:
    """Rows of the summary's ``alerts`` / ``suspicious`` lists (already newest first)."""
    return [{
        "name": nullish(e.get("name"), e.get("id")),
        "faction": faction_name(e.get("factionId")) if e.get("factionId") else "—",
        "status": e.get("status"), "reason": e.get("reason"), "updatedAt": _number(e.get("updatedAt")),
        "_tones": {"status": NPC_STATUS_TONES.get(e.get("status"), "neutral")},
    } for e in dicts(entries)]


def _history_detail(entry: dict) -> str:
    parts = [f"{k}: {display_text(v)}" for k, v in entry.items() if k not in ("type", "timestamp")]
    return ", ".join(parts) or "—"


def npcs_view(game_data: Any = None, *, summary: Any = None) -> DomainView:
    view = DomainView(key="npcs", title="NPCs")
    if isinstance(game_data, dict):
        root = as_dict(game_data.get("npcs"))
        built = npc_summary(root)
        history = []
        for npc_id, record in as_dict(root.get("byId")).items():
            name = nullish(as_dict(record).get("name"), npc_id)
            for n, entry in enumerate(dicts(as_dict(record).get("history")), start=1):
                history.append({"npc": name, "n": n, "type": entry.get("type"), "detail": _history_detail(entry),
                                "timestamp": _number(entry.get("timestamp"))})
        view.tables.append(Table("npcs", "NPC records", NPC_COLUMNS, npc_rows(root),
                                 empty_text="No NPC has been met yet"))
        view.tables.append(Table("history", "NPC histories (oldest first, ≤ 10 per NPC)", NPC_HISTORY_COLUMNS,
                                 history, empty_text="No NPC events recorded"))
        view.facts.append(Fact("Change log", count_of(as_list(root.get("changeLog")), NPC_CHANGELOG_CAP)))
    else:
        built = as_dict(as_dict(summary).get("npcs"))
        view.notes.append("From an inspector summary: only the alert and suspicion lists (≤ 10 each) are available.")
    metrics = as_dict(built.get("metrics"))
    view.facts[:0] = [
        Fact("NPCs", display_text(metrics.get("total", 0))),
        Fact("Alerts", display_text(metrics.get("alerts", 0)), tone="bad" if metrics.get("alerts") else ""),
        Fact("Suspicious", display_text(metrics.get("suspicious", 0)), tone="warn" if metrics.get("suspicious") else ""),
        Fact("Knows player", display_text(metrics.get("knowsPlayer", 0))),
        Fact("Witnessed crimes", display_text(metrics.get("witnessedCrimes", 0))),
        Fact("Last update", format_absolute_time(built.get("lastUpdatedAt"))),
    ]
    view.tables.insert(0, Table("alerts", "Alerts (newest first, ≤ 10)", FLAG_COLUMNS, flag_rows(built.get("alerts")),
                                empty_text="No active alerts"))
    view.tables.insert(1, Table("suspicious", "Suspicious (newest first, ≤ 10; alerted NPCs are suspicious too)",
                                FLAG_COLUMNS, flag_rows(built.get("suspicious")), empty_text="No suspicion flags"))
    return view
