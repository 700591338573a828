"""Entry point: ``python -m inspector_app [PATH ...]`` opens the window;
``python -m inspector_app validate ...``, ``... export ...`` and ``... playtest ...`` run headless."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("--version", "-V"):
        from inspector_app import __version__

        print(f"telemetry-inspector {__version__}")
        return 0
    if args and args[0] == "validate":
        from inspector_app.cli.validate import main as validate_main

        return validate_main(args[1:])
    if args and args[0] == "export":
        from inspector_app.cli.export import main as export_main

        return export_main(args[1:])
    if args and args[0] == "playtest":
        from inspector_app.cli.playtest import main as playtest_main

        return playtest_main(args[1:])
    from inspector_app.ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
