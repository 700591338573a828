"""Metric history view (benchmark and latency charts with budgets and regression markers)."""
from .panel import MetricHistoryPanel

__all__ = ["MetricHistoryPanel"]
