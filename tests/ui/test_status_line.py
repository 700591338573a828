"""The one status line (ui/widgets/status_line): the Tutorial Timeline, Metric History, Export,
Playtest, Followed values and browser dialog all show theirs through it — muted but legible
(≥ 4.5:1, not the dim placeholder colour) on light and dark, errors in the theme's "bad" colour,
restyled when the theme switches."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from inspector_app.ui import theme
from inspector_app.ui.widgets.status_line import StatusLine

pytestmark = pytest.mark.gui


def _shown(line: StatusLine):
    """The colour the line's text is drawn in, read back from the rendered palette."""
    line.ensurePolished()
    return line.palette().color(QPalette.ColorRole.WindowText)


def test_the_timeline_status_reads_as_text_on_light_and_dark(qtbot, transcript_panel):
    from inspector_app.core.transcript.model import Transcript

    panel = transcript_panel
    assert isinstance(panel.status, StatusLine)
    controller = theme.controller()
    try:
        for mode in (theme.ThemeMode.DARK, theme.ThemeMode.LIGHT):
            controller.set_mode(mode, remember=False)
            panel.set_transcript(Transcript(entries=[]))
            panel._set_status("0 of 0 entries shown · 0 step spans")
            pal = QApplication.palette()                 # the one source of colour (the panel's follows it)
            qtbot.waitUntil(lambda: _shown(panel.status) == theme.value_colors(pal)["muted"], timeout=5000)
            colour = _shown(panel.status)
            assert colour != pal.color(QPalette.ColorRole.PlaceholderText)
            for background in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
                assert theme.contrast_ratio(colour, pal.color(background)) >= 4.5
            panel._set_status("Export failed: the file exists", error=True)
            assert _shown(panel.status) == theme.value_colors(pal)["bad"] and panel.status.is_error
    finally:
        controller.set_mode(theme.ThemeMode.LIGHT, remember=False)


def test_an_error_follows_a_theme_switch_and_a_success_clears_it(qtbot):
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    line = StatusLine("someStatus", host)
    host.show()
    controller = theme.controller()
    try:
        controller.set_mode(theme.ThemeMode.LIGHT, remember=False)
        line.set_status("Could not read <b>x</b> & y", error=True)
        assert line.text() == "Could not read <b>x</b> & y"          # plain text: shown as written
        light_bad = theme.value_colors(theme.build_palette(False))["bad"]
        dark_bad = theme.value_colors(theme.build_palette(True))["bad"]
        assert _shown(line) == light_bad
        controller.set_mode(theme.ThemeMode.DARK, remember=False)
        qtbot.waitUntil(lambda: _shown(line) == dark_bad, timeout=5000)
        line.set_status("Done")
        assert _shown(line) == theme.value_colors(theme.build_palette(True))["muted"] and not line.is_error
    finally:
        controller.set_mode(theme.ThemeMode.LIGHT, remember=False)


def test_every_panel_uses_the_one_status_line(qtbot, window, tmp_path):
    from inspector_app.ui.browser.open_dialog import OpenBrowserProfileDialog

    window.tabs.show_tab("metrics")
    assert isinstance(window.metrics_panel.status, StatusLine)
    assert isinstance(window.transcript_panel.status, StatusLine)
    dialog = OpenBrowserProfileDialog(window, discover=False)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.status, StatusLine)
    dialog.list_folder(tmp_path)              # not a profile: an error, in the error colour
    assert dialog.status.is_error and "not a browser profile" in dialog.status.text()
    assert _shown(dialog.status) == theme.value_colors(dialog.palette())["bad"]


def test_the_timeline_tab_fits_the_window_with_its_status_in_view(qtbot, window, game_fixtures):
    """At 1280×800 the Tutorial Timeline fits its tab: the status line is on screen, not below
    a scroll (a wrapping label with height-for-width made the scroll area size the panel to its
    preferred ~1070 px)."""
    window.resize(1280, 800)
    window.open_path(game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    qtbot.waitUntil(lambda: bool(window.documents()) and not window.is_loading(), timeout=20000)
    window.tabs.show_tab("transcript")
    panel = window.transcript_panel
    from PySide6.QtWidgets import QScrollArea

    area = next(w for w in _ancestors(panel) if isinstance(w, QScrollArea))
    qtbot.waitUntil(lambda: panel.status.text() != "", timeout=10000)
    qtbot.waitUntil(lambda: panel.height() <= area.viewport().height(), timeout=5000)
    bottom = panel.status.mapTo(area.viewport(), panel.status.rect().bottomLeft()).y()
    assert 0 < bottom <= area.viewport().height()


def _ancestors(widget):
    while widget is not None:
        widget = widget.parentWidget()
        yield widget


def test_a_long_message_wraps_at_the_lines_width_and_a_short_one_is_one_line(qtbot):
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    host = QWidget()
    qtbot.addWidget(host)
    lay = QVBoxLayout(host)
    line = StatusLine("someStatus", host, boxed=True)
    lay.addWidget(line)
    lay.addStretch(1)
    host.resize(300, 400)
    host.show()
    qtbot.waitExposed(host)
    one = line.fontMetrics().height()
    line.set_status("Done")
    qtbot.waitUntil(lambda: line.height() < 2 * one, timeout=5000)
    long = "Could not read /a/very/long/path/to/a/browser/profile/that/does/not/fit/on/one/line: " * 3
    line.set_status(long, error=True)
    qtbot.waitUntil(lambda: line.height() >= 3 * one, timeout=5000)
    assert line.height() >= line.heightForWidth(line.width()) - 1      # every wrapped line shown
