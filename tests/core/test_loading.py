"""load_path / load_bytes on the game's own files and on every bad input we know of."""
from __future__ import annotations

import hashlib
import json

import orjson
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from inspector_app.core.loading.document import (
    DocumentKind, LoadCancelled, LoadError, Severity, SlotStatus,
)
from inspector_app.core.loading.loader import load_bytes, load_path


def _codes(problems) -> list[str]:
    return [p.code for p in problems]


# --------------------------------------------------------------------------- valid fixtures
PAYLOADS = {
    "save_slot1.fresh.json": ("slot1", "slot1", "manual"),
    "save_slot2.midgame.json": ("slot2", "slot2", "manual"),
    "save_autosave.midgame.json": ("autosave", "autosave", "auto"),
    "save_autosave.late.json": ("autosave", "autosave", "auto"),
    "save_autosave.tutorial-skipped.json": ("autosave", "autosave", "auto"),
    "save_before-memory-parlor.large.json": ("before-memory-parlor", "Before Memory Parlor!", "manual"),
    "save_slot3.tutorial-skipped.json": ("slot3", "slot3", "manual"),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_single_payload_fixtures(game_fixtures, name):
    path = game_fixtures / "saves" / name
    doc = load_path(path)
    assert doc.kind is DocumentKind.PAYLOAD
    assert doc.size_bytes == path.stat().st_size
    assert len(doc.slots) == 1
    slot = doc.slots[0]
    assert (slot.slot_id, slot.label, slot.slot_type) == PAYLOADS[name]
    assert slot.status is SlotStatus.OK
    assert slot.version == 1 and slot.snapshot_source == "worldStateStore"
    assert slot.size_bytes == path.stat().st_size
    assert slot.game_data is not None and "quests" in slot.game_data
    assert doc.all_problems == []


def test_profile1_has_four_slots_labelled_from_the_index(game_fixtures):
    path = game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"
    doc = load_path(path)
    assert doc.kind is DocumentKind.PROFILE
    assert [s.slot_id for s in doc.slots] == ["autosave", "before-memory-parlor", "slot1", "slot2"]
    index = orjson.loads(orjson.loads(path.read_bytes())["save_metadata"])
    assert doc.index == index
    for s in doc.slots:
        assert s.label == index[s.slot_id]["label"]
        assert s.slot_type == index[s.slot_id]["slotType"]
        assert s.in_index and s.index_entry == index[s.slot_id]
        assert s.status is SlotStatus.OK and s.problems == []
        assert s.timestamp == index[s.slot_id]["timestamp"]
    assert doc.slot("before-memory-parlor").label == "Before Memory Parlor!"
    assert doc.profile_flags == {"tutorial_completed": "true"}
    assert doc.all_problems == []


def test_profile_slot_sizes_are_utf8_sizes_of_the_stored_strings(game_fixtures):
    path = game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"
    raw = orjson.loads(path.read_bytes())
    doc = load_path(path)
    for s in doc.slots:
        assert s.size_bytes == len(raw[s.key].encode("utf-8"))
    big = doc.slot("before-memory-parlor")
    assert big.size_bytes == (game_fixtures / "saves" / "save_before-memory-parlor.large.json").stat().st_size


def _valid_profile_fixtures() -> list:
    from tests.conftest import GAME_FIXTURES

    folder = GAME_FIXTURES / "localstorage"
    return sorted(p for p in folder.glob("*.localStorage.json") if not p.name.startswith("invalid")) \
        if folder.is_dir() else []


@pytest.mark.parametrize("path", _valid_profile_fixtures(), ids=lambda p: p.name)
def test_every_valid_profile_fixture_loads_cleanly(game_fixtures, path):
    """Every game-made profile in the fixture set (including ones withheld from development,
    when CI has them): each save_* key is a readable slot, labels come from the index."""
    raw = orjson.loads(path.read_bytes())
    doc = load_path(path)
    assert doc.kind is DocumentKind.PROFILE
    assert sorted(s.key for s in doc.slots) == sorted(k for k in raw if k.startswith("save_") and k != "save_metadata")
    index = orjson.loads(raw["save_metadata"])
    for s in doc.slots:
        assert s.status is SlotStatus.OK and s.payload is not None
        assert s.label == index[s.slot_id]["label"]
    assert not [p for p in doc.all_problems if p.severity is Severity.ERROR]
    if "tutorial_skipped" in raw:
        assert doc.profile_flags["tutorial_skipped"] == "true"
        assert any(s.game_data["tutorial"]["skipped"] for s in doc.slots)


@pytest.mark.parametrize("name", [
    "getInspectorSummary.fresh.json", "getInspectorSummary.midgame.json",
    "getInspectorSummary.tutorial-skipped.json", "getInspectorSummary.source-unavailable.json",
    "getInspectorSummary.after-loading-slot2.json", "getInspectorSummary.after-loading-before-memory-parlor.json",
])
def test_raw_inspector_summaries(game_fixtures, name):
    doc = load_path(game_fixtures / "inspector-summary" / name)
    assert doc.kind is DocumentKind.INSPECTOR_SUMMARY
    assert doc.slots == [] and doc.summary is doc.root
    assert doc.summary["generatedAt"] > 0
    assert not any(p.severity is not Severity.NOTICE for p in doc.all_problems)


def test_source_unavailable_summary_gets_a_notice(game_fixtures):
    doc = load_path(game_fixtures / "inspector-summary" / "getInspectorSummary.source-unavailable.json")
    assert _codes(doc.problems) == ["summary_source_unavailable"]


def test_summary_export_finds_its_sibling_artifacts(game_fixtures):
    folder = game_fixtures / "exports" / "midgame"
    doc = load_path(folder / "save-inspector-midgame-summary-20251102T180624Z.json")
    assert doc.kind is DocumentKind.SUMMARY_EXPORT
    assert doc.summary["generatedIso"].startswith("2025-11-02T18:06:24")
    prefix, t = "save-inspector-midgame", "20251102T180624Z"
    assert doc.sibling_artifacts == {
        "cascade": folder / f"{prefix}-cascade-targets-{t}.csv",
        "tutorial": folder / f"{prefix}-tutorial-snapshots-{t}.csv",
        "transcript-csv": folder / f"{prefix}-tutorial-transcript-{t}.csv",
        "transcript-md": folder / f"{prefix}-tutorial-transcript-{t}.md",
    }
    assert doc.problems == []


def test_overbudget_export_has_no_siblings_and_says_so(game_fixtures):
    doc = load_path(game_fixtures / "exports" / "overbudget" / "save-inspector-overbudget-summary-20251102T190110Z.json")
    assert doc.kind is DocumentKind.SUMMARY_EXPORT
    assert doc.sibling_artifacts == {}
    assert set(_codes(doc.problems)) == {"siblings_missing", "spatial_budget_exceeded"}


def test_renamed_summary_export_finds_siblings_by_time_fragment(game_fixtures, tmp_path):
    src = game_fixtures / "exports" / "midgame"
    for f in src.iterdir():
        if f.suffix in (".csv", ".md"):
            (tmp_path / f.name).write_bytes(f.read_bytes())
    renamed = tmp_path / "my summary.json"
    renamed.write_bytes((src / "save-inspector-midgame-summary-20251102T180624Z.json").read_bytes())
    doc = load_path(renamed)
    assert set(doc.sibling_artifacts) == {"cascade", "tutorial", "transcript-csv", "transcript-md"}


def test_renamed_summary_with_zero_generated_at_finds_the_games_zero_fragment(game_fixtures, tmp_path):
    """The game names the files of a falsy ``generatedAt`` 00000000T000000Z, not 19700101T000000Z."""
    import orjson

    src = game_fixtures / "exports" / "midgame"
    summary = orjson.loads((src / "save-inspector-midgame-summary-20251102T180624Z.json").read_bytes())
    summary["generatedAt"] = 0
    for f in src.iterdir():
        if f.suffix in (".csv", ".md"):
            (tmp_path / f.name.replace("20251102T180624Z", "00000000T000000Z")).write_bytes(f.read_bytes())
    renamed = tmp_path / "zero.json"
    renamed.write_bytes(orjson.dumps(summary))
    doc = load_path(renamed)
    assert set(doc.sibling_artifacts) == {"cascade", "tutorial", "transcript-csv", "transcript-md"}
    assert all("00000000T000000Z" in p.name for p in doc.sibling_artifacts.values())


def test_load_bytes_of_a_summary_does_not_look_on_disk(game_fixtures):
    data = (game_fixtures / "exports" / "midgame" / "save-inspector-midgame-summary-20251102T180624Z.json").read_bytes()
    doc = load_bytes(data, "x-summary-20251102T180624Z.json")
    assert doc.kind is DocumentKind.SUMMARY_EXPORT and doc.sibling_artifacts == {}
    assert doc.problems == []


def test_slot_index_on_its_own(game_fixtures):
    doc = load_path(game_fixtures / "saves" / "save_metadata.final.json")
    assert doc.kind is DocumentKind.PROFILE and doc.slots == []
    assert set(doc.index) == {"slot1", "autosave", "slot2", "before-memory-parlor"}
    assert _codes(doc.problems) == ["index_only"]


# --------------------------------------------------------------------------- versions
def test_legacy_v0_file(game_fixtures):
    doc = load_path(game_fixtures / "saves" / "invalid.legacy-v0.json")
    slot = doc.slots[0]
    assert slot.status is SlotStatus.LEGACY and slot.version == 0
    (notice,) = slot.problems
    assert notice.severity is Severity.NOTICE and notice.code == "legacy_version"
    assert "Assignment to constant variable." in notice.message
    assert "index entry to version 1" in notice.message
    disp = slot.display_payload
    assert disp["version"] == 1 and slot.payload["version"] == 0           # original untouched
    gd = slot.game_data
    assert gd is disp["gameData"]
    assert gd["tutorial"]["completedSteps"] == 4 and gd["tutorial"]["currentStepIndex"] == -1
    assert gd["tutorialComplete"] is True and gd["tutorialSkipped"] is False
    assert gd["factions"]["recentMemberRemovals"] == [] and gd["factions"]["version"] == 1
    assert gd["inventory"]["items"] == [{"id": "legacy_item", "quantity": 2}]
    assert gd["inventory"]["equipped"] == {} and gd["dialogue"] is None and gd["finaleCinematic"] is None


def test_future_version_file(game_fixtures):
    doc = load_path(game_fixtures / "saves" / "invalid.future-version-6.json")
    slot = doc.slots[0]
    assert slot.status is SlotStatus.FUTURE and slot.version == 6
    future = [p for p in slot.problems if p.code == "future_version"]
    assert future and "future_version" in future[0].message and "newer than this build knows" in future[0].message
    assert slot.payload["gameData"] == {"storyFlags": {"flags": {}}} and slot.display_payload is None


def test_engine_save_is_recognised():
    data = json.dumps({"version": "1.0.0", "timestamp": 1700000000000, "slot": 2,
                       "player": {"position": {"x": 0, "y": 0}}, "quests": {}, "worldState": {},
                       "meta": {"playtime": 90000, "currentAct": "act1"}}).encode()
    doc = load_bytes(data, "memory_syndicate_save_2_1700000000000.json")
    assert doc.kind is DocumentKind.ENGINE_SAVE
    (slot,) = doc.slots
    assert slot.slot_id == "slot2" and slot.version == "1.0.0" and slot.playtime == 90000
    assert _codes(slot.problems) == ["engine_save"]


# --------------------------------------------------------------------------- invalid cases profile
INVALID_EXPECTED = {
    # key: (status, codes that must be present, words in the main message)
    "save_corrupt-truncated": (SlotStatus.ERROR, {"truncated"}, "line 1, column 128"),
    "save_json-null": (SlotStatus.ERROR, {"payload_null"}, "Cannot read properties of null (reading 'version')"),
    "save_json-number": (SlotStatus.ERROR, {"payload_primitive"}, "invalid_save_data"),
    "save_json-string": (SlotStatus.ERROR, {"payload_primitive"}, "invalid_save_data"),
    "save_json-array": (SlotStatus.ERROR, {"payload_array"}, "migration_failed_0_to_1"),
    "save_legacy-v0": (SlotStatus.LEGACY, {"legacy_version"}, "Assignment to constant variable."),
    "save_version-missing": (SlotStatus.LEGACY, {"legacy_version"}, "no version field"),
    "save_version-string": (SlotStatus.LEGACY, {"legacy_version"}, 'the string "1"'),
    "save_future-version-6": (SlotStatus.FUTURE, {"future_version"}, "future_version"),
    "save_missing-gameData": (SlotStatus.ERROR, {"game_data_missing"},
                              "Cannot read properties of undefined (reading 'storyFlags')"),
    "save_empty-gameData": (SlotStatus.OK, {"game_data_empty"}, "reset to its defaults"),
    "save_missing-playtime": (SlotStatus.OK, {"playtime_missing"}, "NaN"),
    "save_wrong-types": (SlotStatus.OK, {"section_wrong_type"}, "silently loads an empty"),
    "save_metadata__corrupt-example": (SlotStatus.ERROR, {"json_syntax"}, "line 1, column 2"),
    "save_metadata__array-example": (SlotStatus.ERROR, {"payload_array"}, "migration_failed_0_to_1"),
}


@pytest.fixture(scope="module")
def invalid_doc(game_fixtures):
    return load_path(game_fixtures / "localstorage" / "invalid-cases.localStorage.json")


def test_invalid_cases_each_slot_has_its_specific_problem(invalid_doc, game_fixtures):
    path = game_fixtures / "localstorage" / "invalid-cases.localStorage.json"
    assert invalid_doc.kind is DocumentKind.PROFILE
    assert {s.key for s in invalid_doc.slots} == set(INVALID_EXPECTED)
    for key, (status, codes, words) in INVALID_EXPECTED.items():
        slot = invalid_doc.slot(key)
        assert slot.status is status, key
        assert codes <= set(_codes(slot.problems)), (key, _codes(slot.problems))
        main = next(p for p in slot.problems if p.code in codes)
        assert words in main.describe(), (key, main.describe())
        assert main.file == str(path) and main.slot == key


def test_invalid_cases_truncated_value_is_located_inside_the_value(invalid_doc):
    p = next(p for p in invalid_doc.slot("save_corrupt-truncated").problems if p.code == "truncated")
    assert p.severity is Severity.ERROR
    assert p.location == "line 1, column 128 (character 127) in the stored string"
    assert "truncated value?" in p.message and "property name" in p.message


def test_invalid_cases_wrong_types_name_their_json_paths(invalid_doc):
    wrong = [p for p in invalid_doc.slot("save_wrong-types").problems if p.code == "section_wrong_type"]
    assert {p.location for p in wrong} == {"$.gameData.factions", "$.gameData.inventory.items"}
    assert all(p.severity is Severity.WARNING for p in wrong)


def test_invalid_cases_usable_slots_stay_usable(invalid_doc):
    for key in ("save_empty-gameData", "save_missing-playtime", "save_wrong-types", "save_version-string"):
        slot = invalid_doc.slot(key)
        assert isinstance(slot.payload, dict) and slot.game_data is not None
    assert invalid_doc.slot("save_version-missing").display_payload["version"] == 1
    assert invalid_doc.slot("save_missing-playtime").playtime is None
    assert "index_missing" in _codes(invalid_doc.problems)


# --------------------------------------------------------------------------- profile edge cases
@pytest.fixture(scope="module")
def slot1_text(game_fixtures) -> str:
    return (game_fixtures / "saves" / "save_slot1.fresh.json").read_text("utf-8")


def _profile(**keys) -> bytes:
    return json.dumps(keys).encode()


def test_corrupt_index(slot1_text):
    doc = load_bytes(_profile(save_slot1=slot1_text, save_metadata="{not json", tutorial_skipped="true"), "p.json")
    assert doc.index is None and [s.slot_id for s in doc.slots] == ["slot1"]
    p = next(p for p in doc.problems if p.code == "index_corrupt")
    assert p.severity is Severity.WARNING and p.slot == "save_metadata"
    assert p.location.startswith("line 1, column 2") and "getSaveSlots() returns an empty list" in p.message
    assert doc.slots[0].status is SlotStatus.OK and doc.profile_flags == {"tutorial_skipped": "true"}


def test_array_index(slot1_text):
    doc = load_bytes(_profile(save_slot1=slot1_text, save_metadata="[1,2,3]"), "p.json")
    p = next(p for p in doc.problems if p.code == "index_array")
    assert "treats it as empty" in p.message and doc.slots[0].status is SlotStatus.OK


def test_index_overwritten_by_a_slot_named_metadata(slot1_text):
    payload = dict(json.loads(slot1_text), slot="metadata")
    payload["metadata"] = {"timestamp": 1, "slotType": "manual", "label": "metadata"}
    doc = load_bytes(_profile(save_slot1=slot1_text, save_metadata=json.dumps(payload)), "p.json")
    assert doc.index is None
    assert [s.slot_id for s in doc.slots] == ["slot1", "metadata"]
    assert "index_overwritten" in _codes(doc.problems)
    meta_slot = doc.slot("metadata")
    assert meta_slot.key == "save_metadata" and meta_slot.status is SlotStatus.OK


def test_index_and_payload_mismatches(slot1_text):
    index = {"slot1": {"timestamp": 1762106410000, "playtime": 10000, "version": 1, "slotType": "manual",
                       "label": "First!", "snapshotSource": "worldStateStore"},
             "slot9": {"timestamp": 1, "label": "Nine", "slotType": "manual"}}
    doc = load_bytes(_profile(save_slot1=slot1_text, save_slot2=slot1_text.replace('"slot1"', '"slot2"'),
                              save_metadata=json.dumps(index)), "p.json")
    missing = [p for p in doc.problems if p.code == "index_missing_payload"]
    assert len(missing) == 1 and '"slot9"' in missing[0].message and missing[0].location == "$.slot9"
    assert doc.slot("slot1").label == "First!" and doc.slot("slot1").in_index
    slot2 = doc.slot("slot2")
    assert not slot2.in_index and "payload_not_in_index" in _codes(slot2.problems)


def test_one_bad_slot_does_not_stop_the_others(slot1_text):
    doc = load_bytes(_profile(save_a="{", save_b=slot1_text, save_c="\"\\ud800\"", save_d=5), "p.json")
    assert [s.status for s in doc.slots] == [SlotStatus.ERROR, SlotStatus.OK, SlotStatus.ERROR, SlotStatus.ERROR]
    assert "value_not_string" in _codes(doc.slot("d").problems)


def test_nested_duplicate_keys_name_the_key_and_the_path():
    doc = load_bytes(_profile(save_x='{"version":1,"timestamp":1,"playtime":1,"gameData":{},"playtime":2}'), "p.json")
    dup = next(p for p in doc.slot("x").problems if p.code == "duplicate_key")
    assert dup.slot == "save_x" and dup.location.startswith("$.playtime")
    assert doc.slot("x").playtime == 2


def test_non_normalised_key_is_flagged(slot1_text):
    doc = load_bytes(_profile(**{"save_My Slot": slot1_text}), "p.json")
    p = next(p for p in doc.slots[0].problems if p.code == "key_not_normalised")
    assert "my-slot" in p.message


def test_non_ascii_values_are_sized_in_utf8(slot1_text):
    text = slot1_text.replace('"slotLabel":"slot1"', '"slotLabel":"Café ’note’"')
    doc = load_bytes(_profile(save_slot1=text), "p.json")
    assert doc.slots[0].size_bytes == len(text.encode("utf-8"))
    assert doc.slots[0].label == "Café ’note’"


# --------------------------------------------------------------------------- whole-file errors
@pytest.mark.parametrize("data, code, words", [
    (b"", "empty", "empty"),
    (b'{"version":1,"gameData":{"a":', "truncated", "line 1, column 30 (byte 29)"),
    (bytes(range(256)) * 4, "binary", "Not a text/JSON file"),
    (b'{"a":"\xff"}', "invalid_utf8", "byte 6"),
    (b"[" * 5000 + b"]" * 5000, "too_deep", "nested deeper than 1024 levels"),
    (b'{"version": NaN}', "nan_literal", "NaN is not valid JSON"),
    (b"null", "unrecognised", "JSON null"),
    (b"[1,2]", "unrecognised", "a JSON array of 2 items"),
    (b'{"hello": "world"}', "unrecognised", "Expected a localStorage profile export"),
    (b"{}", "unrecognised", "an empty JSON object"),
])
def test_whole_file_errors_are_located(data, code, words):
    with pytest.raises(LoadError) as info:
        load_bytes(data, "bad.json")
    p = info.value.problem
    assert p.severity is Severity.ERROR and p.code == code and p.file == "bad.json"
    assert words.lower() in p.describe().lower()


def test_utf16_profile_loads_with_a_notice(game_fixtures):
    text = (game_fixtures / "saves" / "save_slot2.midgame.json").read_text("utf-8")
    data = text.encode("utf-16")
    doc = load_bytes(data, "slot2-utf16.json")
    assert doc.slots[0].status is SlotStatus.OK
    assert doc.size_bytes == len(data) and doc.slots[0].size_bytes == len(text.encode("utf-8"))
    assert _codes(doc.problems) == ["wide_text"]


def test_huge_integer_in_a_payload_is_kept_and_noted(slot1_text):
    text = slot1_text.replace('"playtime":10000', f'"playtime":{2 ** 70}', 1)
    doc = load_bytes(text.encode(), "big.json")
    assert doc.root["playtime"] == 2 ** 70
    assert "big_integer" in _codes(doc.problems)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(LoadError) as info:
        load_path(tmp_path / "nope.json")
    assert info.value.problem.code == "file_missing" and "nope.json" in str(info.value)
    with pytest.raises(LoadError) as info:
        load_path(tmp_path)
    assert info.value.problem.code == "is_directory"


# --------------------------------------------------------------------------- read-only, progress, cancel
def test_inputs_are_never_modified(game_fixtures):
    files = [p for p in game_fixtures.rglob("*.json")]
    before = {p: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest()) for p in files}
    for p in files:
        try:
            load_path(p)
        except LoadError:
            pass
    after = {p: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest()) for p in files}
    assert after == before


def test_progress_reports_reading_and_slots(game_fixtures, monkeypatch):
    import inspector_app.core.loading.loader as loader_mod
    monkeypatch.setattr(loader_mod, "READ_CHUNK", 64 * 1024)
    calls = []
    path = game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"
    load_path(path, progress=lambda d, t, text="": calls.append((d, t, text)))
    size = path.stat().st_size
    reads = [c for c in calls if c[2].startswith("Reading profile1")]
    assert reads[-1][:2] == (size, size) and len(reads) >= size // (64 * 1024)
    slot_texts = [c[2] for c in calls if "slot" in c[2] and c[2].startswith("Reading slot")]
    assert len(slot_texts) == 4 and "save_before-memory-parlor" in slot_texts[1]


def test_cancel_while_reading(game_fixtures, monkeypatch):
    import inspector_app.core.loading.loader as loader_mod
    monkeypatch.setattr(loader_mod, "READ_CHUNK", 64 * 1024)
    seen = []
    with pytest.raises(LoadCancelled):
        load_path(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json",
                  progress=lambda d, t, text="": seen.append(d), cancelled=lambda: len(seen) >= 2)
    assert len(seen) == 2


def test_cancel_between_slots(game_fixtures):
    texts = []

    def cancelled() -> bool:
        return sum(1 for t in texts if t.startswith("Reading slot")) >= 2

    with pytest.raises(LoadCancelled):
        load_path(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json",
                  progress=lambda d, t, text="": texts.append(text), cancelled=cancelled)
    assert sum(1 for t in texts if t.startswith("Reading slot")) == 2


# --------------------------------------------------------------------------- fuzz
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["version", "gameData", "save_a", "save_metadata", "slot", "meta", "timestamp", "playtime",
                         "generatedAt", "source", "factions", "tutorial", "x"]), children, max_size=5),
    max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_only_ever_raise_load_error(data):
    try:
        doc = load_bytes(data, "fuzz.json")
    except LoadError as err:
        assert err.problem.message and err.problem.severity is Severity.ERROR
        return
    assert doc.kind in DocumentKind


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, st.booleans())
def test_arbitrary_json_shapes_only_ever_raise_load_error(value, nest_as_string):
    if nest_as_string and isinstance(value, dict):
        value = {k: json.dumps(v) for k, v in value.items()}
    try:
        doc = load_bytes(json.dumps(value).encode(), "fuzz.json")
    except LoadError:
        return
    for slot in doc.slots:
        assert slot.status in SlotStatus
        assert all(p.message for p in slot.problems)


# --------------------------------------------------------------------------- checks inside profile values
def test_big_integer_inside_a_profile_value_is_kept(slot1_text):
    text = slot1_text.replace('"playtime":10000', f'"playtime":{2 ** 70}', 1)
    doc = load_bytes(_profile(save_slot1=text), "p.json")
    slot = doc.slots[0]
    assert slot.payload["playtime"] == 2 ** 70
    note = next(p for p in slot.problems if p.code == "big_integer")
    assert note.slot == "save_slot1" and note.location.startswith("$.playtime")


def test_duplicate_hidden_behind_escaped_colons_is_still_found():
    value = '{"version":1,"timestamp":1,"playtime":1,"note":"a\\u003ab\\u003Ac","gameData":{},"note":"x"}'
    doc = load_bytes(_profile(save_x=value), "p.json")
    assert any(p.code == "duplicate_key" and p.location.startswith("$.note") for p in doc.slots[0].problems)


def test_duplicate_keys_in_the_profile_itself(slot1_text):
    raw = '{"save_slot1": %s, "tutorial_completed": "true", "save_slot1": %s}' % (
        json.dumps("{}"), json.dumps(slot1_text))
    doc = load_bytes(raw.encode(), "p.json")
    dup = next(p for p in doc.problems if p.code == "duplicate_key")
    assert dup.location == "$.save_slot1" and dup.slot is None
    assert doc.slots[0].status is SlotStatus.OK        # the last value wins, as in the browser


def test_gc_state_is_restored_after_big_loads(game_fixtures, monkeypatch):
    import gc

    import inspector_app.core.common.gcpause as gp
    import inspector_app.core.loading.jsonparse as jp
    for module in (jp, gp):   # the pause lives in gcpause; jsonparse re-exports its thresholds
        monkeypatch.setattr(module, "GC_PAUSE_THRESHOLD", 1)
        monkeypatch.setattr(module, "GC_FREEZE_THRESHOLD", 1)
    path = game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"
    assert gc.isenabled()
    try:
        load_path(path)
        assert gc.isenabled()
        gc.disable()
        load_path(path)
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
    with pytest.raises(LoadError):
        load_bytes(b'{"a": ', "x.json")
    assert gc.isenabled()


def test_other_json_opens_as_a_plain_tree_only_when_asked(game_repo_fixtures):
    path = game_repo_fixtures / "benchmark-results" / "m1-profile-1761497254398.json"
    with pytest.raises(LoadError):
        load_path(path)  # validate and export stay strict
    doc = load_path(path, other_json=True)
    assert doc.kind is DocumentKind.OTHER_JSON and doc.slots == [] and doc.summary is None
    assert doc.root["metadata"]["timestamp"]
    assert [p.code for p in doc.problems] == ["other_json"]
