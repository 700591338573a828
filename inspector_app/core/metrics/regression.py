"""Find where a metric changed for good: step changes and slow creep, never a single noisy run.

**Step** (binary segmentation): the split that best explains the series as two levels (least
squares) is tested against the *noise of the runs before it* — their run-to-run scatter and,
when runs carry min/max, the spread of their own iterations (range / 4 ≈ one standard deviation).
A step is reported only when the new level is at least ``noise_sigmas`` noise away, at least
``min_rel_change`` of the old level, confirmed by at least ``min_after`` runs of which
``persistence`` lie beyond the midpoint (the first one included), and when it explains the
data better than a gradual trend. Segments on both sides are searched again for further steps.

**Creep** (rolling baseline): inside each step-free stretch of at least ``min_creep_runs`` runs,
a Mann–Kendall trend test (robust to outliers) plus a Theil–Sen slope; the rolling median of
the last ``rolling_window`` runs is compared with that of the first. Where it began is the
hinge of the best "flat, then linear" fit.

Confidence is a number in [0, 1] for sorting and display: for steps ``(1 − p) × persistence ×
(1 − 0.5^confirming runs)`` (p: Bonferroni-corrected normal p-value of the shift in noise
units), so a change seen in two runs never claims more than 75 %; for creep ``1 − p`` of the
Mann–Kendall test.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Sequence

import numpy as np

from .model import SeriesData, SeriesKey, higher_is_better as _higher_is_better

_N = NormalDist()


@dataclass(frozen=True)
class DetectorConfig:
    noise_sigmas: float = 4.0       # a step must exceed this many noise standard deviations
    min_rel_change: float = 0.10    # … and this fraction of the old level
    min_after: int = 2              # runs after the change that confirm it (3 in long series)
    long_series: int = 12           # from this many runs on, a change needs 3 confirming runs
    short_baseline: int = 5         # fewer runs before than this: noise pooled from both sides
    persistence: float = 0.75       # fraction of those beyond the midpoint between levels
    rel_noise_floor: float = 0.02   # noise is never assumed below 2 % of the level
    alpha: float = 0.01             # creep: Mann–Kendall significance (Bonferroni over stretches)
    min_creep_runs: int = 10
    rolling_window: int = 5
    max_depth: int = 6


@dataclass
class Finding:
    """One detected change, located at the run where it began."""

    kind: str                 # "step" | "creep"
    index: int                # position in the series where it began
    before: float             # level before (baseline)
    after: float              # level after (step) / at the end (creep)
    noise: float              # noise standard deviation used for the decision
    confidence: float         # 0..1
    regression: bool          # True when the change is bad news for this metric
    confirming_runs: int = 0
    run_id: int | None = None
    run_label: str = ""
    run_path: str = ""
    run_time: float | None = None
    key: SeriesKey | None = None
    unit: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def change_pct(self) -> float | None:
        return (self.after - self.before) / abs(self.before) * 100.0 if self.before else None

    @property
    def direction(self) -> str:
        return "increase" if self.after > self.before else "decrease"

    def explain(self) -> str:
        """One paragraph for tooltips and the findings table."""
        unit = f" {self.unit}" if self.unit else ""
        pct = f" ({self.change_pct:+.0f} %)" if self.change_pct is not None else ""
        what = "Regression" if self.regression else "Improvement"
        where = f"{self.run_label} (run #{self.index + 1})" if self.run_label else f"run #{self.index + 1}"
        if self.kind == "step":
            sig = abs(self.change) / self.noise if self.noise else float("inf")
            return (f"{what}: step {self.direction} began at {where}: "
                    f"{_fmt(self.before)} → {_fmt(self.after)}{unit}, {self.change:+.4g}{unit}{pct}; "
                    f"{sig:.1f}× the noise of the runs before it (σ {_fmt(self.noise)}{unit}); "
                    f"confirmed by {self.confirming_runs} later run(s); confidence {self.confidence * 100:.0f} %.")
        return (f"{what}: slow creep began at {where}: rolling median "
                f"{_fmt(self.before)} → {_fmt(self.after)}{unit} over {self.extra.get('runs', '?')} runs, "
                f"{self.change:+.4g}{unit}{pct} (Theil–Sen {self.extra.get('slope', 0):+.3g}{unit}/run); "
                f"confidence {self.confidence * 100:.0f} %.")


def _fmt(v: float) -> str:
    return f"{v:.4g}"


# ------------------------------------------------------------------------------------ helpers
def _within_sd(low: np.ndarray | None, high: np.ndarray | None) -> np.ndarray | None:
    """Per-run spread of the iterations (range / 4 ≈ σ for 10–100 iterations)."""
    if low is None or high is None:
        return None
    sd = (np.asarray(high, float) - np.asarray(low, float)) / 4.0
    return np.where(np.isfinite(sd) & (sd >= 0), sd, np.nan)


def _robust_sd(x: np.ndarray) -> float:
    if len(x) < 2:
        return 0.0
    sd = float(np.std(x, ddof=1))
    if len(x) >= 5:  # MAD resists an outlier; 0.7·SD keeps a lucky small MAD from faking precision
        mad = float(np.median(np.abs(x - np.median(x)))) * 1.4826
        return max(mad, 0.7 * sd)
    return sd


def _sse_two_levels(x: np.ndarray, k: int) -> float:
    a, b = x[:k], x[k:]
    return float(((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum())


# Near-ties of the O(n) prefix-sum formulas are re-decided with the direct O(n) formula, so
# the chosen split/hinge is exactly the one the direct search over every candidate picks.
_EXACT_RECHECK = 256


def _near_min(approx: np.ndarray, scale: float) -> np.ndarray:
    """Positions whose prefix-sum estimate is within rounding error of the smallest one."""
    best = float(np.min(approx))
    tol = 1e-9 * (abs(scale) + abs(best)) + 1e-10
    return np.flatnonzero(approx <= best + tol)


def _best_split(seg: np.ndarray, lo: int, hi: int) -> int:
    """``min(range(lo, hi), key=SSE of the two levels)`` in O(n): prefix sums give every
    candidate's SSE (on centred values); near-ties are decided by the direct formula."""
    c = seg - seg.mean()
    n = len(c)
    cs = np.cumsum(c)
    cs2 = float(np.dot(c, c))
    k = np.arange(lo, hi)
    left = cs[k - 1]
    total = cs[-1]
    approx = cs2 - left ** 2 / k - (total - left) ** 2 / (n - k)
    near = _near_min(approx, cs2)
    if len(near) == 1:
        return int(k[near[0]])
    if len(near) > _EXACT_RECHECK:
        return int(k[near[0]])
    return min((int(k[i]) for i in near), key=lambda kk: _sse_two_levels(seg, kk))


def _hinge_direct(x: np.ndarray, idx: np.ndarray, h: int) -> tuple[float, float] | None:
    f = np.maximum(0.0, idx - h)
    fc = f - f.mean()
    denom = float((fc ** 2).sum())
    if denom == 0:
        return None
    slope = float((fc * (x - x.mean())).sum() / denom)
    intercept = x.mean() - slope * f.mean()
    return float(((x - intercept - slope * f) ** 2).sum()), slope


def _hinge_fit(x: np.ndarray) -> tuple[float, int, float]:
    """Best 'flat, then linear' fit: (SSE, hinge index, slope). Hinge 0 = a straight line.

    O(n): for hinge h the regressor is f = max(0, i − h), whose sums (Σf, Σf², Σf·x) come
    from suffix sums; candidates within rounding of the best are re-fitted directly and
    chosen by the same rule as a direct scan of every hinge (first strict improvement)."""
    n = len(x)
    idx = np.arange(n, dtype=float)
    hs = np.arange(0, max(1, n - 2))
    xc = x - x.mean()
    sxx = float(np.dot(xc, xc))
    m = (n - 1 - hs).astype(float)                   # number of positive f values
    sf = m * (m + 1) / 2.0
    sff = m * (m + 1) * (2 * m + 1) / 6.0
    # Σ_{i>h} (i − h)·xc_i = Σ_{i>h} i·xc_i − h·Σ_{i>h} xc_i, from suffix sums
    ix = idx * xc
    suf_ix = np.concatenate([np.cumsum(ix[::-1])[::-1], [0.0]])
    suf_x = np.concatenate([np.cumsum(xc[::-1])[::-1], [0.0]])
    sfx = suf_ix[hs + 1] - hs * suf_x[hs + 1]
    var_f = sff - sf ** 2 / n
    valid = var_f > 1e-12 * np.maximum(1.0, sff)
    if not valid.any():
        return (float("inf"), 0, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        approx = np.where(valid, sxx - sfx ** 2 / np.where(valid, var_f, 1.0), np.inf)
    near = _near_min(approx[valid], sxx)
    candidates = hs[valid][near]
    if len(candidates) > _EXACT_RECHECK:
        candidates = candidates[:1]
    best = (float("inf"), 0, 0.0)
    for h in candidates:
        fit = _hinge_direct(x, idx, int(h))
        if fit is not None and fit[0] < best[0] - 1e-12:
            best = (fit[0], int(h), fit[1])
    return best


# 10th percentile of chi-square for 1..10 degrees of freedom (upper bound of a sample SD)
_CHI2_P10 = (0.01579, 0.2107, 0.5844, 1.0636, 1.6103, 2.2041, 2.8331, 3.4895, 4.1682, 4.8652)


def _sd_upper_factor(df: int) -> float:
    """σ̂ · factor = 90 % upper confidence bound of σ (Wilson–Hilferty beyond the table)."""
    if df <= 0:
        return float("inf")
    if df <= len(_CHI2_P10):
        q = _CHI2_P10[df - 1]
    else:
        c = 2.0 / (9.0 * df)
        q = df * (1.0 - c - 1.2816 * math.sqrt(c)) ** 3
    return math.sqrt(df / q)


def _ranges(ranges, a: int, b: int) -> tuple[float, float]:
    """(lowest min, highest max) of runs a..b-1."""
    lo, hi = ranges
    return float(np.nanmin(lo[a:b])), float(np.nanmax(hi[a:b]))


_MK_BLOCK = 1024           # pairs inside a block are compared directly (≤ 1M at a time)
THEIL_SEN_MAX_RUNS = 2000   # beyond this, the slope is the median over an even subsample


def _mann_kendall_s(x: np.ndarray) -> float:
    """Σ_{i<j} sign(x_j − x_i) in O(n log n): direct comparisons inside blocks of 1,024,
    binary searches of each block against the sorted runs before it (exact integer counts)."""
    n = len(x)
    s = 0
    for start in range(0, n, _MK_BLOCK):
        blk = x[start:start + _MK_BLOCK]
        s += int(np.triu(np.sign(blk[None, :] - blk[:, None]), 1).sum())
        if start:
            prev = np.sort(x[:start])
            less = np.searchsorted(prev, blk, side="left")          # earlier runs below
            greater = start - np.searchsorted(prev, blk, side="right")  # earlier runs above
            s += int((less - greater).sum())
    return float(s)


def _mann_kendall(x: np.ndarray) -> tuple[float, float]:
    """(S statistic, two-sided p-value), normal approximation with continuity correction."""
    n = len(x)
    s = _mann_kendall_s(x)
    var = n * (n - 1) * (2 * n + 5) / 18.0
    if var <= 0:
        return s, 1.0
    z = (s - math.copysign(1, s)) / math.sqrt(var) if s != 0 else 0.0
    return s, 2.0 * (1.0 - _N.cdf(abs(z)))


def _theil_sen(x: np.ndarray) -> float:
    """Median of the pairwise slopes; over an evenly spaced subsample of at most
    THEIL_SEN_MAX_RUNS runs (true positions kept) for longer series."""
    n = len(x)
    if n < 2:
        return 0.0
    pos = np.arange(n)
    if n > THEIL_SEN_MAX_RUNS:
        pos = np.unique(np.linspace(0, n - 1, THEIL_SEN_MAX_RUNS).round().astype(np.int64))
    i, j = np.triu_indices(len(pos), 1)
    pi, pj = pos[i], pos[j]
    return float(np.median((x[pj] - x[pi]) / (pj - pi)))


# ------------------------------------------------------------------------------------ detection
def detect_changes(values: Sequence[float], *, low: Sequence[float] | None = None,
                   high: Sequence[float] | None = None, higher_is_better: bool = False,
                   config: DetectorConfig = DetectorConfig()) -> list[Finding]:
    """Steps and creeps in one series (in run order), sorted by where they began."""
    x = np.asarray(values, dtype=float)
    if len(x) < 1 + config.min_after or not np.all(np.isfinite(x)):
        finite = np.isfinite(x)
        if len(x) and not finite.all():  # analyse the finite part, keep original positions
            pos = np.flatnonzero(finite)
            found = detect_changes(x[pos], low=None if low is None else np.asarray(low, float)[pos],
                                   high=None if high is None else np.asarray(high, float)[pos],
                                   higher_is_better=higher_is_better, config=config)
            for f in found:
                f.index = int(pos[f.index])
            return found
        return []
    lo = None if low is None else np.asarray(low, float)
    hi = None if high is None else np.asarray(high, float)
    within = _within_sd(lo, hi)
    steps: list[int] = []
    findings: list[Finding] = []
    _segment(x, within, (lo, hi), 0, len(x), higher_is_better, config, steps, findings, depth=0)
    bounds = [0, *sorted(steps), len(x)]
    stretches = [(a, b) for a, b in zip(bounds, bounds[1:]) if b - a >= config.min_creep_runs]
    for a, b in stretches:
        creep = _creep(x[a:b], a, higher_is_better, config, len(stretches))
        if creep is not None:
            findings.append(creep)
    findings.sort(key=lambda f: f.index)
    return findings


def _segment(x, within, within_ranges, a, b, hib, cfg: DetectorConfig, steps, findings, depth) -> None:
    seg = x[a:b]
    n = len(seg)
    if depth > cfg.max_depth or n < 1 + cfg.min_after:
        return
    min_after = cfg.min_after if n < cfg.long_series else max(cfg.min_after, 3)
    min_before = 1 if n <= cfg.short_baseline else 2  # one run is a baseline only when it is all there is
    candidates = range(min_before, n - min_after + 1)
    if len(candidates) == 0:
        return
    k = _best_split(seg, candidates.start, candidates.stop)
    before, after = seg[:k], seg[k:]
    lb, la = float(before.mean()), float(after.mean())
    shift = la - lb
    # noise of the runs before the change point: their scatter, and the spread of their iterations
    noise = _robust_sd(before) * _sd_upper_factor(len(before) - 1) if len(before) >= 2 else 0.0
    w = within[a:a + k] if within is not None else np.empty(0)
    w = w[np.isfinite(w)]
    separated = True
    if len(w):
        noise = max(noise, float(np.median(w)))
        if len(before) < cfg.short_baseline:
            # short baseline: the first run after must lie entirely outside the ranges before it
            lo_b, hi_b = _ranges(within_ranges, a, a + k)
            lo_a, hi_a = _ranges(within_ranges, a + k, a + k + 1)
            separated = lo_a > hi_b if shift > 0 else hi_a < lo_b
    elif len(before) < cfg.short_baseline:
        # nothing measured inside the runs and too few runs before: pool the scatter around both
        # levels and take its 90 % upper bound (few degrees of freedom = uncertain noise)
        pooled = _robust_sd(np.concatenate([before - lb, after - la])) if n > 2 else 0.0
        noise = max(noise, pooled * _sd_upper_factor(n - 2))
    noise = max(noise, cfg.rel_noise_floor * abs(lb), 1e-12)
    mid = (lb + la) / 2.0
    beyond = (after > mid) if shift > 0 else (after < mid)
    near = (before < mid) if shift > 0 else (before > mid)
    persistence = float(beyond.mean())
    sigmas = abs(shift) / noise
    accepted = (
        sigmas >= cfg.noise_sigmas
        and (lb == 0 or abs(shift) / abs(lb) >= cfg.min_rel_change)
        and separated and bool(beyond[0]) and persistence >= cfg.persistence and float(near.mean()) >= cfg.persistence
        and (n < 4 or _sse_two_levels(seg, k) < _hinge_fit(seg)[0])
    )
    if not accepted:
        return
    m = len(candidates)
    z = abs(shift) / (noise * math.sqrt(1.0 / len(before) + 1.0 / len(after)))
    p = min(1.0, 2.0 * (1.0 - _N.cdf(z)) * m)
    confirming = int(beyond.sum())
    confidence = (1.0 - p) * persistence * (1.0 - 0.5 ** confirming)
    worse = shift < 0 if hib else shift > 0
    findings.append(Finding("step", a + k, lb, la, noise, min(confidence, 0.999), worse, confirming,
                            extra={"sigmas": sigmas, "z": z}))
    steps.append(a + k)
    _segment(x, within, within_ranges, a, a + k, hib, cfg, steps, findings, depth + 1)
    _segment(x, within, within_ranges, a + k, b, hib, cfg, steps, findings, depth + 1)


def _creep(seg: np.ndarray, offset: int, hib: bool, cfg: DetectorConfig, tests: int) -> Finding | None:
    n = len(seg)
    s, p = _mann_kendall(seg)
    p = min(1.0, p * max(1, tests))
    if p >= cfg.alpha:
        return None
    w = max(2, min(cfg.rolling_window, n // 3))
    base, end = float(np.median(seg[:w])), float(np.median(seg[-w:]))
    slope = _theil_sen(seg)
    change = end - base
    resid = seg - (np.median(seg - slope * np.arange(n)) + slope * np.arange(n))
    noise = max(_robust_sd(resid), cfg.rel_noise_floor * abs(base), 1e-12)
    if (base != 0 and abs(change) / abs(base) < cfg.min_rel_change) or abs(change) < 2 * noise \
            or math.copysign(1, change) != math.copysign(1, s):
        return None
    _, hinge, _ = _hinge_fit(seg)
    worse = change < 0 if hib else change > 0
    return Finding("creep", offset + hinge, base, end, noise, min(1.0 - p, 0.999), worse, n - hinge,
                   extra={"slope": slope, "runs": n - hinge, "window": w, "mk_s": s})


def analyse_series(data: SeriesData, *, higher_is_better: bool | None = None,
                   config: DetectorConfig = DetectorConfig()) -> list[Finding]:
    """Detect changes in an indexed series and attach the run (id, label, file, time) to each."""
    hib = _higher_is_better(data.key) if higher_is_better is None else higher_is_better
    use_band = data.key.statistic in ("mean", "median", "averageMs", "average")
    findings = detect_changes(data.values, low=data.low if use_band else None, high=data.high if use_band else None,
                              higher_is_better=hib, config=config)
    for f in findings:
        f.key, f.unit = data.key, data.unit
        f.run_id = int(data.run_ids[f.index])
        f.run_label = data.labels[f.index]
        f.run_path = data.paths[f.index]
        f.run_time = float(data.times[f.index])
    return findings
