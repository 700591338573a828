"""The in-game Save Inspector overlay (§10.1) as text lines, computed from an inspector summary.

Mirrors ``SaveInspectorOverlay._normalizeSummary`` and its ``_render*`` methods line by line,
so its output can be compared with ``overlays/SaveInspectorOverlay.*.json`` ``renderedText``.
Relative times are relative to the ``now`` argument (the overlay uses ``Date.now()``).

Known game quirk kept on purpose (``reproduce_quirks=True``): a snapshot with
``stepIndex -1`` shows "(Step 1/13)". With ``reproduce_quirks=False`` it shows no step.
"""
from __future__ import annotations

from typing import Any

from inspector_app.core.common.jsfmt import coerce_non_negative_int, is_number, js_round, js_string
from ._coerce import (
    as_dict, as_list, humanize_action, js_truthy, nullish, title_case_words, truncate_text,
)
from .factions import faction_name
from inspector_app.core.common.timefmt import format_duration_ms, format_relative_time

SECTION_TITLES: tuple[str, ...] = (
    "Save Inspector", "Summary Metrics", "Cascade Summary", "Traversal Locks",
    "Tutorial Timeline", "NPC Alerts", "Control Bindings",
)

SNAPSHOT_EVENT_LABELS = {
    "step_started": "Step Started",
    "step_completed": "Step Completed",
    "tutorial_started": "Tutorial Started",
    "tutorial_completed": "Tutorial Completed",
    "tutorial_skipped": "Tutorial Skipped",
    "prompt_shown": "Prompt Shown",
}

LINE_LIMIT = 90


def snapshot_step_info(snapshot: Any, *, reproduce_quirks: bool = True) -> str:
    """``(Step i+1/total)``. The game clamps −1 to step 1; fixed, a negative index shows nothing."""
    snap = as_dict(snapshot)
    index, total = snap.get("stepIndex"), snap.get("totalSteps")
    if not is_number(index) or not is_number(total) or total <= 0:
        return ""
    if index < 0 and not reproduce_quirks:
        return ""
    current = max(1, index + 1)
    return f"(Step {js_string(current)}/{js_string(total)})"


def snapshot_event_name(snapshot: Any) -> str:
    """"Step Completed", "Tutorial Completed", "Control Hint Updated" (title-cased fallback)."""
    event = as_dict(snapshot).get("event")
    event = event if isinstance(event, str) else "event"
    return SNAPSHOT_EVENT_LABELS.get(event) or title_case_words(event)


def snapshot_label(snapshot: Any, *, reproduce_quirks: bool = True) -> str:
    base = snapshot_event_name(snapshot)
    info = snapshot_step_info(snapshot, reproduce_quirks=reproduce_quirks)
    return f"{base} {info}" if info else base


def _sanitize_strings(values: Any, limit: int) -> list[str]:
    result = []
    for entry in as_list(values):
        if isinstance(entry, str) and entry:
            result.append(entry)
            if len(result) >= limit:
                break
    return result


def normalize_control_bindings(raw: Any, now: int | float) -> dict:
    """``SaveInspectorOverlay._normalizeControlBindings`` (display model of the bindings log)."""
    if not isinstance(raw, dict):
        return {"source": "unavailable", "hasActivity": False, "totalEvents": 0}
    metrics = as_dict(raw.get("metrics"))
    reasons_raw = raw.get("captureCancelReasons")
    if isinstance(reasons_raw, list):
        reason_entries = [e for e in reasons_raw if isinstance(e, dict)]
    else:
        reason_entries = [{"reason": k, "count": v} for k, v in as_dict(reasons_raw).items()]
    reasons = [
        {"reason": e["reason"], "count": coerce_non_negative_int(e.get("count"))}
        for e in reason_entries if isinstance(e.get("reason"), str) and e.get("reason")
    ]
    reasons.sort(key=lambda e: -e["count"])
    duration = coerce_non_negative_int(nullish(raw.get("durationMs"), raw.get("duration")))
    total = coerce_non_negative_int(raw.get("totalEvents"))
    last_event = raw.get("lastEventAt") if is_number(raw.get("lastEventAt")) else None
    page_range = None
    if isinstance(raw.get("pageRange"), dict):
        low = coerce_non_negative_int(raw["pageRange"].get("min"))
        high = coerce_non_negative_int(raw["pageRange"].get("max"))
        if low or high:
            page_range = (low, max(low, high))
    dwell_raw = as_dict(raw.get("dwell"))
    dwell_count = coerce_non_negative_int(dwell_raw.get("count"))
    if dwell_raw.get("averageMs") is not None:
        average_ms = coerce_non_negative_int(dwell_raw.get("averageMs"))
    elif dwell_count > 0:
        average_ms = coerce_non_negative_int(js_round(coerce_non_negative_int(dwell_raw.get("totalMs")) / dwell_count))
    else:
        average_ms = 0

    def label(key: str, ms_value: Any) -> str:
        given = dwell_raw.get(key)
        return given if isinstance(given, str) and given else format_duration_ms(ms_value)

    def ratio(entry: Any) -> dict:
        entry = as_dict(entry)
        numerator = coerce_non_negative_int(entry.get("numerator"))
        denominator = coerce_non_negative_int(entry.get("denominator"))
        value = entry.get("value") if is_number(entry.get("value")) else (numerator / denominator if denominator else 0)
        value = max(0, min(1, value))
        percentage = entry.get("percentage")
        if not (isinstance(percentage, str) and percentage):
            percentage = f"{js_round(value * 100)}%"
        return {"numerator": numerator, "denominator": denominator, "percentage": percentage}

    ratios = as_dict(raw.get("ratios"))
    last_selected = raw.get("lastSelectedAction")
    last_selected = last_selected if isinstance(last_selected, str) and last_selected else None
    last_action = dwell_raw.get("lastAction")
    duration_label = raw.get("durationLabel")
    return {
        "source": nullish(raw.get("source"), "observation-log"),
        "totalEvents": total,
        "durationLabel": duration_label if isinstance(duration_label, str) and duration_label else format_duration_ms(duration),
        "lastEventRelative": format_relative_time(last_event, now) if last_event else "timestamp unavailable",
        "lastSelectedActionLabel": humanize_action(last_selected) if last_selected else None,
        "actionsVisitedCount": coerce_non_negative_int(raw.get("actionsVisitedCount")),
        "actionsVisited": _sanitize_strings(raw.get("actionsVisited"), 3),
        "actionsRemappedCount": coerce_non_negative_int(raw.get("actionsRemappedCount")),
        "actionsRemapped": _sanitize_strings(raw.get("actionsRemapped"), 3),
        "listModesVisited": _sanitize_strings(nullish(raw.get("listModesVisited"), raw.get("listModesSeen")), 3),
        "pageRange": page_range,
        "metrics": {k: coerce_non_negative_int(metrics.get(k)) for k in (
            "selectionMoves", "selectionBlocked", "pageNavigations", "pageNavigationBlocked", "bindingsApplied")},
        "captureCancelReasons": reasons[:3],
        "dwell": {
            "averageLabel": label("averageLabel", average_ms),
            "maxLabel": label("maxLabel", coerce_non_negative_int(dwell_raw.get("maxMs"))),
            "lastLabel": label("lastLabel", coerce_non_negative_int(nullish(dwell_raw.get("lastMs"), dwell_raw.get("lastDurationMs")))),
            "lastAction": last_action if isinstance(last_action, str) and last_action else None,
        },
        "ratios": {"selectionBlocked": ratio(ratios.get("selectionBlocked")),
                   "pageNavigationBlocked": ratio(ratios.get("pageNavigationBlocked"))},
        "hasActivity": total > 0,
    }


def overlay_metrics(summary: Any) -> dict[str, int]:
    """The overlay's ``_calculateMetrics`` (the nine "Summary Metrics" numbers)."""
    data = as_dict(summary)
    targets = as_list(as_dict(data.get("factions")).get("cascadeTargets"))
    cascade_events = 0
    for target in targets:
        count = as_dict(target).get("cascadeCount")
        cascade_events += count if is_number(count) else 0
    districts = as_dict(as_dict(data.get("districts")).get("metrics"))
    npcs = as_dict(as_dict(data.get("npcs")).get("metrics"))
    controls = as_dict(data.get("controlBindings"))
    return {
        "cascadeEvents": _int_text(cascade_events),
        "cascadeTargets": sum(1 for t in targets if isinstance(t, dict) and js_truthy(t.get("factionId"))),
        "tutorialSnapshots": len(as_list(as_dict(data.get("tutorial")).get("snapshots"))),
        "controlBindingEvents": coerce_non_negative_int(controls.get("totalEvents")),
        "restrictedDistricts": coerce_non_negative_int(districts.get("restricted")),
        "districtsTotal": coerce_non_negative_int(districts.get("total")),
        "fastTravelDisabled": coerce_non_negative_int(districts.get("fastTravelDisabled")),
        "lockedRoutes": coerce_non_negative_int(districts.get("infiltrationLocked")),
        "npcAlerts": coerce_non_negative_int(npcs.get("alerts")),
        "npcSuspicion": coerce_non_negative_int(npcs.get("suspicious")),
        "npcKnowsPlayer": coerce_non_negative_int(npcs.get("knowsPlayer")),
        "npcWitnessedCrimes": coerce_non_negative_int(npcs.get("witnessedCrimes")),
    }


def _int_text(value: float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def summary_metric_lines(summary: Any) -> list[str]:
    """The nine lines of the overlay's "Summary Metrics" section, exactly as drawn."""
    m = overlay_metrics(summary)
    return [
        f"Cascade events tracked: {m['cascadeEvents']}",
        f"Active cascade targets: {m['cascadeTargets']}",
        f"Restricted districts: {m['restrictedDistricts']}/{m['districtsTotal']}",
        f"Fast travel disabled: {m['fastTravelDisabled']}",
        f"Locked infiltration routes: {m['lockedRoutes']}",
        f"NPC alerts active: {m['npcAlerts']}",
        f"Suspicion escalations: {m['npcSuspicion']}",
        f"Tutorial timeline entries: {m['tutorialSnapshots']}",
        f"Control binding events: {m['controlBindingEvents']}",
    ]


def _t(text: str) -> str:
    return truncate_text(text, LINE_LIMIT)


def _cascade_lines(summary: dict, now: float) -> list[str]:
    factions = as_dict(summary.get("factions"))
    lines = []
    event = factions.get("lastCascadeEvent")
    if js_truthy(event) and isinstance(event, dict):
        source = faction_name(event.get("sourceFactionId"), event.get("sourceFactionName"))
        target = faction_name(event.get("targetFactionId"), event.get("targetFactionName"))
        attitude = event.get("newAttitude")
        attitude = attitude.upper() if isinstance(attitude, str) and attitude else "N/A"
        lines.append(_t(f"Last: {source} → {target} ({attitude})"))
        lines.append(f"When: {format_relative_time(event.get('occurredAt'), now)}")
    else:
        lines += ["Last: n/a", "When: --"]
    lines.append("Top Targets:")
    targets = [t for t in as_list(factions.get("cascadeTargets")) if isinstance(t, dict) and js_truthy(t.get("factionId"))]
    targets.sort(key=lambda t: -(t.get("cascadeCount") if is_number(t.get("cascadeCount")) else 0))
    if not targets:
        lines.append("No cascade activity recorded")
    for target in targets[:3]:
        last = target.get("lastCascade")
        relative = format_relative_time(as_dict(last).get("occurredAt"), now) if js_truthy(last) else "n/a"
        count = nullish(target.get("cascadeCount"), 0)
        name = truncate_text(faction_name(target.get("factionId")), 20)
        lines.append(_t(f"{name} — {js_string(count)} events ({relative})"))
    return lines


def _district_lines(summary: dict, now: float) -> list[str]:
    districts = as_dict(summary.get("districts"))
    metrics = as_dict(districts.get("metrics"))
    lines = [
        _t(f"Restricted districts: {coerce_non_negative_int(metrics.get('restricted'))}/{coerce_non_negative_int(metrics.get('total'))}"),
        _t(f"Fast travel disabled: {coerce_non_negative_int(metrics.get('fastTravelDisabled'))}"),
        _t(f"Locked routes: {coerce_non_negative_int(metrics.get('infiltrationLocked'))}"),
    ]
    last_lockdown = districts.get("lastLockdownAt")
    if is_number(last_lockdown) and last_lockdown:
        lines.append(_t(f"Last lockdown {format_relative_time(last_lockdown, now)}"))
    restricted = [r for r in as_list(districts.get("restrictedDistricts"))[:4] if isinstance(r, dict)]
    if not restricted:
        lines.append("No active traversal restrictions")
        return lines
    for record in restricted[:3]:
        restrictions = [as_dict(r) for r in as_list(record.get("restrictions"))]
        name = nullish(record.get("name"), "Unknown district")
        lines.append(_t(f"{truncate_text(name, 26)} — {len(restrictions)} lock(s)"))
        parts = []
        if record.get("fastTravelEnabled") is False:
            parts.append("fast travel disabled")
        changed = nullish(record.get("lastRestrictionChangeAt"), None)
        if js_truthy(changed):
            parts.append(f"updated {format_relative_time(changed, now)}")
        parts.append(f"routes locked {coerce_non_negative_int(record.get('infiltrationLocked'))}")
        lines.append(_t(" • ".join(parts)))
        if restrictions:
            top = restrictions[0]
            text = top.get("description") or nullish(top.get("type"), "generic") or "Restriction detail unavailable"
            lines.append(_t(text if isinstance(text, str) else str(text)))
        lockdown_at = nullish(record.get("lastLockdownAt"), None)
        if js_truthy(lockdown_at):
            lines.append(_t(f"Last lockdown {format_relative_time(lockdown_at, now)}"))
    return lines


def _tutorial_lines(summary: dict, now: float, reproduce_quirks: bool) -> list[str]:
    tutorial = as_dict(summary.get("tutorial"))

    def normalized(snapshot: Any) -> dict:
        snap = as_dict(snapshot)
        return {"label": snapshot_label(snap, reproduce_quirks=reproduce_quirks),
                "relative": format_relative_time(snap.get("timestamp"), now),
                "timestamp": snap.get("timestamp")}

    latest = normalized(tutorial["latestSnapshot"]) if js_truthy(tutorial.get("latestSnapshot")) else None
    recent = [normalized(s) for s in reversed(as_list(tutorial.get("snapshots"))[-3:])]
    if latest:
        recent = [latest] + [e for e in recent if e["timestamp"] != latest["timestamp"]]
    lines = []
    if latest:
        lines.append(_t(f"Latest: {latest['label']}"))
        lines.append(f"When: {latest['relative']}")
    else:
        lines.append("Latest: n/a")
    lines.append("Recent Events:")
    if not recent:
        lines.append("No tutorial events recorded")
    for entry in recent[:4]:
        lines.append(_t(f"{truncate_text(entry['label'], 28)} — {entry['relative']}"))
    return lines


def _npc_lines(summary: dict, now: float) -> list[str]:
    npcs = as_dict(summary.get("npcs"))
    metrics = as_dict(npcs.get("metrics"))
    lines = [
        _t(f"Alerts: {coerce_non_negative_int(metrics.get('alerts'))}  Suspicion: {coerce_non_negative_int(metrics.get('suspicious'))}"),
        _t(f"Knows player: {coerce_non_negative_int(metrics.get('knowsPlayer'))}  "
           f"Witnessed crimes: {coerce_non_negative_int(metrics.get('witnessedCrimes'))}"),
    ]
    alerts = [as_dict(e) for e in as_list(npcs.get("alerts"))[:5]]
    suspicious = [as_dict(e) for e in as_list(npcs.get("suspicious"))[:5]]
    if not alerts and not suspicious:
        lines.append("No active alerts or suspicion flags")
        return lines
    for prefix, entries in (("Alert", alerts[:2]), ("Suspicion", suspicious[:2])):
        for entry in entries:
            name = nullish(entry.get("name"), "Unknown NPC")
            faction = faction_name(nullish(entry.get("factionId"), None))
            lines.append(_t(f"{prefix}: {truncate_text(str(name), 24)} ({truncate_text(faction, 20)})"))
            reason = entry.get("reason")
            reason_text = str(reason) if js_truthy(reason) else "reason unavailable"
            lines.append(_t(f"{reason_text} • {format_relative_time(nullish(entry.get('updatedAt'), None), now)}"))
    return lines


def _control_lines(summary: dict, now: float) -> list[str]:
    control = normalize_control_bindings(summary.get("controlBindings"), now)
    if not control["hasActivity"]:
        if control["source"] == "unavailable":
            return ["Control bindings log unavailable"]
        if control["source"] == "error":
            return ["Telemetry unavailable (see console)"]
        return ["No navigation telemetry recorded"]
    m = control["metrics"]
    lines = [
        _t(f"Events: {control['totalEvents']} over {control['durationLabel']}"),
        _t(f"Selection moves: {m['selectionMoves']} (blocked {m['selectionBlocked']})"),
        _t(f"Paging: {m['pageNavigations']} (blocked {m['pageNavigationBlocked']})"),
    ]
    if control["pageRange"]:
        lines.append(_t(f"Page range observed: {control['pageRange'][0]}–{control['pageRange'][1]}"))
    lines.append(_t(f"List modes: {', '.join(control['listModesVisited']) or 'None'}"))
    dwell = control["dwell"]
    lines.append(_t(f"Avg dwell: {dwell['averageLabel']} (max {dwell['maxLabel']})"))
    if dwell["lastAction"] and dwell["lastLabel"]:
        lines.append(_t(f"Last dwell: {dwell['lastLabel']} on {humanize_action(dwell['lastAction'])}"))
    for title, key in (("Selection blocked", "selectionBlocked"), ("Paging blocked", "pageNavigationBlocked")):
        r = control["ratios"][key]
        lines.append(_t(f"{title}: {r['percentage']} ({r['numerator']}/{r['denominator']})"))
    for title, key in (("Visited actions", "actionsVisited"), ("Remapped actions", "actionsRemapped")):
        labels = [humanize_action(a) for a in control[key]]
        line = f"{title}: {', '.join(labels)}" if labels else f"{title}: None"
        if control[f"{key}Count"] > len(labels):
            line += f" (+{control[f'{key}Count'] - len(labels)} more)"
        lines.append(_t(line))
    if control["lastSelectedActionLabel"]:
        lines.append(_t(f"Last selected: {control['lastSelectedActionLabel']} ({control['lastEventRelative']})"))
    else:
        lines.append("Last selected: n/a")
    if m["bindingsApplied"] > 0:
        lines.append(_t(f"Bindings applied: {m['bindingsApplied']}"))
    if control["captureCancelReasons"]:
        top = control["captureCancelReasons"][0]
        lines.append(_t(f"Top capture cancel: {top['reason']} ({top['count']})"))
    return lines


def overlay_sections(summary: Any, *, now: int | float, reproduce_quirks: bool = True) -> list[tuple[str, list[str]]]:
    """The seven overlay sections as ``(title, lines)``; the title line itself is not in ``lines``.

    The first section ("Save Inspector") holds the binding hints and the "Updated …" line.
    """
    data = as_dict(summary)
    generated = data.get("generatedAt")
    updated = f"Updated {format_relative_time(generated, now)}" if js_truthy(generated) else "Updated: n/a"
    return [
        ("Save Inspector", ["Close: O  ·  Bindings: K  ·  Quest Log: Q", updated]),
        ("Summary Metrics", [_t(line) for line in summary_metric_lines(data)]),
        ("Cascade Summary", _cascade_lines(data, now)),
        ("Traversal Locks", _district_lines(data, now)),
        ("Tutorial Timeline", _tutorial_lines(data, now, reproduce_quirks)),
        ("NPC Alerts", _npc_lines(data, now)),
        ("Control Bindings", _control_lines(data, now)),
    ]


def overlay_lines(summary: Any, *, now: int | float, reproduce_quirks: bool = True) -> list[str]:
    """Every line the overlay draws, in draw order (section titles included)."""
    lines: list[str] = []
    for title, body in overlay_sections(summary, now=now, reproduce_quirks=reproduce_quirks):
        lines.append(title)
        lines.extend(body)
    return lines
