"""Shared test set-up: offscreen Qt, settings isolation, the ../shared fixtures, Qt objects
freed in the GUI thread at the end of each test, the running test named for a crash log, the
whole suite spread over worker processes, and Hypothesis without clock-based checks."""
from __future__ import annotations

import gc
import itertools
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Bytecode caches (git-ignored, left out of the sdist) are written by the test processes even where
# PYTHONDONTWRITEBYTECODE is set (this environment): otherwise every run and every xdist worker
# rewrites the asserts of all test modules again (~3.5 s of each process's collection), and the
# app's subprocesses compile inspector_app afresh. Python reads them either way.
sys.dont_write_bytecode = False

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt's own file dialogs (drivable by tests); the app uses the desktop's native ones
os.environ.setdefault("TELEMETRY_INSPECTOR_NON_NATIVE_DIALOGS", "1")

REPO = Path(__file__).resolve().parents[1]
#: worker processes for a run over whole directories (``pytest``, ``pytest tests/ui``): pytest-xdist's
#: "auto" (one per core) at most this many; ``-n N`` / ``-n 0`` on the command line always wins
MAX_WORKERS = 4
# ../shared beside the checkout (CI's clean clone); TELEMETRY_INSPECTOR_SHARED points elsewhere (a worktree).
SHARED = Path(os.environ.get("TELEMETRY_INSPECTOR_SHARED") or REPO.parent / "shared")
GAME_FIXTURES = SHARED / "fixtures" / "game"
GAME_REPO_FIXTURES = SHARED / "fixtures" / "game-repo"


def _require_shared(path: Path) -> Path:
    """Fixtures may be skipped only when ../shared is absent *and* CI is unset."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the shared fixtures are missing: {path}")
        pytest.skip(f"shared fixtures not present: {path}")
    return path


# ----------------------------------------------------------------------------- Hypothesis
# No clock in any verdict (the suite's rule; 3 engineers and CI share 2 loaded cores): no per-example
# deadline and no "too slow" health check. Under CI the examples are derandomized (the same ones on
# every run: a red CI is the code's, never the draw's); developers' runs keep drawing new ones.
# A test's own @settings still wins for what it names (e.g. max_examples).
settings.register_profile("inspector", deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          print_blob=True)
settings.register_profile("inspector-ci", settings.get_profile("inspector"), derandomize=True, database=None)
settings.load_profile("inspector-ci" if os.environ.get("CI") else "inspector")


@pytest.fixture(scope="session")
def game_fixtures() -> Path:
    return _require_shared(GAME_FIXTURES)


@pytest.fixture(scope="session")
def game_repo_fixtures() -> Path:
    return _require_shared(GAME_REPO_FIXTURES)


@pytest.fixture(scope="session")
def _homes(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("homes")


_HOME_NUMBERS = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_settings(_homes, monkeypatch):
    """Every test gets its own QSettings / data directory, so nothing leaks between tests
    or into the developer's real settings. The folder is made only when a test writes there
    (as on a fresh machine): a directory made and later removed per test costs ~3 ms of this
    disk's time, 4 s of a 1,300-test run."""
    home = _homes / f"home{next(_HOME_NUMBERS)}"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("TELEMETRY_INSPECTOR_DATA_DIR", str(home / "data" / "telemetry-inspector"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("TELEMETRY_INSPECTOR_CONFIG_DIR", raising=False)  # a developer's own must not leak in
    monkeypatch.delenv("TELEMETRY_INSPECTOR_CACHE_DIR", raising=False)
    yield


# ----------------------------------------------------------------------------- Qt object lifetime
def _gui_app():
    """The QApplication if a GUI test made one (core tests never import Qt for it)."""
    if "PySide6.QtWidgets" not in sys.modules:
        return None
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with the app's GUI-thread garbage collector (ui/workers.py): as in
    the app, no collection ever runs in a worker thread or pytest-timeout's timer thread, where it
    would free the widgets of earlier tests in the wrong thread."""
    from inspector_app.ui.workers import gui_thread_gc

    # The app freezes its start-up heap once (``settle``: at the window's first paint or the first
    # idle tick). In a test run that moment lands in whichever test comes first, and what the
    # freeze catches there — a frozen object in a cycle with the test's own objects — is never
    # collected during that test, so a test that waits for an object to be freed failed now and
    # then (test_workers' closure test). Here the collector counts as settled without the freeze;
    # the tests of settling itself (test_gui_thread_gc) set ``_settled`` back and check it.
    gui_thread_gc()._settled = True
    return qapp


@pytest.fixture(autouse=True)
def _gui_tests_have_the_application(request):
    """Every GUI test (marked ``gui``, or in tests/ui) runs with the QApplication made, whether or
    not it asks for ``qtbot``: a Qt object that needs one (a pyqtgraph axis laying out its label's
    font) aborts the whole process without it. In one process some earlier test always made it;
    under xdist a test that did not ask for it can be its worker's first Qt test (seen with -n 4:
    test_timeline_extremes' tick-spacing test, "Fatal Python error: Aborted", the worker lost)."""
    if request.node.get_closest_marker("gui") or "tests/ui/" in request.node.nodeid.replace("\\", "/"):
        request.getfixturevalue("qapp")


#: the least time any qtbot wait (waitUntil, waitSignal(s), waitCallback, waitExposed, waitActive)
#: gives its condition before failing. pytest-qt's default is 5 s and tests name 3-20 s: a limit
#: that is only ever reached when the condition never comes, but a clock in the verdict on a loaded
#: machine (a background parse beside 3 other test workers, browsers and the Dask cluster). The
#: wait still returns the moment its condition holds; pytest-timeout (120 s) ends a hung test.
WAIT_FLOOR_MS = 30_000


def _at_least(timeout):
    return timeout if timeout is None or timeout < 0 else max(timeout, WAIT_FLOOR_MS)


@pytest.fixture
def qtbot(qapp, request):
    """pytest-qt's ``qtbot`` whose waits never fail sooner than :data:`WAIT_FLOOR_MS`. A wait that
    is *expected* to run out (``raising=False``, as ``assertNotEmitted`` does) keeps its time."""
    from pytestqt.qtbot import QtBot

    class PatientQtBot(QtBot):
        def waitUntil(self, callback, *, timeout=WAIT_FLOOR_MS):
            return super().waitUntil(callback, timeout=_at_least(timeout))

        def waitSignal(self, signal, *, timeout=WAIT_FLOOR_MS, raising=None, check_params_cb=None):
            if raising is not False:
                timeout = _at_least(timeout)
            return super().waitSignal(signal, timeout=timeout, raising=raising, check_params_cb=check_params_cb)

        def waitSignals(self, signals, *, timeout=WAIT_FLOOR_MS, raising=None, **kwargs):
            if raising is not False:
                timeout = _at_least(timeout)
            return super().waitSignals(signals, timeout=timeout, raising=raising, **kwargs)

        def waitCallback(self, *, timeout=WAIT_FLOOR_MS, raising=None):
            if raising is not False:
                timeout = _at_least(timeout)
            return super().waitCallback(timeout=timeout, raising=raising)

        def waitExposed(self, widget, *, timeout=WAIT_FLOOR_MS):
            return super().waitExposed(widget, timeout=_at_least(timeout))

        def waitActive(self, widget, *, timeout=WAIT_FLOOR_MS):
            return super().waitActive(widget, timeout=_at_least(timeout))

    return PatientQtBot(request)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Before the test's widgets go: detach the background tasks still running (as
    ``MainWindow.closeEvent`` does with its loads), so work a test did not wait for cannot report
    to a deleted panel in the next test's set-up ("Internal C++ object (TranscriptPanel) already
    deleted", seen under load). After pytest-qt closed and deleteLater()'d the test's widgets:
    delete them now, here, with no test code on the stack (not during the next test's first event
    loop), then collect the cycles that are due, in the GUI thread."""
    if _gui_app() is not None and "inspector_app.ui.workers" in sys.modules:
        from inspector_app.ui.workers import _LIVE

        live = list(_LIVE)
        for task in live:
            task.detach()      # cancelled, receivers disconnected; it still ends and is deleted
        # ... and has ended before the next test starts: until its next cancellation check a
        # detached task holds the one worker thread, and maybe a freezing GC pause, which changes
        # what the next test's work does (seen under -n 4 with a shuffled order: the next test's
        # load found a freeze pending and never asked for the prepared collection). Its outcome
        # is still delivered, to no one, by a later event loop.
        for task in live:
            task.wait(60)
    result = yield
    if gc.get_freeze_count():
        gc.unfreeze()   # big documents are frozen (core/common/gcpause): the next test starts thawed
    app = _gui_app()
    if app is not None:
        from PySide6.QtCore import QCoreApplication, QEvent

        from inspector_app.ui.workers import gui_thread_gc

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        collector = gui_thread_gc()
        if collector is not None and collector.collect_due():
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return result


# ----------------------------------------------------------------------------- the suite in parallel
@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """A run over whole directories (the suite: ``pytest``; ``pytest tests/core``) is spread over
    one worker process per core (pytest-xdist, ``--dist loadfile``: a test file's tests share one
    process, so module- and session-scoped set-up is made once). Runs of files or node ids, and runs
    that need one process (``--pdb``, ``-s``, ``--collect-only``) stay in this process; ``-n N``
    given on the command line (``-n 0``: one process) is never overridden. Runs before xdist's own
    ``tryfirst`` hook (a conftest's hooks are called before the plugins registered earlier)."""
    if not config.pluginmanager.has_plugin("xdist") or hasattr(config, "workerinput"):
        return None
    opt = config.option
    if getattr(opt, "numprocesses", None) is not None or getattr(opt, "dist", "no") != "no" or getattr(opt, "tx", None):
        return None
    if opt.collectonly or opt.usepdb or getattr(opt, "trace", False) or opt.capture == "no":
        return None
    paths = [Path(str(a).split("::", 1)[0]) for a in config.args]
    if not paths or not all(("::" not in str(a)) and (config.invocation_params.dir / p).is_dir()
                            for a, p in zip(config.args, paths)):
        return None
    workers = min(config.hook.pytest_xdist_auto_num_workers(config=config), MAX_WORKERS)
    if workers < 2:
        return None
    opt.numprocesses = workers
    opt.dist = "loadfile"
    opt.loadscopereorder = False        # the files' order is ours: pytest_collection_modifyitems
    return None


#: a test's usual cost by kind, in hundredths of a second (only orders the files; measured on the
#: 2-core machine: a plain test ~0.02 s, a widget test ~0.25 s, a Hypothesis test ~1 s, a slow /
#: browser / Dask / end-to-end test 2-15 s)
_HEAVY_MARKERS = ("slow", "browser", "dask", "e2e")


def _test_weight(item) -> int:
    if any(item.get_closest_marker(m) for m in _HEAVY_MARKERS):
        return 400
    if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
        return 100
    if item.get_closest_marker("gui"):
        return 25
    return 2


def pytest_collection_modifyitems(config, items):
    """In an xdist worker: the test files, heaviest first by the usual cost of their tests (above), so
    the long ones start early and the run does not end on one worker's real-browser file while the
    other idles. Every worker computes the same order
    (xdist checks); the scheduler keeps it (``--no-loadscope-reorder``). Tests keep their order
    inside a file; a one-process run keeps pytest's order."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    ordered = sorted(by_file.values(), key=lambda group: sum(map(_test_weight, group)), reverse=True)
    items[:] = [item for group in ordered for item in group]


# ----------------------------------------------------------------------------- a crash names its test
# packaging/run-tests.sh points TELEMETRY_INSPECTOR_TEST_TRACE at a file; if the process dies (a
# segfault: no report from pytest), the script prints the test that was running. faulthandler
# (on by default in pytest) adds the Python stacks.
# Each xdist worker writes its own file (``<trace>.gw0`` …); xdist itself names the test a crashed
# worker was running and goes on with a new worker, so the run still ends with pytest's report.
_TRACE = os.environ.get("TELEMETRY_INSPECTOR_TEST_TRACE")
if _TRACE and os.environ.get("PYTEST_XDIST_WORKER"):
    _TRACE = f"{_TRACE}.{os.environ['PYTEST_XDIST_WORKER']}"


def pytest_runtest_logstart(nodeid, location):
    if _TRACE:
        with open(_TRACE, "w", encoding="utf-8") as fh:
            fh.write(nodeid + "\n")


@pytest.fixture
def fill_walks(monkeypatch) -> list:
    """The documents whose search-index filling walks were begun (``core.search._Fill`` made), in
    order: a test can tell that a document was never walked twice."""
    import inspector_app.core.search as search_mod

    made: list = []
    real_init = search_mod._Fill.__init__

    def init(self, root):
        made.append(root)
        real_init(self, root)

    monkeypatch.setattr(search_mod._Fill, "__init__", init)
    return made
