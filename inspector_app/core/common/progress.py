"""Progress reporting and cooperative cancellation: the types every long core operation takes.

A long operation accepts ``progress(done, total, text="")`` and ``cancelled() -> bool``; when
it sees ``cancelled()`` return True it raises a subclass of :class:`Cancelled`. The UI's
worker (``ui.workers.BackgroundTask``) treats any :class:`Cancelled` as a cancel, not a failure.
"""
from __future__ import annotations

from typing import Callable

ProgressFn = Callable[..., None]
CancelledFn = Callable[[], bool]


class Cancelled(Exception):
    """Base of every cancellation exception (LoadCancelled, SearchCancelled, DiffCancelled, ...)."""
