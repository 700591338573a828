"""The world state a selected prompt snapshot carries (lazy JSON tree) and what changed since
the previous snapshot of the same run (added / removed / changed paths)."""
from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QSplitter, QTextEdit, QTreeView, QVBoxLayout, QWidget
from PySide6.QtCore import Qt

from inspector_app.core.common.jsfmt import iso_from_ms
from inspector_app.core.transcript.model import Transcript
from inspector_app.core.transcript.snapshot_diff import Change, structural_diff, world_state
from inspector_app.ui.models.json_tree_model import JsonTreeModel

_OP_COLOUR = {"added": "#15803d", "removed": "#b91c1c", "changed": "#b45309"}


class SnapshotView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.header = QLabel("Select a prompt snapshot (pink diamonds) to see the world state it carries.")
        self.header.setWordWrap(True)
        self.header.setObjectName("snapshotHeader")
        self.model = JsonTreeModel()
        self.tree = QTreeView()
        self.tree.setObjectName("snapshotTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.diff = QTextEdit()
        self.diff.setObjectName("snapshotDiff")
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.diff)
        split.setSizes([260, 140])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.header)
        lay.addWidget(split, 1)
        self.changes: list[Change] = []

    def clear(self) -> None:
        self.model.clear()
        self.diff.clear()
        self.changes = []
        self.header.setText("Select a prompt snapshot (pink diamonds) to see the world state it carries.")

    def show_snapshot(self, transcript: Transcript, index: int) -> None:
        e = transcript.entries[index]
        state = world_state(e.snapshot)
        self.model.set_root(state, "snapshot")
        for row in range(self.model.rowCount()):       # open the top level only (never expandAll)
            self.tree.expand(self.model.index(row, 0))
        self.tree.resizeColumnToContents(0)
        prev = transcript.previous_snapshot(index)
        title = f"<b>{html.escape(e.event)}</b> · {html.escape(e.display_title or '—')} at {iso_from_ms(e.timestamp) or '?'}"
        if prev is None:
            self.changes = []
            self.header.setText(title + " — first snapshot of this run; nothing to compare with.")
            self.diff.setHtml("<i>No previous snapshot in this run.</i>")
            return
        p = transcript.entries[prev]
        self.changes = structural_diff(world_state(p.snapshot), state)
        counts = {op: sum(c.op == op for c in self.changes) for op in ("added", "removed", "changed")}
        self.header.setText(f"{title} — since {html.escape(p.event)} at {iso_from_ms(p.timestamp) or '?'}: "
                            f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed")
        lines = [f"<span style='color:{_OP_COLOUR[c.op]}'>{html.escape(c.describe(90))}</span>" for c in self.changes]
        self.diff.setHtml("<pre style='font-size:9pt'>" + ("<br>".join(lines) or "<i>no change</i>") + "</pre>")
