"""File ▸ Open browser profile…: the discovered browser profiles and the origins in them that
hold the game's saves (slot count, last write), plus "Choose folder…" for any other profile
or storage folder. Reading the profiles runs in the worker; the dialog only shows rows.

The dialog returns ``(storage folder, origin)``; the main window opens it like a file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QStackedWidget, QTableView, QVBoxLayout, QWidget,
)

from inspector_app.core.browser.discovery import discover_profiles, profiles_at, standard_locations
from inspector_app.core.browser.storage import OriginStorage, list_origins
from inspector_app.core.common.timefmt import format_absolute_time
from inspector_app.ui import filedialogs
from inspector_app.ui.models.row_table import RowTableModel
from inspector_app.ui.widgets.status_line import StatusLine
from inspector_app.ui.workers import BackgroundTask, Priority

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class OriginRow:
    browser: str
    profile: str
    origin: str
    slots: int
    last_write_ms: float | None
    storage_path: Path
    game_saves: int = 0       # of ``slots``, those holding this game's payload
    profile_dir: Path | None = None   # the profile's folder (the Profile column shows its name)

    @classmethod
    def of(cls, o: OriginStorage) -> "OriginRow":
        return cls(o.profile.browser, o.profile.name, o.origin, o.slot_count, o.last_modified_ms, o.storage_path,
                   o.game_save_count, o.profile.profile_dir)

    @property
    def other_game(self) -> bool:
        """``save_*`` keys, none of them this game's (another game served from this address)."""
        return self.slots > 0 and self.game_saves == 0


class OriginTableModel(RowTableModel[OriginRow]):
    COLUMNS = ("Browser", "Profile", "Origin", "Saves", "Last write")

    def add_rows(self, rows: list[OriginRow]) -> None:
        new = [r for r in rows if r not in self._rows]
        if not new:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()

    def data(self, index: _Index, role=Qt.ItemDataRole.DisplayRole):
        r = self.row_at(index.row()) if index.isValid() else None
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.browser
            if col == 1:
                return r.profile
            if col == 2:
                return r.origin
            if col == 3:
                return str(r.slots) if r.game_saves == r.slots else f"{r.game_saves} of {r.slots}"
            return format_absolute_time(r.last_write_ms)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1 and r.profile_dir is not None:
                return f"Profile “{r.profile}”\nfolder: {r.profile_dir}"
            if r.game_saves < r.slots:
                return (f"{r.slots - r.game_saves} of the {r.slots} save_* key(s) here do not hold this game's saves "
                        "(no gameData): another game served from the same address, or an older build.\n"
                        f"{r.storage_path}")
            return str(r.storage_path)
        if role == Qt.ItemDataRole.ForegroundRole and r.other_game:
            from inspector_app.ui import theme

            return theme.value_colors()["muted"]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class OpenBrowserProfileDialog(QDialog):
    """Lists origins with saves; ``chosen()`` is ``(storage folder, origin)`` after accept."""

    sigListed = Signal()     # a listing finished (discovered profiles or a chosen folder)

    def __init__(self, parent: QWidget | None = None, *, discover: bool = True):
        super().__init__(parent)
        self.setObjectName("browserProfileDialog")
        self.setWindowTitle("Open Browser Profile")
        self.resize(960, 420)
        self._task: BackgroundTask | None = None
        self._pending: list[tuple[str, object]] = []

        intro = QLabel("The game keeps its saves in the browser's localStorage. Pick one origin (the address the "
                       "game was served from) of a browser profile below. The browser may stay open: its files are "
                       "copied, never changed.", self)
        intro.setWordWrap(True)
        self.status = StatusLine("browserProfileStatus", self)
        self.status.set_status("Looking for browser profiles…")

        self.model = OriginTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("browserOriginTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.doubleClicked.connect(lambda _i: self._accept_if_chosen())
        # where the table would be when nothing is listed: what was looked at and what to do
        self.empty = QLabel(self)
        self.empty.setObjectName("browserProfileEmpty")
        self.empty.setWordWrap(True)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty.setStyleSheet("color: palette(placeholder-text); padding: 24px; "
                                 "border: 1px solid palette(mid); background: palette(base);")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.choose_button = QPushButton("Choose &Folder…", self)
        self.choose_button.setObjectName("browserChooseFolder")
        self.choose_button.clicked.connect(self._choose_folder)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self._accept_if_chosen)
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self._update_buttons()
        if discover:
            self.list_folder(None)
        else:
            self.status.set_status("Choose a browser profile or localStorage folder.")

    # -- listing (in the worker) ---------------------------------------------------------
    def list_folder(self, folder: str | Path | None) -> BackgroundTask | None:
        """List the origins with saves in ``folder`` (None: every discovered profile)."""
        if folder is not None and not profiles_at(Path(folder)):
            self.status.set_status(f"{folder} is not a browser profile or localStorage folder (no Local "
                                   "Storage/leveldb, storage/default or ls/data.sqlite).", error=True)
            self.sigListed.emit()
            return None
        if self._task is not None:
            self._task.detach()

        def work(_progress, cancelled):
            profiles = profiles_at(Path(folder)) if folder is not None else discover_profiles()
            return profiles, list_origins(cancelled=cancelled, profiles=profiles)

        where = str(folder) if folder is not None else "the browser profiles on this computer"
        self.status.set_status(f"Reading {where}…")
        task = BackgroundTask(work, name=f"browser origins {where}")
        task.sigFinished.connect(lambda found, where=where, chosen=folder is not None: self._listed(*found, where, chosen))
        task.sigFailed.connect(lambda exc, where=where: self._failed(exc, where))
        task.sigDone.connect(self.sigListed.emit)
        self._task = task
        task.start(priority=Priority.USER)
        return task

    def _listed(self, profiles: list, found: list[OriginStorage], where: str, chosen: bool) -> None:
        # this game's origins first (most recently written first), another game's after them
        rows = sorted((OriginRow.of(o) for o in found),
                      key=lambda r: (r.other_game, -(r.last_write_ms or 0.0)))
        self.model.add_rows(rows)
        for col in (0, 1, 3, 4):
            self.table.resizeColumnToContents(col)
        self.stack.setCurrentWidget(self.table if self.model.rowCount() else self.empty)
        if not self.model.rowCount():
            self.empty.setText(_nothing_found_text(profiles, where, chosen))
            self.choose_button.setFocus(Qt.FocusReason.OtherFocusReason)    # the next step, by keyboard too
        if rows:
            game = [r for r in rows if not r.other_game]
            other = len(rows) - len(game)
            self.status.set_status(f"{len(game)} origin(s) with saves of the game in {where}"
                                   + (f"; {other} more with save_* keys of another game (greyed)." if other else "."))
            target = self.model.rows().index(game[0] if game else rows[0])
            self.table.selectRow(target)
        elif chosen:
            self.status.set_status(f"No saves of the game in {where}: no origin has save_metadata or save_* keys.")
        else:
            self.status.set_status("No browser profile on this computer holds saves of the game. Use Choose Folder… "
                                "for a profile elsewhere.")
        self._update_buttons()

    def _failed(self, exc: object, where: str) -> None:
        problem = getattr(exc, "problem", None)
        self.status.set_status(f"Could not read {where}: {problem.describe() if problem else exc}", error=True)

    # -- choosing ------------------------------------------------------------------------
    def _choose_folder(self) -> None:
        dlg = filedialogs.folder_dialog(self, "Choose a browser profile or localStorage folder", "browserFolderDialog")
        if dlg.exec() and dlg.selectedFiles():
            self.list_folder(dlg.selectedFiles()[0])

    def selected_row(self) -> OriginRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def chosen(self) -> tuple[Path, str] | None:
        r = self.selected_row()
        return (r.storage_path, r.origin) if r else None

    def _update_buttons(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(self.selected_row() is not None)

    def _accept_if_chosen(self) -> None:
        if self.selected_row() is not None:
            self.accept()

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.detach()
            self._task = None
        super().done(result)


def _nothing_found_text(profiles: list, where: str, chosen: bool) -> str:
    """The empty table's text: which profiles were read (or where none was found) and what next."""
    if profiles:
        names = ", ".join(p.label for p in profiles[:6]) + (f" and {len(profiles) - 6} more" if len(profiles) > 6
                                                             else "")
        head = (f"No saves of the game in {where}." if chosen else
                "None of the browser profiles on this computer holds saves of the game.")
        return (f"{head}\n\nRead: {names}.\n\nPlay the game in one of these browsers first, or use Choose Folder… "
                "for a profile elsewhere (a copied profile folder, another user's).")
    places = standard_locations()
    browsers = list(dict.fromkeys(b.split(" (")[0] for b, _engine, _folder in places))
    home = str(Path.home())
    first: dict[str, Path] = {}                       # one example place per engine
    for _b, engine, folder in places:
        first.setdefault(engine, folder)
    examples = [str(folder).replace(home, "~", 1) for folder in first.values()]
    return ("No browser profile was found in the usual places on this computer"
            f" ({', '.join(browsers)}; e.g. {', '.join(examples)}).\n\n"
            "Use Choose Folder… for a profile elsewhere (a copied profile folder, a portable browser).")


def open_browser_profile(window) -> OpenBrowserProfileDialog:
    """Show the dialog for ``window`` (a MainWindow); on Open, the window opens the origin."""
    dlg = OpenBrowserProfileDialog(window)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)   # each time a fresh listing, none left behind
    dlg.accepted.connect(lambda: _open_chosen(window, dlg))
    dlg.open()
    return dlg


def _open_chosen(window, dlg: OpenBrowserProfileDialog) -> None:
    chosen = dlg.chosen()
    if chosen is not None:
        window.open_path(chosen[0], origin=chosen[1])
