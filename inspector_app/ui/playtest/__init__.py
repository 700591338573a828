"""The Playtest page (issue 15): a whole playtest at once, over ``core/playtest``."""
from .panel import PlaytestPanel

__all__ = ["PlaytestPanel"]
