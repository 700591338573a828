"""jsonparse: located errors for every odd input, and the cheap duplicate / big-int checks."""
from __future__ import annotations

import codecs
import json

import pytest
from hypothesis import given, settings, strategies as st

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.loading.jsonparse import (
    MAX_DEPTH, JsonParseError, describe_value, locate, locate_bytes, parse_json,
)


def _err(data) -> JsonParseError:
    with pytest.raises(JsonParseError) as info:
        parse_json(data)
    return info.value


def test_valid_document_has_no_notes():
    parsed = parse_json(b'{"a": [1, 2, {"b": "c:d"}]}')
    assert parsed.value == {"a": [1, 2, {"b": "c:d"}]}
    assert parsed.notes == []


def test_truncated_file_names_line_column_and_expectation():
    text = b'{"version":1,"gameData":{"quests":{"byId":{'
    err = _err(text)
    assert err.code == "truncated"
    assert (err.line, err.column, err.offset) == (1, len(text) + 1, len(text))
    assert err.located_message() == (
        f"line 1, column {len(text) + 1} (byte {len(text)}): unexpected end of data, "
        "expected a property name in double quotes or '}' (truncated file?)")


def test_error_on_a_later_line_counts_lines_and_columns():
    err = _err(b'{\n  "a": 1,\n  "b": [1, 2,]\n}')
    assert (err.line, err.column) == (3, 13)
    assert err.code == "trailing_comma"


def test_columns_count_characters_but_offset_counts_bytes():
    err = _err('{"é": "ü", x}'.encode())
    assert err.line == 1 and err.column == 12      # 11 characters before the x
    assert err.offset == 13                          # é and ü are two bytes each


def test_str_input_reports_character_offsets():
    err = _err('{"é": x}')
    assert err.offset_unit == "character" and err.offset == 6


def test_empty_and_whitespace():
    assert _err(b"").code == "empty"
    assert "empty" in _err(b"").reason
    err = _err(b"  \n\t ")
    assert err.code == "empty" and "only whitespace" in err.reason
    assert _err("").code == "empty"


def test_utf8_bom_is_accepted_and_noted():
    parsed = parse_json(codecs.BOM_UTF8 + b'{"a": 1}')
    assert parsed.value == {"a": 1}
    assert [n.code for n in parsed.notes] == ["utf8_bom"]


def test_bom_offsets_are_file_offsets():
    err = _err(codecs.BOM_UTF8 + b'{"a": }')
    assert err.offset == 9 and err.column == 7


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_are_decoded_with_a_note(codec):
    parsed = parse_json('{"label": "Before Memory Parlor!", "n": [1, 2]}'.encode(codec))
    assert parsed.value == {"label": "Before Memory Parlor!", "n": [1, 2]}
    assert [n.code for n in parsed.notes] == ["wide_text"]
    assert "UTF-" in parsed.notes[0].message


def test_broken_utf16_gives_a_clear_error():
    err = _err(codecs.BOM_UTF16_LE + b'{\x00"\x00\x00\xd8')  # lone high surrogate, cut
    assert err.code == "encoding" and "UTF-16" in err.reason


def test_invalid_utf8_is_located_by_byte():
    data = b'{"a": "ok",\n "b": "caf\xe9"}'
    err = _err(data)
    assert err.code == "invalid_utf8"
    assert err.offset == data.index(b"\xe9")
    assert (err.line, err.column) == (2, 11)
    assert "0xe9" in err.reason


@pytest.mark.parametrize("blob, words", [
    (bytes(range(256)) * 8, "binary data"),
    (b"\x1f\x8b\x08\x00" + bytes(100), "gzip"),
    (b"SQLite format 3\x00" + bytes(100), "SQLite"),
    (b"PK\x03\x04" + bytes(50), "ZIP"),
])
def test_binary_garbage_is_not_a_text_file(blob, words):
    err = _err(blob)
    assert err.code == "binary"
    assert "not a text/JSON file" in err.reason and words in err.reason


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_named(literal):
    err = _err(f'{{"playtime": {literal}}}'.encode())
    assert err.code == "nan_literal"
    assert literal.lstrip("-") in err.reason and "not valid JSON" in err.reason
    assert err.line == 1


def test_deep_nesting_says_how_deep_and_where():
    err = _err(b"[" * 5000 + b"]" * 5000)
    assert err.code == "too_deep"
    assert f"nested deeper than {MAX_DEPTH} levels" in err.reason
    assert err.line == 1 and err.column == MAX_DEPTH + 2


def test_nesting_within_the_limit_parses():
    depth = MAX_DEPTH - 1
    assert parse_json(b"[" * depth + b"]" * depth).value is not None


def test_huge_integer_is_kept_exactly_and_noted():
    parsed = parse_json(b'{"a": {"big": ' + str(2 ** 70).encode() + b', "neg": -' + str(2 ** 64).encode() + b'}}')
    assert parsed.value["a"]["big"] == 2 ** 70
    assert parsed.value["a"]["neg"] == -(2 ** 64)
    assert isinstance(parsed.value["a"]["big"], int)
    note = [n for n in parsed.notes if n.code == "big_integer"]
    assert note and "$.a.big" in note[0].message and "$.a.neg" in note[0].message


def test_long_digit_runs_inside_strings_are_not_big_integers():
    parsed = parse_json(b'{"id": "12345678901234567890123", "n": 18446744073709551615}')
    assert parsed.value["n"] == 2 ** 64 - 1
    assert parsed.notes == []


def test_duplicate_keys_are_reported_with_paths_last_wins():
    parsed = parse_json(b'{"a": 1, "b": {"c": [{"d": 1, "d": 2}]}, "a": 3}')
    assert parsed.value == {"a": 3, "b": {"c": [{"d": 2}]}}
    paths = sorted(n.path for n in parsed.notes if n.code == "duplicate_key")
    assert paths == ["$.a", "$.b.c[0].d"]
    assert all(n.severity == "warning" for n in parsed.notes)


def test_duplicate_keys_in_text_input():
    parsed = parse_json('{"version": 1, "version": 2}')
    assert parsed.value == {"version": 2}
    assert [n.path for n in parsed.notes] == ["$.version"]


def test_colons_in_strings_and_escapes_do_not_raise_false_duplicates():
    parsed = parse_json(b'{"t": "12:30:00", "u": "a\\u003ab", "k:ey": {"x": "::"}}')
    assert parsed.value["u"] == "a:b"
    assert parsed.notes == []


def test_other_syntax_errors_are_explained():
    assert _err(b"{'a': 1}").code == "single_quote"
    assert _err(b"// hi\n{}").code == "comment"
    assert _err(b'{"a": undefined}').code == "js_literal"
    assert _err(b"[1] [2]").code == "trailing_content"
    err = _err(b'{"a" 1}')
    assert err.code == "json_syntax" and "expected" in err.reason


def test_helpers():
    assert format_path(["gameData", "quests", 3, "odd key"]) == '$.gameData.quests[3]["odd key"]'
    assert locate("ab\ncd", 4) == (2, 2)
    assert locate_bytes("é\nxé".encode(), 5) == (2, 3)
    assert describe_value(None) == "JSON null"
    assert describe_value([1, 2]) == "a JSON array of 2 items"
    assert describe_value(5) == "the JSON number 5"
    assert describe_value("hello") == 'the JSON string "hello"'


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_parse_or_raise_json_parse_error(data):
    try:
        parsed = parse_json(data)
    except JsonParseError as err:
        assert err.reason
        return
    if not parsed.notes:  # plain UTF-8 JSON: the stdlib must agree
        assert parsed.value == json.loads(data.decode("utf-8"))
