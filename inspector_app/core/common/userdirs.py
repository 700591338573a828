"""The user's config, data and cache directories: the one lookup, via ``platformdirs``.

=========  ================================  =======================================  ===============================
kind       override variable                 Linux (XDG)                              macOS / Windows
=========  ================================  =======================================  ===============================
config     ``TELEMETRY_INSPECTOR_CONFIG_DIR``  ``$XDG_CONFIG_HOME/telemetry-inspector``  ``~/Library/Application Support/
                                                                                      telemetry-inspector`` /
                                                                                      ``%LOCALAPPDATA%\\telemetry-inspector``
data       ``TELEMETRY_INSPECTOR_DATA_DIR``    ``$XDG_DATA_HOME/telemetry-inspector``    as config
cache      ``TELEMETRY_INSPECTOR_CACHE_DIR``   ``$XDG_CACHE_HOME/telemetry-inspector``   ``~/Library/Caches/…`` /
                                                                                      ``%LOCALAPPDATA%\\…\\Cache``
=========  ================================  =======================================  ===============================

Config holds what the user edits or chooses (``settings.ini``, ``budgets.json``); data what the
app accumulates (export history, the metric index); cache what can be rebuilt. Every path is
resolved at call time, so a changed environment (tests isolate each test) is honoured; an
override variable set to an empty string counts as unset. Nothing is created here.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "telemetry-inspector"
CONFIG_ENV = "TELEMETRY_INSPECTOR_CONFIG_DIR"
DATA_ENV = "TELEMETRY_INSPECTOR_DATA_DIR"
CACHE_ENV = "TELEMETRY_INSPECTOR_CACHE_DIR"

#: the platform's conventions (a class, so tests can check the macOS/Windows layouts anywhere)
_PLATFORM: type[platformdirs.PlatformDirsABC] = platformdirs.PlatformDirs


def _dirs() -> platformdirs.PlatformDirsABC:
    return _PLATFORM(APP_NAME, appauthor=False)


def _override(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Settings and user-edited files (``settings.ini``, ``budgets.json``)."""
    return _override(CONFIG_ENV) or Path(_dirs().user_config_dir)


def data_dir() -> Path:
    """What the app accumulates (export history, the metric index)."""
    return _override(DATA_ENV) or Path(_dirs().user_data_dir)


def cache_dir() -> Path:
    """What can be rebuilt at any time."""
    return _override(CACHE_ENV) or Path(_dirs().user_cache_dir)
