"""The application's colours: one ``QPalette`` (Fusion style) for light and dark, following the
system colour scheme unless View ▸ Theme overrides it (remembered in the settings).

The palette is the one source of colour. Views take colours from palette roles and restyle on
``QEvent.PaletteChange`` / ``ApplicationPaletteChange``; colours that carry a meaning (good, bad,
warning, …) come from :func:`value_colors`, which picks a set meeting WCAG AA (4.5:1) against
the palette's backgrounds (tests/ui/test_theme.py computes the ratios).
"""
from __future__ import annotations

import sys
from enum import Enum

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

SETTINGS_KEY = "view/theme"
#: Arguments for a QApplication the app creates itself (ui/app.create_application): it starts in
#: Fusion, so the controller need not fetch ``app.style()`` to check — a QStyle brought into
#: Python loads its type and enums, a few ms of start-up (issue 13).
FUSION_ARGS = ("-style", "Fusion")
FUSION_FROM_ARGS = "telemetryInspectorFusionFromArgs"  # dynamic property of such an application


class ThemeMode(str, Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

# role -> (light, dark)
_PALETTE = {
    _Role.Window: ("#efeff1", "#2a2b2e"),
    _Role.WindowText: ("#1b1c1f", "#e4e5e8"),
    _Role.Base: ("#ffffff", "#1e1f22"),
    _Role.AlternateBase: ("#f5f6f8", "#26272b"),
    _Role.ToolTipBase: ("#ffffee", "#3a3c40"),
    _Role.ToolTipText: ("#1b1c1f", "#e4e5e8"),
    _Role.PlaceholderText: ("#6b6e75", "#9a9da4"),
    _Role.Text: ("#1b1c1f", "#e4e5e8"),
    _Role.Button: ("#e8e8eb", "#35373b"),
    _Role.ButtonText: ("#1b1c1f", "#e4e5e8"),
    _Role.BrightText: ("#ffffff", "#ffffff"),
    _Role.Light: ("#ffffff", "#4a4c51"),
    _Role.Midlight: ("#d9d9dd", "#3d3f44"),
    _Role.Mid: ("#a9abb1", "#5b5e64"),
    _Role.Dark: ("#8a8c92", "#18191b"),
    _Role.Shadow: ("#5a5c61", "#0c0c0d"),
    _Role.Highlight: ("#2f6fd6", "#3b78d8"),
    _Role.HighlightedText: ("#ffffff", "#ffffff"),
    _Role.Link: ("#1a5cc4", "#8ab4f8"),
    _Role.LinkVisited: ("#6f3fb8", "#c7a6f5"),
    _Role.Accent: ("#2f6fd6", "#3b78d8"),
}
_DISABLED = {
    _Role.WindowText: ("#8c8e94", "#7b7e84"),
    _Role.Text: ("#8c8e94", "#7b7e84"),
    _Role.ButtonText: ("#8c8e94", "#7b7e84"),
    _Role.Highlight: ("#b8bcc4", "#4a4c51"),
    _Role.HighlightedText: ("#f0f0f0", "#a0a2a8"),
}

# Meaningful colours as text on the palette's Base/AlternateBase/Window, and as text on their own
# tinted background (``*_bg``); every pair is ≥ 4.5:1 in its scheme.
_VALUE_COLOURS = {
    "good": ("#1a6b32", "#7dd495"),
    "bad": ("#b0231b", "#ff8f85"),
    "warning": ("#835400", "#f0c05a"),
    "info": ("#1a56a8", "#8ab4f8"),
    "neutral": ("#3b4450", "#c9ced6"),
    "muted": ("#565b63", "#a3a7ae"),
    "added": ("#1a6b32", "#7dd495"),
    "removed": ("#b0231b", "#ff8f85"),
    "changed": ("#835400", "#f0c05a"),
    "string": ("#1a6b32", "#8fd6a0"),
    "number": ("#1a56a8", "#8ab4f8"),
    "keyword": ("#7b2fa8", "#d2a8f5"),
    "good_bg": ("#dcf1e1", "#1f3a27"),
    "bad_bg": ("#fbe0de", "#4a2320"),
    "warning_bg": ("#fbedcf", "#43361a"),
    "info_bg": ("#dde9fb", "#1f3150"),
    "neutral_bg": ("#eceff3", "#33363b"),
    "muted_bg": ("#eceff3", "#33363b"),
    "added_bg": ("#dcf1e1", "#1f3a27"),
    "removed_bg": ("#fbe0de", "#4a2320"),
    "changed_bg": ("#fbedcf", "#43361a"),
    "string_bg": ("#dcf1e1", "#1f3a27"),
    "number_bg": ("#dde9fb", "#1f3150"),
    "keyword_bg": ("#efe3f8", "#372447"),
}
VALUE_NAMES = tuple(k for k in _VALUE_COLOURS if not k.endswith("_bg"))


def build_palette(dark: bool) -> QPalette:
    """A complete palette for the Fusion style (every role of every group)."""
    i = 1 if dark else 0
    pal = QPalette()
    for role, colours in _PALETTE.items():
        colour = QColor(colours[i])
        for group in (_Group.Active, _Group.Inactive, _Group.Disabled):
            pal.setColor(group, role, colour)
    for role, colours in _DISABLED.items():
        pal.setColor(_Group.Disabled, role, QColor(colours[i]))
    return pal


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(_Role.Base).lightness() < 128


def value_colors(palette: QPalette | None = None) -> dict[str, QColor]:
    """The app's meaningful colours for ``palette`` (default: the application's):
    ``good``, ``bad``, ``warning``, ``info``, ``neutral``, ``muted``, ``added``, ``removed``,
    ``changed``, and JSON value kinds ``string``, ``number``, ``keyword`` (true/false/null) as text on the palette's backgrounds, and ``<name>_bg`` tints on which the
    same-named text colour stays readable."""
    i = 1 if is_dark(palette) else 0
    return {name: QColor(pair[i]) for name, pair in _VALUE_COLOURS.items()}


def value_color_css(name: str, palette: QPalette | None = None) -> str:
    """``#rrggbb`` of a value colour, for rich text (``<span style='color:…'>``)."""
    return value_colors(palette)[name].name()


def relative_luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 … 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


class ThemeController(QObject):
    """Owns the application palette. One per application: :func:`controller`."""

    sigModeChanged = Signal(str)

    def __init__(self, app: QApplication):
        super().__init__(app)
        self._app = app
        self._mode = ThemeMode.SYSTEM
        self._dark: bool | None = None
        if not app.property(FUSION_FROM_ARGS) and app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        hints = app.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(self._on_system_scheme_changed)

    @property
    def mode(self) -> ThemeMode:
        return self._mode

    @property
    def dark(self) -> bool:
        return bool(self._dark)

    def set_mode(self, mode: ThemeMode | str, *, remember: bool = True) -> None:
        mode = ThemeMode(mode)
        self._mode = mode
        if remember:
            from inspector_app.ui.settings import app_settings

            app_settings().setValue(SETTINGS_KEY, mode.value)
        self._apply()
        self.sigModeChanged.emit(mode.value)

    def _on_system_scheme_changed(self, _scheme) -> None:
        if self._mode == ThemeMode.SYSTEM:
            self._apply()

    def _apply(self) -> None:
        dark = system_prefers_dark() if self._mode == ThemeMode.SYSTEM else self._mode == ThemeMode.DARK
        if dark == self._dark:
            return
        self._dark = dark
        self._app.setPalette(build_palette(dark))
        refresh_palette_stylesheets(self._app)
        if "pyqtgraph" in sys.modules:  # later plots start in the new colours; shown ones restyle on the event
            from inspector_app.ui import plotting

            plotting.sync_palette()


def refresh_palette_stylesheets(app: QApplication) -> None:
    """Re-apply every style sheet that names palette roles (``palette(base)``…): Qt resolves
    them once, when applied, so without this they would keep the previous scheme's colours."""
    # Only widgets created from Python are touched: every sheet of ours is set on one, and
    # shiboken knows exactly when those die. A wrapper of a widget Qt made itself (scroll bars,
    # menus, viewports…) can outlive its object unnoticed, and allWidgets() may hand it out again
    # for a new widget at the same address; calling into it crashed the theme switch (a segfault
    # in about one full run of tests/ui in four). Checking the wrapper's flags never touches C++.
    # Two passes: a restyle may delete widgets, so every sheet is read before any is re-applied.
    themed = [(widget, sheet) for widget in app.allWidgets()
              if shiboken6.createdByPython(widget) and shiboken6.isValid(widget)
              and (sheet := widget.styleSheet()) and "palette(" in sheet]
    for widget, sheet in themed:
        if shiboken6.isValid(widget):
            widget.setStyleSheet(sheet)


_controller: ThemeController | None = None


def controller() -> ThemeController:
    """The application's theme controller, created (with the remembered mode applied) on first use."""
    global _controller
    app = QApplication.instance()
    if _controller is None or _controller.parent() is not app:
        _controller = ThemeController(app)
        from inspector_app.ui.settings import app_settings

        saved = str(app_settings().value(SETTINGS_KEY, ThemeMode.SYSTEM.value))
        try:
            mode = ThemeMode(saved)
        except ValueError:
            mode = ThemeMode.SYSTEM
        _controller.set_mode(mode, remember=False)
    return _controller
