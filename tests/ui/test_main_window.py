"""The main window driven as a user would: the real Open action and its (non-native) dialog,
the save browser, the world-state tree, search and reveal, drag-and-drop, bad input."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QListView, QTreeView

from inspector_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _wait_loaded(qtbot, win, n_docs=1, timeout=20000):
    qtbot.waitUntil(lambda: len(win.documents()) >= n_docs and not win.is_loading(), timeout=timeout)


def _drive_open_dialog(qtbot, path: Path):
    """Answer the modal non-native file dialog the Open action shows."""

    def drive():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QFileDialog):
            QTimer.singleShot(20, drive)
            return
        assert dlg.testOption(QFileDialog.Option.DontUseNativeDialog)
        edit = dlg.findChild(QLineEdit, "fileNameEdit")
        edit.setText(str(path))
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)


def _slot_labels(win) -> list[str]:
    return sorted(r.slot.label for r in win.slot_model.rows() if r.slot)


def _tree_top_keys(win) -> list[str]:
    tree = win.findChild(QTreeView, "stateTree")
    model = tree.model()
    root = model.index(0, 0)
    # the tree shows one root node for the document; its children are the payload's keys
    parent = root if model.rowCount() == 1 and model.hasChildren(root) else None
    keys = []
    if parent is not None:
        if model.canFetchMore(parent):
            model.fetchMore(parent)
        for r in range(model.rowCount(parent)):
            keys.append(str(model.index(r, 0, parent).data()))
    else:
        for r in range(model.rowCount()):
            keys.append(str(model.index(r, 0).data()))
    return keys


def test_object_names_of_the_automation_surface(window):
    from PySide6.QtGui import QAction

    for name in ("actionOpen", "actionExport", "actionCompare"):
        assert window.findChild(QAction, name) is not None, name
    for name in ("slotList", "stateTree"):
        assert window.findChild(QTreeView, name) is not None, name
    assert window.findChild(QLineEdit, "stateSearch") is not None
    # the plot tabs are built when first shown (start-up stays fast); then the names are there
    window.stack.setCurrentWidget(window.tabs)
    for title in ("Tutorial Timeline", "Metric History"):
        window.tabs.setCurrentIndex([window.tabs.tabText(i) for i in range(window.tabs.count())].index(title))
    from pyqtgraph import PlotWidget

    plots = {w.objectName() for w in window.findChildren(PlotWidget)}
    assert {"transcriptTimeline", "metricHistoryPlot"} <= plots


def test_open_profile_through_the_open_action(qtbot, window, game_fixtures):
    profile = game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"
    before = profile.read_bytes()
    _drive_open_dialog(qtbot, profile)
    window.findChild(type(window.actionOpen), "actionOpen").trigger()
    _wait_loaded(qtbot, window)
    assert _slot_labels(window) == sorted(["autosave", "Before Memory Parlor!", "slot1", "slot2"])
    slot_list = window.findChild(QTreeView, "slotList")
    assert slot_list.model().rowCount() == 4
    # a slot is selected and its payload is in the tree
    assert window.current_row() is not None
    keys = _tree_top_keys(window)
    for k in ("version", "timestamp", "playtime", "slot", "gameData", "meta"):
        assert k in keys
    assert profile.read_bytes() == before, "input file must not be modified"
    assert str(profile.resolve()) in window.recent_files()


def test_selecting_a_slot_shows_its_payload(qtbot, window, game_fixtures):
    window.open_path(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json")
    _wait_loaded(qtbot, window)
    slot_list = window.findChild(QTreeView, "slotList")
    proxy = slot_list.model()
    for r in range(proxy.rowCount()):
        if proxy.index(r, 1).data() == "Before Memory Parlor!":
            slot_list.setCurrentIndex(proxy.index(r, 1))
            break
    assert window.current_row().slot.slot_id == "before-memory-parlor"
    assert window.current_row().slot.payload["meta"]["slotLabel"] == "Before Memory Parlor!"


def test_search_finds_and_reveals_in_tree(qtbot, window, game_fixtures):
    window.open_path(game_fixtures / "saves" / "save_before-memory-parlor.large.json")
    _wait_loaded(qtbot, window)
    edit = window.findChild(QLineEdit, "stateSearch")
    edit.setText("Memory Parlor Row")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    results = window.search_panel.findChild(QListView)
    qtbot.waitUntil(lambda: results.model() is not None and results.model().rowCount() > 0, timeout=10000)
    results.setCurrentIndex(results.model().index(0, 0))
    tree = window.findChild(QTreeView, "stateTree")
    qtbot.waitUntil(lambda: tree.currentIndex().isValid(), timeout=5000)
    path = window.state_inspector.current_path()
    assert "districts" in path and "pointsOfInterest" in path


def test_bad_slots_are_reported_and_the_rest_stays_usable(qtbot, window, game_fixtures):
    window.open_path(game_fixtures / "localstorage" / "invalid-cases.localStorage.json")
    _wait_loaded(qtbot, window)
    rows = window.slot_model.rows()
    assert len(rows) >= 10
    readable = [r for r in rows if r.slot and r.slot.payload is not None]
    broken = [r for r in rows if r.slot and r.slot.payload is None]
    assert readable and broken
    problems = window.problems_panel.model.problems()
    assert any("corrupt-truncated" in (p.slot or "") for p in problems)
    # select a readable slot: the tree shows it
    window._select_key(readable[0].key)
    assert window.current_row().key == readable[0].key
    assert _tree_top_keys(window)


def test_unreadable_file_gives_a_banner_not_a_crash(qtbot, window, tmp_path):
    bad = tmp_path / "garbage.json"
    bad.write_bytes(b"\x00\x01\x02\xff garbage")
    with qtbot.waitSignal(window.sigLoadFailed, timeout=10000) as blocker:
        window.open_path(bad)
    _path, problem = blocker.args
    assert "garbage.json" in (problem.file or "")
    assert window.banner.text()
    assert "garbage.json" in window.banner.text()
    assert any(p.file and "garbage.json" in p.file for p in window.problems_panel.model.problems())


def test_drop_a_file_opens_it(qtbot, window, game_fixtures, tmp_path):
    src = tmp_path / "dropped.json"
    shutil.copy(game_fixtures / "saves" / "save_slot2.midgame.json", src)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(src))])
    enter = QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    _wait_loaded(qtbot, window)
    assert window.documents()[0].path.name == "dropped.json"
    assert window.current_row().slot.slot_id == "slot2"


def test_layout_and_recent_files_are_remembered(qtbot, game_fixtures):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_path(game_fixtures / "saves" / "save_slot1.fresh.json")
    _wait_loaded(qtbot, win)
    win.problems_dock.hide()
    win.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    assert again.recent_files()[0].endswith("save_slot1.fresh.json")
    assert again.problems_dock.isHidden()
    again.close()


def test_two_saves_enable_compare(qtbot, window, game_fixtures):
    window.open_path(game_fixtures / "saves" / "save_slot1.fresh.json")
    window.open_path(game_fixtures / "saves" / "save_slot2.midgame.json")
    _wait_loaded(qtbot, window, n_docs=2)
    assert window.actionCompare.isEnabled()
    window.actionCompare.trigger()
    from PySide6.QtWidgets import QDialog

    dlg = window.findChild(QDialog, "compareDialog")
    assert dlg is not None and dlg.isVisible()
    dlg.close()


def test_the_same_slot_from_a_profile_and_a_single_save_reads_as_two_sources(qtbot, window, game_fixtures):
    profile = game_fixtures / "localstorage" / "profile1-main-session.localStorage.json"
    single = (game_fixtures / "saves" / "save_slot2.midgame.json").resolve()   # the window resolves paths
    window.open_path(profile)
    window.open_path(single)
    _wait_loaded(qtbot, window, n_docs=2)
    view = window.findChild(QTreeView, "slotList")
    model = view.model()
    label_col = window.slot_model.COL_LABEL
    rows = {model.index(r, label_col).data(): model.index(r, label_col) for r in range(model.rowCount())}
    assert "slot2 · profile1-main-session" in rows
    assert "slot2 · save_slot2.midgame" in rows
    assert "slot1" in rows                      # a slot open once reads as before
    from inspector_app.ui.models.slot_model import TWIN_ROLE
    assert rows["slot2 · save_slot2.midgame"].data(TWIN_ROLE) and not rows["slot1"].data(TWIN_ROLE)
    delegate = view.itemDelegateForColumn(label_col)
    from PySide6.QtWidgets import QStyleOptionViewItem
    option = QStyleOptionViewItem()
    option.textElideMode = view.textElideMode()          # as the view hands it to the delegate
    delegate.initStyleOption(option, rows["slot2 · save_slot2.midgame"])
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle     # the file stays in sight
    option = QStyleOptionViewItem()
    option.textElideMode = view.textElideMode()
    delegate.initStyleOption(option, rows["slot1"])
    assert option.textElideMode == Qt.TextElideMode.ElideRight
    # no two rows read the same in the columns the list shows
    shown = [tuple(model.index(r, c).data() for c in range(1, 9)) for r in range(model.rowCount())]
    assert len(set(shown)) == len(shown)
    tip = rows["slot2 · save_slot2.midgame"].data(Qt.ItemDataRole.ToolTipRole)
    assert "From save_slot2.midgame.json;" in tip
    assert "also open from profile1-main-session.localStorage.json (same save time and size)" in tip
    view.setCurrentIndex(rows["slot2 · save_slot2.midgame"])
    qtbot.waitUntil(lambda: window.current_row() is not None and window.current_row().document.path == single)


def test_compare_reveals_a_changed_path_in_the_tree(qtbot, window, game_fixtures):
    from PySide6.QtWidgets import QDialog

    window.open_path(game_fixtures / "saves" / "save_slot1.fresh.json")
    window.open_path(game_fixtures / "saves" / "save_slot2.midgame.json")
    _wait_loaded(qtbot, window, n_docs=2)
    window.actionCompare.trigger()
    dlg = window.findChild(QDialog, "compareDialog")
    view = dlg.view
    qtbot.waitUntil(lambda: view.result is not None and not view.is_busy(), timeout=20000)
    changed = next(e for e in view.result.entries if e.new_path and "tutorial" in e.new_path)
    view.sigRevealPath.emit("b", tuple(changed.new_path))
    assert window.current_row().slot.slot_id == "slot2"
    assert window.state_inspector.current_path() == tuple(changed.new_path)
    dlg.close()


def test_a_metric_run_file_opens_as_plain_json(qtbot, window, game_repo_fixtures):
    path = game_repo_fixtures / "benchmark-results" / "m1-profile-1761951451560.json"
    window.metrics_panel.sigOpenRunFile.emit(str(path))  # what clicking a point on the history chart does
    _wait_loaded(qtbot, window)
    row = window.current_row()
    assert row.slot is None and row.document.kind.value == "json"
    assert "benchmarks" in _tree_top_keys(window)
    assert not window.actionExport.isEnabled()


def test_compare_on_a_big_profile_parses_parked_slots_in_the_worker(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QDialog

    from inspector_app.core.demo.synthetic import build_synthetic_profile

    path = tmp_path / "big.json"
    path.write_bytes(build_synthetic_profile(20 * 1024 * 1024))
    window.open_path(path)
    _wait_loaded(qtbot, window, timeout=60000)
    parked = [r.slot for r in window.slot_model.rows() if r.slot.is_parked]
    assert len(parked) >= 2
    candidates = window.compare_candidates()
    assert sum(callable(v) for _label, v in candidates) >= len(parked) - 1  # only the warm one is a dict
    window.actionCompare.trigger()
    view = window.findChild(QDialog, "compareDialog").view
    qtbot.waitUntil(lambda: view.result is not None and not view.is_busy(), timeout=60000)
    assert view.result.total > 0


# -- session 5 (flows): F5 reloads what the shown tab shows ---------------------------------------

def test_reload_on_metric_history_rereads_the_metrics_not_the_save(qtbot, window, game_repo_fixtures):
    """File ▸ Reload (F5) on the Metric History tab re-reads the metrics folder (it reopened the
    save, or did nothing with only a folder open); on a save's tab it reloads the save as before."""
    from PySide6.QtGui import QKeySequence

    from inspector_app.resources import resource_path

    assert window.actionReload.shortcut() == QKeySequence(QKeySequence.StandardKey.Refresh)
    window.open_path(str(game_repo_fixtures))
    panel = window.metrics_panel
    qtbot.waitUntil(lambda: panel.status_text() != "" and not panel.is_busy, timeout=30000)
    assert window.session.current is None and window.actionReload.isEnabled()   # only metrics: still offered
    with qtbot.waitSignal(panel.sigIngestFinished, timeout=30000):
        window.actionReload.trigger()
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=10000)
    window.open_path(resource_path("demo", "saves", "save_slot1.json"))
    qtbot.waitUntil(lambda: not window.is_loading() and window.current_row() is not None, timeout=20000)
    window.tabs.show_tab("metrics")
    with qtbot.waitSignal(panel.sigIngestFinished, timeout=30000):
        window.actionReload.trigger()
        assert not window.is_loading()                   # the save is not reopened
    window.tabs.show_tab("worldstate")
    window.actionReload.trigger()                        # a save's tab: the save reloads
    assert window.is_loading()
    qtbot.waitUntil(lambda: not window.is_loading(), timeout=20000)


def test_the_timeline_shows_the_file_of_the_slot_chosen_in_the_save_list(qtbot, window, game_fixtures):
    """Session 6 (polish): with a profile and a single save open, choosing a slot of the other
    file in the save list shows that file's tutorial data on the Tutorial Timeline (it kept the
    last file opened, under a caption naming it, whatever the list showed)."""
    from inspector_app.ui.main_window import TRANSCRIPT

    profile = (game_fixtures / "localstorage" / "profile1-main-session.localStorage.json").resolve()
    single = (game_fixtures / "saves" / "save_before-memory-parlor.large.json").resolve()   # as the window has them
    window.open_path(profile)
    _wait_loaded(qtbot, window, n_docs=1)
    window.tabs.show_tab(TRANSCRIPT)
    panel = window.transcript_panel
    window.open_path(single)
    _wait_loaded(qtbot, window, n_docs=2)
    qtbot.waitUntil(lambda: panel.source_document is not None and panel.source_document.path == single)
    view = window.findChild(QTreeView, "slotList")
    model = view.model()
    slot1 = next(model.index(r, 1) for r in range(model.rowCount()) if model.index(r, 1).data() == "slot1")
    view.setCurrentIndex(slot1)
    qtbot.waitUntil(lambda: panel.source_document is not None and panel.source_document.path == profile)
    qtbot.waitUntil(lambda: panel.transcript is not None and "slot1" in panel.transcript.sources)
    assert window.current_row().document.path == profile
