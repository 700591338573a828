"""The Problems dock: every finding of every open document, located and readable."""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QFrame, QHeaderView, QLabel, QScrollArea, QSplitter, QTreeView, QVBoxLayout, QWidget

from inspector_app.core.loading.document import Problem, SaveDocument, Severity
from inspector_app.core.session import ProblemCounts
from inspector_app.ui import theme
from inspector_app.ui.models.row_table import RowTableModel

_SEVERITY_VALUE = {Severity.ERROR: "bad", Severity.WARNING: "warning", Severity.NOTICE: "info"}
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class ProblemTableModel(RowTableModel[Problem]):
    COLUMNS = ("Severity", "File", "Slot", "Location", "Message")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._names: dict[str, str] = {}

    def set_problems(self, problems: list[Problem], documents: list[SaveDocument] | None = None) -> None:
        """``documents``: the open documents, so a problem of a browser origin's storage is listed
        under what the window calls it ("Firefox · default-esr · http://…"), not its folder ("ls")."""
        self._names = {str(d.path): d.source for d in documents or () if d.source}
        self.set_rows(sorted(problems, key=lambda p: _SEVERITY_RANK.get(p.severity, 3)))

    def file_label(self, p: Problem) -> str:
        file = p.file or ""
        return self._names.get(file) or file.replace("\\", "/").rsplit("/", 1)[-1]

    def problems(self) -> list[Problem]:
        return self.rows()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        p = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole:
                return p.describe()
            return [p.severity.value, self.file_label(p), p.slot or "", p.location or "", p.message][col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return QBrush(theme.value_colors()[_SEVERITY_VALUE.get(p.severity, "neutral")])
        if role == Qt.ItemDataRole.UserRole:
            return p
        if role == SORT_ROLE:
            return _SEVERITY_RANK.get(p.severity, 3) if col == 0 else self.data(index).lower()
        return None


class ProblemsPanel(QWidget):
    """Lists problems; activating one asks the window to select its slot."""

    sigProblemActivated = Signal(object)  # Problem

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.model = ProblemTableModel(self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self.model)
        self._proxy.setSortRole(SORT_ROLE)
        self.view = QTreeView(self)
        self.view.setObjectName("problemsView")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.setModel(self._proxy)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # errors first
        self.view.header().setStretchLastSection(True)
        self.view.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((70, 200, 140, 220)):
            self.view.setColumnWidth(col, width)
        self.view.activated.connect(self._on_activated)
        self.view.clicked.connect(self._on_activated)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)
        self._summary = QLabel("No problems.", self)
        self._summary.setObjectName("problemsSummary")
        # the whole message of the selected problem, wrapped: a table cell cuts long ones
        self.details = QLabel(self)
        self.details.setObjectName("problemDetails")
        self.details.setAccessibleName("Problem details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setContentsMargins(4, 2, 4, 2)
        details_scroll = QScrollArea(self)  # a long message scrolls instead of being cut
        details_scroll.setObjectName("problemDetailsScroll")
        details_scroll.setWidgetResizable(True)
        details_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        details_scroll.setWidget(self.details)
        details_scroll.setMinimumWidth(220)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.view)
        split.addWidget(details_scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        split.setSizes([700, 340])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self._summary)
        lay.addWidget(split, 1)

    def set_problems(self, problems: list[Problem], documents: list[SaveDocument] | None = None) -> None:
        """Show ``problems``; the header counts exactly what the table lists."""
        self.model.set_problems(problems, documents)
        self._summary.setText(ProblemCounts.of(self.model.problems()).describe())
        self.details.setText("Select a problem to read all of it." if problems else "")

    def set_documents(self, documents: list[SaveDocument]) -> None:
        self.set_problems([p for d in documents for p in d.all_problems], documents)

    def summary_text(self) -> str:
        return self._summary.text()

    def _show_details(self, index, _previous=None) -> None:
        p = self._proxy.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None
        self.details.setText(p.describe() if isinstance(p, Problem) else "")

    def _on_activated(self, index):
        p = self._proxy.data(index, Qt.ItemDataRole.UserRole)
        if isinstance(p, Problem):
            self.sigProblemActivated.emit(p)
