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
    yield p
    # a Follow Live poll still in the worker reports to the panel when it ends: let it end while the
    # panel is alive, not in the next test (where its status line is already deleted)
    p.stop_following()
    qtbot.waitUntil(lambda: p._follow_task is None, timeout=60000)
