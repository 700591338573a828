"""Where the app keeps its settings and data, resolved at call time (tests isolate them per test)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings


def config_dir() -> Path:
    explicit = os.environ.get("TELEMETRY_INSPECTOR_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "telemetry-inspector"


def app_settings() -> QSettings:
    """An INI-backed QSettings at a path computed now (so a changed environment is honoured)."""
    path = config_dir() / "settings.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def read_list(settings: QSettings, key: str) -> list[str]:
    value = settings.value(key, [])
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]
