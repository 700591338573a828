"""The Playtest page (issue 15) driven through the real window on a generated folder: open it
with the action and Qt's own folder dialog, the funnel's numbers, numbers that list their players
(table cells, chart bars, the headline), a player's name that opens the profile on its latest
save, cancel, a bad profile listed with its located problem, the scheduler field, the export
(files written, never replaced silently), and colours that follow the palette."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QTableView

from inspector_app.core.playtest import summarize_profile
from inspector_app.core.playtest.generate import write_playtest_folder
from inspector_app.ui import theme
from inspector_app.ui.main_window import PLAYTEST, WORLD_STATE
from inspector_app.ui.models.slot_model import SlotTableModel
from inspector_app.ui.workers import BackgroundTask, Priority

pytestmark = pytest.mark.gui
BEHAVIOURS = ["complete", "skip", "stall", "abandon", "error", "complete"]
BROKEN = "zz-broken.json"


@pytest.fixture(scope="module")
def playtest_folder(tmp_path_factory) -> Path:
    """A dozen generated players (one of each behaviour, twice) and one truncated profile."""
    folder = tmp_path_factory.mktemp("playtest")
    write_playtest_folder(folder, 12, seed=11, behaviours=BEHAVIOURS)
    (folder / BROKEN).write_bytes(b'{"save_slot1": "{\\"version\\": 1')
    return folder


@pytest.fixture(scope="module")
def summaries(playtest_folder):
    """Each good player's own summary: what the page's numbers must add up to."""
    return {s.player_id: s for s in (summarize_profile(p) for p in sorted(playtest_folder.glob("player-*.json")))}


@pytest.fixture
def shared_cache(tmp_path_factory, monkeypatch):
    """One summary cache for the module's tests: after the first run, the folder is answered from it."""
    monkeypatch.setenv("TELEMETRY_INSPECTOR_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "playtest-cache"))


@pytest.fixture
def panel(qtbot, window, shared_cache):
    window.stack.setCurrentWidget(window.tabs)
    p = window.tabs.show_tab(PLAYTEST)   # the tab is built when first shown
    p.workers = 1                 # a dozen small profiles: inline, no process pool
    return p


def _open_with_dialog(qtbot, window, panel, folder: Path) -> None:
    window.findChild(QAction, "actionOpenPlaytestFolder").trigger()
    dialog = panel.findChild(QFileDialog, "playtestOpenDialog")
    assert dialog is not None and dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    edit.setText(str(folder))
    with qtbot.waitSignal(panel.sigRunFinished, timeout=60000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.fixture
def loaded(qtbot, window, panel, playtest_folder):
    _open_with_dialog(qtbot, window, panel, playtest_folder)
    return panel


def _click(qtbot, view: QTableView, row: int, column: int) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def _column(view: QTableView, name: str) -> int:
    model = view.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index(name)


def _shown_players(panel) -> list[str]:
    model = panel.players_model
    return [model.table().row(r).player_id for r in range(model.rowCount())]


def test_open_folder_by_the_action_shows_the_funnel_with_the_right_counts(qtbot, window, loaded, summaries):
    panel = loaded
    assert window.tabs.currentWidget() is window.tabs.page(PLAYTEST)
    view, model = panel.funnel_table, panel.funnel_model
    steps = {}
    for s in summaries.values():
        for rec in s.steps:
            steps.setdefault(rec.step_id, []).append(rec.status)
    assert model.rowCount() == len(panel.page.report.funnel) > 0
    for r in range(model.rowCount()):
        step = model.table().row(r)
        statuses = steps.get(step.step_id, [])
        shown = {name: model.index(r, _column(view, name)).data() for name in ("Reached", "Completed", "Skipped", "Still on it")}
        assert shown == {"Reached": str(len(statuses)), "Completed": str(statuses.count("completed")),
                         "Skipped": str(statuses.count("skipped")), "Still on it": str(statuses.count("open"))}, step.step_id
    # the chart draws the same numbers: each bar is as long as the players who reached the step
    segments = panel.page.funnel_segments()
    assert [sum(c for _l, _t, c, _f in segs) for segs in segments] == \
        [len(steps.get(s.step_id, [])) for s in panel.page.report.funnel]
    # the headline counts players, and only good profiles are in the numbers
    assert f"{len(summaries) + 1} players" in panel.headline.text()
    assert f"{len(summaries)} in the numbers" in panel.headline.text()
    assert "tcp://" not in panel.status.text() and "13 profile(s)" in panel.status.text()


def test_clicking_a_number_lists_the_players_behind_it(qtbot, loaded, summaries):
    panel = loaded
    view = panel.funnel_table
    col = _column(view, "Skipped")
    row = next(r for r in range(view.model().rowCount()) if view.model().index(r, col).data() not in ("0", None))
    step_id = view.model().table().row(row).step_id
    expected = sorted(pid for pid, s in summaries.items() if any(r.step_id == step_id and r.status == "skipped" for r in s.steps))
    with qtbot.waitSignal(panel.sigPlayersShown, timeout=5000):
        _click(qtbot, view, row, col)
    assert _shown_players(panel) == expected
    assert panel.show_all_button.isVisible() and f"{len(expected)} player" in panel.players_label.text()

    # a bar segment of the funnel chart lists the same players
    panel.show_players(None)
    chart = panel.funnel_chart
    qtbot.waitUntil(lambda: chart.isVisible() and chart.width() > 100, timeout=5000)
    x, y = chart.segment_center(row, 1)          # 0 completed, 1 skipped, 2 still on it
    with qtbot.waitSignal(panel.sigPlayersShown, timeout=5000):
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.widget_pos_of(x, y))
    assert _shown_players(panel) == expected

    # the headline's links too; Show all lists everyone again
    panel.headline.linkActivated.emit("tutorial:skipped")
    assert _shown_players(panel) == sorted(pid for pid, s in summaries.items() if s.tutorial_status == "skipped")
    qtbot.mouseClick(panel.show_all_button, Qt.MouseButton.LeftButton)
    assert len(_shown_players(panel)) == len(summaries) + 1 and not panel.show_all_button.isVisible()


def test_clicking_a_point_of_the_step_times_lists_that_player(qtbot, loaded):
    panel = loaded
    chart = panel.step_time_chart
    qtbot.waitUntil(lambda: chart.isVisible() and chart.width() > 100, timeout=5000)
    assert chart.strip_drawn
    x, y, player, _row, _value = chart.points()[0]
    with qtbot.waitSignal(panel.sigPlayersShown, timeout=5000):
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.widget_pos_of(x, y))
    assert player in _shown_players(panel)


def test_clicking_a_player_opens_the_profile_on_its_latest_save(qtbot, window, loaded, summaries):
    panel = loaded
    view = panel.players_table
    row = panel.players_model.row_of(lambda p: p.player_id == "player-0003")
    expected = summaries["player-0003"]
    # whatever order the Saves list is in, the latest save is the one shown
    window.slot_list.sortByColumn(SlotTableModel.COL_SAVED, Qt.SortOrder.AscendingOrder)
    _click(qtbot, view, row, 0)
    qtbot.waitUntil(lambda: window.current_row() is not None and not window.is_loading(), timeout=30000)
    current = window.current_row()
    assert current.document.path == Path(expected.path)
    latest = [s for s in expected.saves if s.status == "ok"][-1]
    assert latest.slot_id in (current.slot.slot_id, current.slot.key)
    assert window.tabs.currentWidget() is window.tabs.page(WORLD_STATE)


def test_a_bad_profile_is_listed_with_its_located_problem_and_left_out(qtbot, loaded, summaries):
    panel = loaded
    assert panel.sections.tabText(4) == "Bad profiles (1)"
    model = panel.bad_model
    assert model.rowCount() >= 1
    texts = [" | ".join(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]
    assert any("zz-broken" in t and ("line" in t or "column" in t or "byte" in t) for t in texts), texts
    # listed among the players, flagged, and never in the numbers
    row = panel.players_model.row_of(lambda p: p.player_id == "zz-broken")
    assert row >= 0 and panel.players_model.index(row, 1).data() == "bad profile"
    assert "zz-broken" not in panel.page.report.included.players
    panel.headline.linkActivated.emit("excluded")
    assert _shown_players(panel) == ["zz-broken"] and panel.sections.currentIndex() == 4


def test_cancel_stops_the_run_and_keeps_the_page_usable(qtbot, panel, playtest_folder):
    gate = threading.Event()      # holds the one worker thread, so the run waits in the queue
    blocker = BackgroundTask(lambda _p, _c: gate.wait(30), name="test gate").start(priority=Priority.USER)
    try:
        panel.open_sources([playtest_folder])
        assert panel.is_busy and panel.cancel_action.isVisible()
        with qtbot.waitSignal(panel.sigRunCancelled, timeout=30000):
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
            gate.set()
    finally:
        gate.set()
        blocker.wait(30)
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=5000)
    assert panel.page.report is None and "Cancelled" in panel.status.text()
    assert not panel.cancel_action.isVisible()
    with qtbot.waitSignal(panel.sigRunFinished, timeout=60000):     # and it runs again afterwards
        panel.reload()
    assert panel.page.report is not None


def test_scheduler_field_is_checked_and_remembered(qtbot, window, panel, playtest_folder):
    panel.scheduler_edit.setText("localhost:8786")
    panel.open_sources([playtest_folder])
    assert not panel.is_busy and panel.error_label.isVisibleTo(panel)
    assert "tcp://HOST:PORT" in panel.error_label.text()
    panel.scheduler_edit.setText("tcp://127.0.0.1:8786")
    panel.scheduler_edit.editingFinished.emit()
    assert not panel.error_label.isVisibleTo(panel)
    from inspector_app.ui.playtest import PlaytestPanel

    again = PlaytestPanel()
    qtbot.addWidget(again)
    assert again.scheduler_edit.text() == "tcp://127.0.0.1:8786"
    assert again.page.scheduler() == ("tcp://127.0.0.1:8786", "")


def test_export_writes_the_report_and_never_replaces_a_file_silently(qtbot, loaded, tmp_path):
    from inspector_app.core.playtest.artifacts import report_artifacts

    panel = loaded
    qtbot.mouseClick(panel.toolbar.widgetForAction(panel.action_export), Qt.MouseButton.LeftButton)
    dialog = panel.findChild(QDialog, "playtestExportDialog")
    assert dialog is not None and dialog.isVisible()
    out = tmp_path / "report"
    dialog.folder_edit.setText(str(out))
    with qtbot.waitSignal(dialog.sigExportFinished, timeout=60000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    # the CLI's files, through the same function: Markdown, CSVs, PNG charts, JSON
    report = panel.page.report
    expected = {a.filename: a for a in report_artifacts(report, formats=("md", "csv", "json"))}
    names = {p.name for p in out.iterdir()}
    assert set(expected) <= names and {"playtest-funnel.png", "playtest-factions.png"} <= names
    assert (out / "playtest-report.json").read_bytes() == report.to_json_bytes()
    assert (out / "playtest-funnel.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dialog.result.status == "ok"
    # a file changed by hand is left alone, and the dialog says so
    md = out / "playtest-report.md"
    md.write_bytes(b"edited by hand\n")
    qtbot.waitUntil(dialog.export_button.isEnabled, timeout=5000)
    with qtbot.waitSignal(dialog.sigExportFinished, timeout=60000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert md.read_bytes() == b"edited by hand\n"
    assert not dialog.result.succeeded and "Replace existing files" in dialog.result_label.text()
    # only when asked
    dialog.overwrite_box.setChecked(True)
    qtbot.waitUntil(dialog.export_button.isEnabled, timeout=5000)
    with qtbot.waitSignal(dialog.sigExportFinished, timeout=60000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert md.read_bytes() == expected["playtest-report.md"].data and dialog.result.succeeded
    dialog.close()


def test_the_page_follows_the_palette(qtbot, loaded):
    panel = loaded
    controller = theme.controller()
    try:
        for mode in (theme.ThemeMode.DARK, theme.ThemeMode.LIGHT):
            controller.set_mode(mode, remember=False)
            base = panel.palette().color(panel.palette().ColorRole.Base)
            for chart in (panel.funnel_chart, panel.step_time_chart, panel.faction_chart):
                assert chart.backgroundBrush().color() == base
            bad = theme.value_colors(panel.palette())["bad"]
            assert panel.sections.tabBar().tabTextColor(4) == bad
    finally:
        controller.set_mode(theme.ThemeMode.LIGHT, remember=False)



def test_an_error_is_shown_as_written_not_as_html_entities(qtbot, window, panel):
    message = "Could not read the playtest:\n  if __name__ == '__main__': \"freeze_support()\" <b>x</b>"
    panel._show_error(message)
    assert panel.error_label.isVisibleTo(panel)
    assert panel.error_label.text() == message          # quotes, tags and line breaks as written
    assert "&#x27;" not in panel.error_label.text() and "&quot;" not in panel.error_label.text()


def test_empty_charts_say_what_to_do_without_axis_numbers(qtbot, window, panel, playtest_folder):
    """Before a playtest is open the charts show what to do, and no axis numbers that count
    nothing (0.2, 0.4, …); once players are read, the numbers are back."""
    for chart in (panel.funnel_chart, panel.step_time_chart):
        assert not chart.plot_item.getAxis("bottom").style["showValues"]
        assert chart._message.scene() is not None and chart._message.textItem.toPlainText()
    _open_with_dialog(qtbot, window, panel, playtest_folder)
    for chart in (panel.funnel_chart, panel.step_time_chart):
        assert chart.plot_item.getAxis("bottom").style["showValues"]
        assert chart._message.scene() is None
