"""Benchmark: world-state search over a 1,000,000-node save-like value (issue 13 row 5).

Run by hand (never by pytest), one benchmark at a time:

    flock /work/bench.lock .venv/bin/python benchmarks/search.py [--nodes 1000000] [--rounds 5] \
        [--baseline 174dae5] [--save-mb 50] [--code LABEL]

Target (issue 13): what the user gets ≤ 2× the floor and ≤ 1 s.
Floor, measured in the same run: a plain Python iterative walk that visits every node of the
same value (``tree_model.plain_walk``: what any full search must at least do).

Each round runs, per query and back to back (the query order rotates between rounds): the floor;
the **fill** of a fresh ``SearchIndex`` (``SearchIndex.fill``: what the search panel runs in the
background once a document is shown); **the first search after the open**, with that filled
index (the user's case: the panel filled it before the user typed); the **takeover**: a search
typed before the fill began, with the document's empty index (it takes the filling walk over from
the start: the worst case of a search during the fill); the **cold** search without
an index (kept for honesty: the panel always has an index, except for a document read anew by
each search or one with too many distinct texts); and the earlier search (``--baseline``, a git revision of
``inspector_app/core/search.py``) without an index. Ratios are per round (median and min over
rounds), wall time (``perf_counter``) and CPU time of the thread (``thread_time``, less disturbed
by other processes on a loaded machine). Every search must return the same hits and totals
(checked).

Then, with a QApplication (offscreen), per round: the GUI thread's worst gap (``GuiGapProbe``,
a 1 ms timer) while the real ``SearchPanel`` fills the index of the value in its worker after
``set_root``, against the worst gap while the worker runs the floor (``plain_walk``), interleaved.
Memory: the index's (tracemalloc: what the filled index keeps, and the fill's peak) against the
document's (tracemalloc of building it), for the value and, with ``--save-mb``, a big single save
read as the app reads it (sectioned skeleton, runs compressed). Writes
``benchmarks/results/search-<epoch ms>.json`` in the m1-profile shape.
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import result_entry, run_metadata, write_results  # noqa: E402
from tree_model import make_world, plain_walk  # noqa: E402

QUERIES = [
    ("search-plain", "luminari", {}),
    ("search-plain-rare", "Agent 12345", {}),
    ("search-number", "72", {}),
    ("search-regex", r"courier \(\d\)", {"regex": True}),
    ("search-regex-no-literal", r"\d{3}7", {"regex": True}),
    ("search-keys-only", "faction", {"values": False}),
    ("search-case-sensitive", "Luminari", {"case_sensitive": True}),
]


def load_baseline(rev: str):
    """``inspector_app/core/search.py`` as of ``rev``, imported as its own module."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:inspector_app/core/search.py"],
                            check=True, capture_output=True, text=True).stdout
    path = Path(f"/tmp/search_baseline_{rev}.py")
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("search_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_baseline"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def timed(fn):
    """(wall ms, thread CPU ms, result)."""
    wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
    out = fn()
    return (time.perf_counter_ns() - wall) / 1e6, (time.thread_time_ns() - cpu) / 1e6, out


def ratios(values: list[float], floors: list[float], prefix: str = "ratioToFloor") -> dict[str, float]:
    """Per-round ratios: ``<prefix>`` (median), ``<prefix>Min``, ``<prefix>Max``."""
    r = sorted(v / f for v, f in zip(values, floors))
    return {prefix: round(r[len(r) // 2], 3), f"{prefix}Min": round(r[0], 3), f"{prefix}Max": round(r[-1], 3)}


def _same(a, b) -> bool:
    return ([h.path for h in a.hits], a.total_matches) == ([h.path for h in b.hits], b.total_matches)


def measure_memory(build, fill) -> dict:
    """(document, index kept, fill peak) in MiB by tracemalloc: ``build()`` makes the document,
    ``fill(doc)`` returns its filled index."""
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    doc = build()
    document = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    index = fill(doc)
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mib = 1 << 20
    size = index._tables.size if index.ready else None
    out = {"documentMiB": round(document / mib, 1), "indexMiB": round((kept - document) / mib, 1),
           "fillPeakMiB": round((peak - document) / mib, 1), "distinctTexts": size,
           "indexToDocument": round((kept - document) / document, 3)}
    del index, doc
    gc.collect()
    return out


def gui_gaps(value, rounds: int) -> dict:
    """The GUI's worst gap while the search panel fills the index in its worker, against the
    worst gap while the worker walks the value (``plain_walk``), interleaved."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from _common import GuiGapProbe
    from inspector_app.ui.widgets.search_panel import SearchPanel
    from inspector_app.ui.workers import BackgroundTask, gui_thread_gc

    app = QApplication.instance() or QApplication([])
    gui_thread_gc()
    panel = SearchPanel()
    panel.resize(400, 600)
    panel.show()

    def run_until(done) -> None:
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: done() and loop.quit())
        timer.start()
        loop.exec()
        timer.stop()

    fill_gaps, floor_gaps, fill_ms = [], [], []
    for _ in range(rounds):
        app.processEvents()
        probe = GuiGapProbe().start()
        walked: list = []
        BackgroundTask(lambda _p, _c: walked.append(plain_walk(value))).start()
        run_until(lambda: bool(walked))
        probe.stop()
        floor_gaps.append(probe.worst_ms())
        app.processEvents()
        probe = GuiGapProbe().start()
        t0 = time.perf_counter()
        panel.set_root(value)
        index = panel.index
        run_until(lambda: (index.ready or index.abandoned) and not panel.is_indexing)
        fill_ms.append((time.perf_counter() - t0) * 1000)
        probe.stop()
        fill_gaps.append(probe.worst_ms())
        panel.set_root({})
    panel.shutdown()
    panel.deleteLater()
    app.processEvents()
    return fill_gaps, {"what": "GUI thread's worst gap (GuiGapProbe, 1 ms timer) while the SearchPanel fills the index "
                    "in its worker after set_root; floor: the same while the worker runs plain_walk",
            "fillWorstGapMs": result_entry(fill_gaps)["timing"],
            "floorWorstGapMs": result_entry(floor_gaps)["timing"],
            **ratios(fill_gaps, floor_gaps),
            "panelFillWallMs": result_entry(fill_ms)["timing"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", default="174dae5", help="git revision of the 'before' search (session 5)")
    parser.add_argument("--save-mb", type=float, default=0, help="also the index memory of a big single save")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--code", default="", help="a label for the code measured (written to the metadata)")
    args = parser.parse_args()

    from inspector_app.core.search import SearchIndex, search_json

    def filled(doc):
        index = SearchIndex()
        index.fill(doc)
        return index

    before = load_baseline(args.baseline) if args.baseline else None
    memory = {"value": measure_memory(lambda: make_world(args.nodes), filled)}
    if args.save_mb:
        from inspector_app.core.demo.synthetic import build_large_save
        from inspector_app.core.loading.sections import compress_sections, loads_sectioned

        text = build_large_save(max(0, (int(args.save_mb * 1e6) - 150_000) // 576))

        def skeleton():
            doc, _ = loads_sectioned(bytearray(text))
            compress_sections(doc)
            return doc

        memory["save"] = {"fileMiB": round(len(text) / (1 << 20), 1), **measure_memory(skeleton, filled)}
        doc = skeleton()
        fill_wall, _, index = timed(lambda: filled(doc))
        memory["save"]["fillWallMs"] = round(fill_wall, 1)
        memory["save"]["indexReady"] = index.ready
        del doc, index, text
    print(f"memory: {memory}")

    value = make_world(args.nodes)
    gc.freeze()  # as the loader does with big documents: no GC traversals of the document
    nodes = plain_walk(value)
    for _ in range(3):  # warm the caches the way every later round finds them
        plain_walk(value)
    print(f"value: {nodes:,} nodes; {args.rounds} rounds; baseline {args.baseline}")

    kinds = ("floor", "fill", "first", "takeover", "cold", "before")
    samples: dict[str, dict[str, list[float]]] = {
        name: {f"{k}_{c}": [] for k in kinds for c in ("wall", "cpu")} for name, _, _ in QUERIES}
    outcome: dict[str, object] = {}
    for round_no in range(args.rounds):
        shift = round_no % len(QUERIES)
        for name, query, options in QUERIES[shift:] + QUERIES[:shift]:
            s = samples[name]

            def note(kind, w, c):
                s[f"{kind}_wall"].append(w)
                s[f"{kind}_cpu"].append(c)

            w, c, _ = timed(lambda: plain_walk(value))
            note("floor", w, c)
            w, c, index = timed(lambda: filled(value))
            note("fill", w, c)
            w, c, first = timed(lambda: search_json(value, query, index=index, **options))
            note("first", w, c)
            index = None  # the next fill starts from nothing
            w, c, early = timed(lambda: search_json(value, query, index=SearchIndex(), **options))
            note("takeover", w, c)
            w, c, cold = timed(lambda: search_json(value, query, **options))
            note("cold", w, c)
            outcome[name] = cold
            if not (_same(first, cold) and _same(early, cold)):
                raise SystemExit(f"{name}: results with the index differ")
            if before is not None:
                w, c, old = timed(lambda: before.search_json(value, query, **options))
                note("before", w, c)
                if not _same(old, cold):
                    raise SystemExit(f"{name}: results differ from the baseline")

    def row(name: str, kind: str, what: str) -> dict:
        s = samples[name]
        return {"what": what, **result_entry(s[f"{kind}_wall"]), **ratios(s[f"{kind}_wall"], s["floor_wall"]),
                **ratios(s[f"{kind}_cpu"], s["floor_cpu"], "ratioToFloorCpu"),
                "cpuMs": result_entry(s[f"{kind}_cpu"])["timing"]}

    results: dict = {}
    for name, query, options in QUERIES:
        s, res = samples[name], outcome[name]
        entry = result_entry(
            s["first_wall"], query=query, options=options, totalMatches=res.total_matches, hitsKept=len(res.hits),
            targetMs=1000, targetRatio=2.0,
            what="the first search after an open: the document's SearchIndex filled in the background",
            floor={"what": "plain iterative walk (tree_model.plain_walk), run just before each search run",
                   **result_entry(s["floor_wall"])},
            **ratios(s["first_wall"], s["floor_wall"]), **ratios(s["first_cpu"], s["floor_cpu"], "ratioToFloorCpu"),
            cpuMs=result_entry(s["first_cpu"])["timing"])
        entry["cold"] = {**row(name, "cold", "the same search without an index"),
                         "nodesVisited": res.nodes_visited, "entriesSkipped": res.subtrees_skipped}
        entry["fill"] = row(name, "fill", "SearchIndex.fill of the whole value (in the background after an open)")
        entry["takeover"] = row(name, "takeover", "a search typed before the background fill began: it takes the "
                                "index's filling walk over from the start (the worst case of a search during the fill)")
        if before is not None:
            entry["before"] = {"revision": args.baseline, **row(name, "before", "the baseline's search without an index")}
        results[name] = entry
        line = (f"{name:24s} {query!r:18s} first {entry['timing']['median']:6.1f} ms ×{entry['ratioToFloor']:.2f} "
                f"(CPU ×{entry['ratioToFloorCpu']:.2f}) | cold {entry['cold']['timing']['median']:6.1f} ms "
                f"×{entry['cold']['ratioToFloor']:.2f} (min ×{entry['cold']['ratioToFloorMin']:.2f})"
                f" | fill ×{entry['fill']['ratioToFloor']:.2f} | takeover ×{entry['takeover']['ratioToFloor']:.2f}")
        if before is not None:
            line += (f" | before cold {entry['before']['timing']['median']:6.1f} ms ×{entry['before']['ratioToFloor']:.2f}"
                     f" (CPU ×{entry['before']['ratioToFloorCpu']:.2f})")
        print(f"{line}  {res.summary()}")

    fill_gaps, gaps = gui_gaps(value, args.rounds)
    print(f"GUI worst gap while the panel fills: median {gaps['fillWorstGapMs']['median']:.1f} ms "
          f"(max {gaps['fillWorstGapMs']['max']:.1f}) vs the worker's plain walk "
          f"{gaps['floorWorstGapMs']['median']:.1f} ms (×{gaps['ratioToFloor']:.2f}); "
          f"panel fill wall {gaps['panelFillWallMs']['median']:.0f} ms")
    results["search-index-gui-gap"] = {**result_entry(fill_gaps), **gaps}

    if not args.no_write:
        path = write_results("search", results, metadata=run_metadata(
            nodes=nodes, rounds=args.rounds, baseline=args.baseline, code=args.code, memory=memory))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
