"""What changed between two saves: a structural JSON diff and designer-level sentences.

No Qt. Public API:

* :func:`diff_json` → :class:`DiffResult` of :class:`DiffEntry` (kinds in :class:`DiffKind`)
* :func:`semantic_changes` / :func:`compare_payloads` → list of :class:`Change`
* :class:`DiffTree` / :func:`filter_entries` — entries grouped by path for a tree view
"""
from .structural import (
    DEFAULT_MAX_ENTRIES, DiffCancelled, DiffEntry, DiffKind, DiffResult, ItemKey, diff_json, json_type, same,
)
from .grouping import DiffTree, EntryFilter, filter_entries
from .semantic import DOMAINS, Change, compare_payloads, group_by_domain, semantic_changes

__all__ = [
    "DEFAULT_MAX_ENTRIES", "DiffCancelled", "DiffEntry", "DiffKind", "DiffResult", "ItemKey", "diff_json",
    "json_type", "same", "DiffTree", "EntryFilter", "filter_entries", "Change",
    "compare_payloads", "semantic_changes", "group_by_domain", "DOMAINS",
]
