"""Screenshots of every main view, taken from the real app (offscreen), for the README and docs.

    .venv/bin/python packaging/screenshots.py [--out docs/screenshots] [--sizes 1280x800,1920x1080]
                                              [--themes light,dark] [--synthetic-mb 50] [--views ...]

Drives ``MainWindow`` exactly as a user would — File ▸ Open on the demo data in ``resources/demo``,
a synthetic profile of ``--synthetic-mb`` MB (``core/demo/synthetic.py``), the game's benchmark
results (``../shared/fixtures/game-repo/benchmark-results`` beside the checkout, or under
``$TELEMETRY_INSPECTOR_SHARED``, when present, else
``benchmarks/results``) — waits for each view to finish loading (on conditions, never a fixed
delay) and writes ``<out>/<view>-<w>x<h>-<theme>.png`` plus ``<out>/main-window.png`` (the README's:
saves + world state, 1280×800, light). Settings go to a throw-away directory, so the developer's
own window layout and recent files neither leak in nor change.

Views: saves-worldstate, summary, compare, export-dialog, tutorial-timeline, metric-history,
big-profile, followed-values, playtest (a dozen generated players and one truncated profile,
``core/playtest/generate.py``). Only the 1280×800 set is committed (see docs/screenshots/README.md).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

VIEWS = ("saves-worldstate", "summary", "compare", "export-dialog", "tutorial-timeline", "metric-history",
         "big-profile", "followed-values", "playtest")
# the same rule as tests/conftest.py: ../shared beside the checkout unless TELEMETRY_INSPECTOR_SHARED says
SHARED_RESULTS = (Path(os.environ.get("TELEMETRY_INSPECTOR_SHARED") or REPO.parent / "shared")
                  / "fixtures" / "game-repo" / "benchmark-results")


def wait_until(predicate, timeout: float = 60.0, what: str = "") -> None:
    """Run the event loop until ``predicate()`` holds (a condition, not a fixed delay)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what or predicate}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    QApplication.processEvents()


def settle() -> None:
    """Let layouts, deferred renders and follow-up work (summary views, timeline) finish."""
    from PySide6.QtCore import QEventLoop, QThreadPool
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThreadPool.globalInstance().waitForDone(2000)
    deadline = time.monotonic() + 0.6  # timers the views start on show (FOLLOW_UP_DELAY_MS and the like)
    while time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


class Shooter:
    def __init__(self, out: Path, synthetic_mb: int):
        from inspector_app.ui.app import create_application

        self.out = out
        self.app = create_application()
        self.synthetic_mb = synthetic_mb
        self._tmp = Path(tempfile.mkdtemp(prefix="inspector-shots-"))
        self._big: Path | None = None
        self.window = None

    # -- the window -------------------------------------------------------------------------
    def fresh_window(self, w: int, h: int):
        from inspector_app.ui.main_window import MainWindow

        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            settle()
        win = MainWindow()
        win.resize(w, h)
        win.show()
        self.window = win
        wait_until(lambda: win.isVisible(), 10, "the window")
        return win

    def open(self, *paths: Path, timeout: float = 180.0) -> None:
        win = self.window
        for p in paths:
            win.open_path(p)
        wait_until(lambda: not win.is_loading() and len(win.documents()) >= len(paths), timeout, f"open {paths}")
        settle()

    def show_tab(self, title: str) -> None:
        tabs = self.window.tabs
        tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index(title))
        settle()

    def save(self, widget, name: str) -> Path:
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        print("wrote", path.relative_to(REPO) if path.is_relative_to(REPO) else path, flush=True)
        return path

    # -- views ----------------------------------------------------------------------------------
    def demo_profile(self) -> Path:
        from inspector_app.resources import resource_path

        return resource_path("demo", "demo-profile.localStorage.json")

    def view_saves_worldstate(self, w, h):
        self.fresh_window(w, h)
        self.open(self.demo_profile())
        self.show_tab("World State")
        edit = self.window.search_panel.edit
        edit.setText("Wraith")
        wait_until(lambda: not self.window.search_panel.is_searching, 30, "search")
        settle()
        return self.window

    def view_summary(self, w, h):
        self.fresh_window(w, h)
        self.open(self.demo_profile())
        self.show_tab("Save Summary")
        return self.window

    def view_tutorial_timeline(self, w, h):
        self.fresh_window(w, h)
        self.open(self.demo_profile())
        self.show_tab("Tutorial Timeline")
        panel = self.window.transcript_panel
        wait_until(lambda: panel.transcript is not None, 60, "the transcript")
        settle()
        return self.window

    def view_metric_history(self, w, h):
        self.fresh_window(w, h)
        folder = SHARED_RESULTS if SHARED_RESULTS.is_dir() else REPO / "benchmarks" / "results"
        self.window.open_path(folder)
        panel = self.window.metrics_panel
        done = []
        panel.sigIngestFinished.connect(lambda *_a: done.append(True))
        panel.sigIngestFailed.connect(lambda *_a: done.append(False))
        wait_until(lambda: bool(done), 300, "the metric ingest")
        settle()
        return self.window

    def view_compare(self, w, h):
        from PySide6.QtWidgets import QDialog

        from inspector_app.resources import resource_path

        self.fresh_window(w, h)
        saves = resource_path("demo", "saves")
        self.open(saves / "save_slot1.json", saves / "save_slot2.json")
        self.window.actionCompare.trigger()
        dlg = self.window.findChild(QDialog, "compareDialog")
        dlg.resize(min(w, 1280), min(h, 800))
        wait_until(lambda: dlg.view.result is not None and not dlg.view.is_busy(), 120, "the comparison")
        settle()
        return dlg

    def view_export_dialog(self, w, h):
        from PySide6.QtWidgets import QDialog

        self.fresh_window(w, h)
        self.open(self.demo_profile())
        self.window.actionExport.trigger()
        dlg = self.window.findChild(QDialog, "exportDialog")
        dlg.resize(min(w, 1100), min(h, 760))
        settle()
        return dlg

    def view_big_profile(self, w, h):
        if self._big is None:
            from inspector_app.core.demo.synthetic import build_synthetic_profile

            self._big = self._tmp / f"synthetic-{self.synthetic_mb}mb.localStorage.json"
            self._big.write_bytes(build_synthetic_profile(self.synthetic_mb * 1024 * 1024))
        self.fresh_window(w, h)
        self.open(self._big, timeout=600)
        self.show_tab("World State")
        return self.window

    def view_followed_values(self, w, h):
        """Follow Across Saves on a faction's fame in the tree (the context-menu action), then the
        Save Summary's natural pins: that faction's attitude, the tutorial step, playtime."""
        from inspector_app.core.pins import natural_pins

        self.fresh_window(w, h)
        self.open(self.demo_profile())
        self.show_tab("World State")
        win = self.window
        win.state_inspector.reveal_path(("gameData", "factions", "byId", "wraith_network", "fame"))
        win.state_inspector.follow_action.trigger()
        wraith = natural_pins("factions", table="factions", row={"id": "wraith_network"})
        win.follow_values([wraith[2], *natural_pins("tutorial", fact="Current step"),
                           *natural_pins("overview", fact="Playtime"),
                           *natural_pins("inventory", table="items", row={"id": "credits", "name": "Credits"})])
        panel = win.followed_panel
        wait_until(lambda: not panel.is_busy() and len(panel.series) == 5, 120, "the followed values")
        settle()
        return win

    def view_playtest(self, w, h):
        folder = self._tmp / "playtest"
        if not folder.is_dir():
            from inspector_app.core.playtest.generate import write_playtest_folder

            write_playtest_folder(folder, 12, seed=11, behaviours=["complete", "skip", "stall", "abandon", "error",
                                                                   "complete"])
            (folder / "zz-broken.json").write_bytes(b'{"save_slot1": "{\\"version\\": 1')
        self.fresh_window(w, h)
        done = []
        panel = self.window.playtest_panel
        panel.sigRunFinished.connect(lambda *_a: done.append(True))
        panel.sigRunFailed.connect(lambda *_a: done.append(False))
        self.window.open_playtest([folder])
        wait_until(lambda: bool(done), 300, "the playtest")
        settle()
        return self.window

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
        shutil.rmtree(self._tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    ap.add_argument("--sizes", default="1280x800,1920x1080")
    ap.add_argument("--themes", default="light,dark")
    ap.add_argument("--views", default=",".join(VIEWS), help=f"comma-separated subset of {', '.join(VIEWS)}")
    ap.add_argument("--synthetic-mb", type=int, default=50)
    ap.add_argument("--on-screen", action="store_true", help="use the real display instead of offscreen")
    args = ap.parse_args(argv)

    if not args.on_screen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    settings_home = tempfile.mkdtemp(prefix="inspector-shots-settings-")
    os.environ["TELEMETRY_INSPECTOR_CONFIG_DIR"] = os.path.join(settings_home, "config")
    os.environ["TELEMETRY_INSPECTOR_DATA_DIR"] = os.path.join(settings_home, "data")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(settings_home, "xdg-config")
    os.environ["XDG_DATA_HOME"] = os.path.join(settings_home, "xdg-data")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    views = [v for v in args.views.split(",") if v]
    unknown = set(views) - set(VIEWS)
    if unknown:
        ap.error(f"unknown views: {', '.join(sorted(unknown))}")
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",") if s]

    shooter = Shooter(out, args.synthetic_mb)
    from inspector_app.ui import theme

    try:
        for theme_name in args.themes.split(","):
            theme.controller().set_mode(theme_name, remember=False)
            for w, h in sizes:
                for view in views:
                    widget = getattr(shooter, "view_" + view.replace("-", "_"))(w, h)
                    path = shooter.save(widget, f"{view}-{w}x{h}-{theme_name}")
                    if view == "saves-worldstate" and (w, h) == (1280, 800) and theme_name == "light":
                        shutil.copyfile(path, out / "main-window.png")
                    if widget is not shooter.window:
                        widget.close()
    finally:
        shooter.close()
        shutil.rmtree(settings_home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
