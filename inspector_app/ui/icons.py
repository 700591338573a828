"""Icons: the desktop theme's icon when it has one, else the SVG bundled in ``resources/icons``."""
from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from inspector_app.resources import resource_path

APP_ICON = "telemetry-inspector"


def icon_path(name: str):
    return resource_path("icons", f"{name}.svg")


@cache
def _bundled(name: str) -> QIcon:
    path = icon_path(name)
    return QIcon(str(path)) if path.exists() else QIcon()


def themed_icon(theme_name: str, bundled_name: str) -> QIcon:
    """``QIcon.fromTheme(theme_name)`` with the bundled ``<bundled_name>.svg`` as fallback."""
    return QIcon.fromTheme(theme_name, _bundled(bundled_name))


def app_icon() -> QIcon:
    return _bundled(APP_ICON)
