"""GUI stall while comparing two big slots: the longest gap in the GUI event loop between asking
for the comparison and its result on screen (summary tree, diff tree, status), in the real
CompareView at 1280×800.

    .venv/bin/python benchmarks/compare_stall.py [--profile F | --size-mb 50] [--iterations 5]

Default input: two ~3.9 MB slots of a 50 MB synthetic profile (``core/demo/synthetic``), whose
designer-level comparison has ~18,000 sentences. A 2 ms timer records the gaps between its ticks.
Floor, interleaved with every run: the same loop with no comparison for as long as the run took
(the machine's own scheduling noise). Target: the worst gap ≤ 50 ms (on a quiet machine).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import format_timing, ratio, result_entry, run_metadata, write_results  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", type=Path, help="a localStorage profile export (default: synthetic)")
    ap.add_argument("--size-mb", type=float, default=50.0)
    ap.add_argument("--iterations", type=int, default=5)
    args = ap.parse_args(argv)

    import tempfile

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from inspector_app.core.common.fileio import write_atomic
    from inspector_app.core.demo.synthetic import build_synthetic_profile
    from inspector_app.core.loading.loader import load_path
    from inspector_app.ui.diff.compare_view import CompareView

    path = args.profile
    if path is None:
        path = Path(tempfile.mkdtemp()) / "synthetic-profile.json"
        write_atomic(path, build_synthetic_profile(int(args.size_mb * 1e6)))
    doc = load_path(path)              # as the app opens it: big slots parked, parsed on demand
    slots = sorted((s for s in doc.slots if s.has_payload), key=lambda s: -s.size_bytes)[:2]
    # candidates as the main window passes them: loaders the compare worker calls
    a, b = (lambda s=s: s.payload for s in slots)
    sizes = [s.size_bytes for s in slots]

    app = QApplication.instance() or QApplication([])
    view = CompareView()
    view.resize(1280, 800)
    view.show()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(tick)

    def loop_until(done, seconds=None) -> float:
        gaps.clear()
        last[0] = time.perf_counter()
        timer.start()
        start = time.perf_counter()
        while not done() and (seconds is None or time.perf_counter() - start < seconds):
            app.processEvents()
            time.sleep(0.0005)
        view.grab()                                     # the first frame with the result
        app.processEvents()
        timer.stop()
        return time.perf_counter() - start

    worst, floor_worst, totals, changes = [], [], [], 0
    for i in range(args.iterations):
        ready = [False]
        view.sigDiffReady.connect(lambda: ready.__setitem__(0, True))
        view.set_candidates([(f"A{i}", a), (f"B{i}", b)])
        took = loop_until(lambda: ready[0])
        view.sigDiffReady.disconnect()
        worst.append(max(gaps))
        totals.append(took * 1000)
        changes = len(view.changes)
        loop_until(lambda: False, seconds=took)          # floor: the same loop, idle
        floor_worst.append(max(gaps))
        print(f"run {i}: worst gap {worst[-1]:.1f} ms (idle floor {floor_worst[-1]:.1f} ms), "
              f"result on screen after {took * 1000:.0f} ms, {changes:,} sentences")
    entry = result_entry(worst, floorWorstGapMs=result_entry(floor_worst)["timing"],
                         resultOnScreenMs=result_entry(totals)["timing"], slotBytes=sizes,
                         designerChanges=changes, summaryRows=view.summary_model.rowCount())
    entry["ratioToFloor"] = ratio(entry["timing"]["median"], entry["floorWorstGapMs"]["median"])
    print(f"worst GUI gap {format_timing(entry['timing'])} ms; idle floor median "
          f"{entry['floorWorstGapMs']['median']:.1f} ms; ratio {entry['ratioToFloor']}")
    path = write_results("compare_stall", {"compare-two-big-slots-gui-gap": entry},
                         metadata=run_metadata(benchmark="compare_stall", note="machine shared with 7 other sessions"))
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
