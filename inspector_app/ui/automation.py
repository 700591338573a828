"""Automation hook for end-to-end checks that drive the real app from outside (an X server,
xdotool, a screenshot of the screen): the hidden ``--report-state JSON`` option. Once everything
given on the command line has loaded, the app writes what it shows — the window's place on the
screen and the slot list's rows and rectangle — and keeps running, so a test knows where on the
screenshot the slots must be (tests/e2e, packaging/check-bundle.sh). Nothing here changes the UI.
"""
from __future__ import annotations

from typing import Any, Callable

import orjson
from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import QAbstractItemView, QMainWindow

from inspector_app.core.common.fileio import write_atomic

_POLL_MS = 100


def _rect(r: QRect) -> dict[str, int]:
    return {"x": r.x(), "y": r.y(), "width": r.width(), "height": r.height()}


def _row_text(model, row: int) -> str:
    """The first non-empty text of a row (column 0 may be an icon-only badge)."""
    for col in range(model.columnCount()):
        text = model.index(row, col).data()
        if text:
            return str(text)
    return ""


def visible_state(window: QMainWindow) -> dict[str, Any]:
    """The window's frame on the screen and the slot list (rows, labels, viewport rectangle) in
    screen coordinates and in window coordinates (for a grab of the window)."""
    state: dict[str, Any] = {"title": window.windowTitle(), "visible": window.isVisible(),
                             "window": _rect(QRect(window.mapToGlobal(QPoint(0, 0)), window.size()))}
    view = window.findChild(QAbstractItemView, "slotList")
    if view is not None and view.model() is not None:
        model = view.model()
        viewport = view.viewport()
        rows = model.rowCount()
        state["slotList"] = {
            "rows": rows,
            "labels": [_row_text(model, r) for r in range(min(rows, 100))],
            "rowHeight": view.sizeHintForRow(0) if rows else 0,
            "rect": _rect(QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())),
            "windowRect": _rect(QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())),
        }
    return state


def report_state_when_loaded(window: QMainWindow, path: str) -> Callable[[], None]:
    """Write :func:`visible_state` to ``path`` (atomically) once the window is shown and no load
    is running; polled on the event loop, the GUI thread never waits.

    Returns ``write_now``: whoever ends the app once everything has loaded (``--screenshot``)
    calls it first, so the report is never lost to a quit that wins the race with the poll."""
    written = False

    def write_now() -> None:
        nonlocal written
        if not written:
            written = True
            write_atomic(path, orjson.dumps(visible_state(window), option=orjson.OPT_INDENT_2), overwrite=True)

    def check() -> None:
        if written:
            return
        if window.is_loading() or not window.isVisible():  # type: ignore[attr-defined]
            QTimer.singleShot(_POLL_MS, check)
            return
        write_now()

    QTimer.singleShot(_POLL_MS, check)
    return write_now
