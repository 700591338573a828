"""The "Followed Values" tab: the list of pins (reorder, remove) beside their stacked chart.

A thin view over core objects: the window's :class:`~inspector_app.core.pins.PinBoard` (which
pins, in which order) and a :class:`~inspector_app.core.pins.PinResolver` (values per save,
cached). Reading saves for new pins or new saves runs in the worker (``LatestTaskRunner``:
a newer request cancels an older one) with progress and Cancel; what is already known is
drawn at once.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.pins import MAX_PINS, Pin, PinBoard, PinResolver, PinSeries, SaveRef
from inspector_app.ui.pins.chart import MIN_ROW_PX, FollowedChart
from inspector_app.ui.widgets.search_panel import LatestTaskRunner
from inspector_app.ui.widgets.status_line import StatusLine

PIN_ROLE = Qt.ItemDataRole.UserRole

EMPTY_TEXT = ("<h3>No followed values yet</h3>"
              "<p>Follow a value to see it in every save of every open profile, in time order: numbers as a "
              "line, text and true/false as coloured bands, a gap where a save does not have it.</p>"
              "<p><b>World State:</b> right-click a value in the tree and choose <i>Follow Across Saves</i> "
              "(or select it and press <b>{shortcut}</b>). Records in arrays are followed by their id, so a "
              "re-ordered list does not matter.</p>"
              "<p><b>Save Summary:</b> right-click a faction, quest, objective, tutorial step, item or case, "
              "or a fact such as <i>Playtime</i> or the tutorial's <i>Current step</i>.</p>"
              "<p>Followed values are remembered for the next start.</p>")


class FollowedValuesPanel(QWidget):
    """Pins on the left, the chart on the right; ``refresh()`` after saves or pins change."""

    sigOpenSave = Signal(object, object)      # (save row key, Pin): a point was clicked
    sigPinsChanged = Signal()                 # the board changed here (remove / reorder)
    sigStatus = Signal(str)

    def __init__(self, board: PinBoard, saves: Callable[[], list[SaveRef]], shortcut: str = "Ctrl+Shift+F",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("followedValuesPanel")
        self.board = board
        self.resolver = PinResolver()
        self._saves = saves
        self.series: list[PinSeries] = []
        self.status = ""
        self._dirty = False

        self.pin_list = QListWidget(self)
        self.pin_list.setObjectName("pinList")
        self.pin_list.setAccessibleName("Followed values")
        self.pin_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pin_list.setWordWrap(True)
        self.pin_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.up_button = self._button("Up", "pinUp", "Move the selected value up", lambda: self.move_current(-1))
        self.down_button = self._button("Down", "pinDown", "Move the selected value down", lambda: self.move_current(1))
        self.remove_button = self._button("Remove", "pinRemove", "Stop following the selected value", self.remove_current)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(b)
        self.status_label = StatusLine("pinStatus", self)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("pinProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.hide()
        self.cancel_button = self._button("Cancel", "pinCancel", "Stop reading saves", self.cancel)
        self.cancel_button.hide()
        title = QLabel("<b>Followed values</b>", self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(title)
        left_layout.addWidget(self.pin_list, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status_label)
        left_layout.addWidget(self.progress)
        left_layout.addWidget(self.cancel_button)

        self.chart = FollowedChart(self)
        self.chart.sigPointClicked.connect(self._on_point_clicked)
        self.chart_scroll = QScrollArea(self)
        self.chart_scroll.setWidgetResizable(True)
        self.chart_scroll.setWidget(self.chart)
        self.empty = QLabel(EMPTY_TEXT.format(shortcut=shortcut), self)
        self.empty.setObjectName("pinsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setMargin(24)
        self.empty.setMaximumWidth(760)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.chart_scroll)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.stack)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([250, 900])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

        self._runner = LatestTaskRunner(self)
        self._runner.sigProgress.connect(self._on_progress)
        self._runner.sigFinished.connect(self._on_resolved)
        self._runner.sigFailed.connect(lambda exc: self._finish(f"Could not read the saves: {exc}"))
        self._runner.sigCancelled.connect(lambda: self._finish("Cancelled — values already read are kept."))
        self.refresh()

    def _button(self, text: str, name: str, tip: str, slot) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        return b

    # -- board ----------------------------------------------------------------------------------
    def _fill_list(self) -> None:
        current = self.current_pin()
        self.pin_list.blockSignals(True)
        self.pin_list.clear()
        for pin in self.board.pins:
            item = QListWidgetItem(pin.display_label)
            item.setToolTip(pin.key)
            item.setData(PIN_ROLE, pin)
            self.pin_list.addItem(item)
            if pin == current:
                self.pin_list.setCurrentItem(item)
        self.pin_list.blockSignals(False)
        self._update_buttons()

    def current_pin(self) -> Pin | None:
        item = self.pin_list.currentItem()
        return item.data(PIN_ROLE) if item is not None else None

    def _update_buttons(self) -> None:
        row, n = self.pin_list.currentRow(), self.pin_list.count()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < n - 1)
        self.remove_button.setEnabled(row >= 0)

    def move_current(self, offset: int) -> None:
        pin = self.current_pin()
        if pin is not None and self.board.move(pin, offset):
            self.series = self._reordered(self.series)
            self._fill_list()
            self.chart.set_series(self.series)
            self.sigPinsChanged.emit()

    def remove_current(self) -> None:
        pin = self.current_pin()
        if pin is not None and self.board.remove(pin):
            self.sigPinsChanged.emit()
            self.refresh()

    def _reordered(self, series: list[PinSeries]) -> list[PinSeries]:
        by_key = {s.pin.key: s for s in series}
        return [by_key[p.key] for p in self.board.pins if p.key in by_key]

    # -- values ---------------------------------------------------------------------------------
    def saves_changed(self) -> None:
        """Saves were opened, closed or reloaded: extend the chart now if it shows, else when shown."""
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        """Bring list and chart in line with the board and the open saves (reads only what is new)."""
        self._dirty = False
        self._fill_list()
        pins = self.board.pins
        refs = self._saves()
        self.resolver.forget({id(r.document): r.document for r in refs}.values())
        if not pins:
            self._runner.cancel(emit=False)
            self.series = []
            self.chart.set_series([])
            self.stack.setCurrentWidget(self.empty)
            self._finish(f"Up to {MAX_PINS} values can be followed.")
            return
        self.stack.setCurrentWidget(self.chart_scroll)
        if not refs:
            self._runner.cancel(emit=False)
            self._show([])
            self._finish("No saves are open: open a profile, a save or a browser profile.")
            return
        if self.resolver.missing(refs, pins) == 0:          # nothing to read: draw at once
            self._runner.cancel(emit=False)
            self._on_resolved(self.resolver.series(refs, pins))
            return
        resolver = self.resolver
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self._set_status("Reading saves…")
        self._runner.start(lambda progress, cancelled: resolver.series(refs, pins, progress, cancelled),
                           name="followed values")

    def cancel(self) -> None:
        self._runner.cancel()

    def is_busy(self) -> bool:
        return self._runner.is_running

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if text:
            self._set_status(text)

    def _on_resolved(self, series: list[PinSeries]) -> None:
        self._show(self._reordered(series))
        saves = len(series[0].points) if series else 0
        self._finish(f"{len(series)} value{'s' if len(series) != 1 else ''} over {saves} "
                     f"save{'s' if saves != 1 else ''}. Hover a point to name its save; click it to open the save.")

    def _show(self, series: list[PinSeries]) -> None:
        self.series = series
        self.chart.setMinimumHeight(max(1, len(series)) * MIN_ROW_PX + 40)
        self.chart.set_series(series)

    def _finish(self, text: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self._set_status(text)

    def _set_status(self, text: str) -> None:
        self.status = text
        self.status_label.set_status(text)
        self.sigStatus.emit(text)

    def _on_point_clicked(self, pin_index: int, point_index: int) -> None:
        s = self.series[pin_index]
        self.sigOpenSave.emit(s.points[point_index].ref.key, s.pin)

    def shutdown(self) -> None:
        self._runner.shutdown()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        return self._runner.wait_all(timeout)
