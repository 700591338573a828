"""Colours and value previews shared by the compare view's models."""
from __future__ import annotations

from typing import Any

import orjson
from collections.abc import Mapping
from typing import Iterator

from PySide6.QtGui import QColor

from inspector_app.core.diff import DiffKind
from inspector_app.core.diff.report import preview  # noqa: F401 - re-exported for the models
from inspector_app.ui import theme


class _KindColours(Mapping):
    """kind -> (foreground, background) from the theme, looked up when asked, so a light/dark
    switch recolours the next paint."""

    _KINDS = ("added", "removed", "changed")

    def __getitem__(self, kind: str) -> tuple[QColor, QColor]:
        if kind not in self._KINDS:
            raise KeyError(kind)
        colours = theme.value_colors()
        return colours[kind], colours[kind + "_bg"]

    def __iter__(self) -> Iterator[str]:
        return iter(self._KINDS)

    def __len__(self) -> int:
        return len(self._KINDS)


KIND_COLOURS = _KindColours()


def kind_colour(kind: str) -> QColor:
    """The text colour of ``added`` / ``removed`` / ``changed`` / ``muted`` under the current palette."""
    return theme.value_colors()[kind]

KIND_LABELS = {
    DiffKind.ADDED: "added",
    DiffKind.REMOVED: "removed",
    DiffKind.CHANGED: "changed",
    DiffKind.TYPE_CHANGED: "type changed",
    DiffKind.MOVED: "moved",
}


def colour_key(kind: DiffKind | str) -> str:
    value = kind.value if isinstance(kind, DiffKind) else kind
    return value if value in ("added", "removed") else "changed"


def pretty(value: Any, limit: int = 4000) -> str:
    """Indented JSON for tooltips, cut to ``limit``."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + "\n…"
