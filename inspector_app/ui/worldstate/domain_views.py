"""The world-state panel: one tab per domain (Overview, Factions, Tutorial, Districts, NPCs,
Quests, Story flags, Inventory, Dialogue & cases).

A thin Qt layer: ``inspector_app.core.worldstate.views.build_domain_views`` computes every
fact and row (a few ms even for the 158 KB late save, so it runs on the GUI thread); this
module lays them out — a facts grid, notes, sortable/filterable tables and, on the Overview,
a replica of the in-game Save Inspector overlay.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QTextBlockFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu, QScrollArea,
    QSizePolicy, QSplitter, QTableView, QTabWidget, QTextEdit, QVBoxLayout, QWidget,
)

from inspector_app.core.common import guiturn
from inspector_app.core.worldstate.table import DomainView, Fact, Table
from inspector_app.core.worldstate.views import DOMAIN_TABS, build_domain_views
from inspector_app.ui.workers import FOLLOW_UP_DELAY_MS, BackgroundTask, Priority

from .table_model import TONE_COLOURS, DomainSortProxy, DomainTableModel, tone_colours

#: tables up to this many rows show every row (the page scrolls, never the table as well);
#: bigger ones (a 5 MB inventory) show this many and scroll inside, with a filter box
MAX_VISIBLE_ROWS = 200
MAX_COLUMN_WIDTH = 340
FILTER_MIN_ROWS = 6
WIDTH_SAMPLE_ROWS = 60
EMPTY_PANEL_TEXT = "Open a save or an inspector summary to see its world state."


class FitTableView(QTableView):
    """A table exactly as tall as its rows (up to ``max_rows``) plus, when the columns are
    wider than the view, its horizontal scroll bar, so no row hides behind a scroll bar
    inside a scrolling page. Re-fits on resize, filtering and column resizing."""

    def __init__(self, max_rows: int = MAX_VISIBLE_ROWS, parent: QWidget | None = None):
        super().__init__(parent)
        self.max_rows = max_rows
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def setModel(self, model) -> None:  # noqa: N802 - Qt API
        super().setModel(model)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
            signal.connect(self.fit_height)
        self.horizontalHeader().sectionResized.connect(self.fit_height)
        self.fit_height()

    def visible_row_count(self) -> int:
        model = self.model()
        return min(model.rowCount(), self.max_rows) if model is not None else 0

    def fit_height(self, *_args) -> None:
        rows = self.visible_row_count()
        total_rows = self.model().rowCount() if self.model() is not None else 0
        row_height = self.verticalHeader().defaultSectionSize()
        height = self.horizontalHeader().sizeHint().height() + rows * row_height + 2 * self.frameWidth()
        scrolls_inside = total_rows > rows
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if scrolls_inside
                                        else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        columns_width = self.horizontalHeader().length()
        available = self.width() - 2 * self.frameWidth()
        if scrolls_inside:
            available -= self.verticalScrollBar().sizeHint().width()
        if columns_width > available:
            height += self.horizontalScrollBar().sizeHint().height()
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit_height()


class TableSection(QWidget):
    """Title, optional filter box, and a sortable table (or the table's empty-state text)."""

    def __init__(self, table: Table, now: float | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = table
        self.model = DomainTableModel(table, now, self)
        self.proxy = DomainSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view: QTableView | None = None
        self.filter_edit: QLineEdit | None = None
        self.parent_tab: DomainTab | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        header = QHBoxLayout()
        title = QLabel(f"<b>{table.title}</b>")
        title.setTextFormat(Qt.TextFormat.RichText)
        header.addWidget(title)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: palette(placeholder-text);")
        header.addWidget(self.count_label)
        header.addStretch(1)
        if len(table.rows) >= FILTER_MIN_ROWS:
            self.filter_edit = QLineEdit()
            self.filter_edit.setPlaceholderText("Filter…")
            self.filter_edit.setClearButtonEnabled(True)
            self.filter_edit.setMaximumWidth(220)
            self.filter_edit.textChanged.connect(self._apply_filter)
            header.addWidget(self.filter_edit)
        layout.addLayout(header)
        if table.caption:
            layout.addWidget(_note_label(table.caption))

        if not table.rows:
            empty = QLabel(table.empty_text)
            empty.setStyleSheet("color: palette(placeholder-text); font-style: italic; padding: 6px 2px;")
            layout.addWidget(empty)
        else:
            self.view = self._make_view()
            layout.addWidget(self.view)
        self._update_count()

    def _make_view(self) -> FitTableView:
        view = FitTableView()
        view.setModel(self.proxy)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
        header = view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # keep the core's row order until the user sorts
        view.setSortingEnabled(True)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns = self.model.table.columns
        header.setStretchLastSection(bool(columns) and columns[-1].kind == "text")
        for column, width in enumerate(self._column_widths(view)):
            view.setColumnWidth(column, width)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        view.fit_height()
        return view

    def _column_widths(self, view: QTableView) -> list[int]:
        """Widths from the displayed texts (sampled), never narrower than the header.

        Much cheaper than ``resizeColumnsToContents`` (which asks the model for every role of
        every cell): this keeps building all tabs of the late save well under 100 ms.
        """
        cell_metrics = view.fontMetrics()
        header_metrics = view.horizontalHeader().fontMetrics()
        rows = range(min(len(self.table.rows), WIDTH_SAMPLE_ROWS))
        widths = []
        for column, spec in enumerate(self.model.table.columns):
            header_width = header_metrics.horizontalAdvance(spec.header) + 24
            cell_width = max((cell_metrics.horizontalAdvance(self.model.display(r, column)) for r in rows), default=0) + 14
            widths.append(max(header_width, min(cell_width, MAX_COLUMN_WIDTH)))
        return widths

    def row_pins(self, proxy_row: int) -> list:
        """The followed values this table offers for one (proxy) row (``core/pins/natural.py``)."""
        from inspector_app.core.pins import natural_pins  # not at start-up

        source = self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row()
        if not 0 <= source < len(self.table.rows):
            return []
        tab = self.parent_tab.key if self.parent_tab is not None else ""
        return natural_pins(tab, table=self.table.key, row=self.table.rows[source])

    def _context_menu(self, view: QTableView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        pins = self.row_pins(index.row()) if index.isValid() else []
        if pins and self.parent_tab is not None:
            self.parent_tab.offer_pins(pins, view.viewport().mapToGlobal(pos))

    def _apply_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _update_count(self) -> None:
        total = len(self.table.rows)
        shown = self.proxy.rowCount()
        self.count_label.setText(f"({total} row{'s' if total != 1 else ''})" if shown == total
                                 else f"({shown} of {total} rows)")


def _note_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text); font-style: italic;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _ToneLabel(QLabel):
    """A value badge in its tone's colours; recoloured when the palette changes (light/dark)."""

    def __init__(self, text: str, tone: str):
        super().__init__(text)
        self.tone = tone
        self._restyle()

    def _restyle(self) -> None:
        background, foreground = tone_colours(self.tone)
        self.setStyleSheet(f"background: {background.name()}; color: {foreground.name()}; "
                           "border-radius: 3px; padding: 1px 6px;")

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._restyle()


def _fact_value_label(fact: Fact) -> QLabel:
    if fact.tone in TONE_COLOURS:
        value: QLabel = _ToneLabel(fact.value, fact.tone)
        value.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
    else:
        value = QLabel(fact.value)
    value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    value.setToolTip(fact.tooltip or fact.value)
    return value


class FactsBox(QFrame):
    """The facts grid: label/value pairs in ``columns`` pairs a row, one pair a row when the
    page is too narrow for them side by side (a narrow window or a wide overlay replica), so
    no value is cut off; it switches back when there is room again."""

    def __init__(self, pairs: list[tuple[QLabel, QLabel]], columns: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("facts")
        self.setStyleSheet("QFrame#facts { background: palette(alternate-base); border: 1px solid palette(midlight); "
                           "border-radius: 4px; }")
        self.pairs = pairs
        self.max_columns = columns
        self.columns = 0
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(10, 8, 10, 8)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.setMinimumWidth(self._width_for(1))   # below the layout's own minimum: we re-flow instead
        self.arrange(columns)

    def _width_for(self, columns: int) -> int:
        """The width ``columns`` pairs a row need (widest label + widest value per pair column)."""
        margins = self.grid.contentsMargins()
        total = margins.left() + margins.right() + 2 * self.frameWidth()
        rows = [self.pairs[i::columns] for i in range(columns)]
        for column in rows:
            if column:
                total += (max(label.sizeHint().width() for label, _ in column)
                          + max(value.sizeHint().width() for _, value in column))
        return total + self.grid.horizontalSpacing() * (2 * columns - 1)

    def arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for label, value in self.pairs:
            self.grid.removeWidget(label)
            self.grid.removeWidget(value)
        for i, (label, value) in enumerate(self.pairs):
            row, pair = divmod(i, columns)
            self.grid.addWidget(label, row, pair * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(value, row, pair * 2 + 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(2 * self.max_columns):
            self.grid.setColumnStretch(column, 1 if column % 2 and column < 2 * columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        # measured now, not when built: the labels' style (the tone badges' padding) is applied by then
        self.setMinimumWidth(self._width_for(1))
        self.arrange(self.max_columns if event.size().width() >= self._width_for(self.max_columns) else 1)


class DomainTab(QScrollArea):
    """One tab's content for a :class:`DomainView`; rebuilt whole on every update."""

    FACT_COLUMNS = 2
    sigFollowRequested = Signal(object)   # list of core.pins.Pin

    def pin_menu(self, pins: list) -> QMenu:
        """"Follow … across saves" per pin, and "Follow all" when there are several."""
        menu = QMenu(self)
        menu.setObjectName("followMenu")
        for pin in pins:
            action = menu.addAction(f"Follow {pin.display_label} across saves")
            action.triggered.connect(lambda _=False, pin=pin: self.sigFollowRequested.emit([pin]))
        if len(pins) > 1:
            menu.addSeparator()
            action = menu.addAction("Follow all of these across saves")
            action.triggered.connect(lambda _=False: self.sigFollowRequested.emit(list(pins)))
        return menu

    def offer_pins(self, pins: list, global_pos) -> None:
        menu = self.pin_menu(pins)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(global_pos)

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.title = title
        self._sections: dict[str, TableSection] = {}
        self._overlay_text: QTextEdit | None = None
        self._split_sizes: list[int] = []   # the Overview's page | replica split, as the user left it
        self._save_split: QTimer | None = None
        self._steps: list[Callable[[], None]] = []   # what is left of a page built in steps (set_view)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.show_message(EMPTY_PANEL_TEXT)

    @property
    def sections(self) -> dict[str, TableSection]:
        """The page's tables by key (a page built in steps is finished first)."""
        self.finish_build()
        return self._sections

    @property
    def overlay_text(self) -> QTextEdit | None:
        """The overlay replica's text (a page built in steps is finished first)."""
        self.finish_build()
        return self._overlay_text

    @property
    def is_building(self) -> bool:
        """Steps of the page (``set_view`` ``in_steps``) are still to come."""
        return bool(self._steps)

    def finish_build(self) -> None:
        """Run the steps left of a page whose first step is shown (see ``set_view``)."""
        while self._steps:
            self._steps.pop(0)()

    def _next_step(self) -> None:
        """One step of a page built in steps, each in a GUI event of its own (a timer: after
        the previous step's layout and paint); a newer page drops the steps left."""
        if self._steps:
            self._steps.pop(0)()
        if self._steps:
            guiturn.hold_background()     # no background work between the steps (the GIL)
            steps = self._steps
            QTimer.singleShot(1, self, lambda: self._steps is steps and self._next_step())

    def show_message(self, text: str) -> None:
        self._steps = []
        self._sections = {}
        self._overlay_text = None
        shown = self.widget()
        if isinstance(shown, QLabel) and shown.objectName() == "domainMessage":
            shown.setText(text)   # a new styled label per page costs ~2-5 ms: 9 pages per open
            return
        label = QLabel(text)
        label.setObjectName("domainMessage")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setStyleSheet("color: palette(placeholder-text); font-size: 11pt; padding: 24px;")
        self.setWidget(label)

    def set_view(self, view: DomainView, now: float | None, *, in_steps: bool = False) -> None:
        """Build the page. ``in_steps``: the facts and notes now, then the overlay replica, then
        the tables, each in a GUI event of its own (issue 13: a save's Overview was ~25 ms of
        the GUI's CPU in one event, ~45 ms at the first open, the widgets' first paint on top);
        reading ``sections`` or ``overlay_text`` finishes the page at once."""
        if not view.available:
            self.show_message(view.unavailable_reason or "Nothing to show")
            return
        self._steps = []
        self._sections = {}
        self._overlay_text = None
        content = QWidget()
        main = QVBoxLayout(content)
        main.setContentsMargins(10, 8, 10, 8)
        main.setSpacing(6)
        if view.facts:
            main.addWidget(self._facts_widget(view.facts))
        for note in view.notes:
            main.addWidget(_note_label(note))
        main.addStretch(1)

        tables = list(view.tables)

        def add_tables() -> None:
            for table in tables:
                section = TableSection(table, now)
                section.parent_tab = self
                self._sections[table.key] = section
                main.insertWidget(main.count() - 1, section)   # above the stretch

        page: QWidget = content
        if view.text_blocks:
            blocks = list(view.text_blocks)
            split = self._beside_overlay(content)
            self._steps.append(lambda: self._add_overlay(split, content, blocks))
            page = split
        if tables:
            self._steps.append(add_tables)
        if not in_steps:
            self.finish_build()
        self.setWidget(page)
        if self._steps:
            guiturn.hold_background()     # no background work between the steps (the GIL)
            steps = self._steps
            QTimer.singleShot(1, self, lambda: self._steps is steps and self._next_step())

    def _beside_overlay(self, content: QWidget) -> QSplitter:
        """The page and the overlay replica side by side, user-resizable (the sizes are kept
        from one save to the next). The page scrolls on its own and the replica on its own, so
        the replica stays in view, as tall as the tab, whatever the page's length; its lines
        wrap to its width (hanging indent), so no line is cut at any window size. The replica
        is added by the next step (:meth:`_add_overlay`)."""
        page = QScrollArea()
        page.setObjectName("overviewPage")
        page.setWidgetResizable(True)
        page.setFrameShape(QFrame.Shape.NoFrame)
        page.setWidget(content)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("overviewSplit")
        split.setChildrenCollapsible(False)
        split.addWidget(page)
        return split

    def _add_overlay(self, split: QSplitter, content: QWidget, blocks: list[tuple[str, list[str]]]) -> None:
        split.addWidget(self._overlay_widget(blocks))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        # as the user left it (this session, else an earlier one), else the page's natural width
        # (facts in two columns) and ~50 columns for the replica (scaled to the splitter's width
        # when it is laid out): at 1280x800 the page needs no horizontal scroll bar and most of
        # the replica's lines fit without wrapping
        page = split.widget(0)
        overlay_width = self._overlay_text.fontMetrics().horizontalAdvance("M" * 50)
        page_width = content.sizeHint().width() + page.verticalScrollBar().sizeHint().width()
        split.setSizes(self._split_sizes or _remembered_split() or [page_width, overlay_width])
        split.splitterMoved.connect(lambda *_a: self._split_moved(split.sizes()))

    def _split_moved(self, sizes: list[int]) -> None:
        """Keep the user's split for the next save, and (once the drag settles) for the next session."""
        self._split_sizes = sizes
        if self._save_split is None:
            self._save_split = QTimer(self)
            self._save_split.setSingleShot(True)
            self._save_split.setInterval(400)
            self._save_split.timeout.connect(lambda: _remember_split(self._split_sizes))
        self._save_split.start()

    def _facts_widget(self, facts: list[Fact]) -> QWidget:
        from inspector_app.core.pins import natural_pins  # not at start-up

        pairs: list[tuple[QLabel, QLabel]] = []
        for fact in facts:
            label = QLabel(fact.label)
            label.setStyleSheet("color: palette(placeholder-text);")
            value = _fact_value_label(fact)
            pins = natural_pins(self.key, fact=fact.label)
            if pins:   # right-click the fact: "Follow … across saves"
                for w in (label, value):
                    w.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
                    w.customContextMenuRequested.connect(
                        lambda pos, w=w, pins=pins: self.offer_pins(pins, w.mapToGlobal(pos)))
                    w.setToolTip((w.toolTip() + "\n" if w.toolTip() else "") + "Right-click to follow across saves")
                    w.setProperty("followPins", True)
            pairs.append((label, value))
        return FactsBox(pairs, self.FACT_COLUMNS)

    def _overlay_widget(self, blocks: list[tuple[str, list[str]]]) -> QWidget:
        panel = QWidget()
        panel.setObjectName("overlayReplica")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>In-game Save Inspector overlay (replica)</b>")
        title.setWordWrap(True)            # a narrow column wraps the title instead of cutting it
        layout.addWidget(title)
        text = QTextEdit()
        text.setObjectName("overlayText")
        text.setReadOnly(True)
        text.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(8.0, font.pointSizeF() - 0.5))
        text.setFont(font)
        text.document().setDefaultFont(font)
        text.setStyleSheet("QTextEdit { background: #161b22; color: #d6dde6; border-radius: 4px; padding: 6px; }")
        _fill_overlay(text, blocks)
        advance = text.fontMetrics().horizontalAdvance
        text.setMinimumWidth(advance("M" * 24))
        text.setMaximumWidth(advance("M" * 96))   # the game cuts lines at 90 characters (+ indent)
        layout.addWidget(text, 1)
        self._overlay_text = text
        return panel


OVERLAY_SPLIT_KEY = "saveSummary/overlaySplit"
_split_memory: dict[str, list[int]] = {}     # settings file -> the split read or written this run


def _remembered_split() -> list[int]:
    """The Overview's page | replica split of an earlier session (scaled to the width by Qt);
    the settings file is read once a run, not for every save's page."""
    from inspector_app.ui.settings import app_settings, read_list

    settings = app_settings()
    key = settings.fileName()
    if key not in _split_memory:
        try:
            sizes = [int(v) for v in read_list(settings, OVERLAY_SPLIT_KEY)]
        except ValueError:
            sizes = []
        _split_memory[key] = sizes if len(sizes) == 2 and min(sizes) > 0 else []
    return list(_split_memory[key])


def _remember_split(sizes: list[int]) -> None:
    from inspector_app.ui.settings import app_settings

    if len(sizes) == 2 and min(sizes) > 0:
        settings = app_settings()
        settings.setValue(OVERLAY_SPLIT_KEY, [str(v) for v in sizes])
        _split_memory[settings.fileName()] = list(sizes)


def _fill_overlay(text: QTextEdit, blocks: list[tuple[str, list[str]]]) -> None:
    """The replica's lines, one text block each: section titles flush left, their lines
    indented two characters; a line too long for the width wraps under its own text (hanging
    indent) rather than under the section title. ``toPlainText()`` is the overlay's text."""
    char = text.fontMetrics().horizontalAdvance("M")
    title_format = QTextBlockFormat()
    line_format = QTextBlockFormat()
    line_format.setLeftMargin(4 * char)
    line_format.setTextIndent(-2 * char)
    lines: list[tuple[QTextBlockFormat, str]] = []
    for section_title, body in blocks:
        if lines:
            lines.append((title_format, ""))          # a blank line between sections
        lines.append((title_format, f"▌ {section_title}"))
        lines.extend((line_format, f"  {line}") for line in body)
    cursor = QTextCursor(text.document())
    for i, (fmt, line) in enumerate(lines):
        if i:
            cursor.insertBlock(fmt)
        else:
            cursor.setBlockFormat(fmt)
        cursor.insertText(line)
    text.moveCursor(QTextCursor.MoveOperation.Start)


class DomainViewsPanel(QWidget):
    """World-state tabs for one save (``set_game_data``) or one inspector summary (``set_summary``)."""

    sigFollowRequested = Signal(object)   # list of core.pins.Pin: natural pins offered by a tab

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.views: dict[str, DomainView] = {}
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tab_pages: dict[str, DomainTab] = {}
        for key, title in DOMAIN_TABS:
            page = DomainTab(key, title)
            page.sigFollowRequested.connect(self.sigFollowRequested)
            self.tab_pages[key] = page
            self.tabs.addTab(page, title.replace("&", "&&"))
        self.tabs.currentChanged.connect(self._build_current_tab)
        self._now: Any = None
        self._pending: set[str] = set()
        self._generation = 0
        self._task: BackgroundTask | None = None
        self.source_label = QLabel()
        self.source_label.setStyleSheet("color: palette(placeholder-text); padding: 2px 4px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.source_label)
        layout.addWidget(self.tabs)
        self.clear()

    def set_game_data(self, game_data: dict | None, payload: dict | None = None, *, background: bool = False,
                      size_bytes: int = 0, sectioned: bool = False) -> None:
        """Show a save. ``payload`` (the envelope) gives save facts and the moment for relative times.

        ``background=True`` builds the view data in a worker (for big saves: a 5 MB inventory
        takes a few hundred ms); the panel says so meanwhile and a newer call wins.
        ``size_bytes`` (the save's size, ≥ ``GC_FREEZE_THRESHOLD``) freezes the result after
        the build, as the loader does with the document (``core/common/gcpause``): the views of
        a 50 MB save allocate ~100 MB of acyclic objects, which the GUI thread's collections
        would otherwise traverse (20–80 ms each).
        ``sectioned``: a big save's skeleton (``core/loading/sections``, needs ``background``):
        its unparsed parts are parsed in the worker, the inventory items one run at a time."""
        self._generation += 1
        if not isinstance(game_data, dict):
            if isinstance(payload, dict) and not isinstance(payload.get("gameData"), dict):
                self.clear("This save has no readable gameData.")
            else:
                self.clear()
            return
        stamp = payload.get("timestamp") if isinstance(payload, dict) else None
        now = stamp if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) else None
        label = ""
        if isinstance(payload, dict):
            meta = payload.get("meta") if isinstance(payload.get("meta"), dict) else {}
            label = str(meta.get("slotLabel") or payload.get("slot") or "")
        self.source_label.setText(f"World state of save <b>{label or 'payload'}</b> — "
                                  "transcript, spatial hash and control bindings: live telemetry only "
                                  "(export artifact required)")
        if not background:
            self._show(build_domain_views(game_data, payload=payload), now)
            return
        generation = self._generation
        for page in self.tab_pages.values():
            page.show_message("Building the views of this save…")
        def work(_progress, cancelled):
            import inspector_app.core.pins  # noqa: F401 - the facts' natural pins: imported here, not in set_view
            from inspector_app.core.common.gcpause import gc_paused
            from inspector_app.core.worldstate.views import sectioned_views_input
            with gc_paused(size_bytes):   # big saves: the views are frozen after (core/common/gcpause)
                data = sectioned_views_input(game_data, cancelled) if sectioned else game_data
                return build_domain_views(data, payload=payload)

        task = BackgroundTask(work, name="domain views")
        self._task = task
        task.sigFinished.connect(lambda views: generation == self._generation and self._show(views, now, in_steps=True))
        task.sigFailed.connect(lambda exc: generation == self._generation and self.clear(
            f"Could not build the views of this save: {exc}"))
        # Start once the current event (and the frame showing the tree) is done: a worker busy
        # in Python while the GUI thread works makes every Qt call wait for the GIL.
        QTimer.singleShot(FOLLOW_UP_DELAY_MS, self, lambda: generation == self._generation
                          and task.start(priority=Priority.USER))

    def shutdown(self) -> None:
        if self._task is not None:
            self._task.detach()
            self._task = None

    def set_summary(self, summary: dict | None) -> None:
        """Show an inspector summary (live ``getInspectorSummary()`` output or a rebuilt one)."""
        self._generation += 1
        if not isinstance(summary, dict):
            self.clear()
            return
        stamp = summary.get("generatedAt")
        now = stamp if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) else None
        self.source_label.setText(f"Inspector summary (source: {summary.get('source', '?')}) — "
                                  "quests, story flags, inventory and dialogue need a save")
        self._show(build_domain_views(summary=summary), now)

    def clear(self, message: str = EMPTY_PANEL_TEXT) -> None:
        self._generation += 1
        self.views = {}
        self._pending = set()
        self.source_label.setText("No world state loaded")
        for page in self.tab_pages.values():
            page.show_message(message)

    def _show(self, views: dict[str, DomainView], now: Any, in_steps: bool = False) -> None:
        """Keep the views; build widgets for the visible tab now and for the others when shown."""
        self.views = views
        self._now = now
        self._pending = set(self.tab_pages)
        page = self.tabs.currentWidget()
        if isinstance(page, DomainTab):
            self.ensure_built(page.key, in_steps=in_steps)

    def _build_current_tab(self, *_args) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, DomainTab):
            self.ensure_built(page.key)

    def ensure_built(self, tab_key: str, in_steps: bool = False) -> None:
        """Build the widgets of one tab if its view changed since it was last built."""
        if tab_key not in self._pending:
            return
        self._pending.discard(tab_key)
        page = self.tab_pages[tab_key]
        view = self.views.get(tab_key)
        if view is None:
            page.show_message("Nothing to show")
        else:
            page.set_view(view, self._now, in_steps=in_steps)

    def table_view(self, tab_key: str, table_key: str) -> QTableView | None:
        """The QTableView showing one table (None when that table is empty or absent)."""
        self.ensure_built(tab_key)
        section = self.tab_pages[tab_key].sections.get(table_key)
        return section.view if section else None
