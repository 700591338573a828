"""The shipped demo profile: realistic structure, consistent index, caps, determinism."""
from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from inspector_app.core.demo import (
    DEMO_RESOURCES_DIR,
    PROBLEMS_FILE,
    PROFILE_FILE,
    build_demo_profile,
    build_problems_profile,
    demo_files,
    normalize_slot_name,
    write_demo_resources,
)

GAME_DATA_KEYS = ["storyFlags", "quests", "factions", "tutorial", "dialogue", "inventory", "districts", "npcs",
                  "tutorialComplete", "investigation", "cases", "finaleCinematic"]
# dicts keyed by ids (not records): their key sets vary with play, so shapes are compared below them
ID_MAPS = {"byId", "flags", "objectives", "completedTimeline", "stepDurations", "npcAvailability", "historyByNpc",
           "completedByNpc", "equipped", "collectedEvidence", "discoveredClues", "blockedObjectives",
           "requirements", "cases"}


@pytest.fixture(scope="module")
def profile() -> dict[str, str]:
    return build_demo_profile()


@pytest.fixture(scope="module")
def payloads(profile) -> dict[str, dict]:
    return {k[len("save_"):]: orjson.loads(v) for k, v in profile.items()
            if k.startswith("save_") and k != "save_metadata"}


@pytest.fixture(scope="module")
def index(profile) -> dict[str, dict]:
    return orjson.loads(profile["save_metadata"])


def _record_shapes(value, path: str, out: dict[str, set]) -> None:
    """Every record's key order, by generalised JSON path (ids and list indices wildcarded)."""
    if isinstance(value, dict):
        if path.rsplit(".", 1)[-1] in ID_MAPS and path != "$.gameData.cases":
            for child in value.values():
                _record_shapes(child, path + ".*", out)
            return
        out.setdefault(path, set()).add(tuple(value))
        for key, child in value.items():
            _record_shapes(child, f"{path}.{key}", out)
    elif isinstance(value, list):
        for child in value:
            _record_shapes(child, path + "[]", out)


def test_profile_has_the_expected_slots_and_flags(profile, index):
    assert sorted(profile) == ["save_after-the-hollow-case", "save_autosave", "save_before-the-archive-raid",
                               "save_metadata", "save_slot1", "save_slot2", "tutorial_completed"]
    assert profile["tutorial_completed"] == "true"
    labels = {slot: entry["label"] for slot, entry in index.items()}
    assert labels == {"autosave": "autosave", "slot1": "slot1", "slot2": "slot2",
                      "after-the-hollow-case": "After the Hollow Case",
                      "before-the-archive-raid": "Before the Archive Raid"}
    assert all(isinstance(v, str) for v in profile.values())


def test_index_matches_the_payloads(index, payloads):
    assert set(index) == set(payloads)
    for slot, entry in index.items():
        payload = payloads[slot]
        assert list(entry) == ["timestamp", "playtime", "version", "slotType", "label", "snapshotSource"]
        assert entry["timestamp"] == payload["timestamp"]
        assert entry["playtime"] == payload["playtime"]
        assert entry["version"] == payload["version"] == 1
        assert entry["slotType"] == ("auto" if slot == "autosave" else "manual")
        assert entry["label"] == payload["meta"]["slotLabel"]
        assert entry["snapshotSource"] == payload["meta"]["snapshotSource"] == "worldStateStore"
        assert payload["slot"] == slot == normalize_slot_name(entry["label"])


def test_slots_sit_at_different_points_of_play(payloads):
    order = sorted(payloads, key=lambda s: payloads[s]["timestamp"])
    assert order == ["slot1", "slot2", "after-the-hollow-case", "before-the-archive-raid", "autosave"]
    minutes = {s: payloads[s]["playtime"] / 60_000 for s in payloads}
    assert 1.5 <= minutes["slot1"] <= 3
    assert 12 <= minutes["slot2"] <= 18
    assert 50 <= minutes["before-the-archive-raid"] <= 58
    # playtime adds up from one game start: timestamp - playtime is the same for every slot
    assert len({p["timestamp"] - p["playtime"] for p in payloads.values()}) == 1
    tutorial = payloads["slot2"]["gameData"]["tutorial"]
    assert 5 <= len(tutorial["completedSteps"]) <= 8 and not tutorial["completed"]


def test_envelope_and_game_data_key_order_match_a_real_save(payloads, game_fixtures):
    real = orjson.loads((game_fixtures / "saves" / "save_before-memory-parlor.large.json").read_bytes())
    for payload in payloads.values():
        assert list(payload) == list(real) == ["version", "timestamp", "playtime", "slot", "gameData", "meta"]
        assert list(payload["gameData"]) == list(real["gameData"]) == GAME_DATA_KEYS
        assert list(payload["meta"]) == list(real["meta"])
        for section in GAME_DATA_KEYS:
            if isinstance(real["gameData"][section], dict):
                assert list(payload["gameData"][section]) == list(real["gameData"][section]), section


def test_every_record_shape_is_one_the_game_writes(payloads, game_fixtures):
    """A designer cannot tell the demo from the game structurally: each record's key order
    (faction records, prompts, snapshots, NPCs, quest objectives, items, ...) occurs in the
    game's own saves."""
    real: dict[str, set] = {}
    for name in ("save_slot1.fresh.json", "save_slot2.midgame.json", "save_before-memory-parlor.large.json",
                 "save_autosave.late.json"):
        _record_shapes(orjson.loads((game_fixtures / "saves" / name).read_bytes()), "$", real)
    mine: dict[str, set] = {}
    for payload in payloads.values():
        _record_shapes(payload, "$", mine)
    unknown_paths = sorted(set(mine) - set(real))
    assert unknown_paths == []
    for path, shapes in mine.items():
        assert shapes <= real[path], f"{path}: {shapes - real[path]}"


def test_static_definitions_are_the_games(payloads, game_fixtures):
    fresh = orjson.loads((game_fixtures / "saves" / "save_slot1.fresh.json").read_bytes())["gameData"]
    late = payloads["before-the-archive-raid"]["gameData"]
    assert list(late["quests"]["byId"]) == list(fresh["quests"]["byId"])
    assert list(late["districts"]["byId"]) == list(fresh["districts"]["byId"])
    # real games never emit district events: early saves are at the definition defaults
    assert payloads["slot2"]["gameData"]["districts"] == fresh["districts"]


def test_late_save_reaches_the_caps_and_respects_them(payloads):
    for payload in payloads.values():
        g = payload["gameData"]
        assert all(len(f["attitudeHistory"]) <= 10 for f in g["factions"]["byId"].values())
        assert len(g["factions"]["recentMemberRemovals"]) <= 10
        assert len(g["tutorial"]["promptHistory"]) <= g["tutorial"]["promptHistoryLimit"] == 5
        assert len(g["tutorial"]["promptHistorySnapshots"]) <= g["tutorial"]["promptHistorySnapshotLimit"] == 10
        assert all(len(h) <= g["dialogue"]["historyLimit"] == 10 for h in g["dialogue"]["historyByNpc"].values())
        assert len(g["quests"]["npcAvailabilityHistory"]) <= 20
        assert len(g["npcs"]["changeLog"]) <= 50 and len(g["districts"]["changeLog"]) <= 50
        assert all(len(n["history"]) <= 10 for n in g["npcs"]["byId"].values())
    late = payloads["before-the-archive-raid"]["gameData"]
    assert max(len(f["attitudeHistory"]) for f in late["factions"]["byId"].values()) == 10
    assert len(late["factions"]["recentMemberRemovals"]) == 10
    assert len(late["tutorial"]["promptHistorySnapshots"]) == 10
    assert len(late["tutorial"]["promptHistory"]) == 5
    assert late["tutorial"]["completed"] is True and late["tutorialComplete"] is True
    assert max(len(h) for h in late["dialogue"]["historyByNpc"].values()) == 10
    assert len(late["npcs"]["changeLog"]) == 50


def test_histories_are_in_time_order(payloads):
    for payload in payloads.values():
        g = payload["gameData"]
        stamps = [s["timestamp"] for s in g["tutorial"]["promptHistorySnapshots"]]
        assert stamps == sorted(stamps)
        for faction in g["factions"]["byId"].values():
            times = [c["occurredAt"] for c in faction["attitudeHistory"]]
            assert times == sorted(times)
        recorded = [h["recordedAt"] for h in g["quests"]["npcAvailabilityHistory"]]
        assert recorded == sorted(recorded, reverse=True)          # newest first, as the game keeps it
        assert [e["timestamp"] for e in g["npcs"]["changeLog"]] == sorted(e["timestamp"] for e in g["npcs"]["changeLog"])
        latest = max([s for s in stamps] + [e["timestamp"] for e in g["npcs"]["changeLog"]], default=0)
        assert latest <= payload["timestamp"]


def test_quest_progress_is_consistent(payloads):
    late = payloads["before-the-archive-raid"]["gameData"]["quests"]
    assert late["completedIds"] == ["case_001_hollow_case"]
    assert late["activeIds"] == ["case_002_following_pattern"]
    for quest in late["byId"].values():
        for objective in quest["objectives"].values():
            assert 0 <= objective["progress"] <= objective["target"]
            # the game drops "blocked" once an objective completes and keeps it (null) otherwise
            assert ("blocked" in objective) == (objective["status"] != "completed")
    flags = payloads["before-the-archive-raid"]["gameData"]["storyFlags"]["flags"]
    assert flags["act1_started"]["value"] is True and flags["case_001_solved"]["value"] is True


def test_problems_showcase_contains_each_kind_of_problem(profile):
    problems = build_problems_profile(profile)
    index = orjson.loads(problems["save_metadata"])
    payload_slots = {k[len("save_"):] for k in problems if k.startswith("save_") and k != "save_metadata"}
    assert "lost-slot" in index and "lost-slot" not in payload_slots              # index without payload
    assert "written-while-index-corrupt" in payload_slots - set(index)           # payload missing from index
    assert orjson.loads(problems["save_legacy-v0"])["version"] == 0
    assert "meta" not in orjson.loads(problems["save_legacy-v0"])
    assert orjson.loads(problems["save_from-a-newer-build"])["version"] == 2
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(problems["save_truncated-write"])
    assert problems["save_slot1"] == profile["save_slot1"]                        # one healthy slot


def test_committed_resources_equal_a_fresh_regeneration():
    expected = demo_files()
    for relative, data in expected.items():
        path = DEMO_RESOURCES_DIR / relative
        assert path.is_file(), f"missing {path}; run python -m inspector_app.core.demo"
        assert path.read_bytes() == data, f"{path} is stale; run python -m inspector_app.core.demo"
    committed_saves = {f"saves/{p.name}" for p in (DEMO_RESOURCES_DIR / "saves").glob("*.json")}
    assert committed_saves == {k for k in expected if k.startswith("saves/")}


def test_export_file_has_the_devtools_form_and_single_saves_are_the_stored_strings(profile):
    files = demo_files()
    export = files[PROFILE_FILE]
    assert export.startswith(b'{\n  "save_after-the-hollow-case": "{\\"version\\":1,') and export.endswith(b"}\n")
    assert orjson.loads(export) == profile
    for key, value in profile.items():
        if key.startswith("save_"):
            assert files[f"saves/{key}.json"] == value.encode("utf-8")
    assert orjson.loads(files[PROBLEMS_FILE])["save_slot1"] == profile["save_slot1"]


def test_generation_is_deterministic_and_the_cli_writes_the_same_files(tmp_path: Path):
    assert build_demo_profile() == build_demo_profile()
    written = write_demo_resources(tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == set(demo_files())
    for path in written:
        assert path.read_bytes() == (DEMO_RESOURCES_DIR / path.relative_to(tmp_path)).read_bytes()


def test_slot_names_normalise_like_the_game():
    cases = {"  My Save #1  ": "my-save-1", "Chapter 2: The Parlor": "chapter-2-the-parlor", "***": "autosave",
             "UPPER_lower-mixed": "upper_lower-mixed", "a" * 60: "a" * 32,
             "Before Memory Parlor!": "before-memory-parlor", 3: "slot3", "": "autosave", None: "autosave",
             "AutoSave": "autosave"}
    for raw, expected in cases.items():
        assert normalize_slot_name(raw) == expected, raw


def test_demo_profile_loads_without_warnings_or_errors():
    from inspector_app.core.loading.document import Severity
    from inspector_app.core.loading.loader import load_path

    document = load_path(DEMO_RESOURCES_DIR / PROFILE_FILE)
    bad = [p for p in document.all_problems if p.severity in (Severity.ERROR, Severity.WARNING)]
    assert bad == []
    assert {s.slot_id for s in document.slots} == {"autosave", "slot1", "slot2", "after-the-hollow-case",
                                                   "before-the-archive-raid"}


def test_problems_showcase_lights_up_each_problem_and_keeps_the_healthy_slot():
    from inspector_app.core.loading.document import SlotStatus
    from inspector_app.core.loading.loader import load_path

    document = load_path(DEMO_RESOURCES_DIR / PROBLEMS_FILE)
    status = {s.slot_id: s.status for s in document.slots}
    assert status == {"slot1": SlotStatus.OK, "legacy-v0": SlotStatus.LEGACY, "from-a-newer-build": SlotStatus.FUTURE,
                      "truncated-write": SlotStatus.ERROR, "written-while-index-corrupt": SlotStatus.OK}
    assert not document.slot("slot1").problems
    assert document.slot("written-while-index-corrupt").has_problems
    assert not document.slot("written-while-index-corrupt").in_index
    assert any("lost-slot" in p.describe() for p in document.all_problems)
