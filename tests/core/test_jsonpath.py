"""core/common/jsonpath: one key → one path, in every place that names a place in a document."""
from __future__ import annotations

import csv
import io

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.common.jsonpath import format_component, format_path, parse_path
from inspector_app.core.diff import ItemKey, diff_json
from inspector_app.core.export.selection import search_results_artifact, subtree_artifact
from inspector_app.core.loading.loader import load_bytes
from inspector_app.core.search import search_json
from inspector_app.core.transcript.snapshot_diff import structural_diff

ODD_KEYS = {
    "$ref": '$["$ref"]',
    "café": "$.café",
    "a.b": '$["a.b"]',
    "x[0]": '$["x[0]"]',
    'q"uote': '$["q\\"uote"]',
    "it's": '$["it\'s"]',
    "": '$[""]',
    "2nd": '$["2nd"]',
    "met-the-broker": '$["met-the-broker"]',
    "with space": '$["with space"]',
    "tab\there": '$["tab\\there"]',
    "zero\u200bwidth": '$["zero\u200bwidth"]',
    "plain_name1": "$.plain_name1",
    "Ωmega": "$.Ωmega",
}


@pytest.mark.parametrize("key, expected", sorted(ODD_KEYS.items()))
def test_odd_keys_print_one_way_and_parse_back(key, expected):
    assert format_path((key,)) == expected
    assert parse_path(expected) == (key,)


def test_paths_with_indices_and_display_components():
    assert format_path(()) == "$"
    assert format_path(("gameData", "quests", 3, "odd key")) == '$.gameData.quests[3]["odd key"]'
    assert parse_path('$.gameData.quests[3]["odd key"]') == ("gameData", "quests", 3, "odd key")
    assert parse_path("$['single']['it\\'s']") == ("single", "it's")
    assert format_path(("items", ItemKey("id", "credits"), "quantity")) == "$.items[id=credits].quantity"
    assert format_component(ItemKey("", "case_file")) == "[case_file]"
    assert format_path(("lone\ud800surrogate",)) == '$["lone\\ud800surrogate"]'


@pytest.mark.parametrize("bad", ["", "gameData", "$.", "$..a", "$[", "$[x]", '$["open', "$[1", "$a", "$['open"])
def test_parse_rejects_malformed_paths_with_a_column(bad):
    with pytest.raises(ValueError, match=r"column|starts with"):
        parse_path(bad)


keys = st.one_of(st.text(max_size=8), st.integers(min_value=0, max_value=10 ** 6))


@given(st.lists(keys, max_size=6))
def test_format_then_parse_round_trips(parts):
    assert parse_path(format_path(parts)) == tuple(parts)


def test_search_tree_diff_export_and_problems_name_a_key_the_same_way():
    """``$ref`` and ``café`` used to print differently in search and in the loader's problems."""
    doc = {"gameData": {"$ref": {"café": "needle"}}}
    expected = '$.gameData["$ref"].café'
    (hit,) = search_json(doc, "needle", keys=False).hits
    assert hit.json_path == expected
    (entry,) = diff_json(doc, {"gameData": {"$ref": {"café": "moved"}}}).entries
    assert format_path(entry.path) == expected
    (change,) = structural_diff(doc, {"gameData": {"$ref": {"café": "moved"}}})
    assert change.path == expected
    rows = list(csv.reader(io.StringIO(subtree_artifact(doc["gameData"], ("gameData",), "x.csv", "csv").content)))
    assert rows[1][0] == expected
    hits = orjson.loads(search_results_artifact(search_json(doc, "needle"), "s.json", "json").content)["hits"]
    assert [h["path"] for h in hits] == [expected]
    # the loader names a place the same way (a wrong-typed slice of gameData)
    payload = b'{"version": 1, "timestamp": 1762106784700, "gameData": {"factions": []}}'
    doc_loaded = load_bytes(payload, "odd.json")
    locations = [p.location for s in doc_loaded.slots for p in s.problems] + [p.location for p in doc_loaded.problems]
    assert any(loc and loc.startswith("$.gameData.factions") for loc in locations), locations
