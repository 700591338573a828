"""Shared test set-up: offscreen Qt, settings isolation, the ../shared fixtures, Qt objects
freed in the GUI thread at the end of each test, and the running test named for a crash log."""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt's own file dialogs (drivable by tests); the app uses the desktop's native ones
os.environ.setdefault("TELEMETRY_INSPECTOR_NON_NATIVE_DIALOGS", "1")

REPO = Path(__file__).resolve().parents[1]
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


@pytest.fixture(scope="session")
def game_fixtures() -> Path:
    return _require_shared(GAME_FIXTURES)


@pytest.fixture(scope="session")
def game_repo_fixtures() -> Path:
    return _require_shared(GAME_REPO_FIXTURES)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Every test gets its own QSettings / data directory, so nothing leaks between tests
    or into the developer's real settings."""
    home = tmp_path_factory.mktemp("home")
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


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """After pytest-qt closed and deleteLater()'d the test's widgets: delete them now, here, with
    no test code on the stack (not during the next test's first event loop), then collect the
    cycles that are due, in the GUI thread."""
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


# ----------------------------------------------------------------------------- a crash names its test
# packaging/run-tests.sh points TELEMETRY_INSPECTOR_TEST_TRACE at a file; if the process dies (a
# segfault: no report from pytest), the script prints the test that was running. faulthandler
# (on by default in pytest) adds the Python stacks.
_TRACE = os.environ.get("TELEMETRY_INSPECTOR_TEST_TRACE")


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
