"""The followed values of the window, as plain data (no Qt): which pins, in which order, and how
they are remembered across runs.

Settings keep them as a list of strings, one per pin: ``{"pin": "<pin text>", "label": "…"}``
(JSON, so a label may hold any character). Entries that cannot be read are skipped and
reported (``PinBoard.load`` returns the problems), never fatal.
"""
from __future__ import annotations

from typing import Iterable

import orjson

from .model import Pin, PinError

__all__ = ["PinBoard", "dump_pins", "load_pins"]

#: more pins than this stack too thin to read at 800 px; the board refuses further ones
MAX_PINS = 12


def dump_pins(pins: Iterable[Pin]) -> list[str]:
    """One settings string per pin (order kept)."""
    return [orjson.dumps({"pin": p.key, "label": p.label}).decode() for p in pins]


def load_pins(entries: Iterable[str]) -> tuple[list[Pin], list[str]]:
    """The pins of :func:`dump_pins`' strings, and a message per entry that could not be read.
    A bare pin text (no JSON) is read as a pin without label."""
    pins: list[Pin] = []
    problems: list[str] = []
    for n, entry in enumerate(entries, start=1):
        try:
            if entry.lstrip().startswith("{"):
                data = orjson.loads(entry)
                if not isinstance(data, dict) or not isinstance(data.get("pin"), str):
                    raise PinError('expected {"pin": "<path>", "label": "…"}')
                label = data.get("label")
                pin = Pin.parse(data["pin"], label if isinstance(label, str) else "")
            else:
                pin = Pin.parse(entry)
        except (PinError, orjson.JSONDecodeError) as exc:
            problems.append(f"followed value {n} ({entry[:80]!r}): {exc}")
            continue
        if pin not in pins:
            pins.append(pin)
    return pins, problems


class PinBoard:
    """Ordered, de-duplicated pins."""

    def __init__(self, pins: Iterable[Pin] = ()):
        self._pins: list[Pin] = []
        for p in pins:
            self.add(p)

    @property
    def pins(self) -> list[Pin]:
        return list(self._pins)

    def __len__(self) -> int:
        return len(self._pins)

    def __contains__(self, pin: object) -> bool:
        return pin in self._pins

    def add(self, pin: Pin) -> bool:
        """Append ``pin``; False when it is already followed (its label is updated) or the board is full."""
        if pin in self._pins:
            i = self._pins.index(pin)
            if pin.label:
                self._pins[i] = self._pins[i].with_label(pin.label)
            return False
        if len(self._pins) >= MAX_PINS:
            return False
        self._pins.append(pin)
        return True

    def remove(self, pin: Pin) -> bool:
        if pin not in self._pins:
            return False
        self._pins.remove(pin)
        return True

    def move(self, pin: Pin, offset: int) -> bool:
        """Move ``pin`` up (-1) or down (+1); False at the ends."""
        if pin not in self._pins:
            return False
        i = self._pins.index(pin)
        j = i + offset
        if not 0 <= j < len(self._pins) or j == i:
            return False
        self._pins.insert(j, self._pins.pop(i))
        return True

    def clear(self) -> None:
        self._pins.clear()

    def dump(self) -> list[str]:
        return dump_pins(self._pins)

    @classmethod
    def load(cls, entries: Iterable[str]) -> tuple[PinBoard, list[str]]:
        pins, problems = load_pins(entries)
        return cls(pins), problems
