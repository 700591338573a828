"""Followed values benchmark: resolving pins over every slot of a big profile (parked slots)
against the floor measured in the same run — ``orjson.loads`` of every slot's stored text once,
which any way of reading values out of parked slots must pay. A second floor is the app's own
re-parse of a parked slot (``SlotEntry.park``'s parser: for slots of 4 MB and more the chunked
parser, which gives the GIL back between pieces so the GUI thread keeps running).

    flock /work/bench.lock .venv/bin/python benchmarks/pins.py [--profile big.json] [--size-mb 50] [--iterations 5]

Without ``--profile`` a synthetic profile (``core/demo/synthetic.py``) is written to a temporary
file. Each iteration runs, interleaved: the floor; a cold ``PinResolver.series`` of three pins (a
faction's fame, ``inventory.items[id=credits].quantity`` — an identity match in the slot's big
item list — and playtime) on a fresh resolver; the same call again (warm: nothing to read); and
a fourth pin added to the warm resolver (reads each slot once more). Targets: cold ≤ 1.1× the
app's re-parse (resolving adds nothing measurable to reading the slots), warm under 50 ms. Against
bare ``orjson.loads`` the cold run is what the chunked re-parse costs (its GIL yields are the price
of a responsive window while a worker reads 5 MB slots).
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
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
from inspector_app.core.pins import Pin, PinResolver, save_refs  # noqa: E402

TARGET_COLD_RATIO = 1.1     # cold / the app's re-parse of the same slots
TARGET_WARM_MS = 50.0
PINS = [Pin.parse("$.gameData.factions.byId.wraith_network.fame"),
        Pin.parse("$.gameData.inventory.items[id=credits].quantity"),
        Pin.parse("$.playtime")]
EXTRA_PIN = Pin.parse("$.gameData.tutorial.currentStep")


def _timed(fn) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _each(parse, texts) -> None:
    """Parse every text, keeping one value at a time (as resolving does)."""
    parsers = parse if isinstance(parse, list) else [parse] * len(texts)
    for fn, text in zip(parsers, texts):
        value = fn(text)
        del value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", type=Path)
    ap.add_argument("--size-mb", type=int, default=50)
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    tmp = None
    path = args.profile
    if path is None:
        from inspector_app.core.demo.synthetic import build_synthetic_profile

        fd, name = tempfile.mkstemp(suffix=".localStorage.json")
        os.close(fd)
        tmp = path = Path(name)
        path.write_bytes(build_synthetic_profile(args.size_mb * 1024 * 1024))
    try:
        doc = load_path(path)
        refs = save_refs([doc])
        parked = sum(1 for r in refs if r.slot.is_parked)
        texts = [r.slot.parked_text if r.slot.is_parked else orjson.dumps(r.slot.payload) for r in refs]
        reparse = [r.slot.__dict__["_parked"][1] if r.slot.is_parked else orjson.loads for r in refs]
        for r in refs:
            r.slot.cool()
        print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, {len(refs)} slots ({parked} parked)", flush=True)
        check = PinResolver().series(refs, PINS)
        print("values:", [[p.value for p in s.points][:3] for s in check], flush=True)

        floor, floor_app, cold, warm, add = [], [], [], [], []
        for i in range(args.iterations):
            floor.append(_timed(lambda: _each(orjson.loads, texts)))
            floor_app.append(_timed(lambda: _each(reparse, texts)))
            resolver = PinResolver()
            cold.append(_timed(lambda: resolver.series(refs, PINS)))
            assert resolver.payload_reads == len(refs)
            warm.append(_timed(lambda: resolver.series(refs, PINS)))
            add.append(_timed(lambda: resolver.series(refs, [*PINS, EXTRA_PIN])))
            assert resolver.payload_reads == 2 * len(refs)
            print(f"  {i + 1}: floor {floor[-1]:.0f} ms, app re-parse {floor_app[-1]:.0f} ms, "
                  f"cold {cold[-1]:.0f} ms ({cold[-1] / floor[-1]:.2f}× / {cold[-1] / floor_app[-1]:.2f}×), "
                  f"warm {warm[-1]:.1f} ms, +1 pin {add[-1]:.0f} ms", flush=True)
        pair_ratios = [c / f for c, f in zip(cold, floor)]
        median_ratio = round(statistics.median(pair_ratios), 3)
        app_ratio = round(statistics.median([c / f for c, f in zip(cold, floor_app)]), 3)
        print(f"floor  {format_timing(result_entry(floor)['timing'])}")
        print(f"app re-parse {format_timing(result_entry(floor_app)['timing'])}  cold / re-parse: median of pairs {app_ratio}×")
        print(f"cold   {format_timing(result_entry(cold)['timing'])}  median of pairs {median_ratio}× bare orjson, "
              f"{app_ratio}× the app's re-parse (target ≤ {TARGET_COLD_RATIO}×)")
        print(f"warm   {format_timing(result_entry(warm)['timing'])}  (target < {TARGET_WARM_MS} ms)")
        print(f"+1 pin {format_timing(result_entry(add)['timing'])}")
        if not args.no_write:
            common = {"slots": len(refs), "parkedSlots": parked, "fileBytes": path.stat().st_size, "pins": len(PINS)}
            out = write_results("pins", {
                "pins-floor-parse-every-slot": result_entry(floor, **common),
                "pins-floor-app-reparse": result_entry(floor_app, **common),
                "pins-cold-series": result_entry(cold, floor=statistics.median(floor), ratio=median_ratio,
                                                 ratioToAppReparse=app_ratio,
                                                 ratioOfMedians=ratio(statistics.median(cold), statistics.median(floor)),
                                                 target=TARGET_COLD_RATIO, **common),
                "pins-warm-series": result_entry(warm, target=TARGET_WARM_MS, **common),
                "pins-add-one-pin": result_entry(add, floor=statistics.median(floor),
                                                 ratio=ratio(statistics.median(add), statistics.median(floor)), **common),
            }, metadata=run_metadata(profile=str(path.name), interleaved=True))
            print("wrote", out)
        return 0
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
