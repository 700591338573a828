"""Issue 12: time stamps, durations and playtime readable next to the raw value (tree, tooltip,
details pane); issue 9: the details pane survives 1,000- and 5,000-deep nesting."""
from __future__ import annotations

from datetime import timezone

import pytest
from PySide6.QtCore import Qt

from inspector_app.core.common.jsontext import pretty_json, pretty_json_excerpt
from inspector_app.core.common.timefmt import format_absolute_time, readable_time_value, readable_times
from inspector_app.ui.models.json_tree_model import COL_VALUE
from inspector_app.ui.widgets.state_inspector import StateInspector

SAVED = 1762106784700
DOC = {"timestamp": SAVED, "playtime": 384700, "gameData": {"tutorial": {
    "lastActionAt": 0, "startedAt": SAVED - 60_000, "stepDurations": {"durationMs": 148000},
    "count": SAVED, "relativeAt": 31000}}}


def test_core_decides_by_key_name_and_value_range():
    utc = timezone.utc
    assert readable_time_value("timestamp", SAVED, tz=utc) == "2025-11-02 18:06:24"
    assert readable_time_value("lastActionAt", 0) == "never"             # the game's encoding of "never"
    assert readable_time_value("playtime", 384700) == "6m 24s"            # the one playtime format
    assert readable_time_value("durationMs", 148000) == "2m 28s"
    assert readable_time_value("count", SAVED) is None                   # not a time by name
    assert readable_time_value("startedAt", 31000) is None               # relative clock, not a date
    assert readable_time_value("startedAt", True) is None and readable_time_value("startedAt", "x") is None
    assert readable_times("tutorial", DOC["gameData"]["tutorial"], tz=utc) == [
        "lastActionAt = 0 → never", f"startedAt = {SAVED - 60_000} → 2025-11-02 18:05:24",
    ]


@pytest.fixture
def inspector(qtbot):
    widget = StateInspector()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def test_tree_value_column_and_tooltip_show_times_next_to_the_raw_number(inspector):
    inspector.set_document_value(DOC, "save")
    model = inspector.model
    stamp = model.index_for_path(("timestamp",), COL_VALUE)
    readable = format_absolute_time(SAVED)
    assert model.data(stamp) == f"{SAVED}  ({readable})"
    assert f"{SAVED}  = {readable}" in model.data(stamp, Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index_for_path(("playtime",), COL_VALUE)) == "384700  (6m 24s)"
    assert model.data(model.index_for_path(("gameData", "tutorial", "lastActionAt"), COL_VALUE)) == "0  (never)"
    assert model.data(model.index_for_path(("gameData", "tutorial", "count"), COL_VALUE)) == str(SAVED)
    assert model.data(model.index_for_path(("gameData", "tutorial", "relativeAt"), COL_VALUE)) == "31000"


def test_details_pane_lists_the_times_of_the_selected_node(inspector, qtbot):
    inspector.set_document_value(DOC, "save")
    assert inspector.reveal_path(("gameData", "tutorial"))
    assert inspector.details_times.isVisible()
    text = inspector.details_times.text()
    assert "lastActionAt = 0 → never" in text and f"startedAt = {SAVED - 60_000} → " in text
    assert '"lastActionAt": 0' in inspector.details.toPlainText()      # the raw JSON stays untouched
    assert inspector.reveal_path(("playtime",))
    assert inspector.details_times.text() == "playtime = 384700 → 6m 24s"
    assert inspector.reveal_path(("gameData", "tutorial", "count"))
    assert not inspector.details_times.isVisible()


def _nested(depth: int) -> list:
    root: list = []
    node = root
    for _ in range(depth - 1):
        child: list = []
        node.append(child)
        node = child
    node.append({"deepestAt": SAVED})
    return root


@pytest.mark.parametrize("depth", [1000, 5000])
def test_details_pane_renders_deep_nesting_without_recursion_error(inspector, depth):
    value = {"deep": _nested(depth)}
    inspector.set_document_value(value, "deep")
    assert inspector.reveal_path(("deep",))
    text = inspector.details.toPlainText()
    assert text.startswith("[\n  [\n    [")
    if depth == 5000:  # ~50 MB of indentation in full: only the first 200 KB is built
        assert "truncated, more than" in text and inspector.details_note.isVisible()
    excerpt = pretty_json_excerpt(value)
    assert excerpt.startswith('{\n  "deep": [')
    full = pretty_json(value)
    assert full.count(b"\n") == 2 * depth + 4 and b'"deepestAt": 1762106784700' in full


@pytest.mark.parametrize("dark", [False, True])
def test_tree_value_colours_come_from_the_palette_and_stay_readable(inspector, qapp, dark):
    from PySide6.QtGui import QPalette

    from inspector_app.ui import theme

    before = qapp.palette()
    qapp.setPalette(theme.build_palette(dark))
    try:
        inspector.set_document_value(DOC, "save")
        model = inspector.model
        base = qapp.palette().color(QPalette.ColorRole.Base)
        for path in (("timestamp",), ("gameData",), ("gameData", "tutorial", "lastActionAt")):
            brush = model.data(model.index_for_path(path, COL_VALUE), Qt.ItemDataRole.ForegroundRole)
            assert theme.contrast_ratio(brush.color(), base) >= 4.5, (path, dark)
    finally:
        qapp.setPalette(before)


def test_members_of_time_maps_are_times_whatever_their_names(inspector):
    doc = {"tutorial": {"completedTimeline": {"welcome": SAVED}, "stepDurations": {"case_file": 147700}}}
    inspector.set_document_value(doc, "save")
    model = inspector.model
    welcome = model.index_for_path(("tutorial", "completedTimeline", "welcome"), COL_VALUE)
    assert model.data(welcome) == f"{SAVED}  ({format_absolute_time(SAVED)})"
    assert model.data(model.index_for_path(("tutorial", "stepDurations", "case_file"), COL_VALUE)) == "147700  (2m 28s)"
    assert inspector.reveal_path(("tutorial", "stepDurations"))
    assert inspector.details_times.text() == "case_file = 147700 → 2m 28s"
