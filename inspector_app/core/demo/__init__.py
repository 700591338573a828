"""Demo data made by the project's own code: a simulated play session of The Memory Syndicate.

Public API:

* :func:`build_demo_profile` - the demo localStorage profile (key -> stored string);
* :func:`build_problems_profile` - the "problems showcase" profile (legacy, future, truncated,
  index/payload mismatches);
* :func:`write_demo_resources` / :func:`demo_files` - regenerate ``resources/demo/``
  (``python -m inspector_app.core.demo``);
* :func:`build_synthetic_profile` / :func:`build_large_save` - big, valid inputs for benchmarks;
* :class:`World` - the WorldStateStore model the demo is played on.

No Qt here.
"""
from __future__ import annotations

from .problems import build_problems_profile
from .profile import (
    DEMO_START_MS,
    PROBLEMS_FILE,
    PROFILE_FILE,
    build_demo_profile,
    demo_files,
    encode_compact,
    encode_profile_export,
    normalize_slot_name,
    write_demo_resources,
)
from .synthetic import build_large_save, build_synthetic_profile
from .world import World
from inspector_app.resources import resource_path

#: resources/demo/ of a source checkout (the committed, generated files).
DEMO_RESOURCES_DIR = resource_path("demo")

__all__ = [
    "DEMO_RESOURCES_DIR", "DEMO_START_MS", "PROBLEMS_FILE", "PROFILE_FILE", "World", "build_demo_profile",
    "build_large_save", "build_problems_profile", "build_synthetic_profile", "demo_files", "encode_compact",
    "encode_profile_export", "normalize_slot_name", "write_demo_resources",
]
