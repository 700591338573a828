"""Export the playtest report by button: the GUI face of the core's ``write_report`` — the
function behind ``inspector-playtest --out`` — with the PNG charts of the shared renderer
(``inspector_app/render/playtest_charts.render_charts``). Files are written atomically and an
existing file is never replaced unless "Replace existing files" is ticked. The work runs in a
:class:`BackgroundTask`; one export at a time.
"""
from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from inspector_app.core.common.textsafe import visible
from inspector_app.ui import filedialogs, theme
from inspector_app.ui.settings import app_settings
from inspector_app.ui.workers import BackgroundTask, Priority

FORMATS = (("md", "Markdown report"), ("csv", "CSV tables (funnel, quests, factions, players)"),
           ("png", "PNG charts"), ("json", "JSON report"))
FOLDER_KEY = "playtest/exportFolder"


def _export(report, folder: str, formats: tuple[str, ...], overwrite: bool, protected: tuple[str, ...],
            progress, cancelled):
    """The worker's job: the shared chart renderer (light colours: a report is read on paper and in
    documents), then the core's writer — the CLI's — atomic, never replacing a file silently."""
    from inspector_app.core.playtest.artifacts import write_report

    charts = None
    if "png" in formats:
        progress(0, 2, "Drawing the charts…")
        from inspector_app.render.playtest_charts import render_charts

        light = theme.build_palette(dark=False)
        charts = render_charts(report, palette=light, value_colors=theme.value_colors(light))
    progress(1, 2, "Writing…")
    return write_report(report, folder, formats=formats, overwrite=overwrite, charts=charts, manifest=False,
                        protected=protected, cancelled=cancelled)


def describe_result(result) -> tuple[str, bool]:
    """(HTML, success) of the pipeline's ExportResult: its one-line status and every file."""
    lines = [escape(result.status_text())]
    for a in result.artifacts:
        what = {"written": "written", "unchanged": "already there, identical", "failed": "not written",
                "skipped": "skipped"}.get(a.status, a.status)
        reason = f" — {escape(visible(a.reason))}" if a.reason and a.status != "unchanged" else ""
        lines.append(f"{escape(what)}: {escape(visible(a.path or a.filename))}{reason}")
    return "<br>".join(lines), result.succeeded


class PlaytestExportDialog(QDialog):
    sigExportFinished = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("playtestExportDialog")
        self.setWindowTitle("Export Playtest Report")
        self._report = None
        self._protected: tuple[str, ...] = ()
        self._task: BackgroundTask | None = None
        self.result = None

        self.folder_edit = QLineEdit(str(app_settings().value(FOLDER_KEY, "") or ""), self)
        self.folder_edit.setObjectName("playtestExportFolder")
        self.folder_edit.setPlaceholderText("Folder to write the report into")
        self.folder_edit.textChanged.connect(lambda _t: self._sync())
        browse = QPushButton("Choose…", self)
        browse.setObjectName("playtestExportBrowse")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        self.format_boxes: dict[str, QCheckBox] = {}
        formats = QVBoxLayout()
        for key, text in FORMATS:
            box = QCheckBox(text, self)
            box.setObjectName(f"playtestExport_{key}")
            box.setChecked(True)
            box.toggled.connect(lambda _c: self._sync())
            self.format_boxes[key] = box
            formats.addWidget(box)
        self.overwrite_box = QCheckBox("Replace existing files", self)
        self.overwrite_box.setObjectName("playtestExportOverwrite")
        self.overwrite_box.setToolTip("Off: a file that is already there is left alone and reported")
        form = QFormLayout()
        form.addRow("Folder:", row)
        form.addRow("Write:", formats)
        form.addRow("", self.overwrite_box)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("playtestExportResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("playtestExportRun")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.result_label, 1)
        lay.addWidget(self.buttons)
        self.resize(560, 320)
        self._sync()

    def set_report(self, report, sources: Sequence[str] = ()) -> None:
        self._report = report
        self._protected = tuple(p.path for p in getattr(report, "players", ()) if p.kind == "file")
        if not self.folder_edit.text() and sources:
            self.folder_edit.setText(str(Path(sources[0]).parent / f"{Path(sources[0]).name}-report"))
        self._sync()

    def formats(self) -> tuple[str, ...]:
        return tuple(k for k, box in self.format_boxes.items() if box.isChecked())

    def _sync(self) -> None:
        self.export_button.setEnabled(self._report is not None and self._task is None and bool(self.formats())
                                      and bool(self.folder_edit.text().strip()))

    def _browse(self) -> None:
        dialog = filedialogs.folder_dialog(self, "Export the playtest report into", "playtestExportFolderDialog",
                                           self.folder_edit.text().strip())
        dialog.fileSelected.connect(self.folder_edit.setText)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def export(self) -> BackgroundTask | None:
        folder = self.folder_edit.text().strip()
        if self._report is None or not folder or self._task is not None:
            return None
        app_settings().setValue(FOLDER_KEY, folder)
        task = BackgroundTask(partial(_export, self._report, folder, self.formats(), self.overwrite_box.isChecked(),
                                      self._protected), name="playtest export")
        task.sigProgress.connect(lambda _d, _t, text: self.result_label.setText(escape(text)))
        task.sigFinished.connect(self._on_finished)
        task.sigFailed.connect(self._on_failed)
        task.sigDone.connect(self._on_done)
        self._task = task
        self._sync()
        task.start(priority=Priority.NORMAL)
        return task

    def _on_finished(self, result) -> None:
        self.result = result
        self._show_result()
        self.sigExportFinished.emit(result)

    def _on_failed(self, exc: object) -> None:
        self.result = exc
        self._show_result()
        self.sigExportFinished.emit(exc)

    def _show_result(self) -> None:
        """The last outcome, in the palette's value colours (again after a theme switch)."""
        colours = theme.value_colors(self.palette())
        if self.result is None:
            return
        if isinstance(self.result, BaseException):
            text = f"Export failed: {escape(str(self.result))}"
            colour = colours["bad"]
        else:
            text, ok = describe_result(self.result)
            if not ok and not self.overwrite_box.isChecked():
                text += "<br>Files already there were left alone — tick “Replace existing files” to replace them."
            colour = colours["good" if ok else "warning"]
        self.result_label.setText(f"<span style='color:{colour.name()}'>{text}</span>")

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "result_label"):
            self._show_result()

    def _on_done(self) -> None:
        self._task = None
        self._sync()
