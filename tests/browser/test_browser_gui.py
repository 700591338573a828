"""File ▸ Open browser profile…: discovered profiles and origins, choose a folder, open in the worker."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
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


def test_another_games_origin_is_told_apart_and_the_profile_keeps_its_name(qtbot, window, tmp_path, monkeypatch):
    """Two games served from this machine (same browser profile, two addresses), both with
    ``save_*`` keys: the game's origin is listed first and chosen; the other shows "0 of 2",
    greyed, with a tooltip that says why. Opening an origin names the Firefox profile the user
    knows, not the origin's folder."""
    from inspector_app.ui import theme

    from .test_leveldb_reader import _firefox_db

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    profile = tmp_path / ".mozilla" / "firefox" / "x7k2.default-esr"
    default = profile / "storage" / "default"
    other = ('{"level":3,"stars":7}', '{"music":0.4}')
    _firefox_db(default / "http+++127.0.0.1+5173" / "ls" / "data.sqlite", [
        ("save_1", len(other[0]), 1, 0, other[0].encode()), ("save_settings", len(other[1]), 1, 0, other[1].encode())])
    _firefox_db(default / "http+++127.0.0.1+8080" / "ls" / "data.sqlite", [
        ("save_metadata", len(INDEX), 1, 0, INDEX.encode()), ("save_slot2", len(SAVE), 1, 0, SAVE.encode())])
    window.findChild(type(window.actionOpen), "actionOpenBrowserProfile").trigger()
    dlg = window.findChild(QDialog, "browserProfileDialog")
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 2, timeout=15000)
    rows = dlg.model.rows()
    assert [(r.origin, r.slots, r.game_saves) for r in rows] == [(ORIGIN, 1, 1), ("http://127.0.0.1:5173", 2, 0)]
    assert dlg.chosen() == (default / "http+++127.0.0.1+8080" / "ls", ORIGIN)
    tip = dlg.model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert dlg.model.index(1, 3).data() == "0 of 2" and "another game" in tip
    assert dlg.model.index(1, 2).data(Qt.ItemDataRole.ForegroundRole) == theme.value_colors()["muted"]
    qtbot.waitUntil(lambda: "another game" in dlg.status.text(), timeout=5000)
    assert "1 origin(s) with saves of the game" in dlg.status.text() and not dlg.status.is_error
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000) as loaded:
        dlg.buttons.button(QDialogButtonBox.StandardButton.Open).click()
    assert loaded.args[0].source == f"Firefox · x7k2.default-esr · {ORIGIN}"


def test_each_open_lists_afresh_and_leaves_no_dialog_behind(qtbot, window, home):
    """File ▸ Open Browser Profile twice: the second listing is new (a save written meanwhile
    shows), and a closed dialog is gone, not a hidden child of the window for the session."""
    action = window.findChild(type(window.actionOpen), "actionOpenBrowserProfile")
    action.trigger()
    first = window.findChild(QDialog, "browserProfileDialog")
    qtbot.waitUntil(lambda: first.model.rowCount() == 1, timeout=15000)
    first.reject()
    qtbot.waitUntil(lambda: not window.findChildren(QDialog, "browserProfileDialog"), timeout=5000)
    write_chromium_db(home / ".config/chromium/Profile 1/Local Storage/leveldb", "https://other.example",
                      {"save_slot2": SAVE})
    action.trigger()
    (second,) = window.findChildren(QDialog, "browserProfileDialog")
    qtbot.waitUntil(lambda: second.model.rowCount() == 2, timeout=15000)
    assert {r.profile for r in second.model.rows()} == {"Default", "Profile 1"}


def test_firefox_profiles_show_their_profiles_ini_name_with_the_folder_in_the_tooltip(qtbot, window, tmp_path,
                                                                                      monkeypatch):
    """The dialog's Profile column names a Firefox profile as profiles.ini does ("default-esr",
    what about:profiles shows), not by its folder ("k3x9.default-esr"); the tooltip gives the
    folder. The opened document, the title and the status bar use the same name."""
    from .test_leveldb_reader import _firefox_db

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    root = tmp_path / ".config" / "mozilla" / "firefox"
    profile = root / "k3x9.default-esr"
    _firefox_db(profile / "storage/default/http+++127.0.0.1+8080/ls/data.sqlite", [
        ("save_metadata", len(INDEX), 1, 0, INDEX.encode()), ("save_slot2", len(SAVE), 1, 0, SAVE.encode())])
    (root / "profiles.ini").write_text("[Profile0]\nName=default-esr\nIsRelative=1\nPath=k3x9.default-esr\n"
                                       "Default=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n")
    window.findChild(type(window.actionOpen), "actionOpenBrowserProfile").trigger()
    dlg = window.findChild(QDialog, "browserProfileDialog")
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 1, timeout=15000)
    assert dlg.model.index(0, 1).data() == "default-esr"
    tip = dlg.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "default-esr" in tip and str(profile) in tip
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=15000) as loaded:
        dlg.buttons.button(QDialogButtonBox.StandardButton.Open).click()
    assert loaded.args[0].source == f"Firefox · default-esr · {ORIGIN}"
    assert "Firefox · default-esr" in window.status_label.text()
    # the Problems dock lists the origin's findings under that name too, not its folder ("ls")
    problems = window.problems_panel.model
    qtbot.waitUntil(lambda: problems.rowCount() > 0, timeout=5000)
    assert {problems.index(r, 1).data() for r in range(problems.rowCount())} == {f"Firefox · default-esr · {ORIGIN}"}


def test_nothing_found_says_where_it_looked_and_what_next(qtbot, tmp_path, monkeypatch):
    """No profile at all: the table's place says which browsers and places were looked at, and
    the keyboard focus is on Choose Folder…; profiles without the game's saves: which profiles
    were read. Never a blank table."""
    from PySide6.QtWidgets import QLabel, QPushButton

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    dlg = OpenBrowserProfileDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    empty = dlg.findChild(QLabel, "browserProfileEmpty")
    qtbot.waitUntil(lambda: dlg.stack.currentWidget() is empty, timeout=15000)
    assert "No browser profile was found" in empty.text()
    assert "Chromium" in empty.text() and "Firefox" in empty.text() and "~/.mozilla/firefox" in empty.text()
    assert "Choose Folder" in empty.text()
    qtbot.waitUntil(lambda: dlg.findChild(QPushButton, "browserChooseFolder").hasFocus(), timeout=5000)
    assert not dlg.buttons.button(QDialogButtonBox.StandardButton.Open).isEnabled()
    dlg.reject()

    write_chromium_db(tmp_path / ".config/chromium/Default/Local Storage/leveldb", ORIGIN, {"theme": "dark"})
    again = OpenBrowserProfileDialog()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.stack.currentWidget() is again.empty, timeout=15000)
    assert "None of the browser profiles" in again.empty.text() and "Chromium · Default" in again.empty.text()
    # a listing with rows shows the table
    with qtbot.waitSignal(again.sigListed, timeout=15000):
        write_chromium_db(tmp_path / "copy/Default/Local Storage/leveldb", ORIGIN, {"save_slot2": SAVE})
        again.list_folder(tmp_path / "copy/Default")
    assert again.stack.currentWidget() is again.table and again.model.rowCount() == 1


def test_the_welcome_page_opens_the_browser_saves(qtbot, window, home):
    """The first screen offers the browser's own saves beside Open file… (the way most designers
    get at a save), with the keyboard as well as the mouse."""
    from PySide6.QtWidgets import QPushButton

    button = window.findChild(QPushButton, "welcomeBrowser")
    assert button is not None and button.isVisible() and button.isEnabled()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "browserProfileDialog") is not None, timeout=5000)
    dlg = window.findChild(QDialog, "browserProfileDialog")
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 1, timeout=15000)
    dlg.reject()
