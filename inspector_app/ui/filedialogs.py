"""The one policy for file dialogs: the desktop's native dialogs in the app, Qt's own
(non-native, drivable by tests) when ``TELEMETRY_INSPECTOR_NON_NATIVE_DIALOGS=1`` — the test
suite sets it in ``tests/conftest.py`` — or when :data:`FORCE_NON_NATIVE` is set.

Every ``QFileDialog`` of the app goes through :func:`apply_policy` (an instance) or
:func:`options` (the static ``QFileDialog.get…`` functions).
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a dialog is made: the window imports this module at start-up
    from PySide6.QtWidgets import QFileDialog

ENV = "TELEMETRY_INSPECTOR_NON_NATIVE_DIALOGS"
FORCE_NON_NATIVE = False


def use_native() -> bool:
    return not FORCE_NON_NATIVE and os.environ.get(ENV, "") not in ("1", "true", "yes")


def options(extra: QFileDialog.Option | None = None) -> QFileDialog.Option:
    """Options for the static ``QFileDialog.get…`` functions (``extra``: more options)."""
    from PySide6.QtWidgets import QFileDialog

    extra = QFileDialog.Option(0) if extra is None else extra
    return extra if use_native() else extra | QFileDialog.Option.DontUseNativeDialog


def apply_policy(dialog: QFileDialog) -> QFileDialog:
    from PySide6.QtWidgets import QFileDialog

    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, not use_native())
    return dialog


def folder_dialog(parent, title: str, object_name: str, start: str = "") -> QFileDialog:
    """The app's folder chooser: folders only, under this policy, opening at ``start`` when it
    is a folder. The caller shows it (``exec`` or ``open``) and reads the chosen folder."""
    from PySide6.QtWidgets import QFileDialog

    dialog = QFileDialog(parent, title)
    dialog.setObjectName(object_name)
    apply_policy(dialog)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if start and os.path.isdir(start):
        dialog.setDirectory(start)
    return dialog
