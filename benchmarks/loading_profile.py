"""Loading benchmark: ``load_path`` of a big localStorage profile against the bare floor
measured in the same run (read the bytes + ``orjson.loads`` of the file + ``orjson.loads`` of
every ``save_*`` value, with the GC disabled).

    .venv/bin/python benchmarks/loading_profile.py [--profile /tmp/big.json] [--size-mb 50] [--iterations 5]

Without ``--profile`` a synthetic profile is written to a temporary file (benchmarks/make_synthetic.py's
generator) and removed afterwards. Floor and load alternate so machine noise hits both alike.
Target: median ratio load/floor <= 1.5 (the extra is duplicate-key and big-integer checks,
slot checks and UTF-8 sizing).
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import orjson  # noqa: E402

from _common import format_timing, ratio, result_entry, run_metadata, write_results  # noqa: E402
from inspector_app.core.loading.loader import load_path  # noqa: E402

TARGET_RATIO = 1.5


def floor_once(path: Path) -> float:
    gc.collect()
    start = time.perf_counter()
    data = path.read_bytes()
    gc.disable()
    try:
        root = orjson.loads(data)
        nested = [orjson.loads(v) for k, v in root.items() if k.startswith("save_") and isinstance(v, str)]
    finally:
        gc.enable()
    elapsed = (time.perf_counter() - start) * 1000
    del root, nested
    return elapsed


def load_once(path: Path) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    doc = load_path(path)
    elapsed = (time.perf_counter() - start) * 1000
    slots = len(doc.slots)
    del doc
    gc.unfreeze()  # load_path froze the document; put it back so the next run starts equal
    return elapsed, slots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=Path, help="an existing profile export to load")
    parser.add_argument("--size-mb", type=float, default=50.0)
    parser.add_argument("--iterations", type=int, default=5)
    args = parser.parse_args(argv)

    tmp: Path | None = None
    path = args.profile
    if path is None:
        from inspector_app.core.demo.synthetic import build_synthetic_profile

        fd, name = tempfile.mkstemp(suffix=".json", prefix="loading-bench-")
        os.close(fd)
        tmp = path = Path(name)
        data = build_synthetic_profile(int(args.size_mb * 1_000_000))
        path.write_bytes(data if isinstance(data, (bytes, bytearray)) else orjson.dumps(data))
    try:
        size = path.stat().st_size
        floor_once(path), load_once(path)  # warm-up (page cache, imports)
        floors, loads, slots = [], [], 0
        for _ in range(args.iterations):
            floors.append(floor_once(path))
            ms, slots = load_once(path)
            loads.append(ms)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)

    floor_entry = result_entry(floors, fileBytes=size)
    load_entry = result_entry(loads, fileBytes=size, slots=slots)
    r = ratio(load_entry["timing"]["median"], floor_entry["timing"]["median"])
    load_entry.update(floorMedianMs=floor_entry["timing"]["median"], ratio=r, targetRatio=TARGET_RATIO,
                      withinTarget=r is not None and r <= TARGET_RATIO)
    out = write_results("loading-profile", {"orjson_floor": floor_entry, "load_path": load_entry},
                        metadata=run_metadata(profile=str(args.profile or f"synthetic {args.size_mb} MB")))
    print(f"file: {size:,} bytes, {slots} slots")
    print(f"floor     (ms): {format_timing(floor_entry['timing'], ('median', 'min', 'max'))}")
    print(f"load_path (ms): {format_timing(load_entry['timing'], ('median', 'min', 'max'))}")
    print(f"ratio (median): {r}  target <= {TARGET_RATIO}")
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
