"""JS-compatible number, CSV and JSON formatting (spec telemetry-pipeline.md §5.7, §10)."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, strategies as st

from inspector_app.core.export.csvfmt import (
    csv_document,
    encode_csv_cell,
    filename_timestamp,
    iso_from_ms,
    js_number,
    json_compact,
    json_pretty,
)


@pytest.mark.parametrize("value, expected", [
    (52, "52"), (52.0, "52"), (-0.0, "0"), (0.1, "0.1"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"),
    (1e-6, "0.000001"), (6.29e-6, "0.00000629"), (1e21, "1e+21"), (1e16, "10000000000000000"),
    (1.2345678901234568e20, "123456789012345680000"), (1.5e300, "1.5e+300"), (69.9047619047619, "69.9047619047619"),
    (float("nan"), "NaN"), (float("inf"), "Infinity"), (2 ** 60, "1152921504606847000"), (True, "true"),
])
def test_js_number_matches_javascript_string_conversion(value, expected):
    assert js_number(value) == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_js_number_round_trips_and_json_agrees(x):
    text = js_number(x)
    assert float(text) == x or (x == 0 and float(text) == 0)
    # the JSON path prints every number exactly like String(x) does
    assert json_compact([x]) == f"[{text}]"


def test_csv_cells_quote_only_on_quote_comma_newline():
    assert encode_csv_cell(None) == ""
    assert encode_csv_cell("plain") == "plain"
    assert encode_csv_cell("a,b") == '"a,b"'
    assert encode_csv_cell('say "hi"') == '"say ""hi"""'
    assert encode_csv_cell("line1\nline2") == '"line1\nline2"'
    assert encode_csv_cell("carriage\r", game_exact=True) == "carriage\r"  # the game: a lone CR is not quoted
    assert encode_csv_cell("carriage\r") == '"carriage\r"'                 # ours: RFC 4180, CR is quoted
    assert encode_csv_cell(1762106400000) == "1762106400000"
    assert encode_csv_cell(False) == "false"


def test_csv_document_uses_lf_and_one_trailing_newline():
    assert csv_document(("a", "b"), []) == "a,b\n"
    assert csv_document(("a", "b"), [(1, None), ("x,y", 2.0)]) == 'a,b\n1,\n"x,y",2\n'


def test_json_pretty_matches_javascript_stringify_two_spaces():
    value = {"a": [], "b": {}, "c": [1, {"x": None, "y": 2.0, "z": "é\u2028"}], "d": 1e-7}
    expected = json.dumps({"a": [], "b": {}, "c": [1, {"x": None, "y": 2, "z": "é\u2028"}], "d": 0},
                          indent=2, ensure_ascii=False).replace('"d": 0', '"d": 1e-7')
    assert json_pretty(value) == expected


def test_iso_and_filename_timestamps():
    assert iso_from_ms(1762106784700) == "2025-11-02T18:06:24.700Z"
    assert iso_from_ms(0) == "1970-01-01T00:00:00.000Z"
    assert iso_from_ms(None) is None and iso_from_ms(math.inf) is None and iso_from_ms(1e300) is None
    assert filename_timestamp(1762106784700) == "20251102T180624Z"
    assert filename_timestamp(0) == "00000000T000000Z"
    assert filename_timestamp(None) == "00000000T000000Z"


@pytest.mark.parametrize("text, safe", [
    ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"),
    ("\r=1", "\"'\r=1\""), ("-", "'-"), ("--x", "'--x"),
    ("-12", "-12"), ("-1.5", "-1.5"), ("-1e-7", "-1e-7"), ("plain", "plain"), ("a=b", "a=b"),
])
def test_formula_cells_are_neutralised_by_default(text, safe):
    assert encode_csv_cell(text) == safe


def test_numbers_and_game_exact_mode():
    assert encode_csv_cell(-12) == "-12" and encode_csv_cell(-0.5) == "-0.5"     # plain numbers stay numbers
    assert encode_csv_cell("=1+1", game_exact=True) == "=1+1"
    rows = [("=cmd|' /C calc'!A0", "a\rb")]
    assert csv_document(("x", "y"), rows) == "x,y\n'=cmd|' /C calc'!A0,\"a\rb\"\n"
    assert csv_document(("x", "y"), rows, game_exact=True) == "x,y\n=cmd|' /C calc'!A0,a\rb\n"
