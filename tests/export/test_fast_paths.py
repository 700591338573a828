"""Issue 13: every fast path of the export build has a fallback, and both give the same bytes.

The fast paths (docs/export-deviations.md, "Build speed"): orjson's JSON text used as it is when
the rule of ``csvfmt._may_differ`` proves it equals ``JSON.stringify``'s (its token check by
memchr, then regexes past a limit); a CSV body joined and checked once; an already sanitised
spatial history kept as it is; the ISO text cache (tested in tests/core/test_jsfmt.py). Each test feeds values that miss a fast path and checks that the
fallback was taken and the output is what the exact (slow) path gives.
"""
from __future__ import annotations

import math
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.export import artifacts, csvfmt, summary
from inspector_app.core.export.artifacts import build_artifacts
from inspector_app.core.export.csvfmt import (
    csv_document,
    encode_csv_cell,
    js_json_text,
    json_compact,
    json_compact_each,
    json_pretty,
)


def _doubles() -> list[float]:
    rng = random.Random(13)
    values = []
    while len(values) < 20_000:
        x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(x):
            values.append(x)
    for e in range(-330, 309):
        for m in ("1", "1.5", "9.999999999999998", "2.5"):
            x = float(f"{m}e{e}")
            if math.isfinite(x):
                values += [x, -x]
    values += [rng.random() * 10 ** rng.randint(-12, 25) for _ in range(5_000)]
    values += [float(2 ** k) for k in range(80)] + [0.0, -0.0, 5e-324]
    return values


def test_the_fast_path_rule_holds_for_the_installed_orjson():
    assert csvfmt._RULE_HOLDS


def test_fast_path_rule_on_doubles_of_every_magnitude():
    """orjson's text of each double is used only when it equals JSON.stringify's (the exact
    pure-Python encoder, itself checked against node in test_js_json.py)."""
    values = _doubles()
    assert [json_compact(x) for x in values] == [js_json_text(x, indent=0) for x in values]
    assert json_compact(values) == js_json_text(values, indent=0)


@pytest.mark.parametrize("value", [
    {"integral": 2.0}, {"minus_zero": -0.0}, {"small": 1.5e-6}, {"small_exact": 3e-6}, {"big": 1e16},
    {"bigger": 1.2345678901234568e20}, {"int_beyond_2_53": 2 ** 53}, {"int_64": -(2 ** 63)},
])
def test_tokens_orjson_prints_differently_take_the_normalising_path(monkeypatch, value):
    calls = []
    real = csvfmt.js_normalise
    monkeypatch.setattr(csvfmt, "js_normalise", lambda v: calls.append(v) or real(v))
    assert json_pretty(value) == js_json_text(value, indent=2)
    assert json_compact(value) == js_json_text(value, indent=0)
    assert calls, "the fast path must not be used for a token orjson prints differently"


def _nested(levels: int) -> list:
    root: list = []
    node = root
    for _ in range(levels):
        node.append([1.5])
        node = node[-1]
    return root


@pytest.mark.parametrize("value", [
    {"huge": 2 ** 70}, {"surrogate": "a\ud800b"}, {1: "non-string key"}, {"deep": _nested(300)},
])
def test_what_orjson_cannot_emit_takes_the_pure_python_encoder(value):
    assert json_pretty(value) == js_json_text(value, indent=2)
    assert json_compact(value) == js_json_text(value, indent=0)


def test_strings_that_look_like_triggering_tokens_cost_only_the_slow_path():
    doc = {"a": "1.0", "b": "x+y", "c": "5e-6", "d": [1.5, 0.25], "t": 1762106784700}
    assert json_pretty(doc) == js_json_text(doc, indent=2)
    assert json_compact(doc) == js_json_text(doc, indent=0)


def test_without_the_rule_every_document_takes_the_exact_path(monkeypatch):
    monkeypatch.setattr(csvfmt, "_RULE_HOLDS", False)
    doc = {"f": [2.0, 1e-6, 1e16, 0.1], "i": [1, 2 ** 60], "s": "é\u2028\x1f"}
    assert json_pretty(doc) == js_json_text(doc, indent=2)


def test_json_compact_each_equals_one_call_per_value():
    plain = [{"stepId": "a", "completedAt": 1762106430000}, None, [1, "x"], {"v": 0.5}]
    assert json_compact_each(plain) == [json_compact(v) for v in plain]
    mixed = plain + [{"g": 2.0}, {"h": 2 ** 70}]        # one value misses the fast path: all exact
    assert json_compact_each(mixed) == [json_compact(v) for v in mixed]
    assert json_compact_each([]) == []


# --------------------------------------------------------------------------- CSV

def _cell_by_cell(header, rows, game_exact):
    lines = [",".join(header)] + [",".join(encode_csv_cell(v, game_exact=game_exact) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


CELL_CASES = [
    [["plain", 1, None, 2.5]],
    [["a,b", 'q"r', "l\nm", 7]],                                   # quoting
    [["=HYPERLINK(\"x\")", "+1", "@SUM(A1)", "\tx"]],              # formula starts
    [["-12", -1, "-2+3", "-"], ["x", "-1.5e-7", "a-b", "--x"]],   # minus: plain numbers stay
    [["carriage\rreturn", "x"]],                                     # CR: quoted by default
    [["one"], [""], [None]], [[None]], [[""]],                        # one-column rows
    [[[1, -2], {"a": 1}, True, 2 ** 60]],                             # JS String() of other values
    [["x,-y", "z"], ["a\n-b", "c"]],                                  # "-" after a separator inside a cell
    # the separator counts: one "," or LF in one cell of otherwise plain rows; empty rows
    [["a", "b"], ["c", "d,e"]], [["a", "b"], ["c\nd", "e"]], [["a", "b,"], ["c", "d"]],
    [[], ["a", "b"]], [["a,b"], []], [[], []],
]


@pytest.mark.parametrize("rows", CELL_CASES)
@pytest.mark.parametrize("game_exact", [False, True])
def test_csv_document_equals_the_cell_by_cell_encoding(rows, game_exact):
    header = tuple(f"c{i}" for i in range(max(len(r) for r in rows) or 1))
    assert csv_document(header, rows, game_exact=game_exact) == _cell_by_cell(header, rows, game_exact)


cells = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 60), max_value=2 ** 60),
                  st.floats(allow_nan=False), st.text(alphabet=st.sampled_from(list("ab1-=+@\t\r\n,\"' ")), max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cells, max_size=5), max_size=6), st.booleans())
def test_csv_document_fast_paths_equal_the_cell_by_cell_encoding(rows, game_exact):
    header = ("h",)
    assert csv_document(header, rows, game_exact=game_exact) == _cell_by_cell(header, rows, game_exact)


# --------------------------------------------------------------------------- spatial history

def _clean_samples(n: int) -> list[dict]:
    return [{"cellCount": 60 + i, "maxBucketSize": 2, "trackedEntities": 20 + i, "timestamp": 1761843600000 + i}
            for i in range(n)]


def _slow(history: list) -> list:
    return [s for s in (summary._sample(h) for h in history) if s is not None]


def test_a_sanitised_history_is_kept_as_it_is(monkeypatch):
    history = _clean_samples(60) + [{"cellCount": -1, "maxBucketSize": 0, "trackedEntities": 0, "timestamp": 0}]
    real = summary._sample
    monkeypatch.setattr(summary, "_sample", lambda raw: pytest.fail("the fast path walked a clean history")
                        if raw in history else real(raw))
    clean, text = summary._sanitize_history(history)
    assert clean == history and clean is not history and all(a is b for a, b in zip(clean, history))
    assert text == json_compact(history)
    spatial = summary._sanitize_spatial({"history": history})
    assert spatial["payloadBytes"] == len(json_compact(history))


@pytest.mark.parametrize("bad", [
    {"cellCount": 1.5, "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4},        # float
    {"cellCount": 2.0, "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4},        # integral float
    {"cellCount": True, "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4},       # bool
    {"cellCount": "7", "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4},        # numeric string
    {"cellCount": None, "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4},       # null
    {"maxBucketSize": 2, "cellCount": 1, "trackedEntities": 3, "timestamp": 4},          # key order
    {"cellCount": 1, "maxBucketSize": 2, "trackedEntities": 3},                          # missing key
    {"cellCount": 1, "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4, "x": 5},  # extra key
    {"cell1Count": 1, "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4},         # digit in a key
    {"cellCount": 2 ** 53, "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4},    # beyond 2**53
    {"cellCount": [1], "maxBucketSize": 2, "trackedEntities": 3, "timestamp": 4},        # nested
    [1, 2, 3, 4], "sample", None,                                                          # not an object
])
def test_any_other_history_is_sanitised_sample_by_sample(bad):
    history = _clean_samples(3) + [bad] + _clean_samples(2)
    clean, text = summary._sanitize_history(history)
    assert text is None
    assert clean == _slow(history)
    spatial = summary._sanitize_spatial({"history": history})
    assert spatial["history"] == _slow(history)
    assert spatial["payloadBytes"] == len(json_compact(_slow(history)))


def test_history_that_is_not_a_list_is_empty():
    assert summary._sanitize_history({"a": 1}) == ([], "[]")
    assert summary._sanitize_history(None) == ([], "[]")


# --------------------------------------------------------------------------- summary JSON, history left out of the check

def _summary_with(history: list, metadata: dict | None = None) -> dict:
    snapshot = {"event": "step_completed", "timestamp": 1761843600000, "stepId": "a",
                "metadata": metadata if metadata is not None else {"stepId": "a"}}
    return {"generatedAt": 1761843600000, "tutorial": {"snapshots": [snapshot]},
            "engine": {"spatialHash": {"cellSize": 64, "window": 120, "history": history}}}


def _summary_json(raw: dict) -> tuple[str, str]:
    """(the summary artifact's text, the pure-Python JSON.stringify of the sanitised summary)."""
    aset = build_artifacts(raw, formats=("json",))
    return aset.artifacts[0].content, js_json_text(aset.summary, indent=2) + "\n"


def _may_differ_by_regex(out: bytes) -> bool:
    """The rule's token check as one search per token kind over the whole text."""
    return (b"+" in out or csvfmt._INTEGRAL_FLOAT.search(out) is not None
            or csvfmt._EXPONENT_MINUS_6.search(out) is not None)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=40).map(lambda b: bytes(b"-.0e6 1x,}\n"[c % 11] for c in b)),
       st.sampled_from([0, 1, 2, 3, 32]))
def test_the_token_check_finds_what_the_regexes_find(out, limit):
    """``_may_differ`` looks at each "." and "-" (found by memchr) up to ``_FIND_LIMIT`` of them,
    then searches the rest with the regexes: same answer as the regexes on the whole text."""
    old = csvfmt._FIND_LIMIT
    csvfmt._FIND_LIMIT = limit
    try:
        assert csvfmt._may_differ(out) == _may_differ_by_regex(out)
    finally:
        csvfmt._FIND_LIMIT = old


@pytest.mark.parametrize("tail", [b"2.0}", b"-0.0]", b"1.5e-6,", b"1e+16\n", b"3e-6}"])
def test_a_token_past_the_find_limit_is_found_by_the_regexes(tail):
    dates = b",".join(b'"2025-11-02T18:00:%02d.500Z"' % i for i in range(40))   # 40 "." and 80 "-"
    clean = b"[" + dates + b",0.25,-3,12]"
    assert not csvfmt._may_differ(clean)
    assert csvfmt._may_differ(b"[" + dates + b"," + tail)


def test_the_summary_json_takes_orjson_text_and_checks_the_whole_output(monkeypatch):
    """The summary artifact is ``json_pretty`` of the sanitised summary: orjson's indented text,
    checked once (a kept integer history has no "." and no "-": memchr skips it)."""
    checked: list[bytes] = []
    real = csvfmt._may_differ
    monkeypatch.setattr(csvfmt, "_may_differ", lambda out: checked.append(out) or real(out))
    monkeypatch.setattr(csvfmt, "js_normalise", lambda v: pytest.fail("the fast path missed"))
    content, exact = _summary_json(_summary_with(_clean_samples(60)))
    assert content == exact
    assert [c.decode("utf-8") for c in checked if b'"generatedIso"' in c] == [content]


@pytest.mark.parametrize("raw", [
    _summary_with(_clean_samples(5), {"x": 2.0}),                     # integral float outside the history
    _summary_with(_clean_samples(5), {"x": 1.5e-6, "y": 1e16}),       # exponent forms outside the history
    _summary_with(_clean_samples(5), {"x": 2 ** 60}),                 # integer beyond 2**53 outside it
    _summary_with(_clean_samples(2) + [{"cellCount": 2.0, "maxBucketSize": 1.5e-6, "trackedEntities": 1e16,
                                        "timestamp": 4}]),            # a history the sanitiser rebuilt
    _summary_with([]),                                                # empty history
    {"generatedAt": 5},                                               # no spatial hash
])
def test_the_summary_json_equals_the_pure_python_encoder(raw):
    content, exact = _summary_json(raw)
    assert content == exact


def test_without_the_rule_the_probed_summary_takes_the_exact_path(monkeypatch):
    monkeypatch.setattr(csvfmt, "_RULE_HOLDS", False)
    content, exact = _summary_json(_summary_with(_clean_samples(5), {"x": 2.0}))
    assert content == exact and '"x": 2\n' in content


# --------------------------------------------------------------------------- tutorial rows

def test_tutorial_rows_built_as_texts_equal_the_value_rows():
    """The tutorial CSV builder writes cell texts directly; they are the texts of the values
    the §5.6 row holds (checked with odd values: floats, bools, big and negative numbers)."""
    from inspector_app.core.export.artifacts import (
        TUTORIAL_CSV_HEADER,
        build_tutorial_snapshot_csv,
        snapshot_metadata_cell,
        snapshot_step_title,
    )
    from inspector_app.core.common.jsfmt import iso_from_ms

    snaps = [
        {"event": "step_completed", "timestamp": 1762106430000, "stepIndex": 0, "totalSteps": 5, "stepId": "a",
         "completedSteps": ["a", None, 3], "metadata": {"x": 2.0, "y": "=1"}},
        {"event": None, "timestamp": 1.7621064305e12, "stepIndex": -1, "totalSteps": True, "stepId": 7,
         "title": "=cmd", "completedSteps": "not a list", "promptId": "p"},
        {"event": 12, "timestamp": 2 ** 60, "stepIndex": 2.5, "totalSteps": 2 ** 55, "stepId": None},
        {"event": "x", "timestamp": 0, "stepIndex": "1", "totalSteps": None, "stepId": "-2+3", "title": 'say "hi", ok'},
        {"event": "y", "timestamp": -5, "completedSteps": []},
    ]

    def number(v):
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    rows = [(s.get("event") if s.get("event") is not None else "unknown", s.get("timestamp"),
             iso_from_ms(s.get("timestamp")) if s.get("timestamp") else None,
             number(s.get("stepIndex")), number(s.get("totalSteps")), s.get("stepId"), snapshot_step_title(s),
             "|".join(csvfmt.js_string(c) for c in s["completedSteps"]) if isinstance(s.get("completedSteps"), list)
             else "", snapshot_metadata_cell(s)) for s in snaps]
    for game_exact in (False, True):
        assert build_tutorial_snapshot_csv({"tutorial": {"snapshots": snaps}}, game_exact=game_exact) == \
            csv_document(TUTORIAL_CSV_HEADER, rows, game_exact=game_exact)


def _cascade_value_rows(summary: dict) -> list[tuple]:
    """The §5.5 rows as values (the builder's earlier shape), for the reference document."""
    from inspector_app.core.common.jsfmt import iso_from_ms
    from inspector_app.core.export.summary import resolve_faction_name

    factions = summary.get("factions") or {}
    rows = []
    last = factions.get("lastCascadeEvent")
    if isinstance(last, dict):
        occurred = last.get("occurredAt")
        rows.append(("last_event", last.get("targetFactionId"),
                     resolve_faction_name(last.get("targetFactionId"), last.get("targetFactionName")), None,
                     last.get("sourceFactionId"),
                     resolve_faction_name(last.get("sourceFactionId"), last.get("sourceFactionName")),
                     last.get("newAttitude"), occurred, iso_from_ms(occurred) if occurred else None, None))
    targets = [t for t in factions.get("cascadeTargets") or [] if isinstance(t, dict) and t.get("factionId")]
    targets.sort(key=artifacts._count, reverse=True)
    for t in targets:
        lc = t.get("lastCascade") if isinstance(t.get("lastCascade"), dict) else {}
        occurred = lc.get("occurredAt")
        sources = t.get("sources")
        rows.append(("target", t.get("factionId"), resolve_faction_name(t.get("factionId")), t.get("cascadeCount"),
                     lc.get("sourceFactionId"), resolve_faction_name(lc.get("sourceFactionId"), lc.get("sourceFactionName")),
                     lc.get("newAttitude"), occurred, iso_from_ms(occurred) if occurred else None,
                     "|".join(csvfmt.js_string(s) for s in sources) if isinstance(sources, list) else ""))
    return rows


@pytest.mark.parametrize("last", [
    {"targetFactionId": "vanguard_prime", "sourceFactionId": "cipher_collective", "newAttitude": "hostile",
     "occurredAt": 1762106430000},
    {"targetFactionId": 7, "targetFactionName": "=Named", "sourceFactionId": None, "sourceFactionName": "",
     "newAttitude": None, "occurredAt": 1.7621064305e12},
    {"targetFactionId": "x,y", "occurredAt": 0}, {"occurredAt": -5, "newAttitude": True}, "not an object", None,
])
def test_cascade_rows_built_as_texts_equal_the_value_rows(last):
    """The cascade CSV builder writes cell texts directly; they are the texts of the values the
    §5.5 rows hold (odd values: numbers as ids, floats, bools, big and negative numbers)."""
    targets = [
        {"factionId": "vanguard_prime", "cascadeCount": 2, "sources": ["a", "b"],
         "lastCascade": {"sourceFactionId": "luminari_syndicate", "occurredAt": 1762106430000, "newAttitude": "ally"}},
        {"factionId": "unknown_one", "cascadeCount": 2.5, "sources": ["a", None, 3, True],
         "lastCascade": {"sourceFactionId": 12, "sourceFactionName": "Named \"x\"", "occurredAt": 2 ** 60}},
        {"factionId": 42, "cascadeCount": True, "sources": "not a list", "lastCascade": "not an object"},
        {"factionId": "memory_keepers", "cascadeCount": -(2 ** 55), "lastCascade": {"sourceFactionId": "",
                                                                                     "occurredAt": -1}},
        {"factionId": "wraith_network", "cascadeCount": None, "sources": [],
         "lastCascade": {"sourceFactionId": "cipher_collective", "occurredAt": "1762106430000"}},
        {"factionId": "", "cascadeCount": 9}, {"cascadeCount": 3}, "not an object",
    ]
    summary = {"factions": {"lastCascadeEvent": last, "cascadeTargets": targets}}
    for game_exact in (False, True):
        assert artifacts.build_cascade_csv(summary, game_exact=game_exact) == \
            csv_document(artifacts.CASCADE_CSV_HEADER, _cascade_value_rows(summary), game_exact=game_exact)


# --------------------------------------------------------------------------- reading our CSV back

@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\r\n,\" a1.e")), max_size=8))
def test_a_neutralised_cell_reads_back_as_its_original_text(text):
    """D28 is reversible: the stdlib reader + csvfmt.unneutralised give back what was written."""
    import csv
    import io

    line = csv_document(("c", "d"), [[text, "x"]]).split("\n", 1)[1]
    cell = next(csv.reader(io.StringIO(line, newline="")))[0]
    assert csvfmt.unneutralised(cell) == text


@pytest.mark.parametrize("text, cell", [("'=x", "''=x"), ("''-1", "'" * 3 + "-1"), ("'hello", "'hello"),
                                        ("don't", "don't"), ("'", "'"), ("-12", "-12"), ("=x", "'=x")])
def test_a_text_that_already_starts_like_a_neutralised_cell_gets_one_more_quote(text, cell):
    assert encode_csv_cell(text) == cell and csvfmt.unneutralised(cell) == text
    assert encode_csv_cell(text, game_exact=True) == text


def test_the_transcript_csv_reader_gets_the_original_texts_back():
    from inspector_app.core.export.transcript import build_transcript_csv
    from inspector_app.core.transcript.sources import parse_transcript_csv

    hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "'=already quoted", "''-x",
               "-12", "don't", "plain"]
    entries = [{"sequence": i, "event": "tutorial_prompt", "promptId": f"p{i}", "title": text, "action": text,
                "timestamp": 1762106430000 + i, "timestampIso": None, "followUpNarrative": text, "metadata": None}
               for i, text in enumerate(hostile)]
    text = build_transcript_csv(entries)
    assert "'=HYPERLINK" in text and "''=already quoted" in text          # neutralised on disk
    parsed = parse_transcript_csv(text, "ours.csv").entries
    assert [e.title for e in parsed] == hostile
    assert [e.action for e in parsed] == hostile and [e.follow_up for e in parsed] == hostile


@pytest.mark.parametrize("value", [{"a": 1}, {"g": 2.0}, {"h": 2 ** 70}, {"deep": _nested(300)}, [], "x"])
def test_json_pretty_with_newline_appends_exactly_one(value):
    assert json_pretty(value, newline=True) == js_json_text(value, indent=2) + "\n"
