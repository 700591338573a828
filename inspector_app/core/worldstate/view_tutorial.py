"""Tutorial view: progress, steps with times and durations, prompts and snapshots (§3.4)."""
from __future__ import annotations

from typing import Any

from inspector_app.core.common.jsfmt import is_number
from ._coerce import as_dict, as_list, dicts, display_text, js_truthy
from .overlay_text import snapshot_event_name, snapshot_step_info
from .table import Column, DomainView, Fact, Table
from inspector_app.core.common.timefmt import format_absolute_time, format_duration_ms

#: Step ids in the order the game runs them (13 in this build).
TUTORIAL_STEPS: tuple[str, ...] = (
    "welcome", "movement", "evidence_detection", "evidence_collection", "clue_derivation",
    "detective_vision", "case_file", "collect_more_evidence", "forensic_analysis",
    "deduction_board_intro", "deduction_connections", "deduction_validation", "case_solved",
)
PROMPT_HISTORY_CAP = 5
SNAPSHOT_CAP = 10

QUIRK_NOTE = ("Fixed here: the in-game overlay shows a snapshot with stepIndex −1 (tutorial completed/"
              "skipped) as \"(Step 1/13)\"; this view shows no step for it.")

STEP_COLUMNS = [
    Column("n", "#", "number"), Column("step", "Step"), Column("status", "Status", "badge"),
    Column("completedAt", "Completed", "time"), Column("duration", "Duration"),
    Column("durationMs", "Duration (ms)", "number"),
]
PROMPT_COLUMNS = [
    Column("n", "#", "number"), Column("title", "Prompt"), Column("step", "Step"),
    Column("hint", "Control hint"), Column("canSkip", "Can skip", "bool"), Column("startedAt", "Shown", "time"),
]
SNAPSHOT_COLUMNS = [
    Column("n", "#", "number"), Column("event", "Event", "badge"), Column("stepInfo", "Step"),
    Column("stepId", "Step id"), Column("completed", "Steps done", "number"),
    Column("timestamp", "When", "time"), Column("metadata", "Metadata"),
]


def _step_label(step_id: Any, index: Any, total: Any) -> str:
    if not isinstance(step_id, str):
        return "none"
    if is_number(index) and index >= 0 and is_number(total):
        return f"{step_id} (step {int(index) + 1}/{display_text(total)})"
    return step_id


def _hint_text(hint: Any) -> str:
    h = as_dict(hint)
    if not h:
        return "—"
    keys = "/".join(str(k) for k in as_list(h.get("keys")))
    label = h.get("label") if isinstance(h.get("label"), str) else ""
    return f"{label} [{keys}]" if keys else label or "—"


def _step_rows(tutorial: dict) -> list[dict]:
    completed = [s for s in as_list(tutorial.get("completedSteps")) if isinstance(s, str)]
    timeline = as_dict(tutorial.get("completedTimeline"))
    durations = as_dict(tutorial.get("stepDurations"))
    current = tutorial.get("currentStep")
    order = list(TUTORIAL_STEPS) + [s for s in completed if s not in TUTORIAL_STEPS]
    rows = []
    for n, step in enumerate(order, start=1):
        if step in completed:
            status, tone = "completed", "good"
        elif step == current:
            status, tone = "current", "info"
        elif js_truthy(tutorial.get("skipped")):
            status, tone = "skipped", "warn"
        else:
            status, tone = "pending", "neutral"
        duration = durations.get(step)
        rows.append({
            "n": n, "step": step, "status": status,
            "completedAt": timeline.get(step) if is_number(timeline.get(step)) else None,
            "duration": format_duration_ms(duration) if is_number(duration) else "—",
            "durationMs": duration if is_number(duration) else None,
            "_tones": {"status": tone},
        })
    return rows


def snapshot_rows(snapshots: Any) -> list[dict]:
    """Snapshots oldest first, labelled as the overlay does (step quirk fixed)."""
    rows = []
    for n, snap in enumerate(dicts(snapshots), start=1):
        event = snap.get("event")
        metadata = as_dict(snap.get("metadata"))
        rows.append({
            "n": n,
            "event": snapshot_event_name(snap),
            "stepInfo": snapshot_step_info(snap, reproduce_quirks=False) or "—",
            "stepId": snap.get("stepId") if isinstance(snap.get("stepId"), str) else None,
            "completed": len(as_list(snap.get("completedSteps"))),
            "timestamp": snap.get("timestamp") if is_number(snap.get("timestamp")) else None,
            "metadata": ", ".join(f"{k}: {display_text(v)}" if not isinstance(v, list) else f"{k}: {len(v)} steps"
                                  for k, v in metadata.items()) or "—",
            "_tones": {"event": {"tutorial_completed": "good", "tutorial_skipped": "warn",
                                 "step_completed": "info"}.get(event, "neutral")},
        })
    return rows


def tutorial_view(game_data: Any = None, *, summary: Any = None) -> DomainView:
    """Tutorial tab from ``gameData`` (store or legacy shape) or from an inspector summary."""
    view = DomainView(key="tutorial", title="Tutorial")
    if isinstance(game_data, dict):
        tutorial = as_dict(game_data.get("tutorial"))
        completed = tutorial.get("completedSteps")
        total = tutorial.get("totalSteps")
        done = len(completed) if isinstance(completed, list) else (completed if is_number(completed) else 0)
        skipped = js_truthy(tutorial.get("skipped")) or js_truthy(game_data.get("tutorialSkipped"))
        finished = js_truthy(tutorial.get("completed")) or js_truthy(game_data.get("tutorialComplete"))
        status = "completed" if finished else "skipped" if skipped else "running" if js_truthy(tutorial.get("enabled")) else "not running"
        view.facts += [
            Fact("Progress", f"{display_text(done)}/{display_text(total) if is_number(total) else '?'}"),
            Fact("Status", status, tone={"completed": "good", "skipped": "warn"}.get(status, "info")),
            Fact("Current step", _step_label(tutorial.get("currentStep"), tutorial.get("currentStepIndex"), total)),
            Fact("Started", format_absolute_time(tutorial.get("startedAt"))),
            Fact("Last action", format_absolute_time(tutorial.get("lastActionAt"))),
        ]
        if not isinstance(completed, list):
            view.notes.append("Legacy shape: completedSteps is a count, so step times and durations are not saved.")
            return view
        limit = tutorial.get("promptHistoryLimit") if is_number(tutorial.get("promptHistoryLimit")) else PROMPT_HISTORY_CAP
        snap_limit = tutorial.get("promptHistorySnapshotLimit") if is_number(tutorial.get("promptHistorySnapshotLimit")) else SNAPSHOT_CAP
        prompts = dicts(tutorial.get("promptHistory"))
        snapshots = as_list(tutorial.get("promptHistorySnapshots"))
        view.facts += [
            Fact("Prompt history", f"{len(as_list(tutorial.get('promptHistory')))} / {display_text(limit)}"),
            Fact("Snapshots", f"{len(snapshots)} / {display_text(snap_limit)}"),
        ]
        current_prompt = as_dict(tutorial.get("currentPrompt"))
        if current_prompt:
            view.facts.append(Fact("Current prompt", display_text(current_prompt.get("title")),
                                   tooltip=display_text(current_prompt.get("description"))))
        view.tables.append(Table("steps", "Steps (completion time and duration)", STEP_COLUMNS, _step_rows(tutorial)))
        view.tables.append(Table("prompts", f"Prompt history ({len(prompts)} / {display_text(limit)}, oldest first)",
                                 PROMPT_COLUMNS, [{
                                     "n": n, "title": p.get("title"),
                                     "step": _step_label(p.get("stepId"), p.get("stepIndex"), p.get("totalSteps")),
                                     "hint": _hint_text(p.get("controlHint")), "canSkip": bool(p.get("canSkip")),
                                     "startedAt": p.get("startedAt") if is_number(p.get("startedAt")) else None,
                                     "_tips": {"title": display_text(p.get("description")),
                                               "hint": display_text(as_dict(p.get("controlHint")).get("note"))},
                                 } for n, p in enumerate(prompts, start=1)], empty_text="No prompts shown yet"))
    else:
        snapshots = as_list(as_dict(as_dict(summary).get("tutorial")).get("snapshots"))
        snap_limit = SNAPSHOT_CAP
        view.facts.append(Fact("Snapshots", f"{len(snapshots)} / {SNAPSHOT_CAP}"))
        view.notes.append("From an inspector summary: only the snapshot timeline is available.")
    view.tables.append(Table("snapshots", f"Snapshots ({len(snapshots)} / {display_text(snap_limit)}, oldest first)",
                             SNAPSHOT_COLUMNS, snapshot_rows(snapshots), empty_text="No tutorial events recorded"))
    view.notes.append(QUIRK_NOTE)
    return view
