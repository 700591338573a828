"""The transcript timeline panel, driven offscreen with the game's midgame and skipped data."""
from __future__ import annotations

import math
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from inspector_app.core.loading.document import DocumentKind, SaveDocument, SlotEntry, SlotStatus
from inspector_app.core.transcript.model import EventKind, Transcript, TranscriptEntry
from inspector_app.core.transcript.sources import parts_from_summary

pytestmark = pytest.mark.gui


def _summary(game_fixtures, name):
    return orjson.loads((game_fixtures / "inspector-summary" / f"getInspectorSummary.{name}.json").read_bytes())


@pytest.fixture
def panel(transcript_panel):
    return transcript_panel


@pytest.fixture
def midgame(panel, game_fixtures):
    panel.set_transcript(parts_from_summary(_summary(game_fixtures, "midgame"), "midgame").build())
    return panel


def _profile_doc(path: Path) -> SaveDocument:
    root = orjson.loads(path.read_bytes())
    slots = []
    for key, value in root.items():
        if key.startswith("save_") and key != "save_metadata":
            payload = orjson.loads(value)
            slots.append(SlotEntry(key=key, slot_id=key[5:], label=key[5:], slot_type="manual", status=SlotStatus.OK,
                                   size_bytes=len(value), payload=payload, timestamp=payload.get("timestamp")))
    return SaveDocument(path=path, kind=DocumentKind.PROFILE, size_bytes=1, root=root, slots=slots)


def test_timeline_has_the_object_name_and_one_lane_per_kind(midgame):
    tl = midgame.findChild(type(midgame.timeline), "transcriptTimeline")
    assert tl is midgame.timeline
    counts = tl.lane_counts()
    assert counts[EventKind.STARTED] == 1 and counts[EventKind.STEP_STARTED] == 8
    assert counts[EventKind.STEP_COMPLETED] == 7 and counts[EventKind.SNAPSHOT] == 8
    assert EventKind.SKIPPED not in counts and EventKind.UNKNOWN not in counts   # no empty lanes (issue 12)
    assert tl.marker_count() == 24 and tl.span_count() == 8
    ticks = [label for _, label in tl.getPlotItem().getAxis("left")._tickLevels[0]]
    assert ticks[:3] == ["Step dwell", "Started", "Step started"]
    assert midgame.table_model.rowCount() == 24
    assert tl.visible_labels > 0            # few entries: markers carry step titles


def test_markers_are_painted_decimated(midgame, qtbot):
    midgame.timeline.grab()
    assert midgame.timeline.item.painted_markers == 24
    assert midgame.timeline.item.painted_bars >= 1


def test_step_chart_has_one_bar_per_completed_step(midgame):
    chart = midgame.findChild(type(midgame.step_chart), "transcriptStepDurations")
    assert chart.bar_count() == 7
    assert [s.step_id for s in chart.stats][-1] == "case_file"
    assert max(chart.stats, key=lambda s: s.median_ms).step_id == "case_file"


def test_step_chart_title_fits_the_side_panel_at_1280(midgame):
    """The title said "median, min–max across 1 run" and was cut off in the 1280×800 window."""
    chart = midgame.step_chart
    title = chart.getPlotItem().titleLabel.text
    assert max(s.runs for s in chart.stats) == 1 and title == "Time per step — one run"


def test_kind_step_and_search_filters(midgame, qtbot):
    midgame.set_kind_visible(EventKind.SNAPSHOT, False)
    assert midgame.table_model.rowCount() == 16 and midgame.timeline.marker_count() == 16
    midgame.set_kind_visible(EventKind.SNAPSHOT, True)
    combo = midgame.step_combo
    combo.setCurrentIndex(combo.findData("case_file"))
    assert midgame.table_model.rowCount() == 4
    assert midgame.timeline.span_count() == 1
    combo.setCurrentIndex(0)
    with qtbot.waitSignal(midgame.sigFilterApplied, timeout=3000):
        qtbot.keyClicks(midgame.search, "Detective Vision")
    rows = midgame.table_model.rows
    assert len(rows) >= 2 and all(midgame.transcript.entries[i].step_id == "detective_vision" for i in rows)
    midgame.search.clear()
    qtbot.waitUntil(lambda: midgame.table_model.rowCount() == 24, timeout=3000)


def test_selecting_a_row_centres_the_timeline(midgame, qtbot):
    tl = midgame.timeline
    lo, hi = tl.vb.viewRange()[0]
    tl.vb.setXRange(lo, lo + (hi - lo) / 10, padding=0)      # zoom in first
    target = next(i for i, e in enumerate(midgame.transcript.entries) if e.step_id == "case_file"
                  and e.kind is EventKind.STEP_COMPLETED)
    row = midgame.table_model.row_of_entry(target)
    midgame.table.selectRow(row)
    lo, hi = tl.vb.viewRange()[0]
    assert math.isclose((lo + hi) / 2, tl.x_of(target), abs_tol=1e-6)
    assert tl.selected == target and "Case File" in midgame.entry_text.toPlainText()


def test_clicking_a_marker_selects_its_row(midgame, qtbot):
    tl = midgame.timeline
    target = next(i for i, e in enumerate(midgame.transcript.entries) if e.kind is EventKind.STARTED)
    vp = tl.view_point_of(target)
    scene_pt = tl.vb.mapViewToScene(vp)
    widget_pt = tl.mapFromScene(scene_pt)
    assert tl.entry_near(vp.x(), vp.y()) == target
    qtbot.mouseClick(tl.viewport(), Qt.MouseButton.LeftButton, pos=widget_pt)
    qtbot.waitUntil(lambda: midgame.selected_entry() == target, timeout=3000)
    assert "tutorial_started" in tl.tooltip_at(vp.x(), vp.y())


def test_hover_tooltip_describes_entries_and_dwell_bars(midgame):
    tl = midgame.timeline
    i = next(i for i, e in enumerate(midgame.transcript.entries) if e.step_id == "detective_vision"
             and e.kind is EventKind.STEP_COMPLETED)
    vp = tl.view_point_of(i)
    text = tl.tooltip_at(vp.x(), vp.y())
    assert "Detective Vision" in text and "durationMs" in text and "2025-11-02T18:03:42.000Z" in text
    span_text = tl.tooltip_at(vp.x() - 10, 0)
    assert "Detective Vision" in span_text and "1:30" in span_text


def test_selecting_a_snapshot_shows_world_state_and_changes(midgame):
    snaps = midgame.transcript.snapshots()
    midgame.select_entry(snaps[-1])
    view = midgame.snapshot_view
    assert midgame.side_tabs.currentWidget() is view
    assert view.model.rowCount() == 1 and view.model.root_value["event"] == "step_completed"
    assert "promptHistory" in view.model.root_value and "analytics" in view.model.root_value
    paths = {c.path for c in view.changes}
    assert "$.analytics.stepDurations.case_file" in paths
    assert "added" in view.header.text() and "$.event" in view.diff.toPlainText()


def test_absolute_and_relative_axis_toggle(midgame):
    axis = midgame.timeline.time_axis
    assert axis.tickStrings([0, 90], 1, 30) == ["+0s", "+1:30"]
    midgame.absolute_button.click()
    assert axis.mode == "absolute"
    assert axis.tickStrings([0, 90], 1, 30) == ["18:00:00", "18:01:30"]
    assert "2025-11-02" in axis.labelText
    midgame.absolute_button.click()
    assert axis.mode == "relative"


def test_range_selection_limits_the_table_and_the_export(midgame, tmp_path, qtbot):
    start = midgame.transcript.origin
    midgame.clock_ms = lambda: 1_762_106_784_700     # both exports name the same file, however slow the run
    midgame.range_button.click()
    midgame.timeline.set_region_ms(start, start + 30_000)
    assert midgame.table_model.rowCount() == 5        # started, welcome start/complete, movement start, snapshot
    with qtbot.waitSignal(midgame.sigExportFinished, timeout=10000) as blocker:
        midgame.export_range("transcript-csv", out_dir=tmp_path)
    (path,) = blocker.args[0]
    text = Path(path).read_text("utf-8")
    assert Path(path).name == "transcript-range-tutorial-transcript-20251102T180624Z.csv"
    assert text.splitlines()[0].startswith("sequence,event,prompt_id") and len(text.splitlines()) == 1 + 4
    with qtbot.waitSignal(midgame.sigExportFinished, timeout=10000) as again:
        midgame.export_range("transcript-csv", out_dir=tmp_path)     # same name: refused, not overwritten
    assert isinstance(again.args[0], Exception) and Path(path).read_text("utf-8") == text
    from inspector_app.ui import theme                 # the refusal reads in the app's one error red
    bad = theme.value_color_css("bad", midgame.palette())
    assert "Export failed" in midgame.status.text() and bad in midgame.status.styleSheet()
    midgame.timeline.set_region_ms(start, start + 40_000)
    with qtbot.waitSignal(midgame.sigExportFinished, timeout=10000):
        midgame.export_range("transcript-md", out_dir=tmp_path)
    assert "Exported" in midgame.status.text() and bad not in midgame.status.styleSheet()


def test_markdown_export_through_the_dialog(midgame, tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr(QFileDialog, "exec", lambda self: (self.testOption(QFileDialog.Option.DontUseNativeDialog)
                                                           and self.selectFile(str(tmp_path))) or 1)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda self: [str(tmp_path)])
    with qtbot.waitSignal(midgame.sigExportFinished, timeout=10000) as blocker:
        midgame.export_actions["md"].trigger()
    (path,) = blocker.args[0]
    assert path.endswith(".md") and Path(path).read_text("utf-8").startswith("| # | Event | Prompt |")


def test_chart_export_png_and_svg(midgame, tmp_path):
    png = midgame.export_chart("timeline", tmp_path / "timeline.png")
    svg = midgame.export_chart("steps", tmp_path / "steps.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in svg.read_bytes()[:400]
    with pytest.raises(FileExistsError):
        midgame.export_chart("timeline", tmp_path / "timeline.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["steps.svg", "timeline.png"]


def test_tutorial_skipped_summary_shows_the_skip(panel, game_fixtures):
    panel.set_transcript(parts_from_summary(_summary(game_fixtures, "tutorial-skipped"), "skipped").build())
    counts = panel.timeline.lane_counts()
    assert counts[EventKind.SKIPPED] == 1 and EventKind.COMPLETED not in counts
    assert any(s.status == "skipped" for s in panel.timeline._spans)
    assert panel.step_chart.bar_count() == 2


def test_profile_document_merges_every_slot(panel, qtbot, game_fixtures):
    doc = _profile_doc(game_fixtures / "localstorage" / "profile1-main-session.localStorage.json")
    with qtbot.waitSignal(panel.sigTranscriptChanged, timeout=10000):
        panel.set_sources_from_document(doc)
    assert panel.timeline.lane_counts()[EventKind.STEP_COMPLETED] == 13
    assert panel.step_chart.bar_count() == 13 and "counted once" in panel.notes.text()


def test_summary_document_uses_transcript_and_snapshots(panel, qtbot, game_fixtures):
    path = game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json"
    doc = SaveDocument(path=path, kind=DocumentKind.INSPECTOR_SUMMARY, size_bytes=1, summary=_summary(game_fixtures, "midgame"))
    with qtbot.waitSignal(panel.sigTranscriptChanged, timeout=10000):
        panel.set_sources_from_document(doc)
    assert panel.table_model.rowCount() == 24


@pytest.mark.parametrize("entries, note", [
    ([], "No transcript entries"),
    ([TranscriptEntry("tutorial_started", EventKind.STARTED, 1000.0, source="s")], "Only one entry"),
    ([TranscriptEntry("tutorial_started", EventKind.STARTED, float("inf"), source="s"),
      TranscriptEntry("tutorial_step_started", EventKind.STEP_STARTED, None, step_id="a", source="s")], "no usable timestamp"),
    ([TranscriptEntry("tutorial_step_started", EventKind.STEP_STARTED, 50.0, step_id="b", source="s"),
      TranscriptEntry("tutorial_started", EventKind.STARTED, 10.0, source="s"),
      TranscriptEntry("tutorial_started", EventKind.STARTED, 10.0, source="s"),
      TranscriptEntry("hint_shown", EventKind.UNKNOWN, 20.0, source="s")], "out of time order"),
])
def test_bad_input_renders_with_a_note(panel, entries, note):
    panel.set_transcript(Transcript(entries))
    panel.timeline.grab()
    assert note in panel.notes.text() or note in panel.timeline._message.textItem.toPlainText()
    assert panel.table_model.rowCount() == len(panel.transcript)
    lo, hi = panel.timeline.vb.viewRange()[0]
    assert math.isfinite(lo) and math.isfinite(hi) and hi > lo
    panel.timeline.fit_all()
    if panel.table_model.rowCount():
        panel.table.selectRow(0)          # selecting an untimed row must not crash
    if any(e.kind is EventKind.UNKNOWN for e in panel.transcript.entries):
        assert EventKind.UNKNOWN in panel.timeline.lane_counts()


def test_clear_empties_everything(midgame):
    midgame.clear()
    assert midgame.transcript is None and midgame.table_model.rowCount() == 0
    assert midgame.timeline.marker_count() == 0 and midgame.step_chart.bar_count() == 0


def test_follow_log_replays_a_growing_file(panel, qtbot, tmp_path):
    """Deterministic: waits on the transcript growing (a condition), whatever the machine's
    load; a poll asked for while another runs is served when that one ends."""
    log = tmp_path / "session.jsonl"
    log.write_bytes(b'{"event":"tutorial:started","payload":{"startedAt":1000,"totalSteps":13}}\n'
                    b'{"event":"tutorial:step_started","payload":{"stepId":"welcome","title":"Welcome, Detective","startedAt":1000}}\n')
    panel.follow_log(log)
    panel._follow_timer.stop()           # only explicit polls: the test controls every read
    qtbot.waitUntil(lambda: panel.transcript is not None and len(panel.transcript) == 2, timeout=60000)
    qtbot.waitUntil(lambda: panel._follow_task is None, timeout=60000)
    first = panel._poll_follower()       # nothing new yet
    with open(log, "ab") as fh:
        fh.write(b'{"event":"tutorial:step_completed","payload":{"completedAt":31000,"durationMs":30000}}\n')
    assert panel._poll_follower() is first   # remembered, runs after the one in flight
    qtbot.waitUntil(lambda: panel.transcript is not None and len(panel.transcript) == 3, timeout=60000)
    assert panel.timeline.span_count() == 1 and panel.follow_button.isChecked()
    panel.stop_following()
    assert not panel.follow_button.isChecked()


def test_a_hidden_panel_renders_when_first_shown(qtbot, game_fixtures):
    import orjson

    from inspector_app.core.transcript.sources import parts_from_summary
    from inspector_app.ui.transcript import TranscriptPanel

    summary = orjson.loads((game_fixtures / "inspector-summary" / "getInspectorSummary.midgame.json").read_bytes())
    transcript = parts_from_summary(summary, "midgame").build()
    hidden = TranscriptPanel()
    qtbot.addWidget(hidden)
    hidden.set_transcript(transcript)
    assert hidden.transcript is transcript
    assert hidden.table_model.rowCount() == 0, "nothing is rendered while the panel is hidden"
    hidden.show()
    qtbot.waitUntil(lambda: hidden.table_model.rowCount() == len(transcript), timeout=5000)


def test_dark_palette_restyles_the_timeline_and_the_chart(midgame, qtbot):
    """Colours come from the palette: switching to dark restyles background, axes, labels and
    the dwell bars, without a rebuild by the caller."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from inspector_app.ui.theme import build_palette
    app = QApplication.instance()
    light = app.palette()
    bars_light = [b[2].color().name() for b in midgame.timeline.item._bars]
    try:
        app.setPalette(build_palette(True))
        qtbot.waitUntil(lambda: midgame.timeline.backgroundBrush().color() == app.palette().color(QPalette.ColorRole.Base))
        tl = midgame.timeline
        text = app.palette().color(QPalette.ColorRole.Text)
        assert tl.getPlotItem().getAxis("bottom").textPen().color() == text
        assert all(label.color == text for label in tl._labels)
        assert [b[2].color().name() for b in tl.item._bars] != bars_light
        assert midgame.step_chart.backgroundBrush().color() == app.palette().color(QPalette.ColorRole.Base)
        midgame.grab()
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: [b[2].color().name() for b in midgame.timeline.item._bars] == bars_light)


def test_the_entry_table_gets_the_room(midgame):
    """Issue 12: the plot no longer takes three quarters of the height; no blank # column
    when no entry has a sequence; every lane name is whole."""
    midgame.resize(1280, 720)
    midgame.grab()
    assert midgame.table.height() > midgame.timeline.height()
    assert midgame.table.height() // midgame.table.verticalHeader().defaultSectionSize() >= 10
    left = midgame.timeline.getPlotItem().getAxis("left")
    from PySide6.QtGui import QFontMetrics
    assert left.width() >= QFontMetrics(left.font()).horizontalAdvance("Prompt snapshots")
    has_seq = any(e.sequence is not None for e in midgame.transcript.entries)
    assert midgame.table.isColumnHidden(0) == (not has_seq)


def test_selecting_an_entry_centres_inside_the_data_and_absolute_time_refits(midgame, qtbot):
    tl = midgame.timeline
    lo_data, hi_data = tl.data_range()
    tl.vb.setXRange(lo_data, lo_data + (hi_data - lo_data) / 4, padding=0)     # zoomed in
    qtbot.waitUntil(lambda: tl.vb.viewRange()[0][1] < hi_data)
    midgame.table.selectRow(0)                       # the first entry: no empty time before it
    lo, hi = tl.vb.viewRange()[0]
    assert lo >= lo_data - 1e-6 and hi - lo < (hi_data - lo_data) / 2
    midgame.absolute_button.click()                  # absolute time shows the whole data again
    assert tl.vb.viewRange()[0] == pytest.approx(tl.data_range())
    assert tl.time_axis.labelText.startswith("time (UTC, 2025-11-02")


def test_kind_decorations_are_shared_icons(midgame):
    """One QIcon per kind, not a QColor per row: the delegate turned each QColor into a new
    icon and pixmap-cache entry on every paint (RSS grew ~50 KB per table refresh)."""
    from PySide6.QtGui import QIcon
    model = midgame.table_model
    icons = {}
    for row in range(model.rowCount()):
        kind = midgame.transcript.entries[model.entry_at(row)].kind
        icon = model.index(row, 3).data(Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QIcon)
        icons.setdefault(kind, icon.cacheKey())
        assert icon.cacheKey() == icons[kind]


def test_a_new_transcript_is_shown_through_the_search_and_kinds_left_set(midgame, qtbot, game_fixtures):
    """Session 5 (flows): opening another file (or slot) with a search typed and a kind hidden
    shows the new entries through that search and those kinds — not every entry under a search
    box that still reads 'Detective Vision'."""
    with qtbot.waitSignal(midgame.sigFilterApplied, timeout=3000):
        qtbot.keyClicks(midgame.search, "Detective Vision")
    midgame.set_kind_visible(EventKind.SNAPSHOT, False)
    shown = midgame.table_model.rowCount()
    assert 0 < shown < len(midgame.transcript)
    fresh = parts_from_summary(_summary(game_fixtures, "midgame"), "midgame").build()   # the next file's
    with qtbot.waitSignal(midgame.sigTranscriptChanged, timeout=3000):
        midgame.set_transcript(fresh)
    assert midgame.transcript is fresh and midgame.search.text() == "Detective Vision"
    rows = midgame.table_model.rows
    assert len(rows) == shown < len(fresh)
    assert all(fresh.entries[i].step_id == "detective_vision" and fresh.entries[i].kind != EventKind.SNAPSHOT
               for i in rows)
    assert midgame.timeline.marker_count() == shown
    assert midgame.status.text().startswith(f"{shown} of {len(fresh)} entries shown")
    midgame.search.clear()                               # clearing the search shows the rest again
    midgame.set_kind_visible(EventKind.SNAPSHOT, True)
    qtbot.waitUntil(lambda: midgame.table_model.rowCount() == len(fresh), timeout=3000)


def test_a_task_that_finishes_after_its_panel_was_deleted_reports_to_nobody(qtbot):
    """The panel's worker callbacks are closures over the panel: once it is deleted (a window
    closed, a test torn down) a late result or failure must not reach it (it raised
    "Internal C++ object already deleted" in the GUI thread)."""
    import threading

    import shiboken6

    from inspector_app.ui.transcript import TranscriptPanel

    p = TranscriptPanel()
    gate = threading.Event()
    reached = []

    def work(progress, cancelled):
        assert gate.wait(30)
        return "late"

    def fail(progress, cancelled):
        assert gate.wait(30)
        raise OSError("late failure")

    done = p._run(work, lambda result: (reached.append(result), p._set_status("done")), "transcript")
    failed = p._run(fail, reached.append, "transcript")
    shiboken6.delete(p)
    with qtbot.waitSignals([done.sigDone, failed.sigDone], timeout=30_000):
        gate.set()
    assert reached == []
    assert not shiboken6.isValid(p)
