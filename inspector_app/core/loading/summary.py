"""Inspector summaries: the raw ``getInspectorSummary()`` output and the exported
``<prefix>-summary-<T>.json``, whose CSV/MD companions sit next to it (save-format §9.3).

The export writes all artifacts of one run with the same prefix and time fragment, so the
siblings are found by name in the same folder; their content is parsed elsewhere.

No Qt here.
"""
from __future__ import annotations

import re
from pathlib import Path

from inspector_app.core.export.csvfmt import filename_timestamp
from inspector_app.core.loading.document import Problem, SaveDocument, Severity

#: sibling_artifacts keys -> file name pattern ({prefix}, {T})
SIBLING_SECTIONS: dict[str, str] = {
    "cascade": "{prefix}-cascade-targets-{T}.csv",
    "tutorial": "{prefix}-tutorial-snapshots-{T}.csv",
    "transcript-csv": "{prefix}-tutorial-transcript-{T}.csv",
    "transcript-md": "{prefix}-tutorial-transcript-{T}.md",
}
_SUMMARY_NAME = re.compile(r"^(?P<prefix>.+)-summary-(?P<T>\d{8}T\d{6}Z)\.json$", re.IGNORECASE)


def find_sibling_artifacts(path: Path, summary: dict) -> dict[str, Path]:
    """section -> path of the CSV/MD artifacts exported together with ``path``.

    Uses the prefix and time fragment of the file name; if the file was renamed, falls back
    to the time fragment of ``generatedAt`` and accepts a sibling only when it is unique.
    """
    folder = path.parent
    found: dict[str, Path] = {}
    m = _SUMMARY_NAME.match(path.name)
    try:
        if m:
            for section, pattern in SIBLING_SECTIONS.items():
                candidate = folder / pattern.format(prefix=m["prefix"], T=m["T"])
                if candidate.is_file():
                    found[section] = candidate
            return found
        # the export's own file-name rule (00000000T000000Z when generatedAt is falsy)
        frag = filename_timestamp(summary.get("generatedAt"))
        for section, pattern in SIBLING_SECTIONS.items():
            matches = sorted(p for p in folder.glob(pattern.format(prefix="*", T=frag)) if p.is_file())
            if len(matches) == 1:
                found[section] = matches[0]
    except OSError:
        return found
    return found


def check_summary(doc: SaveDocument, file: str, siblings_searched: bool) -> None:
    """Document-level notices for a summary: missing siblings, no store, spatial budget."""
    summary = doc.summary or {}

    def note(code: str, message: str, location: str | None = None) -> None:
        doc.problems.append(Problem(Severity.NOTICE, message, file=file, location=location, code=code))

    if summary.get("source") == "unavailable":
        note("summary_source_unavailable",
             "source is \"unavailable\": the game had no WorldStateStore when this summary was made, so the "
             "faction, tutorial, district and NPC sections are empty.", "$.source")
    engine = summary.get("engine")
    spatial = engine.get("spatialHash") if isinstance(engine, dict) else None
    if isinstance(spatial, dict) and spatial.get("payloadBudgetStatus") == "exceeds_budget":
        note("spatial_budget_exceeded",
             f"The spatial-hash history is {spatial.get('payloadBytes')} bytes, over its "
             f"{spatial.get('payloadBudgetBytes')}-byte budget by {spatial.get('payloadBudgetExceededBy')} bytes "
             "(the game warns about this when exporting).", "$.engine.spatialHash.payloadBytes")
    if doc.kind.value == "summary-export" and siblings_searched:
        missing = [s for s in SIBLING_SECTIONS if s not in doc.sibling_artifacts]
        if missing and len(missing) == len(SIBLING_SECTIONS):
            note("siblings_missing",
                 "No CSV/MD artifacts from the same export were found next to this file (cascade targets, "
                 "tutorial snapshots, tutorial transcript); only the JSON summary is available.")
        elif missing:
            note("siblings_partial",
                 "Some artifacts of the same export are not next to this file: "
                 + ", ".join(SIBLING_SECTIONS[s].format(prefix="<prefix>", T="<T>") for s in missing) + ".")
