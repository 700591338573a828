"""Sanitised summary rules (spec §5.4) and format aliases (§5.2)."""
from __future__ import annotations

import orjson
import pytest

from inspector_app.core.export.artifacts import build_artifacts, normalize_formats, unknown_formats
from inspector_app.core.export.summary import format_duration_label, sanitize_summary


def test_districts_and_npcs_are_flattened_in_the_games_key_order(game_fixtures):
    raw = orjson.loads((game_fixtures / "inspector-summary" /
                        "getInspectorSummary.after-loading-before-memory-parlor.json").read_bytes())
    s = sanitize_summary(raw)
    spires = s["districts"]["restrictedDistricts"][0]
    assert list(spires) == ["id", "name", "tier", "fastTravelEnabled", "controllingFaction", "stabilityRating",
                            "stabilityValue", "activeRestrictionCount", "infiltrationLocked", "infiltrationUnlocked",
                            "lockdownsTriggered", "lastRestrictionChangeAt", "lastRestrictionChangeIso",
                            "lastLockdownAt", "lastLockdownIso", "restrictions"]
    assert (spires["stabilityRating"], spires["stabilityValue"], spires["fastTravelEnabled"]) == ("tense", 70, False)
    assert list(spires["restrictions"][0]) == ["id", "type", "description", "lastChangedAt", "lastChangedIso"]
    assert spires["restrictions"][0]["lastChangedIso"] == "2025-11-02T18:48:14.700Z"
    alert = s["npcs"]["alerts"][0]
    assert list(alert) == ["id", "name", "factionId", "factionName", "status", "reason", "updatedAt", "updatedIso"]
    assert alert["factionName"] == "Vanguard Prime"                # resolved from the faction registry
    assert list(s["npcs"]) == ["lastUpdatedAt", "lastUpdatedIso", "metrics", "alerts", "suspicious"]
    assert s["engine"]["spatialHash"] is None
    # re-sanitising our own output changes nothing
    assert sanitize_summary(s) == s


def test_missing_control_bindings_give_the_games_unavailable_block(game_repo_fixtures):
    burst = orjson.loads((game_repo_fixtures / "reports/telemetry/autosave-burst/"
                                               "test-burst-summary-20251031T160528Z.json").read_bytes())
    assert sanitize_summary({"generatedAt": 1})["controlBindings"] == burst["controlBindings"]


def test_spatial_hash_numbers_and_budget():
    history = [{"cellCount": "128", "maxBucketSize": 2, "trackedEntities": None, "timestamp": 1}] * 200
    s = sanitize_summary({"generatedAt": 5, "engine": {"spatialHash": {"cellSize": "64", "window": 0.5,
                                                                        "history": history, "payloadBytes": 0,
                                                                        "stats": {"insertions": "x"}}}})
    sh = s["engine"]["spatialHash"]
    assert sh["cellSize"] == 64 and sh["window"] == 1 and sh["sampleCount"] == 200
    assert sh["history"][0] == {"cellCount": 128, "maxBucketSize": 2, "trackedEntities": None, "timestamp": 1}
    assert sh["lastSample"] == sh["history"][-1] and sh["stats"] == {"insertions": 0, "updates": 0, "removals": 0}
    expected_bytes = len(orjson.dumps(sh["history"]))               # recomputed because payloadBytes was 0
    assert sh["payloadBytes"] == expected_bytes > 12288
    assert sh["payloadBudgetStatus"] == "exceeds_budget" and sh["payloadBudgetExceededBy"] == expected_bytes - 12288


@pytest.mark.parametrize("ms, label", [(0, "0s"), (None, "0s"), (800, "800ms"), (999.6, "1000ms"), (1500, "1.5s"),
                                       (9950, "10.0s"), (12_400, "12s"), (60_000, "1m"), (125_000, "2m 5s")])
def test_duration_labels(ms, label):
    assert format_duration_label(ms) == label


def test_format_aliases_fixed_order_and_default():
    assert normalize_formats(["MD", "cascade", "transcript:csv", "json"]) == ("json", "csv", "transcript-csv",
                                                                              "transcript-md")
    assert normalize_formats("tutorial-csv,markdown") == ("csv", "transcript-md")
    assert normalize_formats(["bogus"]) == ("json", "csv")
    assert normalize_formats(None) == ("json", "csv")
    assert unknown_formats(["json,bogus", "xml"]) == ["bogus", "xml"]


def test_generated_at_missing_or_zero_uses_now():
    aset = build_artifacts({"generatedAt": 0}, formats="json", prefix="p", now_ms=1762106784700)
    assert aset.artifacts[0].filename == "p-summary-20251102T180624Z.json"
    assert aset.summary["generatedIso"] == "2025-11-02T18:06:24.700Z"


def test_labels_the_game_keeps_are_kept_and_only_missing_ones_are_formatted(game_fixtures):
    """Issue 10 #2: the game's exporter keeps the observation log's own labels (``"2s 400ms"``)
    and formats only missing ones; the same keep-or-compute rule holds for every derived field
    that the raw summary may carry (durationLabel, ratio value/percentage, counts, payloadBytes,
    sampleCount, lastSample, NPC factionName)."""
    raw = orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())
    cb = raw["controlBindings"]
    cb["dwell"].update({"averageMs": 2400, "averageLabel": "2s 400ms", "maxMs": 2400, "maxLabel": "2s 400ms"})
    del cb["dwell"]["minLabel"]
    cb["durationLabel"] = "6s 400ms"
    cb["ratios"]["selectionBlocked"].update({"value": 0.3333, "percentage": "33.3%"})
    cb["actionsVisitedCount"] = 7                                    # given: kept, not len(actionsVisited)
    out = sanitize_summary(raw)["controlBindings"]
    assert out["dwell"]["averageLabel"] == "2s 400ms" and out["dwell"]["maxLabel"] == "2s 400ms"
    assert out["dwell"]["minLabel"] == format_duration_label(cb["dwell"]["minMs"]) == "800ms"   # missing: formatted
    assert out["durationLabel"] == "6s 400ms"
    assert out["ratios"]["selectionBlocked"] == {"numerator": 1, "denominator": 3, "value": 0.333, "percentage": "33.3%"}
    assert out["actionsVisitedCount"] == 7
    del cb["durationLabel"], cb["actionsVisitedCount"]
    out = sanitize_summary(raw)["controlBindings"]
    assert out["durationLabel"] == "6400ms" and out["actionsVisitedCount"] == len(cb["actionsVisited"])
    spatial = sanitize_summary({"engine": {"spatialHash": {"payloadBytes": 777, "sampleCount": 3, "history": [
        {"cellCount": 1, "maxBucketSize": 1, "trackedEntities": 1, "timestamp": 1}]}}})["engine"]["spatialHash"]
    assert (spatial["payloadBytes"], spatial["sampleCount"]) == (777, 3)
    assert spatial["lastSample"] == {"cellCount": 1, "maxBucketSize": 1, "trackedEntities": 1, "timestamp": 1}
    npc = sanitize_summary({"npcs": {"alerts": [{"id": "n", "factionId": "vanguard_prime", "factionName": "Own"}]}})
    assert npc["npcs"]["alerts"][0]["factionName"] == "Own"
