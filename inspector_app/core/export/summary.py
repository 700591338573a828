"""The sanitised inspector summary (spec telemetry-pipeline.md §5.4, save-format.md §9.3).

``sanitize_summary`` turns a raw ``getInspectorSummary()`` (or an already exported
``*-summary-*.json``, or a summary rebuilt from a save) into the exact structure and key
order the game's exporter writes, so the studio's consumers keep working.

Deviations from the game (see docs/export-deviations.md): a ``null``/missing timestamp stays
``null`` with a ``null`` ISO string instead of becoming ``0`` / ``1970-01-01T00:00:00.000Z``,
and a timestamp of ``0`` (the game's own encoding of "never") is read as ``null`` too.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import orjson

from inspector_app.core.worldstate.factions import FACTION_NAMES  # the one faction registry

from inspector_app.core.common.jsfmt import finite_number, iso_from_ms, js_round

from .csvfmt import json_compact
from .transcript import build_transcript_dto

SPATIAL_HISTORY_BUDGET_BYTES = 12 * 1024  # 12288, the game's SPATIAL_HISTORY_BUDGET_BYTES


_CONTROL_METRIC_KEYS = (
    "selectionMoves", "selectionBlocked", "listModeChanges", "listModeUnchanged",
    "pageNavigations", "pageNavigationBlocked", "pageSetChanges", "pageSetBlocked",
    "captureStarted", "captureCancelled", "bindingsApplied", "bindingsReset", "manualOverrideEvents",
)
_SAMPLE_KEYS = ("cellCount", "maxBucketSize", "trackedEntities", "timestamp")


def resolve_faction_name(faction_id: Any, fallback: Any = None) -> str:
    """The game's ``resolveFactionName``: fallback if truthy, else registry name, else id, else ''."""
    if fallback:
        return fallback
    if faction_id in FACTION_NAMES:
        return FACTION_NAMES[faction_id]
    return faction_id or ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def non_negative_int(value: Any) -> int:
    """The game's ``sanitizeNonNegativeInteger``: non-finite → 0, else ``max(0, floor(x))``."""
    if type(value) is int:               # the common case first (no bool: type() is exact)
        return value if value > 0 else 0
    if value is None:
        return 0
    n = _to_number(value)
    if n is None:
        return 0
    return max(0, int(math.floor(n)))


def _to_number(value: Any) -> int | float | None:
    """A finite number, accepting numeric strings (``'128'`` → 128); else None."""
    kind = type(value)
    if kind is int:                      # the common case first (no bool: type() is exact)
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    n = finite_number(value)
    if n is not None:
        return n
    if isinstance(value, str) and value.strip():
        try:
            f = float(value)
        except ValueError:
            return None
        if math.isfinite(f):
            return int(f) if f.is_integer() else f
    return None


def timestamp(value: Any) -> int | float | None:
    """A timestamp: a finite positive number, else None (0 is the game's "never")."""
    if value is None:
        return None
    n = value if type(value) is int else finite_number(value)
    return n if n else None


def _stamp(out: dict, key: str, iso_key: str, value: Any) -> None:
    """``out[key]`` (epoch ms or None) and ``out[iso_key]`` (ISO or None) for one timestamp."""
    ts = timestamp(value)
    out[key] = ts
    out[iso_key] = iso_from_ms(ts) if ts is not None else None


def format_duration_label(ms: Any) -> str:
    """The game's ``formatDurationLabel``: ``0s``; ``<1000`` → ``Nms``; ``<60000`` → ``N.Ns``
    (under 10 s) or ``Ns``; else ``Mm`` / ``Mm Ss``."""
    n = finite_number(ms)
    if not n or n <= 0:
        return "0s"
    if n < 1000:
        return f"{js_round(n)}ms"
    if n < 60000:
        seconds = n / 1000
        if seconds < 10:
            return f"{js_round(seconds * 10) / 10:.1f}s"
        return f"{js_round(seconds)}s"
    minutes = int(n // 60000)
    seconds = js_round((n % 60000) / 1000)
    if seconds >= 60:
        minutes, seconds = minutes + 1, seconds - 60
    return f"{minutes}m {seconds}s" if seconds else f"{minutes}m"


# --------------------------------------------------------------------------- sections

def _sanitize_factions(raw: Any) -> dict:
    f = _dict(raw)
    targets = _list(f.get("cascadeTargets"))
    removals = []
    for r in _list(f.get("recentMemberRemovals")):
        if not isinstance(r, dict):
            continue
        removed_at = timestamp(r.get("removedAt"))
        removals.append({
            "factionId": r.get("factionId"),
            "factionName": r.get("factionName"),
            "npcId": r.get("npcId"),
            "entityId": r.get("entityId"),
            "tag": r.get("tag"),
            "removedAt": removed_at,
            "removedIso": iso_from_ms(removed_at) if removed_at else None,
        })
    last = f.get("lastCascadeEvent")
    return {
        "lastCascadeEvent": last if isinstance(last, dict) else None,
        "cascadeTargets": targets,
        "recentMemberRemovals": removals,
        "metrics": {
            "cascadeTargetCount": len(targets),
            "activeCascadeTargets": _active_targets(targets),
            "recentMemberRemovalCount": len(removals),
        },
    }


def _active_targets(targets: list) -> int:
    """How many targets have a positive ``cascadeCount`` (numbers and numeric strings)."""
    active = 0
    for t in targets:
        if type(t) is dict or isinstance(t, dict):
            count = t.get("cascadeCount")
            if (count if type(count) is int else _to_number(count) or 0) > 0:
                active += 1
    return active


def _looks_like_raw_transcript(entries: list) -> bool:
    return any(isinstance(e, dict) and ("promptText" in e or "actionTaken" in e) and "sequence" not in e
               for e in entries)


def _sanitize_tutorial(raw: Any) -> dict:
    t = _dict(raw)
    snapshots = _list(t.get("snapshots"))
    latest = t.get("latestSnapshot")
    transcript = _list(t.get("transcript"))
    if _looks_like_raw_transcript(transcript):
        transcript = build_transcript_dto(transcript)
    return {
        "latestSnapshot": latest if isinstance(latest, dict) else None,
        "snapshots": snapshots,
        "transcript": transcript,
        "metrics": {"snapshotCount": len(snapshots), "transcriptCount": len(transcript)},
    }


def _sample(raw: Any) -> dict | None:
    if not isinstance(raw, dict):
        return None
    get = raw.get
    a, b, c, d = get("cellCount"), get("maxBucketSize"), get("trackedEntities"), get("timestamp")
    if type(a) is int and type(b) is int and type(c) is int and type(d) is int:   # the usual sample
        return {"cellCount": a, "maxBucketSize": b, "trackedEntities": c, "timestamp": d}
    return {k: _to_number(get(k)) for k in _SAMPLE_KEYS}


def _aggregate(raw: Any) -> dict | None:
    if not isinstance(raw, dict):
        return None
    return {k: _to_number(raw.get(k)) for k in ("average", "min", "max")}


def budget_status(payload_bytes: Any) -> tuple[str, int | float | None]:
    """(status, exceededBy) of a spatial-history payload against the 12,288-byte budget."""
    n = payload_bytes if type(payload_bytes) is int else finite_number(payload_bytes)
    if n is None:
        return "unknown", None
    if n <= SPATIAL_HISTORY_BUDGET_BYTES:
        return "within_budget", 0
    return "exceeds_budget", n - SPATIAL_HISTORY_BUDGET_BYTES


#: orjson's compact text of one sanitised sample with its four integer values deleted. A history
#: whose text, digits and "-" deleted, is ``[`` + this skeleton ``n`` times, comma-separated, + ``]``
#: holds ``n`` objects of four keys whose names are the four below once digits and "-" are deleted,
#: in this order, and whose values are integers (a JSON token made of digits and "-" only is an
#: integer; ``OPT_STRICT_INTEGER``: within ±(2**53 - 1)). That the names have no digit or "-"
#: (``cell1Count``) is checked on the keys: the samples together have exactly these four.
_SAMPLE_SKELETON = b'{"cellCount":,"maxBucketSize":,"trackedEntities":,"timestamp":}'
_INTEGER_CHARS = b"0123456789-"
_SAMPLE_KEY_SET = frozenset(_SAMPLE_KEYS)


@lru_cache(maxsize=16)
def _history_skeleton(count: int) -> bytes:
    """What a kept history of ``count`` samples leaves after deleting :data:`_INTEGER_CHARS`."""
    if not count:
        return b"[]"
    return b"[" + (_SAMPLE_SKELETON + b",") * (count - 1) + _SAMPLE_SKELETON + b"]"


def _sanitize_history(raw: Any) -> tuple[list, str | None]:
    """(the sanitised spatial history, its compact JSON text when already known).

    Fast path (issue 13): a history that already is sanitised (what the game and our exports
    write) is recognised on orjson's text of it — with every digit and "-" deleted
    (``bytes.translate``, C speed) it must be exactly the skeleton of that many samples, and the
    samples' keys together must be the four names — and its samples are kept as they are (a new
    list of the same dicts); that text is ``JSON.stringify(history)``, the payload size.
    Anything else is sanitised sample by sample (same result)."""
    history = _list(raw)
    try:
        text = orjson.dumps(history, option=orjson.OPT_STRICT_INTEGER)
    except (TypeError, orjson.JSONEncodeError):
        text = None
    if (text is not None and text.translate(None, _INTEGER_CHARS) == _history_skeleton(len(history))
            and (not history or set().union(*history) == _SAMPLE_KEY_SET)):
        return list(history), text.decode("ascii")
    return [s for s in (_sample(h) for h in history) if s is not None], None


def _sanitize_spatial(raw: Any) -> dict | None:
    if not isinstance(raw, dict):
        return None
    history, history_json = _sanitize_history(raw.get("history"))
    window = _to_number(raw.get("window"))
    sample_count = _to_number(raw.get("sampleCount"))
    aggregates = _dict(raw.get("aggregates"))
    stats = raw.get("stats")
    last = _sample(raw.get("lastSample")) or (history[-1] if history else None)
    payload = _to_number(raw.get("payloadBytes"))
    if not payload:
        payload = len(history_json if history_json is not None else json_compact(history))
    status, exceeded = budget_status(payload)
    return {
        "cellSize": _to_number(raw.get("cellSize")),
        "window": max(1, int(math.floor(window))) if window is not None else None,
        "sampleCount": max(0, int(math.floor(sample_count))) if sample_count is not None else len(history),
        "lastSample": last,
        "aggregates": {k: _aggregate(aggregates.get(k)) for k in ("cellCount", "maxBucketSize", "trackedEntities")},
        "stats": {k: non_negative_int(stats.get(k)) for k in ("insertions", "updates", "removals")}
        if isinstance(stats, dict) else None,
        "history": history,
        "payloadBytes": payload,
        "payloadBudgetBytes": SPATIAL_HISTORY_BUDGET_BYTES,
        "payloadBudgetStatus": status,
        "payloadBudgetExceededBy": exceeded,
    }


def _unavailable_control_bindings() -> dict:
    zero_ratio = {"numerator": 0, "denominator": 0, "value": 0, "percentage": "0%"}
    return {
        "source": "unavailable", "totalEvents": 0, "durationMs": 0, "durationLabel": "0s",
        "firstEventAt": None, "lastEventAt": None,
        "actionsVisitedCount": 0, "actionsVisited": [], "actionsRemappedCount": 0, "actionsRemapped": [],
        "listModesVisited": [], "pageRange": None, "lastSelectedAction": None,
        "metrics": dict.fromkeys(_CONTROL_METRIC_KEYS, 0),
        "captureCancelReasons": {},
        "dwell": {"count": 0, "totalMs": 0, "averageMs": 0, "averageLabel": "0s", "maxMs": 0, "maxLabel": "0s",
                  "minMs": 0, "minLabel": "0s", "lastMs": 0, "lastLabel": "0s",
                  "lastAction": None, "longestAction": None},
        "ratios": {"selectionBlocked": dict(zero_ratio), "pageNavigationBlocked": dict(zero_ratio)},
    }


def _non_negative(value: Any) -> int | float:
    n = _to_number(value)
    return max(0, n) if n is not None else 0


def _ratio(raw: Any) -> dict:
    r = _dict(raw)
    num, den = non_negative_int(r.get("numerator")), non_negative_int(r.get("denominator"))
    value = finite_number(r.get("value"))
    if value is None:
        value = num / den if den else 0
    value = js_round(min(1.0, max(0.0, value)) * 1000) / 1000
    pct = r.get("percentage")
    return {"numerator": num, "denominator": den, "value": value,
            "percentage": pct if isinstance(pct, str) else f"{js_round(value * 100)}%"}


def _sanitize_control_bindings(raw: Any) -> dict:
    if not isinstance(raw, dict):
        return _unavailable_control_bindings()
    metrics = _dict(raw.get("metrics"))
    reasons = metrics.get("captureCancelReasons", raw.get("captureCancelReasons"))
    dwell = _dict(raw.get("dwell"))
    visited, remapped = _list(raw.get("actionsVisited")), _list(raw.get("actionsRemapped"))
    modes = raw.get("listModesVisited")
    if not isinstance(modes, list):
        modes = _list(raw.get("listModesSeen"))
    page = _dict(raw.get("pageRange"))
    pmin, pmax = _to_number(page.get("min")) or 0, _to_number(page.get("max")) or 0
    duration = _non_negative(raw.get("durationMs"))
    label = raw.get("durationLabel")

    def first_last(key: str) -> Any:
        return finite_number(raw.get(key))

    dwell_out: dict[str, Any] = {"count": non_negative_int(dwell.get("count")),
                                 "totalMs": _non_negative(dwell.get("totalMs"))}
    for stat in ("average", "max", "min", "last"):
        ms = _non_negative(dwell.get(f"{stat}Ms"))
        dwell_out[f"{stat}Ms"] = ms
        given = dwell.get(f"{stat}Label")        # the game keeps the log's own label ("2s 400ms")
        dwell_out[f"{stat}Label"] = given if isinstance(given, str) else format_duration_label(ms)
    dwell_out["lastAction"] = dwell.get("lastAction")
    dwell_out["longestAction"] = dwell.get("longestAction")
    ratios = _dict(raw.get("ratios"))
    source = raw.get("source")
    return {
        "source": source if isinstance(source, str) and source else "unavailable",
        "totalEvents": non_negative_int(raw.get("totalEvents")),
        "durationMs": duration,
        "durationLabel": label if isinstance(label, str) else f"{duration}ms",
        "firstEventAt": first_last("firstEventAt"),
        "lastEventAt": first_last("lastEventAt"),
        "actionsVisitedCount": non_negative_int(raw.get("actionsVisitedCount", len(visited))),
        "actionsVisited": list(visited),
        "actionsRemappedCount": non_negative_int(raw.get("actionsRemappedCount", len(remapped))),
        "actionsRemapped": list(remapped),
        "listModesVisited": list(modes),
        "pageRange": {"min": pmin, "max": max(pmin, pmax)} if (pmin or pmax) else None,
        "lastSelectedAction": raw.get("lastSelectedAction"),
        "metrics": {k: non_negative_int(metrics.get(k)) for k in _CONTROL_METRIC_KEYS},
        "captureCancelReasons": {str(k): non_negative_int(v) for k, v in _dict(reasons).items()},
        "dwell": dwell_out,
        "ratios": {k: _ratio(ratios.get(k)) for k in ("selectionBlocked", "pageNavigationBlocked")},
    }


def _restriction(raw: dict) -> dict:
    out = {"id": raw.get("id"), "type": raw.get("type") or "generic", "description": raw.get("description")}
    _stamp(out, "lastChangedAt", "lastChangedIso", raw.get("lastChangedAt"))
    return out


def _restricted_district(raw: dict) -> dict:
    stability = _dict(raw.get("stability"))
    rating = stability.get("rating", raw.get("stabilityRating"))
    value = finite_number(stability.get("value", raw.get("stabilityValue")))
    out: dict[str, Any] = {
        "id": raw.get("id"), "name": raw.get("name"), "tier": raw.get("tier"),
        "fastTravelEnabled": raw.get("fastTravelEnabled") is not False,
        "controllingFaction": raw.get("controllingFaction"),
        "stabilityRating": rating, "stabilityValue": value,
        "activeRestrictionCount": non_negative_int(raw.get("activeRestrictionCount")),
        "infiltrationLocked": non_negative_int(raw.get("infiltrationLocked")),
        "infiltrationUnlocked": non_negative_int(raw.get("infiltrationUnlocked")),
        "lockdownsTriggered": non_negative_int(raw.get("lockdownsTriggered")),
    }
    _stamp(out, "lastRestrictionChangeAt", "lastRestrictionChangeIso", raw.get("lastRestrictionChangeAt"))
    _stamp(out, "lastLockdownAt", "lastLockdownIso", raw.get("lastLockdownAt"))
    out["restrictions"] = [_restriction(r) for r in _list(raw.get("restrictions")) if isinstance(r, dict)]
    return out


def _sanitize_districts(raw: Any) -> dict:
    d = _dict(raw)
    m = _dict(d.get("metrics"))
    out: dict[str, Any] = {}
    _stamp(out, "lastUpdatedAt", "lastUpdatedIso", d.get("lastUpdatedAt"))
    _stamp(out, "lastLockdownAt", "lastLockdownIso", d.get("lastLockdownAt"))
    out["metrics"] = {k: non_negative_int(m.get(k)) for k in (
        "total", "restricted", "fastTravelDisabled", "infiltrationLocked", "infiltrationUnlocked", "lockdownEvents")}
    out["restrictedDistricts"] = [_restricted_district(r) for r in _list(d.get("restrictedDistricts"))
                                  if isinstance(r, dict)]
    return out


def _npc_entry(raw: dict) -> dict:
    out = {
        "id": raw.get("id"), "name": raw.get("name"), "factionId": raw.get("factionId"),
        "factionName": resolve_faction_name(raw.get("factionId"), raw.get("factionName")),
        "status": raw.get("status"), "reason": raw.get("reason"),
    }
    _stamp(out, "updatedAt", "updatedIso", raw.get("updatedAt"))
    return out


def _sanitize_npcs(raw: Any) -> dict:
    n = _dict(raw)
    m = _dict(n.get("metrics"))
    out: dict[str, Any] = {}
    _stamp(out, "lastUpdatedAt", "lastUpdatedIso", n.get("lastUpdatedAt"))
    out["metrics"] = {k: non_negative_int(m.get(k)) for k in (
        "total", "alerts", "suspicious", "knowsPlayer", "witnessedCrimes")}
    out["alerts"] = [_npc_entry(a) for a in _list(n.get("alerts")) if isinstance(a, dict)]
    out["suspicious"] = [_npc_entry(a) for a in _list(n.get("suspicious")) if isinstance(a, dict)]
    return out


def sanitize_summary(summary: Any, *, now_ms: int | None = None) -> dict:
    """Raw or exported inspector summary → the game's sanitised summary (§5.4 key order).

    ``generatedAt`` falls back to ``now_ms`` (then to the current time) when the summary has
    none, as the game falls back to ``Date.now()``.
    """
    s = _dict(summary)
    generated = timestamp(s.get("generatedAt"))
    if generated is None:
        if now_ms is None:
            import time
            now_ms = int(time.time() * 1000)
        generated = now_ms
    source = s.get("source")
    engine = _dict(s.get("engine"))
    return {
        "generatedAt": generated,
        "generatedIso": iso_from_ms(generated),
        "source": source if isinstance(source, str) and source else "unavailable",
        "factions": _sanitize_factions(s.get("factions")),
        "tutorial": _sanitize_tutorial(s.get("tutorial")),
        "engine": {"spatialHash": _sanitize_spatial(engine.get("spatialHash"))},
        "controlBindings": _sanitize_control_bindings(s.get("controlBindings")),
        "districts": _sanitize_districts(s.get("districts")),
        "npcs": _sanitize_npcs(s.get("npcs")),
    }
