"""Structural diff: each kind, keyed arrays, capped buffers, deep and odd input."""
from __future__ import annotations

import pytest

from inspector_app.core.diff import DiffCancelled, DiffKind, ItemKey, diff_json


def kinds(result):
    return {(e.path, e.kind) for e in result.entries}


def test_identical_values_give_an_empty_result():
    value = {"a": [1, 2, {"b": None}], "c": "x"}
    result = diff_json(value, {"a": [1, 2, {"b": None}], "c": "x"})
    assert result.is_empty and result.entries == [] and result.total == 0


def test_each_kind_on_a_small_object():
    old = {"same": 1, "gone": True, "num": 1, "typ": "5", "nested": {"x": 1}}
    new = {"same": 1, "num": 2, "typ": 5, "nested": {"x": 1, "y": [1]}, "fresh": None}
    result = diff_json(old, new)
    assert kinds(result) == {
        (("gone",), DiffKind.REMOVED),
        (("num",), DiffKind.CHANGED),
        (("typ",), DiffKind.TYPE_CHANGED),
        (("nested", "y"), DiffKind.ADDED),
        (("fresh",), DiffKind.ADDED),
    }
    changed = next(e for e in result.entries if e.path == ("num",))
    assert (changed.old, changed.new, changed.old_path, changed.new_path) == (1, 2, ("num",), ("num",))
    removed = next(e for e in result.entries if e.kind is DiffKind.REMOVED)
    assert removed.new_path is None and removed.reveal == ("a", ("gone",))
    assert result.counts[DiffKind.ADDED] == 2


def test_numbers_compare_by_value_but_bool_is_not_a_number():
    assert diff_json({"x": 1}, {"x": 1.0}).is_empty
    result = diff_json({"x": [True]}, {"x": [1]})
    assert [(e.path, e.kind) for e in result.entries] == [(("x", 0), DiffKind.TYPE_CHANGED)]


def test_whole_value_type_change_is_one_root_entry():
    result = diff_json([1], {"a": 1})
    assert [(e.path, e.kind) for e in result.entries] == [((), DiffKind.TYPE_CHANGED)]


def test_records_are_matched_by_id_not_by_index():
    old = {"items": [{"id": "a", "q": 1}, {"id": "b", "q": 1}, {"id": "c", "q": 1}]}
    new = {"items": [{"id": "a", "q": 1}, {"id": "x", "q": 9}, {"id": "b", "q": 1}, {"id": "c", "q": 2}]}
    result = diff_json(old, new)
    assert kinds(result) == {
        (("items", ItemKey("id", "x")), DiffKind.ADDED),
        (("items", ItemKey("id", "c"), "q"), DiffKind.CHANGED),
    }
    change = next(e for e in result.entries if e.kind is DiffKind.CHANGED)
    assert change.old_path == ("items", 2, "q") and change.new_path == ("items", 3, "q")


def test_keyed_records_that_changed_order_are_moved():
    old = [{"stepId": s} for s in ("a", "b", "c", "d")]
    new = [{"stepId": s} for s in ("a", "c", "d", "b")]
    result = diff_json(old, new)
    assert [(e.path, e.kind, e.old, e.new) for e in result.entries] == [
        ((ItemKey("stepId", "b"),), DiffKind.MOVED, 1, 3)]


def test_the_element_that_stayed_put_is_not_reported_as_moved():
    old = [{"id": "p"}, {"id": "s"}]
    new = [{"id": "q"}, {"id": "s"}, {"id": "p"}]
    moved = [(e.path, e.old, e.new) for e in diff_json(old, new).entries if e.kind is DiffKind.MOVED]
    assert moved == [((ItemKey("id", "p"),), 0, 2)]


def test_sets_of_strings_report_members_not_indices():
    result = diff_json({"active": ["case_001"]}, {"active": ["case_002"]})
    assert kinds(result) == {
        (("active", ItemKey("", "case_002")), DiffKind.ADDED),
        (("active", ItemKey("", "case_001")), DiffKind.REMOVED),
    }


def test_capped_buffer_reports_appends_and_drops_not_shifted_indices():
    history = [{"event": f"e{i}", "t": i} for i in range(10)]
    newer = history[3:] + [{"event": f"e{i}", "t": i} for i in range(10, 13)]
    result = diff_json({"h": history}, {"h": newer})
    assert result.notes[("h",)] == "3 entries appended, 3 dropped from the front"
    assert sorted((e.kind.value, e.path) for e in result.entries) == sorted(
        [("removed", ("h", i)) for i in range(3)] + [("added", ("h", j)) for j in range(7, 10)])
    assert result.counts[DiffKind.CHANGED] == 0


def test_newest_first_buffer_grows_at_the_front():
    old = [{"npc": "a", "recordedAt": 3}, {"npc": "b", "recordedAt": 2}, {"npc": "a", "recordedAt": 1}]
    new = [{"npc": "c", "recordedAt": 5}, {"npc": "c", "recordedAt": 4}] + old[:1]
    result = diff_json(old, new)
    assert result.notes[()] == "2 entries added at the front, 2 dropped from the end"
    assert {e.kind for e in result.entries} == {DiffKind.ADDED, DiffKind.REMOVED}


def test_buffer_that_wrapped_completely_is_recognised_by_time():
    old = [{"v": 1, "timestamp": 10}, {"v": 2, "timestamp": 20}]
    new = [{"v": 9, "timestamp": 30 + i} for i in range(4)]
    result = diff_json(old, new)
    assert result.notes[()] == "4 entries appended, 2 dropped from the front"
    assert result.counts[DiffKind.CHANGED] == 0


def test_plain_arrays_compare_by_index():
    result = diff_json([1, 2, 3], [1, 5, 3, 4])
    assert [(e.path, e.kind) for e in result.entries] == [((1,), DiffKind.CHANGED), ((3,), DiffKind.ADDED)]


def test_deeply_nested_input_does_not_hit_the_recursion_limit():
    old: list = []
    new: list = []
    a, b = old, new
    for _ in range(20_000):
        a.append([])
        b.append([])
        a, b = a[0], b[0]
    b.append("deep")
    result = diff_json(old, new)
    assert result.total == 1
    assert len(result.entries[0].path) == 20_001 and result.entries[0].kind is DiffKind.ADDED


def test_cancel_stops_the_walk():
    big_a = {str(i): {"v": i} for i in range(20_000)}
    big_b = {str(i): {"v": i + 1} for i in range(20_000)}
    with pytest.raises(DiffCancelled):
        diff_json(big_a, big_b, cancelled=lambda: True)


def test_progress_reaches_the_total_and_max_entries_truncates_but_counts_stay_exact():
    a = {"k": [{"v": i} for i in range(3000)]}
    b = {"k": [{"v": -i - 1} for i in range(3000)]}
    seen = []
    result = diff_json(a, b, progress=lambda done, total, text="": seen.append((done, total)), max_entries=100)
    assert seen and seen[-1][0] == seen[-1][1]
    assert result.truncated and len(result.entries) == 100 and result.counts[DiffKind.CHANGED] == 3000


@pytest.mark.parametrize("odd", [None, 5, "x", [], {}, float("inf"), {1: "non-str key"}, (1, 2), {"s": {1, 2}}])
def test_odd_values_never_raise(odd):
    result = diff_json(odd, {"a": odd})
    assert result.total >= 1
    assert diff_json(odd, odd).is_empty
