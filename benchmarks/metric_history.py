"""Benchmark the metric history view and index (run by hand, never by pytest).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/metric_history.py [--points 1000000] [--files 1000,10000]
        [--only all|render|ingest|detector] [--label before|after]

Measures, writing ``benchmarks/results/metric-history-<epoch ms>.json`` (m1-profile shape):

* first render and pan of a 1,000,000-point series in the app's chart (peak downsampling +
  clipToView, pen width 1) against plain pyqtgraph on the same data in the same run
  (targets: first render ≤ 100 ms, pan ≤ 16 ms);
* cold ingest of N small result files (m1 profiles, the game's shape), 5 times (15 below 5,000
  files), each paired with (and interleaved with) a floor of scanning, reading and
  ``orjson.loads``-ing every file; the ratio is the median of the per-pair wall-clock ratios
  (target ≤ 3×), ``cpuRatio`` the same with this process's CPU time (steadier on a loaded
  machine); warm reopen (stat-only reingest + series list), target ≤ 1 s (aim: ~0.5 s
  for 10,000 files), against a floor of the bare directory scan (``cpuRatio`` in CPU time);
* the regression detector on 1,000 and 10,000 runs (a step and a creep series), against a
  floor of sorting the same values.

On a shared machine trust the ratios of the interleaved pairs, repeat, and say it was loaded
(``metadata.loadAverage``).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

import numpy as np
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks._common import format_timing, ratio, result_entry, run_metadata, write_results


def _settle(app, widget) -> None:
    for _ in range(3):
        app.processEvents()
    widget.grab()


def bench_render(points: int, repeats: int = 5, pans: int = 20) -> dict:
    import pyqtgraph as pg
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from inspector_app.core.metrics.budgets import Bands
    from inspector_app.core.metrics.model import SeriesData, SeriesKey
    from inspector_app.ui.metrics.charts import HistoryChart

    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(42)
    x = np.arange(points, dtype=float)
    y = np.cumsum(rng.standard_normal(points)) + 1000.0
    data = SeriesData(SeriesKey("bench", "random-walk", "mean"), "ms", np.arange(points), x, y,
                      [""] * points, [""] * points)

    def make_app_chart():
        chart = HistoryChart("metricHistoryPlot", time_axis=False, log_y=False, unit="ms", bands=Bands())
        chart.add_series(data, x, QColor("#1f77b4"), "random walk", [], show_band=False)
        chart.fit_view(False)
        chart.add_cursors(points * 0.2, points * 0.8)   # as the panel draws it
        return chart.widget

    def make_plain_chart():
        widget = pg.PlotWidget(background="w")
        widget.plot(x, y, pen=pg.mkPen("#1f77b4", width=1))
        return widget

    results = {}
    for label, make in (("downsampled", make_app_chart), ("plain", make_plain_chart)):
        first: list[float] = []
        pan: list[float] = []
        for rep in range(repeats):
            start = time.perf_counter()
            widget = make()
            widget.resize(1000, 600)
            widget.show()
            _settle(app, widget)
            first.append((time.perf_counter() - start) * 1000)
            if rep == 0:
                vb = widget.getPlotItem().getViewBox()
                width = points * 0.10
                left = points * 0.30
                vb.setXRange(left, left + width, padding=0)
                _settle(app, widget)
                for i in range(pans):
                    left += width * 0.05
                    start = time.perf_counter()
                    vb.setXRange(left, left + width, padding=0)
                    _settle(app, widget)
                    pan.append((time.perf_counter() - start) * 1000)
            widget.close()
            widget.deleteLater()
            app.processEvents()
        results[label] = (first, pan)
    return results


def _write_files(root: Path, n: int) -> None:
    rng = np.random.default_rng(1)
    base = 1_760_000_000_000
    for i in range(n):
        sub = root / f"batch-{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        doc = {"metadata": {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime((base + i * 60_000) / 1000)),
                            "platform": "linux", "nodeVersion": "v22.19.0"},
               # the game's m1-profile shape (telemetry-pipeline.md §7.3): memory is null under Node
               "benchmarks": {f"bench-{b}": {"iterations": 10,
                                             "timing": {k: float(v) for k, v in zip(
                                                 ("min", "max", "mean", "median", "p95", "p99"),
                                                 np.sort(rng.lognormal(0, 0.2, 6)) * (b + 1))},
                                             "memory": None}
                              for b in range(5)}}
        (sub / f"m1-profile-{base + i * 60_000}.json").write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))


def _ingest_once(root: Path, db: Path, progress=None):
    """(wall ms, CPU ms of this process, report) of a cold ingest into a fresh index."""
    from inspector_app.core.metrics.index import MetricIndex

    if db.exists():
        db.unlink()
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if extra.exists():
            extra.unlink()
    start, cpu = time.perf_counter(), time.process_time()
    with MetricIndex(db) as index:
        report = index.ingest(root, progress=progress)
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, report


def _parse_floor(root: Path) -> tuple[float, float]:
    """(wall ms, CPU ms) of the floor: scan, then read + orjson.loads every file."""
    from inspector_app.core.metrics.index import scan_metric_files

    start, cpu = time.perf_counter(), time.process_time()
    for path in scan_metric_files(root):
        with open(path, "rb") as fh:
            orjson.loads(fh.read())
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def bench_ingest(n_files: int, warm_repeats: int = 5, cold_repeats: int | None = None) -> dict:
    """Cold ingest and its floor (read + orjson.loads of every file) measured interleaved,
    pair by pair in the same run, so a loaded machine slows both sides alike."""
    from inspector_app.core.metrics.index import MetricIndex, Scope, scan_metric_files

    work = Path(tempfile.mkdtemp(prefix="metric-history-bench-"))
    try:
        root = work / "results"
        _write_files(root, n_files)
        db = work / "index.sqlite3"
        _parse_floor(root)  # warm the page cache for both sides
        progress_calls = [0]
        if cold_repeats is None:          # small folders are quick: more pairs for a steadier median
            cold_repeats = 5 if n_files >= 5_000 else 15

        def progress(done, total, text=""):
            progress_calls[0] += 1

        cold: list[float] = []
        parse_floor: list[float] = []
        pair_ratios: list[float] = []
        cpu_ratios: list[float] = []      # CPU time of this process: far less sensitive to a loaded machine
        for rep in range(cold_repeats):
            floor_ms, floor_cpu = _parse_floor(root)
            cold_ms, cold_cpu, report = _ingest_once(root, db, progress if rep == 0 else None)
            assert len(report.files_read) == n_files, report
            parse_floor.append(floor_ms)
            cold.append(cold_ms)
            pair_ratios.append(cold_ms / floor_ms)
            cpu_ratios.append(cold_cpu / floor_cpu)

        warm: list[float] = []
        scan_floor: list[float] = []
        warm_cpu_ratios: list[float] = []
        for _ in range(warm_repeats):
            start, cpu = time.perf_counter(), time.process_time()
            scan_metric_files(root)
            scan_floor.append((time.perf_counter() - start) * 1000)
            scan_cpu = time.process_time() - cpu
            start, cpu = time.perf_counter(), time.process_time()
            with MetricIndex(db) as index:
                again = index.ingest(root)
                series = index.series(Scope.of(roots=[root]))
            warm.append((time.perf_counter() - start) * 1000)
            warm_cpu_ratios.append((time.process_time() - cpu) / max(scan_cpu, 1e-9))
            assert again.files_read == [] and len(series) == 5 * 7
        return {"cold": cold, "parse_floor": parse_floor, "pair_ratios": pair_ratios, "cpu_ratios": sorted(cpu_ratios),
                "progress_calls": progress_calls[0],
                "warm": warm, "scan_floor": scan_floor, "warm_cpu_ratios": sorted(warm_cpu_ratios),
                "db_bytes": db.stat().st_size}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _detector_series(n: int, kind: str = "step") -> np.ndarray:
    rng = np.random.default_rng(7)
    x = 10.0 + rng.normal(0, 0.3, n)
    if kind == "step":
        x[n // 2:] += 3.0            # one step regression half way
    else:                            # a slow creep over the last 60 % (the trend test's worst case)
        x += np.concatenate([np.zeros(n - n * 6 // 10), np.linspace(0, 4, n * 6 // 10)])
    return x


def bench_detector(sizes: Sequence[int] = (1000, 10000), repeats: int = 3, kind: str = "step") -> dict:
    """detect_changes on n runs, interleaved with a floor of sorting the same values."""
    from inspector_app.core.metrics.regression import detect_changes

    out = {}
    for n in sizes:
        x = _detector_series(n, kind)
        times: list[float] = []
        floors: list[float] = []
        findings = None
        for _ in range(repeats):
            start = time.perf_counter()
            np.sort(x)
            floors.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            findings = detect_changes(x)
            times.append((time.perf_counter() - start) * 1000)
        out[n] = {"times": times, "floors": floors,
                  "findings": [(f.kind, f.index) for f in findings or []]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--files", default="10000",
                        help="comma-separated folder sizes for the ingest rows, e.g. 1000,10000 (rows for "
                             "10,000 keep the plain names ingest-cold…, others get a -1k-style suffix)")
    parser.add_argument("--only", choices=("all", "render", "ingest", "detector"), default="all")
    parser.add_argument("--label", default="", help="stored in metadata (e.g. before/after)")
    args = parser.parse_args()

    benchmarks: dict = {}
    if args.only in ("all", "render"):
        render = bench_render(args.points)
        ds_first, ds_pan = render["downsampled"]
        plain_first, plain_pan = render["plain"]
        benchmarks.update({
            "render-1m-first-downsampled": result_entry(ds_first, points=args.points, targetMs=100,
                                                        floor=float(np.mean(plain_first)),
                                                        floorName="plain pyqtgraph first render (same run)",
                                                        ratio=ratio(float(np.mean(ds_first)), float(np.mean(plain_first)))),
            "render-1m-first-plain": result_entry(plain_first, points=args.points),
            "render-1m-pan-downsampled": result_entry(ds_pan, points=args.points, targetMs=16,
                                                      floor=float(np.mean(plain_pan)),
                                                      floorName="plain pyqtgraph pan (same run)",
                                                      ratio=ratio(float(np.mean(ds_pan)), float(np.mean(plain_pan)))),
            "render-1m-pan-plain": result_entry(plain_pan, points=args.points),
        })
    if args.only in ("all", "ingest"):
        for n_files in (int(n) for n in args.files.split(",")):
            suffix = "" if n_files == 10_000 else f"-{n_files // 1000}k" if n_files % 1000 == 0 else f"-{n_files}"
            ingest = bench_ingest(n_files)
            pairs = sorted(ingest["pair_ratios"])
            benchmarks.update({
                f"ingest-cold{suffix}": result_entry(
                    ingest["cold"], files=n_files, progressCalls=ingest["progress_calls"],
                    floor=float(np.median(ingest["parse_floor"])),
                    floorName="read + orjson.loads of every file (interleaved, same run)",
                    ratio=round(float(np.median(pairs)), 3), ratioMin=round(pairs[0], 3),
                    ratioMax=round(pairs[-1], 3), targetRatio=3.0, dbBytes=ingest["db_bytes"],
                    cpuRatio=round(float(np.median(ingest["cpu_ratios"])), 3),
                    cpuRatioMin=round(ingest["cpu_ratios"][0], 3), cpuRatioMax=round(ingest["cpu_ratios"][-1], 3)),
                f"ingest-cold-floor{suffix}": result_entry(ingest["parse_floor"], files=n_files),
                f"ingest-warm-reopen{suffix}": result_entry(
                    ingest["warm"], files=n_files, targetMs=1000, floor=float(np.mean(ingest["scan_floor"])),
                    floorName="directory scan (stat) alone",
                    ratio=ratio(float(np.mean(ingest["warm"])), float(np.mean(ingest["scan_floor"]))),
                    cpuRatio=round(float(np.median(ingest["warm_cpu_ratios"])), 3),
                    cpuRatioMin=round(ingest["warm_cpu_ratios"][0], 3), cpuRatioMax=round(ingest["warm_cpu_ratios"][-1], 3)),
            })
    if args.only in ("all", "detector"):
        for kind in ("step", "creep"):
            for n, d in bench_detector(kind=kind).items():
                benchmarks[f"detector-{kind}-{n // 1000}k-runs"] = result_entry(
                    d["times"], runs=n, floor=float(np.median(d["floors"])),
                    floorName="np.sort of the same values (interleaved)",
                    ratio=ratio(float(np.median(d["times"])), float(np.median(d["floors"]))),
                    findings=[f"{k}@{i}" for k, i in d["findings"]])
    path = write_results("metric-history", benchmarks, metadata=run_metadata(label=args.label))
    for name, entry in benchmarks.items():
        extra = f" floor={entry['floor']:.3f} ratio={entry['ratio']}" if "floor" in entry else ""
        if "cpuRatio" in entry:
            extra += f" cpuRatio={entry['cpuRatio']} (min {entry['cpuRatioMin']}, max {entry['cpuRatioMax']})"
        print(f"{name:32s} {format_timing(entry['timing'])}{extra}")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
