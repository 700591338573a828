"""The Export Events dock after an export: one compact row under the views (the last event and
"Show events (n)"), the full filterable list one click away, and the choice remembered."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QLineEdit, QPushButton

from inspector_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _export(qtbot, window, game_fixtures, out) -> None:
    window.open_path(game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    qtbot.waitUntil(lambda: bool(window.documents()) and not window.is_loading(), timeout=20000)
    window.actionExport.trigger()
    dlg = window.findChild(QDialog, "exportDialog")
    dlg.findChild(QLineEdit, "exportOutDir").setText(str(out))
    for key in ("json", "csv", "transcript-csv", "transcript-md"):
        dlg.findChild(QCheckBox, f"exportFormat_{key}").setChecked(key == "json")
    with qtbot.waitSignal(dlg.sigExportFinished, timeout=20000):
        dlg.findChild(QPushButton, "exportRun").click()
    dlg.close()


def test_the_events_dock_is_one_row_until_opened_and_remembers(qtbot, window, game_fixtures, tmp_path):
    window.resize(1280, 800)
    _export(qtbot, window, game_fixtures, tmp_path / "out")
    panel = window.export_events
    qtbot.waitUntil(window.events_dock.isVisible, timeout=5000)
    # compact: the last event on one line, no list, the dock about one row high
    last = panel.model.rows()[-1]
    assert panel.last.text().startswith(f"#{last.export_id} {last.event}") and last.event.startswith("telemetry:")
    assert not panel.view.isVisibleTo(panel) and not panel.filter.isVisibleTo(panel)
    count = panel.model.rowCount()
    assert count >= 3 and panel.toggle.text() == f"Show events ({count})"
    row = panel.toggle.sizeHint().height()
    qtbot.waitUntil(lambda: window.events_dock.height() <= 3 * row, timeout=5000)
    # opened with one click: the list, its filter, and room for several rows
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    assert panel.expanded and panel.view.isVisibleTo(panel) and panel.filter.isVisibleTo(panel)
    qtbot.waitUntil(lambda: window.events_dock.height() >= 120, timeout=5000)
    assert panel.toggle.text() == "Hide events"
    # remembered: the next window's panel opens as the user left it
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.export_events.expanded
    again.export_events.set_expanded(False)
    third = MainWindow()
    qtbot.addWidget(third)
    assert not third.export_events.expanded


def test_browse_chooses_the_output_folder_through_the_one_folder_dialog(qtbot, window, game_fixtures, tmp_path):
    """Export ▸ Browse… opens the app's folder chooser (folders only, Qt's own under tests) at
    the folder typed so far; the folder picked lands in the field."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog

    window.open_path(game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    qtbot.waitUntil(lambda: bool(window.documents()) and not window.is_loading(), timeout=20000)
    window.actionExport.trigger()
    dlg = window.findChild(QDialog, "exportDialog")
    start, target = tmp_path / "start", tmp_path / "reports"
    start.mkdir()
    target.mkdir()
    dlg.findChild(QLineEdit, "exportOutDir").setText(str(start))
    seen = {}

    def pick() -> None:
        chooser = dlg.findChild(QFileDialog, "exportFolderDialog")
        if chooser is None or not chooser.isVisible():
            QTimer.singleShot(20, pick)            # the modal chooser is not up yet
            return
        seen.update(native=not chooser.testOption(QFileDialog.Option.DontUseNativeDialog),
                    dirs_only=chooser.testOption(QFileDialog.Option.ShowDirsOnly),
                    mode=chooser.fileMode(), start=chooser.directory().absolutePath())
        edit = chooser.findChild(QLineEdit, "fileNameEdit")
        edit.setText(str(target))
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, pick)
    qtbot.mouseClick(dlg.findChild(QPushButton, "exportBrowse"), Qt.MouseButton.LeftButton)
    assert seen == {"native": False, "dirs_only": True, "mode": QFileDialog.FileMode.Directory, "start": str(start)}
    assert dlg.findChild(QLineEdit, "exportOutDir").text() == str(target)
    dlg.close()
