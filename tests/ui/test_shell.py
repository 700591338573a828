"""The window's shell: lazy tabs, docks that hide when empty, title, problems header, theme,
shortcuts list, file-dialog policy, slot labels shown safely, start-up without pyqtgraph."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QTreeWidget

from inspector_app.ui import filedialogs, theme
from inspector_app.ui.main_window import METRICS, TRANSCRIPT

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


def _wait_loaded(qtbot, win, n_docs=1):
    qtbot.waitUntil(lambda: len(win.documents()) >= n_docs and not win.is_loading(), timeout=20000)


def _open_broken(qtbot, win, path: Path, content: bytes) -> None:
    path.write_bytes(content)
    with qtbot.waitSignal(win.sigLoadFailed, timeout=10000):
        win.open_path(path)


def _tab_index(win, title: str) -> int:
    return [win.tabs.tabText(i) for i in range(win.tabs.count())].index(title)


@pytest.fixture
def light_theme():
    """Tests that switch the theme leave the application light again."""
    yield theme.controller()
    theme.controller().set_mode(theme.ThemeMode.LIGHT, remember=False)


def test_start_up_does_not_import_pyqtgraph_or_build_any_tab():
    code = ("import sys\n"
            "from inspector_app.ui.app import create_application\n"
            "app = create_application()\n"
            "from inspector_app.ui.main_window import MainWindow\n"
            "w = MainWindow(); w.show(); app.processEvents()\n"
            "heavy = ('pyqtgraph', 'numpy', 'inspector_app.core.loading.loader', 'inspector_app.core.browser',\n"
            "         'inspector_app.core.diff', 'inspector_app.core.export.pipeline', 'inspector_app.core.search')\n"
            "print(sorted(m for m in heavy if m in sys.modules))\n"
            "print(all(w.tabs.panel(k) is None for k in ('summary', 'worldstate', 'transcript', 'metrics')))\n"
            "from PySide6.QtWidgets import QTreeView\n"
            "print(w.findChild(QTreeView, 'stateTree') is not None)\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    # nothing heavy at start-up; the automation surface is still found (built on demand)
    assert out.stdout.split("\n")[:3] == ["[]", "True", "True"]


def test_opening_a_save_does_not_build_the_hidden_timeline_which_catches_up_when_shown(qtbot, window, game_fixtures):
    from pyqtgraph import PlotWidget

    window.open_path(game_fixtures / "saves" / "save_slot2.midgame.json")
    _wait_loaded(qtbot, window)
    assert window.tabs.panel(TRANSCRIPT) is None and window.tabs.panel(METRICS) is None
    assert window.findChild(PlotWidget, "transcriptTimeline") is None
    window.tabs.setCurrentIndex(_tab_index(window, "Tutorial Timeline"))
    panel = window.tabs.panel(TRANSCRIPT)
    assert panel is not None and window.findChild(PlotWidget, "transcriptTimeline") is not None
    qtbot.waitUntil(lambda: panel.transcript is not None and len(panel.transcript) > 0, timeout=20000)
    window.tabs.setCurrentIndex(_tab_index(window, "Metric History"))
    assert window.findChild(PlotWidget, "metricHistoryPlot") is not None


def test_empty_docks_hide_and_come_back_with_content(qtbot, window, game_fixtures, tmp_path):
    assert window.saves_dock.isHidden() and window.problems_dock.isHidden() and window.events_dock.isHidden()
    window.open_path(game_fixtures / "saves" / "save_slot1.fresh.json")
    _wait_loaded(qtbot, window)
    assert window.saves_dock.isVisible()
    assert window.problems_dock.isHidden(), "a clean save has no problems to show"
    _open_broken(qtbot, window, tmp_path / "broken.json", b'{"version": 1,,}')
    assert window.problems_dock.isVisible()


def test_a_dock_the_user_closed_stays_closed(qtbot, window, tmp_path):
    window.problems_dock.toggleViewAction().trigger()  # the user closes it (it was hidden: now shown)
    window.problems_dock.toggleViewAction().trigger()  # and closes it
    _open_broken(qtbot, window, tmp_path / "broken.json", b"{")
    assert window.problems_dock.isHidden()


def test_problems_header_counts_what_the_table_lists_after_a_failed_open(qtbot, window, tmp_path):
    _open_broken(qtbot, window, tmp_path / "garbage.json", b"\x00\x01 not json")
    panel = window.problems_panel
    assert panel.model.rowCount() == 1
    assert panel.summary_text() == "1 error"
    # the whole message is readable: selecting the row shows it wrapped beside the table
    panel.view.setCurrentIndex(panel.view.model().index(0, 0))
    assert "garbage.json" in panel.details.text() and panel.details.wordWrap()


def test_window_title_names_the_file_and_slot(qtbot, window, game_fixtures):
    assert window.windowTitle() == "Telemetry Inspector"
    window.open_path(game_fixtures / "saves" / "save_slot1.fresh.json")
    _wait_loaded(qtbot, window)
    assert window.windowTitle() == "save_slot1.fresh.json — Telemetry Inspector"
    window.open_path(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json")
    _wait_loaded(qtbot, window, 2)
    row = window.current_row()
    assert window.windowTitle() == f"profile1-main-session.localStorage.json ({row.slot.label}) — Telemetry Inspector"
    window.actionClose.trigger()
    window.actionClose.trigger()
    assert window.windowTitle() == "Telemetry Inspector"


def test_status_bar_names_the_metrics_folder_when_its_tab_is_current(qtbot, window, game_repo_fixtures):
    folder = game_repo_fixtures / "benchmark-results"
    window.open_path(folder)
    assert window.tabs.currentWidget() is window.metrics_page
    assert "Nothing loaded" not in window.status_label.text()
    assert window.windowTitle().startswith("benchmark-results — ")
    assert window.saves_dock.isHidden(), "no saves are open: the save list keeps no room"


def test_theme_switch_changes_the_palette_and_a_summary_panel_follows(qtbot, window, game_fixtures, light_theme):
    window.open_path(game_fixtures / "saves" / "save_slot2.midgame.json")
    _wait_loaded(qtbot, window)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.findChild(QFrame, "facts") is not None, timeout=20000)
    facts = window.findChild(QFrame, "facts")

    def background() -> QColor:
        QApplication.processEvents()
        img = facts.grab().toImage()
        return QColor(img.pixel(img.width() // 2, 3))

    window.theme_actions["light"].trigger()
    assert not theme.is_dark()
    assert background().lightness() > 200
    window.theme_actions["dark"].trigger()
    assert theme.is_dark()
    assert QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 60
    assert background().lightness() < 80, "the facts box must not keep a light background under a dark palette"
    label = next(w for w in facts.findChildren(QLabel) if w.text())
    assert label.palette().color(QPalette.ColorRole.WindowText).lightness() > 150
    assert window.theme_actions["dark"].isChecked()
    from inspector_app.ui.settings import app_settings

    assert app_settings().value(theme.SETTINGS_KEY) == "dark"


@pytest.mark.parametrize("dark", [False, True])
def test_value_colours_meet_wcag_aa_on_every_background(dark):
    pal = theme.build_palette(dark)
    colours = theme.value_colors(pal)
    backgrounds = [pal.color(r) for r in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase,
                                          QPalette.ColorRole.Window)]
    for name in theme.VALUE_NAMES:
        for bg in backgrounds + [colours[name + "_bg"]]:
            ratio = theme.contrast_ratio(colours[name], bg)
            assert ratio >= 4.5, f"{name} {colours[name].name()} on {bg.name()}: {ratio:.2f}"
    text = pal.color(QPalette.ColorRole.Text)
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
        assert theme.contrast_ratio(text, pal.color(role)) >= 7
    assert theme.contrast_ratio(pal.color(QPalette.ColorRole.PlaceholderText), pal.color(QPalette.ColorRole.Base)) >= 4.5


def test_contrast_ratio_matches_wcag_reference_values():
    assert theme.contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert theme.contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


def test_keyboard_shortcuts_list_is_generated_from_the_actions(qtbot, window):
    rows = dict(window.shortcut_rows())
    assert rows["Open"] == window.actionOpen.shortcut().toString(window.actionOpen.shortcut().SequenceFormat.NativeText)
    assert "Export Report" in rows and "Compare Saves" in rows and "Keyboard Shortcuts" in rows
    dlg = window.show_shortcuts()
    qtbot.addWidget(dlg)
    table = dlg.findChild(QTreeWidget, "shortcutsList")
    assert table is not None and table.topLevelItemCount() == len(rows)
    dlg.close()


def test_toolbar_actions_and_window_have_icons(window):
    for a in (window.actionOpen, window.actionExport, window.actionCompare, window.actionOpenMetrics):
        assert not a.icon().isNull(), a.objectName()
    assert not window.windowIcon().isNull()


def test_main_views_have_accessible_names(window):
    for w in (window.slot_list, window.state_inspector, window.search_panel, window.domain_views,
              window.problems_panel, window.tabs):
        assert w.accessibleName(), w.objectName()


def test_file_dialogs_are_native_in_the_app_and_qt_ones_in_tests(monkeypatch):
    assert not filedialogs.use_native()  # tests/conftest.py asks for Qt's own dialogs
    monkeypatch.delenv(filedialogs.ENV)
    assert filedialogs.use_native()
    monkeypatch.setattr(filedialogs, "FORCE_NON_NATIVE", True)
    assert not filedialogs.use_native()


def test_slot_labels_show_bidi_overrides_and_zero_width_characters(qtbot, window, game_fixtures, tmp_path):
    import json

    save = json.loads((game_fixtures / "saves" / "save_slot1.fresh.json").read_text(encoding="utf-8"))
    save.setdefault("meta", {})["slotLabel"] = "Case\u202eelif\u200b"
    path = tmp_path / "save_slot1.json"
    path.write_text(json.dumps(save), encoding="utf-8")
    window.open_path(path)
    _wait_loaded(qtbot, window)
    model = window.slot_list.model()
    labels = [model.index(r, 1).data() for r in range(model.rowCount())]
    shown = [t for t in labels if t.startswith("Case")]
    assert shown and "\u202e" not in shown[0] and "\\u202e" in shown[0] and "\\u200b" in shown[0]


@pytest.mark.parametrize("platform,display,expect_offscreen", [("linux", None, True), ("linux", ":0", False),
                                                               ("win32", None, False), ("darwin", None, False)])
def test_offscreen_only_on_linux_without_a_display(monkeypatch, capsys, platform, display, expect_offscreen):
    from inspector_app.ui import app as app_module

    monkeypatch.setattr(app_module.sys, "platform", platform)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    if display:
        monkeypatch.setenv("DISPLAY", display)
    else:
        monkeypatch.delenv("DISPLAY", raising=False)
    app_module._choose_platform()
    assert (os.environ.get("QT_QPA_PLATFORM") == "offscreen") == expect_offscreen
    assert ("offscreen" in capsys.readouterr().err) == expect_offscreen


def test_file_dialog_policy_has_one_home():
    """Every file dialog goes through ui/filedialogs.py (native in the app, Qt's own in tests)."""
    offenders = [str(p.relative_to(REPO)) for p in (REPO / "inspector_app").rglob("*.py")
                 if p.name != "filedialogs.py"
                 and ("DontUseNativeDialog" in p.read_text(encoding="utf-8")
                      or "AA_DontUseNativeDialogs" in p.read_text(encoding="utf-8"))]
    assert offenders == []
