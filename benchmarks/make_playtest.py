"""Write a generated playtest: N player profiles (~500 KB each on average) for the benchmarks.

    python benchmarks/make_playtest.py --players 1000 --out /tmp/playtest-1000

Each player is the demo play-through with its own habits (core/playtest/generate.py: finishers,
skippers, stallers, quitters, a save cut off mid-write), deterministic per seed. Writes atomically;
refuses to overwrite existing files unless --force is given.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inspector_app.core.playtest.generate import write_playtest_folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="overwrite existing profiles")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        paths = write_playtest_folder(args.out, args.players, seed=args.seed, overwrite=args.force)
    except FileExistsError as exc:
        print(f"{exc}; pass --force to overwrite", file=sys.stderr)
        return 2
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} profiles, {total / 1e6:.1f} MB (mean {total / max(1, len(paths)) / 1e3:.0f} KB) "
          f"to {args.out} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
