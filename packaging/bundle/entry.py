"""Frozen entry point of the bundle: the same dispatch as ``python -m inspector_app``
(``telemetry-inspector [PATH...]``, ``--version``, ``validate ...``, ``export ...``)."""
import sys

from inspector_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
