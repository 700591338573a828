"""Domain views (no Qt) against the fixtures, plus tolerance to odd, legacy and v0 data."""
from __future__ import annotations

import orjson
import pytest

from inspector_app.core.worldstate.factions import FACTION_NAMES, attitude_rank, faction_name
from inspector_app.core.worldstate.shapes import LEGACY, STORE, V0, detect_shape
from inspector_app.core.worldstate.views import (
    DOMAIN_TABS, build_domain_views, current_act, quest_stats, story_flags,
)


@pytest.fixture(scope="module")
def large(game_fixtures):
    return orjson.loads((game_fixtures / "saves" / "save_before-memory-parlor.large.json").read_bytes())


@pytest.fixture(scope="module")
def large_views(large):
    return build_domain_views(large["gameData"], payload=large)


def test_all_tabs_built(large_views):
    assert list(large_views) == [key for key, _ in DOMAIN_TABS]
    assert all(view.available for view in large_views.values())


def test_overview_metrics_and_save_facts(large_views):
    overview = large_views["overview"]
    assert overview.fact("Slot ID") == "before-memory-parlor"
    assert overview.fact("Label") == "Before Memory Parlor!"
    assert overview.fact("Playtime") == "53m 06s"
    assert overview.fact("Version") == "1 (current)"
    assert overview.fact("Cascade events tracked") == "38"
    assert overview.fact("Restricted districts") == "2/4"
    assert overview.fact("Tutorial timeline entries") == "10"
    assert [title for title, _ in overview.text_blocks][:2] == ["Save Inspector", "Summary Metrics"]
    assert any("Live telemetry only (export artifact required)" in note for note in overview.notes)
    sizes = {row["section"]: row["bytes"] for row in overview.table("sizes").rows}
    assert sizes["quests"] == 47223 and sizes["tutorial"] == 39214  # §4 table


def test_factions_view(large_views):
    view = large_views["factions"]
    targets = view.table("targets")
    assert targets.values("cascadeCount") == [21, 11, 6]
    assert targets.values("name")[0] == "The Luminari Syndicate"
    factions = {row["id"]: row for row in view.table("factions").rows}
    assert factions["wraith_network"]["fame"] == 72.5 and factions["wraith_network"]["attitude"] == "hostile"
    assert factions["wraith_network"]["history"] == "10 / 10"
    assert factions["memory_keepers"]["history"] == "0 / 10"
    assert view.fact("Member removals") == "10 / 10"
    assert len(view.table("removals").rows) == 10
    assert len(view.table("history").rows) == 40


def test_factions_cascade_only_caveat(game_fixtures):
    midgame = orjson.loads((game_fixtures / "saves" / "save_slot2.midgame.json").read_bytes())
    rows = {r["id"]: r for r in build_domain_views(midgame["gameData"])["factions"].table("factions").rows}
    assert rows["luminari_syndicate"]["fame"] == 0 and rows["luminari_syndicate"]["caveat"]
    assert rows["vanguard_prime"]["fame"] == 17.5 and not rows["vanguard_prime"]["caveat"]


def test_tutorial_view(large_views):
    view = large_views["tutorial"]
    assert view.fact("Progress") == "13/13"
    assert view.fact("Prompt history") == "5 / 5"
    assert view.fact("Snapshots") == "10 / 10"
    steps = view.table("steps")
    assert steps.values("status") == ["completed"] * 13
    assert steps.rows[5]["step"] == "detective_vision" and steps.rows[5]["durationMs"] == 90000
    assert steps.rows[5]["duration"] == "1m 30s"
    snaps = view.table("snapshots")
    assert snaps.rows[-1]["event"] == "Tutorial Completed"
    assert snaps.rows[-1]["stepInfo"] == "—"  # quirk fixed: no "(Step 1/13)"
    assert snaps.rows[0]["stepInfo"] == "(Step 6/13)"
    assert "Control Hint Updated" in snaps.values("event")


def test_districts_view(large_views):
    view = large_views["districts"]
    assert view.fact("Restricted") == "2/4"
    assert view.fact("Change log") == "50 / 50"
    assert view.table("restricted").values("name") == ["Corporate Spires", "Neon Districts"]
    restrictions = view.table("restrictions").values("active")
    assert restrictions[:3] == [True, True, True] and not any(restrictions[3:])  # active first
    assert sum(view.table("routes").values("unlocked")) == 1


def test_npcs_view(large_views):
    view = large_views["npcs"]
    assert view.table("alerts").values("name") == ["Captain Reese", "Parlor Bouncer"]
    assert len(view.table("suspicious").rows) == 3
    npcs = {row["id"]: row for row in view.table("npcs").rows}
    assert npcs["parlor_bouncer"]["status"] == "alerted" and npcs["parlor_bouncer"]["witnessedCrimes"] == 4
    assert npcs["parlor_bouncer"]["faction"] == "The Luminari Syndicate"
    assert npcs["officer_martinez"]["history"] == "10 / 10"
    assert view.fact("Witnessed crimes") == "14"


def test_quests_view(large_views):
    view = large_views["quests"]
    assert (view.fact("Quests"), view.fact("Active"), view.fact("Completed")) == ("11", "1", "1")
    assert view.fact("Availability history") == "20 / 20"
    objectives = view.table("objectives").rows
    collect = next(o for o in objectives if o["title"] == "Collect all evidence at the scene")
    assert collect["progress"] == "3/3"  # not the stale "(0/3)" of the title


def test_quest_progress_ignores_stale_title(game_fixtures):
    midgame = orjson.loads((game_fixtures / "saves" / "save_slot2.midgame.json").read_bytes())
    rows = build_domain_views(midgame["gameData"])["quests"].table("objectives").rows
    row = next(r for r in rows if r["title"].startswith("Collect all evidence at the scene"))
    assert row["progress"] == "3/3" and "(0/3)" not in row["title"]


def test_story_view(large_views, large):
    view = large_views["story"]
    assert view.fact("Current act") == "act1"
    assert view.fact("Flags") == "9"
    assert len(view.table("recent").rows) == 6
    assert view.table("recent").rows[0]["updatedAt"] == 1762109393200
    assert current_act(large["gameData"]["storyFlags"]) == "act1"


def test_inventory_and_dialogue_views(large_views):
    inventory = large_views["inventory"]
    assert inventory.fact("Items") == "8"
    assert inventory.table("equipped").rows[0]["slot"] == "gadget"
    dialogue = large_views["dialogue"]
    per_npc = {row["npc"]: row for row in dialogue.table("dialogueNpcs").rows}
    assert per_npc["officer_martinez"]["entries"] == "4 / 10"
    assert any(row["entries"] == "10 / 10" for row in per_npc.values())
    assert dialogue.table("cases").rows[0]["objectives"] == "4/5"


def test_summary_only_views(game_fixtures):
    summary = orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())
    views = build_domain_views(summary=summary)
    assert views["factions"].table("targets").values("cascadeCount") == [2, 1, 1]
    assert views["tutorial"].fact("Snapshots") == "8 / 10"
    assert not views["quests"].available and "open a save" in views["quests"].unavailable_reason
    assert views["overview"].fact("Control binding events") == "9"


@pytest.mark.parametrize("game_data", [
    {}, {"factions": [], "inventory": {"items": {"a": 1}}, "tutorial": None, "quests": "x", "npcs": [1],
         "districts": {"byId": {"d": 5}}, "dialogue": {"historyByNpc": {"n": "x"}}, "cases": {"cases": []},
         "storyFlags": {"flags": []}},
])
def test_views_tolerate_odd_data(game_data):
    views = build_domain_views(game_data, payload={"version": "1", "gameData": game_data})
    assert set(views) == {key for key, _ in DOMAIN_TABS}
    assert all(view.available for view in views.values())
    assert views["overview"].fact("Version").startswith("1 (legacy")


def test_views_on_wrong_types_case(game_fixtures):
    cases = orjson.loads((game_fixtures / "localstorage" / "invalid-cases.localStorage.json").read_bytes())
    payload = orjson.loads(cases["save_wrong-types"])
    views = build_domain_views(payload["gameData"], payload=payload)
    assert views["inventory"].table("items").rows == []
    assert views["factions"].table("factions").rows == []
    assert views["tutorial"].fact("Progress") == "0/13"


def test_v0_and_legacy_shapes(game_fixtures):
    v0 = orjson.loads((game_fixtures / "saves" / "invalid.legacy-v0.json").read_bytes())
    assert detect_shape(v0["gameData"], v0) == V0
    views = build_domain_views(v0["gameData"], payload=v0)
    assert views["factions"].table("factions").rows[0]["name"] == "The Cipher Collective"
    assert views["factions"].table("factions").rows[0]["fame"] == 5
    assert views["tutorial"].fact("Progress") == "4/7"
    assert views["quests"].table("quests").rows[0]["status"] == "active"
    assert story_flags(v0["gameData"]["storyFlags"]) == [
        {"flag": "legacy_flag", "value": True, "source": None, "metadata": "", "updatedAt": None}]
    assert views["overview"].fact("Version").startswith("0 (legacy")
    legacy = {"storyFlags": {"act1_started": {"value": True, "timestamp": 5, "metadata": {"source": "intro"}}},
              "quests": {"activeQuests": ["case_001_hollow_case"], "completedQuests": [], "failedQuests": []},
              "factions": {"reputation": {"vanguard_prime": {"fame": 35, "infamy": 10}}, "recentMemberRemovals": []},
              "tutorial": {"completedSteps": 1, "totalSteps": 13, "currentStep": "movement", "currentStepIndex": 1},
              "inventory": {"items": [], "equipped": {}}, "dialogue": None, "cases": None, "investigation": None}
    payload = {"version": 1, "meta": {"snapshotSource": "legacy-managers"}, "gameData": legacy}
    assert detect_shape(legacy, payload) == LEGACY
    views = build_domain_views(legacy, payload=payload)
    assert quest_stats(legacy["quests"]) == {"total": 1, "active": 1, "completed": 0, "failed": 0}
    assert views["story"].fact("Current act") == "act1"
    assert views["tutorial"].fact("Current step") == "movement (step 2/13)"
    assert views["overview"].fact("Tutorial timeline entries") == "0"


def test_shape_detection_store(large):
    assert detect_shape(large["gameData"], large) == STORE
    assert detect_shape(large["gameData"]) == STORE


def test_faction_registry():
    assert faction_name("luminari_syndicate") == "The Luminari Syndicate"
    assert faction_name("unknown_faction") == "unknown_faction"
    assert faction_name(None) == "Unknown"
    assert faction_name("x", "Given Name") == "Given Name"
    assert len(FACTION_NAMES) == 5
    assert attitude_rank("hostile") == 0 and attitude_rank("allied") == 4 and attitude_rank("odd") is None


def test_zero_timestamps_read_as_never_not_1970():
    from inspector_app.core.common.timefmt import format_absolute_time

    assert format_absolute_time(0) == "—"
    assert format_absolute_time(None) == "—"
    assert format_absolute_time(1762106410000).startswith("2025-11-0")


def test_object_cells_show_times_in_words_next_to_the_raw_number():
    from inspector_app.core.common.timefmt import format_absolute_time
    from inspector_app.core.worldstate._coerce import display_text

    text = display_text({"stepId": "case_file", "completedAt": 1762106769700, "durationMs": 147700, "count": 3})
    assert text == (f"stepId: case_file, completedAt: 1762106769700 ({format_absolute_time(1762106769700)}), "
                    "durationMs: 147700 (2m 28s), count: 3")
