"""Plain containers the domain views return: facts, tables and notes.

A view is data, not widgets: the Qt panel renders any :class:`DomainView` generically (a
facts grid, then one sortable table per :class:`Table`), and tests assert on the same data.
Row values stay raw (numbers, strings, bools, None, epoch-ms) so tables sort correctly; the
column ``kind`` says how to display them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Column kinds understood by the UI.
#: text: plain text · number: right-aligned, numeric sort · time: epoch ms shown as local
#: time (tooltip: ISO + relative) · badge: coloured by the row's tone · bool: yes/no.
COLUMN_KINDS = ("text", "number", "time", "badge", "bool")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"
    tooltip: str = ""


@dataclass
class Table:
    """One table of a view. ``rows`` are dicts keyed by column key.

    Optional per-row extras (never shown as columns):
    ``_tones``: ``{column_key: "good"|"warn"|"bad"|"neutral"|"info"|"unknown"}`` for badges;
    ``_tips``: ``{column_key: full text}`` for tooltips (e.g. untruncated descriptions).
    """

    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    empty_text: str = "Nothing recorded"
    caption: str = ""


    def values(self, column_key: str) -> list[Any]:
        """All values of one column, in row order (handy in tests)."""
        return [row.get(column_key) for row in self.rows]


def row_maker(keys: tuple[str, ...]):
    """``make(*values) -> dict`` of ``keys`` for the rows of a big table: plain dicts that
    share one key table (CPython keeps an instance's ``__dict__`` split from its class's
    shared keys, and the dict stays valid without the instance): ~100 bytes less per row of
    ten keys than a dict literal, for 90,000 inventory rows about a fifth of a 50 MB save.
    They compare, copy and read as any dict; adding a key turns one into an ordinary dict."""

    class _Row:
        pass

    def make(*values: Any) -> dict:
        obj = _Row()
        for key, value in zip(keys, values):
            setattr(obj, key, value)
        return obj.__dict__

    return make


@dataclass(frozen=True)
class Fact:
    """One labelled value of a view's header (e.g. "Attitude history" → "10 / 10")."""

    label: str
    value: str
    tooltip: str = ""
    tone: str = ""


@dataclass
class DomainView:
    """Everything one tab shows."""

    key: str
    title: str
    facts: list[Fact] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text_blocks: list[tuple[str, list[str]]] = field(default_factory=list)
    available: bool = True
    unavailable_reason: str = ""

    @classmethod
    def needs_save(cls, key: str, title: str, what: str) -> "DomainView":
        """The placeholder of a save-only tab shown for an inspector summary."""
        return cls(key=key, title=title, available=False,
                   unavailable_reason=f"{what} not part of an inspector summary — open a save.")

    def table(self, key: str) -> Table:
        """The table with this key (KeyError if absent)."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def fact(self, label: str) -> str:
        """The value of the fact with this label (KeyError if absent)."""
        for fact in self.facts:
            if fact.label == label:
                return fact.value
        raise KeyError(label)

    def to_dict(self) -> dict:
        return asdict(self)


