"""File ▸ Open browser profile…: discovered profiles and origins, choose a folder, open in the worker."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from inspector_app.ui.browser.open_dialog import OpenBrowserProfileDialog

from .leveldb_writer import write_chromium_db
from .test_leveldb_reader import INDEX, ORIGIN, SAVE

pytestmark = pytest.mark.gui


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    write_chromium_db(tmp_path / ".config/chromium/Default/Local Storage/leveldb", ORIGIN,
                      {"save_metadata": INDEX, "save_slot2": SAVE, "tutorial_completed": "true"})
    return tmp_path


def test_open_browser_profile_action_lists_and_opens(qtbot, window, home):
    window.findChild(type(window.actionOpen), "actionOpenBrowserProfile").trigger()
    dlg = window.findChild(QDialog, "browserProfileDialog")
    assert isinstance(dlg, OpenBrowserProfileDialog) and dlg.isVisible()
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 1, timeout=15000)
    row = dlg.model.rows()[0]
    assert (row.browser, row.profile, row.origin, row.slots) == ("Chromium", "Default", ORIGIN, 1)
    texts = [dlg.model.index(0, c).data() for c in range(dlg.model.columnCount())]
    assert texts[:4] == ["Chromium", "Default", ORIGIN, "1"] and texts[4].startswith("2025-11-")
    assert dlg.buttons.button(QDialogButtonBox.StandardButton.Open).isEnabled()
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000) as loaded:
        dlg.buttons.button(QDialogButtonBox.StandardButton.Open).click()
    doc = loaded.args[0]
    assert doc.source == f"Chromium · Default · {ORIGIN}"
    assert [s.slot_id for s in doc.slots] == ["slot2"]
    model = window.slot_model
    assert any(r.document is doc for r in model.rows())
    assert f"Chromium · Default · {ORIGIN}" in window.status_label.text()


def test_choose_folder_lists_that_folder_and_rejects_others(qtbot, tmp_path):
    profile = tmp_path / "elsewhere" / "Profile 3"
    write_chromium_db(profile / "Local Storage" / "leveldb", "https://game.example", {"save_slot2": SAVE})
    dlg = OpenBrowserProfileDialog(discover=False)
    qtbot.addWidget(dlg)
    assert not dlg.buttons.button(QDialogButtonBox.StandardButton.Open).isEnabled()
    with qtbot.waitSignal(dlg.sigListed, timeout=15000):
        dlg.list_folder(tmp_path / "nothing-here")
    assert "not a browser profile" in dlg.status.text()
    with qtbot.waitSignal(dlg.sigListed, timeout=15000):
        dlg.list_folder(profile)
    assert dlg.chosen() == (profile / "Local Storage" / "leveldb", "https://game.example")
    assert "1 origin(s) with saves" in dlg.status.text()


def test_open_path_on_a_profile_folder_opens_saves_not_metrics(qtbot, window, home):
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000) as loaded:
        window.open_path(home / ".config/chromium/Default")
    assert loaded.args[0].source == f"Chromium · Default · {ORIGIN}"
