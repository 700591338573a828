"""StateInspector: reveal, selection, details pane, clipboard actions, expand/collapse."""
from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from inspector_app.ui.models.json_tree_model import COL_VALUE
from inspector_app.ui.widgets import state_inspector as si_mod
from inspector_app.ui.widgets.state_inspector import StateInspector, pretty_json_excerpt
from inspector_app.ui.workers import live_task_count

DOC = {
    "version": 1,
    "gameData": {
        "factions": {
            "byId": {
                "luminari_syndicate": {"fame": 72.5, "attitudeHistory": [{"newAttitude": "friendly"}] * 5},
                "wraith_network": {"fame": 12, "tags": ["a", "b"]},
            }
        },
        "events": [{"i": i} for i in range(2500)],
    },
}


@pytest.fixture
def inspector(qtbot):
    widget = StateInspector()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    widget.set_document_value(DOC, "save_slot1")
    return widget


def test_tree_is_set_up_for_big_data(inspector):
    tree = inspector.tree
    assert tree.objectName() == "stateTree"
    assert tree.uniformRowHeights() and tree.alternatingRowColors()
    root = inspector.model.index(0, 0)
    assert tree.isExpanded(root)
    assert inspector.model.rowCount(root) == 2  # top-level keys visible, nothing deeper built
    assert inspector.model.materialized_count == 3
    assert inspector.current_path() in (None, ())  # Qt may make the root current on focus


def test_reveal_deep_path_expands_selects_and_shows_details(inspector, qtbot):
    path = ("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory", 3)
    with qtbot.waitSignal(inspector.sigPathSelected) as blocker:
        assert inspector.reveal_path(path)
    assert blocker.args == [path]
    assert inspector.current_path() == path
    index = inspector.tree.currentIndex()
    assert inspector.tree.selectionModel().isRowSelected(index.row(), index.parent())
    parent = index.parent()
    while parent.isValid():
        assert inspector.tree.isExpanded(parent)
        parent = parent.parent()
    assert inspector.path_field.text() == "$.gameData.factions.byId.luminari_syndicate.attitudeHistory[3]"
    assert orjson.loads(inspector.details.toPlainText()) == {"newAttitude": "friendly"}
    assert inspector.details.toPlainText() == '{\n  "newAttitude": "friendly"\n}'
    assert inspector.tree.visualRect(index).isValid()  # scrolled into view


def test_reveal_beyond_the_first_fetch_chunk(inspector):
    assert inspector.reveal_path(("gameData", "events", 2100, "i"))
    index = inspector.tree.currentIndex()
    assert inspector.model.data(index.siblingAtColumn(COL_VALUE)) == "2100"
    assert inspector.tree.viewport().rect().intersects(inspector.tree.visualRect(index))
    assert not inspector.reveal_path(("gameData", "events", 9999))
    assert inspector.current_path() == ("gameData", "events", 2100, "i")


def test_copy_value_and_path_through_shortcuts(inspector, qtbot):
    inspector.reveal_path(("gameData", "factions", "byId", "wraith_network"))
    inspector.tree.setFocus()
    qtbot.waitUntil(inspector.tree.hasFocus)
    clipboard = QApplication.clipboard()
    clipboard.clear()
    qtbot.keyClick(inspector.tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert orjson.loads(clipboard.text()) == {"fame": 12, "tags": ["a", "b"]}
    qtbot.keyClick(inspector.tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert clipboard.text() == "$.gameData.factions.byId.wraith_network"


def test_context_menu_actions(inspector):
    names = [a.text() for a in inspector.tree.actions() if not a.isSeparator()]
    assert names == ["Copy value", "Copy JSON path", "Expand children", "Collapse all", "Follow Across Saves",
                     "Export subtree as JSON/CSV…"]
    assert inspector.tree.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    inspector.reveal_path(("gameData", "factions", "byId"))
    inspector.copy_value_action.trigger()
    assert set(orjson.loads(QApplication.clipboard().text())) == {"luminari_syndicate", "wraith_network"}
    inspector.copy_path_action.trigger()
    assert QApplication.clipboard().text() == "$.gameData.factions.byId"


def test_expand_children_is_one_level_and_collapse_all_keeps_root(inspector):
    model, tree = inspector.model, inspector.tree
    inspector.reveal_path(("gameData", "factions", "byId"))
    by_id = tree.currentIndex()
    assert not tree.isExpanded(by_id)
    inspector.expand_children_action.trigger()
    assert tree.isExpanded(by_id)
    luminari = model.index(0, 0, by_id)
    assert tree.isExpanded(luminari) and tree.isExpanded(model.index(1, 0, by_id))
    history = model.index_for_path(("gameData", "factions", "byId", "luminari_syndicate", "attitudeHistory"))
    assert not tree.isExpanded(history)  # one level only
    inspector.collapse_all_action.trigger()
    root = model.index(0, 0)
    assert tree.isExpanded(root) and not tree.isExpanded(model.index(1, 0, root)) and not tree.isExpanded(luminari)


def test_huge_node_details_are_truncated_and_built_off_thread(qtbot, monkeypatch):
    monkeypatch.setattr(si_mod, "DETAILS_SYNC_NODES", 100)
    widget = StateInspector()
    qtbot.addWidget(widget)
    big = {"rows": [{"name": f"row {i}", "payload": "x" * 50} for i in range(20_000)]}
    widget.set_document_value(big)
    widget.reveal_path(("rows",))
    qtbot.waitUntil(lambda: widget.details.toPlainText() != "", timeout=10_000)
    text = widget.details.toPlainText()
    total = len(orjson.dumps(big["rows"], option=orjson.OPT_INDENT_2))
    assert text.endswith(f"…truncated, {total:,} bytes total")
    assert len(text.encode()) < si_mod.DETAILS_LIMIT + 100
    assert text.startswith('[\n  {\n    "name": "row 0"')
    assert not widget.details_note.isHidden() and "truncated" in widget.details_note.text()


def test_selection_change_supersedes_pending_details(qtbot, monkeypatch):
    monkeypatch.setattr(si_mod, "DETAILS_SYNC_NODES", 10)
    widget = StateInspector()
    qtbot.addWidget(widget)
    widget.set_document_value({"big": list(range(300_000)), "small": 7})
    widget.reveal_path(("big",))
    widget.reveal_path(("small",))
    assert widget.details.toPlainText() == "7"
    # every details task ended *and* reported (a task's wait() returns before its result is
    # delivered in this thread): the superseded one cannot replace "7" any more
    qtbot.waitUntil(lambda: live_task_count() == 0)
    assert widget.details.toPlainText() == "7"


def test_pretty_json_excerpt_handles_what_orjson_refuses():
    assert pretty_json_excerpt({"n": 2**70}) == '{\n  "n": 1180591620717411303424\n}'
    assert pretty_json_excerpt([1]) == "[\n  1\n]"


def test_a_copy_says_what_it_copied_and_the_note_goes_with_the_selection(inspector, qtbot):
    """Session 5 (flows): Ctrl+C / Ctrl+Shift+C on a small node copied silently (only a big node's
    copy said so): the note under the details now says what is on the clipboard, keyboard focus
    stays in the tree, and selecting another node clears the note."""
    inspector.reveal_path(("gameData", "factions", "byId", "wraith_network"))
    inspector.tree.setFocus()
    qtbot.waitUntil(inspector.tree.hasFocus)
    tree_width = inspector.tree.width()
    qtbot.keyClick(inspector.tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    note = inspector.details_note
    assert not note.isHidden()
    assert note.text() == f"Copied the value ({len(QApplication.clipboard().text()):,} characters of JSON)."
    qtbot.keyClick(inspector.tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert note.text() == "Copied the JSON path."
    assert inspector.path_field.text() == QApplication.clipboard().text()   # which path: shown right above
    note.setText("Copied " + "$.gameData.someVeryLongKeyWithoutSpaces" * 8)  # (a big node's long note)
    pane = note.parentWidget()                            # the details pane's least width ignores the note
    assert pane.minimumSizeHint().width() < 300 and pane.layout().minimumSize().width() < 300
    assert inspector.tree.width() == tree_width
    assert inspector.tree.hasFocus()
    inspector.reveal_path(("gameData", "factions", "byId"))
    assert note.isHidden()
