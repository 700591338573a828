"""The one export helper for plots and tables: PNG / SVG of a plot, CSV of rows.

Every "Save image…" / "Export CSV…" in the UI (tutorial timeline, step chart, metric history)
goes through here, the way Orange's ``owsavebase`` serves every widget:

* images are rendered in the GUI thread (Qt painting must be) into memory — a PNG through
  ``QImage`` at ``scale``× the on-screen size, an SVG through ``QSvgGenerator`` (vector) —
  and only the finished bytes are written;
* CSV text follows the project's one CSV convention (``core/export/csvfmt.csv_document``);
  ``csv_bytes``/``export_csv`` use no Qt, so a caller with many rows may run them in a
  :class:`~inspector_app.ui.workers.BackgroundTask`;
* every file goes through the project's one atomic, no-overwrite writer
  (``core/common/fileio.write_atomic``): readers see the old file or the complete new one,
  and an existing file is refused (``OutputExistsError``, a ``FileExistsError``) unless
  ``overwrite=True``; other failures are ``FileOutputError`` naming the file and the reason.

Sources for images: any ``QWidget`` (a ``pg.PlotWidget``, a ``pg.GraphicsLayoutWidget``, a
panel holding several plots), a ``QGraphicsScene``, or a ``QGraphicsItem`` such as a
``pg.PlotItem`` (its scene rectangle is rendered).
"""
from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any, Iterable, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QModelIndex, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from inspector_app.core.common.fileio import write_atomic
from inspector_app.core.export.csvfmt import csv_document
from inspector_app.ui import filedialogs
from inspector_app.render.qtimage import encode_png

IMAGE_FORMATS = ("png", "svg")
_FILTERS = {"png": "PNG image (*.png)", "svg": "SVG image (*.svg)", "csv": "CSV (*.csv)"}


class PlotExportError(OSError):
    """A plot or table could not be exported; the message names the file and the reason."""


# -- targets -----------------------------------------------------------------------------------
def target_path(path: str | os.PathLike, fmt: str | None = None) -> tuple[Path, str]:
    """``(path with the format's extension, format)``; the format comes from ``fmt`` or the
    path's suffix (``png`` when neither says)."""
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".") or "png").lower()
    if target.suffix.lower() != f".{fmt}":
        target = target.with_name(target.name + f".{fmt}")
    return target, fmt


def _write(target: Path, data: bytes, overwrite: bool) -> Path:
    write_atomic(target, data, overwrite=overwrite)   # OutputExistsError / FileOutputError: OSErrors
    return target


# -- images ------------------------------------------------------------------------------------
def _geometry(source: Any) -> tuple[QSize, QRectF | None]:
    """Output size and, for scenes/items, the scene rectangle to render."""
    if isinstance(source, QWidget):
        return source.size(), None
    if isinstance(source, QGraphicsItem):
        rect = source.sceneBoundingRect()
    elif isinstance(source, QGraphicsScene):
        rect = source.itemsBoundingRect()
    else:
        raise TypeError(f"cannot export {type(source).__name__} as an image")
    return QSize(max(1, round(rect.width())), max(1, round(rect.height()))), rect


def _render(source: Any, painter: QPainter, size: QSize, rect: QRectF | None) -> None:
    if rect is None:
        if isinstance(source, QGraphicsView):
            source.render(painter)
        else:                               # a plain widget (e.g. a panel of several plots)
            source.render(painter, QPoint(0, 0))
        return
    scene = source.scene() if isinstance(source, QGraphicsItem) else source
    scene.render(painter, QRectF(QPointF(0, 0), size.toSizeF()), rect)


def png_bytes(source: Any, *, scale: float = 2.0) -> bytes:
    """The source painted at ``scale``× its size, as PNG bytes (GUI thread)."""
    size, rect = _geometry(source)
    image = QImage(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        _render(source, painter, size, rect)
    finally:
        painter.end()
    data = encode_png(image)
    if data is None:
        raise PlotExportError("could not encode the PNG image")
    return data


def svg_bytes(source: Any, *, title: str = "") -> bytes:
    """The source painted into an SVG document (vector; GUI thread)."""
    from PySide6.QtSvg import QSvgGenerator   # only when an SVG is asked for
    size, rect = _geometry(source)
    buf = QByteArray()
    device = QBuffer(buf)
    device.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(device)
    gen.setSize(size)
    gen.setViewBox(QRectF(QPointF(0, 0), size.toSizeF()))
    if title:
        gen.setTitle(title)
    painter = QPainter(gen)
    try:
        _render(source, painter, size, rect)
    finally:
        painter.end()
    device.close()
    return bytes(buf.data())


def image_bytes(source: Any, fmt: str, *, scale: float = 2.0, title: str = "") -> bytes:
    if fmt == "svg":
        return svg_bytes(source, title=title)
    if fmt == "png":
        return png_bytes(source, scale=scale)
    raise ValueError(f"unknown image format {fmt!r} (one of {', '.join(IMAGE_FORMATS)})")


def export_image(source: Any, path: str | os.PathLike, *, fmt: str | None = None, overwrite: bool = False,
                 scale: float = 2.0, title: str = "") -> Path:
    """Write ``source`` as PNG or SVG to ``path`` (extension added if missing); returns the path.
    Raises ``FileExistsError`` when the file exists and ``overwrite`` is False."""
    target, fmt = target_path(path, fmt)
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r} (one of {', '.join(IMAGE_FORMATS)})")
    if target.exists() and not overwrite:     # fail before painting; the writer re-checks atomically
        raise FileExistsError(errno.EEXIST, f"{target} already exists; not overwriting it", str(target))
    return _write(target, image_bytes(source, fmt, scale=scale, title=title), overwrite)


# -- tables ------------------------------------------------------------------------------------
def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV in the project's one convention (no Qt: safe in a worker)."""
    return csv_document(list(header), rows).encode("utf-8")


def export_csv(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               overwrite: bool = False) -> Path:
    """Write ``header`` + ``rows`` as CSV to ``path`` (``.csv`` added if missing). No Qt."""
    target, _ = target_path(path, "csv")
    return _write(target, csv_bytes(header, rows), overwrite)


def model_rows(model, *, role: int = Qt.ItemDataRole.DisplayRole,
               columns: Sequence[int] | None = None) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of a table model as shown (display text), for :func:`export_csv`.
    Call in the GUI thread (models belong to it)."""
    cols = list(range(model.columnCount(QModelIndex()))) if columns is None else list(columns)
    header = [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "") for c in cols]
    rows = [[model.data(model.index(r, c), role) for c in cols] for r in range(model.rowCount(QModelIndex()))]
    return header, rows


def export_table_csv(model, path: str | os.PathLike, *, overwrite: bool = False,
                     columns: Sequence[int] | None = None) -> Path:
    header, rows = model_rows(model, columns=columns)
    return export_csv(path, header, rows, overwrite=overwrite)


# -- asking --------------------------------------------------------------------------------------
def ask_save_path(parent: QWidget | None, title: str, fmt: str, default_name: str = "") -> str | None:
    """A save dialog for one format (it confirms replacing an existing file, so the caller then
    passes ``overwrite=True``); None when cancelled."""
    dlg = QFileDialog(parent, title)
    dlg.setObjectName("plotExportDialog")
    filedialogs.apply_policy(dlg)
    dlg.setFileMode(QFileDialog.FileMode.AnyFile)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setNameFilter(_FILTERS.get(fmt, f"{fmt.upper()} (*.{fmt})"))
    dlg.setDefaultSuffix(fmt)
    if default_name:
        dlg.selectFile(default_name)
    return dlg.selectedFiles()[0] if dlg.exec() and dlg.selectedFiles() else None
