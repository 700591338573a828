"""Follow a value across saves (issue 15) in the GUI: the tree's context menu and shortcut, the
Save Summary's natural pins, the stacked chart, click-to-open, remembered pins, follow live."""
from __future__ import annotations

import json
import math

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLabel, QMenu

from inspector_app.core.pins import MISSING, Pin, resolve
from inspector_app.ui.main_window import DEMO_PROFILE, FOLLOWED, WORLD_STATE, MainWindow

#: a context menu is a popup: the offscreen platform cannot grab the keyboard for it and says so
POPUP_NOTICE = pytest.mark.qt_log_ignore(r"This plugin does not support grabbing the keyboard")
FAME = ("gameData", "factions", "byId", "wraith_network", "fame")


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    path = tmp_path / "config"
    monkeypatch.setenv("TELEMETRY_INSPECTOR_CONFIG_DIR", str(path))
    return path


@pytest.fixture
def demo(window, qtbot):
    window.open_path(DEMO_PROFILE)
    qtbot.waitUntil(lambda: not window.is_loading() and window.current_row() is not None, timeout=20000)
    return window


def _settle(window, qtbot):
    panel = window.followed_panel
    qtbot.waitUntil(lambda: not panel.is_busy() and panel.series is not None, timeout=20000)
    return panel


def _expected(window, path_or_pin):
    """Values straight from the documents, in the saves' time order."""
    pin = path_or_pin if isinstance(path_or_pin, Pin) else Pin(tuple(path_or_pin))
    slots = sorted((s for d in window.documents() for s in d.slots if s.has_payload), key=lambda s: s.timestamp)
    return [resolve(s.payload, pin) for s in slots]


def _trigger_context_menu_action(widget, text, qtbot, pos=None):
    """Open the real context menu of ``widget`` and trigger the entry named ``text``."""
    chosen = []

    def pick():
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, pick)
            return
        action = next(a for a in menu.actions() if a.text() == text)
        chosen.append(action.text())
        menu.close()
        action.trigger()

    QTimer.singleShot(0, pick)
    target = widget.viewport() if hasattr(widget, "viewport") else widget
    pos = target.rect().center() if pos is None else pos
    QApplication.sendEvent(target, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, target.mapToGlobal(pos)))
    qtbot.waitUntil(lambda: bool(chosen))


def test_empty_state_explains_how_to_pin(window, qtbot):
    assert not window.tabs.is_built(FOLLOWED)          # nothing built until the tab is shown
    panel = window.tabs.show_tab(FOLLOWED)
    assert panel.stack.currentWidget() is panel.empty
    text = panel.empty.text()
    assert "Follow Across Saves" in text and "Ctrl+Shift+F" in text and "Save Summary" in text


@POPUP_NOTICE
def test_tree_context_menu_follows_the_value_and_charts_it(demo, qtbot, config_dir):
    window = demo
    inspector = window.state_inspector
    window.tabs.show_tab(WORLD_STATE)
    assert inspector.reveal_path(FAME)
    assert "Follow Across Saves" in [a.text() for a in inspector.tree.actions()]
    inspector.tree.scrollTo(inspector.tree.currentIndex())
    # right-click on the selected row
    rect = inspector.tree.visualRect(inspector.tree.currentIndex())
    _trigger_context_menu_action(inspector.tree, "Follow Across Saves", qtbot, pos=rect.center())
    panel = _settle(window, qtbot)
    assert [p.key for p in window.pin_board.pins] == ["$.gameData.factions.byId.wraith_network.fame"]
    assert window.tabs.currentWidget() is window.tabs.page(FOLLOWED)
    expected = _expected(window, FAME)
    assert [p.value for p in panel.series[0].points] == expected
    assert MISSING in expected and any(isinstance(v, (int, float)) for v in expected)
    times = [p.time for p in panel.series[0].points]
    assert times == sorted(times)
    # the chart: one row, a line with a point per save and a gap where the save lacks the value
    chart = panel.chart
    assert len(chart.plots) == 1
    _x, y = chart.items[0].getData()
    assert [None if math.isnan(v) else v for v in y] == [None if v is MISSING else v for v in expected]


def test_shortcut_follows_records_by_identity(demo, qtbot, config_dir):
    window = demo
    inspector = window.state_inspector
    window.tabs.show_tab(WORLD_STATE)
    payload = window.current_row().slot.payload
    items = payload["gameData"]["inventory"]["items"]
    index = next(i for i, item in enumerate(items) if item["id"] == "credits")
    assert inspector.reveal_path(("gameData", "inventory", "items", index, "quantity"))
    inspector.tree.setFocus()
    qtbot.waitUntil(inspector.tree.hasFocus)
    qtbot.keyClick(inspector.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = _settle(window, qtbot)
    pin = window.pin_board.pins[0]
    assert pin.key == "$.gameData.inventory.items[id=credits].quantity"
    assert [p.value for p in panel.series[0].points] == _expected(window, pin)
    assert ("Follow Across Saves", "Ctrl+Shift+F") in window.shortcut_rows()


def test_states_are_bands_and_numbers_lines(demo, qtbot, config_dir):
    window = demo
    attitude = Pin(FAME[:-1] + ("attitude",))
    window.follow_values([Pin(FAME), attitude, Pin.parse("$.playtime")])
    panel = _settle(window, qtbot)
    chart = panel.chart
    assert [s.kind for s in panel.series] == ["number", "state", "number"]
    assert len(chart.plots) == 3
    linked = {id(p.vb.linkedView(0) or p.vb) for p in chart.plots}
    assert linked == {id(chart.plots[0].vb)}                 # one shared time axis
    expected = [v for v in _expected(window, attitude)]
    runs = []
    for v in expected:
        if v is not MISSING and (not runs or runs[-1] != v):
            runs.append(v)
    assert [b[2] for b in chart.items[1].bands] == runs
    # hover names the save
    point = next(j for j, p in enumerate(panel.series[1].points) if p.value is not MISSING)
    text = chart.hover_text(1, point)
    ref = panel.series[1].points[point].ref
    assert ref.slot.label in text and "saved at" in text and str(panel.series[1].points[point].value) in text


def test_clicking_a_point_opens_that_save_in_world_state(demo, qtbot, config_dir):
    window = demo
    window.follow_values([Pin.parse("$.gameData.inventory.items[id=credits].quantity")])
    panel = _settle(window, qtbot)
    chart = panel.chart
    qtbot.waitUntil(lambda: chart.isVisible() and chart.plots[0].vb.width() > 100)
    series = panel.series[0]
    j = next(j for j, p in enumerate(series.points) if p.value is not MISSING
             and p.ref.key != window.current_row().key)
    target = series.points[j].ref
    pos = chart.mapFromScene(chart.point_scene_pos(0, j))
    assert chart.hit(chart.point_scene_pos(0, j)) == (0, j)
    with qtbot.waitSignal(panel.sigOpenSave, timeout=5000) as blocker:
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args[0] == target.key
    qtbot.waitUntil(lambda: window.current_row() is not None and window.current_row().key == target.key)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.tabs.page(WORLD_STATE))
    path = window.state_inspector.current_path()
    assert path is not None and path[:3] == ("gameData", "inventory", "items") and path[-1] == "quantity"
    assert target.slot.payload["gameData"]["inventory"]["items"][path[3]]["id"] == "credits"


@POPUP_NOTICE
def test_domain_views_offer_natural_pins(demo, qtbot, config_dir):
    window = demo
    views = window.domain_views
    window.tabs.show_tab("summary")
    qtbot.waitUntil(lambda: bool(views.views), timeout=20000)
    views.tabs.setCurrentWidget(views.tab_pages["factions"])
    table = views.table_view("factions", "factions")
    assert table is not None
    section = views.tab_pages["factions"].sections["factions"]
    pins = section.row_pins(0)
    assert {p.key.rsplit(".", 1)[1] for p in pins} == {"fame", "infamy", "attitude"}
    table.selectRow(0)
    row0 = table.visualRect(table.model().index(0, 0)).center()
    _trigger_context_menu_action(table, "Follow all of these across saves", qtbot, pos=row0)
    panel = _settle(window, qtbot)
    assert [p.key for p in window.pin_board.pins] == [p.key for p in pins]
    assert len(panel.chart.plots) == 3
    # a fact: playtime on the Overview
    views.tabs.setCurrentWidget(views.tab_pages["overview"])
    views.ensure_built("overview")
    label = next(w for w in views.tab_pages["overview"].findChildren(QLabel)
                 if w.text() == "Playtime" and w.property("followPins"))
    _trigger_context_menu_action(label, "Follow playtime across saves", qtbot)
    _settle(window, qtbot)
    assert window.pin_board.pins[-1].key == "$.playtime"


def test_pins_are_remembered_and_can_be_reordered_and_removed(demo, qtbot, config_dir):
    window = demo
    window.follow_values([Pin(FAME, label="wraith fame"), Pin.parse("$.playtime")])
    panel = _settle(window, qtbot)
    panel.pin_list.setCurrentRow(1)
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert [p.key for p in window.pin_board.pins] == ["$.playtime", "$.gameData.factions.byId.wraith_network.fame"]
    assert [s.pin.key for s in panel.series] == [p.key for p in window.pin_board.pins]
    stored = (config_dir / "settings.ini").read_text()
    assert "wraith fame" in stored
    window.close()

    again = MainWindow()
    qtbot.addWidget(again)
    assert [p.key for p in again.pin_board.pins] == ["$.playtime", "$.gameData.factions.byId.wraith_network.fame"]
    assert again.pin_board.pins[1].label == "wraith fame"
    panel2 = again.tabs.show_tab(FOLLOWED)
    assert [panel2.pin_list.item(i).text() for i in range(panel2.pin_list.count())] == ["playtime", "wraith fame"]
    panel2.pin_list.setCurrentRow(0)
    qtbot.mouseClick(panel2.remove_button, Qt.MouseButton.LeftButton)
    assert [p.key for p in again.pin_board.pins] == ["$.gameData.factions.byId.wraith_network.fame"]
    again.close()
    third = MainWindow()
    qtbot.addWidget(third)
    assert [p.label for p in third.pin_board.pins] == ["wraith fame"]
    third.close()


def test_new_saves_from_follow_live_extend_the_chart(window, qtbot, tmp_path, config_dir):
    from inspector_app.core.loading.loader import load_path

    profile = json.loads(DEMO_PROFILE.read_text())
    del profile["save_slot2"]
    meta = json.loads(profile["save_metadata"])
    profile["save_metadata"] = json.dumps([m for m in meta if m.get("slot") != "slot2"] if isinstance(meta, list) else meta)
    copy = tmp_path / "profile.json"
    copy.write_text(json.dumps(profile))
    window.open_path(copy)
    qtbot.waitUntil(lambda: not window.is_loading() and window.current_row() is not None, timeout=20000)
    window.follow_values([Pin.parse("$.playtime")])
    panel = _settle(window, qtbot)
    assert len(panel.series[0].points) == 4
    old = window.documents()[0]
    new = load_path(DEMO_PROFILE)
    window.replace_document(old, new)           # what LiveFollower does after a reload
    qtbot.waitUntil(lambda: not panel.is_busy() and len(panel.series[0].points) == 5, timeout=20000)
    assert [p.value for p in panel.series[0].points] == _expected(window, ("playtime",))


def test_chart_takes_its_colours_from_the_palette_and_follows_a_theme_switch(demo, qtbot, config_dir):
    from PySide6.QtGui import QPalette

    window = demo
    window.follow_values([Pin(FAME[:-1] + ("attitude",)), Pin.parse("$.playtime")])
    panel = _settle(window, qtbot)
    chart = panel.chart
    for mode in ("dark", "light"):
        window.theme.set_mode(mode, remember=False)
        base = chart.palette().color(QPalette.ColorRole.Base)
        qtbot.waitUntil(lambda base=base: chart.backgroundBrush().color() == base)
        text = chart.palette().color(QPalette.ColorRole.Text)
        assert chart.plots[1].getAxis("left").textPen().color() == text
        assert chart.items[0]._text == text                 # band text in the palette's text colour
        assert len(chart.plots) == 2 and [b[2] for b in chart.items[0].bands]     # redrawn, not lost
    # playtime is a time: its axis speaks minutes, not milliseconds
    axis = chart.plots[1].getAxis("left")
    assert axis.tickStrings([0, 900_000, 1_800_000], 1, 900_000) == ["0", "15m 00s", "30m 00s"]


def test_parked_slots_are_read_in_the_worker_and_a_click_reveals_after_the_prefetch(demo, qtbot, config_dir):
    import orjson

    window = demo
    shown = window.current_row().key
    for slot in window.documents()[0].slots:         # as a big profile's slots are
        if slot.has_payload and slot.payload is not None:
            slot.park(orjson.dumps(slot.payload), orjson.loads)
    window.follow_values([Pin.parse("$.gameData.inventory.items[id=credits].quantity")])
    panel = _settle(window, qtbot)
    assert panel.resolver.payload_reads == len(panel.series[0].points)
    assert all(not p.ref.slot.is_materialised for p in panel.series[0].points)    # cooled again
    j = next(j for j, p in enumerate(panel.series[0].points) if p.value is not MISSING and p.ref.key != shown)
    target = panel.series[0].points[j].ref
    panel.chart.sigPointClicked.emit(0, j)
    qtbot.waitUntil(lambda: window.state_inspector.current_path() is not None
                    and window.current_row().key == target.key, timeout=20000)
    path = window.state_inspector.current_path()
    assert path[-1] == "quantity" and target.slot.payload["gameData"]["inventory"]["items"][path[3]]["id"] == "credits"
