"""Summary statistics of a run's raw samples, computed the way the game's m1 profile does
(percentile = ``sorted[floor(n·p)]``) so numbers from samples compare with committed files."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .model import as_samples


def percentile(ordered: Sequence[float], p: float) -> float:
    """The m1-profile percentile of an already sorted sequence."""
    if not ordered:
        return math.nan
    return float(ordered[min(len(ordered) - 1, int(math.floor(len(ordered) * p)))])


def summarize(samples: Sequence[float]) -> dict[str, float]:
    """mean / min / max / median / p95 / count of finite samples (empty dict when none).

    Works on a float64 copy (8 bytes a value), so a file's millions of samples never become
    millions of Python floats; the mean is exact (``math.fsum``) up to 100,000 samples."""
    ordered = np.sort(as_samples(samples))
    n = len(ordered)
    if n == 0:
        return {}
    mid = n // 2
    median = float(ordered[mid]) if n % 2 else (float(ordered[mid - 1]) + float(ordered[mid])) / 2.0
    total = math.fsum(ordered.tolist()) if n <= 100_000 else float(np.sum(ordered, dtype=np.float64))
    return {
        "mean": total / n,
        "min": float(ordered[0]),
        "max": float(ordered[-1]),
        "median": median,
        "p95": float(ordered[min(n - 1, int(math.floor(n * 0.95)))]),
        "count": float(n),
    }


def quartiles(samples: Sequence[float]) -> tuple[float, float, float]:
    """(Q1, median, Q3) by linear interpolation, for box plots."""
    ordered = sorted(samples)
    if not ordered:
        return (math.nan, math.nan, math.nan)

    def q(p: float) -> float:
        pos = (len(ordered) - 1) * p
        lo = int(math.floor(pos))
        hi = min(lo + 1, len(ordered) - 1)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)

    return q(0.25), q(0.5), q(0.75)
