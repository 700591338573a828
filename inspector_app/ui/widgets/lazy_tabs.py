"""A tab widget whose pages are built the first time they are shown (issue 13).

Each lazy tab starts as an empty, cheap page (a plain widget with a layout, also for tabs that
scroll: their scroll area — a viewport and two scroll bars — is made with the panel); its factory
runs when the tab becomes current (or when code asks for the panel with
:meth:`LazyTabWidget.ensure`). Panels with plots import and configure pyqtgraph through
:mod:`inspector_app.ui.plotting` just before they are built.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget


@dataclass
class _LazyTab:
    key: str
    page: QWidget
    factory: Callable[[QWidget], QWidget]
    scroll: bool
    plots: bool
    panel: QWidget | None = None
    on_built: list[Callable[[QWidget], None]] = field(default_factory=list)


class LazyTabWidget(QTabWidget):
    """``add_lazy_tab(key, title, factory)``; ``panel(key)`` is None until the tab is built."""

    sigPanelBuilt = Signal(str, QWidget)  # key, panel

    def __init__(self, parent=None):
        super().__init__(parent)
        self._lazy: dict[str, _LazyTab] = {}
        self.currentChanged.connect(self._build_current)

    def add_lazy_tab(self, key: str, title: str, factory: Callable[[QWidget], QWidget], *,
                     scroll: bool = False, plots: bool = False) -> int:
        """``factory(parent)`` returns the panel. ``scroll``: host it in a scroll area, so below
        its minimum size it scrolls instead of squeezing the docks. ``plots``: it needs pyqtgraph."""
        page = QWidget(self)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        page.setObjectName(f"{key}Page")
        self._lazy[key] = _LazyTab(key, page, factory, scroll, plots)
        index = self.addTab(page, title)
        if self.currentIndex() == index and self.isVisible():
            self.ensure(key)
        return index

    def page(self, key: str) -> QWidget:
        return self._lazy[key].page

    def panel(self, key: str) -> QWidget | None:
        """The built panel, or None (never builds)."""
        return self._lazy[key].panel

    def is_built(self, key: str) -> bool:
        return self._lazy[key].panel is not None

    def when_built(self, key: str, callback: Callable[[QWidget], None]) -> None:
        """Run ``callback(panel)`` now if built, else right after the panel is built."""
        tab = self._lazy[key]
        if tab.panel is not None:
            callback(tab.panel)
        else:
            tab.on_built.append(callback)

    def ensure(self, key: str) -> QWidget:
        """The panel, built now if needed."""
        tab = self._lazy[key]
        if tab.panel is None:
            if tab.plots:
                from inspector_app.ui import plotting

                plotting.pyqtgraph()
            host = self._scroll_area(tab.page) if tab.scroll else None
            panel = tab.factory(host if host is not None else tab.page)
            tab.panel = panel
            if host is not None:
                host.setWidget(panel)
                tab.page.layout().addWidget(host)
            else:
                tab.page.layout().addWidget(panel)
            for callback in tab.on_built:
                callback(panel)
            tab.on_built.clear()
            self.sigPanelBuilt.emit(key, panel)
        return tab.panel

    @staticmethod
    def _scroll_area(page: QWidget) -> QWidget:
        """The scroll area a ``scroll`` tab's panel lives in (made with the panel, not at start-up)."""
        from PySide6.QtWidgets import QFrame, QScrollArea

        area = QScrollArea(page)
        area.setObjectName(f"{page.objectName()}Scroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return area

    def show_tab(self, key: str) -> QWidget:
        panel = self.ensure(key)
        self.setCurrentWidget(self._lazy[key].page)
        return panel

    def key_of(self, index: int) -> str | None:
        page = self.widget(index)
        return next((k for k, t in self._lazy.items() if t.page is page), None)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._build_current(self.currentIndex())

    def _build_current(self, index: int) -> None:
        if not self.isVisible():
            return
        key = self.key_of(index)
        if key is not None:
            self.ensure(key)
