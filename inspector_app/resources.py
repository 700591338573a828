"""Where the app's shipped files live — the one lookup for them (no Qt here).

The source of truth is ``resources/`` at the top of the checkout. A wheel, an sdist build and the
bundle carry a copy of it *inside the package* as ``inspector_app/_resources`` (package data, mapped
there at build time by ``setup.py``), found beside this module (where :mod:`importlib.resources`
finds it; that module is imported only for a package that is not a plain directory, such as a
zip), so an install under any prefix (``--prefix``, ``--user``, ``--target``, a virtualenv, the
frozen bundle) finds it. A source checkout or an editable install has no packaged copy and reads
``resources/`` in place.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE_DIR.parent / "resources"
PACKAGED_NAME = "_resources"


@cache
def resources_dir() -> Path:
    # A package on the file system (a wheel under any prefix, the frozen bundle) has its packaged
    # copy right here — what importlib.resources would find, checked without importing it
    # (start-up, issue 13); a checkout has its resources/ beside the package.
    packaged = _PACKAGE_DIR / PACKAGED_NAME
    if packaged.is_dir():
        return packaged
    if _CHECKOUT.is_dir():
        return _CHECKOUT
    from importlib.resources import files  # a package without a plain directory (a zip, a custom loader)

    traversable = files("inspector_app").joinpath(PACKAGED_NAME)
    if traversable.is_dir():
        return Path(str(traversable))
    return _CHECKOUT


def resource_path(*parts: str) -> Path:
    """``resources/<parts…>`` (the path may not exist; callers say so when it matters)."""
    return resources_dir().joinpath(*parts)
