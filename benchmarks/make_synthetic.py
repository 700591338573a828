"""Write a synthetic localStorage profile (or one big save payload) for the benchmarks.

    python benchmarks/make_synthetic.py --size-mb 50 --out /tmp/big.json
    python benchmarks/make_synthetic.py --large-save-items 20000 --out /tmp/big-save.json

The profile is valid: 10 manual slots plus the autosave (fewer for small sizes), each a late-game
save grown only in unbounded sections (inventory, story flags). Deterministic for a given seed.
Refuses to overwrite an existing file unless --force is given; writes atomically.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inspector_app.core.common.fileio import write_atomic
from inspector_app.core.demo.synthetic import build_large_save, build_synthetic_profile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--size-mb", type=float, default=50.0, help="target profile size in MB (10^6 bytes)")
    what.add_argument("--large-save-items", type=int, help="write one save payload with this many extra items")
    parser.add_argument("--out", type=Path, required=True, help="output file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")
    args = parser.parse_args(argv)

    if args.out.exists() and not args.force:
        print(f"{args.out}: exists; pass --force to overwrite", file=sys.stderr)
        return 2
    start = time.perf_counter()
    if args.large_save_items is not None:
        data = build_large_save(args.large_save_items, seed=args.seed)
    else:
        data = build_synthetic_profile(int(args.size_mb * 1_000_000), seed=args.seed)
    built = time.perf_counter() - start
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(args.out, data, overwrite=args.force)
    print(f"wrote {args.out}: {len(data):,} bytes in {built:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
