"""Table model of the save browser: one row per slot of every open document."""
from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QApplication, QStyledItemDelegate

from inspector_app.core.loading.document import DocumentKind, SaveDocument, Severity, SlotStatus
from inspector_app.core.session import SlotRow, duplicate_sources, rows_of, visible_text
from inspector_app.ui import theme

__all__ = ["ROW_ROLE", "SORT_ROLE", "MiddleElideDelegate", "SlotRow", "SlotTableModel", "format_size"]

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
TWIN_ROLE = Qt.ItemDataRole.UserRole + 3     # True: the same slot is open from another file too


def format_size(n: int | None) -> str:
    if n is None:
        return "—"
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


_STATUS_TEXT = {
    SlotStatus.OK: "OK",
    SlotStatus.LEGACY: "Legacy (game can't load)",
    SlotStatus.FUTURE: "Newer version",
    SlotStatus.ERROR: "Unreadable",
}
_KIND_TEXT = {
    DocumentKind.INSPECTOR_SUMMARY: "inspector summary",
    DocumentKind.SUMMARY_EXPORT: "summary export",
    DocumentKind.ENGINE_SAVE: "engine save",
    DocumentKind.OTHER_JSON: "JSON",
}


_BADGE_RANK = {"error": 3, "warning": 2, "notice": 1}
_icon_cache: dict = {}


def _badge_icon(badge: str):
    """Qt's own message icons: they render with any font (an emoji badge may not)."""
    if not badge:
        return None
    if badge not in _icon_cache:
        from PySide6.QtWidgets import QStyle  # its type and enums load on first use, not at start-up

        pixmap = {"error": QStyle.StandardPixmap.SP_MessageBoxCritical,
                  "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
                  "notice": QStyle.StandardPixmap.SP_MessageBoxInformation}[badge]
        _icon_cache[badge] = QApplication.style().standardIcon(pixmap)
    return _icon_cache[badge]


def _timefmt():
    """core.common.timefmt (datetime, decimal): imported with the first row shown, not at start-up."""
    from inspector_app.core.common import timefmt

    return timefmt


class MiddleElideDelegate(QStyledItemDelegate):
    """A label that names its file (the slot is open from two files) shortens in the middle —
    "Before M…rlor.large" — so the file that tells the rows apart stays in sight in a narrow
    save list; other labels shorten at the end as usual."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        if index.data(TWIN_ROLE):
            option.textElideMode = Qt.TextElideMode.ElideMiddle


class SlotTableModel(QAbstractTableModel):
    COLUMNS = ("", "Label", "Slot id", "Type", "Saved", "Playtime", "Version", "Source", "Size", "Status", "File")
    COL_BADGE, COL_LABEL, COL_ID, COL_TYPE, COL_SAVED, COL_PLAYTIME, COL_VERSION, COL_SOURCE, COL_SIZE, COL_STATUS, COL_FILE = range(11)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[SlotRow] = []
        self._twins: dict[tuple[str, str], tuple[str, list[str]]] = {}   # see core.session.duplicate_sources
        self._bold = QFont()
        self._bold.setBold(True)

    # -- content -------------------------------------------------------------------
    def rows(self) -> list[SlotRow]:
        return list(self._rows)

    def set_documents(self, documents: list[SaveDocument]) -> None:
        self.beginResetModel()
        self._rows = rows_of(documents)
        self._twins = duplicate_sources(self._rows)
        self.endResetModel()


    def row_of(self, key: tuple[str, str]) -> int:
        for i, r in enumerate(self._rows):
            if r.key == key:
                return i
        return -1

    # -- Qt API -----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == self.COL_BADGE:
                return "Problems found in this slot"
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return r
        if role == TWIN_ROLE:
            return r.key in self._twins
        if role == Qt.ItemDataRole.DecorationRole and col == self.COL_BADGE:
            return _badge_icon(self._badge(r))
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if col == self.COL_BADGE else self._display(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r)
        if role == Qt.ItemDataRole.ForegroundRole:
            s = r.slot
            if s and s.status == SlotStatus.ERROR:
                return QBrush(theme.value_colors()["bad"])
            if s and s.status in (SlotStatus.LEGACY, SlotStatus.FUTURE) and col == self.COL_STATUS:
                return QBrush(theme.value_colors()["warning"])
        if role == Qt.ItemDataRole.FontRole and col == self.COL_LABEL:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_SIZE, self.COL_PLAYTIME, self.COL_VERSION):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- helpers --------------------------------------------------------------------
    @staticmethod
    def _problems(r: SlotRow):
        return r.slot.problems if r.slot else r.document.problems

    def _badge(self, r: SlotRow) -> str:
        """The worst severity among the row's problems ("" when there are none)."""
        probs = self._problems(r)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.NOTICE):
            if any(p.severity == severity for p in probs):
                return severity.value
        return ""

    def _display(self, r: SlotRow, col: int) -> str:
        s, d = r.slot, r.document
        if col == self.COL_BADGE:
            return self._badge(r)
        if col == self.COL_FILE:
            return d.display_name   # a browser profile: "Chromium · Default · <origin>"
        if s is None:
            summary = d.summary or {}
            if col == self.COL_LABEL:
                return d.path.stem
            if col == self.COL_TYPE:
                return _KIND_TEXT.get(d.kind, d.kind.value)
            if col == self.COL_SAVED:
                return _timefmt().format_absolute_time(summary.get("generatedAt"))
            if col == self.COL_SOURCE:
                return str(summary.get("source") or "—")
            if col == self.COL_SIZE:
                return format_size(d.size_bytes)
            if col == self.COL_STATUS:
                return "Error" if any(p.severity == Severity.ERROR for p in d.problems) else "OK"
            return "—"
        if col == self.COL_LABEL:  # player-typed: bidi overrides and zero-width characters shown
            twin = self._twins.get(r.key)    # the same slot open from another file too: say which this is
            return visible_text(s.label) + (f" · {twin[0]}" if twin else "")
        if col == self.COL_ID:
            return visible_text(s.slot_id)
        if col == self.COL_TYPE:
            return _KIND_TEXT.get(d.kind, s.slot_type)
        if col == self.COL_SAVED:
            return _timefmt().format_absolute_time(s.timestamp)
        if col == self.COL_PLAYTIME:
            return _timefmt().format_playtime(s.playtime)
        if col == self.COL_VERSION:
            return "—" if s.version is None else (repr(s.version) if isinstance(s.version, str) else str(s.version))
        if col == self.COL_SOURCE:
            return s.snapshot_source or "—"
        if col == self.COL_SIZE:
            return format_size(s.size_bytes)
        if col == self.COL_STATUS:
            return _STATUS_TEXT.get(s.status, str(s.status))
        return ""

    def _sort_key(self, r: SlotRow, col: int):
        s = r.slot
        if s is not None:
            if col == self.COL_SAVED:
                return float(s.timestamp) if isinstance(s.timestamp, (int, float)) and not isinstance(s.timestamp, bool) else -1.0
            if col == self.COL_PLAYTIME:
                return float(s.playtime) if isinstance(s.playtime, (int, float)) and not isinstance(s.playtime, bool) and math.isfinite(s.playtime) else -1.0
            if col == self.COL_SIZE:
                return float(s.size_bytes or 0)
            if col == self.COL_BADGE:
                return _BADGE_RANK.get(self._badge(r), 0)
        return self._display(r, col).lower()

    def _tooltip(self, r: SlotRow) -> str:
        probs = self._problems(r)
        head = f"{visible_text(r.slot.label)} ({visible_text(r.slot.key)})" if r.slot else r.document.path.name
        twin = self._twins.get(r.key)
        if twin:
            head += f"\nFrom {r.document.display_name}; also open from " + ", ".join(twin[1])
        if not probs:
            return f"{head}\nNo problems found."
        lines = [head] + [f"• [{p.severity.value}] {p.message}" + (f" — at {p.location}" if p.location else "") for p in probs[:12]]
        if len(probs) > 12:
            lines.append(f"… and {len(probs) - 12} more (see the Problems panel)")
        return "\n".join(lines)
