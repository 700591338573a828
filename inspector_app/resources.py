"""Where the app's shipped files live: ``resources/`` of a source checkout (editable install,
the README's commands), else the copy a wheel installs under ``<prefix>/share/telemetry-inspector``.

No Qt here.
"""
from __future__ import annotations

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[1] / "resources"
_INSTALLED = Path(sys.prefix) / "share" / "telemetry-inspector" / "resources"


def resources_dir() -> Path:
    return _CHECKOUT if _CHECKOUT.is_dir() else _INSTALLED


def resource_path(*parts: str) -> Path:
    """``resources/<parts…>`` (the path may not exist; callers say so when it matters)."""
    return resources_dir().joinpath(*parts)
