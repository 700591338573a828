"""A QGuiApplication for painting when none exists (headless CLI), and QImage → PNG bytes."""
from __future__ import annotations

import os
import sys

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QImage

_app: QGuiApplication | None = None


def ensure_gui_application() -> QGuiApplication:
    """The running application, or an offscreen QGuiApplication made once for this process."""
    global _app
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"       # a CLI paints into images, never on screen
    _app = QGuiApplication([sys.argv[0] if sys.argv else "inspector"])
    return _app


def encode_png(image: QImage) -> bytes | None:
    """The image as PNG bytes (None when Qt cannot encode it) — the one QImage → PNG helper
    (the GUI's plot/table export uses it too)."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buf, "PNG")
    buf.close()
    return bytes(data.data()) if ok else None


def png_bytes(image: QImage) -> bytes:
    data = encode_png(image)
    if data is None:
        raise RuntimeError("Qt could not encode the chart as PNG")
    return data
