"""The entry table under the timeline: a lazy table over an index array into the transcript.

Rows are computed on demand from :class:`Transcript` entries, so 100,000 entries cost one
numpy array, not 100,000 items (no QStandardItemModel).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon

from inspector_app.core.transcript.model import EventKind, Transcript
from inspector_app.ui.theme import is_dark, value_colors
from inspector_app.ui.transcript.timeline import LANE_STYLE, LANE_TEXT, format_duration
from inspector_app.ui.transcript.timeline_item import marker_pixmap

ENTRY_ROLE = int(Qt.ItemDataRole.UserRole) + 1   # data(index, ENTRY_ROLE) -> transcript entry index
_KIND_ICONS: dict[EventKind, QIcon] = {}
COLUMNS = ("#", "Time (UTC)", "Since start", "Kind", "Step", "Title", "Narrative", "Source")


class TranscriptTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.transcript: Transcript | None = None
        self.rows = np.zeros(0, dtype=np.int64)
        self._sequences_of: Transcript | None = None
        self._has_sequences = False

    def set_rows(self, transcript: Transcript | None, rows: np.ndarray | None) -> None:
        self.beginResetModel()
        self.transcript = transcript
        self.rows = np.zeros(0, dtype=np.int64) if transcript is None or rows is None \
            else np.asarray(rows, dtype=np.int64)
        self.endResetModel()

    def _kind_icon(self, kind: EventKind) -> QIcon:
        """The lane's marker as an icon, one object per kind. (A QColor here made the delegate
        build a new icon — and a new pixmap-cache entry — for every row on every paint: RSS grew
        ~50 KB per table refresh until the pixmap cache was full.)"""
        icon = _KIND_ICONS.get(kind)
        if icon is None:
            icon = _KIND_ICONS[kind] = QIcon(marker_pixmap(*LANE_STYLE[kind]))
        return icon

    def has_sequences(self) -> bool:
        """Whether any entry has a sequence number (else the ``#`` column is always blank)."""
        t = self.transcript
        if t is None:
            return False
        if self._sequences_of is not t:
            self._sequences_of = t
            self._has_sequences = any(e.sequence is not None for e in t.entries)
        return self._has_sequences

    def row_of_entry(self, entry_index: int) -> int | None:
        hit = np.flatnonzero(self.rows == entry_index)
        return int(hit[0]) if len(hit) else None

    def entry_at(self, row: int) -> int | None:
        return int(self.rows[row]) if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.transcript is None:
            return None
        i = int(self.rows[index.row()])
        e = self.transcript.entries[i]
        col = index.column()
        if role == ENTRY_ROLE:
            return i
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return "" if e.sequence is None else str(e.sequence)
            if col == 1:
                text = e.time_text()       # ISO time, or "never (0)", "not a date (1e+17)", ...
                return text.replace("T", " ").rstrip("Z") if e.timestamp is not None else text
            if col == 2:
                if e.timestamp is None:
                    return ""
                d = e.timestamp - self.transcript.origin
                return "0 s" if d == 0 else format_duration(d)
            if col == 3:
                if e.kind is EventKind.SNAPSHOT:
                    return "Snapshot"
                return e.kind.label if e.kind is not EventKind.UNKNOWN else f"? {e.event}"
            if col == 4:
                return e.step_id or ""
            if col == 5:
                return e.display_title if e.kind is not EventKind.SNAPSHOT else f"{e.event} · {e.display_title}"
            if col == 6:
                return (e.follow_up or "").replace("\n", " ⏎ ")
            if col == 7:
                return e.source + (" (from analytics)" if e.derived else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return e.describe()
        if role == Qt.ItemDataRole.ForegroundRole:
            dark = is_dark()
            if col == 3:
                return QBrush(QColor(LANE_TEXT[e.kind][1 if dark else 0]))
            if col == 1 and e.timestamp is None:
                return QBrush(value_colors()["bad" if not e.time_note.startswith("never") else "muted"])
            if e.derived and col == 7:
                return QBrush(value_colors()["muted"])
        if role == Qt.ItemDataRole.DecorationRole and col == 3:
            return self._kind_icon(e.kind)
        return None
