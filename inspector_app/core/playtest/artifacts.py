"""The playtest report as files — Markdown, CSVs (funnel, quests, factions, players), JSON, PNG
charts — written through the shared export pipeline (``core/export/pipeline.run_export`` with a
pre-built artifact set): atomic, never overwriting silently (identical files are "unchanged"),
inputs protected, stale temporaries cleaned, the CI manifest (``ci-artifacts.json``) listing what
was written. The GUI's button and ``inspector-playtest`` both call :func:`write_report`.

PNG bytes are rendered by ``inspector_app/render`` (Qt) and passed in as ``charts``; this module
stays Qt-free.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspector_app.core.common.textsafe import visible
from inspector_app.core.common.timefmt import format_duration_ms, format_playtime
from inspector_app.core.export.artifacts import Artifact, ArtifactSet, BudgetStatus
from inspector_app.core.export.csvfmt import csv_document

from .report import Distribution, Group, PlaytestReport

FORMATS = ("md", "csv", "png", "json")
DEFAULT_FORMATS = FORMATS
DEFAULT_PREFIX = "playtest"
#: players listed by name in a Markdown cell before "… and N more" (the CSV/JSON list them all)
MD_PLAYERS = 8
CHART_NAMES = ("funnel", "factions", "playtime")


@dataclass(frozen=True)
class BinaryArtifact(Artifact):
    """An artifact whose bytes are not text (PNG): the writers store ``payload`` as it is."""

    payload: bytes = b""

    @property
    def data(self) -> bytes:
        return self.payload


def unknown_formats(formats: Iterable[str]) -> list[str]:
    return [f for f in formats if f not in FORMATS]


def parse_formats(values: Iterable[str] | str | None) -> list[str]:
    """``"md,csv"`` / ``["md", "csv,png"]`` → ``["md", "csv", "png"]`` (order of FORMATS, no duplicates)."""
    if values is None:
        return list(DEFAULT_FORMATS)
    items = [values] if isinstance(values, str) else list(values)
    wanted = {part.strip().lower() for item in items for part in item.split(",") if part.strip()}
    return [f for f in FORMATS if f in wanted] + sorted(wanted - set(FORMATS))


# -- text --------------------------------------------------------------------------------------------
def _ms(value: Any) -> str:
    return "—" if value is None else format_duration_ms(value)


def _players(group: Group | Sequence[str], limit: int = MD_PLAYERS) -> str:
    ids = group.players if isinstance(group, Group) else tuple(group)
    shown = ", ".join(_md_text(p) for p in ids[:limit])
    return shown + (f" … and {len(ids) - limit} more" if len(ids) > limit else "")


def _md_text(text: Any) -> str:
    """Player-typed text in a Markdown table cell: controls escaped, pipes and backticks neutral."""
    return visible(str(text)).replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("\n", " ")


def _spread(d: Distribution, fmt: Callable[[Any], str] = _ms) -> str:
    if not d.n:
        return "—"
    return f"{fmt(d.median)} (IQR {fmt(d.p25)}–{fmt(d.p75)}, range {fmt(d.min)}–{fmt(d.max)})"


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def report_markdown(report: PlaytestReport) -> str:
    c = report.counts
    out = ["# Playtest report", "",
           f"{c['players']} player(s): {c['included']} in the numbers, {c['excluded']} left out (listed below).", ""]
    if report.tutorial:
        out.append("Tutorial: " + ", ".join(f"{status} {g.count}" for status, g in report.tutorial) + ".")
        out.append("")
    out += ["## Tutorial funnel", "",
            "| # | Step | Reached | Completed | Skipped | Still on it | Time (median, IQR, range) | Skipped by | Still on it |",
            "|---:|---|---:|---:|---:|---:|---|---|---|"]
    for s in report.funnel:
        out.append(f"| {s.index + 1} | {_md_text(s.title)} | {s.reached.count} | {s.completed.count} | "
                   f"{s.skipped.count} | {s.open.count} | {_spread(s.time)} | {_players(s.skipped)} | "
                   f"{_players(s.open)} |")
    for title, rows in (("Quests", report.quests), ("Cases", report.cases)):
        out += ["", f"## {title}", "", "| Id | Title | Started | Completed | Statuses |", "|---|---|---:|---:|---|"]
        for q in rows:
            statuses = ", ".join(f"{status} {g.count}" for status, g in q.statuses)
            out.append(f"| {_md_text(q.id)} | {_md_text(q.title)} | {q.started.count} | {q.completed.count} | "
                       f"{_md_text(statuses)} |")
    out += ["", "## Faction reputation at the latest save", "", "fame − infamy per player.", "",
            "| Faction | Players | Median | IQR | Range | Lowest | Highest | Attitudes |",
            "|---|---:|---:|---|---|---|---|---|"]
    for f in report.factions:
        r = f.reputation
        attitudes = ", ".join(f"{a} {g.count}" for a, g in f.attitudes)
        out.append(f"| {_md_text(f.name)} | {r.n} | {_num(r.median)} | {_num(r.p25)}–{_num(r.p75)} | "
                   f"{_num(r.min)}–{_num(r.max)} | {_players(r.min_players, 3)} | {_players(r.max_players, 3)} | "
                   f"{_md_text(attitudes)} |")
    out += ["", "## Playtime and saves", "",
            f"* Playtime at the latest save: {_spread(report.playtime, lambda v: format_playtime(v))}; "
            f"shortest {_players(report.playtime.min_players, 3)}, longest {_players(report.playtime.max_players, 3)}.",
            f"* Saves per player: {_spread(report.save_counts, _num)}.", "", "## Players who stand out", ""]
    for title, items in (("Stalled longest", report.stalled_longest), ("Skipped the tutorial", report.skipped_tutorial),
                         ("Errors in their saves", report.save_errors)):
        out.append(f"**{title}** ({len(items)})" + (":" if items else ": none."))
        out += [f"* {_md_text(s.player_id)} — {_md_text(s.detail)}" for s in items]
        out.append("")
    out += ["## Left out of the numbers", ""]
    if not report.excluded and not report.source_problems:
        out.append("Nothing: every profile was read.")
    for pid, problems in report.excluded:
        out.append(f"* **{_md_text(pid)}**: " + "; ".join(_md_text(p.describe()) for p in problems[:5])
                   + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""))
    for p in report.source_problems:
        out.append(f"* input {_md_text(p.describe())}")
    out += ["", "## Players", "", "| Player | Tutorial | Saves | Playtime | Problems | Profile |",
            "|---|---|---:|---:|---:|---|"]
    for row in report.players:
        status = "left out" if row.excluded else row.tutorial_status
        out.append(f"| {_md_text(row.player_id)} | {status} | {row.saves} | {format_playtime(row.playtime_ms)} | "
                   f"{row.problems} | `{_md_text(row.path)}` |")
    return "\n".join(out) + "\n"


def _ids(group: Group | Sequence[str]) -> str:
    ids = group.players if isinstance(group, Group) else tuple(group)
    return " ".join(ids)


def funnel_csv(report: PlaytestReport) -> str:
    header = ["step_index", "step_id", "title", "reached", "completed", "skipped", "open", "time_n", "time_median_ms",
              "time_p25_ms", "time_p75_ms", "time_min_ms", "time_max_ms", "reached_players", "completed_players",
              "skipped_players", "open_players"]
    rows = [[s.index, s.step_id, s.title, s.reached.count, s.completed.count, s.skipped.count, s.open.count, s.time.n,
             s.time.median, s.time.p25, s.time.p75, s.time.min, s.time.max, _ids(s.reached), _ids(s.completed),
             _ids(s.skipped), _ids(s.open)] for s in report.funnel]
    return csv_document(header, rows)


def quests_csv(report: PlaytestReport) -> str:
    rows = []
    for kind, items in (("quest", report.quests), ("case", report.cases)):
        for q in items:
            for status, g in q.statuses:
                rows.append([kind, q.id, q.title, status, g.count, _ids(g)])
    return csv_document(["kind", "id", "title", "status", "players", "player_ids"], rows)


def factions_csv(report: PlaytestReport) -> str:
    header = ["faction_id", "name", "players", "reputation_min", "reputation_p25", "reputation_median",
              "reputation_p75", "reputation_max", "reputation_mean", "fame_median", "infamy_median", "attitudes",
              "lowest_players", "highest_players", "player_ids"]
    rows = [[f.faction_id, f.name, f.reputation.n, f.reputation.min, f.reputation.p25, f.reputation.median,
             f.reputation.p75, f.reputation.max, f.reputation.mean, f.fame.median, f.infamy.median,
             "; ".join(f"{a}={g.count}" for a, g in f.attitudes), _ids(f.reputation.min_players),
             _ids(f.reputation.max_players), _ids(f.reputation.players)] for f in report.factions]
    return csv_document(header, rows)


def players_csv(report: PlaytestReport) -> str:
    header = ["player_id", "label", "excluded", "tutorial_status", "steps_completed", "steps_skipped", "stalled_step",
              "stalled_ms", "saves", "error_saves", "problems", "playtime_ms", "last_save_ms", "kind", "path"]
    rows = [[r.player_id, r.label, r.excluded, r.tutorial_status, r.steps_completed, r.steps_skipped, r.stalled_step,
             r.stalled_ms, r.saves, r.error_saves, r.problems, r.playtime_ms, r.last_save_ms, r.kind, r.path]
            for r in report.players]
    return csv_document(header, rows)


def report_artifacts(report: PlaytestReport, *, prefix: str = DEFAULT_PREFIX,
                     formats: Iterable[str] = ("md", "csv", "json"),
                     charts: Mapping[str, bytes] | None = None) -> list[Artifact]:
    """The report's files (``<prefix>-report.md``, ``<prefix>-funnel.csv`` …, ``<prefix>-funnel.png`` …)."""
    wanted = set(parse_formats(list(formats)))
    out: list[Artifact] = []
    if "md" in wanted:
        out.append(Artifact("markdown", f"{prefix}-report.md", "text/markdown", report_markdown(report), "report"))
    if "csv" in wanted:
        for section, build in (("funnel", funnel_csv), ("quests", quests_csv), ("factions", factions_csv),
                               ("players", players_csv)):
            out.append(Artifact("csv", f"{prefix}-{section}.csv", "text/csv", build(report), section))
    if "png" in wanted:
        for name, data in sorted((charts or {}).items()):
            out.append(BinaryArtifact("png", f"{prefix}-{name}.png", "image/png", "", name, payload=bytes(data)))
    if "json" in wanted:
        out.append(BinaryArtifact("json", f"{prefix}-report.json", "application/json", "", "report",
                                  payload=report.to_json_bytes()))
    return out


def write_report(report: PlaytestReport, out_dir: str | os.PathLike, *, prefix: str = DEFAULT_PREFIX,
                 formats: Iterable[str] = DEFAULT_FORMATS, charts: Mapping[str, bytes] | None = None,
                 overwrite: bool = False, manifest: bool = True, protected: Iterable[str | os.PathLike] = (),
                 cancelled: Callable[[], bool] | None = None, progress: Callable[..., Any] | None = None,
                 on_event: Callable[[str, Any], Any] | None = None):
    """Write the report through the shared pipeline; returns its ``ExportResult`` (``status`` ok /
    unchanged / partial / nothing-written / cancelled; never raises for a file that failed)."""
    from inspector_app.core.export.pipeline import PublishOptions, run_export

    formats = parse_formats(list(formats))
    artifacts = report_artifacts(report, prefix=prefix, formats=formats, charts=charts)
    counts = report.counts
    summary = {"source": "playtest", "players": counts["players"]}
    aset = ArtifactSet(summary=summary, artifacts=artifacts, budget=BudgetStatus("unknown", None),
                       formats=tuple(formats), prefix=prefix, timestamp="",
                       types=sorted({a.type for a in artifacts}))
    context = {"kind": "playtest", "players": counts["players"], "included": counts["included"],
               "excluded": counts["excluded"]}
    return run_export(summary, out_dir=Path(out_dir), prefix=prefix, formats=formats, artifact_set=aset,
                      publish=PublishOptions(dry_run=True) if manifest else None, overwrite=overwrite,
                      unchanged_ok=True, protected=list(protected), cancelled=cancelled, progress=progress,
                      on_event=on_event, context=context)
