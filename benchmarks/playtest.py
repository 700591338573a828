"""Playtest aggregation: 1,000 generated profiles (~500 KB each) on all cores, against the floor of
parsing the same files with orjson on the same pool, interleaved, plus the warm reopen (cache).

    python benchmarks/make_playtest.py --players 1000 --out /tmp/playtest-1000
    flock /work/bench.lock python benchmarks/playtest.py --folder /tmp/playtest-1000 --repeats 3

Measured per repeat, in this order (each with a fresh process pool, like a real run):
* ``floor_orjson_files``: ``orjson.loads`` of every file (the localStorage export: a dict of strings);
* ``floor_orjson_full``: the same plus ``orjson.loads`` of every save string inside it — all the JSON a
  profile holds, so the least any reader of the saves must parse;
* ``playtest_cold``: ``run_playtest`` with an empty cache (load, summarise, merge, report, cache writes);
* ``playtest_warm``: ``run_playtest`` again on the same cache: stat every file, read only what changed.
Ratios are of the medians of the interleaved runs; the machine (2 cores shared by 8 engineers) is loaded.

Each run also reports its CPU time (``cpuMs``): this process's own (the merge, the cache writes, the
report) plus the pool workers', read as the fork server's reaped-children time (Linux ``/proc``; the
workers are its children and it has reaped them when the pool's shutdown returns). On a loaded machine
the wall clock mostly measures the other processes; the CPU ratio is the steadier number.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson

from benchmarks._common import format_timing, ratio, result_entry, run_metadata, timing_stats, write_results
from inspector_app.core.playtest import SummaryCache, discover_sources, run_playtest
from inspector_app.core.playtest.run import pool_context

TARGET_RATIO = 1.5
TARGET_WARM_MS = 1000.0


def _parse_files(paths: list[str]) -> int:
    n = 0
    for path in paths:
        with open(path, "rb") as fh:
            orjson.loads(fh.read())
        n += 1
    return n


def _parse_full(paths: list[str]) -> int:
    n = 0
    for path in paths:
        with open(path, "rb") as fh:
            profile = orjson.loads(fh.read())
        for value in profile.values() if isinstance(profile, dict) else ():
            if isinstance(value, str) and value.startswith("{"):
                try:
                    orjson.loads(value)
                except orjson.JSONDecodeError:
                    pass        # a save cut off mid-write: the parser still read it to the cut
        n += 1
    return n


def _forkserver_children_cpu() -> float | None:
    """CPU seconds of the fork server's reaped children (the pool workers), or None (not Linux)."""
    try:
        from multiprocessing import forkserver

        forkserver.ensure_running()
        pid = forkserver._forkserver._forkserver_pid      # no public accessor
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")   # cutime + cstime
    except (OSError, AttributeError, ImportError, IndexError, ValueError):
        return None


class _Clock:
    """Wall and CPU time (this process + the pool's workers) of one run, in ms."""

    def __enter__(self) -> "_Clock":
        pool_context()                      # the same fork server (and preload) as the runs
        self.children = _forkserver_children_cpu()
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.wall_ms = (time.perf_counter() - self.wall) * 1000
        children = _forkserver_children_cpu()
        own = time.process_time() - self.cpu
        self.own_ms = own * 1000
        self.cpu_ms = None if children is None or self.children is None else \
            (own + children - self.children) * 1000


def floor(paths: list[str], workers: int, fn) -> _Clock:
    """The same pool (size, start method, batches of up to 8) doing only the parse."""
    batch = max(1, min(8, len(paths) // (workers * 8)))
    with _Clock() as clock:
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=pool_context()) as pool:
            done = sum(pool.map(fn, [paths[i:i + batch] for i in range(0, len(paths), batch)]))
    assert done == len(paths)
    return clock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--label", default="", help="what code this run measures (metadata.code)")
    args = parser.parse_args(argv)
    sources, _ = discover_sources([args.folder])
    paths = [s.path for s in sources]
    size = sum(os.path.getsize(p) for p in paths)
    print(f"{len(paths)} profiles, {size / 1e6:.0f} MB, {args.workers} worker(s)", file=sys.stderr)
    names = ("floor_orjson_files", "floor_orjson_full", "playtest_cold", "playtest_warm")
    samples: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    own: dict[str, list[float]] = {k: [] for k in names}
    reads: list[tuple[int, int]] = []
    loads: list[float] = []
    _parse_files(paths[:20])          # page cache and imports warm for everyone

    def record(name: str, clock: _Clock) -> None:
        samples[name].append(clock.wall_ms)
        own[name].append(clock.own_ms)
        if clock.cpu_ms is not None:
            cpu[name].append(clock.cpu_ms)

    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeats):
            loads.append(os.getloadavg()[0])
            record("floor_orjson_files", floor(paths, args.workers, _parse_files))
            record("floor_orjson_full", floor(paths, args.workers, _parse_full))
            cache = SummaryCache(Path(tmp) / f"cache-{r}.sqlite")
            with _Clock() as clock:
                cold = run_playtest([args.folder], workers=args.workers, cache=cache)
            record("playtest_cold", clock)
            with _Clock() as clock:
                warm = run_playtest([args.folder], workers=args.workers, cache=cache)
            record("playtest_warm", clock)
            cache.close()
            assert warm.report.to_json_bytes() == cold.report.to_json_bytes()
            reads.append((cold.read, warm.read))
            print(f"repeat {r + 1} (load {loads[-1]:.1f}): " + ", ".join(
                f"{k} {samples[k][-1]:.0f} ms" + (f" (cpu {cpu[k][-1]:.0f}, here {own[k][-1]:.0f})" if cpu[k] else "") for k in names),
                file=sys.stderr)
    med = {k: timing_stats(v)["median"] for k, v in samples.items()}
    pairs_full = [c / f for c, f in zip(samples["playtest_cold"], samples["floor_orjson_full"])]
    pairs_files = [c / f for c, f in zip(samples["playtest_cold"], samples["floor_orjson_files"])]
    cpu_pairs = [c / f for c, f in zip(cpu["playtest_cold"], cpu["floor_orjson_full"])]
    common = {"profiles": len(paths), "bytes": size, "workers": args.workers}

    def cpu_of(name: str) -> dict:
        return {"cpuMs": [round(x, 1) for x in cpu[name]], "mainProcessCpuMs": [round(x, 1) for x in own[name]]} \
            if cpu[name] else {}

    benchmarks = {
        "playtest-floor-orjson-files": result_entry(samples["floor_orjson_files"], **common,
                                                    **cpu_of("floor_orjson_files")),
        "playtest-floor-orjson-full": result_entry(samples["floor_orjson_full"], **common,
                                                   **cpu_of("floor_orjson_full")),
        "playtest-cold": result_entry(
            samples["playtest_cold"], **common, reads=[c for c, _ in reads],
            floor="playtest-floor-orjson-full", ratio=ratio(med["playtest_cold"], med["floor_orjson_full"]),
            ratioPairs=[round(x, 3) for x in pairs_full],
            ratioToFileParse=ratio(med["playtest_cold"], med["floor_orjson_files"]),
            ratioToFileParsePairs=[round(x, 3) for x in pairs_files], target=TARGET_RATIO,
            **cpu_of("playtest_cold"),
            **({"cpuRatio": ratio(timing_stats(cpu["playtest_cold"])["median"],
                                  timing_stats(cpu["floor_orjson_full"])["median"]),
                "cpuRatioPairs": [round(x, 3) for x in cpu_pairs]} if cpu_pairs else {})),
        "playtest-warm-reopen": result_entry(samples["playtest_warm"], **common, reads=[w for _, w in reads],
                                             targetMs=TARGET_WARM_MS, **cpu_of("playtest_warm")),
    }
    for name, entry in benchmarks.items():
        extra = f" ratio {entry['ratio']} (file-parse floor {entry['ratioToFileParse']})" if "ratio" in entry else ""
        if "cpuRatio" in entry:
            extra += f", cpu ratio {entry['cpuRatio']}"
        print(f"{name}: {format_timing(entry['timing'])}{extra}", file=sys.stderr)
    path = write_results("playtest", benchmarks, metadata=run_metadata(
        loadAverageAtRepeats=[round(x, 2) for x in loads], **({"code": args.label} if args.label else {}),
        note="2 shared cores, 6 engineers working: loaded machine; trust the interleaved ratios"))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
