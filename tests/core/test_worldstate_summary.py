"""rebuild_inspector_summary against the game's own summaries, and the overlay text replica."""
from __future__ import annotations

import orjson
import pytest

from inspector_app.core.worldstate.overlay_text import overlay_lines, snapshot_label, summary_metric_lines
from inspector_app.core.worldstate.summary import (
    NOT_RECOVERABLE_FROM_SAVE, REBUILD_MARKER_KEY, is_rebuilt_summary, rebuild_inspector_summary,
)
from inspector_app.core.common.timefmt import format_duration_ms, format_playtime, format_relative_time

GAME_KEYS = ["generatedAt", "source", "factions", "tutorial", "engine", "controlBindings", "districts", "npcs"]


def _load(path):
    return orjson.loads(path.read_bytes())


@pytest.mark.parametrize("save, reference", [
    ("save_slot2.midgame.json", "getInspectorSummary.after-loading-slot2.json"),
    ("save_before-memory-parlor.large.json", "getInspectorSummary.after-loading-before-memory-parlor.json"),
])
def test_rebuild_matches_game_after_loading(game_fixtures, save, reference):
    payload = _load(game_fixtures / "saves" / save)
    game = _load(game_fixtures / "inspector-summary" / reference)
    rebuilt = rebuild_inspector_summary(payload["gameData"], generated_at=game["generatedAt"], mark_unrecoverable=False)
    assert list(rebuilt) == GAME_KEYS == list(game)
    # Byte-identical (so key order inside each section matches too), section by section.
    for section in ("districts", "npcs", "engine", "controlBindings"):
        assert orjson.dumps(rebuilt[section]) == orjson.dumps(game[section]), section
    assert orjson.dumps(rebuilt["tutorial"]) == orjson.dumps(game["tutorial"])
    for key in ("lastCascadeEvent", "cascadeTargets"):
        assert orjson.dumps(rebuilt["factions"][key]) == orjson.dumps(game["factions"][key])
    # The one documented difference: the game loses removals on hydrate, the raw save keeps them.
    assert game["factions"]["recentMemberRemovals"] == []
    assert rebuilt["factions"]["recentMemberRemovals"] == payload["gameData"]["factions"]["recentMemberRemovals"]


def test_rebuild_large_save_concrete_values(game_fixtures):
    payload = _load(game_fixtures / "saves" / "save_before-memory-parlor.large.json")
    summary = rebuild_inspector_summary(payload["gameData"], generated_at=payload["timestamp"])
    counts = {t["factionId"]: t["cascadeCount"] for t in summary["factions"]["cascadeTargets"]}
    assert counts == {"wraith_network": 6, "vanguard_prime": 11, "luminari_syndicate": 21}
    assert list(counts) == ["wraith_network", "vanguard_prime", "luminari_syndicate"]  # byId insertion order
    assert len(summary["factions"]["recentMemberRemovals"]) == 10
    assert [a["id"] for a in summary["npcs"]["alerts"]] == ["captain_reese", "parlor_bouncer"]
    assert [s["id"] for s in summary["npcs"]["suspicious"]] == ["captain_reese", "eraser_agent_cipher", "parlor_bouncer"]
    assert summary["npcs"]["metrics"] == {"total": 6, "alerts": 2, "suspicious": 3, "knowsPlayer": 4, "witnessedCrimes": 14}
    assert [d["id"] for d in summary["districts"]["restrictedDistricts"]] == ["corporate_spires", "neon_districts"]
    assert summary["tutorial"]["latestSnapshot"]["event"] == "tutorial_completed"
    assert summary["tutorial"]["transcript"] == [] and summary["engine"]["spatialHash"] is None
    assert summary["controlBindings"]["source"] == "unavailable"
    assert summary[REBUILD_MARKER_KEY] == list(NOT_RECOVERABLE_FROM_SAVE)
    assert list(summary)[-1] == REBUILD_MARKER_KEY and is_rebuilt_summary(summary)


def test_rebuild_does_not_alias_the_save(game_fixtures):
    payload = _load(game_fixtures / "saves" / "save_slot2.midgame.json")
    summary = rebuild_inspector_summary(payload["gameData"], generated_at=1)
    summary["tutorial"]["snapshots"][0]["event"] = "mutated"
    assert payload["gameData"]["tutorial"]["promptHistorySnapshots"][0]["event"] == "step_completed"


@pytest.mark.parametrize("game_data", [
    None, [], {}, "text", 5,
    {"factions": [], "tutorial": "x", "districts": {"byId": []}, "npcs": {"byId": {"a": None, "b": 3}}},
    {"storyFlags": {"flags": {}}, "factions": {"byId": {"x": {"cascadeCount": "3"}, "y": []}},
     "tutorial": {"promptHistorySnapshots": {"a": 1}},
     "districts": {"byId": {"d": {"access": "locked", "infiltrationRoutes": {"r": 1}, "analytics": []}}},
     "npcs": {"byId": {"n": {"alert": {"active": True, "updatedAt": "soon"}, "interactions": {"witnessedCrimes": -3}}}}},
])
def test_rebuild_tolerates_odd_data(game_data):
    summary = rebuild_inspector_summary(game_data, generated_at=10)
    assert list(summary)[: len(GAME_KEYS)] == GAME_KEYS
    assert summary["generatedAt"] == 10
    assert isinstance(summary["factions"]["cascadeTargets"], list)
    assert isinstance(summary["npcs"]["alerts"], list)


def test_rebuild_wrong_types_still_reads_good_sections():
    data = {"storyFlags": {"flags": {}}, "factions": {"byId": {"x": {"cascadeCount": "3"}}},
            "districts": {"byId": {"d": {"access": "locked", "infiltrationRoutes": [{"unlocked": False}]}}},
            "npcs": {"byId": {"n": {"id": "n", "alert": {"active": True, "updatedAt": "soon"},
                                    "lastInteractionAt": 7, "interactions": {"witnessedCrimes": -3}}}}}
    summary = rebuild_inspector_summary(data, generated_at=1)
    assert summary["source"] == "worldStateStore"
    assert summary["factions"]["cascadeTargets"] == []  # "3" is not a number
    assert summary["districts"]["metrics"]["fastTravelDisabled"] == 1
    assert summary["districts"]["metrics"]["infiltrationLocked"] == 1
    assert summary["npcs"]["alerts"][0]["updatedAt"] == 7  # falls back to lastInteractionAt
    assert summary["npcs"]["metrics"]["witnessedCrimes"] == 0


def test_legacy_and_v0_give_unavailable_source(game_fixtures):
    v0 = _load(game_fixtures / "saves" / "invalid.legacy-v0.json")
    summary = rebuild_inspector_summary(v0["gameData"], generated_at=1)
    assert summary["source"] == "unavailable"
    assert summary["districts"]["metrics"]["total"] == 0


@pytest.mark.parametrize("name", ["fresh", "midgame"])
def test_overlay_lines_match_game_overlay(game_fixtures, name):
    summary = _load(game_fixtures / "inspector-summary" / f"getInspectorSummary.{name}.json")
    overlay = _load(game_fixtures / "overlays" / f"SaveInspectorOverlay.{name}.json")
    assert overlay_lines(summary, now=overlay["normalizedSummary"]["generatedAt"]) == overlay["renderedText"]


def test_overlay_lines_for_late_save(game_fixtures):
    payload = _load(game_fixtures / "saves" / "save_before-memory-parlor.large.json")
    summary = rebuild_inspector_summary(payload["gameData"], generated_at=payload["timestamp"])
    lines = overlay_lines(summary, now=payload["timestamp"])
    assert "Cascade events tracked: 38" in lines
    assert "The Luminari Syndic… — 21 events (20m ago)" in lines
    assert "Corporate Spires — 2 lock(s)" in lines
    assert "Latest: Tutorial Completed (Step 1/13)" in lines  # the game's quirk, reproduced
    assert "Alert: Parlor Bouncer (The Luminari Syndic…)" in lines
    assert lines[-1] == "Control bindings log unavailable"
    fixed = overlay_lines(summary, now=payload["timestamp"], reproduce_quirks=False)
    assert "Latest: Tutorial Completed" in fixed


def test_summary_metric_lines_on_empty_summary():
    assert summary_metric_lines({})[0] == "Cascade events tracked: 0"
    assert summary_metric_lines(None)[2] == "Restricted districts: 0/0"
    assert overlay_lines(None, now=0)[2] == "Updated: n/a"


def test_snapshot_label_quirk_and_fallback():
    snap = {"event": "tutorial_completed", "stepIndex": -1, "totalSteps": 13}
    assert snapshot_label(snap) == "Tutorial Completed (Step 1/13)"
    assert snapshot_label(snap, reproduce_quirks=False) == "Tutorial Completed"
    assert snapshot_label({"event": "control_hint_updated", "stepIndex": 6, "totalSteps": 13}) == \
        "Control Hint Updated (Step 7/13)"


@pytest.mark.parametrize("diff, text", [
    (0, "just now"), (999, "just now"), (15_000, "15.0s ago"), (1_250, "1.3s ago"), (59_999, "60.0s ago"),
    (90_000, "2m ago"), (20 * 60_000, "20m ago"), (2 * 3_600_000, "2h ago"), (3 * 86_400_000, "3d ago"),
])
def test_relative_time(diff, text):
    assert format_relative_time(1_000_000_000_000 - diff, 1_000_000_000_000) == text


def test_relative_time_odd_inputs():
    assert format_relative_time(None, 5) == "timestamp unavailable"
    assert format_relative_time(True, 5) == "timestamp unavailable"
    assert format_relative_time(10, 5) == "just now"  # future clamps to 0


def test_duration_and_playtime():
    assert format_duration_ms(800) == "800ms"
    assert format_duration_ms(9_500) == "9.5s"
    assert format_duration_ms(147_700) == "2m 28s"
    # the rounded seconds never read 60: they carry into the minutes
    assert format_duration_ms(59_600) == "1m"
    assert format_duration_ms(119_600) == "2m"
    assert format_duration_ms(119_400) == "1m 59s"
    assert format_duration_ms(10_000) == "10s"
    assert format_duration_ms(3_600_000) == "60m"
    assert format_playtime(3_487_200) == "58m 07s"
    assert format_playtime(10_000) == "0m 10s"
    assert format_playtime(3_600_000 * 2 + 5 * 60_000) == "2h 05m"
    assert format_playtime(0) == "—" and format_playtime(None) == "—"
