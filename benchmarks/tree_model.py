"""Benchmark: the world-state tree model over a 1,000,000-node JSON value.

Run by hand (never by pytest):

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/tree_model.py [--nodes 1000000]

Targets (issue 2): model creation ≤ 50 ms and ≤ 50 MB. Floor, measured in the same run: a
plain Python iterative walk that visits every node of the same value. Search over this value
is measured by ``benchmarks/search.py`` (same value, same floor, and the search before/after).
Writes
``benchmarks/results/tree-model-<epoch ms>.json`` in the m1-profile shape.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import format_timing, ratio, result_entry, run_metadata, time_calls, write_results

FACTIONS = ["luminari_syndicate", "wraith_network", "cipher_collective", "memory_keepers", "vanguard_prime"]
ATTITUDES = ["hostile", "unfriendly", "neutral", "friendly", "allied"]


def make_world(target_nodes: int, seed: int = 7) -> dict:
    """A save-like value: npcs.byId records with histories, plus a long telemetry event list."""
    rnd = random.Random(seed)
    npcs: dict = {}
    events: list = []
    doc = {"version": 1, "timestamp": 1762108394700, "playtime": 3186200, "slot": "synthetic",
           "gameData": {"npcs": {"byId": npcs}, "telemetry": {"events": events}},
           "meta": {"snapshotSource": "worldStateStore"}}
    count = 12
    i = 0
    while count < target_nodes:
        if i % 3 == 0:
            npc_id = f"npc_{i:06d}"
            npcs[npc_id] = {
                "id": npc_id, "name": f"Agent {i}", "faction": rnd.choice(FACTIONS),
                "attitude": rnd.choice(ATTITUDES), "trust": rnd.randint(-100, 100), "alive": rnd.random() > 0.1,
                "location": {"district": f"district_{i % 17}", "x": round(rnd.random() * 100, 3),
                             "y": round(rnd.random() * 100, 3)},
                "history": [{"t": 1762100000000 + j * 1000, "delta": rnd.randint(-5, 5),
                             "reason": f"Met {rnd.choice(FACTIONS)} courier ({j})"} for j in range(5)],
                "notes": None,
            }
            count += 1 + 9 + 3 + 5 * 4
        else:
            events.append({"type": rnd.choice(["attitude", "cascade", "quest", "dialogue"]), "at": 1762100000000 + i,
                           "faction": rnd.choice(FACTIONS), "values": [round(rnd.random(), 4) for _ in range(6)],
                           "ok": True})
            count += 1 + 5 + 6
        i += 1
    return doc


def plain_walk(value) -> int:
    """The floor: visit every node once, iteratively, with the same type tests search needs."""
    stack = [value]
    seen = 0
    while stack:
        v = stack.pop()
        seen += 1
        t = type(v)
        if t is dict:
            stack.extend(v.values())
        elif t is list:
            stack.extend(v)
    return seen


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication, QTreeView

    from inspector_app.ui.models.json_tree_model import JsonTreeModel

    app = QApplication.instance() or QApplication([])
    value = make_world(args.nodes)
    gc.freeze()  # as the loader does with big documents (jsonparse.gc_paused): no GC traversals
    nodes = plain_walk(value)
    events = value["gameData"]["telemetry"]["events"]
    deep_path = ("gameData", "telemetry", "events", len(events) - 1, "values", 5)
    print(f"value: {nodes:,} nodes ({len(value['gameData']['npcs']['byId']):,} npcs, {len(events):,} events)")
    results: dict = {}

    # ---- floor: plain iterative walk over the same value
    floor_ms = time_calls(lambda _: plain_walk(value), 5, warmup=1)
    floor = min(floor_ms)
    results["plain-walk-floor"] = result_entry(floor_ms, nodes=nodes)
    print(f"floor (plain walk): {format_timing(results['plain-walk-floor']['timing'])}")

    # ---- model creation: time, tracemalloc peak, RSS delta
    gc.collect()
    rss0 = rss_bytes()
    tracemalloc.start()
    model = JsonTreeModel()
    model.set_root(value)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_delta = rss_bytes() - rss0
    keep = []

    def create(_):
        m = JsonTreeModel()
        m.set_root(value)
        keep.append(m)

    create_ms = time_calls(create, 50, warmup=2)
    keep.clear()
    results["tree-model-create"] = result_entry(
        create_ms, nodes=nodes, materializedNodes=model.materialized_count,
        tracemallocPeakBytes=traced_peak, rssDeltaBytes=rss_delta, targetMs=50, targetBytes=50_000_000,
        floorMs=floor, ratioToFloor=ratio(statistics_median(create_ms), floor))
    print(f"create: {format_timing(results['tree-model-create']['timing'])}; traced peak {traced_peak:,} B, "
          f"RSS Δ {rss_delta:,} B, {model.materialized_count} node(s) built")

    # ---- first rows shown in a QTreeView
    def first_rows(_):
        m = JsonTreeModel()
        m.set_root(value)
        view = QTreeView()
        view.setUniformRowHeights(True)
        view.resize(900, 700)
        view.setModel(m)
        view.expand(m.index(0, 0))
        view.show()
        app.processEvents()
        view.grab()
        keep.append((view, m))

    shown_ms = time_calls(first_rows, 10, warmup=1)
    for view, _m in keep:
        view.close()
        view.deleteLater()
    keep.clear()
    app.processEvents()
    results["tree-first-rows-shown"] = result_entry(shown_ms, floorMs=floor,
                                                    ratioToFloor=ratio(statistics_median(shown_ms), floor))
    print(f"first rows shown: {format_timing(results['tree-first-rows-shown']['timing'])}")

    # ---- expanding a branch (npcs.byId: 1 chunk of 1000 of its children) in a shown view
    expand_ms: list[float] = []
    built_after_expand = 0
    for _ in range(10):
        m = JsonTreeModel()
        m.set_root(value)
        view = QTreeView()
        view.setUniformRowHeights(True)
        view.resize(900, 700)
        view.setModel(m)
        view.show()
        app.processEvents()
        chain = [m.index_for_path(p) for p in [(), ("gameData",), ("gameData", "npcs")]]
        for idx in chain:
            view.expand(idx)
        app.processEvents()
        by_id = m.index_for_path(("gameData", "npcs", "byId"))
        start = time.perf_counter_ns()
        view.expand(by_id)
        app.processEvents()
        view.grab()
        expand_ms.append((time.perf_counter_ns() - start) / 1e6)
        built_after_expand = m.materialized_count
        view.close()
        view.deleteLater()
        app.processEvents()
    results["tree-expand-branch"] = result_entry(expand_ms, branch="$.gameData.npcs.byId",
                                                 children=len(value["gameData"]["npcs"]["byId"]),
                                                 materializedNodes=built_after_expand)
    print(f"expand npcs.byId: {format_timing(results['tree-expand-branch']['timing'])}; "
          f"{built_after_expand:,} nodes built")

    # ---- index_for_path for a deep path at the end of the biggest list (fresh model each time)
    def deep(_):
        m = JsonTreeModel()
        m.set_root(value)
        assert m.index_for_path(deep_path).isValid()
        keep.append(m.materialized_count)

    deep_ms = time_calls(deep, 10, warmup=1)
    results["tree-index-for-path-deep"] = result_entry(
        deep_ms, path=list(deep_path), materializedNodes=keep[-1], floorMs=floor,
        ratioToFloor=ratio(statistics_median(deep_ms), floor))
    keep.clear()
    print(f"index_for_path(last event): {format_timing(results['tree-index-for-path-deep']['timing'])}")

    if not args.no_write:
        path = write_results("tree-model", results, metadata=run_metadata(nodes=nodes))
        print(f"wrote {path}")


def statistics_median(samples: list[float]) -> float:
    ordered = sorted(samples)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


if __name__ == "__main__":
    main()
