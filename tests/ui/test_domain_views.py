"""DomainViewsPanel: real widgets, offscreen."""
from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel

from inspector_app.ui.worldstate import DomainViewsPanel

pytestmark = pytest.mark.gui

TAB_TITLES = ["Overview", "Factions", "Tutorial", "Districts", "NPCs", "Quests", "Story flags", "Inventory",
              "Dialogue && cases"]


@pytest.fixture
def large(game_fixtures):
    return orjson.loads((game_fixtures / "saves" / "save_before-memory-parlor.large.json").read_bytes())


@pytest.fixture
def panel(qtbot):
    widget = DomainViewsPanel()
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    return widget


def _cells(view, column):
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_tabs_and_empty_state(panel):
    assert panel.tabs.count() == 9
    assert [panel.tabs.tabText(i) for i in range(9)] == TAB_TITLES
    assert "Open a save" in panel.tab_pages["factions"].widget().text()


def test_late_save_tables(panel, large):
    panel.set_game_data(large["gameData"], large)
    targets = panel.table_view("factions", "targets")
    assert targets.model().rowCount() == 3
    assert _cells(targets, 1) == ["21", "11", "6"]
    assert _cells(targets, 0)[0] == "The Luminari Syndicate"
    assert panel.table_view("tutorial", "steps").model().rowCount() == 13
    assert panel.table_view("npcs", "alerts").model().rowCount() == 2
    assert panel.table_view("quests", "quests").model().rowCount() == 11
    assert panel.table_view("dialogue", "cases").model().rowCount() == 1
    assert "Before Memory Parlor!" in panel.source_label.text()
    overlay = panel.tab_pages["overview"].overlay_text.toPlainText()
    assert "Cascade events tracked: 38" in overlay


def test_sorting_and_filtering(panel, large, qtbot):
    panel.set_game_data(large["gameData"], large)
    panel.tabs.setCurrentIndex(1)
    factions = panel.table_view("factions", "factions")
    fame_column = [c.header for c in factions.model().sourceModel().table.columns].index("Fame")
    factions.sortByColumn(fame_column, Qt.SortOrder.DescendingOrder)
    assert _cells(factions, fame_column) == ["72.5", "60", "50", "30", "22"]
    section = panel.tab_pages["factions"].sections["history"]
    source = section.model
    expected = sum(1 for r in range(source.rowCount())
                   if any("vanguard" in source.display(r, c).lower() for c in range(source.columnCount())))
    qtbot.keyClicks(section.filter_edit, "Vanguard")
    assert 10 <= section.proxy.rowCount() == expected < 40  # its own 10 entries + cascades it caused
    assert f"{expected} of 40" in section.count_label.text()


def test_badges_and_tooltips(panel, large):
    panel.set_game_data(large["gameData"], large)
    view = panel.table_view("factions", "factions")
    model = view.model()
    attitude = model.index(0, 1)
    assert attitude.data() == "hostile"
    assert attitude.data(Qt.ItemDataRole.BackgroundRole) is not None
    updated_col = [c.key for c in model.sourceModel().table.columns].index("updatedAt")
    tip = model.index(0, updated_col).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("2025-11-02T18:") and "ago" in tip


def test_summary_only(panel, game_fixtures):
    summary = orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.large.json"
                            if (game_fixtures / "inspector-summary" / "getInspectorSummary.large.json").exists()
                            else game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())
    panel.set_summary(summary)
    assert panel.table_view("factions", "targets").model().rowCount() == len(summary["factions"]["cascadeTargets"])
    panel.ensure_built("quests")
    message = panel.tab_pages["quests"].widget()
    assert isinstance(message, QLabel) and "open a save" in message.text()


def test_clear_and_odd_input(panel, large):
    panel.set_game_data(large["gameData"], large)
    panel.clear()
    assert panel.views == {}
    assert "Open a save" in panel.tab_pages["overview"].widget().text()
    panel.set_game_data({"factions": [], "inventory": {"items": {"a": 1}}}, {"version": 1})
    assert panel.table_view("inventory", "items") is None  # empty table shows its empty-state text
    assert panel.tab_pages["inventory"].sections["items"].table.empty_text == "The inventory is empty"
    panel.set_game_data(None, {"version": 1})
    assert "no readable gameData" in panel.tab_pages["npcs"].widget().text()


def test_background_build_shows_the_views_when_ready(qtbot, game_fixtures):
    import orjson

    from inspector_app.ui.worldstate import DomainViewsPanel

    payload = orjson.loads((game_fixtures / "saves" / "save_before-memory-parlor.large.json").read_bytes())
    panel = DomainViewsPanel()
    qtbot.addWidget(panel)
    panel.set_game_data(payload["gameData"], payload, background=True)
    qtbot.waitUntil(lambda: bool(panel.views), timeout=10000)
    assert set(panel.views) >= {"factions", "tutorial", "npcs"}
    # a newer call wins over a background build still running
    panel.set_game_data(payload["gameData"], payload, background=True)
    panel.clear("cleared")
    qtbot.wait(300)
    assert panel.views == {}
    panel.shutdown()


@pytest.mark.parametrize("width", [700, 1280])
def test_small_tables_show_every_row_without_an_inner_scroll(qtbot, large, width):
    """Issue 12: "Restricted districts" showed 1½ of 2 rows and Quests 10 of 11 behind scroll bars."""
    panel = DomainViewsPanel()
    qtbot.addWidget(panel)
    panel.resize(width, 800)
    panel.show()
    panel.set_game_data(large["gameData"], large)
    checked = 0
    for i, (tab, table) in enumerate([("districts", "restricted"), ("districts", "districts"), ("quests", "quests"),
                                      ("quests", "objectives"), ("factions", "factions"), ("tutorial", "steps")]):
        panel.tabs.setCurrentWidget(panel.tab_pages[tab])
        view = panel.table_view(tab, table)
        if view is None:
            continue
        qtbot.waitUntil(lambda v=view: v.isVisible())
        rows = view.model().rowCount()
        last = rows - 1
        qtbot.waitUntil(lambda v=view, r=last: v.rowViewportPosition(r) + v.rowHeight(r) <= v.viewport().height())
        assert view.rowViewportPosition(0) == 0
        assert view.verticalScrollBar().maximum() == 0, (tab, table)
        checked += 1
    assert checked >= 5


def test_filtering_refits_the_table_height(panel, large, qtbot):
    panel.set_game_data(large["gameData"], large)
    panel.tabs.setCurrentWidget(panel.tab_pages["quests"])
    section = panel.tab_pages["quests"].sections["quests"]
    view = section.view
    full = view.height()
    section.filter_edit.setText("act3")
    qtbot.waitUntil(lambda: view.height() < full)
    assert view.model().rowCount() == 2
    section.filter_edit.clear()
    qtbot.waitUntil(lambda: view.height() == full)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_overlay_replica_fits_the_window_and_cuts_no_line(qtbot, window, size, mode):
    """The Save Summary's overlay replica at 1280×800 and 1024×700, light and dark: it stays in
    view beside the page (its own scroll bar, not the page's), wraps long lines instead of
    cutting them (no horizontal scroll bar), and its last line can be scrolled into view; the
    facts beside it are never cut either (one pair a row when two do not fit)."""
    from PySide6.QtWidgets import QScrollArea, QSplitter

    from inspector_app.resources import resource_path
    from inspector_app.ui import theme
    from inspector_app.ui.worldstate.domain_views import FactsBox

    previous = theme.controller().mode
    theme.controller().set_mode(mode, remember=False)
    try:
        window.resize(*size)
        with qtbot.waitSignal(window.sigDocumentLoaded, timeout=30000):
            window.open_path(resource_path("demo", "demo-profile.localStorage.json"))
        tab = window.domain_views.tab_pages["overview"]
        qtbot.waitUntil(lambda: tab.overlay_text is not None and tab.isVisible(), timeout=30000)
        text = tab.overlay_text
        split = tab.findChild(QSplitter, "overviewSplit")
        page = split.findChild(QScrollArea, "overviewPage")
        qtbot.waitUntil(lambda: text.width() > 0 and text.viewport().height() > 0, timeout=5000)
        # the replica is inside the tab: nothing of it below or right of what the tab shows
        shown = tab.viewport().rect()
        top_left = text.mapTo(tab.viewport(), text.rect().topLeft())
        bottom_right = text.mapTo(tab.viewport(), text.rect().bottomRight())
        assert shown.contains(top_left) and shown.contains(bottom_right)
        assert tab.verticalScrollBar().maximum() == 0 and tab.horizontalScrollBar().maximum() == 0
        # lines wrap to the width; the text scrolls vertically on its own, to its last line
        assert text.horizontalScrollBar().maximum() == 0
        assert text.document().size().width() <= text.viewport().width() + 1
        assert "Cascade events tracked: 36" in text.toPlainText()
        bar = text.verticalScrollBar()
        bar.setValue(bar.maximum())
        last = text.document().lastBlock()
        cursor_rect = text.cursorRect(QTextCursor(last))
        assert text.viewport().rect().contains(cursor_rect.center())
        # the page beside it: every fact value entirely visible once scrolled to
        facts = page.findChild(FactsBox)
        assert facts.columns in (1, 2)

        def facts_whole() -> bool:
            return all(value.width() >= value.sizeHint().width() and label.width() >= label.sizeHint().width()
                       and value.geometry().right() <= facts.contentsRect().right() for label, value in facts.pairs)
        qtbot.waitUntil(facts_whole, timeout=5000)      # (a re-flow lays out in the next event)
        assert page.horizontalScrollBar().maximum() == 0 or size[0] < 1280
        if size == (1280, 800):
            assert facts.columns == 2
    finally:
        theme.controller().set_mode(previous, remember=False)


def test_the_overlay_split_is_kept_for_the_next_save_and_the_next_session(qtbot, panel, large):
    """Drag the page | replica handle: the next save's Overview keeps it, and so does a new
    window (remembered in the settings once the drag settles)."""
    from PySide6.QtWidgets import QSplitter

    from inspector_app.ui.settings import app_settings, read_list
    from inspector_app.ui.worldstate.domain_views import OVERLAY_SPLIT_KEY

    panel.set_game_data(large["gameData"], large)
    tab = panel.tab_pages["overview"]
    split = tab.findChild(QSplitter, "overviewSplit")
    qtbot.waitUntil(lambda: split.width() > 0 and min(split.sizes()) > 0, timeout=5000)
    total = sum(split.sizes())
    split.moveSplitter(total // 2, 1)              # what dragging the handle does
    half = split.sizes()
    assert abs(half[0] - half[1]) < total // 5
    qtbot.waitUntil(lambda: len(read_list(app_settings(), OVERLAY_SPLIT_KEY)) == 2, timeout=5000)
    panel.set_game_data(large["gameData"], large)   # another save: a new page, the same split
    again = tab.findChild(QSplitter, "overviewSplit")
    assert again is not split and again.sizes() == half
    fresh = type(panel)()
    qtbot.addWidget(fresh)
    fresh.resize(panel.size())
    fresh.show()
    fresh.set_game_data(large["gameData"], large)
    restored = fresh.tab_pages["overview"].findChild(QSplitter, "overviewSplit")
    qtbot.waitUntil(lambda: min(restored.sizes()) > 0, timeout=5000)
    assert abs(restored.sizes()[0] - half[0]) <= 2 and abs(restored.sizes()[1] - half[1]) <= 2
