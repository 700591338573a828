""""Export subtree…" and "Export results…": ask for a file name (non-native dialog), then build
and write the artifact in a worker through the shared adapter and atomic writer."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from inspector_app.ui import filedialogs
from inspector_app.ui.settings import app_settings
from inspector_app.ui.workers import BackgroundTask

if TYPE_CHECKING:  # the export core is imported on the first export, not at start-up
    from inspector_app.core.export.artifacts import Artifact

BuildFn = Callable[[str, str, Callable[[], bool]], "Artifact"]   # (fmt, filename, cancelled) -> artifact


def ask_save_path(parent: QWidget, title: str, default_name: str) -> str | None:
    dlg = QFileDialog(parent, title)
    dlg.setObjectName("selectionExportDialog")
    filedialogs.apply_policy(dlg)
    # the writer never overwrites; a "replace?" question would promise what it won't do
    dlg.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setNameFilters(["JSON (*.json)", "CSV (*.csv)"])
    start = str(app_settings().value("export/selectionDir", "") or "")
    if start and Path(start).is_dir():
        dlg.setDirectory(start)
    dlg.selectFile(default_name)
    if not dlg.exec() or not dlg.selectedFiles():
        return None
    path = dlg.selectedFiles()[0]
    if not path.lower().endswith((".json", ".csv")):
        path += ".csv" if "CSV" in dlg.selectedNameFilter() else ".json"
    return path


class SelectionExporter(QObject):
    """Runs one selection export at a time and reports a sentence for the owner's status line."""

    sigFinished = Signal(bool, str)   # ok, message

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._task: BackgroundTask | None = None

    def export_to(self, path: str, build: BuildFn) -> BackgroundTask | None:
        if self._task is not None:
            self.sigFinished.emit(False, "An export is already running.")
            return None
        from inspector_app.core.export.selection import format_for, write_selection

        target = Path(path)
        app_settings().setValue("export/selectionDir", str(target.parent))
        fmt = format_for(target)

        def work(_progress, cancelled):
            artifact = build(fmt, target.name, cancelled)
            return write_selection(artifact, target.parent, cancelled=cancelled)

        task = BackgroundTask(work, name="selection export")
        task.sigFinished.connect(self._finished)
        task.sigFailed.connect(lambda exc: self.sigFinished.emit(False, f"Export failed: {exc}"))
        task.sigCancelled.connect(lambda: self.sigFinished.emit(False, "Export cancelled."))
        task.sigDone.connect(self._done)
        self._task = task
        return task.start()

    def _finished(self, metrics) -> None:
        write = metrics.writes[0] if metrics.writes else None
        if write is not None and write.status == "written":
            self.sigFinished.emit(True, f"Exported {write.size:,} B to {write.location}")
        else:
            self.sigFinished.emit(False, f"Not exported: {write.reason if write else 'nothing was written'}")

    def _done(self) -> None:
        self._task = None

    def is_running(self) -> bool:
        return self._task is not None

    def shutdown(self) -> None:
        if self._task is not None:
            self._task.wait(10)
            self._task.detach()
            self._task = None
