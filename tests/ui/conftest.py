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


@pytest.fixture
def transcript_panel(qtbot):
    """A shown Tutorial Timeline panel, about the size it has in a 1280×800 window."""
    from inspector_app.ui.transcript import TranscriptPanel
    p = TranscriptPanel()
    qtbot.addWidget(p)
    p.resize(1300, 820)
    p.show()
    qtbot.waitExposed(p)
    return p
