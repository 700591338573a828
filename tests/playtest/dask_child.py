"""Run by tests/playtest/test_dask.py in its own interpreter (``python -m``-free, cwd = the checkout):
a real LocalCluster — scheduler and two single-threaded workers as processes on 127.0.0.1, no
dashboard — runs the playtest, and so does the local pool; both reports' bytes are written out.

A child process because pytest puts ``tests/`` first on ``sys.path``, where ``tests/packaging``
would shadow the ``packaging`` distribution dask imports; and dask's threads stay out of the suite.
"""
from __future__ import annotations

import os
import sys


def main(folder: str, out: str) -> int:
    import distributed
    import orjson

    from inspector_app.core.playtest import run_playtest

    local = run_playtest([folder], workers=2, cache=False)
    seen: list[tuple[int, int]] = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = run_playtest([folder], scheduler=cluster.scheduler_address,
                              progress=lambda done, total, text="": seen.append((done, total)))
        with distributed.Client(cluster.scheduler_address) as client:
            by_worker = client.run(os.getpid)               # worker address -> its process id
            pids = sorted(set(by_worker.values()))
            hosts = sorted({address.split("://")[1].rsplit(":", 1)[0] for address in by_worker})
    with open(os.path.join(out, "local.json"), "wb") as fh:
        fh.write(local.report.to_json_bytes())
    with open(os.path.join(out, "cluster.json"), "wb") as fh:
        fh.write(remote.report.to_json_bytes())
    with open(os.path.join(out, "facts.json"), "wb") as fh:
        fh.write(orjson.dumps({"scheduler": cluster.scheduler_address, "run_scheduler": remote.scheduler,
                               "worker_pids": pids, "worker_hosts": hosts, "client_pid": os.getpid(),
                               "progress": seen[-1] if seen else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
