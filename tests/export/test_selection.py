"""Subtree and search-result exports (core): content and the shared writer's guarantees."""
from __future__ import annotations

import orjson
import pytest

from inspector_app.core.export.selection import iter_leaves, search_results_artifact, subtree_artifact, write_selection
from inspector_app.core.search import search_json

VALUE = {"a": {"b": [1, 2.5, None], "c": "x,\"y\"", "e": {}}, "f": [], "g": True}


def test_leaves_in_document_order_with_empty_containers_kept():
    leaves = list(iter_leaves(VALUE))
    assert [p for p, _ in leaves] == [("a", "b", 0), ("a", "b", 1), ("a", "b", 2), ("a", "c"), ("a", "e"), ("f",), ("g",)]


def test_deep_values_do_not_hit_the_recursion_limit():
    deep: list = []
    node = deep
    for _ in range(20000):
        node.append([])
        node = node[0]
    node.append(7)
    assert list(iter_leaves(deep))[-1][1] == 7


def test_subtree_json_and_csv():
    art = subtree_artifact(VALUE["a"], ("gameData", "a"), "a.json", "json")
    assert orjson.loads(art.content) == VALUE["a"] and art.content.endswith("\n")
    csv = subtree_artifact(VALUE["a"], ("gameData", "a"), "a.csv", "csv").content.splitlines()
    assert csv[0] == "path,type,value"
    assert csv[1] == "$.gameData.a.b[0],number,1"
    assert csv[3] == "$.gameData.a.b[2],null,null"
    assert csv[4] == '$.gameData.a.c,string,"x,""y"""'   # the game's CSV quoting (§5.7)
    assert csv[5] == "$.gameData.a.e,object,{}"


def test_search_results_export_keeps_query_and_counts():
    result = search_json(VALUE, "x", limit=10)
    data = orjson.loads(search_results_artifact(result, "r.json", "json").content)
    assert data["query"] == "x" and data["totalMatches"] == len(data["hits"]) == 1
    assert data["hits"][0]["path"] == "$.a.c"
    assert search_results_artifact(result, "r.csv", "csv").content.startswith("path,field,preview\n$.a.c,value,")


def test_written_atomically_and_never_over_an_existing_file(tmp_path):
    art = subtree_artifact(VALUE, (), "v.json", "json")
    metrics = write_selection(art, tmp_path)
    assert metrics.artifacts_written == 1 and orjson.loads((tmp_path / "v.json").read_bytes()) == VALUE
    (tmp_path / "v.json").write_text("keep\n")
    again = write_selection(art, tmp_path)
    assert again.artifacts_written == 0 and "exists" in again.writes[0].reason
    assert (tmp_path / "v.json").read_text() == "keep\n"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        subtree_artifact(VALUE, (), "v.xml", "xml")
