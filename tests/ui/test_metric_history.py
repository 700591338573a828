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


def test_click_on_point_emits_open_run_file(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([GAMELOOP])
    qtbot.wait(50)
    chart = panel.charts[0]
    s = chart.series[0]
    scene_pos = chart.plot.vb.mapViewToScene(QPointF(float(s.x[2]), float(s.data.values[2])))
    hit = panel.point_at(chart, scene_pos)
    assert hit is not None and hit[1] == 2
    with qtbot.waitSignal(panel.sigOpenRunFile) as blocker:
        view_pos = chart.widget.mapFromScene(scene_pos)
        qtbot.mouseClick(chart.widget.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    assert blocker.args[0].endswith("m1-profile-1761951451560.json")


def test_box_plot_uses_samples_when_present(qtbot, panel, game_repo_fixtures):
    _open(qtbot, panel, game_repo_fixtures)
    panel.select_series([SeriesKey("save-load-qa", "load", "mean")])
    items = [i for i in panel.box_plot.getPlotItem().items if type(i).__name__ == "BoxPlotItem"]
    assert len(items) == 1 and items[0].boxes[0].from_samples and items[0].boxes[0].count == 2
    panel.select_series([GAMELOOP])
    items = [i for i in panel.box_plot.getPlotItem().items if type(i).__name__ == "BoxPlotItem"]
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
