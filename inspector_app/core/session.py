"""The application session: what is open, what is shown, what failed, what is being compared.

No Qt here: the main window is a thin view over a :class:`Session` (issue 10), so everything a
test needs to know about the window's state — open documents, the current and previous slot,
failed opens, recent files, a loaded metrics folder, the title and status text — is checked
without a widget.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from inspector_app.core.common.textsafe import visible

if TYPE_CHECKING:  # the document model is imported by the first open, not at start-up (issue 13)
    from inspector_app.core.loading.document import Problem, SaveDocument, SlotEntry

APP_NAME = "Telemetry Inspector"
MAX_RECENT = 10

# Player-typed text (labels, keys) is shown through the app's one escaping rule: bidi overrides,
# zero-width and control characters become visible escapes (core/common/textsafe.py).
visible_text = visible


@dataclass(frozen=True)
class SlotRow:
    """A row of the save browser: a slot of a document, or the document itself for
    summary inputs that carry no slots."""

    document: SaveDocument
    slot: SlotEntry | None

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.document.path), self.slot.key if self.slot else "")

    @property
    def is_readable(self) -> bool:
        return self.slot.has_payload if self.slot is not None else self.document.summary is not None

    @property
    def name(self) -> str:
        """What the title and status bar call this row: the file, and the slot of a profile."""
        if self.slot is None or len(self.document.slots) <= 1:
            return self.document.display_name
        return f"{self.document.display_name} ({visible_text(self.slot.label)})"


def rows_of(documents: Iterable[SaveDocument]) -> list[SlotRow]:
    rows: list[SlotRow] = []
    for doc in documents:
        if doc.slots:
            rows.extend(SlotRow(doc, s) for s in doc.slots)
        else:
            rows.append(SlotRow(doc, None))
    return rows


def row_source(row: SlotRow, short: bool = False) -> str:
    """Where a row comes from: the file's name, or a browser profile's "browser · profile ·
    origin"; ``short``: without the ``.json`` / ``.localStorage.json`` ending (for a narrow list)."""
    doc = row.document
    if doc.source:
        return doc.display_name
    name = Path(doc.path).name
    if short:
        for ending in (".localStorage.json", ".json"):
            if name.lower().endswith(ending.lower()) and len(name) > len(ending):
                return name[:-len(ending)]
    return name


def duplicate_sources(rows: Iterable[SlotRow]) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """Rows that would read the same in the save list — the same slot (label and id) open from
    different files, e.g. a profile and a single save exported from it — never look alike: row
    key -> (where this row comes from, short; where the others come from, "… (same save time and
    size)" when their time stamp and size agree too). Rows without a twin are not listed."""
    groups: dict[tuple, list[tuple[SlotRow, SlotEntry]]] = {}
    for r in rows:
        if r.slot is not None:
            groups.setdefault((r.slot.label, r.slot.slot_id), []).append((r, r.slot))
    out: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for twins in groups.values():
        if len({str(r.document.path) for r, _ in twins}) < 2:
            continue
        for r, slot in twins:
            others = []
            for o, other in twins:
                if o is r:
                    continue
                same = (other.timestamp, other.size_bytes) == (slot.timestamp, slot.size_bytes)
                others.append(row_source(o) + (" (same save time and size)" if same else ""))
            out[r.key] = (row_source(r, short=True), others)
    return out


class RecentFiles:
    """Most recent first, no duplicates, at most ``limit``. Persisting is the caller's job."""

    def __init__(self, paths: Iterable[str] = (), limit: int = MAX_RECENT):
        self.limit = limit
        self._paths: list[str] = []
        for p in paths:
            if p and p not in self._paths:
                self._paths.append(str(p))
        del self._paths[limit:]

    def add(self, path: str) -> list[str]:
        self._paths = [str(path)] + [p for p in self._paths if p != str(path)]
        del self._paths[self.limit:]
        return self.paths()

    def clear(self) -> None:
        self._paths = []

    def paths(self) -> list[str]:
        return list(self._paths)


@dataclass(frozen=True)
class ProblemCounts:
    errors: int = 0
    warnings: int = 0
    notices: int = 0

    @property
    def total(self) -> int:
        return self.errors + self.warnings + self.notices

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> ProblemCounts:
        e = w = n = 0
        problems = list(problems)
        if problems:
            from inspector_app.core.loading.document import Severity
        for p in problems:
            if p.severity == Severity.ERROR:
                e += 1
            elif p.severity == Severity.WARNING:
                w += 1
            else:
                n += 1
        return cls(e, w, n)

    def describe(self) -> str:
        if not self.total:
            return "No problems."
        parts = [(self.errors, "error"), (self.warnings, "warning"), (self.notices, "notice")]
        return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts if n)


class Session:
    """Everything the window shows, as plain data."""

    def __init__(self, recent: Iterable[str] = ()):
        self._documents: list[SaveDocument] = []
        self._failed: dict[str, Problem] = {}
        self.loading: set[str] = set()
        self.current: SlotRow | None = None
        self.previous: SlotRow | None = None
        self.metrics_folder: str | None = None
        self.recent = RecentFiles(recent)

    # -- documents -------------------------------------------------------------------
    @property
    def documents(self) -> list[SaveDocument]:
        return list(self._documents)

    def rows(self) -> list[SlotRow]:
        return rows_of(self._documents)

    def document_loaded(self, key: str, doc: SaveDocument) -> None:
        """A document arrived: it replaces one of the same path; a failure of that path is gone."""
        self._failed.pop(key, None)
        self._failed.pop(str(doc.path), None)
        self._documents = [d for d in self._documents if str(d.path) != str(doc.path)] + [doc]
        self.recent.add(key)

    def replace_document(self, old: SaveDocument, new: SaveDocument) -> None:
        """A reloaded document (follow live) takes the place of the one it replaces."""
        self._documents = [new if d is old else d for d in self._documents]

    def load_failed(self, key: str, problem: Problem) -> None:
        self._failed[key] = problem

    def close_document(self, doc: SaveDocument) -> None:
        self._documents = [d for d in self._documents if d is not doc]
        if self.current is not None and self.current.document is doc:
            self.current = None
        if self.previous is not None and self.previous.document is doc:
            self.previous = None

    def metrics_opened(self, folder: str) -> None:
        self.metrics_folder = folder
        self.recent.add(folder)

    @property
    def has_saves(self) -> bool:
        return bool(self._documents)

    # -- selection -----------------------------------------------------------------------
    def select(self, row: SlotRow | None) -> None:
        if row is not None and self.current is not None and row.key != self.current.key:
            self.previous = self.current
        self.current = row

    def export_source(self) -> tuple[str, Any, str] | None:
        """What the Export action exports: (summary-or-payload kind, value, suggested label)."""
        row = self.current
        if row is None:
            return None
        if row.slot is None:
            return None if row.document.summary is None else ("summary", row.document.summary, row.document.path.stem)
        if not row.slot.has_payload:
            return None
        return ("payload", row.slot, row.slot.label)

    def compare_rows(self) -> list[SlotRow]:
        return [r for r in self.rows() if r.slot is not None and r.slot.has_payload]

    @property
    def can_compare(self) -> bool:
        return len(self.compare_rows()) >= 2

    def comparison_pair(self, rows: list[SlotRow] | None = None) -> tuple[int, int] | None:
        """Indexes into ``rows`` (default :meth:`compare_rows`) of the previous and current slot,
        older first (the game's timestamps decide which is A); None unless both are readable."""
        rows = self.compare_rows() if rows is None else rows
        keys = [r.key for r in rows]
        if self.previous is None or self.current is None:
            return None
        if self.previous.key not in keys or self.current.key not in keys:
            return None
        a, b = keys.index(self.previous.key), keys.index(self.current.key)
        if a == b:
            return None
        ta, tb = _timestamp(rows[a]), _timestamp(rows[b])
        if ta is not None and tb is not None and ta > tb:
            a, b = b, a
        return a, b

    # -- problems --------------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        """Every finding of every open document, then every failed open."""
        return [p for d in self._documents for p in d.all_problems] + list(self._failed.values())

    def problem_counts(self) -> ProblemCounts:
        return ProblemCounts.of(self.problems())

    # -- text ---------------------------------------------------------------------------------
    def window_title(self) -> str:
        """``file (slot) — Telemetry Inspector``; the metrics folder when only that is open."""
        if self.current is not None:
            return f"{self.current.name} — {APP_NAME}"
        if self.metrics_folder:
            return f"{Path(self.metrics_folder).name} — {APP_NAME}"
        return APP_NAME

    def status_text(self, metrics_status: str | None = None) -> str:
        """The status bar: what is loaded (``metrics_status`` when the metric view is current)."""
        if self.loading:
            names = sorted(Path(k).name for k in self.loading)
            return f"Opening {', '.join(names)}…"
        if metrics_status:
            return metrics_status
        if not self._documents:
            if self.metrics_folder:
                return f"Metrics folder {self.metrics_folder} — see Metric History"
            return "Nothing loaded — File ▸ Open (Ctrl+O) or drop a file"
        n_slots = sum(len(d.slots) for d in self._documents)
        text = f"{len(self._documents)} file{'s' if len(self._documents) != 1 else ''}, {n_slots} slot{'s' if n_slots != 1 else ''}"
        if self.current is not None:
            r = self.current
            shown = visible_text(r.slot.label) if r.slot else r.document.path.name
            text += f" — showing {shown} from {r.document.display_name}"
        counts = self.problem_counts()
        if counts.total:
            text += f" — {counts.describe()}"
        return text


def _timestamp(row: SlotRow) -> float | None:
    ts = row.slot.timestamp if row.slot is not None else None
    return float(ts) if isinstance(ts, (int, float)) and not isinstance(ts, bool) else None
