"""Benchmark: world-state search over a 1,000,000-node save-like value (issue 13 row 5).

Run by hand (never by pytest), one benchmark at a time:

    flock /work/bench.lock .venv/bin/python benchmarks/search.py [--nodes 1000000] [--rounds 7]

Target (issue 13): plain, number and regex queries ≤ 2× the floor and ≤ 1 s.
Floor, measured in the same run: a plain Python iterative walk that visits every node of the
same value (``tree_model.plain_walk``: what any full search must at least do).

Each round runs, per query and back to back, the floor, this search, this search with the
document's ``SearchIndex`` (what the search panel passes: filled once, before the rounds, by a
first search whose time is reported as ``indexFill``; the totals then come from the index) and
the earlier search (``--baseline``, a git revision of ``inspector_app/core/search.py`` loaded
from git), so they see the same machine load; the query order rotates between rounds. Ratios are per round
(median and min over rounds), wall time (``perf_counter``) and CPU time of the thread
(``thread_time``, less disturbed by other processes on a loaded machine). The two searches
must return the same hits and totals (checked). Writes ``benchmarks/results/search-<epoch
ms>.json`` in the m1-profile shape.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--baseline", default="de160ef", help="git revision of the 'before' search (session 2)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--code", default="", help="a label for the code measured (written to the metadata)")
    args = parser.parse_args()

    from inspector_app.core.search import SearchIndex, search_json

    before = load_baseline(args.baseline) if args.baseline else None
    value = make_world(args.nodes)
    gc.freeze()  # as the loader does with big documents: no GC traversals of the document
    nodes = plain_walk(value)
    for _ in range(3):  # warm the caches the way every later round finds them
        plain_walk(value)
    print(f"value: {nodes:,} nodes; {args.rounds} rounds; baseline {args.baseline}")
    # the document's index, as the search panel keeps it: filled by the first search that needs a total
    index = SearchIndex()
    fill_wall, fill_cpu, _ = timed(lambda: search_json(value, r"\d{3}7", regex=True, index=index))
    floor_wall, floor_cpu, _ = timed(lambda: plain_walk(value))
    assert index.ready
    print(f"index filled by a first search in {fill_wall:.0f} ms (floor {floor_wall:.0f} ms)")

    samples: dict[str, dict[str, list[float]]] = {
        name: {k: [] for k in ("floor_wall", "floor_cpu", "wall", "cpu", "indexed_wall", "indexed_cpu", "before_wall",
                               "before_cpu")}
        for name, _, _ in QUERIES}
    outcome: dict[str, object] = {}
    for round_no in range(args.rounds):
        shift = round_no % len(QUERIES)
        for name, query, options in QUERIES[shift:] + QUERIES[:shift]:
            s = samples[name]
            w, c, _ = timed(lambda: plain_walk(value))
            s["floor_wall"].append(w)
            s["floor_cpu"].append(c)
            w, c, res = timed(lambda: search_json(value, query, **options))
            s["wall"].append(w)
            s["cpu"].append(c)
            outcome[name] = res
            w, c, indexed = timed(lambda: search_json(value, query, index=index, **options))
            s["indexed_wall"].append(w)
            s["indexed_cpu"].append(c)
            if ([h.path for h in indexed.hits], indexed.total_matches) != ([h.path for h in res.hits], res.total_matches):
                raise SystemExit(f"{name}: results with the index differ")
            if before is not None:
                w, c, old = timed(lambda: before.search_json(value, query, **options))
                s["before_wall"].append(w)
                s["before_cpu"].append(c)
                if ([h.path for h in old.hits], old.total_matches) != ([h.path for h in res.hits], res.total_matches):
                    raise SystemExit(f"{name}: results differ from the baseline")

    results: dict = {}
    for name, query, options in QUERIES:
        s, res = samples[name], outcome[name]
        entry = result_entry(
            s["wall"], query=query, options=options, totalMatches=res.total_matches, hitsKept=len(res.hits),
            nodesVisited=res.nodes_visited, entriesSkipped=res.subtrees_skipped, targetMs=1000, targetRatio=2.0,
            floor={"what": "plain iterative walk (tree_model.plain_walk), run just before each search run",
                   **result_entry(s["floor_wall"])},
            **ratios(s["wall"], s["floor_wall"]), **ratios(s["cpu"], s["floor_cpu"], "ratioToFloorCpu"),
            cpuMs=result_entry(s["cpu"])["timing"])
        entry["indexed"] = {"what": "the same search with the document's SearchIndex (filled before the rounds)",
                            **result_entry(s["indexed_wall"]), **ratios(s["indexed_wall"], s["floor_wall"]),
                            **ratios(s["indexed_cpu"], s["floor_cpu"], "ratioToFloorCpu"),
                            "cpuMs": result_entry(s["indexed_cpu"])["timing"]}
        if before is not None:
            entry["before"] = {"revision": args.baseline, **result_entry(s["before_wall"]),
                               **ratios(s["before_wall"], s["floor_wall"]),
                               **ratios(s["before_cpu"], s["floor_cpu"], "ratioToFloorCpu"),
                               "cpuMs": result_entry(s["before_cpu"])["timing"]}
        results[name] = entry
        line = (f"{name:24s} {query!r:18s} median {entry['timing']['median']:7.1f} ms  ×{entry['ratioToFloor']:.2f} "
                f"floor (min ×{entry['ratioToFloorMin']:.2f}; CPU ×{entry['ratioToFloorCpu']:.2f})"
                f"  | indexed {entry['indexed']['timing']['median']:6.1f} ms ×{entry['indexed']['ratioToFloor']:.2f}")
        if before is not None:
            line += (f"  | before {entry['before']['timing']['median']:7.1f} ms ×{entry['before']['ratioToFloor']:.2f}"
                     f" (CPU ×{entry['before']['ratioToFloorCpu']:.2f})")
        print(f"{line}  {res.summary()}")

    if not args.no_write:
        path = write_results("search", results, metadata=run_metadata(
            nodes=nodes, rounds=args.rounds, baseline=args.baseline, code=args.code,
            indexFill={"query": r"\d{3}7", "wallMs": round(fill_wall, 1), "cpuMs": round(fill_cpu, 1),
                       "floorWallMs": round(floor_wall, 1), "ratioToFloor": round(fill_wall / floor_wall, 3)}))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
