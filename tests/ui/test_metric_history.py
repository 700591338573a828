"""GUI tests: the metric history panel driven through its real widgets (offscreen)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, QPointF, Qt

from inspector_app.core.metrics.model import SeriesKey
from inspector_app.ui.metrics import MetricHistoryPanel

pytestmark = pytest.mark.gui

GAMELOOP = SeriesKey("m1-profile", "gameloop-full-update-500-entities", "mean")
PHYSICS = SeriesKey("m1-profile", "physics-collision-500-entities", "mean")


def _open(qtbot, panel: MetricHistoryPanel, folder: Path) -> None:
    with qtbot.waitSignal(panel.sigIngestFinished, timeout=30000):
        panel.open_folder(folder)
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=10000)


@pytest.fixture
def panel(qtbot):
    widget = MetricHistoryPanel()
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    return widget


def test_browser_selection_plots_the_series(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    model = panel.model
    assert model.series_count() > 100
    # drive the tree: find the m1-profile source row, expand it, pick gameloop-500 → mean
    source = next(model.index(r, 0) for r in range(model.rowCount()) if model.index(r, 0).data() == "m1-profile")
    panel.tree.expand(source)
    bench = next(model.index(r, 0, source) for r in range(model.rowCount(source))
                 if model.index(r, 0, source).data() == GAMELOOP.benchmark)
    panel.tree.expand(bench)
    mean = next(model.index(r, 0, bench) for r in range(model.rowCount(bench)) if model.index(r, 0, bench).data() == "mean")
    panel.tree.selectionModel().select(mean, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert panel.plotted_keys() == [GAMELOOP]
    plot = panel.findChild(type(panel.charts[0].widget), "metricHistoryPlot")
    assert plot is panel.charts[0].widget
    curve = panel.plotted()[0].curve
    x, y = curve.getOriginalDataset()
    assert len(x) == 3 and y[1] == pytest.approx(16.3174916)
    # the detected regression is marked on the chart, with its explanation as the hover tip
    assert [f.index for f in panel.plotted()[0].findings] == [1]
    assert "began at m1-profile-1761717876337.json" in panel.plotted()[0].findings[0].explain()
    # the 16 ms frame budget is drawn
    assert [b.limit for b in panel.charts[0].budget_lines] == [16.0]


def test_filter_and_findings_list(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    names = [panel.findings_table.item(r, 0).text() for r in range(panel.findings_table.rowCount())]
    assert any(GAMELOOP.benchmark in n for n in names) and any(PHYSICS.benchmark in n for n in names)
    # a regression is plotted straight away
    assert panel.plotted_keys()
    qtbot.keyClicks(panel.filter_edit, "collision 500 mean")
    assert panel.model.series_count() == 1
    row = next(r for r, n in enumerate(names) if PHYSICS.benchmark in n)
    panel.findings_table.cellClicked.emit(row, 0)
    assert panel.plotted_keys() == [PHYSICS]
    assert [b.limit for b in panel.charts[0].budget_lines] == [4.0]


def test_cursors_update_the_delta_table(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP, PHYSICS])
    assert len(panel.plotted()) == 2 and len(panel.charts) == 1      # same unit: one chart
    xs = panel.plotted()[0].x
    panel.set_cursors(float(xs[0]), float(xs[1]))
    table = panel.delta_table
    assert table.rowCount() == 2
    assert table.item(0, 3).text() == f"{16.3174916 - 0.293209:+.4g}"
    panel.charts[0].cursor_b.setValue(float(xs[2]))          # move B like a drag would
    assert table.item(0, 2).text() == f"{19.352189:.4g}"
    assert table.item(1, 2).text() == f"{5.0473799:.4g}"
    # legend toggle hides a series: the table follows
    panel.plotted()[1].curve.setVisible(False)
    assert table.rowCount() == 1


def test_stacked_charts_are_linked_and_log_scale(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP, PHYSICS])
    panel.action_stack.setChecked(True)
    assert len(panel.charts) == 2
    assert panel.charts[1].widget.objectName() == "metricHistoryPlot-1"
    assert panel.charts[1].plot.getViewBox().linkedView(0) is panel.charts[0].plot.getViewBox()
    panel.action_log.setChecked(True)
    assert all(c.plot.getAxis("left").logMode for c in panel.charts)
    s = panel.plotted()[0]
    assert s.curve.getOriginalDataset()[1] == pytest.approx(np.log10(s.data.values))   # values plotted as log10
    panel.x_mode.setCurrentIndex(1)      # run index
    assert list(panel.plotted()[0].x) == [0.0, 1.0, 2.0]


def test_click_places_cursor_b_and_double_click_opens_the_run_file(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP])
    chart = panel.charts[0]
    s = chart.series[0]
    qtbot.waitUntil(lambda: chart.plot.vb.sceneBoundingRect().width() > 100)
    scene_pos = chart.plot.vb.mapViewToScene(QPointF(float(s.x[1]), float(s.data.values[1])))
    hit = panel.point_at(chart, scene_pos)
    assert hit is not None and hit[1] == 1
    opened: list[str] = []
    panel.sigOpenRunFile.connect(opened.append)
    view_pos = chart.widget.mapFromScene(scene_pos)
    qtbot.mouseClick(chart.widget.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    # a click places cursor B on the run and opens nothing
    assert chart.cursor_b.value() == pytest.approx(float(s.x[1]))
    assert panel.cursor_positions()[1] == pytest.approx(float(s.x[1]))
    assert opened == []
    # a double-click is the gesture that opens the run's file
    with qtbot.waitSignal(panel.sigOpenRunFile) as blocker:   # press-release, then double-click-release
        qtbot.mouseDClick(chart.widget.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
        qtbot.mouseRelease(chart.widget.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    assert blocker.args[0].endswith("m1-profile-1761717876337.json")


def test_box_plot_uses_samples_when_present(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([SeriesKey("save-load-qa", "load", "mean")])

    def boxes():
        return [i for i in panel.box_plot.getPlotItem().items if type(i).__name__ == "BoxPlotItem"]

    # samples come from the index in the worker, then the box is redrawn from them
    qtbot.waitUntil(lambda: bool(boxes()) and boxes()[0].boxes[0].from_samples, timeout=10000)
    items = boxes()
    assert len(items) == 1 and items[0].boxes[0].from_samples and items[0].boxes[0].count == 2
    panel.select_series([GAMELOOP])
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=10000)
    items = boxes()
    assert not items[0].boxes[0].from_samples           # m1 files hold summaries only


def test_exports(qtbot, panel, game_repo_fixtures, tmp_path):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP, PHYSICS])
    png = panel.export_png(tmp_path / "chart.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = panel.export_svg(tmp_path / "chart.svg")
    assert b"<svg" in svg.read_bytes()
    csv_path = panel.export_csv(tmp_path / "data.csv")
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith("source,benchmark,statistic,unit,run_time")
    assert len(lines) == 1 + 6
    with pytest.raises(FileExistsError):
        panel.export_csv(csv_path)


def test_watch_adds_new_runs(qtbot, tmp_path, game_repo_fixtures):
    folder = tmp_path / "results"
    folder.mkdir()
    for f in sorted((game_repo_fixtures / "benchmark-results").glob("*.json"))[:2]:
        (folder / f.name).write_bytes(f.read_bytes())
    panel = MetricHistoryPanel()
    qtbot.addWidget(panel)
    _open(qtbot, panel, folder)
    panel.select_series([GAMELOOP])
    assert len(panel.plotted()[0].x) == 2
    newest = sorted((game_repo_fixtures / "benchmark-results").glob("*.json"))[2]
    with qtbot.waitSignal(panel.sigIngestFinished, timeout=15000):
        (folder / newest.name).write_bytes(newest.read_bytes())
    qtbot.waitUntil(lambda: panel.plotted() and len(panel.plotted()[0].x) == 3, timeout=5000)
    assert panel.plotted_keys() == [GAMELOOP]


def test_bad_file_is_reported_not_fatal(qtbot, panel, tmp_path):
    (tmp_path / "broken.json").write_text('{"a": ')
    (tmp_path / "ok.json").write_text(json.dumps({"generatedAt": "2025-11-01T00:00:00.000Z", "latencyMs": 3.5}))
    _open(qtbot, panel, tmp_path)
    assert any("broken.json" in p for p in panel.problems)
    assert "problem" in panel.status.text()
    assert panel.model.series_count() == 1


def test_clear(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.clear()
    assert panel.model.series_count() == 0 and panel.charts == [] and panel.delta_table.rowCount() == 0


# ---------------------------------------------------------------------- everyday experience (issue 12)
def test_status_names_the_loaded_folder(qtbot, panel, game_repo_fixtures):
    with qtbot.waitSignal(panel.sigStatus, timeout=30000) as blocker:
        panel.open_folder(game_repo_fixtures)
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=10000)
    assert blocker.args[0] == panel.status_text()
    assert panel.status_text().startswith(f"Metric history: {game_repo_fixtures.name}")
    assert " files, " in panel.status_text() and "regression(s)" in panel.status_text()


def test_main_window_status_bar_follows_the_metrics_folder(qtbot, game_repo_fixtures):
    from inspector_app.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_path(str(game_repo_fixtures))
    panel = window.metrics_panel
    qtbot.waitUntil(lambda: panel.status_text() != "" and not panel.is_busy, timeout=30000)
    status = window.findChild(type(window.status_label), "statusLoaded")
    qtbot.waitUntil(lambda: game_repo_fixtures.name in status.text(), timeout=5000)
    assert "Nothing loaded" not in status.text()


def test_delta_table_shows_every_row_without_scrolling(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    keys = [k for k, _, _ in panel.session.series() if k.source == "m1-profile" and k.statistic == "mean"][:5]
    assert len(keys) == 5
    panel.select_series(keys)
    table = panel.delta_table
    assert table.rowCount() == 5
    qtbot.waitUntil(lambda: table.viewport().height() >= sum(table.rowHeight(r) for r in range(5)))
    assert not table.verticalScrollBar().isVisible()


def test_budget_lines_are_coloured_and_named_by_series(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    other = SeriesKey("m1-profile", "gameloop-full-update-100-entities", "mean")
    panel.select_series([GAMELOOP, other])
    lines = panel.charts[0].budget_lines
    assert len(lines) == 2 and lines[0].color != lines[1].color
    by_color = {s.color.name(): s.data.key for s in panel.plotted()}
    for line in lines:
        key = by_color[line.color.name()]
        assert key.benchmark.split("-")[-2] in line.label        # "500" / "100" names the series


def test_stacked_charts_have_one_x_title_and_movable_translucent_legends(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP, PHYSICS])
    panel.action_stack.setChecked(True)
    titles = [c.plot.getAxis("bottom").labelText for c in panel.charts]
    assert titles == ["", "run time (UTC)"]
    legend = panel.charts[0].legend
    assert legend.brush().color().alpha() < 255


def test_legend_names_tell_the_entity_variants_apart(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    keys = [k for k, _, _ in panel.session.series()
            if k.source == "m1-profile" and k.benchmark.startswith("gameloop-full-update-") and k.statistic == "mean"]
    assert len(keys) >= 2
    panel.select_series(keys)
    names = [s.name for s in panel.plotted()]
    assert len(set(names)) == len(names)
    for s in panel.plotted():
        assert s.data.key.benchmark.split("-")[-2] in s.name


def test_date_ticks_carry_the_month_and_stay_bounded(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP])
    panel.charts[0].widget.grab()               # the axis measures its labels while painting
    axis = panel.charts[0].plot.getAxis("bottom")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    t0 = 1761497251.0
    for span_days in (3, 20, 200):
        levels = [(sp, v) for sp, v in axis.tickValues(t0, t0 + span_days * 86400, 800) if v]
        labels = [t for sp, v in levels for t in axis.tickStrings(v, 1.0, sp)]
        # every date label says its month (a year tick is the year itself; clock times sit
        # between day ticks that carry the date)
        dated = [t for t in labels if ":" not in t]
        assert dated and all(any(m in t for m in months) or t.isdigit() for t in dated), (span_days, labels)
        assert any(any(m in t for m in months) for t in labels)
    for span_s in (50 * 365 * 86400, 4e12):   # decades, and the span that froze the timeline
        assert sum(len(v) for _, v in axis.tickValues(t0, t0 + span_s, 800)) < 60


def test_dark_palette_restyles_charts_and_tables(qtbot, panel, game_repo_fixtures):
    from PySide6.QtGui import QColor, QPalette

    from inspector_app.ui.metrics.charts import contrast

    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP, PHYSICS])
    dark = QPalette()
    for role, color in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#17181a"),
                        (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.WindowText, "#e8eaed")):
        dark.setColor(role, QColor(color))
    panel.setPalette(dark)
    qtbot.waitUntil(lambda: panel.charts and panel.charts[0].widget.backgroundBrush().color() == QColor("#17181a"))
    chart = panel.charts[0]
    assert chart.plot.getAxis("left").textPen().color() == QColor("#e8eaed")
    base = QColor("#17181a")
    assert all(contrast(s.color, base) >= 4.5 for s in panel.plotted())
    row = next(r for r in range(panel.findings_table.rowCount()))
    assert contrast(panel.findings_table.item(row, 0).foreground().color(), base) >= 4.5
    assert panel.box_plot.backgroundBrush().color() == base


def test_browser_rows_keep_their_distinguishing_part_when_narrow(qtbot, panel, game_repo_fixtures):
    from PySide6.QtWidgets import QStyleOptionViewItem

    _open(qtbot, panel, game_repo_fixtures)
    model = panel.model
    source = next(model.index(r, 0) for r in range(model.rowCount()) if model.index(r, 0).data() == "m1-profile")
    variants = [model.index(r, 0, source) for r in range(model.rowCount(source))
                if model.index(r, 0, source).data().startswith("gameloop-full-update-")]
    assert len(variants) >= 2
    delegate = panel.tree.itemDelegateForColumn(0)
    shown = []
    for index in variants:
        option = QStyleOptionViewItem()
        option.initFrom(panel.tree)
        option.rect.setWidth(150)                      # far narrower than the names
        delegate.initStyleOption(option, index)
        shown.append(option.text)
        assert index.data().split("-")[-2] in option.text, option.text    # "100" / "500" / "1000"
    assert len(set(shown)) == len(shown)


def test_the_empty_chart_says_what_to_do_next(qtbot, panel, tmp_path):
    assert panel.placeholder.isVisible() and "Open a folder" in panel.placeholder.text()
    (tmp_path / "ok.json").write_text(json.dumps({"generatedAt": "2025-11-01T00:00:00.000Z", "latencyMs": 3.5}))
    _open(qtbot, panel, tmp_path)
    assert panel.placeholder.isVisible() and panel.placeholder.text() == "Pick metrics on the left to chart them."
    panel.clear()
    assert "Open a folder" in panel.placeholder.text()


def test_box_caption_names_the_run_on_one_line_at_1280_wide(qtbot, game_repo_fixtures):
    """Session 5 (flows): the caption above the box plot elides the run's file name in the middle
    to fit its width instead of wrapping it mid-name ("m1-\\nprofile-….json"); the full name is in
    the tooltip, and it re-fits when the box gets wider."""
    panel = MetricHistoryPanel()
    qtbot.addWidget(panel)
    panel.resize(1280, 700)
    panel.show()
    _open(qtbot, panel, game_repo_fixtures)
    with qtbot.waitSignal(panel.sigBoxPlotUpdated, timeout=10000):
        panel.select_series([GAMELOOP])
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=10000)
    caption = panel.box_caption
    full = caption.full_text.splitlines()[0]
    assert full.startswith("Run B: m1-profile-") and full.endswith(".json")
    assert full in caption.toolTip()

    def fits() -> bool:
        width = caption.contentsRect().width()
        lines = caption.text().splitlines()
        return (lines[0].startswith("Run B: ")
                and caption.fontMetrics().horizontalAdvance(lines[0]) <= width
                and (lines[0] == full or "…" in lines[0]))

    qtbot.waitUntil(fits, timeout=5000)
    assert "…" in caption.text().splitlines()[0]            # too long for the box at this width
    assert "◇\u00a0mean" in caption.text()                  # the legend never breaks between ◇ and mean
    caption.resize(2000, caption.height())                   # room enough: the whole name comes back
    qtbot.waitUntil(lambda: caption.text().splitlines()[0] == full, timeout=5000)


def test_chart_exports_are_offered_only_when_something_is_charted(qtbot, panel, game_repo_fixtures, tmp_path):
    """Session 5 (flows): PNG/SVG/CSV… are disabled while no series is charted (they would write an
    empty chart or a header-only CSV), enabled once one is, disabled again when the selection is
    cleared or the panel is cleared — and the enabled CSV… writes the charted rows."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog
    exports = (panel.action_export_png, panel.action_export_svg, panel.action_export_csv)
    assert not any(a.isEnabled() for a in exports)
    _open(qtbot, panel, game_repo_fixtures)
    assert all(a.isEnabled() == bool(panel.plotted()) for a in exports)   # the opening pick, if any
    panel.select_series([])
    assert not panel.plotted() and not any(a.isEnabled() for a in exports)
    panel.select_series([GAMELOOP])
    assert all(a.isEnabled() for a in exports)
    target = tmp_path / "gameloop.csv"

    def accept_dialog():
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QFileDialog) and w.objectName() == "plotExportDialog" and w.isVisible()), None)
        if dialog is None:
            return False
        dialog.selectFile(str(target))
        dialog.accept()
        return True

    done = []

    def poll():                    # the modal dialog runs its own loop: accept it from inside
        if accept_dialog():
            done.append(True)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    panel.action_export_csv.trigger()
    assert done and target.is_file() and len(target.read_text().splitlines()) == 1 + 3
    assert str(target) in panel.status.text()
    panel.select_series([])
    assert not any(a.isEnabled() for a in exports)
    panel.select_series([GAMELOOP])
    panel.clear()
    assert not any(a.isEnabled() for a in exports)


def test_a_failed_export_is_shown_in_the_error_colour(qtbot, panel, game_repo_fixtures, tmp_path, monkeypatch):
    """Session 6 (polish): a failed PNG/SVG/CSV export reads in the theme's error red (as the banner,
    search and World State errors), light or dark; the next success goes back to the muted status."""
    import errno

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from inspector_app.ui import theme
    from inspector_app.ui.widgets import plot_export

    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP])

    def export_through_the_dialog(action, target):
        def poll():                # the modal dialog runs its own loop: accept it from inside
            dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)
                           and w.objectName() == "plotExportDialog" and w.isVisible()), None)
            if dialog is None:
                QTimer.singleShot(20, poll)
                return
            dialog.selectFile(str(target))
            dialog.accept()

        QTimer.singleShot(0, poll)
        action.trigger()

    real_write = plot_export._write

    def disk_full(target, data, overwrite):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(plot_export, "_write", disk_full)
    export_through_the_dialog(panel.action_export_csv, tmp_path / "full.csv")
    bad = theme.value_color_css("bad", panel.palette())
    assert "Export failed" in panel.status.text() and "No space left" in panel.status.text()
    assert bad in panel.status.styleSheet()
    assert not (tmp_path / "full.csv").exists()
    monkeypatch.setattr(plot_export, "_write", real_write)
    export_through_the_dialog(panel.action_export_png, tmp_path / "ok.png")
    assert (tmp_path / "ok.png").is_file() and "Exported" in panel.status.text()
    assert bad not in panel.status.styleSheet()


def _axis_texts(axis) -> list[str]:
    """The tick labels the axis draws at its current range and size."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _rect, _flags, text in specs[2]] if specs else []


def test_log_axis_ticks_read_as_plain_numbers(qtbot, panel, game_repo_fixtures):
    """Session 6 (polish): a log y axis in ms reads 10, 20, 40, 100, 1 k — not pyqtgraph's 4·10¹ —
    on the charts and on the run's box plot."""
    import math

    from inspector_app.core.common.timefmt import format_axis_number

    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP])
    panel.action_log.setChecked(True)
    chart = panel.charts[0]
    axis = chart.plot.getAxis("left")
    assert axis.logMode
    chart.plot.setYRange(math.log10(5), math.log10(2000), padding=0)
    qtbot.waitUntil(lambda: bool(_axis_texts(axis)))
    texts = _axis_texts(axis)
    assert "10" in texts and "100" in texts and "1 k" in texts
    assert not any("·" in t or "e+" in t or "⁰" in t or "¹" in t for t in texts)
    assert axis.tickStrings([math.log10(40), 2, 3, math.log10(2500)], 1, 1) == ["40", "100", "1 k", "2.5 k"]
    decade = [math.log10(v) for v in range(1, 11)]           # a decade's minor ticks: 1, 2, 5, 10 labelled
    assert axis.tickStrings(decade, 1, 1) == ["1", "2", "", "", "5", "", "", "", "", "10"]
    chart.plot.setYRange(math.log10(35), math.log10(40), padding=0)   # less than a decade: round values
    qtbot.waitUntil(lambda: "36" in _axis_texts(axis))
    assert {"36", "38", "40"} <= set(_axis_texts(axis))
    box_axis = panel.box_plot.getAxis("left")
    assert box_axis.logMode
    assert box_axis.tickStrings([math.log10(40), 1], 1, 1) == ["40", "10"]
    assert [format_axis_number(v) for v in (0.05, 0, 16.3174916, 1.5e6, float("nan"))] == ["0.05", "0", "16.3", "1.5 M", ""]


def _scene_x(chart, x: float) -> float:
    return chart.plot.vb.mapViewToScene(QPointF(x, 0)).x()


def test_chart_labels_never_overlap_each_other_or_the_cursors(qtbot, panel, game_repo_fixtures):
    """The "frame 16 ms" budget label sat at the right edge on top of the B cursor line when B
    was the last run; labels now keep clear of both cursor lines, their A/B labels and each other
    (two budgets in one chart, cursors at the edges and then side by side)."""
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP, PHYSICS])
    chart = panel.charts[0]
    assert sorted(b.limit for b in chart.budget_lines) == [4.0, 16.0] and len(chart._budget_texts) == 2
    xs = panel.plotted()[0].x

    def check() -> None:
        chart.widget.grab()                     # painted: the labels' scene places are current
        texts = [t.sceneBoundingRect() for t, _y in chart._budget_texts]
        cursors = [chart.cursor_a, chart.cursor_b]
        for rect in texts:
            for c in cursors:
                x = _scene_x(chart, c.value())
                assert not (rect.left() <= x <= rect.right()), (rect, x)
                assert not rect.intersects(c.label.sceneBoundingRect())
        assert not texts[0].intersects(texts[1])
        assert not chart.cursor_a.label.sceneBoundingRect().intersects(chart.cursor_b.label.sceneBoundingRect())

    for a, b in ((xs[0], xs[-1]), (xs[-1], xs[0]), (xs[1], xs[1] + 1.0), (xs[0], xs[1])):
        panel.set_cursors(float(a), float(b))
        check()
    panel.resize(900, 700)                                  # placed again when the view changes size
    qtbot.waitUntil(lambda: chart.plot.vb.sceneBoundingRect().width() < 800, timeout=5000)
    check()


@pytest.mark.parametrize("width", [1300, 760])
def test_the_cursor_table_keeps_the_series_name_readable(qtbot, panel, game_repo_fixtures, width):
    """The run file names ("m1-profile-1761497254398.json") give way to the series name when the
    panel is narrow (its share of a 1024×700 window): the series keeps its room, a run name is
    shortened in the middle with the whole name on hover; wide, both show whole."""
    from inspector_app.ui.metrics.panel import RUN_COLUMNS, SERIES_MIN_WIDTH

    panel.resize(width, 800)
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP])
    xs = panel.plotted()[0].x
    panel.set_cursors(float(xs[0]), float(xs[-1]))
    table = panel.delta_table
    assert table.rowCount() == 1
    header = table.horizontalHeader()
    metrics = table.fontMetrics()

    def fitted() -> bool:
        series = header.sectionSize(0)
        shown = [c for c in RUN_COLUMNS if not table.isColumnHidden(c)]
        whole = all(header.sectionSize(c) >= metrics.horizontalAdvance(table.item(0, c).text()) for c in shown)
        others = sum(header.sectionSize(c) for c in range(1, 5))
        roomy = series >= min(SERIES_MIN_WIDTH, metrics.horizontalAdvance(table.item(0, 0).text()))
        all_left = not shown and series >= table.viewport().width() - others - 2     # runs hidden: all the rest
        return (roomy or all_left) and (whole and len(shown) == 2 if width > 1000 else series >= 200)
    qtbot.waitUntil(fitted, timeout=5000)
    runs = [table.item(0, c).text() for c in RUN_COLUMNS]
    for c in RUN_COLUMNS:
        assert table.item(0, c).toolTip() == table.item(0, c).text() and table.item(0, c).text().endswith(".json")
    tip = table.item(0, 0).toolTip()                  # the series names both runs (hidden columns)
    assert f"A: {runs[0]}" in tip and f"B: {runs[1]}" in tip
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert not table.horizontalScrollBar().isVisible()


def test_detected_changes_keep_their_names_readable_on_a_narrow_pane(qtbot, panel, game_repo_fixtures):
    """A narrow panel (its share of a 1024×700 window) hides "Began" and "Conf." of the
    detected changes so the name of what changed is more than a fragment (both stay in the
    row's tooltip); wide again, they come back."""
    from inspector_app.ui.metrics.panel import FINDINGS_FULL_WIDTH, FINDINGS_OPTIONAL_COLUMNS

    _open(qtbot, panel, game_repo_fixtures)
    table = panel.findings_table
    assert table.rowCount() > 0
    tip = table.item(0, 0).toolTip()
    assert "began at" in tip and "confidence" in tip
    qtbot.waitUntil(lambda: table.viewport().width() >= FINDINGS_FULL_WIDTH, timeout=5000)
    assert not any(table.isColumnHidden(c) for c in FINDINGS_OPTIONAL_COLUMNS)
    wide_name = table.horizontalHeader().sectionSize(0)
    panel.resize(700, 700)
    qtbot.waitUntil(lambda: table.viewport().width() < FINDINGS_FULL_WIDTH, timeout=5000)
    qtbot.waitUntil(lambda: all(table.isColumnHidden(c) for c in FINDINGS_OPTIONAL_COLUMNS), timeout=5000)
    narrow_name = table.horizontalHeader().sectionSize(0)
    assert narrow_name >= table.viewport().width() - table.horizontalHeader().sectionSize(2) - 2
    panel.resize(1300, 800)
    qtbot.waitUntil(lambda: not any(table.isColumnHidden(c) for c in FINDINGS_OPTIONAL_COLUMNS), timeout=5000)
    assert table.horizontalHeader().sectionSize(0) == wide_name
