"""Export subtree… from the tree's context actions and Export… from the search panel."""
from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QToolButton

from inspector_app.ui.widgets.search_panel import SearchPanel
from inspector_app.ui.widgets.state_inspector import StateInspector

pytestmark = pytest.mark.gui


def _answer_save_dialog(qtbot, path: Path):
    def drive():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QFileDialog):
            QTimer.singleShot(20, drive)
            return
        assert dlg.objectName() == "selectionExportDialog"
        edit = dlg.findChild(QLineEdit, "fileNameEdit")
        edit.setText(str(path))
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)


def test_export_subtree_through_the_context_action(qtbot, game_fixtures, tmp_path):
    payload = orjson.loads((game_fixtures / "saves" / "save_slot2.midgame.json").read_bytes())
    inspector = StateInspector()
    qtbot.addWidget(inspector)
    inspector.show()
    inspector.set_document_value(payload, "slot2")
    assert inspector.reveal_path(("gameData", "factions"))
    target = tmp_path / "factions.json"
    _answer_save_dialog(qtbot, target)
    with qtbot.waitSignal(inspector.exporter.sigFinished, timeout=10000) as done:
        inspector.findChild(QAction, "actionExportSubtree").trigger()
    ok, message = done.args
    assert ok and str(target) in message
    assert orjson.loads(target.read_bytes()) == payload["gameData"]["factions"]


def test_export_subtree_as_csv_lists_every_leaf(qtbot, game_fixtures, tmp_path):
    payload = orjson.loads((game_fixtures / "saves" / "save_slot2.midgame.json").read_bytes())
    inspector = StateInspector()
    qtbot.addWidget(inspector)
    inspector.set_document_value(payload, "slot2")
    inspector.reveal_path(("gameData", "inventory", "items"))
    target = tmp_path / "items.csv"
    with qtbot.waitSignal(inspector.exporter.sigFinished, timeout=10000):
        inspector.export_subtree(str(target))
    lines = target.read_text().splitlines()
    assert lines[0] == "path,type,value"
    assert all(line.startswith("$.gameData.inventory.items[") for line in lines[1:])
    assert any(",Neural Extractor Device" in line for line in lines) or len(lines) > 1


def test_search_results_export_button(qtbot, game_fixtures, tmp_path):
    payload = orjson.loads((game_fixtures / "saves" / "save_before-memory-parlor.large.json").read_bytes())
    panel = SearchPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_root(payload)
    button = panel.findChild(QToolButton, "searchExport")
    assert not button.isEnabled()
    panel.findChild(QLineEdit, "stateSearch").setText("luminari")
    panel.search_now()
    qtbot.waitUntil(lambda: panel.last_result is not None and button.isEnabled(), timeout=10000)
    target = tmp_path / "hits.csv"
    _answer_save_dialog(qtbot, target)
    with qtbot.waitSignal(panel.exporter.sigFinished, timeout=10000):
        button.click()
    rows = target.read_text().splitlines()
    assert rows[0] == "path,field,preview" and len(rows) - 1 == len(panel.last_result.hits)
    assert "Exported" in panel.status_label.text()
