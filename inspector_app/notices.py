"""Third-party components the app ships with and their licence notices — the one list behind the
About dialog (ui/about.py) and the bundle's ``licenses/`` folder (packaging/collect-licenses.py).

No Qt here: versions come from the installed distributions' metadata.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Component:
    name: str            # what a user knows it as
    dist: str            # distribution name for the version and the licence files
    license: str         # SPDX expression
    url: str             # where the source is
    note: str = ""       # what the licence asks of us beyond carrying the text


QT_RELINK_NOTE = (
    "Qt for Python and the Qt libraries are used under the GNU Lesser General Public License v3 "
    "(LGPL-3.0-only). They are shipped unmodified as separate shared libraries (the bundle's "
    "_internal/PySide6/ folder: Qt/lib/libQt6*.so.6, libpyside6*.so, libshiboken6*.so); the LGPL and "
    "GPL texts are in the bundle's licenses/ folder. You may replace them with your own build of the "
    "same Qt/PySide6 version (relinking: copy your libraries over those files, or rebuild the whole "
    "bundle from the application source with packaging/build-bundle.sh against your own PySide6 "
    "wheel). Source code of the exact versions: https://download.qt.io/official_releases/qt/ (Qt) "
    "and https://download.qt.io/official_releases/QtForPython/ or "
    "https://code.qt.io/cgit/pyside/pyside-setup.git/ (PySide6, shiboken6, tag v{version})."
)

COMPONENTS: tuple[Component, ...] = (
    Component("Qt for Python (PySide6)", "PySide6-Essentials", "LGPL-3.0-only",
              "https://code.qt.io/cgit/pyside/pyside-setup.git/", QT_RELINK_NOTE),
    Component("Shiboken6", "shiboken6", "LGPL-3.0-only", "https://code.qt.io/cgit/pyside/pyside-setup.git/"),
    Component("pyqtgraph", "pyqtgraph", "MIT", "https://github.com/pyqtgraph/pyqtgraph"),
    Component("NumPy", "numpy", "BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0",
              "https://github.com/numpy/numpy",
              "Bundles OpenBLAS (BSD-3-Clause) and the GCC runtime libraries (GPL-3.0 with the GCC "
              "Runtime Library Exception); their texts are in numpy's licence file."),
    Component("orjson", "orjson", "Apache-2.0 OR MIT", "https://github.com/ijl/orjson"),
    Component("cramjam", "cramjam", "MIT", "https://github.com/milesgranger/cramjam"),
)
PYTHON = Component("Python", "", "PSF-2.0", "https://www.python.org/downloads/source/",
                   "The bundle carries the CPython runtime; its licence text is in licenses/.")


def version_of(dist: str) -> str:
    if not dist:
        return sys.version.split()[0]
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def notice_of(component: Component) -> str:
    """The component's note with its version filled in."""
    return component.note.replace("{version}", version_of(component.dist))
