"""Frozen entry point of the bundle: the same dispatch as ``python -m inspector_app``
(``telemetry-inspector [PATH...]``, ``--version``, ``validate ...``, ``export ...``)."""
import multiprocessing
import sys

from inspector_app.__main__ import main

if __name__ == "__main__":
    # the playtest's process pool (forkserver) starts this executable again for its workers
    multiprocessing.freeze_support()
    sys.exit(main())
