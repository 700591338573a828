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


# --------------------------------------------------------------------------- invalid inputs
def _mutate(data: bytes, how: str, where: int) -> bytes:
    """Break a JSON text the way hands and tools do: a comma dropped or added, a brace
    removed, a key unquoted, non-JSON whitespace."""
    def nth(sub: bytes) -> int:
        hits = [i for i in range(len(data)) if data.startswith(sub, i)]
        return hits[where % len(hits)] if hits else -1

    if how == "drop_comma":
        i = nth(b",")
        return data if i < 0 else data[:i] + data[i + 1:]
    if how == "add_comma":          # a trailing comma before } or a doubled one
        i = nth(b"}") if where % 2 else nth(b",")
        return data if i < 0 else data[:i] + b"," + data[i:]
    if how == "drop_brace":
        i = nth(b"}") if where % 2 else nth(b"{")
        return data if i < 0 else data[:i] + data[i + 1:]
    if how == "unquote_key":
        i = nth(b'":')
        if i < 0:
            return data
        start = data.rfind(b'"', 0, i)
        return data[:start] + data[start + 1:i] + data[i + 1:]
    if how == "odd_space":          # \v and \f are whitespace to bytes.strip(), not to JSON
        i = nth(b"\n") if where % 2 else nth(b",")
        return data if i < 0 else data[:i + 1] + (b"\x0b" if where % 3 else b"\x0c") + data[i + 1:]
    raise AssertionError(how)


def _orjson_verdict(data: bytes):
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return "invalid"


@settings(max_examples=250, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=8), st.booleans(),
       st.lists(st.tuples(st.sampled_from(["drop_comma", "add_comma", "drop_brace", "unquote_key", "odd_space"]),
                          st.integers(0, 50)), min_size=1, max_size=3))
def test_split_rejects_what_orjson_rejects(obj, pretty, mutations):
    """Issue 10 #1: a trailing comma, a missing comma, a missing brace or an unquoted key
    must never load through the fast path: it returns what orjson returns, or None."""
    data = orjson.dumps(obj, option=orjson.OPT_INDENT_2 if pretty else 0)
    for how, where in mutations:
        data = _mutate(data, how, where)
    result = split_string_object(data)
    verdict = _orjson_verdict(data)
    if verdict == "invalid":
        assert result is None
    else:
        assert result is None or result == verdict


def _big_pretty() -> bytes:
    text = orjson.loads(build_synthetic_profile(6 * 1024 * 1024))
    return orjson.dumps(text, option=orjson.OPT_INDENT_2)


@pytest.mark.parametrize("how", ["trailing_comma", "missing_comma"])
def test_big_pretty_profile_with_invalid_json_is_refused(how, tmp_path):
    """The 6 MB repro of issue 10 #1: orjson and JSON.parse reject it, so does the loader
    (from bytes and from a file), naming the line."""
    from inspector_app.core.loading.document import LoadError
    from inspector_app.core.loading.loader import load_path

    lines = _big_pretty().split(b"\n")
    if how == "trailing_comma":
        lines[-2] += b","
    else:
        lines[1] = lines[1].rstrip(b",")
    data = b"\n".join(lines)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(data)
    assert split_string_object(data) is None
    with pytest.raises(LoadError) as err:
        load_bytes(data, "big.json")
    assert err.value.problem.location and err.value.problem.location.startswith("line ")
    path = tmp_path / "big.json"
    path.write_bytes(data)
    with pytest.raises(LoadError):
        load_path(path)


def test_one_line_big_file_is_not_read_line_by_line(tmp_path):
    """The pretty-shape sniff reads a bounded prefix: a one-line file is never readline()d."""
    import io

    from inspector_app.core.loading.split import split_string_object_lines

    class Tracking(io.BytesIO):
        def readline(self, *a):  # pragma: no cover - must not be called
            raise AssertionError("readline of a one-line file")

    data = orjson.dumps({"save_a": "x" * (5 << 20)})
    assert split_string_object_lines(Tracking(data), len(data)) is None
