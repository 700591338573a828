"""GUI bootstrap: QApplication set-up, the main window, and a last-resort error handler."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback

log = logging.getLogger("inspector_app")


def _parse(argv: list[str]) -> argparse.Namespace:
    from inspector_app import __version__

    p = argparse.ArgumentParser(prog="telemetry-inspector", description="Telemetry Inspector for The Memory Syndicate")
    p.add_argument("paths", nargs="*", help="profile exports, saves, summaries, or metric folders to open")
    p.add_argument("--version", action="version", version=f"telemetry-inspector {__version__}")
    p.add_argument("--screenshot", metavar="PNG", help=argparse.SUPPRESS)  # render once loaded, save, quit
    return p.parse_args(argv)


def create_application(argv: list[str] | None = None):
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("Telemetry Inspector")
    app.setOrganizationName("MemorySyndicate")
    app.setApplicationDisplayName("Telemetry Inspector")
    from inspector_app import APP_ID

    app.setDesktopFileName(APP_ID)  # the desktop groups the window with its launcher and icon
    import pyqtgraph as pg

    pg.setConfigOptions(useOpenGL=False, antialias=False, background="w", foreground="#333")
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


def run_gui(argv: list[str]) -> int:
    args = _parse(argv)
    app = create_application()
    from inspector_app.ui.main_window import MainWindow

    window = MainWindow()
    _install_excepthook(window)
    window.show()
    for p in args.paths:
        window.open_path(p)
    if args.screenshot:
        from PySide6.QtCore import QTimer

        def shoot():
            if window.is_loading():
                QTimer.singleShot(100, shoot)
                return
            window.grab().save(args.screenshot)
            app.quit()

        QTimer.singleShot(800, shoot)
    return app.exec()
