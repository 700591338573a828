"""JsonTreeModel: structure, laziness, paths, display."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from inspector_app.ui.models.json_tree_model import (
    COL_KEY, COL_SIZE, COL_TYPE, COL_VALUE, JSON_PATH_ROLE, PATH_ROLE, JsonTreeModel,
)

NESTED = {
    "version": 1,
    "gameData": {
        "factions": {"byId": {"luminari_syndicate": {"fame": 72.5, "attitudeHistory": [{"a": 1}, {"a": 2}, "x", None]}}},
        "flags": {"met-the-broker": True, "empty": {}, "none": []},
    },
    "meta": None,
}


def big_value(groups=1000, per_group=1000):
    """About groups * per_group * 2 nodes without building them one by one in Python loops."""
    row = [1, "x"]
    return {"groups": {f"g{i}": [row] * (per_group // 2) for i in range(groups)}, "flat": list(range(2500))}


def display(model, index, column):
    return model.data(index.siblingAtColumn(column), Qt.ItemDataRole.DisplayRole)


def test_qt_model_tester_passes_on_nested_data(qtmodeltester):
    model = JsonTreeModel(NESTED)
    qtmodeltester.check(model, force_py=False)
    # and again with everything on the way fetched
    model.index_for_path(("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory", 3))
    model.index_for_path(("gameData", "flags", "empty"))
    qtmodeltester.check(model)


def test_structure_rows_parents_and_key_order():
    model = JsonTreeModel(NESTED, root_label="save_slot1")
    assert model.rowCount() == 1
    root = model.index(0, 0)
    assert display(model, root, COL_KEY) == "save_slot1"
    assert model.hasChildren(root) and model.rowCount(root) == 0 and model.canFetchMore(root)
    model.fetchMore(root)
    assert [display(model, model.index(r, 0, root), COL_KEY) for r in range(model.rowCount(root))] == [
        "version", "gameData", "meta"]
    game = model.index(1, 0, root)
    assert model.parent(game) == root and not model.parent(root).isValid()
    assert model.hasChildren(game) and not model.hasChildren(model.index(0, 0, root))
    assert model.columnCount() == 4
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["Key", "Value", "Type", "Size"]


def test_columns_show_preview_type_and_size():
    model = JsonTreeModel(NESTED)
    fame = model.index_for_path(("gameData", "factions", "byId", "luminari_syndicate", "fame"))
    assert [display(model, fame, c) for c in range(4)] == ["fame", "72.5", "number", ""]
    faction = model.index_for_path(("gameData", "factions", "byId", "luminari_syndicate"))
    assert display(model, faction, COL_TYPE) == "object" and display(model, faction, COL_SIZE) == "2 keys"
    assert display(model, faction, COL_VALUE).startswith('{"fame": 72.5, "attitudeHistory": [{"a": 1}')
    history = model.index_for_path(("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory"))
    assert display(model, history, COL_SIZE) == "4 items" and display(model, history, COL_TYPE) == "array"
    item = model.index_for_path(("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory", 2))
    assert [display(model, item, c) for c in range(4)] == ["[2]", '"x"', "string", "1 char"]
    null = model.index_for_path(("meta",))
    assert display(model, null, COL_VALUE) == "null" and display(model, null, COL_TYPE) == "null"
    flag = model.index_for_path(("gameData", "flags", "met-the-broker"))
    assert display(model, flag, COL_TYPE) == "bool" and display(model, flag, COL_VALUE) == "true"
    assert model.data(flag, JSON_PATH_ROLE) == '$.gameData.flags["met-the-broker"]'
    assert model.data(flag, PATH_ROLE) == ("gameData", "flags", "met-the-broker")
    tip = model.data(faction.siblingAtColumn(COL_VALUE), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("$.gameData.factions.byId.luminari_syndicate\nobject 2 keys") and '"attitudeHistory"' in tip
    # one line even for multi-line strings
    model.set_root({"s": "a\nb"})
    assert display(model, model.index_for_path(("s",)), COL_VALUE) == '"a\\nb"'


def test_paths_round_trip_and_missing_paths_are_invalid():
    model = JsonTreeModel(NESTED)
    for path in [(), ("gameData",), ("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory", 1, "a"),
                 ("gameData", "flags", "none")]:
        index = model.index_for_path(path)
        assert index.isValid() and model.path_for_index(index) == path
    assert model.value_for_index(model.index_for_path(("gameData", "factions", "byId", "luminari_syndicate",
                                                        "attitudeHistory", 1))) == {"a": 2}
    for missing in [("nope",), ("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory", 9),
                    ("version", "x"), ("gameData", 0), ("gameData", "factions", "byId", "luminari_syndicate",
                                                        "attitudeHistory", "0")]:
        assert not model.index_for_path(missing).isValid()


def test_creation_over_a_million_nodes_builds_one_node():
    value = big_value()
    model = JsonTreeModel()
    model.set_root(value)
    assert model.materialized_count == 1
    root = model.index(0, 0)
    model.fetchMore(root)
    groups = model.index(0, 0, root)
    model.fetchMore(groups)  # the first chunk of 1000 groups
    assert model.rowCount(groups) == 1000
    g5 = model.index(5, 0, groups)
    model.fetchMore(g5)
    assert model.rowCount(g5) == 500
    assert model.materialized_count == 1 + 2 + 1000 + 500


def test_big_containers_fetch_in_chunks_and_index_for_path_fetches_only_what_is_needed():
    model = JsonTreeModel({"flat": list(range(2500))})
    root = model.index(0, 0)
    model.fetchMore(root)
    flat = model.index(0, 0, root)
    model.fetchMore(flat)
    assert model.rowCount(flat) == 1000 and model.canFetchMore(flat)
    index = model.index_for_path(("flat", 1500))
    assert index.isValid() and index.row() == 1500 and display(model, index, COL_VALUE) == "1500"
    assert model.rowCount(flat) == 2000 and model.canFetchMore(flat)
    assert model.materialized_count == 1 + 1 + 2000
    model.fetchMore(flat)
    assert model.rowCount(flat) == 2500 and not model.canFetchMore(flat)


def test_rows_inserted_signal_on_fetch(qtbot):
    model = JsonTreeModel({"flat": list(range(1200))})
    root = model.index(0, 0)
    model.fetchMore(root)
    flat = model.index(0, 0, root)
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.fetchMore(flat)
    parent, first, last = blocker.args
    assert parent == flat and (first, last) == (0, 999)


def test_set_root_resets():
    model = JsonTreeModel(NESTED)
    model.index_for_path(("gameData", "flags"))
    model.set_root([1, 2, 3], root_label="list")
    assert model.materialized_count == 1 and display(model, model.index(0, 0), COL_KEY) == "list"
    assert display(model, model.index_for_path((2,)), COL_VALUE) == "3"
    model.clear()
    assert model.rowCount() == 0 and not model.index_for_path(()).isValid()
    assert model.index(0, 0, QModelIndex()).isValid() is False
