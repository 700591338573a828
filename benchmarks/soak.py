"""Soak: open and close a save and a profile N times in one window; does memory stay flat?

    .venv/bin/python benchmarks/soak.py [--opens 300] [--app-root DIR] [--save F] [--profile F]

``--opens`` opens in all, in rounds: each round opens the save, waits until every worker task is done (the Tutorial Timeline is
shown, so its transcript is built), closes it, then the same for the profile. RSS is sampled
after every close; the slope (least squares, KB per open, after a 10-round warm-up) is the
leak (also given per open). ``--app-root`` runs another checkout's ``inspector_app`` (e.g. an archive of the commit
before the fix), for the before/after figure.

Floor, interleaved in the same run: the core alone (``load_path`` + ``transcript_from_document``
of the same file, result dropped) between the GUI rounds — its time per open and its RSS slope
(a correct GUI adds a constant, not a slope). Ratios: GUI round time / floor time.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FIXTURES = HERE.parent.parent / "shared" / "fixtures" / "game"


def rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def slope_kb(samples: list[tuple[int, int]]) -> float:
    """Least-squares slope of (open number, RSS KB)."""
    n = len(samples)
    if n < 2:
        return float("nan")
    mx = sum(x for x, _ in samples) / n
    my = sum(y for _, y in samples) / n
    sxx = sum((x - mx) ** 2 for x, _ in samples)
    return sum((x - mx) * (y - my) for x, y in samples) / sxx if sxx else float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--opens", type=int, default=300, help="opens in all (half the save, half the profile)")
    ap.add_argument("--app-root", type=Path, default=HERE.parent, help="checkout whose inspector_app to run")
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("TELEMETRY_INSPECTOR_SHARED") or
                                                         DEFAULT_FIXTURES.parent.parent))
    ap.add_argument("--save", default="saves/save_slot2.midgame.json")
    ap.add_argument("--profile", default="localstorage/profile1-main-session.localStorage.json")
    ap.add_argument("--label", default="")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.app_root.resolve()))
    sys.path.insert(1, str(HERE))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from _common import format_timing, ratio, result_entry, run_metadata, write_results
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from inspector_app.core.loading.loader import load_path
    from inspector_app.core.transcript.sources import transcript_from_document
    from inspector_app.ui import workers
    from inspector_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    win = MainWindow()
    win.resize(1280, 800)
    win.show()
    for i in range(win.tabs.count()):          # the Tutorial Timeline builds transcripts of what opens
        if "Tutorial" in win.tabs.tabText(i):
            win.tabs.setCurrentIndex(i)
    live = getattr(workers, "live_task_count", None)

    def idle() -> bool:
        return not win.is_loading() and (live is None or live() == 0)

    def spin(until, limit_s=120.0) -> None:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            app.processEvents()
            if until():
                break
            time.sleep(0.002)
        for _ in range(5):
            app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def close_all() -> None:
        close = getattr(win, "_close_current", None) or win.actionClose.trigger
        while win.documents():
            close()
            spin(idle)

    files = {"save": args.shared / "fixtures" / "game" / args.save,
             "profile": args.shared / "fixtures" / "game" / args.profile}
    gui_ms: dict[str, list[float]] = {k: [] for k in files}
    floor_ms: dict[str, list[float]] = {k: [] for k in files}
    gui_rss: list[tuple[int, int]] = []
    floor_rss: list[tuple[int, int]] = []
    warmup = 10
    rounds = max(1, args.opens // len(files))
    for r in range(rounds):
        for kind, path in files.items():
            start = time.perf_counter()
            win.open_path(path)
            spin(lambda: bool(win.documents()) and idle())
            spin(idle)
            close_all()
            gui_ms[kind].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()                      # floor: the core alone, interleaved
            transcript_from_document(load_path(path))
            floor_ms[kind].append((time.perf_counter() - start) * 1000)
        gc.collect()
        if r >= warmup:
            gui_rss.append((r, rss_kb()))
        if r % 25 == 0:
            print(f"round {r}: RSS {rss_kb() / 1024:.0f} MB", flush=True)
    # the core alone, for its own slope
    for r in range(min(rounds, 100)):
        for path in files.values():
            transcript_from_document(load_path(path))
        gc.collect()
        if r >= warmup:
            floor_rss.append((r, rss_kb()))

    gui_slope, floor_slope = slope_kb(gui_rss), slope_kb(floor_rss)
    results = {}
    for kind in files:
        entry = result_entry(gui_ms[kind], floorMedianMs=result_entry(floor_ms[kind])["timing"]["median"])
        entry["ratioToFloor"] = ratio(entry["timing"]["median"], entry["floorMedianMs"])
        results[f"soak-open-close-{kind}"] = entry
        print(f"soak-open-close-{kind:8s} {format_timing(entry['timing'])} ms  floor median "
              f"{entry['floorMedianMs']:.1f} ms  ratio {entry['ratioToFloor']}")
    results["soak-rss"] = {
        "iterations": rounds * len(files), "timing": result_entry(gui_ms["save"])["timing"],
        "rssSlopeKbPerRound": round(gui_slope, 1), "rssSlopeKbPerOpen": round(gui_slope / len(files), 1),
        "floorRssSlopeKbPerRound": round(floor_slope, 1),
        "rssStartMb": round(gui_rss[0][1] / 1024, 1) if gui_rss else None,
        "rssEndMb": round(gui_rss[-1][1] / 1024, 1) if gui_rss else None,
        "opensPerRound": len(files), "appRoot": str(args.app_root), "label": args.label,
    }
    print(f"RSS slope {gui_slope:.1f} KB per round ({len(files)} opens) — core-only floor {floor_slope:.1f} KB; "
          f"RSS {results['soak-rss']['rssStartMb']} → {results['soak-rss']['rssEndMb']} MB")
    metadata = run_metadata(benchmark="soak", label=args.label, note="machine shared with 7 other sessions")
    try:
        print(f"results: {write_results('soak', results, metadata=metadata)}")
    except ImportError:     # an --app-root from before core/common/fileio existed: hand the figures on
        import json
        print("RESULTS " + json.dumps({"metadata": metadata, "benchmarks": results}))
    win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
