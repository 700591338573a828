"""Fixtures shared by the GUI tests."""
from __future__ import annotations

import pytest

from inspector_app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    """A shown main window; loads still running at the end are cancelled."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.cancel_loads()
