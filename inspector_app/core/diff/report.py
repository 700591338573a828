"""A comparison as a report: JSON and Markdown of what changed between two saves (no Qt).

The compare view exports and copies these; the bytes go through the shared export adapter and
atomic writer like every other export. The designer-level changes are all listed (the view
caps long groups; a report does not), the structural differences with a one-line preview of
each value.
"""
from __future__ import annotations

from typing import Any

import orjson

from inspector_app.core.common.jsonpath import format_path
from inspector_app.core.export.csvfmt import json_pretty

from .semantic import Change, group_by_domain
from .structural import DiffKind, DiffResult

PREVIEW_CHARS = 160
_BIG_CONTAINER = 200
_MARKS = {"added": "+", "removed": "−", "changed": "~"}


def preview(value: Any, limit: int = PREVIEW_CHARS) -> str:
    """One-line JSON of a value, cut to ``limit``; big containers only say how big they are."""
    if isinstance(value, dict) and len(value) > _BIG_CONTAINER:
        return f"{{… {len(value):,} keys}}"
    if isinstance(value, (list, tuple)) and len(value) > _BIG_CONTAINER:
        return f"[… {len(value):,} items]"
    try:
        text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _path(parts: tuple | None) -> str | None:
    return None if parts is None else format_path(parts)


def comparison_report(label_a: str, label_b: str, result: DiffResult, changes: list[Change]) -> dict:
    """Everything a comparison found, as plain JSON values."""
    c = result.counts
    return {
        "a": label_a, "b": label_b,
        "counts": {"total": result.total, "added": c[DiffKind.ADDED], "removed": c[DiffKind.REMOVED],
                   "changed": c[DiffKind.CHANGED] + c[DiffKind.TYPE_CHANGED] + c[DiffKind.MOVED],
                   "designerChanges": len(changes)},
        "truncated": bool(result.truncated),
        "changes": [{"domain": domain, "items": [
            {"kind": ch.kind, "text": ch.text, "side": ch.side, "path": _path(ch.path)} for ch in items]}
            for domain, items in group_by_domain(changes)],
        "differences": [{"kind": e.kind.value, "path": _path(e.new_path if e.new_path is not None else e.old_path),
                         "old": None if e.kind is DiffKind.ADDED else preview(e.old),
                         "new": None if e.kind is DiffKind.REMOVED else preview(e.new)}
                        for e in result.entries],
    }


def report_json(report: dict) -> str:
    return json_pretty(report) + "\n"


def _md(text: Any) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def report_markdown(report: dict) -> str:
    """The report for a bug or a design note: counts, every change by domain, the differences."""
    n = report["counts"]
    lines = [f"# Comparison: {_md(report['a'])} → {_md(report['b'])}", "",
             f"{n['total']:,} differences: +{n['added']:,} added, −{n['removed']:,} removed, "
             f"~{n['changed']:,} changed; {n['designerChanges']:,} designer-level changes."]
    if report["truncated"]:
        lines.append(f"Only the first {len(report['differences']):,} differences were listed.")
    for group in report["changes"]:
        lines += ["", f"## {_md(group['domain'])} ({len(group['items']):,})", ""]
        lines += [f"- {_MARKS.get(item['kind'], '~')} {_md(item['text'])}" for item in group["items"]]
    if report["differences"]:
        lines += ["", "## All differences", "", "| Kind | Path | A (older) | B (newer) |", "| --- | --- | --- | --- |"]
        lines += [f"| {d['kind']} | `{_md(d['path'])}` | {_md(d['old'] or '')} | {_md(d['new'] or '')} |"
                  for d in report["differences"]]
    return "\n".join(lines) + "\n"
