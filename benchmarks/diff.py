"""Save-comparison benchmark: structural diff (+ designer sentences, + grouped tree) of two
late saves and of two synthetic ~10 MB values, against floors measured in the same run.

    .venv/bin/python benchmarks/diff.py [--iterations 30] [--big-iterations 3] [--big-mb 10]

Floors: ``orjson.dumps`` of both values (the cheapest way to touch every node of both) and a
plain Python ``a == a2`` deep comparison of two equal copies (a full C-speed walk). Targets:
two ~160 KB saves well under 50 ms; two 10 MB values in a few seconds.
"""
from __future__ import annotations

import argparse
import gc
import random
import sys
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from _common import format_timing, ratio, result_entry, run_metadata, time_calls, timing_stats, write_results  # noqa: E402

from inspector_app.core.diff import DiffTree, compare_payloads, diff_json  # noqa: E402

SAVES = REPO.parent / "shared" / "fixtures" / "game" / "saves"


def synthetic_pair(target_mb: float, changed_fraction: float, seed: int = 7) -> tuple[object, object, int]:
    """Two independent ~``target_mb`` values shaped like saves: keyed records with histories.

    B changes ``changed_fraction`` of the records, inserts and removes a few, and appends to
    every tenth record's capped history (dropping from the front).
    """
    rng = random.Random(seed)
    record_bytes = 293  # measured size of one synthetic record in compact JSON
    n = int(target_mb * 1024 * 1024 / record_bytes)
    records = [{
        "id": f"rec_{i:07d}", "name": f"Record {i}", "status": rng.choice(["active", "idle", "done"]),
        "score": rng.random() * 100, "flags": {"a": bool(i % 2), "b": i % 7 == 0},
        "tags": [f"t{i % 13}", f"g{i % 5}"],
        "history": [{"event": "tick", "timestamp": 1_700_000_000_000 + i * 10 + k, "v": k} for k in range(3)],
    } for i in range(n)]
    a = {"version": 1, "gameData": {"records": records, "meta": {"count": n}}}
    raw = orjson.dumps(a)
    b = orjson.loads(raw)
    recs = b["gameData"]["records"]
    for i in rng.sample(range(n), int(n * changed_fraction)):
        recs[i]["score"] = -1.0
        recs[i]["status"] = "changed"
    for i in range(0, n, 10):
        h = recs[i]["history"]
        h.append({"event": "tick", "timestamp": h[-1]["timestamp"] + 1_000_000, "v": 99})
        del h[0]
    for i in sorted(rng.sample(range(n), 20), reverse=True):
        del recs[i]
    for k in range(20):
        recs.insert(rng.randrange(len(recs)), {"id": f"new_{k}", "name": "inserted", "history": []})
    b["gameData"]["meta"]["count"] = len(recs)
    return orjson.loads(raw), b, len(raw)  # size of one value


def floors(a, b, iterations: int) -> dict:
    a2 = orjson.loads(orjson.dumps(a))
    dumps = time_calls(lambda _i: (orjson.dumps(a), orjson.dumps(b)), iterations, warmup=1)
    eq = time_calls(lambda _i: a == a2, iterations, warmup=1)
    return {"dumps": timing_stats(dumps), "eq": timing_stats(eq)}


def bench_pair(name: str, a, b, iterations: int, size_bytes: int, extra: bool) -> dict:
    gc.collect()
    result = diff_json(a, b)
    samples = time_calls(lambda _i: diff_json(a, b), iterations, warmup=1)
    fl = floors(a, b, iterations)
    out = {
        name: result_entry(
            samples, sizeBytes=size_bytes, entries=len(result.entries), nodesCompared=result.nodes_compared,
            counts={k.value: v for k, v in result.counts.items()},
            floorDumpsMs=fl["dumps"]["median"], floorEqMs=fl["eq"]["median"],
            ratioToDumps=ratio(timing_stats(samples)["median"], fl["dumps"]["median"]),
            ratioToEq=ratio(timing_stats(samples)["median"], fl["eq"]["median"]),
        )
    }
    tree_samples = time_calls(lambda _i: DiffTree.build(result), iterations)
    out[name + "-tree"] = result_entry(tree_samples, entries=len(result.entries), nodes=len(DiffTree.build(result)))
    if extra:
        sem = time_calls(lambda _i: compare_payloads(a, b), iterations, warmup=1)
        out[name + "-semantic"] = result_entry(sem, changes=len(compare_payloads(a, b)))
    for key, entry in out.items():
        line = f"{key:38s} {format_timing(entry['timing'])} ms"
        if "ratioToDumps" in entry:
            line += (f"  floor dumps={entry['floorDumpsMs']:.3f} eq={entry['floorEqMs']:.3f}"
                     f"  ratio dumps={entry['ratioToDumps']} eq={entry['ratioToEq']}")
        print(line)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--big-iterations", type=int, default=3)
    ap.add_argument("--big-mb", type=float, default=10.0)
    args = ap.parse_args(argv)
    results: dict = {}
    pairs = (("late-saves", "save_before-memory-parlor.large.json", "save_autosave.late.json"),
             ("midgame-vs-late", "save_slot2.midgame.json", "save_before-memory-parlor.large.json"))
    for name, fa, fb in pairs:
        ra, rb = (SAVES / fa).read_bytes(), (SAVES / fb).read_bytes()
        results.update(bench_pair(f"diff-{name}", orjson.loads(ra), orjson.loads(rb), args.iterations,
                                  len(ra) + len(rb), extra=True))
    for label, fraction in (("1pct", 0.01), ("all", 1.0)):
        a, b, size = synthetic_pair(args.big_mb, fraction)
        results.update(bench_pair(f"diff-synthetic-{args.big_mb:g}mb-{label}-changed", a, b, args.big_iterations,
                                  size, extra=False))
        del a, b
    path = write_results("diff", results, metadata=run_metadata(benchmark="diff"))
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
