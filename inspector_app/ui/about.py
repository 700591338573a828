"""Help ▸ About: the versions of the app and the libraries it runs on, and the licence notices a
binary distribution must carry (PySide6/Qt under the LGPL-3.0: where the source is and how to relink).

The list of components and their notices lives in :mod:`inspector_app.notices` (shared with the
bundle's ``licenses/`` folder); this is only the view.
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from inspector_app import __version__
from inspector_app.notices import COMPONENTS, PYTHON, notice_of, version_of


def licenses_dir() -> Path | None:
    """The folder with the full licence texts: ``licenses/`` beside the bundle's executable, or
    ``packaging/licenses/`` of a source checkout; None for a plain wheel install."""
    candidates = []
    if getattr(sys, "frozen", False):
        candidates.append(Path(sys.executable).resolve().parent / "licenses")
    candidates.append(Path(__file__).resolve().parents[2] / "packaging" / "licenses")
    return next((c for c in candidates if c.is_dir()), None)


def versions() -> list[tuple[str, str]]:
    import PySide6
    import pyqtgraph

    return [
        ("Telemetry Inspector", __version__),
        ("Qt (runtime)", qVersion()),
        ("PySide6", PySide6.__version__),
        ("pyqtgraph", pyqtgraph.__version__),
        ("NumPy", version_of("numpy")),
        ("orjson", version_of("orjson")),
        ("Python", sys.version.split()[0]),
    ]


def notices_html() -> str:
    parts = []
    for comp in (*COMPONENTS, PYTHON):
        head = (f"<b>{html.escape(comp.name)}</b> {html.escape(version_of(comp.dist))} — "
                f"{html.escape(comp.license)} — <a href=\"{html.escape(comp.url)}\">{html.escape(comp.url)}</a>")
        note = notice_of(comp)
        parts.append(f"<p>{head}" + (f"<br>{html.escape(note)}" if note else "") + "</p>")
    where = licenses_dir()
    tail = (f"Full licence texts: <code>{html.escape(str(where))}</code>" if where else
            "Full licence texts are installed with each package (its dist-info licences folder).")
    return "".join(parts) + f"<p>{tail}</p>"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Telemetry Inspector")
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>Telemetry Inspector {html.escape(__version__)}</h2>"
                       "Saves, world state, tutorial timelines, exports and benchmark history for "
                       "<i>The Memory Syndicate</i>.<br>Proprietary software of The Memory Syndicate studio.")
        title.setWordWrap(True)
        layout.addWidget(title)
        form = QFormLayout()
        self.version_labels: dict[str, QLabel] = {}
        for name, version in versions():
            label = QLabel(version)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.version_labels[name] = label
            form.addRow(f"{name}:", label)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Third-party components and licence notices</b>"))
        self.notices = QTextBrowser(self)
        self.notices.setObjectName("aboutNotices")
        self.notices.setOpenExternalLinks(True)
        self.notices.setHtml(notices_html())
        layout.addWidget(self.notices, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        # Links in rich text take the palette's Link colour when the HTML is laid out: re-lay it out
        # when the palette (light/dark theme) changes.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.notices.setHtml(notices_html())
        super().changeEvent(event)
