"""pyqtgraph, imported and configured when the first plot is needed (not at start-up).

Importing pyqtgraph (and numpy with it) costs most of a second, so nothing the main window
imports at start-up imports it at module level; the lazy tab host calls :func:`pyqtgraph`
before it builds a panel with plots. The configuration is set once here; default background
and foreground follow the application palette (:func:`sync_palette`, called on theme changes).
"""
from __future__ import annotations

import sys

_configured = False


def pyqtgraph():
    """The ``pyqtgraph`` module, configured for this app (no OpenGL, palette colours)."""
    global _configured
    import pyqtgraph as pg

    if not _configured:
        _configured = True
        pg.setConfigOptions(useOpenGL=False, antialias=False)
        sync_palette()
    return pg


def sync_palette() -> None:
    """Point pyqtgraph's default background/foreground at the palette (only if it is loaded)."""
    pg = sys.modules.get("pyqtgraph")
    if pg is None:
        return
    from PySide6.QtGui import QGuiApplication, QPalette

    if QGuiApplication.instance() is None:
        return
    pal = QGuiApplication.palette()
    pg.setConfigOptions(background=pal.color(QPalette.ColorRole.Base),
                        foreground=pal.color(QPalette.ColorRole.Text))
