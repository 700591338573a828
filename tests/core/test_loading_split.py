"""The big-profile fast path gives exactly what orjson gives, or steps aside."""
from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.demo.synthetic import build_synthetic_profile
from inspector_app.core.loading.loader import load_bytes
from inspector_app.core.loading.split import split_string_object

tricky = st.text(alphabet=st.sampled_from(list('",:{}[] \\ab\n')), max_size=12)
keys = st.text(min_size=1, max_size=12) | tricky.filter(bool)
values = st.text(max_size=60) | tricky | st.builds(lambda d: orjson.dumps(d).decode(),
                                          st.dictionaries(st.text(max_size=5), st.text(max_size=8), max_size=4))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=8), st.booleans())
def test_split_never_disagrees_with_orjson(obj, pretty):
    """Either the exact same object, or None (the general parser takes over) — never a
    different object."""
    data = orjson.dumps(obj, option=orjson.OPT_INDENT_2 if pretty else 0)
    result = split_string_object(data)
    assert result is None or result == orjson.loads(data)
    if pretty:  # one entry per line always applies to pretty exports
        assert result == orjson.loads(data)


@pytest.mark.parametrize("text", [
    b'{"a": "x", "b": "y"}',            # spaces after the comma: not a shape we split
    b'{"a":"x","a":"y"}',               # duplicate key: the general parser reports it
    b'{"a":"x","b":5}',                 # non-string value
    b'{"a":"x",\n"b":{"c":"d"}\n}',    # nested object
    b'\xef\xbb\xbf{"a":"x","b":"y"}',   # byte-order mark
    b'{"a":"x","b":"\xff"}',            # invalid UTF-8
    b'[1, 2]',
    b'{}',
])
def test_split_steps_aside_when_it_does_not_apply(text):
    assert split_string_object(text) is None


def test_big_profile_loads_the_same_through_the_fast_path():
    data = build_synthetic_profile(6 * 1024 * 1024)
    doc = load_bytes(data, "big.json")
    root = orjson.loads(data)
    assert _as_text(doc.root) == root
    assert [s.key for s in doc.slots] == [k for k in root if k.startswith("save_") and k != "save_metadata"]
    assert all(s.payload == orjson.loads(root[s.key]) for s in doc.slots)


def _as_text(d):
    return {k: v.decode("utf-8") if isinstance(v, bytes) else v for k, v in d.items()}


def test_compact_big_profile_is_split_too():
    data = orjson.dumps(orjson.loads(build_synthetic_profile(6 * 1024 * 1024)))
    assert b"\n" not in data
    assert _as_text(split_string_object(data)) == orjson.loads(data)


def test_big_wide_values_come_back_as_utf8_bytes():
    wide = "’" + "x" * (2 * 1024 * 1024)
    data = orjson.dumps({"save_a": wide, "save_b": "small’"}, option=orjson.OPT_INDENT_2)
    out = split_string_object(data)
    assert out["save_a"] == wide.encode("utf-8") and out["save_b"] == "small’"


def test_compact_export_with_a_trailing_newline_is_split():
    data = b'{"save_a":"{\\"v\\":1}","save_metadata":"{}"}\n'
    assert split_string_object(data) == orjson.loads(data)


def test_big_pretty_profile_is_streamed_from_the_file(tmp_path):
    from inspector_app.core.loading.loader import load_path

    data = build_synthetic_profile(6 * 1024 * 1024)
    path = tmp_path / "profile.json"
    path.write_bytes(data)
    seen = []
    doc = load_path(path, progress=lambda done, total, text="": seen.append((done, total, text)))
    assert _as_text(doc.root) == orjson.loads(data)
    assert doc.size_bytes == len(data)
    assert any(text == "Reading the profile" for _d, _t, text in seen)
    assert path.read_bytes() == data


def test_streaming_steps_aside_for_a_broken_big_file(tmp_path):
    from inspector_app.core.loading.document import LoadError
    from inspector_app.core.loading.loader import load_path

    data = build_synthetic_profile(6 * 1024 * 1024)
    path = tmp_path / "truncated.json"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LoadError) as err:
        load_path(path)
    assert err.value.problem.location and "line" in err.value.problem.location
