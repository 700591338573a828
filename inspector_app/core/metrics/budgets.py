"""Latency budgets: the spec's limits (shipped in ``resources/budgets.default.json``) plus the
user's own edits, and the warning / critical bands the game's baseline summary uses (§7.7).

A user file (``<config dir>/telemetry-inspector/budgets.json``) has the same shape as the
default: entries replace defaults with the same ``id``, ``{"id": …, "disabled": true}`` removes
one, new ids are added, and ``bands`` override the default 80 % / 95 %. Bad entries are skipped
with a message naming the file and the JSON path; they never stop the view from opening.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from .model import SeriesKey
from .readers import MetricFileError, load_json
from inspector_app.core.common.userdirs import config_dir
from inspector_app.resources import resource_path

DEFAULT_BUDGETS_PATH = resource_path("budgets.default.json")
USER_BUDGETS_NAME = "budgets.json"


@dataclass(frozen=True)
class Budget:
    id: str
    label: str
    source: str
    benchmark: str
    statistic: str
    limit: float
    unit: str = "ms"
    note: str = ""

    def matches(self, key: SeriesKey) -> bool:
        return (fnmatchcase(key.source.lower(), self.source.lower())
                and fnmatchcase(key.benchmark.lower(), self.benchmark.lower())
                and fnmatchcase(key.statistic.lower(), self.statistic.lower()))


@dataclass(frozen=True)
class Bands:
    warning: float = 0.8
    critical: float = 0.95


@dataclass
class BudgetConfig:
    budgets: list[Budget] = field(default_factory=list)
    bands: Bands = field(default_factory=Bands)
    problems: list[str] = field(default_factory=list)

    def for_series(self, key: SeriesKey) -> list[Budget]:
        """Budgets that apply to a series, lowest limit first."""
        return sorted((b for b in self.budgets if b.matches(key)), key=lambda b: b.limit)

    def status(self, value: float, limit: float) -> str:
        """'ok' | 'warning' | 'critical' | 'over' for one value against one limit (§7.7 rules)."""
        if limit <= 0:
            return "ok"
        if value > limit:
            return "over"
        ratio = value / limit
        if ratio >= self.bands.critical:
            return "critical"
        if ratio >= self.bands.warning:
            return "warning"
        return "ok"


def user_budgets_path() -> Path:
    """``budgets.json`` in the user's config directory (``$TELEMETRY_INSPECTOR_CONFIG_DIR`` honoured)."""
    return config_dir() / USER_BUDGETS_NAME


def _parse(path: Path, doc: Any, problems: list[str]) -> tuple[dict[str, dict], dict | None]:
    entries: dict[str, dict] = {}
    if not isinstance(doc, dict):
        problems.append(f"{path}: $: expected an object with 'budgets'")
        return entries, None
    raw = doc.get("budgets", [])
    if not isinstance(raw, list):
        problems.append(f"{path}: $.budgets: expected a list")
        raw = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(f"{path}: $.budgets[{i}]: needs an object with a string 'id'")
            continue
        entries[entry["id"]] = entry
    bands = doc.get("bands")
    if bands is not None and not isinstance(bands, dict):
        problems.append(f"{path}: $.bands: expected an object")
        bands = None
    return entries, bands


def _budget(path: Path, index_hint: str, entry: dict, problems: list[str]) -> Budget | None:
    limit = entry.get("limit")
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit <= 0:
        problems.append(f"{path}: budget {index_hint}: 'limit' must be a positive number")
        return None
    return Budget(id=entry["id"], label=str(entry.get("label") or entry["id"]),
                  source=str(entry.get("source", "*")), benchmark=str(entry.get("benchmark", "*")),
                  statistic=str(entry.get("statistic", "*")), limit=float(limit),
                  unit=str(entry.get("unit", "ms")), note=str(entry.get("note", "")))


def load_budgets(user_path: str | Path | None = None, default_path: str | Path | None = None) -> BudgetConfig:
    """Defaults merged with the user's file (which need not exist)."""
    problems: list[str] = []
    merged: dict[str, dict] = {}
    bands = {"warning": 0.8, "critical": 0.95}
    for path, required in ((Path(default_path) if default_path else DEFAULT_BUDGETS_PATH, True),
                           (Path(user_path) if user_path else user_budgets_path(), False)):
        if not path.is_file():
            if required:
                problems.append(f"{path}: default budgets not found; no spec budgets will be drawn")
            continue
        try:
            doc = load_json(path)
        except MetricFileError as exc:
            problems.append(str(exc))
            continue
        entries, file_bands = _parse(path, doc, problems)
        for bid, entry in entries.items():
            if entry.get("disabled"):
                merged.pop(bid, None)
            else:
                merged[bid] = {**merged.get(bid, {}), **entry, "_file": str(path)}
        if file_bands:
            for name in ("warning", "critical"):
                v = file_bands.get(name)
                if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 1:
                    bands[name] = float(v)
                elif name in file_bands:
                    problems.append(f"{path}: $.bands.{name}: must be a fraction in (0, 1]")
    budgets = [b for bid, e in merged.items() if (b := _budget(Path(e["_file"]), bid, e, problems)) is not None]
    if bands["warning"] > bands["critical"]:
        problems.append(f"bands: warning {bands['warning']} is above critical {bands['critical']}; using 0.8 / 0.95")
        bands = {"warning": 0.8, "critical": 0.95}
    return BudgetConfig(budgets=budgets, bands=Bands(**bands), problems=problems)
