"""SearchPanel end-to-end: type, wait for the worker, pick a result, the tree reveals it."""
from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from inspector_app.core.common.jsonpath import format_path
from inspector_app.ui.widgets.search_panel import HIT_PATH_ROLE, SearchPanel
from inspector_app.ui.widgets.state_inspector import StateInspector

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
    search.wait_idle()
    qtbot.wait(50)
    assert search.last_result.query == "agent 149999"
    search.edit.setText("agent")
    search.search_now()
    search.cancel()
    assert not search.is_searching and search.status_label.text() == "Search cancelled"
    assert search.progress_bar.isHidden() and search.cancel_button.isHidden()
    search.wait_idle()
    qtbot.wait(50)
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
    qtbot.wait(100)
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
