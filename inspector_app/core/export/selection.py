"""Export what the user is looking at: a world-state subtree, or the current search results.

Same pieces as the report export: artifacts are built here, then written by the shared
:class:`WriterAdapter` with a :class:`FileSystemWriter` (atomic, never overwrites), so a
failure comes back as a located, readable reason in the adapter metrics.

CSV follows the game's encoding rules (§5.7, ``csvfmt``). A subtree CSV has one row per leaf
(``path,type,value``; containers that are empty get a row too, so nothing disappears).

No Qt here.
"""
from __future__ import annotations

from inspector_app.core.common.progress import Cancelled

import os
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson

from inspector_app.core.common.jsfmt import js_number
from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.search import SearchResult, json_type_name

from .adapter import AdapterMetrics, WriterAdapter
from .artifacts import Artifact
from .csvfmt import csv_document
from .events import EventBus
from .writers import FileSystemWriter

MIME = {"json": "application/json", "csv": "text/csv"}


def _pretty(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n"


def _leaf_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()  # an empty container


def iter_leaves(value: Any, base: tuple = (), cancelled: Callable[[], bool] | None = None) -> Iterable[tuple[tuple, Any]]:
    """(path, value) of every leaf below ``value`` in document order (iterative: any depth)."""
    stack: list[tuple[tuple, Any]] = [(base, value)]
    n = 0
    while stack:
        path, node = stack.pop()
        n += 1
        if cancelled is not None and n % 8192 == 0 and cancelled():
            raise SelectionExportCancelled()
        if isinstance(node, dict) and node:
            stack.extend((path + (k,), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list) and node:
            stack.extend((path + (i,), v) for i, v in reversed(list(enumerate(node))))
        else:
            yield path, node


class SelectionExportCancelled(Cancelled):
    pass


def subtree_artifact(value: Any, path: tuple, filename: str, fmt: str,
                     cancelled: Callable[[], bool] | None = None) -> Artifact:
    """The node at ``path`` (its value given) as pretty JSON, or as a leaf table in CSV."""
    if fmt == "json":
        content = _pretty(value)
    elif fmt == "csv":
        rows = ((format_path(p), json_type_name(v), _leaf_text(v)) for p, v in iter_leaves(value, tuple(path), cancelled))
        content = csv_document(("path", "type", "value"), rows)
    else:
        raise ValueError(f"unknown format {fmt!r} (json or csv)")
    return Artifact(type=fmt, filename=filename, mime_type=MIME[fmt], content=content, section="subtree")


def search_results_artifact(result: SearchResult, filename: str, fmt: str) -> Artifact:
    """The hits of one search (with the query and whether the list was capped)."""
    if fmt == "json":
        content = _pretty({
            "query": result.query,
            "totalMatches": result.total_matches,
            "totalIsLowerBound": result.total_is_lower_bound,
            "truncated": result.truncated,
            "hits": [{"path": h.json_path, "field": h.field, "preview": h.preview} for h in result.hits],
        })
    elif fmt == "csv":
        content = csv_document(("path", "field", "preview"), ((h.json_path, h.field, h.preview) for h in result.hits))
    else:
        raise ValueError(f"unknown format {fmt!r} (json or csv)")
    return Artifact(type=fmt, filename=filename, mime_type=MIME[fmt], content=content, section="search-results")


def format_for(path: str | os.PathLike[str]) -> str:
    """``csv`` for a ``.csv`` name, else ``json``."""
    return "csv" if str(path).lower().endswith(".csv") else "json"


def write_selection(artifact: Artifact, out_dir: str | os.PathLike[str], *, bus: EventBus | None = None,
                    cancelled: Callable[[], bool] | None = None) -> AdapterMetrics:
    """Write one artifact through the shared adapter and filesystem writer (atomic, no overwrite)."""
    adapter = WriterAdapter([FileSystemWriter(Path(out_dir))], bus=bus)
    return adapter.write_artifacts([artifact], {"prefix": Path(artifact.filename).stem, "formats": [artifact.type],
                                                "artifactCount": 1, "source": artifact.section},
                                   cancelled=cancelled)
