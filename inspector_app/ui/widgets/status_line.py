"""The one status line of a panel or dialog (Metric History, Tutorial Timeline, Export,
Playtest): what just happened, in the theme's muted text colour — quieter than the content but
legible (≥ 4.5:1 on light and dark, ``theme.value_colors``) — or, for a failure, in the app's one
error colour (the theme's "bad", as the banner, search and World State show errors). Plain text
(messages carry file names and player-typed text, shown as written), selectable, restyled on a
palette change.
"""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from inspector_app.ui import theme


class StatusLine(QLabel):
    """``set_status(text, error=...)``; ``boxed``: errors also get the error tint behind them
    and a little padding (a standalone error box rather than a line under a view)."""

    def __init__(self, object_name: str, parent: QWidget | None = None, *, boxed: bool = False):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._boxed = boxed
        self._error = False
        self._watched: QWidget | None = None
        self._watch_parent()
        self._restyle()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        """No height-for-width (it still wraps): with it, a scroll area hosting the panel (the
        Tutorial Timeline's tab) sizes the panel to its preferred height instead of the view's,
        and the line itself ends up below the fold."""
        return False

    def sizeHint(self):  # noqa: N802 - Qt API
        """As tall as the text wrapped at the width the line has (one line for a short status;
        without this, a wrapping label asks for the height of a guessed narrow width)."""
        hint = super().sizeHint()
        if self.width() > 0:
            hint.setHeight(max(self.fontMetrics().height(), super().heightForWidth(self.width())))
        return hint

    def minimumSizeHint(self):  # noqa: N802 - Qt API
        """Never shorter than the wrapped text: a layout short of room (the Export dialog's
        result pane) squeezes the view beside or below the line, not the line's second row."""
        hint = super().minimumSizeHint()
        hint.setHeight(max(hint.height(), self.sizeHint().height()))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()          # the wrapped height changes with the width

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.updateGeometry()

    @property
    def is_error(self) -> bool:
        return self._error

    def set_status(self, text: str, *, error: bool = False) -> None:
        self._error = error
        self._restyle()
        self.setText(text)

    @staticmethod
    def _scheme() -> QPalette:
        """The application palette, the one source of colour (the line's own palette carries the
        style sheet's colours as resolved when it was last polished: after a theme switch it
        can still be the old scheme's, and Qt tells the widgets in no particular order)."""
        return QGuiApplication.palette()

    def colour(self) -> QColor:
        """The text colour shown now."""
        return theme.value_colors(self._scheme())["bad" if self._error else "muted"]

    def _restyle(self) -> None:
        colours = theme.value_colors(self._scheme())
        if self._error:
            sheet = f"color: {colours['bad'].name()};"
            if self._boxed:
                sheet += f" background: {colours['bad_bg'].name()}; padding: 4px; border-radius: 3px;"
        else:
            sheet = f"color: {colours['muted'].name()};"
        if sheet != self.styleSheet():      # a style sheet change posts a palette change: set once
            self.setStyleSheet(sheet)

    # A label with a style sheet keeps the palette Qt resolved when the sheet was applied: an
    # application palette change does not reach it (no PaletteChange). Its parent's does: the
    # line watches the widget it sits in and re-applies its sheet in the new scheme.
    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self._watch_parent()
        return super().event(event)

    def _watch_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not self._watched:
            if self._watched is not None and shiboken6.isValid(self._watched):
                self._watched.removeEventFilter(self)
            self._watched = parent
            if parent is not None:
                parent.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        return False
