"""Read the game's saves straight from a browser's localStorage on disk (issue 11).

Chromium family: ``<profile>/Local Storage/leveldb`` (:mod:`leveldb`, :mod:`chromium`);
Firefox: ``<profile>/storage/default/<origin>/ls/data.sqlite`` (:mod:`firefox`). Profiles are
found in their standard places (:mod:`discovery`); files are read from private copies
(:mod:`snapshot`), never locked or written. :mod:`storage` turns one origin's keys into the
same PROFILE document a whole-profile export gives.

No Qt here.
"""
from __future__ import annotations

__all__ = ["BrowserProfile", "OriginStorage", "discover_profiles", "list_origins", "load_browser_storage",
           "looks_like_browser_storage", "profiles_at"]

_HOMES = {"BrowserProfile": "discovery", "discover_profiles": "discovery", "profiles_at": "discovery",
          "OriginStorage": "storage", "list_origins": "storage", "load_browser_storage": "storage",
          "looks_like_browser_storage": "storage"}


def __getattr__(name: str):
    """The package's names, imported when first asked for (PEP 562): importing one submodule
    (e.g. :mod:`.stamp` on the GUI thread at every open) must not load the readers and sqlite."""
    if name in _HOMES:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
