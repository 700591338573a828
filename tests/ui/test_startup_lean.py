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
    # made right after the first paint (MainWindow._after_first_paint): the follower
    "inspector_app.ui.browser.follow",
)
#: the Qt modules a widgets window needs; any other (QtSvg, QtNetwork, QtCharts, …) loads on demand
QT_MODULES = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"}

_CHILD = """
import sys
from inspector_app.ui.app import create_application
app = create_application()
from PySide6.QtCore import QEvent, QObject, QTimer
from inspector_app.ui.main_window import MainWindow
w = MainWindow()
seen = {}

class FirstPaint(QObject):  # installed after the window's own filter: sees the paint first
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "modules" not in seen:
            seen["modules"] = sorted(sys.modules)
            seen["built"] = [w.tabs.is_built(k) for k in ("summary", "worldstate", "transcript", "metrics")]
            seen["follower"] = w._follower is not None
            QTimer.singleShot(0, wait_for_the_follower)
        return False

def wait_for_the_follower(turns=[0]):  # event-loop turns, not time
    turns[0] += 1
    if w._follower is not None or turns[0] > 1000:
        app.quit()
    else:
        QTimer.singleShot(0, wait_for_the_follower)

first_paint = FirstPaint()
w.installEventFilter(first_paint)
w.show()
app.exec()
# the work that waited for the first paint has run by itself
after = "inspector_app.ui.browser.follow" in sys.modules and w._follower is not None
menu = [a.objectName() for a in w.file_menu.actions()]
import json
print(json.dumps({**seen, "style": app.style().name().lower(), "arguments": app.arguments()[1:],
                  "after": after, "menu": menu}))
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
    # what waited for the first paint is made right after it, its action in its place
    assert not report["follower"] and report["after"]
    menu = report["menu"]
    assert menu.index("actionOpenBrowserProfile") + 1 == menu.index("actionFollowLive") == \
        menu.index("actionOpenDemo") - 1
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


def test_the_cheap_pyside_source_check_gives_pyside_s_answers():
    """run_gui swaps PySide's per-import check (``inspect.getsource``) for a byte search of the
    file: the same answer for every module loaded here (stdlib, PySide, the whole app)."""
    code = ("import sys\n"
            "import PySide6.QtCore\n"
            "feature = sys.modules['shibokensupport.feature']\n"
            "original = feature._mod_uses_pyside\n"
            "import inspector_app.ui.main_window, inspector_app.ui.browser.follow, inspector_app.cli.export\n"
            "from inspector_app.ui.app import _lighten_pyside_import_hook\n"
            "_lighten_pyside_import_hook()\n"
            "fast = feature._mod_uses_pyside\n"
            "_lighten_pyside_import_hook()  # once only\n"
            "assert fast is not original and feature._mod_uses_pyside is fast and fast.original is original\n"
            "modules = [m for m in list(sys.modules.values()) if getattr(m, '__file__', None)]\n"
            "differ = [m.__name__ for m in modules if fast(m) != original(m)]\n"
            "print(len(modules), sum(map(fast, modules)), differ)\n")
    out = _run(code)
    assert out.returncode == 0, out.stderr
    count, uses, differ = out.stdout.strip().splitlines()[-1].split(" ", 2)
    assert int(count) > 150 and int(uses) >= 10 and differ == "[]"


def test_the_follower_is_there_for_whoever_needs_it_before_the_first_paint(qtbot, tmp_path):
    """Never shown (so never painted): asking for it, the File menu or the first loaded document
    makes it, and that document is followed."""
    from PySide6.QtGui import QAction

    from inspector_app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    assert win._follower is None
    save = tmp_path / "save.json"
    save.write_text('{"version": 1, "playtime": 5, "meta": {"slot": "slot1"}}', encoding="utf-8")
    with qtbot.waitSignal(win.sigDocumentLoaded, timeout=15000):
        win.open_path(save)
    assert win._follower is not None and str(save) in win.follower.followed_paths()
    names = [a.objectName() for a in win.file_menu.actions()]
    assert names.index("actionFollowLive") == names.index("actionOpenDemo") - 1

    other = MainWindow()
    qtbot.addWidget(other)
    action = other.findChild(QAction, "actionFollowLive")
    assert action is not None and action is other.follower.action and action.isChecked()

    third = MainWindow()
    qtbot.addWidget(third)
    third.file_menu.aboutToShow.emit()   # what opening the File menu does first
    assert third._follower is not None and third.follower.action in third.file_menu.actions()
    win.cancel_loads()


def test_the_launch_runs_with_the_collector_as_before():
    """run_gui pauses the cyclic GC while it starts (nothing to free yet); by the event loop it is
    enabled again, with the GUI-thread collector's threshold 0 (ui/workers.py) in charge."""
    code = ("import gc, sys\n"
            "from PySide6.QtWidgets import QApplication\n"
            "def report(*_a):\n"
            "    shown = [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]\n"
            "    print(gc.isenabled(), gc.get_threshold()[0], shown)\n"
            "    return 0\n"
            "QApplication.exec = report\n"
            "from inspector_app.ui.app import run_gui\n"
            "sys.exit(run_gui([]))\n")
    out = _run(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "True 0 ['MainWindow']"


_OPEN_CHILD = """
import sys, threading
WATCH = ("inspector_app.core.pins", "inspector_app.core.browser.follow", "inspector_app.core.diff",
         "inspector_app.core.loading.loader")
on_gui_thread = {}
order = []

class Spy:  # consulted only for modules not imported yet: records who imports each first, and when
    def find_spec(self, name, path=None, target=None):
        if name in WATCH and name not in on_gui_thread:
            on_gui_thread[name] = threading.current_thread() is threading.main_thread()
            order.append(name)
        return None

sys.meta_path.insert(0, Spy())
from inspector_app.ui.app import create_application
app = create_application()
from PySide6.QtCore import QTimer
from inspector_app.ui.main_window import MainWindow
w = MainWindow()
w.show()
w.open_path(sys.argv[1])

def done():
    return (not w.is_loading() and w.current_row() is not None
            and "inspector_app.core.pins" in sys.modules)

def wait(turns=[0]):  # event-loop turns, not time
    turns[0] += 1
    if done() or turns[0] > 2_000_000:
        app.quit()
    else:
        QTimer.singleShot(0, wait)

QTimer.singleShot(0, wait)
app.exec()
import json, os
report = {"done": done(), "on_gui_thread": on_gui_thread, "order": order}
w.close()                                   # cancels the window's tasks (the index fill, warm-ups)
from inspector_app.ui.workers import task_pool
task_pool().waitForDone(30_000)             # no worker still runs Python at the interpreter's exit
print(json.dumps(report), flush=True)
os._exit(0)                                 # what it had to say is said: skip the teardown
"""


def test_an_open_imports_its_heavy_modules_in_the_worker():
    """Session 6: a module imported on the GUI thread during an open stalls the window for as long
    as the import (Follow Live's stamp pulled in the loaders, the diff and sqlite: 34 ms of the
    demo profile's first open). The loader and the Save Summary's pins load in the worker."""
    demo = REPO / "resources" / "demo" / "demo-profile.localStorage.json"
    out = _run(_OPEN_CHILD, str(demo))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["done"]
    seen = report["on_gui_thread"]
    assert seen.get("inspector_app.core.loading.loader") is False and seen.get("inspector_app.core.pins") is False
    assert not seen.get("inspector_app.core.browser.follow") and not seen.get("inspector_app.core.diff")
