"""Follow a value across saves ("pins"; issue 15): paths that find records by identity, their
values over every loaded save in time order, and the list of followed values. No Qt.

Not to be confused with ``core/browser/follow.py`` ("follow live": watching a browser profile
for new saves) — new saves arriving that way extend the followed values' charts.
"""
from __future__ import annotations

from .board import MAX_PINS, PinBoard, dump_pins, load_pins
from .model import MISSING, Composite, Match, Pin, PinError, concrete_path, pin_from_node, resolve, value_kind, value_text
from .natural import natural_pins
from .series import PinResolver, PinSeries, PinsCancelled, Point, SaveRef, save_refs, save_time, series

__all__ = [
    "MAX_PINS", "MISSING", "Composite", "Match", "Pin", "PinBoard", "PinError", "PinResolver", "PinSeries",
    "PinsCancelled", "Point", "SaveRef", "concrete_path", "dump_pins", "load_pins", "natural_pins", "pin_from_node", "resolve",
    "save_refs", "save_time", "series", "value_kind", "value_text",
]
