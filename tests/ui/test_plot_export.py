"""The one plot/table export helper: PNG, SVG, CSV through the atomic no-overwrite writer."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QFileDialog

from inspector_app.ui.widgets import plot_export

pytestmark = pytest.mark.gui


@pytest.fixture
def plot(qtbot):
    import pyqtgraph as pg
    w = pg.PlotWidget()
    w.plot([0, 1, 2, 3], [1, 3, 2, 4])
    w.resize(400, 300)
    qtbot.addWidget(w)
    return w


def test_png_and_svg_of_a_plot_widget_item_and_scene(plot, tmp_path):
    png = plot_export.export_image(plot, tmp_path / "a.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage
    assert QImage(str(png)).width() == 800          # 2x the widget's width
    svg = plot_export.export_image(plot.getPlotItem(), tmp_path / "b", fmt="svg", title="B")
    assert svg.name == "b.svg" and b"<svg" in svg.read_bytes()[:600]
    scene_png = plot_export.export_image(plot.scene(), tmp_path / "c.png", scale=1)
    assert QImage(str(scene_png)).width() > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.svg", "c.png"]


def test_existing_file_is_refused_unless_overwrite(plot, tmp_path):
    target = tmp_path / "a.png"
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        plot_export.export_image(plot, target)
    assert target.read_bytes() == b"old"
    plot_export.export_image(plot, target, overwrite=True)
    assert target.read_bytes()[:4] == b"\x89PNG"
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]      # no temporary left


def test_csv_follows_the_project_convention(tmp_path):
    path = plot_export.export_csv(tmp_path / "rows", ["a", "b"], [[1, "x,y"], [2.0, None]])
    assert path.name == "rows.csv"
    assert path.read_text("utf-8") == 'a,b\n1,"x,y"\n2,\n'
    with pytest.raises(FileExistsError):
        plot_export.export_csv(path, ["a"], [])


def test_table_model_csv(qtbot, tmp_path):
    model = QStandardItemModel(0, 2)
    model.setHorizontalHeaderLabels(["name", "value"])
    for row in (["one", "=1"], ["two", "a,b"]):
        model.appendRow([QStandardItem(v) for v in row])
    path = plot_export.export_table_csv(model, tmp_path / "t.csv")
    assert path.read_text("utf-8").splitlines()[0] == "name,value"
    assert path.read_text("utf-8").splitlines()[2] == 'two,"a,b"'


def test_unwritable_folder_is_a_clear_error(plot, tmp_path):
    with pytest.raises(OSError, match="missing"):
        plot_export.export_image(plot, tmp_path / "missing" / "a.png")


def test_save_dialog_returns_the_chosen_path(qtbot, monkeypatch, tmp_path):
    seen = {}

    def fake_exec(self):
        seen["native_off"] = self.testOption(QFileDialog.Option.DontUseNativeDialog)
        seen["suffix"] = self.defaultSuffix()
        return 1
    monkeypatch.setattr(QFileDialog, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda self: [str(tmp_path / "x.svg")])
    assert plot_export.ask_save_path(None, "Save", "svg", "x.svg") == str(tmp_path / "x.svg")
    assert seen == {"native_off": True, "suffix": "svg"}
