"""Read the game's saves straight from a browser's localStorage on disk (issue 11).

Chromium family: ``<profile>/Local Storage/leveldb`` (:mod:`leveldb`, :mod:`chromium`);
Firefox: ``<profile>/storage/default/<origin>/ls/data.sqlite`` (:mod:`firefox`). Profiles are
found in their standard places (:mod:`discovery`); files are read from private copies
(:mod:`snapshot`), never locked or written. :mod:`storage` turns one origin's keys into the
same PROFILE document a whole-profile export gives.

No Qt here.
"""
from __future__ import annotations

from inspector_app.core.browser.discovery import BrowserProfile, discover_profiles, profiles_at
from inspector_app.core.browser.storage import (
    OriginStorage, list_origins, load_browser_storage, looks_like_browser_storage,
)

__all__ = ["BrowserProfile", "OriginStorage", "discover_profiles", "list_origins", "load_browser_storage",
           "looks_like_browser_storage", "profiles_at"]
