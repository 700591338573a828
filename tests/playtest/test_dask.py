"""The cluster path on a real dask.distributed LocalCluster: scheduler and two workers as separate
processes on 127.0.0.1; its report must equal the local pool's byte for byte. Marked ``dask``; runs
in CI (dask is in the test extras). The cluster runs in a child interpreter (see dask_child.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from .conftest import N_PLAYERS

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.dask, pytest.mark.slow, pytest.mark.timeout(240)]


def test_cluster_report_equals_the_local_one_byte_for_byte(playtest_folder, tmp_path):
    child = Path(__file__).with_name("dask_child.py")
    proc = subprocess.run([sys.executable, str(child), str(playtest_folder), str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=200,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr[-4000:]
    facts = orjson.loads((tmp_path / "facts.json").read_bytes())
    assert facts["scheduler"].startswith("tcp://127.0.0.1:") and facts["run_scheduler"] == facts["scheduler"]
    assert len(facts["worker_pids"]) == 2 and facts["client_pid"] not in facts["worker_pids"]
    assert facts["worker_hosts"] == ["127.0.0.1"]
    assert facts["progress"] == [N_PLAYERS, N_PLAYERS]
    local = (tmp_path / "local.json").read_bytes()
    assert orjson.loads(local)["counts"]["players"] == N_PLAYERS
    assert (tmp_path / "cluster.json").read_bytes() == local


def test_unreachable_scheduler_is_a_clear_error(playtest_folder):
    code = ("import sys\n"
            "from inspector_app.core.playtest import run_playtest\n"
            "from inspector_app.core.playtest.cluster import ClusterError\n"
            "try:\n"
            "    run_playtest([sys.argv[1]], scheduler='tcp://127.0.0.1:9', cache=False)\n"
            "except ClusterError as error:\n"
            "    print(error)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(playtest_folder / "player-0000.localStorage.json")],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in proc.stdout
