"""Export writer benchmark — the Python counterpart of the game's
``benchmarks/telemetry-export-writer.js`` (spec telemetry-pipeline.md §7.1).

A synthetic summary with 6 cascade targets and 10 tutorial snapshots; the default formats
(json + csv) give three artifacts per export; each iteration writes them through the
``WriterAdapter`` + atomic ``FileSystemWriter`` into a fresh ``run-<i>/`` folder of a temp
dir, with ``bench-<iii>`` prefixes. In the same run, interleaved with it, the floor: the
same bytes written with plain ``open().write()`` into a fresh folder.

    .venv/bin/python benchmarks/export_writer.py [--iterations 2000] [--warmup 50] [--keep]

Reports mean/min/max/p95 per export and per artifact for both, and the ratio; targets:
≤ 0.3 ms per artifact and ≤ 1.5 × the floor. (The game's JS pipeline: ≈ 1.1–1.3 ms per
3-artifact export.) Results: benchmarks/results/export_writer-<epoch ms>.json.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _common import format_timing, ratio, result_entry, run_metadata, timing_stats, write_results  # noqa: E402

from inspector_app.core.export.adapter import WriterAdapter  # noqa: E402
from inspector_app.core.export.artifacts import build_artifacts  # noqa: E402
from inspector_app.core.export.writers import FileSystemWriter  # noqa: E402

TARGET_PER_ARTIFACT_MS = 0.3
TARGET_RATIO = 1.5
FACTIONS = ["vanguard_prime", "luminari_syndicate", "cipher_collective", "wraith_network", "memory_keepers", "rogue_ai"]


def synthetic_summary(base_ms: int = 1761843600000) -> dict:
    """Like the game benchmark's seed: 6 cascade targets, 10 snapshots, a small spatial hash."""
    targets = [{"factionId": f, "cascadeCount": 6 - i,
                "lastCascade": {"sourceFactionId": FACTIONS[(i + 1) % 6], "occurredAt": base_ms + i * 1000,
                                "newAttitude": "hostile" if i % 2 else "friendly"},
                "sources": [FACTIONS[(i + 1) % 6], FACTIONS[(i + 2) % 6]]} for i, f in enumerate(FACTIONS)]
    steps = [f"step_{i}" for i in range(10)]
    snapshots = [{"event": "step_completed", "timestamp": base_ms + i * 15000, "stepId": s, "stepIndex": i,
                  "totalSteps": 10, "completedSteps": steps[: i + 1],
                  "currentPrompt": {"title": f"Step {i}, part {i}", "stepId": s},
                  "metadata": {"stepId": s, "completedAt": base_ms + i * 15000}} for i, s in enumerate(steps)]
    history = [{"cellCount": 60 + i % 7, "maxBucketSize": 2, "trackedEntities": 20 + i % 5,
                "timestamp": base_ms + i * 500} for i in range(60)]
    return {
        "generatedAt": base_ms + 300000, "source": "worldStateStore",
        "factions": {"lastCascadeEvent": {"targetFactionId": FACTIONS[0], "sourceFactionId": FACTIONS[1],
                                          "newAttitude": "hostile", "occurredAt": base_ms},
                     "cascadeTargets": targets, "recentMemberRemovals": []},
        "tutorial": {"latestSnapshot": snapshots[-1], "snapshots": snapshots, "transcript": []},
        "engine": {"spatialHash": {"cellSize": 64, "window": 120, "sampleCount": 60, "history": history}},
        "districts": {"lastUpdatedAt": None, "metrics": {"total": 4}},
        "npcs": {"lastUpdatedAt": None, "metrics": {"total": 1}},
    }


def plain_write(run_dir: Path, artifacts) -> tuple[float, list[float]]:
    """The floor: ``os.makedirs`` + ``open(path, 'w').write(content)`` per artifact.
    Returns (whole export ms incl. makedirs, per-artifact ms)."""
    clock = time.perf_counter_ns
    start = clock()
    os.makedirs(run_dir)
    per = []
    t0 = start  # the folder is created inside the first artifact's time, as the writer does
    for a in artifacts:
        with open(run_dir / a.filename, "w", encoding="utf-8") as fh:
            fh.write(a.content)
        now = clock()
        per.append((now - t0) / 1e6)
        t0 = now
    return (clock() - start) / 1e6, per


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (like KEEP_TELEMETRY_BENCH=1)")
    parser.add_argument("--no-results", action="store_true", help="print only, write no results file")
    args = parser.parse_args(argv)

    summary = synthetic_summary()
    root = Path(tempfile.mkdtemp(prefix="export-writer-bench-"))
    clock = time.perf_counter_ns
    build_ms, export_ms, floor_export_ms, artifact_ms, floor_artifact_ms = [], [], [], [], []
    attempted = written = failures = 0
    total = args.warmup + args.iterations
    try:
        for i in range(total):
            measured = i >= args.warmup
            t0 = clock()
            aset = build_artifacts(summary, prefix=f"bench-{i:03d}")
            t_build = (clock() - t0) / 1e6
            adapter = WriterAdapter([FileSystemWriter(root / "pipeline" / f"run-{i}", id=None)])
            # alternate which one goes first so neither always gets the warmer cache
            if i % 2:
                t_floor, floor_per = plain_write(root / "floor" / f"run-{i}", aset.artifacts)
            t0 = clock()
            metrics = adapter.write_artifacts(aset.artifacts, {"prefix": f"bench-{i:03d}"})
            t_export = (clock() - t0) / 1e6
            if not i % 2:
                t_floor, floor_per = plain_write(root / "floor" / f"run-{i}", aset.artifacts)
            if measured:
                build_ms.append(t_build)
                export_ms.append(t_export)
                floor_export_ms.append(t_floor)
                artifact_ms.extend(w.duration_ms for w in metrics.writes)
                floor_artifact_ms.extend(floor_per)
                attempted += metrics.artifacts_attempted
                written += metrics.artifacts_written
                failures += len(metrics.failures)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    export_stats, floor_stats = timing_stats(export_ms), timing_stats(floor_export_ms)
    art_stats, floor_art_stats = timing_stats(artifact_ms), timing_stats(floor_artifact_ms)
    per_artifact_ratio = ratio(art_stats["mean"], floor_art_stats["mean"])
    export_ratio = ratio(export_stats["mean"], floor_stats["mean"])
    print("=== Telemetry Writer Benchmark (Python) ===")
    print(f"Iterations: {args.iterations} (+{args.warmup} warm-up)  Artifacts Attempted: {attempted}  "
          f"Artifacts Written: {written}  Writer Failures: {failures}")
    print(f"per export   pipeline: {format_timing(export_stats)} ms")
    print(f"per export   floor   : {format_timing(floor_stats)} ms   ratio {export_ratio}")
    print(f"per artifact pipeline: {format_timing(art_stats)} ms")
    print(f"per artifact floor   : {format_timing(floor_art_stats)} ms   ratio {per_artifact_ratio}")
    print(f"artifact build (not in the write timing): {format_timing(timing_stats(build_ms))} ms")
    verdict = {
        "perArtifactMeanMs": round(art_stats["mean"], 4),
        "perArtifactTargetMs": TARGET_PER_ARTIFACT_MS,
        "perArtifactWithinTarget": art_stats["mean"] <= TARGET_PER_ARTIFACT_MS,
        "ratioTarget": TARGET_RATIO,
        "ratioWithinTarget": per_artifact_ratio is not None and per_artifact_ratio <= TARGET_RATIO,
    }
    print(f"targets: ≤ {TARGET_PER_ARTIFACT_MS} ms/artifact → {verdict['perArtifactWithinTarget']}; "
          f"≤ {TARGET_RATIO}× floor → {verdict['ratioWithinTarget']}  (load average {os.getloadavg()})")
    if not args.no_results:
        path = write_results("export_writer", {
            "export_writer_per_export": result_entry(export_ms, artifactsPerExport=3, floor=floor_stats,
                                                     ratio=export_ratio, artifactsAttempted=attempted,
                                                     artifactsWritten=written, writerFailures=failures),
            "export_writer_per_artifact": result_entry(artifact_ms, floor=floor_art_stats, ratio=per_artifact_ratio,
                                                       **verdict),
            "export_floor_per_export": result_entry(floor_export_ms, method="os.makedirs + open().write() x3"),
            "export_floor_per_artifact": result_entry(floor_artifact_ms, method="open().write()"),
            "export_artifact_build": result_entry(build_ms, note="build_artifacts(summary): sanitise + serialise"),
        }, metadata=run_metadata(benchmark="export_writer", iterations=args.iterations, warmup=args.warmup,
                                 gameJsReferenceMsPerExport=1.1))
        print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
