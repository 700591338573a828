"""Export by button: the GUI face of the shared export pipeline.

The dialog collects options, then runs :func:`inspector_app.core.export.pipeline.run_export` —
the very function behind ``inspector-export`` — in a :class:`BackgroundTask`. Events of the
pipeline's bus are forwarded to the window's events dock; the adapter metrics of every export
are appended to the local metric history. One export at a time: while one runs, Export is
disabled.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import orjson
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.export import pipeline as export_pipeline
from inspector_app.core.export.artifacts import DEFAULT_PREFIX, safe_prefix
from inspector_app.core.export.inputs import summary_for_slot
from inspector_app.core.export.publisher import parse_command
from inspector_app.core.loading.slots import normalize_slot_name
from inspector_app.core.metrics.history_log import append_export_metrics
from inspector_app.ui import filedialogs, theme
from inspector_app.ui.models.row_table import RowTableModel
from inspector_app.ui.settings import app_settings, read_bool, read_list
from inspector_app.ui.widgets.status_line import StatusLine
from inspector_app.ui.workers import BackgroundTask, Priority, TaskCancelled

FORMAT_CHOICES = (
    ("json", "Summary JSON", "<prefix>-summary-<T>.json"),
    ("csv", "Cascade targets + tutorial snapshots CSV", "-cascade-targets-<T>.csv, -tutorial-snapshots-<T>.csv"),
    ("transcript-csv", "Tutorial transcript CSV", "-tutorial-transcript-<T>.csv"),
    ("transcript-md", "Tutorial transcript Markdown", "-tutorial-transcript-<T>.md"),
)
_export_ids = itertools.count(1)


def default_prefix(label: str) -> str:
    """``save-inspector-<slot label, normalised>`` — safe as a file-name component."""
    slug = normalize_slot_name(label) if label else ""
    return safe_prefix(f"{DEFAULT_PREFIX}-{slug}" if slug and slug != DEFAULT_PREFIX else DEFAULT_PREFIX)


def summary_from_slot(slot) -> dict | None:
    """The inspector summary of a slot, with the transcript the Tutorial Timeline shows
    (:func:`inspector_app.core.export.inputs.summary_for_slot`, shared with the CLI)."""
    return summary_for_slot(slot)


def _summary_of(source: tuple) -> dict | None:
    kind, value, _label = source
    return value if kind == "summary" else summary_from_slot(value)


def default_size(parent: QWidget | None) -> QSize:
    """Room for the options and a few result rows with readable paths: most of the window it
    opens over (1120×720 over a 1280×800 window), never smaller than 880×640 unless the window is."""
    if parent is None or parent.window() is None:
        return QSize(880, 640)
    window = parent.window().size()
    width = min(1120, max(880, window.width() - 160))
    height = min(760, max(640, window.height() - 80))
    return QSize(min(width, window.width()), min(height, window.height()))


def error_colour(widget: QWidget) -> QColor:
    """The app's one error red for the widget's palette (the theme's "bad" value colour, ≥ 4.5:1
    on light and dark: the banner, search, World State and Metric History show errors in it)."""
    return QColor(theme.value_colors(widget.palette())["bad"])


def common_name_prefix(names: list[str]) -> str:
    """The part all names share, cut back to a ``-`` boundary (what the result table hides)."""
    if len(names) < 2:
        return ""
    first, last = min(names), max(names)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    cut = first.rfind("-", 0, n)
    return first[:cut + 1] if cut > 0 else ""


STATE_MARKS = {"new": "new        ", "identical": "unchanged  ", "differs": "EXISTS ≠   "}
STATE_NOTES = {"identical": "   (already exported with identical contents: left as is)",
               "differs": "   (a different file has this name — see the choice below)"}


class ArtifactResultModel(RowTableModel[dict]):
    """The result table: the distinguishing part of each name (the common prefix is elided and
    in the tooltip), status, size only for files in place, and the path or the reason — the
    reason without the folder and the file's own name (both shown already), so it fits; its
    full text is the tooltip."""

    COLUMNS = ("Artifact", "Status", "Size", "Writer", "Duration", "Path / reason")
    PATH_COLUMN = 5

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._common = ""
        self.folder = ""          # the output folder: shown once above, dropped from reasons
        self.error_brush = QBrush(QColor(theme.value_colors()["bad"]))   # restyled by the dialog

    def set_rows(self, rows) -> None:
        self._common = common_name_prefix([r.get("filename", "") for r in rows])
        super().set_rows(rows)

    @staticmethod
    def in_place(row: dict) -> bool:
        return row.get("status") in ("written", "unchanged")

    def short_reason(self, row: dict) -> str:
        """The reason a file was not written, as the table shows it: "File already exists; …"
        for "<folder>/<file> already exists; …" (the row names the file, the dialog the folder)."""
        reason = row.get("reason") or ""
        name = row.get("filename") or ""
        if self.folder:
            reason = reason.replace(self.folder + os.sep, "")
        if name and reason.startswith(name):
            reason = "File" + reason[len(name):]
        return reason

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        status = r.get("status")
        ok = self.in_place(r)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                name = r.get("filename", "")
                return "…" + name[len(self._common):] if self._common and name.startswith(self._common) else name
            if col == 1:
                return "unchanged (identical)" if status == "unchanged" else (status or "")
            if col == 2:
                size = r.get("size")
                return "" if size is None or not ok else f"{size:,} B"
            if col == 3:
                return r.get("writer", "")
            if col == 4:
                d = r.get("durationMs")
                return "" if d is None else f"{d:.2f} ms"
            return r.get("path") if ok else self.short_reason(r)
        if role == Qt.ItemDataRole.ForegroundRole and col in (1, 5) and not ok:
            return self.error_brush
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0:
                return r.get("path") or r.get("filename")
            return r.get("path") if ok else r.get("reason")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ExportDialog(QDialog):
    """Non-modal dialog: options, preview, run, result panel."""

    sigEvent = Signal(int, str, object)     # export id, event name, payload (from the worker thread)
    sigExportFinished = Signal(object)       # ExportResult
    sigExportFailed = Signal(object)         # exception
    sigPreviewReady = Signal()               # the preview shows the current options

    def __init__(self, parent=None, events_panel=None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export report")
        self.setModal(False)
        self.resize(default_size(parent))
        self._source: tuple[str, Any, str] | None = None
        self._input_path: Any = None
        self._summary_cache: dict | None = None
        self._task: BackgroundTask | None = None
        self._preview_task: BackgroundTask | None = None
        self._preview_generation = 0
        self._export_id = 0
        self._last_result = None
        self._events_panel = events_panel
        self.sigEvent.connect(self._forward_event)

        self.source_label = QLabel(self)
        self.source_label.setObjectName("exportSource")
        self.source_label.setWordWrap(True)

        # options
        self.out_dir = QLineEdit(self)
        self.out_dir.setObjectName("exportOutDir")
        self.out_dir.setPlaceholderText("Folder the reports are written to")
        browse = QPushButton("Browse…", self)
        browse.setObjectName("exportBrowse")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_dir, 1)
        out_row.addWidget(browse)
        self.prefix = QLineEdit(self)
        self.prefix.setObjectName("exportPrefix")
        self.format_boxes: dict[str, QCheckBox] = {}
        fmt_box = QGroupBox("Artifacts", self)
        fmt_lay = QVBoxLayout(fmt_box)
        for key, label, pattern in FORMAT_CHOICES:
            cb = QCheckBox(f"{label}   ({pattern})", fmt_box)
            cb.setObjectName(f"exportFormat_{key}")
            cb.toggled.connect(self._update_preview)
            self.format_boxes[key] = cb
            fmt_lay.addWidget(cb)
        self.publish = QCheckBox("Publish to CI: write the ci-artifacts.json manifest (sizes, sha256) and run the "
                                 "upload command", self)
        self.publish.setObjectName("exportPublish")
        self.dry_run = QCheckBox("Dry run: record the upload commands, run nothing", self)
        self.dry_run.setObjectName("exportDryRun")
        self.dry_run.setChecked(True)
        self.publish_command = QLineEdit(self)
        self.publish_command.setObjectName("exportPublishCommand")
        self.publish_command.setPlaceholderText('optional upload command as a JSON argv list, e.g. ["gh", "artifact", '
                                                '"upload"] — never run through a shell')
        self.publish.toggled.connect(self._update_preview)
        self.dry_run.toggled.connect(self._update_preview)
        self.publish_command.textChanged.connect(self._update_preview)
        form = QFormLayout()
        form.addRow("Output folder:", out_row)
        form.addRow("Prefix:", self.prefix)
        self.prefix.textChanged.connect(self._update_preview)
        self.out_dir.textChanged.connect(self._update_preview)

        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("exportPreview")
        self.preview.setReadOnly(True)
        self.preview.setMaximumHeight(110)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self._game_exact = QCheckBox("Byte-exact game CSV (no protection against spreadsheet formulas in cells)", self)
        self._game_exact.setObjectName("exportGameExactCsv")
        self._game_exact.setToolTip("By default a cell starting with =, +, -, @, TAB or CR gets a leading ' so a "
                                    "spreadsheet shows it as text (OWASP CSV injection). Tick only to compare "
                                    "files byte for byte with the game's own export.")
        self._game_exact.toggled.connect(self._update_preview)
        self.game_exact_csv = self._game_exact
        # what to do when a different file already has an artifact's name (shown only then)
        self.conflict_box = QGroupBox(self)
        self.conflict_box.setObjectName("exportConflicts")
        conflict_lay = QVBoxLayout(self.conflict_box)
        self.conflict_keep = QRadioButton("Keep the existing files (those artifacts are not written)", self.conflict_box)
        self.conflict_keep.setObjectName("exportConflictKeep")
        self.conflict_overwrite = QRadioButton("Overwrite them with this export", self.conflict_box)
        self.conflict_overwrite.setObjectName("exportConflictOverwrite")
        self.conflict_new_name = QRadioButton("Write this export under a new name", self.conflict_box)
        self.conflict_new_name.setObjectName("exportConflictNewName")
        self.conflict_group = QButtonGroup(self)
        for b in (self.conflict_keep, self.conflict_overwrite, self.conflict_new_name):
            self.conflict_group.addButton(b)
            conflict_lay.addWidget(b)
            b.toggled.connect(self._update_preview)
        self.conflict_keep.setChecked(True)
        self.conflict_box.setVisible(False)
        self._planned: list = []

        # run controls
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.export_button = QPushButton("Export", self)
        self.export_button.setObjectName("exportRun")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton("Cancel export", self)
        self.cancel_button.setObjectName("exportCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_export)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        run_row = QHBoxLayout()
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.export_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(close)

        # results
        self.status = StatusLine("exportStatus", self)
        self.result_model = ArtifactResultModel(self)
        self.result_view = QTreeView(self)
        self.result_view.setObjectName("exportResults")
        self.result_view.setRootIsDecorated(False)
        self.result_view.setAlternatingRowColors(True)
        self.result_view.setUniformRowHeights(True)
        self.result_view.setWordWrap(False)
        self.result_view.setModel(self.result_model)
        # one line a row: a long path or reason keeps its start and its end (the file name),
        # the whole text is the tooltip, and "Path / reason" takes all the width the rest leave
        self.result_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.result_view.header().setStretchLastSection(True)
        self.result_view.header().setMinimumSectionSize(60)
        self.result_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.result_view.customContextMenuRequested.connect(self._result_menu)
        self.result_view.doubleClicked.connect(lambda index: self._open_file(self.result_model.row_at(index.row())))
        copy_row = QAction("Copy Path", self.result_view)
        copy_row.setShortcut(QKeySequence.StandardKey.Copy)
        copy_row.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy_row.triggered.connect(lambda: self._copy_row_text(self._current_result_row()))
        self.result_view.addAction(copy_row)
        self.open_folder = QPushButton("Open folder", self)
        self.open_folder.setObjectName("exportOpenFolder")
        self.open_folder.clicked.connect(self._open_folder)
        self.copy_paths = QPushButton("Copy paths", self)
        self.copy_paths.setObjectName("exportCopyPaths")
        self.copy_paths.clicked.connect(self._copy_paths)
        for b in (self.open_folder, self.copy_paths):
            b.setEnabled(False)
        res_buttons = QHBoxLayout()
        res_buttons.addWidget(self.status, 1)
        res_buttons.addWidget(self.open_folder)
        res_buttons.addWidget(self.copy_paths)

        top = QWidget(self)
        top_lay = QVBoxLayout(top)
        top_lay.setContentsMargins(0, 0, 0, 0)
        top_lay.addWidget(self.source_label)
        top_lay.addLayout(form)
        top_lay.addWidget(fmt_box)
        top_lay.addWidget(self.publish)
        pub_row = QHBoxLayout()
        pub_row.setContentsMargins(24, 0, 0, 0)
        pub_row.addWidget(self.dry_run)
        pub_row.addWidget(self.publish_command, 1)
        top_lay.addLayout(pub_row)
        top_lay.addWidget(self._game_exact)
        top_lay.addWidget(QLabel("Each file, and what Export will do with it:", self))
        top_lay.addWidget(self.preview)
        top_lay.addWidget(self.conflict_box)
        top_lay.addLayout(run_row)
        bottom = QWidget(self)
        bot_lay = QVBoxLayout(bottom)
        bot_lay.setContentsMargins(0, 0, 0, 0)
        bot_lay.addLayout(res_buttons)
        bot_lay.addWidget(self.result_view, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(1, 1)
        self._split, self._top = split, top
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self._load_settings()

    # ------------------------------------------------------------------ source & options
    def set_source(self, kind: str, value: Any, label: str, path: Any = None) -> None:
        """``kind`` is "payload" (a SlotEntry) or "summary" (an inspector summary dict); ``path``
        is the file it was read from, which the export never writes over."""
        self._source = (kind, value, label)
        self._input_path = path
        self._summary_cache = None
        if kind == "payload":
            self.source_label.setText(
                f"<b>Source:</b> slot <b>{label}</b> — the inspector summary is rebuilt from the save; the "
                "transcript is the one the Tutorial Timeline reconstructs from the save's tutorial state "
                "(spatial hash and control bindings are live-only and stay empty).")
        else:
            self.source_label.setText(f"<b>Source:</b> inspector summary <b>{label}</b>.")
        self.prefix.setText(default_prefix(label))
        self._update_preview()

    def options(self) -> dict:
        return {
            "out_dir": self.out_dir.text().strip(),
            "prefix": self.prefix.text().strip() or "save-inspector",
            "formats": [k for k, cb in self.format_boxes.items() if cb.isChecked()],
            "publish": self.publish.isChecked(),
            "dry_run": self.dry_run.isChecked(),
            "publish_command": self.publish_command.text().strip(),
            "game_exact_csv": self._game_exact.isChecked(),
            "on_conflict": ("overwrite" if self.conflict_overwrite.isChecked() else
                            "new-name" if self.conflict_new_name.isChecked() else "keep"),
        }

    def _summary(self) -> dict | None:
        """The summary to export, rebuilt once per source (not on every keystroke of the prefix).
        Blocking: for callers off the GUI paths (tests, scripts); the dialog itself gets the
        summary from the preview worker."""
        if self._source is None:
            return None
        if self._summary_cache is None:
            self._summary_cache = _summary_of(self._source)
        return self._summary_cache

    def _summary_source(self):
        """The summary, or a callable that rebuilds it (run in the worker)."""
        if self._summary_cache is not None:
            return self._summary_cache
        source = self._source
        return lambda: _summary_of(source)

    def preview_pending(self) -> bool:
        """True while the preview for the current options is being computed in the worker."""
        return self._preview_task is not None

    def _update_preview(self) -> None:
        """Recompute the preview in the worker (building artifacts, reading the folder and
        rebuilding a save's summary never run on the GUI thread); a newer request cancels an
        older one, and a stale result is dropped."""
        opts = self.options()
        self.dry_run.setEnabled(opts["publish"])
        self.publish_command.setEnabled(opts["publish"])
        self._preview_generation += 1
        generation = self._preview_generation
        if self._preview_task is not None:
            self._preview_task.cancel()
            self._preview_task = None
        if self._source is None:                 # (also while the dialog is being built)
            self.preview.setPlainText("(nothing selected)")
            self.sigPreviewReady.emit()
            return
        if not opts["formats"]:
            self.conflict_box.setVisible(False)
            self.preview.setPlainText("(choose at least one artifact)")
            self.export_button.setEnabled(False)
            self.sigPreviewReady.emit()
            return
        self.export_button.setEnabled(self._task is None)
        self.preview.setPlainText("Preparing the preview…")
        summary, source = self._summary_source(), self._source

        def work(progress, cancelled):
            return export_pipeline.preview_export(
                summary, out_dir=opts["out_dir"] or ".", prefix=opts["prefix"], formats=opts["formats"],
                game_exact_csv=opts["game_exact_csv"], on_conflict=opts["on_conflict"],
                progress=progress, cancelled=cancelled)

        task = BackgroundTask(work, name="export-preview")
        task.sigProgress.connect(lambda done, total, text: self._on_preview_progress(generation, text))
        task.sigFinished.connect(lambda result: self._show_preview(generation, source, opts, result))
        task.sigFailed.connect(lambda exc: self._show_preview_error(generation, exc))
        task.sigDone.connect(lambda: self._on_preview_done(generation))
        self._preview_task = task
        task.start(priority=Priority.USER)

    def _fit_results(self) -> None:
        """Give the result pane room for its rows (up to eight) when the export ends, taken from
        the options pane down to its minimum: the result is what the user looks at now."""
        sizes = self._split.sizes()
        if len(sizes) != 2 or sum(sizes) <= 0:
            return
        rows = min(max(self.result_model.rowCount(), 1), 8)
        view = self.result_view
        row_height = view.sizeHintForRow(0) if self.result_model.rowCount() else view.fontMetrics().height() + 4
        need = (self.status.sizeHint().height() + view.header().sizeHint().height() + rows * row_height
                + 2 * view.frameWidth() + 16)
        if sizes[1] < need:
            top = max(self._top.minimumSizeHint().height(), sum(sizes) - need)
            self._split.setSizes([top, sum(sizes) - top])

    def _fit_top(self) -> None:
        """Give the options pane at least its minimum height when the conflict choice appears
        (the splitter keeps its old sizes and would squeeze the artifact check boxes)."""
        sizes = self._split.sizes()
        need = self._top.minimumSizeHint().height()
        if len(sizes) == 2 and sum(sizes) > 0 and sizes[0] < need:
            self._split.setSizes([need, max(0, sum(sizes) - need)])

    def _on_preview_progress(self, generation: int, text: str) -> None:
        if generation == self._preview_generation and text:
            self.preview.setPlainText(f"Preparing the preview… ({text})")

    def _on_preview_done(self, generation: int) -> None:
        if generation == self._preview_generation:
            self._preview_task = None
            self.sigPreviewReady.emit()

    def _show_preview_error(self, generation: int, exc: BaseException) -> None:
        if generation == self._preview_generation:
            self.conflict_box.setVisible(False)
            self.preview.setPlainText(f"Cannot preview: {exc}")

    def _show_preview(self, generation: int, source, opts: dict, preview) -> None:
        if generation != self._preview_generation:
            return                                   # options changed meanwhile: a newer one is coming
        if source is self._source and self._summary_cache is None:
            self._summary_cache = preview.summary
        planned = preview.planned
        self._planned = planned
        self.conflict_box.setVisible(bool(preview.differs))
        self._fit_top()
        if preview.differs:
            self.conflict_box.setTitle(f"{preview.differs} file(s) with these names already exist with different "
                                       f"contents:")
            self.conflict_new_name.setText(f"Write this export under a new name (prefix “{preview.free_prefix}”)")
        folder = opts["out_dir"] or "<output folder>"
        lines = []
        for p in planned:
            state = p.state if opts["out_dir"] else "new"
            if state == "differs" and opts["on_conflict"] == "overwrite":
                lines.append(f"overwrite  {Path(folder) / p.filename}")
            else:
                lines.append(f"{STATE_MARKS[state]}{Path(folder) / p.filename}{STATE_NOTES.get(state, '')}")
        if opts["publish"]:
            lines.append("manifest   " + str(Path(folder) / "ci-artifacts.json")
                         + ("   (dry run: upload commands recorded, not run)" if opts["dry_run"] else ""))
        if source[0] == "payload" and any(k.startswith("transcript") for k in opts["formats"]):
            n = len(((preview.summary or {}).get("tutorial") or {}).get("transcript") or [])
            lines.append(f"(transcript: {n} entries reconstructed from the save's tutorial state"
                         + ("; the save has no tutorial progress, so the transcript files hold only their header)"
                            if not n else ")"))
        self.preview.setPlainText("\n".join(lines) if planned else "(choose at least one artifact)")

    def plan(self, opts: dict | None = None) -> list:
        """What the export would write and what is at each path now (``PlannedArtifact`` s).
        Blocking (builds the artifacts here): the dialog's own preview runs in the worker."""
        opts = opts or self.options()
        summary = self._summary()
        if summary is None or not opts["formats"]:
            return []
        _, planned = export_pipeline.plan_export(summary, out_dir=opts["out_dir"] or ".", prefix=opts["prefix"],
                                                 formats=opts["formats"], game_exact_csv=opts["game_exact_csv"])
        return planned

    def _browse(self) -> None:
        dlg = filedialogs.folder_dialog(self, "Choose the output folder", "exportFolderDialog", self.out_dir.text())
        if dlg.exec() and dlg.selectedFiles():
            self.out_dir.setText(dlg.selectedFiles()[0])

    def _load_settings(self) -> None:
        s = app_settings()
        self.out_dir.setText(str(s.value("export/outDir", "") or ""))
        chosen = read_list(s, "export/formats") or ["json", "csv"]
        for key, cb in self.format_boxes.items():
            cb.setChecked(key in chosen)
        self.publish.setChecked(read_bool(s, "export/publish"))

    def _save_settings(self) -> None:
        s = app_settings()
        opts = self.options()
        s.setValue("export/outDir", opts["out_dir"])
        s.setValue("export/formats", opts["formats"])
        s.setValue("export/publish", "true" if opts["publish"] else "false")
        s.sync()

    # ------------------------------------------------------------------ running
    @staticmethod
    def _publish_options(opts: dict):
        """None (no publishing) or the pipeline's PublishOptions; a bad command raises ValueError."""
        if not opts["publish"]:
            return None
        commands = []
        if opts["publish_command"]:
            try:
                spec = orjson.loads(opts["publish_command"])
            except orjson.JSONDecodeError as exc:
                raise ValueError(f"not valid JSON ({exc})") from None
            commands = [parse_command(spec)]
        return export_pipeline.PublishOptions(commands=commands, dry_run=opts["dry_run"])

    def is_running(self) -> bool:
        return self._task is not None

    def start_export(self) -> BackgroundTask | None:
        if self._task is not None:
            self._set_status("An export is already running; wait for it or cancel it.")
            return None
        opts = self.options()
        # refusals in the palette-aware red, with the keyboard focus on what needs fixing
        if not opts["out_dir"]:
            self._set_status("Choose an output folder first (type it or use Browse…).", error=True)
            self.out_dir.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        if not opts["formats"]:
            self._set_status("Choose at least one artifact.", error=True)
            return None
        if self._source is None:
            self._set_status("Nothing to export.", error=True)
            return None
        try:
            publish = self._publish_options(opts)
        except ValueError as exc:
            self._set_status(f"Upload command: {exc}", error=True)
            self.publish_command.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        summary_source = self._summary_source()
        overwrite = opts["on_conflict"] == "overwrite"
        protected = [self._input_path] if self._input_path else []
        self._save_settings()
        self._export_id = next(_export_ids)
        export_id = self._export_id
        emit = self.sigEvent.emit

        def work(progress, cancelled):
            # everything that reads files or builds artifacts runs here, off the GUI thread
            summary = summary_source() if callable(summary_source) else summary_source
            prefix = opts["prefix"]
            if opts["on_conflict"] == "new-name":
                aset, planned = export_pipeline.plan_export(summary, out_dir=opts["out_dir"], prefix=prefix,
                                                            formats=opts["formats"],
                                                            game_exact_csv=opts["game_exact_csv"])
                if any(p.state == "differs" for p in planned):
                    prefix = export_pipeline.free_prefix(summary, out_dir=opts["out_dir"], prefix=prefix,
                                                         artifact_set=aset, cancelled=cancelled)
            result = export_pipeline.run_export(
                summary,
                out_dir=opts["out_dir"],
                prefix=prefix,
                formats=opts["formats"],
                publish=publish,
                on_event=lambda name, payload: emit(export_id, name, payload),
                cancelled=cancelled,
                progress=progress,
                overwrite=overwrite,
                unchanged_ok=True,
                game_exact_csv=opts["game_exact_csv"],
                protected=protected,
            )
            if result.cancelled:
                if not overwrite:         # only files this export created; a replaced file is not ours to remove
                    _roll_back(result)
                raise TaskCancelled()
            _append_history(result, opts)
            return result

        task = BackgroundTask(work, name="export")
        task.sigProgress.connect(self._on_progress)
        task.sigFinished.connect(self._on_finished)
        task.sigFailed.connect(self._on_failed)
        task.sigCancelled.connect(self._on_cancelled)
        task.sigDone.connect(self._on_done)
        self._task = task
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("%p%")              # not the last export's "Done…" while this one runs
        self._set_status(f"Export #{export_id} running…")
        task.start()
        return task

    def finish_before_exit(self, timeout_s: float = 15.0) -> None:
        """The app is closing: let a running export finish its (fast, atomic) writes rather
        than leave the user wondering what was written; then drop our receivers."""
        task = self._task
        if task is not None:
            task.wait(timeout_s)
            task.detach()
            self._task = None
        if self._preview_task is not None:
            self._preview_task.detach()
            self._preview_task = None

    def cancel_export(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._set_status("Cancelling…")

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if text:
            self.progress.setFormat(text)

    def _rows_of(self, result) -> list[dict]:
        return [a if isinstance(a, dict) else a.to_dict() for a in result.artifacts]

    def _on_finished(self, result) -> None:
        self._last_result = result
        rows = self._rows_of(result)
        self.result_model.error_brush = QBrush(error_colour(self))
        self.result_model.folder = getattr(result, "out_dir", "") or ""
        self.result_model.set_rows(rows)
        self._fit_result_columns()
        self._fit_results()
        status = getattr(result, "status", "ok")
        succeeded = status in ("ok", "unchanged")
        text = f"Export #{self._export_id}: " + (result.status_text() if hasattr(result, "status_text") else status)
        failed = [r for r in rows if r.get("status") == "failed"]
        if failed:
            text += f" First: {failed[0].get('filename')}: {self.result_model.short_reason(failed[0])}"
        if getattr(result, "history_error", None):
            text += f" — {result.history_error}"
        budget = getattr(result, "budget_status", None)
        if isinstance(budget, dict) and budget.get("status") == "exceeds_budget":
            text += f" — spatial-hash payload over budget by {budget.get('exceededBy')} B"
        publish = getattr(result, "publish", None)
        if publish is not None:
            n = len(publish.command_results)
            verb = "recorded (dry run)" if publish.dry_run else "run"
            text += (f" — manifest {Path(publish.metadata_path).name} written, {n} upload command(s) {verb}")
            if publish.failed:
                succeeded = False
                text += " — publishing failed"
        elif getattr(result, "publish_skipped", None):
            text += f" — {result.publish_skipped}"
        self._set_status(text, error=not succeeded)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if succeeded else 0)      # a failed export never shows a full "Done" bar
        self.progress.setFormat({"ok": "Done", "unchanged": "Done — already exported, unchanged",
                                 "partial": "Partly failed", "nothing-written": "Failed — nothing written",
                                 "cancelled": "Cancelled"}.get(status, status) if succeeded or status != "ok"
                                else "Publishing failed")
        in_place = [r for r in rows if r.get("status") in ("written", "unchanged")]
        for b in (self.open_folder, self.copy_paths):
            b.setEnabled(bool(in_place))
        self.sigExportFinished.emit(result)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        """The status line (ui/widgets/status_line): muted, or the app's one error colour."""
        self.status.set_status(text, error=error)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.result_model.error_brush = QBrush(error_colour(self))
        super().changeEvent(event)

    def _on_failed(self, exc) -> None:
        self._set_status(f"Export failed: {exc}", error=True)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Failed")
        self.sigExportFailed.emit(exc)

    def _on_cancelled(self) -> None:
        self._set_status("Export cancelled; no partial files were left behind.")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Cancelled")

    def _on_done(self) -> None:
        self._task = None
        self.cancel_button.setEnabled(False)
        self._update_preview()

    def _forward_event(self, export_id: int, name: str, payload: object) -> None:
        if self._events_panel is not None:
            self._events_panel.add_event(export_id, name, payload)

    def written_paths(self) -> list[str]:
        """Paths of the files the last export put in place (written now, or already there unchanged)."""
        return [r["path"] for r in self.result_model.rows()
                if r.get("status") in ("written", "unchanged") and r.get("path")]

    def _open_folder(self) -> None:
        folder = getattr(self._last_result, "out_dir", "") or self.out_dir.text()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # the result table's row actions (context menu, double-click, Ctrl+C)
    def _fit_result_columns(self) -> None:
        """Every column but the last as wide as its content (a few rows), the artifact name at
        most a third of the table; the last column stretches over the rest."""
        view = self.result_view
        for col in range(ArtifactResultModel.PATH_COLUMN):
            view.resizeColumnToContents(col)
        view.setColumnWidth(0, min(view.columnWidth(0), max(160, view.viewport().width() // 3)))

    def _current_result_row(self) -> dict | None:
        index = self.result_view.currentIndex()
        return self.result_model.row_at(index.row()) if index.isValid() else None

    def _copy_row_text(self, row: dict | None) -> None:
        """The row's path (a file in place) or its full reason (one that was not written)."""
        if row is not None:
            in_place = ArtifactResultModel.in_place(row)
            QGuiApplication.clipboard().setText(str(row.get("path") if in_place else row.get("reason") or ""))

    def _open_file(self, row: dict | None) -> None:
        if row is not None and ArtifactResultModel.in_place(row) and row.get("path"):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(row["path"])))

    def result_menu(self, row: dict | None) -> QMenu:
        """The result table's context menu for one row (None: below the rows)."""
        menu = QMenu(self)
        menu.setObjectName("exportResultMenu")
        in_place = row is not None and ArtifactResultModel.in_place(row)
        if row is not None:
            copy = menu.addAction("Copy Path" if in_place else "Copy Reason")
            copy.triggered.connect(lambda: self._copy_row_text(row))
            if in_place:
                menu.addAction("Open File", lambda: self._open_file(row))
        menu.addSeparator()
        menu.addAction("Copy All Paths", self._copy_paths).setEnabled(self.copy_paths.isEnabled())
        menu.addAction("Open Folder", self._open_folder).setEnabled(self.open_folder.isEnabled())
        return menu

    def _result_menu(self, pos) -> None:
        index = self.result_view.indexAt(pos)
        menu = self.result_menu(self.result_model.row_at(index.row()) if index.isValid() else None)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.result_view.viewport().mapToGlobal(pos))

    def _copy_paths(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(self.written_paths()))

    def closeEvent(self, event) -> None:  # noqa: N802
        # closing the dialog does not cancel a running export; the result stays visible on reopen
        if self._preview_task is not None:      # a preview nobody sees: stop it (reopening recomputes it)
            self._preview_task.cancel()
        super().closeEvent(event)


def _roll_back(result) -> None:
    """A cancelled export leaves nothing behind: remove the artifacts it had already written.
    They were all created by this export (the writer never overwrites), so nothing else is lost."""
    for path in result.written_paths:
        try:
            Path(path).unlink()
        except FileNotFoundError:
            pass


def _append_history(result, opts: dict) -> None:
    """Append the adapter metrics of an export to the local metric history. A failure to record
    history never fails the export itself: it is logged and noted on the result."""
    try:
        append_export_metrics(result.metrics, context={**result.context, "origin": "gui"})
    except OSError as exc:
        result.history_error = f"could not append to the metric history: {exc}"
