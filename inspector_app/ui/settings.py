"""The app's QSettings, in the user's config directory (``core/common/userdirs``), resolved at call time."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from inspector_app.core.common.userdirs import config_dir


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


def read_bool(settings: QSettings, key: str, default: bool = False) -> bool:
    """A remembered on/off (an INI file gives back ``"true"``/``"false"`` text)."""
    value = settings.value(key, default)
    return value if isinstance(value, bool) else str(value).strip().lower() in ("true", "1")
