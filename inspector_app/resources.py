"""Where the app's shipped files live — the one lookup for them (no Qt here).

The source of truth is ``resources/`` at the top of the checkout. A wheel, an sdist build and the
bundle carry a copy of it *inside the package* as ``inspector_app/_resources`` (package data, mapped
there at build time by ``setup.py``), read through :mod:`importlib.resources`, so an install under
any prefix (``--prefix``, ``--user``, ``--target``, a virtualenv, the frozen bundle) finds it. A
source checkout or an editable install has no packaged copy and reads ``resources/`` in place.
"""
from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[1] / "resources"
PACKAGED_NAME = "_resources"


@cache
def resources_dir() -> Path:
    packaged = files("inspector_app").joinpath(PACKAGED_NAME)
    if packaged.is_dir():
        return Path(str(packaged))
    return _CHECKOUT


def resource_path(*parts: str) -> Path:
    """``resources/<parts…>`` (the path may not exist; callers say so when it matters)."""
    return resources_dir().joinpath(*parts)
