"""A big single save shown from its skeleton (issue 13 row 3): the World State tree parses a big
container in the worker when it is expanded ("Loading…" meanwhile), a part that cannot be read
is a located error row while the rest stays usable, and the window's consumers (search, the
Save Summary views, reveal) see what an eager load gives. Nothing expands everything."""
from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeView

from inspector_app.core.demo.synthetic import build_large_save
from inspector_app.core.loading.sections import LazyContainer, lazy_containers, loads_sectioned, materialize
from inspector_app.ui.models.json_tree_model import JsonTreeModel

pytestmark = pytest.mark.gui

SMALL = dict(chunk=4096, lazy_min=16384)


@pytest.fixture(scope="module")
def small_text() -> bytes:
    return build_large_save(300)


def _child(model: JsonTreeModel, parent, key):
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if model.path_for_index(index)[-1:] == (key,):
            return index
    raise AssertionError(f"no child {key!r}")


def _tree(qtbot, value, label="save_big.json") -> tuple[QTreeView, JsonTreeModel]:
    model = JsonTreeModel(value, label)
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    return view, model


def _items_index(view, model):
    root = model.index(0, 0)
    view.expand(root)
    game = _child(model, root, "gameData")
    view.expand(game)
    inventory = _child(model, game, "inventory")
    view.expand(inventory)
    return _child(model, inventory, "items")


def test_expanding_a_lazy_container_shows_loading_then_its_children(qtbot, small_text):
    skeleton, _ = loads_sectioned(bytearray(small_text), **SMALL)
    plain = orjson.loads(small_text)
    view, model = _tree(qtbot, skeleton)
    items = _items_index(view, model)
    assert type(model.value_for_index(items)) is LazyContainer
    n = len(plain["gameData"]["inventory"]["items"])
    assert model.hasChildren(items) and model.data(items.siblingAtColumn(3)) == f"{n:,} items"
    assert model.data(items.siblingAtColumn(2)) == "array"
    # previews show the first members of an unparsed part, never an object's repr
    assert model.data(items.siblingAtColumn(1)).startswith('[{"id": ')
    for index in (model.index(0, 0), items.parent()):
        assert "LazyContainer" not in model.data(index.siblingAtColumn(1))
        assert "LazyContainer" not in model.data(index, Qt.ItemDataRole.ToolTipRole)
    view.expand(items)
    assert model.rowCount(items) == 1 and model.data(model.index(0, 0, items)) == "Loading…"
    qtbot.waitUntil(lambda: not model.is_fetching and model.rowCount(items) == min(n, model.FETCH_CHUNK), timeout=10000)
    for row in (0, 5, model.rowCount(items) - 1):
        assert model.value_for_index(model.index(row, 0, items)) == plain["gameData"]["inventory"]["items"][row]
    assert model.path_for_index(model.index(5, 0, items)) == ("gameData", "inventory", "items", 5)
    assert model.materialized_count < 1500     # nothing but what was expanded


def test_the_details_of_an_unparsed_part_read_only_as_far_as_they_show(small_text, monkeypatch):
    from inspector_app.core.common.jsontext import pretty_json, pretty_json_excerpt

    skeleton, _ = loads_sectioned(bytearray(small_text), **SMALL)
    plain = orjson.loads(small_text)
    items = skeleton["gameData"]["inventory"]["items"]
    parsed = []
    real = LazyContainer.run_value
    monkeypatch.setattr(LazyContainer, "run_value", lambda self, index: parsed.append(index) or real(self, index))
    whole = pretty_json(plain).decode()
    excerpt = pretty_json_excerpt(items, limit=20_000)
    assert excerpt.startswith(pretty_json(plain["gameData"]["inventory"]["items"]).decode()[:19_000])
    assert "…truncated, more than 20,000 bytes total" in excerpt
    assert 0 < len(parsed) < len(items.runs) / 2          # only the runs the excerpt shows
    assert pretty_json_excerpt(skeleton, limit=10**9) == whole


def test_reveal_through_a_lazy_container_is_immediate(qtbot, small_text):
    skeleton, _ = loads_sectioned(bytearray(small_text), **SMALL)
    plain = orjson.loads(small_text)
    _, model = _tree(qtbot, skeleton)
    flag = list(plain["gameData"]["storyFlags"]["flags"])[-1]
    for path in (("gameData", "inventory", "items", 250, "name"), ("gameData", "storyFlags", "flags", flag, "value")):
        index = model.index_for_path(path)
        assert index.isValid() and model.path_for_index(index) == path
        expected = plain
        for key in path:
            expected = expected[key]
        assert model.value_for_index(index) == expected
    assert not model.index_for_path(("gameData", "storyFlags", "flags", "no such flag")).isValid()


def test_a_part_that_cannot_be_read_is_a_located_error_row_and_the_rest_stays_usable(qtbot, small_text):
    buffer = bytearray(small_text)
    skeleton, _ = loads_sectioned(buffer, **SMALL)
    items = skeleton["gameData"]["inventory"]["items"]
    start, _, _ = items.runs[0]
    at = buffer.index(b'"name"', start)
    buffer[at + 6] = ord("=")       # what a changed buffer would look like
    view, model = _tree(qtbot, skeleton)
    index = _items_index(view, model)
    view.expand(index)
    qtbot.waitUntil(lambda: not model.is_fetching, timeout=10000)
    assert model.rowCount(index) == 1
    error = model.lazy_error(model.index(0, 0, index))
    assert error and "save_big.json" in error and "$.gameData.inventory.items" in error and "line 1, column" in error
    assert not model.canFetchMore(index)
    # the rest of the document still opens
    story = _child(model, _child(model, model.index(0, 0), "gameData"), "storyFlags")
    view.expand(story)
    flags = _child(model, story, "flags")
    view.expand(flags)
    qtbot.waitUntil(lambda: not model.is_fetching and model.rowCount(flags) > 1, timeout=10000)
    assert model.value_for_index(model.index(0, 0, flags)) == next(iter(orjson.loads(small_text)["gameData"]
                                                                        ["storyFlags"]["flags"].values()))


def _open_big_save(qtbot, window, tmp_path) -> dict:
    """Open a ~4.2 MB save (read as a skeleton) in the window; its plain value."""
    data = build_large_save(9000)
    path = tmp_path / "save_big.json"
    path.write_bytes(data)
    window.open_path(path)
    qtbot.waitUntil(lambda: bool(window.documents()) and not window.is_loading(), timeout=60000)
    return orjson.loads(data)


def test_the_window_shows_a_big_save_from_its_skeleton(qtbot, window, tmp_path):
    plain = _open_big_save(qtbot, window, tmp_path)
    slot = window.documents()[0].slots[0]
    assert slot.sections is not None and not slot.is_materialised
    # after the first rows, the worker compresses the unparsed text and the buffer goes
    lazy = list(lazy_containers(slot.sections))
    qtbot.waitUntil(lambda: all(c.source is None for c in lazy), timeout=60000)
    tree = window.findChild(QTreeView, "stateTree")
    model = tree.model()
    assert model.value_for_index(model.index(0, 0)) is slot.sections
    # the Save Summary views: built in the worker, the inventory read run by run
    qtbot.waitUntil(lambda: "inventory" in window.domain_views.views, timeout=60000)
    inventory = window.domain_views.views["inventory"]
    assert inventory.fact("Items") == str(len(plain["gameData"]["inventory"]["items"]))
    assert inventory.table("items").values("id")[-1] == plain["gameData"]["inventory"]["items"][-1]["id"]
    # search reads the whole save in its worker, and a hit reveals through the lazy items
    panel = window.search_panel
    panel.edit.setText("sample 8999")
    panel.search_now()
    qtbot.waitUntil(lambda: not panel.is_searching and panel.last_result is not None, timeout=60000)
    hit = panel.last_result.hits[0]
    assert hit.path[:3] == ("gameData", "inventory", "items")
    window.state_inspector.reveal_path(hit.path)
    assert window.state_inspector.current_path() == tuple(hit.path)
    assert materialize(model.value_for_index(tree.currentIndex())) == plain["gameData"]["inventory"]["items"][
        hit.path[3]][hit.path[4]]
    # the chain to the hit: the items up to it (as for any big array), none of their insides
    assert model.materialized_count < hit.path[3] + 200
    # a followed value is found in the worker (the pin names the item by its id) and revealed
    from inspector_app.core.pins import pin_from_node

    path = ("gameData", "inventory", "items", 4321, "quantity")
    pin = pin_from_node(plain, path)
    window.state_inspector.reveal_path(("version",))
    window.open_followed_save(window.session.current.key, pin)
    qtbot.waitUntil(lambda: window.state_inspector.current_path() == path, timeout=60000)
    # and following a node of the lazy items makes the same pin, in the worker
    with qtbot.waitSignal(window.state_inspector.sigFollowRequested, timeout=60000) as followed:
        window.state_inspector.follow_current()
    assert followed.args[0] == pin


def test_copy_value_of_a_big_lazy_node_is_made_in_the_worker(qtbot, window, tmp_path, monkeypatch):
    """Copy Value of an unparsed part parses and writes it in the worker (the status bar shows
    its progress, with Cancel); the clipboard gets exactly the pretty JSON of the plain value.
    Cancel leaves the clipboard alone."""
    import threading

    from PySide6.QtWidgets import QApplication

    from inspector_app.core.common.jsontext import pretty_json
    from inspector_app.ui.workers import live_task_count

    plain = _open_big_save(qtbot, window, tmp_path)
    # the Save Summary views' build (which reads the lazy parts too) is done first
    qtbot.waitUntil(lambda: live_task_count() == 0, timeout=60000)
    inspector = window.state_inspector
    assert inspector.reveal_path(("gameData", "inventory", "items"))
    threads = []
    real = LazyContainer.run_value
    monkeypatch.setattr(LazyContainer, "run_value",
                        lambda self, index: threads.append(threading.current_thread()) or real(self, index))
    clipboard = QApplication.clipboard()
    clipboard.setText("before")
    action = inspector.findChild(type(inspector.copy_value_action), "actionCopyValue")
    action.trigger()
    task = inspector.copy_task()
    assert task is not None and clipboard.text() == "before"
    assert window.progress.isVisible() and window.progress.format().startswith("Copying items…")
    qtbot.waitUntil(lambda: inspector.copy_task() is None, timeout=60000)
    assert clipboard.text() == pretty_json(plain["gameData"]["inventory"]["items"]).decode()
    assert threads and threading.main_thread() not in threads
    assert not window.progress.isVisible()
    # cancelled: the clipboard keeps what it had (the worker waits for the click)
    gate = threading.Event()
    monkeypatch.setattr(LazyContainer, "run_value", lambda self, index: gate.wait(30) and real(self, index))
    clipboard.setText("kept")
    action.trigger()
    assert inspector.copy_task() is not None
    window.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: inspector.copy_task() is None, timeout=60000)
    assert clipboard.text() == "kept" and not window.progress.isVisible()


def test_pretty_text_of_a_skeleton_is_the_plain_values_pretty_json(small_text):
    from inspector_app.core.common.jsontext import pretty_json
    from inspector_app.core.loading.sections import pretty_text

    for option in (0, orjson.OPT_INDENT_2):
        skeleton, _ = loads_sectioned(bytearray(orjson.dumps(orjson.loads(small_text), option=option)), **SMALL)
        steps = []
        for node in (skeleton, skeleton["gameData"], skeleton["gameData"]["inventory"]["items"],
                     skeleton["gameData"]["factions"]):
            assert pretty_text(node, progress=lambda done, total, _text: steps.append((done, total))) \
                == pretty_json(materialize(node))
        assert steps and steps[-1][0] == steps[-1][1]
