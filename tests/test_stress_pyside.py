"""Guards the PySide6 pin: 6.12.0 on Python 3.11 drops a reference to None on every call that
returns None/bool and aborts the process (``none_dealloc``) after a few thousand calls.
20,000 widget updates must leave the process alive and None's refcount sane."""
from __future__ import annotations

import sys

import PySide6
import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar


def test_pyside_version_is_pinned_below_6_12():
    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) == (6, 11), f"PySide6 {PySide6.__version__} is outside the supported >=6.11,<6.12 range"


@pytest.mark.gui
def test_twenty_thousand_widget_updates_do_not_abort(qtbot):
    label, edit, bar = QLabel(), QLineEdit(), QProgressBar()
    for w in (label, edit, bar):
        qtbot.addWidget(w)
    bar.setRange(0, 20_000)
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setText(f"row {i}")
        edit.setText(str(i))
        bar.setValue(i)
        label.setVisible(True)
    after = sys.getrefcount(None)
    assert label.text() == "row 19999"
    assert bar.value() == 19_999
    # 80,000 calls returning None: a leaking binding would lower None's refcount by ~80,000.
    assert after - before > -1000, f"None refcount fell by {before - after}"
