"""Daily flows driven from the keyboard, at the window's real widgets (session 8's pass)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

pytestmark = pytest.mark.gui


def test_opening_from_the_welcome_page_puts_the_keyboard_on_the_save_list(qtbot, window):
    """Space on "Open demo profile", then Down walks the slots: the focus goes to the save list
    when the welcome page gives way (Qt would leave it on the tab bar)."""
    window.resize(1280, 800)
    demo = window.findChild(QPushButton, "welcomeDemo")
    demo.setFocus()
    qtbot.waitUntil(lambda: window.focusWidget() is demo, timeout=5000)
    with qtbot.waitSignal(window.sigDocumentLoaded, timeout=30000):
        qtbot.keyClick(demo, Qt.Key.Key_Space)
    slots = window.slot_list
    qtbot.waitUntil(lambda: window.focusWidget() is slots and window.current_row() is not None, timeout=10000)
    first = window.current_row().slot.slot_id
    qtbot.keyClick(slots, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.current_row().slot.slot_id != first, timeout=10000)
