"""Benchmark: what showing times in words costs the world-state tree (issue 12).

Run by hand (never by pytest):

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/readable_values.py [--rows 2000 --rounds 30]

Measures ``JsonTreeModel.data(DisplayRole)`` of the Value column for ``--rows`` numbers named
like time stamps (``eventNAt``, epoch ms: annotated "… (2025-11-02 18:06:24)") against the FLOOR,
the same call for as many numbers under plain names (``countN``: no annotation), in interleaved
rounds so both see the same machine load; reports µs per row and the ratio. Also times the
details pane's text of a 5,000-deep value (``pretty_json_excerpt``: orjson refuses it, so the
iterative encoder runs, stopping at 200 KB) against orjson on a 250-deep value of the same shape.
Writes ``benchmarks/results/readable-values-<epoch ms>.json`` in the m1-profile shape.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import format_timing, ratio, result_entry, run_metadata, write_results


def _nested(depth: int) -> list:
    root: list = []
    node = root
    for _ in range(depth - 1):
        child: list = []
        node.append(child)
        node = child
    node.append(1762106784700)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    import orjson
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from inspector_app.core.common.jsontext import pretty_json_excerpt
    from inspector_app.ui.models.json_tree_model import COL_VALUE, JsonTreeModel

    app = QApplication.instance() or QApplication([])  # noqa: F841 - the model's brushes need one
    doc = {"times": {f"event{i}At": 1762106784700 + i * 1000 for i in range(args.rows)},
           "plain": {f"count{i}": 1762106784700 + i * 1000 for i in range(args.rows)}}
    model = JsonTreeModel(doc)
    indexes = {name: [model.index_for_path((name, key), COL_VALUE) for key in doc[name]] for name in doc}
    display = Qt.ItemDataRole.DisplayRole

    def per_row_us(name: str) -> float:
        start = time.perf_counter_ns()
        for index in indexes[name]:
            model.data(index, display)
        return (time.perf_counter_ns() - start) / 1e3 / args.rows

    deep, shallow = {"deep": _nested(5000)}, {"deep": _nested(250)}
    samples: dict[str, list[float]] = {"annotated": [], "floor": [], "deep": [], "deep_floor": []}
    for r in range(args.rounds):
        order = ("annotated", "floor") if r % 2 == 0 else ("floor", "annotated")
        for name in order:
            samples[name].append(per_row_us("times" if name == "annotated" else "plain"))
        start = time.perf_counter_ns()
        pretty_json_excerpt(deep)
        samples["deep"].append((time.perf_counter_ns() - start) / 1e6)
        start = time.perf_counter_ns()
        orjson.dumps(shallow, option=orjson.OPT_INDENT_2)
        samples["deep_floor"].append((time.perf_counter_ns() - start) / 1e6)

    ann, floor = result_entry(samples["annotated"]), result_entry(samples["floor"])
    deep_entry, deep_floor = result_entry(samples["deep"]), result_entry(samples["deep_floor"])
    benchmarks = {
        "tree-value-cell-annotated-us-per-row": {
            **ann, "unit": "µs per row (timing fields)", "floor": floor["timing"],
            "ratio": ratio(ann["timing"]["median"], floor["timing"]["median"]),
            "floorDescription": "the same data() call for numbers under plain names (no annotation)"},
        "details-5000-deep-excerpt": {
            **deep_entry, "floor": deep_floor["timing"],
            "ratio": ratio(deep_entry["timing"]["median"], deep_floor["timing"]["median"]),
            "floorDescription": "orjson.dumps(indent=2) of the same shape 250 deep (orjson's limit is 255)"},
    }
    path = write_results("readable-values", benchmarks, metadata=run_metadata(rows=args.rows, rounds=args.rounds))
    print(f"annotated cell µs/row: {format_timing(ann['timing'])}")
    print(f"floor     cell µs/row: {format_timing(floor['timing'])}  ratio(median)={benchmarks['tree-value-cell-annotated-us-per-row']['ratio']}")
    print(f"5000-deep excerpt ms:  {format_timing(deep_entry['timing'])}")
    print(f"250-deep orjson ms:    {format_timing(deep_floor['timing'])}  ratio(median)={benchmarks['details-5000-deep-excerpt']['ratio']}")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
