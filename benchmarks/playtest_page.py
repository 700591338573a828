"""The Playtest page while it reads a playtest: the longest GUI stall and the time until the report
is on screen, cold (no summary cache: every profile read in the process pool) and warm (the
reopen: every profile answered by the cache), in the real PlaytestPanel at 1280×800.

    flock /work/bench.lock .venv/bin/python benchmarks/playtest_page.py [--players 100] [--iterations 3]

Input: ``--players`` generated profiles (``core/playtest/generate.py``, ~600 KB each). The GUI
stall is ``_common.GuiGapProbe`` (a 1 ms timer: the largest gap between its ticks). Floor,
interleaved with every run: the same event loop idle for as long as the run took (the machine's own
scheduling noise). The run itself is the core's (``run_playtest``); here only what the GUI adds
and whether it stays responsive is measured.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import GuiGapProbe, format_timing, ratio, result_entry, run_metadata, write_results  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--players", type=int, default=100)
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--folder", type=Path, help="an existing playtest folder (default: generate one)")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="playtest-page-bench-"))
    os.environ["TELEMETRY_INSPECTOR_CONFIG_DIR"] = str(tmp / "config")
    folder = args.folder
    if folder is None:
        from inspector_app.core.playtest.generate import write_playtest_folder

        folder = tmp / "players"
        write_playtest_folder(folder, args.players, seed=5)

    from PySide6.QtWidgets import QApplication

    from inspector_app.ui.app import create_application
    from inspector_app.ui.playtest import PlaytestPanel

    app = QApplication.instance() or create_application()
    panel = PlaytestPanel()
    panel.resize(1280, 800)
    panel.show()

    def loop_until(done, seconds=None) -> tuple[float, float]:
        probe = GuiGapProbe().start()
        start = time.perf_counter()
        while not done() and (seconds is None or time.perf_counter() - start < seconds):
            app.processEvents()
            time.sleep(0.0005)
        panel.grab()                         # the first frame with the report
        app.processEvents()
        probe.stop()
        return time.perf_counter() - start, probe.worst_ms() or 0.0

    results: dict[str, dict] = {}
    for mode in ("cold", "warm"):
        worst, floor, totals, players = [], [], [], 0
        for i in range(args.iterations):
            cache = tmp / (f"cache-cold-{i}" if mode == "cold" else "cache-warm")
            os.environ["TELEMETRY_INSPECTOR_CACHE_DIR"] = str(cache)
            if mode == "warm" and i == 0:          # fill the cache once, untimed
                done = []
                panel.sigRunFinished.connect(lambda *_a: done.append(1))
                panel.open_sources([folder])
                loop_until(lambda: bool(done))
                panel.sigRunFinished.disconnect()
            done = []
            panel.sigRunFinished.connect(lambda run: done.append(run))
            panel.sigRunFailed.connect(lambda msg: done.append(msg))
            panel.open_sources([folder])
            took, gap = loop_until(lambda: bool(done))
            panel.sigRunFinished.disconnect()
            panel.sigRunFailed.disconnect()
            run = done[0]
            if isinstance(run, str):
                raise SystemExit(run)
            players = len(run.report.players)
            worst.append(gap)
            totals.append(took * 1000)
            _idle, floor_gap = loop_until(lambda: False, seconds=took)   # floor: the same loop, idle
            floor.append(floor_gap)
            print(f"{mode} run {i}: {players} players ({run.read} read, {run.cached} cached) on screen after "
                  f"{took * 1000:.0f} ms; worst GUI gap {gap:.1f} ms (idle floor {floor_gap:.1f} ms)", flush=True)
        entry = result_entry(worst, floorWorstGapMs=result_entry(floor)["timing"],
                             reportOnScreenMs=result_entry(totals)["timing"], players=players)
        entry["ratioToFloor"] = ratio(entry["timing"]["median"], entry["floorWorstGapMs"]["median"])
        print(f"{mode}: worst GUI gap {format_timing(entry['timing'])} ms; idle floor median "
              f"{entry['floorWorstGapMs']['median']:.1f} ms; ratio {entry['ratioToFloor']}; on screen median "
              f"{entry['reportOnScreenMs']['median']:.0f} ms")
        results[f"playtest-page-{mode}-gui-gap"] = entry
    path = write_results("playtest_page", results,
                         metadata=run_metadata(benchmark="playtest_page", players=args.players,
                                               note="machine shared with 7 other sessions (2 cores)"))
    print(f"results: {path}")
    panel.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
