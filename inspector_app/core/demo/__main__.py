"""``python -m inspector_app.core.demo [TARGET]``: regenerate resources/demo/ deterministically."""
from __future__ import annotations

import sys
from pathlib import Path

from . import DEMO_RESOURCES_DIR, write_demo_resources


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DEMO_RESOURCES_DIR
    for path in write_demo_resources(target):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
