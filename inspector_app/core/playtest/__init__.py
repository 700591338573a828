"""Playtest: read a whole playtest (one profile per player) at once (issue 15). No Qt.

per-profile summary (:func:`summarize_profile`) → mergeable partials (:class:`Partial`,
:func:`merge`) → report (:func:`build_report`), run on all cores or a Dask cluster with a per-file
cache (:func:`run_playtest`). The API contract for the GUI is ``/work/briefs/playtest-api.md``
(mirrored in ``docs/architecture.md``).
"""
from __future__ import annotations

from .cache import SummaryCache
from .model import (
    FactionRecord, PlayerSource, PlayerSummary, ProblemInfo, QuestRecord, SaveInfo, StepRecord,
)
from .partial import Partial, PlayerRow, merge, merge_all
from .report import (
    CompletionRow, Distribution, FactionRow, FunnelStep, Group, PlaytestReport, Standout, build_report,
)
from .run import PlaytestCancelled, PlaytestRun, run_playtest, run_sources
from .sources import discover_sources
from .summarize import summarize_profile

__all__ = [
    "CompletionRow", "Distribution", "FactionRecord", "FactionRow", "FunnelStep", "Group", "Partial",
    "PlayerRow", "PlayerSource", "PlayerSummary", "PlaytestCancelled", "PlaytestReport", "PlaytestRun",
    "ProblemInfo", "QuestRecord", "SaveInfo", "StepRecord", "Standout", "SummaryCache", "build_report",
    "discover_sources", "merge", "merge_all", "run_playtest", "run_sources", "summarize_profile",
]
