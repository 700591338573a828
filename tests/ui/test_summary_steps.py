"""The Save Summary page of an open is built in steps, each in a GUI event of its own (issue 13:
no GUI stall over 50 ms while opening a big save): the facts first, then the overlay replica,
then the tables — and the finished page is the page built in one go."""
from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSplitter

from inspector_app.core.worldstate.views import build_domain_views
from inspector_app.ui.worldstate import DomainViewsPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def large(game_fixtures):
    return orjson.loads((game_fixtures / "saves" / "save_before-memory-parlor.large.json").read_bytes())


def _panel(qtbot):
    panel = DomainViewsPanel()
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_overview_is_built_in_steps_and_ends_as_the_page_built_at_once(qtbot, large):
    views = build_domain_views(large["gameData"], payload=large)
    at_once = _panel(qtbot)
    at_once._show(views, None)
    assert not at_once.tab_pages["overview"].is_building
    stepped = _panel(qtbot)
    stepped._show(views, None, in_steps=True)
    page = stepped.tab_pages["overview"]
    # the first event: facts and notes only
    assert page.is_building and page._overlay_text is None and page._sections == {}
    page._next_step()       # the replica
    assert page._overlay_text is not None and page._sections == {}
    page._next_step()       # the tables
    assert not page.is_building and page._sections
    whole = at_once.tab_pages["overview"]
    assert page.overlay_text.toPlainText() == whole.overlay_text.toPlainText()
    assert list(page.sections) == list(whole.sections)
    qtbot.waitUntil(lambda: page.findChild(QSplitter).sizes() == whole.findChild(QSplitter).sizes())


def test_the_steps_run_by_themselves_and_reading_the_page_finishes_it(qtbot, large):
    views = build_domain_views(large["gameData"], payload=large)
    panel = _panel(qtbot)
    panel._show(views, None, in_steps=True)
    page = panel.tab_pages["overview"]
    assert page.is_building
    qtbot.waitUntil(lambda: not page.is_building)     # the timers ran every step
    assert page._overlay_text is not None and page._sections
    panel._show(views, None, in_steps=True)
    assert page.is_building
    assert "Cascade events" in page.overlay_text.toPlainText() and not page.is_building   # finished at once


def test_a_newer_page_drops_the_steps_left(qtbot, large):
    views = build_domain_views(large["gameData"], payload=large)
    panel = _panel(qtbot)
    panel._show(views, None, in_steps=True)
    page = panel.tab_pages["overview"]
    page.show_message("Building the views of this save…")
    assert not page.is_building and page._overlay_text is None
    later: list[bool] = []
    QTimer.singleShot(5, lambda: later.append(True))    # after the dropped step's 1 ms timer
    qtbot.waitUntil(lambda: bool(later))
    assert page.widget().text() == "Building the views of this save…" and page._overlay_text is None


def test_the_steps_hold_background_work_off(qtbot, large, monkeypatch):
    """While a page is built in steps the search index's fill waits (guiturn.hold_background)."""
    from inspector_app.core.common import guiturn

    now = [1000.0]
    monkeypatch.setattr(guiturn, "_clock", lambda: now[0])
    monkeypatch.setattr(guiturn, "_hold_until", 0.0)
    views = build_domain_views(large["gameData"], payload=large)
    panel = _panel(qtbot)
    panel._show(views, None, in_steps=True)
    assert guiturn.background_held()
    now[0] += guiturn.BACKGROUND_HOLD_S * 2
    assert not guiturn.background_held()
    panel.tab_pages["overview"]._next_step()
    assert guiturn.background_held()
