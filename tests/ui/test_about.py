"""Help ▸ About names the versions (app, Qt, PySide6, pyqtgraph) and carries the licence notices a
binary distribution needs (PySide6/Qt LGPL-3.0 with source and relinking, pyqtgraph MIT, NumPy BSD,
orjson Apache/MIT); the desktop id is set for the window grouping."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import PySide6
import pyqtgraph
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication, QDialog

from inspector_app import APP_ID, __version__
from inspector_app.ui.about import AboutDialog, licenses_dir

pytestmark = pytest.mark.gui


def _about_dialog(window) -> AboutDialog | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QDialog) and w.objectName() == "aboutDialog" and w.isVisible()), None)


def test_help_about_shows_versions_and_licence_notices(qtbot, window):
    assert window.actionAbout in window.menuBar().actions()[-1].menu().actions()
    window.actionAbout.trigger()
    qtbot.waitUntil(lambda: _about_dialog(window) is not None)
    dialog = _about_dialog(window)
    shown = {name: label.text() for name, label in dialog.version_labels.items()}
    assert shown["Telemetry Inspector"] == __version__
    assert shown["Qt (runtime)"] == qVersion()
    assert shown["PySide6"] == PySide6.__version__
    assert shown["pyqtgraph"] == pyqtgraph.__version__
    text = dialog.notices.toPlainText()
    for needle in ("LGPL-3.0-only", "relink", "https://download.qt.io/official_releases/QtForPython/",
                   f"tag v{PySide6.__version__}", "pyqtgraph", "MIT", "NumPy", "BSD-3-Clause", "orjson",
                   "Apache-2.0 OR MIT", "PSF-2.0"):
        assert needle in text, needle
    assert licenses_dir() is not None and (licenses_dir() / "THIRD-PARTY-NOTICES.md").is_file()
    assert str(licenses_dir()) in text
    dialog.reject()
    qtbot.waitUntil(lambda: _about_dialog(window) is None)


def test_licence_folder_holds_the_texts_of_every_component():
    folder = licenses_dir()
    names = {p.name.rsplit("-", 1)[0] for p in folder.iterdir() if p.is_dir()}
    assert {"PySide6-Essentials", "shiboken6", "pyqtgraph", "numpy", "orjson", "cramjam", "Python"} <= names
    lgpl = next(folder.glob("PySide6-Essentials-*/LGPL-3")).read_text()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in lgpl and "Version 3" in lgpl
    assert "Permission is hereby granted" in next(folder.glob("pyqtgraph-*/LICENSE.txt")).read_text()


def test_the_application_carries_the_desktop_file_name():
    # In a child process: create_application() configures the process-wide QApplication.
    code = ("from inspector_app.ui.app import create_application\n"
            "app = create_application()\nprint(app.desktopFileName())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                         cwd=Path(__file__).resolve().parents[2], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == APP_ID
    desktop = Path(__file__).resolve().parents[2] / "packaging" / "desktop" / f"{APP_ID}.desktop"
    assert desktop.is_file()
