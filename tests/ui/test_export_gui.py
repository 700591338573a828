"""Export by button (issue 4): the real Export action, dialog, worker, result panel, events dock,
metric history — through the same pipeline as ``inspector-export``."""
from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QGroupBox, QLineEdit, QPushButton, QRadioButton

from inspector_app.core.export import writers as export_writers
from inspector_app.core.metrics.history_log import history_path, read_export_history
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.theme import _VALUE_COLOURS

pytestmark = pytest.mark.gui

#: the app's one error red (the theme's "bad" value colour) on light and dark palettes
LIGHT_BAD, DARK_BAD = _VALUE_COLOURS["bad"]


def _open(qtbot, win, path: Path):
    win.open_path(path)
    qtbot.waitUntil(lambda: bool(win.documents()) and not win.is_loading() and win.current_row() is not None, timeout=20000)


def _dialog(win) -> QDialog:
    win.actionExport.trigger()
    dlg = win.findChild(QDialog, "exportDialog")
    assert dlg is not None and dlg.isVisible()
    return dlg


def _configure(dlg, out_dir: Path, formats=("json", "csv", "transcript-csv", "transcript-md"), prefix=None):
    dlg.findChild(QLineEdit, "exportOutDir").setText(str(out_dir))
    if prefix is not None:
        dlg.findChild(QLineEdit, "exportPrefix").setText(prefix)
    for key in ("json", "csv", "transcript-csv", "transcript-md"):
        dlg.findChild(QCheckBox, f"exportFormat_{key}").setChecked(key in formats)


def _preview(qtbot, dlg) -> str:
    """The preview text once the worker has computed it for the current options."""
    qtbot.waitUntil(lambda: not dlg.preview_pending(), timeout=20000)
    return dlg.preview.toPlainText()


def _run(qtbot, dlg):
    button = dlg.findChild(QPushButton, "exportRun")
    assert button.isEnabled()
    with qtbot.waitSignal(dlg.sigExportFinished, timeout=20000) as blocker:
        button.click()
    return blocker.args[0]


def _cancel_after_first_write(monkeypatch, dlg) -> list:
    """The user presses Cancel while the first artifact is on disk; returns the writes made."""
    original = export_writers.FileSystemWriter.write
    calls = []

    def write_then_user_cancels(self, artifact, context=None):
        out = original(self, artifact, context)
        calls.append(out)
        if len(calls) == 1:
            dlg._task.cancel()
        return out

    monkeypatch.setattr(export_writers.FileSystemWriter, "write", write_then_user_cancels)
    return calls


def test_export_button_writes_the_expected_files(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    assert window.actionExport.isEnabled()
    dlg = _dialog(window)
    out = tmp_path / "reports"
    _configure(dlg, out, prefix="save-inspector-midgame")
    _preview(qtbot, dlg)
    preview = dlg.findChild(type(dlg.preview), "exportPreview").toPlainText()
    assert "save-inspector-midgame-summary-20251102T180624Z.json" in preview
    result = _run(qtbot, dlg)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([
        "save-inspector-midgame-summary-20251102T180624Z.json",
        "save-inspector-midgame-cascade-targets-20251102T180624Z.csv",
        "save-inspector-midgame-tutorial-snapshots-20251102T180624Z.csv",
        "save-inspector-midgame-tutorial-transcript-20251102T180624Z.csv",
        "save-inspector-midgame-tutorial-transcript-20251102T180624Z.md",
    ])
    summary = orjson.loads((out / "save-inspector-midgame-summary-20251102T180624Z.json").read_bytes())
    assert summary["generatedIso"] == "2025-11-02T18:06:24.700Z"
    cascade = (out / "save-inspector-midgame-cascade-targets-20251102T180624Z.csv").read_text()
    assert cascade.startswith("row_type,faction_id,faction_name,cascade_count,")
    game = (game_fixtures / "exports" / "midgame" / "save-inspector-midgame-cascade-targets-20251102T180624Z.csv")
    assert cascade == game.read_text()
    # result panel lists every artifact with path, size, writer, status
    rows = dlg.result_model.rows()
    assert len(rows) == 5 and all(r["status"] == "written" and r["size"] > 0 and r["writer"] for r in rows)
    assert sorted(dlg.written_paths()) == sorted(str(p) for p in out.iterdir())
    assert result.metrics["artifactsWritten"] == 5
    # the events dock saw the game's event order
    events = [r.event for r in window.export_events.model.rows()]
    assert events[0] == "telemetry:export_started"
    assert events.index("telemetry:artifacts_written") < events.index("telemetry:export_completed")


def test_export_from_a_save_slot_rebuilds_the_summary(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "saves" / "save_before-memory-parlor.large.json")
    dlg = _dialog(window)
    prefix = dlg.findChild(QLineEdit, "exportPrefix").text()
    assert prefix == "save-inspector-before-memory-parlor"
    _configure(dlg, tmp_path, formats=("json", "csv"))
    _run(qtbot, dlg)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 3 and all(f.startswith(prefix) for f in files)
    summary = orjson.loads(next(tmp_path.glob("*-summary-*.json")).read_bytes())
    counts = sorted(t["cascadeCount"] for t in summary["factions"]["cascadeTargets"])
    assert counts == [6, 11, 21]


def test_a_failing_writer_shows_its_reason_and_the_rest_is_written(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("json", "csv"), prefix="qa")
    # an existing file with the name of one artifact: the writer must refuse to overwrite it
    blocker = tmp_path / "qa-cascade-targets-20251102T180624Z.csv"
    blocker.write_text("precious\n")
    _run(qtbot, dlg)
    assert blocker.read_text() == "precious\n", "an existing file must never be overwritten"
    rows = {r["filename"]: r for r in dlg.result_model.rows()}
    failed = rows["qa-cascade-targets-20251102T180624Z.csv"]
    assert failed["status"] == "failed" and "exist" in failed["reason"].lower()
    assert (tmp_path / "qa-summary-20251102T180624Z.json").exists()
    assert (tmp_path / "qa-tutorial-snapshots-20251102T180624Z.csv").exists()
    assert "failed" in dlg.status.text()
    assert any(r.event == "telemetry:artifact_failed" for r in window.export_events.model.rows())


def test_cancel_leaves_no_partial_files(qtbot, window, game_fixtures, tmp_path, monkeypatch):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, prefix="cancelled")
    calls = _cancel_after_first_write(monkeypatch, dlg)
    dlg.findChild(QPushButton, "exportRun").click()
    qtbot.waitUntil(lambda: not dlg.is_running(), timeout=20000)
    assert len(calls) == 1
    assert list(tmp_path.iterdir()) == [], "a cancelled export leaves nothing behind"
    assert "cancel" in dlg.status.text().lower()
    assert history_path().exists() is False or not list(read_export_history())


def test_dialog_remembers_its_folder_and_formats(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("json", "transcript-md"))
    _run(qtbot, dlg)
    dlg.close()
    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    other.open_path(game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    qtbot.waitUntil(lambda: other.current_row() is not None and not other.is_loading(), timeout=20000)
    other.actionExport.trigger()
    again = other.findChild(QDialog, "exportDialog")
    assert again.findChild(QLineEdit, "exportOutDir").text() == str(tmp_path)
    assert again.findChild(QCheckBox, "exportFormat_transcript-md").isChecked()
    assert not again.findChild(QCheckBox, "exportFormat_csv").isChecked()
    other.close()


def test_each_export_appends_one_metric_history_entry(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    for i in range(2):
        _configure(dlg, tmp_path / f"run{i}", formats=("json",))
        _run(qtbot, dlg)
    entries = list(read_export_history())
    assert len(entries) == 2
    assert all(e["metrics"]["artifactsWritten"] == 1 for e in entries)
    assert all(re.match(r"\d{4}-\d\d-\d\dT", e["timestamp"]) for e in entries)


def test_two_exports_at_once_are_refused(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("json",))
    first = dlg.start_export()
    second = dlg.start_export()
    assert first is not None and second is None
    assert not dlg.findChild(QPushButton, "exportRun").isEnabled()
    qtbot.waitUntil(lambda: not dlg.is_running(), timeout=20000)
    assert len(list(tmp_path.iterdir())) == 1


def test_publish_dry_run_writes_the_manifest_and_runs_nothing(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("json",), prefix="ci")
    dlg.findChild(QCheckBox, "exportPublish").setChecked(True)
    assert dlg.findChild(QCheckBox, "exportDryRun").isChecked()
    marker = tmp_path / "ran"
    dlg.findChild(QLineEdit, "exportPublishCommand").setText(f'["touch", "{marker}"]')
    assert "ci-artifacts.json" in _preview(qtbot, dlg) and "dry run" in dlg.preview.toPlainText()
    result = _run(qtbot, dlg)
    manifest = orjson.loads((tmp_path / "ci-artifacts.json").read_bytes())
    assert result.publish.dry_run and not marker.exists(), "a dry run runs no command"
    assert [a["filename"] for a in manifest["artifacts"]] == ["ci-summary-20251102T180624Z.json"]
    assert len(manifest["artifacts"][0]["sha256"]) == 64
    assert "dry run" in dlg.status.text()
    events = [r.event for r in window.export_events.model.rows()]
    assert "telemetry:ci_publish_started" in events


def test_a_bad_upload_command_is_refused_before_anything_is_written(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("json",))
    dlg.findChild(QCheckBox, "exportPublish").setChecked(True)
    dlg.findChild(QLineEdit, "exportPublishCommand").setText("gh artifact upload")  # a string, not an argv list
    assert dlg.start_export() is None
    assert "Upload command" in dlg.status.text()
    assert list(tmp_path.iterdir()) == []


# -- issue 12: re-export, clashes, never a false "Done", the transcript of a save -------------------

def test_exporting_the_same_save_twice_is_already_exported_unchanged(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "saves" / "save_slot2.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path)
    first = _run(qtbot, dlg)
    assert first.status == "ok" and dlg.progress.format() == "Done" and dlg.progress.value() == 1
    assert "new " in _preview(qtbot, dlg).splitlines()[0] or "unchanged" in dlg.preview.toPlainText()
    assert all(line.startswith("unchanged") for line in dlg.preview.toPlainText().splitlines()[:5])  # before the click
    second = _run(qtbot, dlg)
    assert second.status == "unchanged" and second.failures == []
    assert "Already exported, unchanged" in dlg.status.text()
    assert dlg.progress.format().startswith("Done") and dlg.progress.value() == 1
    assert [r["status"] for r in dlg.result_model.rows()] == ["unchanged"] * 5
    assert len(list(tmp_path.iterdir())) == 5


def test_a_different_file_is_marked_before_the_click_and_the_user_chooses(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("json", "csv"), prefix="qa")
    clash = tmp_path / "qa-cascade-targets-20251102T180624Z.csv"
    clash.write_text("someone else's\n")
    dlg._update_preview()
    preview = _preview(qtbot, dlg)
    assert any(line.startswith("EXISTS") and clash.name in line for line in preview.splitlines())
    assert dlg.findChild(QGroupBox, "exportConflicts").isVisibleTo(dlg)
    # 1. keep (default): that artifact fails, the export is partial and never shows as done
    result = _run(qtbot, dlg)
    assert result.status == "partial" and clash.read_text() == "someone else's\n"
    assert dlg.progress.value() == 0 and "Done" not in dlg.progress.format()
    size_of_failed = [r for r in dlg.result_model.rows() if r["status"] == "failed"]
    index = dlg.result_model.index(dlg.result_model.rows().index(size_of_failed[0]), 2)
    assert dlg.result_model.data(index) == ""                       # no size for a file that was not written
    # 2. a new name: everything written beside it under qa-2
    dlg.findChild(QRadioButton, "exportConflictNewName").setChecked(True)
    assert "qa-2-cascade-targets" in _preview(qtbot, dlg)
    result = _run(qtbot, dlg)
    assert result.status == "ok" and (tmp_path / "qa-2-cascade-targets-20251102T180624Z.csv").exists()
    assert clash.read_text() == "someone else's\n"
    # 3. overwrite
    dlg.findChild(QRadioButton, "exportConflictOverwrite").setChecked(True)
    assert "overwrite" in _preview(qtbot, dlg)
    result = _run(qtbot, dlg)
    assert result.status == "ok" and clash.read_text().startswith("row_type,")


def test_nothing_written_never_shows_done(qtbot, window, game_fixtures, tmp_path):
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path / "file-not-folder", formats=("json",))
    (tmp_path / "file-not-folder").write_text("a file where the folder should be")
    result = _run(qtbot, dlg)
    assert result.status == "nothing-written"
    assert dlg.progress.value() == 0 and dlg.progress.format().startswith("Failed")
    assert "Nothing was written" in dlg.status.text()
    assert not dlg.findChild(QPushButton, "exportOpenFolder").isEnabled()


def test_a_save_exports_the_transcript_the_timeline_shows(qtbot, window, game_fixtures, tmp_path):
    from inspector_app.core.transcript.model import EventKind
    from inspector_app.core.transcript.sources import parts_from_tutorial_slice
    _open(qtbot, window, game_fixtures / "saves" / "save_slot2.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("transcript-csv", "transcript-md"))
    assert "entries reconstructed from the save" in _preview(qtbot, dlg)
    _run(qtbot, dlg)
    slot = window.current_row().slot
    timeline = parts_from_tutorial_slice(slot.game_section("tutorial"), slot.slot_id, slot.timestamp).build()
    expected = sum(1 for e in timeline.entries if e.kind is not EventKind.SNAPSHOT)
    csv_lines = next(tmp_path.glob("*.csv")).read_text().splitlines()
    assert expected > 5 and len(csv_lines) == 1 + expected
    assert len(next(tmp_path.glob("*.md")).read_text().splitlines()) == 2 + expected


def test_export_dialog_looks_right_light_and_dark(qtbot, window, game_fixtures, tmp_path):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("json", "csv"), prefix="qa")
    (tmp_path / "qa-cascade-targets-20251102T180624Z.csv").write_text("x\n")
    _run(qtbot, dlg)
    dlg.resize(1280, 800)
    light = dlg.grab()
    assert not light.isNull()
    light.save(str(tmp_path / "export-light.png"))
    app = QApplication.instance()
    original = app.palette()
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#1b1b1d"),
                         (QPalette.ColorRole.AlternateBase, "#26272a"),
                         (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.WindowText, "#e8eaed"),
                         (QPalette.ColorRole.Button, "#2d2e31"), (QPalette.ColorRole.ButtonText, "#e8eaed")):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: DARK_BAD in dlg.status.styleSheet(), timeout=5000)   # restyled on the palette change
        failed_row = [r["status"] for r in dlg.result_model.rows()].index("failed")
        brush = dlg.result_model.data(dlg.result_model.index(failed_row, 1), Qt.ItemDataRole.ForegroundRole)
        assert brush.color().name() == DARK_BAD
        dlg.grab().save(str(tmp_path / "export-dark.png"))
    finally:
        app.setPalette(original)


def test_the_preview_is_built_in_the_worker_and_only_the_latest_is_shown(qtbot, window, game_fixtures, tmp_path,
                                                                       monkeypatch):
    """Issue 13 leftover: building artifacts, reading the folder and rebuilding a save's summary
    for the preview never run on the GUI thread; typing quickly shows the last prefix only."""
    import threading

    from inspector_app.core.export import inputs, pipeline

    threads = []
    real_build, real_summary = pipeline.build_artifacts, inputs.summary_for_slot
    monkeypatch.setattr(pipeline, "build_artifacts",
                        lambda *a, **k: threads.append(threading.current_thread()) or real_build(*a, **k))
    monkeypatch.setattr("inspector_app.ui.export.export_dialog.summary_for_slot",
                        lambda slot: threads.append(threading.current_thread()) or real_summary(slot))
    _open(qtbot, window, game_fixtures / "saves" / "save_slot2.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path, formats=("json", "csv"))
    prefix = dlg.findChild(QLineEdit, "exportPrefix")
    for text in ("q", "qa", "qa-late"):
        prefix.setText(text)
    lines = _preview(qtbot, dlg).splitlines()
    assert len(lines) == 3 and all("qa-late-" in line for line in lines)
    clash = tmp_path / Path(lines[1].split()[-1]).name
    clash.write_text("someone else's\n")
    dlg.findChild(QRadioButton, "exportConflictNewName").setChecked(True)
    dlg._update_preview()
    assert "qa-late-2-" in _preview(qtbot, dlg)
    result = _run(qtbot, dlg)
    assert result.status == "ok" and clash.read_text() == "someone else's\n"
    assert threads and all(t is not threading.main_thread() for t in threads)


# -- session 5 (flows): a refusal is readable in dark, points the keyboard at what to fix ----------

def test_export_without_a_folder_is_refused_readably_and_focuses_the_folder(qtbot, window, game_fixtures, tmp_path):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    folder = dlg.findChild(QLineEdit, "exportOutDir")
    folder.clear()
    app = QApplication.instance()
    original = app.palette()
    dark = QPalette(original)
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#1b1b1d"),
                         (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.WindowText, "#e8eaed")):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: dlg.palette().color(QPalette.ColorRole.Base).lightness() < 128, timeout=5000)
        dlg.findChild(QLineEdit, "exportPrefix").setFocus()
        dlg.findChild(QPushButton, "exportRun").click()
        assert "Choose an output folder first" in dlg.status.text()
        assert DARK_BAD in dlg.status.styleSheet()           # the dark-palette red, not the light one
        qtbot.waitUntil(lambda: dlg.focusWidget() is folder, timeout=5000)
        assert list(tmp_path.iterdir()) == []
        app.setPalette(original)                           # restyled on the change, message kept
        qtbot.waitUntil(lambda: LIGHT_BAD in dlg.status.styleSheet(), timeout=5000)
        assert "Choose an output folder first" in dlg.status.text()
    finally:
        app.setPalette(original)


def test_a_second_export_cancelled_mid_way_never_shows_the_first_ones_done(qtbot, window, game_fixtures, tmp_path,
                                                                          monkeypatch):
    """Session 5 (flows): export, then export again and cancel mid-way: while the second runs its
    bar shows its own progress, and after the cancel it reads "Cancelled" at 0 — never the first
    export's "Done"."""
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)
    _configure(dlg, tmp_path / "first", formats=("json", "csv"))
    _run(qtbot, dlg)
    assert dlg.progress.format() == "Done"
    _configure(dlg, tmp_path / "second", formats=("json", "csv"))
    _preview(qtbot, dlg)
    calls = _cancel_after_first_write(monkeypatch, dlg)
    dlg.findChild(QPushButton, "exportRun").click()
    assert dlg.is_running() and "Done" not in dlg.progress.format()
    qtbot.waitUntil(lambda: not dlg.is_running(), timeout=20000)
    assert len(calls) == 1 and not any((tmp_path / "second").glob("*"))    # nothing left behind
    assert dlg.progress.value() == 0 and dlg.progress.format() == "Cancelled"
    assert "cancel" in dlg.status.text().lower()
    assert dlg.findChild(QPushButton, "exportRun").isEnabled()        # ready to try again


def test_the_result_table_is_readable_at_1280x800_and_its_rows_copy_and_open(qtbot, window, game_fixtures, tmp_path,
                                                                              monkeypatch):
    """At 1280×800 every row of the result table reads: the "Path / reason" column takes the
    width the others leave, a path is elided in the middle (its file name stays) with the whole
    path as the tooltip, a reason drops the folder and the file name the row already shows.
    The status line shows all of its wrapped text. Right-click (or Ctrl+C) copies a row's path
    or reason; Open File / Open Folder hand the file or folder to the desktop."""
    from PySide6.QtGui import QDesktopServices, QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLabel

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    window.resize(1280, 800)
    _open(qtbot, window, game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json")
    dlg = _dialog(window)                           # opens at most of the window's size, not 880×640
    assert dlg.width() >= 1100 and dlg.height() >= 700
    out = tmp_path / "a-rather-long-output-folder-name-for-reports" / "qa-run-2025-11-02"
    out.mkdir(parents=True)
    _configure(dlg, out, prefix="qa")
    clash = out / "qa-cascade-targets-20251102T180624Z.csv"
    clash.write_text("someone else's\n")
    _preview(qtbot, dlg)
    result = _run(qtbot, dlg)
    assert result.status == "partial"
    view, model = dlg.result_view, dlg.result_model
    qtbot.waitUntil(lambda: view.viewport().width() > 0)
    header = view.header()
    last = model.PATH_COLUMN
    # the last column reaches the table's right edge and is the widest
    assert header.sectionPosition(last) + header.sectionSize(last) >= view.viewport().width() - 1
    assert header.sectionSize(last) == max(header.sectionSize(c) for c in range(model.columnCount()))
    metrics = view.fontMetrics()
    rows = model.rows()
    failed = next(i for i, r in enumerate(rows) if r["status"] == "failed")
    reason = model.index(failed, last)
    assert reason.data().startswith("File already exists") and str(out) not in reason.data()
    assert metrics.horizontalAdvance(reason.data()) <= header.sectionSize(last)     # shown whole
    assert reason.data(Qt.ItemDataRole.ToolTipRole) == rows[failed]["reason"]
    for i, row in enumerate(rows):
        if row["status"] != "failed":
            index = model.index(i, last)
            assert index.data(Qt.ItemDataRole.ToolTipRole) == row["path"]
        for column in range(last):          # every other column shows its text whole
            text = model.index(i, column).data() or ""
            assert metrics.horizontalAdvance(text) <= header.sectionSize(column)
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    # every row in view without scrolling (the result pane took room from the options)
    qtbot.waitUntil(lambda: view.viewport().height() >= model.rowCount() * view.sizeHintForRow(0), timeout=5000)
    # the status line: every wrapped line of it shown
    status = dlg.findChild(QLabel, "exportStatus")
    assert QLabel.heightForWidth(status, status.width()) > status.fontMetrics().height()    # two lines
    qtbot.waitUntil(lambda: status.height() >= QLabel.heightForWidth(status, status.width()), timeout=5000)
    # row actions
    written = next(i for i, r in enumerate(rows) if r["status"] == "written")
    menu = dlg.result_menu(rows[written])
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert set(actions) == {"Copy Path", "Open File", "Copy All Paths", "Open Folder"}
    actions["Copy Path"].trigger()
    assert QGuiApplication.clipboard().text() == rows[written]["path"]
    actions["Open File"].trigger()
    actions["Open Folder"].trigger()
    assert opened == [rows[written]["path"], str(out)]
    menu = dlg.result_menu(rows[failed])
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert "Open File" not in actions
    actions["Copy Reason"].trigger()
    assert QGuiApplication.clipboard().text() == rows[failed]["reason"]
    # keyboard: select a row, Ctrl+C
    view.setFocus()
    view.setCurrentIndex(model.index(written, 0))
    QGuiApplication.clipboard().clear()
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == rows[written]["path"], timeout=5000)
    # double-click a written row opens it
    view.doubleClicked.emit(model.index(written, 0))
    assert opened[-1] == rows[written]["path"]
    QApplication.processEvents()
