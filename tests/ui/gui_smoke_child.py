"""Child process of the GUI smoke test: opens each file given on the command line in one real
MainWindow, visits every tab (building the lazy ones, rendering each at 1280×800), closes
the file, and prints ``START <n>`` / ``DONE <n> <outcome>`` lines so the parent can tell which
file a crash happened on. Run: ``python -m tests.ui.gui_smoke_child FILE...``."""
from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TELEMETRY_INSPECTOR_NON_NATIVE_DIALOGS", "1")

WAIT_S = 90.0     # one file's open + every tab; beyond it the window counts as frozen


def _spin(app, until, limit_s: float = WAIT_S) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        app.processEvents()
        if until():
            return True
        time.sleep(0.005)
    return False


def main(paths: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from inspector_app.ui.main_window import MainWindow
    from inspector_app.ui.workers import live_task_count

    app = QApplication.instance() or QApplication([])
    win = MainWindow()
    win.resize(1280, 800)
    win.show()
    def idle() -> bool:
        return not win.is_loading() and live_task_count() == 0
    for n, path in enumerate(paths):
        print(f"START {n} {path}", flush=True)
        win.open_path(path)
        if not _spin(app, idle):
            print(f"DONE {n} frozen-open", flush=True)
            continue
        outcome = "opened" if win.documents() else "refused"
        for i in range(win.tabs.count()):
            win.tabs.setCurrentIndex(i)
            if not _spin(app, idle):
                outcome = f"frozen-tab-{i}"
                break
            win.grab()
        while win.documents() and win.actionClose.isEnabled():    # File ▸ Close File, as a user would
            win.actionClose.trigger()
            _spin(app, idle)
        print(f"DONE {n} {outcome}", flush=True)
    win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
