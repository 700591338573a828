"""Start-up stays lean (issue 13): what the first paint does not need is not imported before it.

Each check runs in a fresh interpreter (the test process has imported everything by now). No
timings here — ``benchmarks/startup.py`` measures; these tests only keep the deferrals from
silently coming back. If one fails, import the named module inside the function that needs it
(or build the view lazily, ``ui/widgets/lazy_tabs.py``) rather than adding it to an allow-list.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]

#: modules (and their submodules) that must not be loaded once the window is built and shown
NOT_AT_START_UP = (
    # heavy third-party and stdlib modules nobody needs for an empty window
    "pyqtgraph", "numpy", "dask", "sqlite3", "_sqlite3", "multiprocessing", "concurrent.futures", "asyncio",
    "importlib.metadata", "importlib.resources", "email", "http", "urllib.request", "xml", "csv", "json",
    "decimal", "datetime", "html", "uuid",
    # the app's own machinery for work that starts after the first paint
    "inspector_app.core.loading.loader", "inspector_app.core.loading.chunked", "inspector_app.core.loading.split",
    "inspector_app.core.loading.document", "inspector_app.core.loading.legacy",
    "inspector_app.core.browser", "inspector_app.core.demo", "inspector_app.core.diff", "inspector_app.core.export",
    "inspector_app.core.metrics", "inspector_app.core.pins", "inspector_app.core.playtest", "inspector_app.core.search",
    "inspector_app.core.transcript", "inspector_app.core.worldstate", "inspector_app.core.common.timefmt",
    "inspector_app.cli", "inspector_app.ui.about", "inspector_app.ui.automation", "inspector_app.ui.diff",
    "inspector_app.ui.export", "inspector_app.ui.metrics", "inspector_app.ui.models.json_tree_model",
    "inspector_app.ui.pins", "inspector_app.ui.playtest", "inspector_app.ui.transcript",
    "inspector_app.ui.widgets.search_panel",
    "inspector_app.ui.widgets.state_inspector", "inspector_app.ui.worldstate",
)
#: the Qt modules a widgets window needs; any other (QtSvg, QtNetwork, QtCharts, …) loads on demand
QT_MODULES = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"}

_CHILD = """
import sys
from inspector_app.ui.app import create_application
app = create_application()
from inspector_app.ui.main_window import MainWindow
w = MainWindow()
w.show()
app.processEvents()
modules = sorted(sys.modules)
import json
print(json.dumps({"modules": modules, "style": app.style().name().lower(),
                  "arguments": app.arguments()[1:], "built": [w.tabs.is_built(k) for k in
                  ("summary", "worldstate", "transcript", "metrics")]}))
"""


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)


def _denied(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == d or m.startswith(d + ".") for d in NOT_AT_START_UP))


def test_the_shown_main_window_has_imported_nothing_the_first_paint_does_not_need(tmp_path):
    out = _run(_CHILD)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert _denied(report["modules"]) == [], "imported at start-up (defer to first use)"
    extra_qt = sorted(m for m in report["modules"] if m.startswith("PySide6.Qt") and m not in QT_MODULES)
    assert extra_qt == [], "Qt modules beyond QtCore/QtGui/QtWidgets at start-up"
    assert report["built"] == [False, False, False, False], "no tab is built before it is shown"
    # Fusion comes from the QApplication's arguments (no QStyle round-trip), and they stay private
    assert report["style"] == "fusion" and report["arguments"] == []


def test_the_deny_list_catches_a_module_and_its_submodules():
    assert _denied(["numpy", "numpy.core", "numpyish", "json", "jsonpath", "inspector_app.core.export.writers",
                    "inspector_app.core.exporter"]) == ["inspector_app.core.export.writers", "json", "numpy",
                                                        "numpy.core"]


def test_no_arguments_skip_the_parser_with_the_parser_s_result():
    from inspector_app.ui import app

    assert app._parse([]) == app._parser().parse_args([])
    assert app._parse(["a.json", "--origin", "http://x"]).paths == ["a.json"]


def test_version_prints_without_importing_qt():
    code = ("import runpy, sys\n"
            "sys.argv = ['inspector_app', '--version']\n"
            "try:\n"
            "    runpy.run_module('inspector_app', run_name='__main__', alter_sys=True)\n"
            "except SystemExit as e:\n"
            "    code = e.code\n"
            "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n")
    out = _run(code)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("telemetry-inspector ")
    assert lines[-1] == "0 []"
