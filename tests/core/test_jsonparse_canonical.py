"""jsonparse's fast path: a text equal to orjson's own serialisation of its value needs no scans.

Every case below either takes the fast path (``is_canonical`` True) and has nothing to report, or
falls back to the scans, which report exactly what they reported before. The property test checks
the one thing the fast path must never do: hide a duplicate key or a rounded integer.
"""
from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import given, settings, strategies as st

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.loading.jsonparse import is_canonical, parse_json
from inspector_app.core.loading.loader import load_bytes
from inspector_app.core.loading.split import starts_as_string_object


def _canonical(text: bytes | str) -> bool:
    return is_canonical(text, orjson.loads(text))


def _dups(parsed) -> list[str]:
    return sorted(n.path for n in parsed.notes if n.code == "duplicate_key")


# -- the fast path -----------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    b'{"a":1,"b":[1,2.5,{"c":"d:e"}],"t":"12:30:00"}',                   # compact (JSON.stringify)
    b'{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}',                # JSON.stringify(v, null, 2)
    b'{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}\n',              # ... and a trailing newline
    b'{"a":"say \\"hi\\": ok","b":"\\":"}',                               # strings holding `":`
    b'{"k\\\\":"v\\\\\\""}',                                              # escaped backslashes and quotes
    '{"é":"ü — ok","n":-0.5}'.encode(),                                   # UTF-8, not escaped
    b'[18446744073709551615,-9223372036854775808,12345678901234567000]',  # 19-20 digit ints that fit
    b'{"ctl":"a\\nb\\u001f"}',                                            # the escapes orjson writes
])
def test_game_layouts_take_the_fast_path_and_report_nothing(text):
    assert _canonical(text)
    assert _canonical(text.decode())              # a stored save string (str) as well
    parsed = parse_json(text)
    assert parsed.value == json.loads(text) and parsed.notes == []


def test_every_game_file_is_canonical(game_fixtures):
    """The real game's output (JSON.stringify in Node) is byte for byte one of orjson's layouts,
    so the fast path is what real saves and profile exports take."""
    checked = 0
    for path in sorted((game_fixtures / "saves").glob("*.json")):
        assert _canonical(path.read_bytes()), path.name
        checked += 1
    for path in sorted((game_fixtures / "localstorage").glob("profile*.json")):
        data = path.read_bytes()
        assert _canonical(data), path.name
        for key, value in orjson.loads(data).items():
            if value.startswith("{"):
                assert _canonical(value), f"{path.name} {key}"
                checked += 1
    assert checked >= 10


# -- the fallback: each reports what it reported before -------------------------------------------
def test_a_duplicate_at_depth_is_not_canonical_and_is_reported():
    text = b'{"a":{"b":[{"c":1,"c":2}]},"d":"x"}'
    assert not _canonical(text)
    assert _dups(parse_json(text)) == ["$.a.b[0].c"]


def test_a_duplicate_whose_value_holds_quote_colon_is_reported():
    text = b'{"a":"\\":\\":","a":"\\":"}'
    assert not _canonical(text)
    parsed = parse_json(text)
    assert parsed.value == {"a": '":'} and _dups(parsed) == ["$.a"]


def test_a_big_integer_is_not_canonical_and_is_kept_exactly():
    text = b'{"a":[1,123456789012345678901234567890]}'
    assert not _canonical(text)        # orjson made it a float, which it writes differently
    parsed = parse_json(text)
    assert parsed.value["a"][1] == 123456789012345678901234567890
    assert [n.code for n in parsed.notes] == ["big_integer"]


def test_unicode_escapes_fall_back_and_still_find_a_hidden_duplicate():
    plain = b'{"a":"\\u00e9\\u003a"}'
    assert not _canonical(plain)       # orjson writes \u00e9 as UTF-8 and \u003a as ":"
    assert parse_json(plain).value == {"a": "é:"} and parse_json(plain).notes == []
    hidden = b'{"note":{"x\\u003a":1,"x\\u003a":2}}'
    assert _dups(parse_json(hidden)) == ['$.note["x:"]']


@pytest.mark.parametrize("text", [
    b'{"a": 1, "b": [1, 2]}',                       # Python's json.dumps spacing
    b'{\n    "a": 1\n}',                            # four-space indentation
    b'{\r\n  "a": 1\r\n}',                          # CRLF
    b' {"a":1}',                                    # leading space
    b'{"a":1.0e2}',                                 # a number orjson writes as 100.0
])
def test_other_layouts_fall_back_to_the_scans(text):
    assert not _canonical(text)
    assert parse_json(text).value == json.loads(text)


def test_scalars_and_empty_containers_use_the_scans():
    assert not is_canonical(b"5", 5)
    assert not is_canonical(b"{}", {})
    assert parse_json(b"123456789012345678901234").value == 123456789012345678901234


def test_deeper_than_orjson_writes_falls_back():
    depth = 300                                     # orjson parses 1024 levels, writes 254
    text = b"[" * depth + b"]" * depth
    assert not _canonical(text)
    assert parse_json(text).notes == []


# -- the small-profile split (top-level duplicates answered while parsing) ----------------------
def test_small_profiles_start_as_string_objects_and_single_saves_do_not():
    assert starts_as_string_object(b'{\n  "save_a": "{\\"v\\":1}"\n}')
    assert starts_as_string_object(b' { "k\\"x" :"v"}')
    assert not starts_as_string_object(b'{"version":1,"gameData":{}}')
    assert not starts_as_string_object(b'["a"]')
    assert not starts_as_string_object(b'\xef\xbb\xbf{"a":"b"}')


def test_a_repeated_profile_key_is_still_reported(game_fixtures):
    slot = (game_fixtures / "saves" / "save_slot1.fresh.json").read_text(encoding="utf-8")
    text = orjson.dumps({"save_slot1": slot}).decode()
    data = (text[:-1] + ',"save_slot1":' + json.dumps(slot) + "}").encode()
    doc = load_bytes(data, "dup.localStorage.json")
    assert [p.location for p in doc.problems if p.code == "duplicate_key"] == ["$.save_slot1"]
    assert [s.slot_id for s in doc.slots] == ["slot1"]


# -- property: the fast path never hides a duplicate or a rounded integer ----------------------
_keys = st.sampled_from(["a", "b", "c", 'q"', "k:", "é", "\\"])
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(alphabet='ab:"\\é\n', max_size=6))
# an object is a list of pairs, so a key may repeat
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4).map(lambda xs: ("list", xs)),
    st.lists(st.tuples(_keys, inner), max_size=4).map(lambda ps: ("obj", ps))), max_leaves=20)


def _write(node: Any, indent: int | None, depth: int = 0) -> str:
    """Serialise (duplicates kept) compact, or indented like JSON.stringify(v, null, indent)."""
    if not isinstance(node, tuple):
        return json.dumps(node, ensure_ascii=False)
    kind, items = node
    if not items:
        return "[]" if kind == "list" else "{}"
    parts = [_write(v, indent, depth + 1) if kind == "list" else
             json.dumps(k, ensure_ascii=False) + (": " if indent else ":") + _write(v, indent, depth + 1)
             for k, v in (items if kind == "obj" else [(None, x) for x in items])]
    open_, close = ("[", "]") if kind == "list" else ("{", "}")
    if not indent:
        return open_ + ",".join(parts) + close
    pad, inner = "\n" + " " * indent * depth, "\n" + " " * indent * (depth + 1)
    return open_ + inner + ("," + inner).join(parts) + pad + close


class _Pairs(list):
    pass


def _reference(text: str) -> tuple[Any, list[str]]:
    """The stdlib's value (exact integers, last key wins) and the path of every repeated key in it."""
    found: list[str] = []

    def walk(node: Any, parts: list) -> Any:
        if isinstance(node, _Pairs):
            last: dict = {}
            for k, v in node:
                if k in last and format_path(parts + [k]) not in found:
                    found.append(format_path(parts + [k]))
                last[k] = v
            # as the loader does: what a dropped value held is not looked into
            return {k: walk(v, parts + [k]) for k, v in last.items()}
        if isinstance(node, list):
            return [walk(v, parts + [i]) for i, v in enumerate(node)]
        return node

    return walk(json.loads(text, object_pairs_hook=_Pairs), []), sorted(found)


@settings(max_examples=300, deadline=None)
@given(_values, st.sampled_from([None, 2, 4]), st.booleans())
def test_fast_path_never_hides_a_duplicate_or_a_big_integer(tree, indent, newline):
    text = _write(tree, indent) + ("\n" if newline else "")
    value, duplicates = _reference(text)
    parsed = parse_json(text.encode())
    assert parsed.value == value
    assert _dups(parsed) == duplicates
    assert any(n.code == "big_integer" for n in parsed.notes) == _has_big_int(value)


def _has_big_int(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_big_int(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_big_int(v) for v in value)
    return isinstance(value, int) and not isinstance(value, bool) and not -(2 ** 63) <= value < 2 ** 64
