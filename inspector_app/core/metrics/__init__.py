"""Metric history core (no Qt): readers → common Run/Series model → SQLite index → budgets and
regression detection. The view in ``inspector_app.ui.metrics`` is a thin layer over this."""
from .budgets import Bands, Budget, BudgetConfig, load_budgets, user_budgets_path
from .generic import numeric_leaves, read_generic, run_time_for
from .history_log import append_export_metrics, history_path, read_export_history
from .index import IngestReport, MetricIndex, RunInfo, Scope, default_index_path
from .model import Limit, ReadResult, Run, SeriesData, SeriesKey
from .readers import detect_kind, read_metric_file
from .regression import DetectorConfig, Finding, analyse_series, detect_changes

__all__ = [
    "Bands", "Budget", "BudgetConfig", "load_budgets", "user_budgets_path",
    "numeric_leaves", "read_generic", "run_time_for",
    "append_export_metrics", "history_path", "read_export_history",
    "IngestReport", "MetricIndex", "RunInfo", "Scope", "default_index_path",
    "Limit", "ReadResult", "Run", "SeriesData", "SeriesKey",
    "detect_kind", "read_metric_file",
    "DetectorConfig", "Finding", "analyse_series", "detect_changes",
]
