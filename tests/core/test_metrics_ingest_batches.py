"""Cold ingest in batches (issue 13 row 4): m1 files read in bulk must equal the entry-by-entry
reading, and a batch keeps its good files whatever happens to one of them (a bad file, a row
SQLite refuses, a cancel half way)."""
from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from inspector_app.core.loading.document import LoadCancelled
from inspector_app.core.metrics import generic, index as index_mod, readers
from inspector_app.core.metrics.index import MetricIndex, Scope
from inspector_app.core.metrics.model import Run, SeriesKey, make_key
from inspector_app.core.metrics.readers import read_m1_profile

STATS = {"min": 0.5, "max": 2.5, "mean": 1.25, "median": 1.0, "p95": 2.0, "p99": 2.25}


def _doc(benchmarks: dict, ts: str = "2025-11-01T00:00:00.000Z") -> dict:
    return {"metadata": {"timestamp": ts, "platform": "linux"}, "benchmarks": benchmarks}


def _plain(n: int = 3, **extra) -> dict:
    return {f"bench-{b}": {"iterations": 10 + b, "timing": {k: v * (b + 1) for k, v in STATS.items()}, **extra}
            for b in range(n)}


def _read(doc: dict, bulk: bool, monkeypatch) -> Run:
    if not bulk:
        monkeypatch.setattr(readers, "_m1_bulk", lambda *a: False)
    try:
        result = read_m1_profile("/r/m1-profile-1761497254398.json", json.loads(json.dumps(doc)), None)
    finally:
        monkeypatch.undo()
    assert len(result.runs) == 1
    return result.runs[0]


SHAPES = {
    "plain": _plain(),
    "memory null (the game's files)": _plain(memory=None),
    "memory numbers": _plain(memory={"heapUsedMB": 12.5, "rssBytes": 1000}),
    "integer timings": {"a": {"iterations": 3, "timing": {"min": 1, "max": 3, "mean": 2}}},
    "a null timing": {"a": {"iterations": 3, "timing": {"min": None, "max": 3.5, "mean": 2.5}}},
    "a bool timing": {"a": {"iterations": 3, "timing": {"min": True, "max": 3.5, "mean": 2.5}}},
    "keys differ per benchmark": {"a": {"iterations": 3, "timing": {"min": 1.5, "max": 3.5}},
                                  "b": {"iterations": 4, "timing": {"mean": 2.5, "p75": 3.5}}},
    "same keys, other order": {"a": {"iterations": 3, "timing": {"min": 1.5, "max": 3.5}},
                               "b": {"iterations": 4, "timing": {"max": 4.5, "min": 2.5}}},
    "an unknown timing key": {"a": {"iterations": 3, "timing": {"min": 1.5, "spread": 3.5}}},
    "float iterations": {"a": {"iterations": 3.0, "timing": {"min": 1.5, "max": 3.5}}},
    "no iterations": {"a": {"timing": {"min": 1.5, "max": 3.5}}},
    "samples beside timing": {"a": {"iterations": 3, "timing": {"min": 1.5, "max": 3.5}, "samples": [1.5, 2.5, 3.5]}},
    "one odd entry": {**_plain(2, memory=None), "odd": {"iterations": 2, "timing": {"min": 1.5, "max": 2.5},
                                                       "memory": None, "transitionCount": 7, "context": "x"}},
    "an entry that is not an object": {"a": {"iterations": 3, "timing": {"min": 1.5, "max": 3.5}}, "b": [1, 2]},
    "one statistic": {"a": {"iterations": 3, "timing": {"mean": 1.5}}},
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_bulk_m1_reading_equals_entry_by_entry(shape, monkeypatch):
    doc = _doc(SHAPES[shape])
    bulk = _read(doc, True, monkeypatch)
    slow = _read(doc, False, monkeypatch)
    assert bulk.values == slow.values and slow.values
    assert all(math.isfinite(v) and type(v) is float for v in bulk.values.values())
    assert {k: bulk.units.get(k) for k in bulk.values} == {k: slow.units.get(k) for k in slow.values}
    assert {k: v.tolist() for k, v in bulk.samples.items()} == {k: v.tolist() for k, v in slow.samples.items()}


def test_the_plain_shape_is_read_as_one_layout_shared_by_every_file():
    first = read_m1_profile("/r/a-1761497254398.json", _doc(_plain()), None).runs[0]
    second = read_m1_profile("/r/a-1761497254399.json", _doc(_plain()), None).runs[0]
    assert first.layout is not None and first.layout is second.layout
    assert first.flat == [v * (b + 1) for b in range(3) for v in STATS.values()] + [10.0, 11.0, 12.0]
    assert first.values[make_key("a", "bench-2", "p99")] == 6.75
    assert first.layout is None and first.flat is None          # a dict from now on, as for any run
    assert second.layout is not None


def test_a_run_given_as_a_layout_becomes_a_dict_on_first_use():
    keys = (SeriesKey("s", "b", "mean"), SeriesKey("s", "b", "max"))
    run = Run("", 0.0, "content")
    with pytest.raises(ValueError):
        run.set_flat(keys, [1.0])
    run.set_flat(keys, [1.0, 2.0])
    run.put("s", "b", "p95", 3.0, "ms")
    assert run.values == {keys[0]: 1.0, keys[1]: 2.0, SeriesKey("s", "b", "p95"): 3.0}
    assert run.layout is None and run.flat is None


@pytest.mark.parametrize("name", ["m1-profile-1761497254398.json", "x-2025-1761497254398.json", "abc1761497254398.JSON",
                                  "\u0663-1761497254398.json", "\u06631761497254398.json", "pre\nfix-1761497254398.json",
                                  "12345678-1234-1234-1234-1761497254398.json", "-1761497254398.json",
                                  "1761497254398.json", "foo_1761497254398.jsonl", "a-17614972543980.json"])
def test_source_names_are_the_same_with_the_prefix_cache_warm(name):
    generic._SOURCE_OF_PREFIX.clear()
    cold = generic.source_name(f"/r/{name}")
    assert [generic.source_name(f"/r/{name}") for _ in range(2)] == [cold, cold]


# ------------------------------------------------------------------------------ batches
def _files(root: Path, n: int, layouts: int = 2, plain: bool = False) -> list[Path]:
    """n m1 files, one run each, alternating between ``layouts`` benchmark layouts; the mean
    of ``tick`` is the file's number, the p95 of ``tock`` 3.5 times it. ``plain``: every
    benchmark has the same statistics (the shape a batch reads together), else they differ
    (read file by file)."""
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        benches = {"tick": {"iterations": 5 + i, "timing": {"min": i - 0.5, "max": i + 0.5, "mean": float(i)}}}
        if plain:
            benches["tick"]["timing"]["p95"] = i + 0.25
        if i % layouts:
            benches["tock"] = {"iterations": 6 + 2 * i, "timing": {"mean": 2.5 * i, "p95": 3.5 * i}}
            if plain:
                benches["tock"]["timing"].update(min=2.5 * i, max=3.5 * i)
        p = root / f"bench-{1762000000000 + i * 1000}.json"
        p.write_text(json.dumps(_doc(benches, f"2025-11-01T00:{i // 60:02d}:{i % 60:02d}.000Z")))
        paths.append(p)
    return paths


TICK = SeriesKey("bench", "tick", "mean")
TOCK = SeriesKey("bench", "tock", "p95")


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(index_mod, "BATCH_FILES", 8)
    monkeypatch.setattr(index_mod, "PROGRESS_EVERY", 3)


@pytest.fixture(params=[False, True], ids=["mixed-statistics", "plain"])
def plain(request) -> bool:
    """Files read one by one, or (plain) together by the batch's layout groups."""
    return request.param


def _consistent(index: MetricIndex, root: Path) -> int:
    """Every file row has its run and every run its file; returns the number of files."""
    db = index._db
    orphans = db.execute("SELECT COUNT(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.file_id = f.id)"
                         " AND f.reader != 'error'").fetchone()[0]
    lost = db.execute("SELECT COUNT(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = r.file_id)"
                      ).fetchone()[0]
    assert orphans == 0 and lost == 0
    return index.file_count(Scope.of(roots=[root]))


def test_a_bad_file_in_the_middle_of_a_batch_keeps_the_batch_good_files(tmp_path, small_batches, plain):
    root = tmp_path / "results"
    paths = _files(root, 20, plain=plain)
    paths[5].write_text('{"metadata": {}, "benchmarks": {"tick": ')            # cut short
    paths[6].write_text(json.dumps(_doc({"tick": {"iterations": 5, "timing": {"mean": None, "max": "slow"}}})))
    progress: list[tuple[int, int]] = []
    with MetricIndex() as index:
        report = index.ingest(root, progress=lambda done, total, text="": progress.append((done, total)))
        assert len(report.files_read) == 20 and _consistent(index, root) == 20
        scope = Scope.of(roots=[root])
        assert index.series_data(TICK, scope).values.tolist() == [i for i in range(20) if i not in (5, 6)]
        assert index.series_data(TOCK, scope).values.tolist() == [3.5 * i for i in range(1, 20, 2) if i != 5]
        problems = index.problems(scope)
    assert [p for p in problems if paths[5].name in p] == report.problems
    assert ":1:" in report.problems[0] and "not valid JSON" in report.problems[0]
    assert [d for d, _ in progress] == sorted(d for d, _ in progress) and progress[-1] == (20, 20)


def _spoiling_reader(spoiled: set[str]):
    """A BatchReader whose result for the ``spoiled`` paths has a label (or time) SQLite cannot
    bind: the batch's transaction fails."""
    class Spoiling(readers.BatchReader):
        def finish(self):
            items = super().finish()
            for item in items:
                if item.__class__ is tuple:
                    group, i = item
                    if group.paths[i] in spoiled:
                        group.times[i] = (object(), "content")
                elif item.path in spoiled:
                    item.runs[0].label = object()
            return items
    return Spoiling


def test_a_row_sqlite_refuses_leaves_out_only_that_file(tmp_path, small_batches, plain, monkeypatch):
    root = tmp_path / "results"
    paths = _files(root, 20, plain=plain)
    spoiled = str(paths[11])
    monkeypatch.setattr(index_mod, "BatchReader", _spoiling_reader({spoiled}))
    with MetricIndex() as index:
        report = index.ingest(root)
        assert len(report.unindexed) == 1 and paths[11].name in report.unindexed[0]
        assert _consistent(index, root) == 19
        scope = Scope.of(roots=[root])
        # series ids made in the rolled-back transaction were forgotten, not reused wrongly
        assert index.series_data(TICK, scope).values.tolist() == [i for i in range(20) if i != 11]
        assert index.series_data(TOCK, scope).values.tolist() == [3.5 * i for i in range(1, 20, 2) if i != 11]
        monkeypatch.setattr(index_mod, "BatchReader", readers.BatchReader)
        again = index.ingest(root)
        assert again.files_read == [spoiled] and _consistent(index, root) == 20


def test_cancel_mid_batch_keeps_a_consistent_index_and_resumes(tmp_path, small_batches, plain):
    root = tmp_path / "results"
    _files(root, 20, plain=plain)
    asked = {"n": 0}

    def cancelled() -> bool:
        asked["n"] += 1
        return asked["n"] > 11                    # the 12th file, in the middle of the 2nd batch

    with MetricIndex() as index:
        with pytest.raises(LoadCancelled):
            index.ingest(root, cancelled=cancelled)
        assert _consistent(index, root) == 11
        scope = Scope.of(roots=[root])
        assert index.series_data(TICK, scope).values.tolist() == list(range(11))
        resumed = index.ingest(root)
        assert len(resumed.files_read) == 9 and _consistent(index, root) == 20
        assert index.series_data(TICK, scope).values.tolist() == list(range(20))
        assert index.series_data(TOCK, scope).values.tolist() == [3.5 * i for i in range(1, 20, 2)]
        assert index._db.execute("PRAGMA synchronous").fetchone()[0] == 1      # NORMAL again


def test_a_new_index_reads_what_the_batches_wrote(tmp_path, small_batches, plain):
    root = tmp_path / "results"
    _files(root, 20, layouts=3, plain=plain)
    with MetricIndex() as index:
        index.ingest(root)
    with MetricIndex() as reopened:                  # a fresh connection: nothing cached
        scope = Scope.of(roots=[root])
        assert reopened.ingest(root).files_read == []
        table = reopened.table(scope)
        assert len(table.runs) == 20
        assert reopened.series_data(TICK, scope).values.tolist() == list(range(20))
        assert reopened.series_data(TOCK, scope).values.tolist() == [3.5 * i for i in range(20) if i % 3]
        units = {key: unit for key, unit, _ in reopened.series(scope)}
        assert units[TICK] == "ms" and units[SeriesKey("bench", "tick", "iterations")] == "count"
    with sqlite3.connect(str(reopened.db_path)) as db:
        expected = (4 + 1 + 4 + 1) if plain else (3 + 1 + 2 + 1)      # statistics + iterations
        assert db.execute("SELECT COUNT(*) FROM series").fetchone()[0] == expected


# ------------------------------------------------------------------------------ batch reader
def _one_by_one(path: Path, monkeypatch) -> "readers.ReadResult":
    """The file read on its own, entry by entry (no bulk reading at all)."""
    with monkeypatch.context() as m:
        m.setattr(readers, "_m1_bulk", lambda *a: False)
        m.setattr(readers, "_plain_m1_group", lambda *a: None)
        return readers.read_metric_file(path, mtime=path.stat().st_mtime)


def _same_result(got: "readers.ReadResult", want: "readers.ReadResult") -> None:
    assert (got.path, got.reader, got.problems, got.limits, got.dependencies) == \
        (want.path, want.reader, want.problems, want.limits, want.dependencies)
    assert len(got.runs) == len(want.runs)
    for a, b in zip(got.runs, want.runs):
        assert (a.run_key, a.time, a.time_source, a.label) == (b.run_key, b.time, b.time_source, b.label)
        assert a.values == b.values and all(type(v) is float for v in a.values.values())
        assert {k: a.units.get(k) for k in a.values} == {k: b.units.get(k) for k in b.values}
        assert {k: v.tolist() for k, v in a.samples.items()} == {k: v.tolist() for k, v in b.samples.items()}


def _mixed_folder(root: Path) -> list[Path]:
    """Plain files of two layouts and two sources, with one of everything else in between."""
    paths = _files(root, 12, plain=True)
    other = root / "other-1762000999000.json"                      # another source, same benchmarks
    other.write_text(json.dumps(_doc(_plain(2, memory=None))))
    reordered = root / "bench-1762000888000.json"                   # timing keys in another order
    reordered.write_text(json.dumps(_doc({"tick": {"iterations": 5, "timing": {"mean": 7.5, "p95": 8.5, "max": 9.5,
                                                                               "min": 6.5}}})))
    odd = root / "bench-1762000777000.json"                         # tick's layout, one string
    odd.write_text(json.dumps(_doc({"tick": {"iterations": 5, "timing": {"min": 1.5, "max": "slow", "mean": 2.5,
                                                                         "p95": 3.5}}})))
    bad = root / "bench-1762000666000.json"
    bad.write_text('{"benchmarks": {"tick": ')
    perf = root / "perf.json"
    perf.write_text(json.dumps({"generatedAt": "2025-11-01T00:00:00Z", "metrics": {"a": {"averageMs": 2.5}}}))
    lines = root / "history.jsonl"
    lines.write_text('{"timestamp": "2025-11-01T00:00:00Z", "value": 3}\n')
    empty = root / "bench-1762000555000.json"                       # no benchmarks: generic
    empty.write_text(json.dumps(_doc({})))
    return sorted([*paths, other, reordered, odd, bad, perf, lines, empty])


def test_a_batch_reads_every_file_as_it_would_be_read_alone(tmp_path, monkeypatch):
    paths = _mixed_folder(tmp_path)
    reader = readers.BatchReader()
    for path in paths:
        reader.add(str(path), path.stat().st_mtime)
    items = reader.finish()
    groups = {id(item[0]) for item in items if item.__class__ is tuple}
    # the plain files went in groups (two layouts of 'bench', one of 'other'); the odd one
    # spoiled its group, which was read file by file
    assert len(groups) == 2 and sum(item.__class__ is tuple for item in items) == 7
    for i, path in enumerate(paths):
        _same_result(reader.result(i), _one_by_one(path, monkeypatch))
    odd = reader.result(paths.index(tmp_path / "bench-1762000777000.json"))
    assert odd.runs[0].values[make_key("bench", "tick", "mean")] == 2.5 and \
        make_key("bench", "tick", "max") not in odd.runs[0].values


def test_held_files_are_read_when_they_add_up(tmp_path, monkeypatch):
    paths = _files(tmp_path, 9, plain=True)
    monkeypatch.setattr(readers, "HOLD_BATCH_BYTES", paths[0].stat().st_size * 3)
    reader = readers.BatchReader()
    for path in paths:
        reader.add(str(path), path.stat().st_mtime)
    assert reader._held_bytes < readers.HOLD_BATCH_BYTES               # read in threes as it went
    items = reader.finish()
    assert len({id(item[0]) for item in items}) == 6                   # 3 rounds x 2 layouts
    for i, path in enumerate(paths):
        _same_result(reader.result(i), _one_by_one(path, monkeypatch))


def test_an_unexpected_failure_in_a_group_costs_only_that_file(tmp_path, monkeypatch):
    paths = _files(tmp_path, 6, plain=True, layouts=1)
    run_time_for = readers.run_time_for

    def failing(path, obj=None, *, mtime=None):
        if str(path) == str(paths[2]):
            raise ArithmeticError("no time")
        return run_time_for(path, obj, mtime=mtime)

    monkeypatch.setattr(readers, "run_time_for", failing)
    monkeypatch.setattr(readers, "run_times", lambda ps, objs, ms: [failing(*a[:2], mtime=a[2]) for a in zip(ps, objs, ms)])
    reader = readers.BatchReader()
    for path in paths:
        reader.add(str(path), None)
    results = [reader.result(i) for i in range(len(paths))]
    assert [r.reader for r in results] == ["m1-profile"] * 2 + ["error"] + ["m1-profile"] * 3
    assert paths[2].name in results[2].problems[0] and "no time" in results[2].problems[0]
    assert [r.runs[0].values[TICK] for r in results if r.runs] == [0.0, 1.0, 3.0, 4.0, 5.0]


def test_ingest_of_a_mixed_folder_equals_reading_each_file(tmp_path, small_batches, monkeypatch):
    root = tmp_path / "results"
    paths = _mixed_folder(root)
    with MetricIndex(tmp_path / "index.sqlite3") as index:
        report = index.ingest(root)
        table = index.table(Scope.of(roots=[root]))
    assert report.files_read == [str(p) for p in paths]
    alone = [_one_by_one(p, monkeypatch) for p in paths]
    assert report.runs_added == sum(len(r.runs) for r in alone) == len(table.runs)
    assert report.problems == [line for r in alone for line in r.problems]
    for r in alone:
        for run in r.runs:
            for key, value in run.values.items():
                data = table.series_data(key)
                assert value in data.values.tolist() and r.path in data.paths


def test_run_times_of_many_documents_equal_each_asked_alone():
    docs = [
        {"metadata": {"timestamp": "2025-11-01T00:00:00.000Z"}, "benchmarks": {}},
        {"metadata": {"timestamp": 1762000000000}},                                   # epoch ms
        {"metadata": {"timestamp": "1970-01-01T00:00:00Z", "createdAt": "2025-11-02T00:00:00Z"}},
        {"metadata": {"generatedAt": "2025-11-03T00:00:00Z"}},
        {"metadata": {"timestamp": "not a time"}, "summary": {"date": "2025-11-04"}},
        {"timestamp": "2025-11-05T00:00:00Z", "metadata": {"timestamp": "2025-11-06T00:00:00Z"}},
        {"metadata": "2025-11-07"},
        {"metadata": {"timestamp": True}},
        {},
    ]
    paths = [f"/r/m1-profile-{1763000000000 + i}.json" for i in range(len(docs))]
    mtimes = [1.5e9 + i for i in range(len(docs))]
    alone = [generic.run_time_for(p, d, mtime=m) for p, d, m in zip(paths, docs, mtimes)]
    assert generic.run_times(paths, docs, mtimes) == alone
    assert generic.run_times(paths[:2] + ["/r/x.json"], [*docs[:2], [1, 2]], mtimes[:3]) == \
        [*alone[:2], generic.run_time_for("/r/x.json", [1, 2], mtime=mtimes[2])]
    assert {how for _, how in alone} == {"content", "filename"}


@pytest.mark.parametrize("existing", [False, True])
def test_an_index_is_opened_in_wal_mode_with_normal_sync(tmp_path, existing):
    path = tmp_path / "index.sqlite3"
    if existing:
        MetricIndex(path).close()
        assert path.stat().st_size > 0
    with MetricIndex(path) as index:
        assert index._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert index._db.execute("PRAGMA synchronous").fetchone()[0] == 1          # NORMAL
        assert index._db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()[0] == index_mod.SCHEMA_VERSION
        assert index.notes == []


def test_a_table_orders_each_series_by_run_time_whatever_the_row_order():
    from array import array

    from inspector_app.core.metrics.table import MetricTable

    def blob(kind: str, values) -> bytes:
        return array(kind, values).tobytes()

    # runs stored out of time order, two layouts, one run without a label, one tie on time
    rows = [(1, 30.0, None, "/r/c.json", "", blob("i", [1, 2]), blob("d", [3.0, 30.0])),
            (2, 10.0, "first", "/r/a.json", "", blob("i", [2, 1, 3]), blob("d", [10.0, 1.0, 100.0])),
            (3, 20.0, "", "/r/b.json", "#2", blob("i", [3]), blob("d", [200.0])),
            (4, 20.0, "", "/r/b.json", "#1", blob("i", [1]), blob("d", [2.0]))]
    series = [(1, "s", "b", "mean", "ms"), (2, "s", "b", "max", "ms"), (3, "s", "c", "mean", "")]
    table = MetricTable.from_blobs(rows, series, [], [], 3)
    assert [(r.run_id, r.label) for r in table.runs] == [(2, "first"), (4, "b.json"), (3, "b.json"), (1, "c.json")]
    assert table.series_data(SeriesKey("s", "b", "mean")).values.tolist() == [1.0, 2.0, 3.0]
    assert table.series_data(SeriesKey("s", "b", "max")).values.tolist() == [10.0, 30.0]
    assert table.series_data(SeriesKey("s", "c", "mean")).values.tolist() == [100.0, 200.0]
    assert [(k.statistic, n) for k, _, n in table.series()] == [("max", 2), ("mean", 3), ("mean", 2)]
    with pytest.raises(ValueError):
        MetricTable(keys={1: SeriesKey("s", "b", "mean"), 2: SeriesKey("s", "b", "max")},
                    point_sid=np.array([2, 1]), point_pos=np.array([0, 0]), point_val=np.array([1.0, 2.0]))
    assert MetricTable().series() == []
