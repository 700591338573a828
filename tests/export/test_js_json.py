"""JSON text exactly as the game's JSON.stringify writes it, for anything the loader accepts
(issue 9: huge numbers, deep nesting; issue 13: orjson fast path where the bytes provably match)."""
from __future__ import annotations

import json
import math
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.core.export import csvfmt
from inspector_app.core.export.csvfmt import js_json_text, json_compact, json_pretty
from inspector_app.core.export.summary import sanitize_summary

SPECIAL = [1e-7, 1.5e-7, 1e-6, 1e-5, 0.00001234, 1e16, 1e20, 1e21, 2.0, -0.0, 0.1, 123456789012345678.0, 5e-324,
           1.7976931348623157e308, "\x1f\x00\x7f\u2028\"\\/é😀", 2 ** 63, 2 ** 64 + 1, 10 ** 400, -(2 ** 70),
           2 ** 53 + 1, {"a": [], "b": {}, "c": [1, {"d": None, "e": True}]}, [], {}, "x", 12, -12.5,
           math.nan, math.inf, {"s": "a\": 1.5", "t": [1.5, "x\": 2.0\n"]}, "\ud800 lone"]


def _deep(levels: int) -> list:
    root: list = []
    node = root
    for i in range(levels):
        child = {"k": [i, 0.5]}
        node.append(child)
        node = child["k"]
    return root


def _js_source(v) -> str:
    """The value as a JS literal (numbers as the double JSON.parse would make)."""
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if v is None:
        return "null"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ",".join(_js_source(x) for x in v) + "]"
    return "{" + ",".join(json.dumps(k) + ":" + _js_source(x) for k, x in v.items()) + "}"


@pytest.mark.skipif(shutil.which("node") is None, reason="node (the game's runtime) is not installed")
def test_matches_node_json_stringify(tmp_path):
    values = SPECIAL + [_deep(300), _deep(500)]
    script = tmp_path / "stringify.js"
    script.write_text("function deep(n){const root=[];let node=root;for(let i=0;i<n;i++){const c={k:[i,0.5]};"
                      "node.push(c);node=c.k;}return root;}\n"
                      "const vals=[" + ",".join(_js_source(v) for v in SPECIAL) + ",deep(300),deep(500)];\n"
                      "process.stdout.write(JSON.stringify(vals.map(v=>[JSON.stringify(v,null,2),JSON.stringify(v)])));",
                      encoding="utf-8", errors="surrogatepass")
    expected = json.loads(subprocess.run(["node", str(script)], capture_output=True, text=True, check=True,
                                         timeout=60).stdout)
    for value, (pretty, compact) in zip(values, expected):
        assert json_pretty(value) == pretty
        assert json_compact(value) == compact
        assert js_json_text(value, indent=2) == pretty
        assert js_json_text(value, indent=0) == compact


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2 ** 80), max_value=2 ** 80)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_fast_path_equals_the_pure_python_encoder(value):
    assert json_pretty(value) == js_json_text(value, indent=2)
    assert json_compact(value) == js_json_text(value, indent=0)


def test_huge_numbers_and_deep_nesting_export_without_error():
    summary = {"generatedAt": 10 ** 20, "engine": {"spatialHash": {"payloadBytes": 2 ** 70, "history": []}},
               "tutorial": {"snapshots": [{"event": "x", "timestamp": 1e20, "metadata": {"deep": _deep(900)}}]}}
    clean = sanitize_summary(summary)
    text = json_pretty(clean)
    assert '"generatedAt": 100000000000000000000' in text
    assert '"payloadBytes": 1.1805916207174113e+21' in text       # JS: exponent from 1e21 on
    assert "\"timestamp\": 100000000000000000000," in text and text.count("\"k\": [") == 900


def test_the_fast_path_does_not_walk_the_value_in_python(monkeypatch):
    """Issue 13: plain documents go straight through orjson (no js_normalise walk)."""
    def fail(_value):
        raise AssertionError("js_normalise walked a document orjson prints like JS")

    monkeypatch.setattr(csvfmt, "js_normalise", fail)
    doc = {"a": [1, 2, {"b": "c: 1.5,"}], "t": 1762106784700, "f": 2.5, "iso": "2025-11-02T18:06:24.700Z"}
    expected = ('{\n  "a": [\n    1,\n    2,\n    {\n      "b": "c: 1.5,"\n    }\n  ],\n'
                '  "t": 1762106784700,\n  "f": 2.5,\n  "iso": "2025-11-02T18:06:24.700Z"\n}')
    assert json_pretty(doc) == expected
    assert json_compact({"stepId": "welcome", "completedAt": 1762106430000}) == \
        '{"stepId":"welcome","completedAt":1762106430000}'


@pytest.mark.parametrize("value, text", [({"g": 2.0}, '{"g":2}'), ([1e-6], "[0.000001]"), ([1e16], "[10000000000000000]"),
                                         ([2 ** 60], "[1152921504606847000]"), ([-0.0, 1.5], "[0,1.5]")])
def test_tokens_orjson_prints_differently_take_the_exact_path(value, text):
    assert json_compact(value) == text
