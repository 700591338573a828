"""Property tests: a value equals itself; every entry points at the values it reports."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from inspector_app.core.diff import DiffKind, diff_json

scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False, allow_infinity=False, width=16) \
    | st.sampled_from(["a", "b", "c", "id"])
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.sampled_from(["id", "x", "y", "z", "stepId"]), inner, max_size=4)
    | st.lists(st.fixed_dictionaries({"id": st.sampled_from(["p", "q", "r", "s"]), "v": inner}), max_size=4,
               unique_by=lambda d: d["id"]),
    max_leaves=25,
)


def resolve(value, path):
    for part in path:
        value = value[part]
    return value


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_a_value_has_no_differences_with_itself(value):
    assert diff_json(value, value).is_empty


@settings(max_examples=400, deadline=None)
@given(json_values, json_values)
def test_entries_point_at_what_they_report(a, b):
    result = diff_json(a, b)
    for e in result.entries:
        if e.kind is DiffKind.MOVED:
            assert (e.old_path[-1], e.new_path[-1]) == (e.old, e.new)
            ka, kb = resolve(a, e.old_path), resolve(b, e.new_path)
            assert (ka["id"] == kb["id"]) if isinstance(ka, dict) else ka == kb
            continue
        if e.old_path is not None:
            assert resolve(a, e.old_path) is e.old
        if e.new_path is not None:
            assert resolve(b, e.new_path) is e.new
        if e.kind is DiffKind.ADDED:
            assert e.old_path is None
        if e.kind is DiffKind.REMOVED:
            assert e.new_path is None


@settings(max_examples=300, deadline=None)
@given(json_values, json_values)
def test_empty_diff_means_equal_values(a, b):
    if diff_json(a, b).is_empty:
        assert a == b
        assert diff_json(b, a).is_empty
    else:
        assert not diff_json(b, a).is_empty
