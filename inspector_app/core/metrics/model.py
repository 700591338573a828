"""The common shape every metric reader produces: runs made of points on named series.

A *series* is addressed by ``(source, benchmark, statistic)`` — the three levels of the metric
browser (e.g. ``("m1-profile", "gameloop-full-update-500-entities", "mean")``). A *run* is one
measurement occasion (one result file, one packet, one line of a JSONL history) with a time
used to order runs. Readers return a :class:`ReadResult`; the index stores it and the view and
the regression detector only ever see these types, whatever file kind the numbers came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Sequence

import numpy as np

# How the run time of a run was found (the generic reader's order of preference).
TIME_FROM_CONTENT = "content"
TIME_FROM_FILENAME = "filename"
TIME_FROM_MTIME = "mtime"

# Statistics that form the "distribution family" drawn around a primary line.
PRIMARY_STATISTICS = ("mean", "averageMs", "average", "value", "durationMs")
BAND_LOW = ("min", "minMs")
BAND_HIGH = ("max", "maxMs")
P95_STATISTICS = ("p95", "p95Ms")

# Raw samples kept per series of one run (for the box plot); beyond it an evenly spaced subset.
MAX_SAMPLES = 100_000

# Names that say "bigger is better" (so an increase is an improvement, not a regression).
HIGHER_IS_BETTER_HINTS = ("rate", "successes", "successcount", "written", "throughput", "fps", "passes", "speedup")


class SeriesKey(NamedTuple):
    """The three levels of the metric browser: source → benchmark → statistic."""

    source: str
    benchmark: str
    statistic: str

    def label(self) -> str:
        return f"{self.source} / {self.benchmark} / {self.statistic}"


def make_key(source: str, benchmark: str, statistic: str) -> SeriesKey:
    """``SeriesKey(source, benchmark, statistic)``, shared: the same few hundred keys recur in
    every file of a folder, and a cold ingest makes ~40 per file."""
    plain = (source, benchmark, statistic)
    key = _KEYS.get(plain)
    if key is None:
        if len(_KEYS) >= _MAX_CACHED_KEYS:
            _KEYS.clear()
        key = _KEYS[plain] = _tuple_new(SeriesKey, plain)
    return key


_tuple_new = tuple.__new__
_KEYS: dict[tuple[str, str, str], SeriesKey] = {}
_MAX_CACHED_KEYS = 100_000


def unit_for(statistic: str, default: str = "") -> str:
    """A unit guessed from a statistic name ('…Ms' → ms, '…Bytes' → bytes), else ``default``."""
    low = statistic.lower()
    if low.endswith("ms"):
        return "ms"
    if low.endswith("bytes"):
        return "bytes"
    if low.endswith("rate") or low.endswith("ratio") or low == "ratio":
        return "ratio"
    return default


def higher_is_better(key: SeriesKey) -> bool:
    """Whether an increase of this series is good news (success rates, written counts)."""
    low = key.statistic.lower()
    return any(h in low for h in HIGHER_IS_BETTER_HINTS)


@dataclass(slots=True)
class Limit:
    """A limit found in the data itself (``thresholdMs`` fields, ``latency-baseline.json``)."""

    source: str
    benchmark: str          # may be a glob ("*")
    statistic: str          # may be a glob
    limit: float
    label: str


@dataclass(slots=True)
class Run:
    """One measurement occasion: its points, optional raw samples, and where it came from."""

    run_key: str                     # unique inside its file ("" for single-run files, "#12" for JSONL line 12)
    time: float                      # epoch seconds (UTC)
    time_source: str                 # TIME_FROM_CONTENT / _FILENAME / _MTIME
    label: str = ""                  # short human label (packet label, prefix, file name)
    # the points (see ``values``): a dict, or None while they are only ``layout`` + ``flat``
    _values: dict[SeriesKey, float] | None = field(default=None, init=False, repr=False, compare=False)
    units: dict[SeriesKey, str] = field(default_factory=dict)
    # raw per-iteration samples for the box plot: (source, benchmark) -> float64 samples (ms)
    samples: dict[tuple[str, str], "np.ndarray"] = field(default_factory=dict)
    # (source, benchmark) -> how many samples the file had, where more than MAX_SAMPLES
    trimmed: dict[tuple[str, str], int] = field(default_factory=dict)
    # A reader that knows a file's layout gives the points as ``layout`` (the keys, a tuple
    # shared by every run of that layout) and ``flat`` (the values in that order): the index
    # then maps the layout to series ids once and stores ``flat`` as it is, with no dict per run
    # and no work per value. ``values`` turns them into a dict on first use (and clears both).
    layout: tuple[SeriesKey, ...] | None = None
    flat: list[float] | None = None

    @property
    def values(self) -> dict[SeriesKey, float]:
        """Every point of the run: series key -> finite float."""
        values = self._values
        if values is None:
            layout, flat = self.layout, self.flat
            values = self._values = dict(zip(layout, flat)) if layout is not None and flat is not None else {}
            self.layout = self.flat = None
        return values

    def set_flat(self, layout: tuple[SeriesKey, ...], flat: list[float]) -> None:
        """Give the points as one layout (distinct keys) and its values in order (finite floats)."""
        if len(layout) != len(flat):
            raise ValueError(f"{len(flat)} values for a layout of {len(layout)} keys")
        self._values = None
        self.layout, self.flat = layout, flat

    def put(self, source: str, benchmark: str, statistic: str, value, unit: str = "") -> None:
        """Add one value if it is a finite number (bools and None are skipped, not errors)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        v = float(value)
        if v != v or v in (float("inf"), float("-inf")):
            return
        key = make_key(source, benchmark, statistic)
        self.values[key] = v
        if unit:
            self.units[key] = unit

    def keep_samples(self, source: str, benchmark: str, values: Sequence) -> None:
        """Keep the finite numbers of ``values`` as this run's raw samples, at most
        MAX_SAMPLES of them (evenly spaced; ``trimmed`` records the original count)."""
        arr = as_samples(values)
        if len(arr) == 0:
            return
        if len(arr) > MAX_SAMPLES:
            self.trimmed[(source, benchmark)] = len(arr)
            arr = arr[np.linspace(0, len(arr) - 1, MAX_SAMPLES).round().astype(np.int64)]
        self.samples[(source, benchmark)] = arr


def as_samples(values: Sequence) -> "np.ndarray":
    """The finite numbers of a list as float64 (bools, strings, None and non-finite dropped)."""
    if isinstance(values, np.ndarray):
        arr = values.astype(np.float64, copy=False).ravel()
        finite = np.isfinite(arr)
        return arr if finite.all() else arr[finite]
    if not any(v.__class__ is bool for v in values):
        try:
            arr = np.asarray(values, dtype=np.float64)   # the common case: a plain numeric list
        except (TypeError, ValueError, OverflowError):
            arr = None
        if arr is not None and arr.ndim == 1:
            return arr[np.isfinite(arr)]
    arr = np.fromiter((float(v) for v in values
                       if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) < 1e308),
                      dtype=np.float64)
    return arr[np.isfinite(arr)]


def display_path(path: str) -> str:
    """A path as people can read it in a message: bytes that are not UTF-8 (which Python
    keeps as surrogate escapes) shown as ``\\xff``, so the message itself is valid text."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
            .encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(slots=True)
class ReadResult:
    """What a reader found in one file."""

    path: str
    reader: str                                   # which reader read it ("m1-profile", "generic", ...)
    runs: list[Run] = field(default_factory=list)
    limits: list[Limit] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)   # sibling files whose change means re-read
    problems: list[str] = field(default_factory=list)        # located, human messages (never tracebacks)


@dataclass(slots=True)
class SeriesData:
    """A series ready to plot or analyse: one entry per run that has the statistic, in run order.

    ``low``/``high``/``p95`` are the same run's min/max/p95 when the benchmark has them (NaN
    where not), so the view can draw the band and the detector can estimate within-run noise.
    """

    key: SeriesKey
    unit: str
    run_ids: "np.ndarray"
    times: "np.ndarray"            # epoch seconds
    values: "np.ndarray"
    paths: list[str]
    labels: list[str]
    low: "np.ndarray | None" = None
    high: "np.ndarray | None" = None
    p95: "np.ndarray | None" = None
    iterations: "np.ndarray | None" = None

    def __len__(self) -> int:
        return len(self.values)
