"""SearchPanel end-to-end: type, wait for the worker, pick a result, the tree reveals it."""
from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from inspector_app.core.common.jsonpath import format_path
from inspector_app.ui.widgets.search_panel import HIT_PATH_ROLE, SearchPanel
from inspector_app.ui.widgets.state_inspector import StateInspector
from inspector_app.ui.workers import live_task_count

DOC = {
    "gameData": {
        "factions": {"byId": {"luminari_syndicate": {"name": "The Luminari Syndicate", "fame": 72.5}}},
        "npcs": [{"name": f"Agent {i}", "faction": "wraith_network"} for i in range(1500)],
    }
}


@pytest.fixture
def panels(qtbot):
    search = SearchPanel()
    inspector = StateInspector()
    qtbot.addWidget(search)
    qtbot.addWidget(inspector)
    search.sigRevealRequested.connect(inspector.reveal_path)
    inspector.set_document_value(DOC)
    search.set_root(DOC)
    search.show()
    inspector.show()
    return search, inspector


def wait_for_result(qtbot, search):
    qtbot.waitUntil(lambda: not search.is_searching and search.last_result is not None, timeout=10_000)
    return search.last_result


def test_widgets_and_defaults(panels):
    search, _ = panels
    assert search.edit.objectName() == "stateSearch"
    assert search.edit.placeholderText() == "Search keys and values…"
    assert search.keys_toggle.isChecked() and search.values_toggle.isChecked()
    assert not search.regex_toggle.isChecked() and not search.case_toggle.isChecked()


def test_typing_searches_after_debounce_and_selecting_reveals(panels, qtbot):
    search, inspector = panels
    qtbot.keyClicks(search.edit, "luminari")
    assert search.last_result is None  # debounced: nothing yet
    result = wait_for_result(qtbot, search)
    assert result.query == "luminari" and result.total_matches == 2
    assert search.status_label.text() == "2 matches"
    assert search.results_model.rowCount() == 2
    hit_index = search.results_model.index(1)
    assert hit_index.data(HIT_PATH_ROLE) == ("gameData", "factions", "byId", "luminari_syndicate", "name")
    with qtbot.waitSignal(search.sigRevealRequested) as blocker:
        search.results_view.setCurrentIndex(hit_index)
    assert blocker.args == [("gameData", "factions", "byId", "luminari_syndicate", "name")]
    assert inspector.current_path() == ("gameData", "factions", "byId", "luminari_syndicate", "name")
    assert inspector.details.toPlainText() == '"The Luminari Syndicate"'


def test_enter_searches_immediately_and_results_are_capped(panels, qtbot):
    search, inspector = panels
    search.limit = 1000
    search.edit.setText("agent")
    qtbot.keyClick(search.edit, Qt.Key.Key_Return)
    assert search.is_searching or search.last_result is not None  # started without waiting for the debounce
    result = wait_for_result(qtbot, search)
    assert search.results_model.rowCount() == 1000 and result.total_matches == 1500
    assert search.status_label.text() == "showing 1,000 of 1,500 matches"
    # a hit beyond the tree's first fetch chunk
    last = search.results_model.index(999)
    search.results_view.setCurrentIndex(last)
    assert inspector.current_path() == ("gameData", "npcs", 999, "name")


def test_options_regex_case_keys_values(panels, qtbot):
    search, _ = panels
    search.values_toggle.setChecked(False)
    search.edit.setText("name")
    search.search_now()
    assert wait_for_result(qtbot, search).total_matches == 1501
    search.values_toggle.setChecked(True)
    search.keys_toggle.setChecked(False)
    search.case_toggle.setChecked(True)
    search.regex_toggle.setChecked(True)
    search.edit.setText(r"^Agent 1\d$")
    search.search_now()
    result = wait_for_result(qtbot, search)
    assert result.total_matches == 10 and all(h.field == "value" for h in result.hits)
    search.edit.setText(r"^agent 1\d$")
    search.search_now()
    assert wait_for_result(qtbot, search).total_matches == 0
    assert search.status_label.text() == "No matches"


def test_invalid_regex_shows_a_red_inline_message(panels, qtbot):
    search, _ = panels
    search.regex_toggle.setChecked(True)
    search.edit.setText("luminari(")
    search.search_now()
    assert not search.error_label.isHidden()
    assert "Invalid regular expression" in search.error_label.text()
    from inspector_app.ui import theme

    assert theme.value_color_css("bad") in search.error_label.styleSheet()  # the theme's "bad" colour
    assert search.results_model.rowCount() == 0 and not search.is_searching
    search.edit.setText("luminari")
    search.search_now()
    assert search.error_label.isHidden()
    assert wait_for_result(qtbot, search).total_matches == 2


def test_new_query_supersedes_and_cancel_stops(qtbot):
    big = {"rows": [{"name": f"agent {i}", "v": [i, i * 2]} for i in range(150_000)]}
    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root(big)
    search.edit.setText("agent")
    search.search_now()
    assert search.is_searching and not search.cancel_button.isHidden()
    search.edit.setText("agent 149999")
    search.search_now()  # cancels the first run; only this one may report
    result = wait_for_result(qtbot, search)
    assert result.query == "agent 149999" and result.total_matches == 1
    qtbot.waitUntil(lambda: live_task_count() == 0)     # every search ended and reported
    assert search.last_result.query == "agent 149999"
    search.edit.setText("agent")
    search.search_now()
    search.cancel()
    assert not search.is_searching and search.status_label.text() == "Search cancelled"
    assert search.progress_bar.isHidden() and search.cancel_button.isHidden()
    qtbot.waitUntil(lambda: live_task_count() == 0)     # the cancelled run ended and reported
    assert search.status_label.text() == "Search cancelled"
    assert search.last_result.query == "agent 149999"  # the cancelled run never reported


def test_clearing_the_query_clears_results(panels, qtbot):
    search, _ = panels
    search.edit.setText("luminari")
    search.search_now()
    wait_for_result(qtbot, search)
    search.edit.clear()
    search.search_now()
    assert search.results_model.rowCount() == 0 and search.status_label.text() == ""


def test_real_save_search_luminari_and_reveal(qtbot, game_fixtures):
    doc = orjson.loads((game_fixtures / "saves" / "save_before-memory-parlor.large.json").read_bytes())
    search = SearchPanel()
    inspector = StateInspector()
    qtbot.addWidget(search)
    qtbot.addWidget(inspector)
    search.sigRevealRequested.connect(inspector.reveal_path)
    inspector.set_document_value(doc, "save_before-memory-parlor")
    search.set_root(doc)
    qtbot.keyClicks(search.edit, "luminari")
    result = wait_for_result(qtbot, search)
    assert result.total_matches > 10
    keys = [h for h in result.hits if h.field == "key"]
    assert ("gameData", "factions", "byId", "luminari_syndicate") in [h.path for h in keys]
    row = next(i for i, h in enumerate(result.hits) if h.path[-1] == "sourceFactionName")
    search.results_view.setCurrentIndex(search.results_model.index(row))
    path = result.hits[row].path
    assert inspector.current_path() == path
    assert inspector.path_field.text() == format_path(path)
    assert inspector.details.toPlainText() == '"The Luminari Syndicate"'


def test_shutdown_detaches_a_running_search(qtbot):
    big = {"rows": [{"name": f"agent {i}"} for i in range(200_000)]}
    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root(big)
    search.edit.setText("agent")
    search.search_now()
    search.shutdown()
    assert not search.is_searching
    qtbot.waitUntil(lambda: live_task_count() == 0)     # the detached search ended (reporting to no one)
    assert search.last_result is None and search.results_model.rowCount() == 0


def test_time_stamps_in_results_show_in_words(qtbot):
    from inspector_app.core.common.timefmt import readable_time_value

    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root({"meta": {"savedAt": 1762108394700}, "id": "run-1762108394700"})
    search.edit.setText("1762108394700")
    search.search_now()
    wait_for_result(qtbot, search)
    shown = [search.results_model.index(i).data() for i in range(search.results_model.rowCount())]
    readable = readable_time_value("savedAt", 1762108394700)
    assert shown == [f"1762108394700  ({readable})", '"run-1762108394700"']
    assert search.results_model.index(0).data(Qt.ItemDataRole.ToolTipRole).endswith(f"= {readable}")


def test_a_narrow_result_list_keeps_the_time_in_words(qtbot):
    """The raw number (or the key's preview) gives way first, the readable time stays whole."""
    from PySide6.QtGui import QFontMetrics

    from inspector_app.ui.widgets.search_panel import _HitDelegate

    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root({"history": [{"timestamp": 1762106430000}]})
    search.edit.setText("timestamp")
    search.search_now()
    wait_for_result(qtbot, search)
    index = search.results_model.index(0)
    readable = search.last_result.hits[0].readable
    fm = QFontMetrics(search.results_view.font())
    narrow = fm.horizontalAdvance(f"timestamp: 1762106430000  ({readable})") * 2 // 3
    line = _HitDelegate._main_line(index, fm, narrow)
    assert line.endswith(f"  ({readable})") and "…" in line and fm.horizontalAdvance(line) <= narrow
    wide = _HitDelegate._main_line(index, fm, 10_000)
    assert wide == f"timestamp: 1762106430000  ({readable})"


# --------------------------------------------------------------------------- the index, filled in the background
def _rows(n: int, word: str = "agent") -> dict:
    return {"rows": [{"name": f"{word} {i}", "v": [i, i * 2.5]} for i in range(n)]}


@pytest.fixture
def stepwise(monkeypatch, fill_walks) -> list:
    """Every fill task steps aside after one step (as if other work were always waiting): the
    fill goes on a task at a time. Returns the documents whose filling walks were begun."""
    import inspector_app.ui.widgets.search_panel as panel_mod

    monkeypatch.setattr(panel_mod, "live_task_count", lambda: 2)
    return fill_walks


def test_the_index_is_filled_after_a_document_is_shown_without_a_search(qtbot):
    doc = _rows(20_000)
    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root(doc)
    index = search.index
    assert index is not None and not index.ready and search.is_indexing
    qtbot.waitUntil(lambda: index.ready and not search.is_indexing, timeout=30_000)
    assert search.last_result is None and search.status_label.text() == ""   # quietly: no search ran
    search.edit.setText("agent")
    search.search_now()
    result = wait_for_result(qtbot, search)
    assert result.total_matches == 20_000 and len(result.hits) == search.limit and search.index is index


def test_the_fill_offers_the_gui_the_gil_between_steps_sooner_than_an_open(qtbot, monkeypatch):
    """Session 6: the fill ran beside the GUI building an open's views and doubled that event
    (4 MB save: worst gap 40 -> 70 ms). Between steps it steps aside after one missed beat."""
    from inspector_app.core.common import guiturn
    from inspector_app.ui.widgets import search_panel

    offered: list[float] = []
    monkeypatch.setattr(search_panel, "yield_to_gui", lambda stale_s=guiturn.STALE_S: offered.append(stale_s) or False)
    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root(_rows(40_000))
    index = search.index
    qtbot.waitUntil(lambda: index.ready and not search.is_indexing, timeout=30_000)
    assert offered and set(offered) == {guiturn.BACKGROUND_STALE_S}


def test_a_search_during_the_fill_takes_it_over_and_finds_what_a_search_without_it_finds(qtbot, stepwise):
    from inspector_app.core.search import search_json

    made = stepwise
    doc = _rows(30_000)
    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root(doc)
    index = search.index
    qtbot.waitUntil(lambda: index.filled_entries > 0, timeout=30_000)
    assert not index.ready
    search.edit.setText("agent 1")
    search.search_now()
    result = wait_for_result(qtbot, search)
    expected = search_json(doc, "agent 1", limit=search.limit)
    assert [h.path for h in result.hits] == [h.path for h in expected.hits]
    assert result.total_matches == expected.total_matches == 11_111 and result.truncated
    assert index.ready      # the search finished the fill's walk ...
    qtbot.waitUntil(lambda: not search.is_indexing, timeout=30_000)
    assert made == [doc]    # ... which was begun once: the document was never walked twice


def test_replacing_the_document_cancels_the_fill_and_fills_the_new_ones_index(qtbot, stepwise):
    made = stepwise
    first, second = _rows(30_000), _rows(2_000, "courier")
    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root(first)
    old = search.index
    qtbot.waitUntil(lambda: old.filled_entries > 0, timeout=30_000)
    search.set_root(second)
    assert search.index is not old
    qtbot.waitUntil(lambda: search.index.ready and not search.is_indexing, timeout=30_000)
    walked = old.filled_entries
    search.wait_idle()
    assert not old.ready and old.filled_entries == walked   # stopped where it was, never finished
    assert made == [first, second]
    search.edit.setText("courier")
    search.search_now()
    assert wait_for_result(qtbot, search).total_matches == 2_000


def test_a_root_read_anew_by_each_search_gets_no_index(qtbot):
    search = SearchPanel()
    qtbot.addWidget(search)
    search.set_root(lambda: _rows(10))
    assert search.index is None and not search.is_indexing
    search.edit.setText("agent")
    search.search_now()
    assert wait_for_result(qtbot, search).total_matches == 10


def test_opening_a_save_fills_its_index_before_any_search(qtbot, window):
    from inspector_app.resources import resource_path

    window.open_path(resource_path("demo", "saves", "save_slot1.json"))
    qtbot.waitUntil(lambda: not window.is_loading() and window.current_row() is not None, timeout=20000)
    panel = window.search_panel
    qtbot.waitUntil(lambda: panel.index is not None and panel.index.ready and not panel.is_indexing, timeout=20000)
    assert panel.last_result is None and panel.index._fits(window.current_row().slot.payload)


def test_the_fill_waits_while_the_gui_builds_a_page_in_steps(qtbot, monkeypatch):
    """Issue 13: a Save Summary page is built an event at a time (guiturn.hold_background); the
    fill neither starts nor goes on meanwhile (sharing the GIL made each step wait for it)."""
    from inspector_app.ui.widgets import search_panel

    held = [True]
    monkeypatch.setattr(search_panel, "background_held", lambda: held[0])
    search = SearchPanel()
    qtbot.addWidget(search)
    search._fill_timer.setInterval(1)
    search.set_root(_rows(20_000))
    index = search.index
    qtbot.waitUntil(lambda: search._fill_timer.isActive() and not search._filler.is_running)
    fired: list[bool] = []
    search._fill_timer.timeout.connect(lambda: fired.append(True))
    qtbot.waitUntil(lambda: len(fired) >= 3)     # the timer fired again and again: still held
    assert index.filled_entries == 0 and not index.ready and search.is_indexing
    held[0] = False
    qtbot.waitUntil(lambda: index.ready and not search.is_indexing, timeout=30_000)
