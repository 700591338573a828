"""Diff and designer sentences on the game's real saves."""
from __future__ import annotations

import orjson
import pytest

from inspector_app.core.diff import DiffKind, DiffTree, EntryFilter, compare_payloads, diff_json, filter_entries, semantic_changes


@pytest.fixture(scope="module")
def saves(game_fixtures):
    def load(name):
        return orjson.loads((game_fixtures / "saves" / name).read_bytes())
    return {
        "fresh": load("save_slot1.fresh.json"),
        "mid": load("save_slot2.midgame.json"),
        "large": load("save_before-memory-parlor.large.json"),
        "late": load("save_autosave.late.json"),
        "v0": load("invalid.legacy-v0.json"),
    }


def texts(changes):
    return [str(c) for c in changes]


def test_fresh_to_midgame_reads_like_the_session(saves):
    lines = texts(compare_payloads(saves["fresh"], saves["mid"]))
    assert "Tutorial: 0/13 → 7/13 steps, now at 'collect_more_evidence'" in lines
    assert "Quests: The Hollow Case not started → active" in lines
    assert "Quests: Objective 'Collect all evidence at the scene' 0/3 → 3/3 (completed) — The Hollow Case" in lines
    assert "Story flags: +act1_started" in lines
    assert "Inventory: +Neural Extractor Device (evidence)" in lines
    assert "Factions: The Luminari Syndicate attitude neutral → hostile (cascade from The Wraith Network)" in lines
    assert "Dialogue: +4 lines with Officer Martinez" in lines
    assert "Save: Playtime 0m 10s → 6m 24s (+6m 14s)" in lines


def test_midgame_to_large_save(saves):
    lines = texts(compare_payloads(saves["mid"], saves["large"]))
    assert "Tutorial: 7/13 → 13/13 steps (completed)" in lines
    assert "Quests: The Hollow Case active → completed" in lines
    assert "Quests: Following the Pattern not started → active" in lines
    assert "Factions: The Luminari Syndicate attitude hostile → neutral (cascade from The Wraith Network)" in lines
    assert "Story flags: +case_001_solved" in lines
    assert "NPCs: Parlor Bouncer unknown → alerted, witnessed crimes 0 → 4" in lines
    assert "Dialogue: +4 lines with Mrs. Chen" in lines
    assert "Districts: Neon Districts control The Wraith Network → The Luminari Syndicate" in lines
    assert "Inventory: Equipped gadget: (none) → Cipher Scrambler Mk I" in lines
    assert "Investigation: +ability memory_trace" in lines


def test_change_paths_point_at_real_values(saves):
    for change in compare_payloads(saves["mid"], saves["large"]):
        if change.path is None:
            continue
        node = saves["large"] if change.side == "b" else saves["mid"]
        for part in change.path:
            node = node[part]  # raises if the path is wrong


def test_autosave_five_minutes_later_only_moves_the_clock(saves):
    changes = compare_payloads(saves["large"], saves["late"])
    assert {c.domain for c in changes} == {"Save"}
    result = diff_json(saves["large"], saves["late"])
    assert all(e.path[0] != "gameData" for e in result.entries)


def test_structural_diff_of_real_saves_uses_buffers_and_keys(saves):
    result = diff_json(saves["mid"], saves["large"])
    assert result.notes[("gameData", "tutorial", "promptHistorySnapshots")] == "7 entries appended, 5 dropped from the front"
    assert result.notes[("gameData", "quests", "npcAvailabilityHistory")].startswith("20 entries added at the front")
    assert any(e.path[-1] == ("status") and e.old == "active" and e.new == "completed" for e in result.entries)
    for e in result.entries:  # every entry's real paths resolve to its values
        if e.kind is DiffKind.MOVED:
            continue
        for side, path, value in (("a", e.old_path, e.old), ("b", e.new_path, e.new)):
            if path is None:
                continue
            node = saves["mid"] if side == "a" else saves["large"]
            for part in path:
                node = node[part]
            assert node == value


def test_tree_groups_and_filters_the_entries(saves):
    result = diff_json(saves["fresh"], saves["large"])
    tree = DiffTree.build(result)
    assert sum(tree.counts[0]) == result.total
    labels = {tree.label[c] for c in tree.children[0]}
    assert {"timestamp", "playtime", "gameData"} <= labels
    only_factions = filter_entries(result, EntryFilter(text="factions"))
    assert only_factions and all("factions" in str(result.entries[i].path) for i in only_factions)
    no_times = filter_entries(result, EntryFilter(hide_timestamps=True))
    assert len(no_times) < result.total
    assert all(result.entries[i].path[-1] not in ("timestamp", "playtime") for i in no_times)


def test_legacy_v0_and_odd_data_never_raise(saves):
    lines = texts(compare_payloads(saves["v0"], saves["fresh"]))
    assert "Save: Version 0 → 1" in lines
    assert "Story flags: −legacy_flag" in lines
    assert "Inventory: −legacy_item ×2" in lines
    for odd in (None, 5, "x", [], {"gameData": []}, {"gameData": {"quests": [1], "factions": "x", "npcs": {"byId": [1]},
                                                                    "tutorial": {"completedSteps": "?"}, "storyFlags": 3}}):
        assert isinstance(compare_payloads(odd, saves["mid"]), list)
        assert isinstance(compare_payloads(saves["mid"], odd), list)
        assert isinstance(semantic_changes(odd, odd), list)


def test_legacy_managers_shape_is_understood():
    old = {"storyFlags": {"act1_started": {"value": True}}, "quests": {"activeQuests": ["q1"], "completedQuests": []},
           "factions": {"reputation": {"vanguard_prime": {"fame": 1, "infamy": 0}}},
           "tutorial": {"completed": False, "completedSteps": 1, "totalSteps": 13}}
    new = {"storyFlags": {"act1_started": {"value": True}, "case_001_solved": {"value": True}},
           "quests": {"activeQuests": [], "completedQuests": ["q1"]},
           "factions": {"reputation": {"vanguard_prime": {"fame": 5, "infamy": 0}}},
           "tutorial": {"completed": False, "completedSteps": 4, "totalSteps": 13}}
    lines = texts(semantic_changes(old, new))
    assert "Story flags: +case_001_solved" in lines
    assert "Quests: q1 active → completed" in lines
    assert "Factions: Vanguard Prime fame 1 → 5" in lines
    assert "Tutorial: 1/13 → 4/13 steps" in lines
