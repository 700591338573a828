"""GUI bootstrap: QApplication set-up, the main window, and a last-resort error handler."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback

log = logging.getLogger("inspector_app")


def _parser() -> argparse.ArgumentParser:
    from inspector_app import __version__

    p = argparse.ArgumentParser(prog="telemetry-inspector", description="Telemetry Inspector for The Memory Syndicate")
    p.add_argument("paths", nargs="*", help="profile exports, saves, summaries, or metric folders to open")
    p.add_argument("--version", action="version", version=f"telemetry-inspector {__version__}")
    p.add_argument("--origin", help="for a browser profile or storage folder holding saves of several origins: "
                                    "the origin to open (e.g. http://localhost:8080)")
    p.add_argument("--screenshot", metavar="PNG", help=argparse.SUPPRESS)  # render once loaded, save, quit
    p.add_argument("--report-state", metavar="JSON", help=argparse.SUPPRESS)  # e2e: what is shown, once loaded
    return p


def _no_arguments() -> argparse.Namespace:
    """What the parser returns for no arguments (tests/ui/test_startup_lean.py compares the two)."""
    return argparse.Namespace(paths=[], origin=None, screenshot=None, report_state=None)


def _parse(argv: list[str]) -> argparse.Namespace:
    if not argv:  # the launcher's usual call: building the parser (and its gettext look-ups) costs ms
        return _no_arguments()
    return _parser().parse_args(argv)


def _choose_platform() -> None:
    """Linux without a display server (a CI box, ssh): render offscreen, and say so. Windows
    and macOS never have DISPLAY/WAYLAND_DISPLAY, so they are never switched."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        sys.stderr.write("telemetry-inspector: no DISPLAY or WAYLAND_DISPLAY set; "
                         "running offscreen (no window will appear)\n")


def create_application(argv: list[str] | None = None):
    """The QApplication with the app's names and theme. pyqtgraph is not imported here: the
    first plot imports and configures it (ui/plotting.py), which keeps start-up fast."""
    from PySide6.QtWidgets import QApplication

    from inspector_app.ui import theme

    _choose_platform()
    app = QApplication.instance()
    if app is None:
        app = QApplication([*(argv or [sys.argv[0]]), *theme.FUSION_ARGS])
        app.setProperty(theme.FUSION_FROM_ARGS, True)
    app.setApplicationName("Telemetry Inspector")
    app.setOrganizationName("MemorySyndicate")
    app.setApplicationDisplayName("Telemetry Inspector")
    from inspector_app import APP_ID

    app.setDesktopFileName(APP_ID)  # = the .desktop file's name: the desktop groups the window with it
    from inspector_app.ui.icons import app_icon

    app.setWindowIcon(app_icon())
    theme.controller()  # Fusion + the light/dark palette (system scheme or the remembered choice)
    from inspector_app.ui.workers import gui_thread_gc

    gui_thread_gc()  # the cyclic GC runs in this thread only: Qt objects must not be freed in a worker
    return app


def _install_excepthook(window) -> None:
    """An exception escaping a slot is logged and shown in the status bar — the app keeps running."""

    def hook(exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        sys.stderr.write(text)
        try:
            window.statusBar().showMessage(f"Internal error: {exc_type.__name__}: {exc} (details on stderr)", 15000)
        except Exception:  # noqa: BLE001
            pass

    sys.excepthook = hook


def _lighten_pyside_import_hook() -> None:
    """Make PySide's per-import source check cheap (issue 13).

    From ``PySide6.QtCore``'s import on, PySide's ``__feature__`` import hook asks of every
    module imported for the first time whether its source mentions "PySide6" (the modules that
    may use ``from __feature__ import …``). It finds out with ``inspect.getsource`` — linecache,
    tokenize, the whole file decoded and split into lines — ~0.15 ms a module, 40-60 modules
    before the first paint. The same question is answered here by looking for the bytes in the
    file: the same answer for every source file (the name is ASCII, and Python source encodings
    are ASCII-compatible, PEP 263), at a fraction of the cost. Anything else (no ``.py`` file, an
    unreadable one) goes to PySide's own check. Nothing changes if PySide's internals are not
    where 6.11 keeps them (tests/ui/test_startup_lean.py checks both answers agree)."""
    import PySide6.QtCore  # noqa: F401 - installs the hook (already imported when Qt is in use)

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "inspector_fast_check", False):
        return

    def mod_uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    data = source.read()
            except OSError:
                return original(module)
            return b"PySide6" in data
        return original(module)

    mod_uses_pyside.inspector_fast_check = True
    mod_uses_pyside.original = original
    feature._mod_uses_pyside = mod_uses_pyside


def run_gui(argv: list[str]) -> int:
    args = _parse(argv)
    # No cyclic GC until the application exists: start-up only allocates (modules, classes, Qt
    # wrappers, enum classes), so the ~10 collections the imports would trigger find nothing to
    # free (~3 ms). create_application() installs the GUI-thread collector, which keeps automatic
    # collection off from then on (threshold 0); the pause ends as the app ran before.
    from inspector_app.core.common.gcpause import GC_PAUSE_THRESHOLD, gc_paused

    with gc_paused(GC_PAUSE_THRESHOLD):  # the one pause (no freeze at this size)
        _lighten_pyside_import_hook()  # first: every module imported from here on is checked cheaply
        app = create_application()
    from inspector_app.ui.main_window import MainWindow

    window = MainWindow()
    _install_excepthook(window)
    window.show()
    for p in args.paths:
        window.open_path(p, origin=args.origin) if args.origin else window.open_path(p)
    write_state = None
    if args.report_state:
        from inspector_app.ui.automation import report_state_when_loaded

        write_state = report_state_when_loaded(window, args.report_state)
    if args.screenshot:
        from PySide6.QtCore import QTimer

        def shoot():
            if window.is_loading():
                QTimer.singleShot(100, shoot)
                return
            window.grab().save(args.screenshot)
            if write_state is not None:  # the report is written before the quit, never lost to it
                write_state()
            app.quit()

        QTimer.singleShot(800, shoot)
    return app.exec()
